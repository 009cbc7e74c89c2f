// Lazily loaded organisation tree: a toggle fetches its node's children once, then shows/hides them.
// No inline scripts: the Content Security Policy forbids them.
"use strict";
(() => {
  async function load(button, list) {
    button.disabled = true;
    try {
      const response = await fetch(button.dataset.url, {
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      });
      if (!response.ok) throw new Error(String(response.status));
      list.innerHTML = await response.text();
      button.dataset.loaded = "1";
      return true;
    } catch (err) {
      list.textContent = document.getElementById("unit-tree").dataset.error || "—";
      return true;
    } finally {
      button.disabled = false;
    }
  }

  async function toggle(button) {
    const list = document.getElementById(button.getAttribute("aria-controls"));
    if (!list) return;
    const open = button.getAttribute("aria-expanded") === "true";
    if (open) {
      button.setAttribute("aria-expanded", "false");
      button.textContent = "+";
      list.hidden = true;
      return;
    }
    if (!button.dataset.loaded) await load(button, list);
    button.setAttribute("aria-expanded", "true");
    button.textContent = "−";
    list.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const tree = document.getElementById("unit-tree");
    if (!tree) return;
    tree.addEventListener("click", (ev) => {
      const button = ev.target.closest("button.toggle[data-url]");
      if (button && tree.contains(button)) {
        ev.preventDefault();
        toggle(button);
      }
    });
  });
})();
