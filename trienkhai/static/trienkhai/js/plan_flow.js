// The plan flow (tracking/views/issue.py): add and remove task rows, read rows pasted from a
// spreadsheet in place, show each rule's extra fields, propose the number, refresh the preview.
// Without this script every button is a plain submit and the server does the same. No inline code.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.plan-flow");
  if (!form) return;
  const word = window.trienkhaiWord;
  const rows = form.querySelector("[data-rows]");
  const template = document.getElementById("task-row-template");
  const total = form.querySelector("input[name$='-TOTAL_FORMS']");
  const prefix = total.name.replace(/-TOTAL_FORMS$/, "");
  const live = form.querySelector("[data-live-preview]");
  const liveBody = form.querySelector("[data-live-body]");

  function ruleBoxes(root) {
    for (const box of root.querySelectorAll("[data-rule-box]")) {
      const select = box.querySelector("select");
      const update = () => {
        for (const part of box.querySelectorAll("[data-rule-for]")) {
          part.classList.toggle("is-hidden", part.dataset.ruleFor !== select.value);
        }
      };
      select.addEventListener("change", update);
      update();
    }
  }

  function renumber() {
    const all = rows.querySelectorAll("[data-row]");
    all.forEach((row, i) => {
      row.querySelector("[data-row-number]").textContent = String(i + 1);
      const remove = row.querySelector(".remove-row");
      if (remove) remove.setAttribute("aria-label", word("removeTask", "Xóa nhiệm vụ {n}", { n: i + 1 }));
    });
  }

  function enhanceRow(row) {
    const box = row.querySelector("[data-remove-box]");
    const check = box.querySelector("input[type=checkbox]");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary remove-row";
    button.textContent = word("removeRow", "Xóa dòng");
    button.addEventListener("click", () => {
      // Kept in the form (the formset's numbering stays whole), marked for removal, hidden.
      check.checked = true;
      row.classList.add("is-hidden");
      row.removeAttribute("data-row");
      const next = rows.querySelector("[data-row] textarea");
      renumber();
      (next || form.querySelector("[data-add-row]")).focus();
      schedule();
    });
    check.classList.add("is-hidden");
    box.querySelector("label").classList.add("is-hidden");
    box.append(button);
    ruleBoxes(row);
    if (window.tkUnitPicker) window.tkUnitPicker.init(row);
  }

  function addRow(values) {
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const row = holder.firstElementChild;
    for (const [name, value] of Object.entries(values || {})) {
      const input = row.querySelector(`[name='${prefix}-${index}-${name}']`);
      if (input) input.value = value;
    }
    rows.append(row);
    total.value = String(index + 1);
    enhanceRow(row);
    renumber();
    return row;
  }

  function isBlank(row) {
    return [...row.querySelectorAll("input[type=text], textarea")].every((el) => !el.value.trim());
  }

  const COLUMNS = ["title", "lead_unit", "cooperating", "deadline_text", "deliverable", "target"];
  const HEADINGS = new Set(["stt", "noi dung", "noi dung nhiem vu", "nhiem vu", "cong viec",
    "chu tri", "don vi chu tri", "phoi hop", "don vi phoi hop", "thoi han", "san pham", "chi tieu"]);
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase().trim();

  function readPaste(text) {
    const found = [];
    for (const line of text.split(/\r?\n/)) {
      if (!line.trim()) continue;
      let cells = line.split("\t").map((c) => c.trim().replace(/^"|"$/g, "").trim());
      if (cells.some((c) => HEADINGS.has(fold(c).replace(/^[ .:]+|[ .:]+$/g, "")))) continue;
      if (cells.length > COLUMNS.length && /^[0-9.]*$/.test(cells[0])) cells = cells.slice(1);
      const values = {};
      COLUMNS.forEach((name, i) => { if (cells[i]) values[name] = cells[i]; });
      // Several co-operating units in one cell are separated by ";" or ",".
      found.push(values);
    }
    return found;
  }

  function pasteRows(text) {
    const found = readPaste(text);
    if (!found.length) return 0;
    for (const row of [...rows.querySelectorAll("[data-row]")]) {
      if (isBlank(row)) row.remove();
    }
    // Row indexes must stay 0..n-1: rebuild the numbering of what is left.
    const kept = [...rows.children];
    kept.forEach((row, i) => {
      for (const el of row.querySelectorAll("[name], [id], [for], [aria-controls]")) {
        for (const attr of ["name", "id", "for", "aria-controls"]) {
          const v = el.getAttribute(attr);
          if (v) el.setAttribute(attr, v.replace(new RegExp(`${prefix}-\\d+-`), `${prefix}-${i}-`));
        }
      }
    });
    total.value = String(kept.length);
    let first = null;
    for (const values of found) {
      const row = addRow(values);
      first = first || row;
    }
    if (first) first.querySelector("textarea").focus();
    return found.length;
  }

  const paste = form.querySelector("textarea[name=paste]");
  const pasteButton = form.querySelector("[data-paste-button]");
  const status = document.createElement("p");
  status.className = "muted";
  status.setAttribute("role", "status");
  pasteButton.after(status);
  function readPasteBox() {
    const n = pasteRows(paste.value);
    status.textContent = n
      ? word("rowsPasted", "Đã thêm {n} dòng nhiệm vụ từ bảng dán.", { n })
      : word("nothingPasted", "Không có dòng nào để đọc.");
    if (n) paste.value = "";
    schedule();
  }
  paste.addEventListener("paste", () => setTimeout(readPasteBox, 0));
  pasteButton.addEventListener("click", (ev) => { ev.preventDefault(); readPasteBox(); });
  form.querySelector("[data-add-row]").addEventListener("click", (ev) => {
    ev.preventDefault();
    addRow().querySelector("textarea").focus();
  });

  // The number: proposed again when the unit or the type changes, unless the person edited it.
  const symbol = form.querySelector("[name=symbol]");
  const term = form.querySelector("[name=term]");
  const unit = form.querySelector("input[name=issuing_unit]");
  const type = form.querySelector("select[name=doc_type]");
  let edited = false;
  symbol.addEventListener("input", () => { edited = true; });
  async function propose() {
    if (edited || !unit.value.trim()) return;
    const q = new URLSearchParams({ unit: unit.value, doc_type: type.value });
    try {
      const resp = await fetch(`${form.dataset.numberUrl}?${q}`, { credentials: "same-origin" });
      if (!resp.ok) return;
      const data = await resp.json();
      if (data.symbol) symbol.value = data.symbol;
      if (data.term) term.value = data.term;
      schedule();
    } catch (_err) { /* keep what is there */ }
  }
  unit.addEventListener("change", propose);
  type.addEventListener("change", propose);

  // Live preview: the same check as the "Xem trước" button, answered as a fragment.
  let timer = null;
  let asked = 0;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 700);
  }
  async function refresh() {
    const hasTask = [...rows.querySelectorAll("[data-row]")].some((r) => !isBlank(r));
    if (!hasTask) { live.hidden = true; return; }
    const body = new FormData(form);
    body.set("step", "preview");
    const mine = ++asked;
    try {
      const resp = await fetch(window.location.href, {
        method: "POST", body, credentials: "same-origin", headers: { "X-Preview": "1" },
      });
      if (mine !== asked) return;
      const html = await resp.text();
      const doc = new DOMParser().parseFromString(html, "text/html");
      liveBody.replaceChildren(...doc.body.childNodes);
      live.hidden = false;
    } catch (_err) { /* the button still works */ }
  }
  form.addEventListener("change", schedule);

  for (const row of rows.querySelectorAll("[data-row]")) enhanceRow(row);
  ruleBoxes(form.querySelector(".flow-part:nth-of-type(3)") || form);
});
