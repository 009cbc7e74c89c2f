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
