// A running unit import: poll its status (JSON) every second, move the progress bar, and reload
// the page once the import has finished, which then shows the result.
// No inline scripts: the Content Security Policy forbids them.
"use strict";
(() => {
  document.addEventListener("DOMContentLoaded", () => {
    const box = document.getElementById("import-progress");
    if (!box) return;
    const bar = box.querySelector("progress");
    const label = box.querySelector("[data-field=label]");
    const text = box.querySelector("[data-field=text]");

    async function poll() {
      try {
        const response = await fetch(box.dataset.statusUrl, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (response.ok) {
          const status = await response.json();
          if (status.finished) {
            window.location.reload();
            return;
          }
          label.textContent = status.label;
          text.textContent = status.text;
          if (status.state === "applying" && status.total) {
            bar.max = status.total;
            bar.value = status.done;
          } else {
            bar.removeAttribute("value");
          }
        }
      } catch (err) {
        // a missed poll is retried below
      }
      window.setTimeout(poll, 1000);
    }

    window.setTimeout(poll, 1000);
  });
})();
