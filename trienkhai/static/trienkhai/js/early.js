// Runs before the first paint (not deferred): marks that scripts run, so the stylesheet may fold
// the phone menu behind its button. Without scripts the menu simply stays open.
document.documentElement.classList.add("js");
