// Tracking pages: show only the assignment fields that the chosen rule uses. No inline scripts.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.assign-form");
  if (!form) return;
  const units = form.querySelector("#id_units")?.closest(".field");
  const kind = form.querySelector("#id_kind")?.closest(".field");
  const update = () => {
    const rule = form.querySelector("input[name=rule]:checked")?.value;
    if (units) units.classList.toggle("is-hidden", rule !== "units");
    if (kind) kind.classList.toggle("is-hidden", rule !== "kind");
  };
  for (const el of form.querySelectorAll("input[name=rule]")) el.addEventListener("change", update);
  update();
});

// The review queue: one box selects every report of the page (the boxes stay usable alone).
document.addEventListener("DOMContentLoaded", () => {
  const all = document.querySelector("[data-select-all]");
  if (!all) return;
  const boxes = () => document.querySelectorAll(`input[name="${all.dataset.selectAll}"]`);
  all.hidden = false;
  all.addEventListener("change", () => boxes().forEach((b) => { b.checked = all.checked; }));
});
