// Runs before the first paint (not deferred): marks that scripts run, so the stylesheet may fold
// the phone menu behind its button. Without scripts the menu simply stays open.
document.documentElement.classList.add("js");

// The words scripts write, in the page's language: base.html keeps them on #js-words, each with
// {name} placeholders the script fills. A page without them falls back to the Vietnamese given.
window.trienkhaiWord = (key, fallback, values = {}) => {
  const el = document.getElementById("js-words");
  const text = (el && el.dataset[key]) || fallback;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
};
