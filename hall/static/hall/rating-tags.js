// 好差评: show only the tags of the chosen level (without this script every
// group shows, and the server checks the tags belong to the level).
(function () {
  "use strict";
  var form = document.querySelector("form[data-rating-form]");
  if (!form) { return; }
  var groups = form.querySelectorAll(".tag-group[data-levels]");
  var hint = form.querySelector("[data-tags-hint]");
  function chosen() {
    var radio = form.querySelector("input[name=level]:checked");
    return radio ? radio.value : "";
  }
  function filter() {
    var level = chosen();
    if (hint) { hint.hidden = level !== ""; }
    groups.forEach(function (group) {
      var show = level !== "" && group.getAttribute("data-levels").split(" ").indexOf(level) >= 0;
      group.hidden = !show;
      group.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        box.disabled = !show;
        if (!show) { box.checked = false; }
      });
    });
  }
  form.querySelectorAll("input[name=level]").forEach(function (radio) {
    radio.addEventListener("change", filter);
  });
  filter();
})();
