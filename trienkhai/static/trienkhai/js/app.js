// Small progressive enhancements. No inline scripts: the Content Security Policy forbids them.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll("select[data-autosubmit]")) {
    el.addEventListener("change", () => el.form.submit());
  }
  for (const el of document.querySelectorAll("[data-confirm]")) {
    el.addEventListener("submit", (ev) => {
      if (!window.confirm(el.dataset.confirm)) ev.preventDefault();
    });
  }
  // The phone menu: the button folds and unfolds the panel it controls; Escape folds it and
  // gives the focus back to the button. The stylesheet shows the button on narrow screens only.
  const toggle = document.querySelector(".menu-toggle");
  const panel = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && panel) {
    const setOpen = (open) => {
      toggle.setAttribute("aria-expanded", String(open));
      panel.classList.toggle("is-open", open);
    };
    toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
    document.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }
});
