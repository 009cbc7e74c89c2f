// Type-ahead unit picker (units/picker.py): an ARIA 1.2 combobox over units/pick/.
// Without this script the input stays a text box where a unit's name is typed. No inline code.
"use strict";
(() => {
  const SEP = /[;,\n\r\t]+/;
  const word = window.trienkhaiWord;
  let seq = 0;

  function debounce(fn, ms) {
    let t;
    return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  }

  function setup(original) {
    if (original.dataset.pickerReady) return;
    original.dataset.pickerReady = "1";
    const url = original.dataset.unitPicker;
    const multiple = original.dataset.multiple === "1";
    const id = original.id || `unit-picker-${++seq}`;
    // A form below the units app renders a bare input with data-unit-picker: wrap it here.
    let wrap = original.closest(".unit-picker");
    if (!wrap) {
      wrap = document.createElement("div");
      wrap.className = "unit-picker";
      original.before(wrap);
      wrap.append(original);
    }
    let list = wrap.querySelector("[role=listbox]");
    if (!list) {
      list = document.createElement("ul");
      list.className = "unit-picker-list";
      list.id = `${id}-options`;
      list.setAttribute("role", "listbox");
      list.hidden = true;
      wrap.append(list);
    }
    let box = original; // the combobox the person types in
    let chips = null;
    let items = [];
    let active = -1;

    if (multiple) {
      // The original input keeps the value the form sends ("label; label"); a new input
      // takes its id (so its <label> now names the combobox) and the chips show the choice.
      box = document.createElement("input");
      box.type = "text";
      for (const a of ["aria-describedby", "aria-invalid", "placeholder"]) {
        if (original.hasAttribute(a)) box.setAttribute(a, original.getAttribute(a));
      }
      original.id = `${id}-value`;
      original.type = "hidden";
      box.id = id;
      box.className = "unit-picker-input";
      chips = document.createElement("ul");
      chips.className = "unit-chips";
      chips.setAttribute("aria-label", wrap.dataset.chipsLabel || word("chosenUnits", "Đơn vị đã chọn"));
      wrap.insertBefore(chips, list);
      wrap.insertBefore(box, list);
      for (const text of original.value.split(SEP)) if (text.trim()) addChip(text.trim());
      original.form?.addEventListener("submit", () => {
        const rest = box.value.trim();
        if (rest) { addChip(rest); box.value = ""; }
      });
    }
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", list.id);
    box.setAttribute("autocomplete", "off");

    function values() {
      return [...chips.querySelectorAll("li")].map((li) => li.dataset.value);
    }
    function sync() { original.value = values().join("; "); }
    function addChip(text) {
      if (values().includes(text)) return;
      const li = document.createElement("li");
      li.dataset.value = text;
      const span = document.createElement("span");
      span.textContent = text.replace(/\s*\([^()]+\)\s*$/, "");
      span.title = text;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "chip-remove";
      remove.textContent = "×";
      remove.setAttribute("aria-label", word("removeUnit", "Bỏ {name}", { name: span.textContent }));
      remove.addEventListener("click", () => {
        li.remove();
        sync();
        box.focus();
        original.dispatchEvent(new Event("change", { bubbles: true }));
      });
      li.append(span, remove);
      chips.append(li);
      sync();
    }

    function close() {
      list.hidden = true;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      const options = list.querySelectorAll("[role=option]");
      options.forEach((o, i) => o.setAttribute("aria-selected", i === index ? "true" : "false"));
      active = index;
      if (index >= 0 && options[index]) {
        box.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }
    function render(results, query) {
      items = results;
      list.replaceChildren();
      if (!results.length) {
        const li = document.createElement("li");
        li.className = "unit-picker-empty";
        li.textContent = query ? word("noUnitMatches", "Không có đơn vị nào khớp “{query}”", { query }) : "";
        list.append(li);
      }
      results.forEach((r, i) => {
        const li = document.createElement("li");
        li.id = `${id}-opt-${i}`;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        const name = document.createElement("span");
        name.className = "opt-name";
        name.textContent = r.name;
        const meta = document.createElement("span");
        meta.className = "opt-meta";
        meta.textContent = [r.kind, r.parent, r.code].filter(Boolean).join(" · ");
        li.append(name, meta);
        li.addEventListener("mousedown", (ev) => { ev.preventDefault(); pick(i); });
        list.append(li);
      });
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
      highlight(-1); // ArrowDown enters the list (ARIA combobox pattern)
    }
    function pick(index) {
      const r = items[index];
      if (!r) return;
      if (multiple) {
        addChip(r.label);
        box.value = "";
      } else {
        box.value = r.label;
      }
      close();
      original.dispatchEvent(new Event("change", { bubbles: true }));
    }
    const search = debounce(async () => {
      const query = box.value.trim();
      if (!query) { close(); return; }
      const mine = ++seq;
      try {
        const resp = await fetch(`${url}&q=${encodeURIComponent(query)}`, {
          headers: { Accept: "application/json" }, credentials: "same-origin",
        });
        if (!resp.ok || mine !== seq) return;
        const data = await resp.json();
        if (document.activeElement === box) render(data.results || [], query);
      } catch (_err) {
        close(); // offline or signed out: the typed name is still resolved on submit
      }
    }, 180);

    box.addEventListener("input", search);
    box.addEventListener("keydown", (ev) => {
      const open = !list.hidden && items.length > 0;
      if (ev.key === "ArrowDown") {
        ev.preventDefault();
        if (!open) search(); else highlight(Math.min(active + 1, items.length - 1));
      } else if (ev.key === "ArrowUp" && open) {
        ev.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (ev.key === "Enter" && open && active >= 0) {
        ev.preventDefault();
        pick(active);
      } else if (ev.key === "Escape" && !list.hidden) {
        ev.preventDefault();
        close();
      } else if (ev.key === "Backspace" && multiple && !box.value) {
        const last = chips.querySelector("li:last-child");
        if (last) { last.remove(); sync(); }
      }
    });
    box.addEventListener("blur", () => setTimeout(close, 100));
  }

  function init(root) {
    for (const el of root.querySelectorAll("input[data-unit-picker]")) setup(el);
  }
  window.tkUnitPicker = { init };
  document.addEventListener("DOMContentLoaded", () => init(document));
})();
