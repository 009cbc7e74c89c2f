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
});
