"use strict";
// The help icon beside the filter box of a many-to-many chooser
// (SelectFilter2.js) carries an aria-label on a plain span, which assistive
// technology ignores; as an image it is announced. The chooser is built on
// the window's load event, so this runs after it.
window.addEventListener("load", () => {
  for (const icon of document.querySelectorAll(".selector .help-tooltip[aria-label]")) {
    icon.setAttribute("role", "img");
  }
});
