// 网上答疑: while the subject is typed, show matching published answers and items.
(function () {
  "use strict";
  var input = document.querySelector("input[data-qa-suggest]");
  var box = document.getElementById("qa-suggestions");
  if (!input || !box) { return; }
  var timer = null;
  var last = "";
  function section(title, rows) {
    var wrap = document.createElement("div");
    var h = document.createElement("p");
    h.className = "qa-suggest-title";
    h.textContent = title;
    wrap.appendChild(h);
    var ul = document.createElement("ul");
    rows.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.url;
      a.textContent = r.title;
      li.appendChild(a);
      if (r.department) {
        var span = document.createElement("span");
        span.className = "meta";
        span.textContent = " " + r.department;
        li.appendChild(span);
      }
      ul.appendChild(li);
    });
    wrap.appendChild(ul);
    return wrap;
  }
  function show(data) {
    box.textContent = "";
    if (data.answers && data.answers.length) { box.appendChild(section(box.dataset.answers, data.answers)); }
    if (data.items && data.items.length) { box.appendChild(section(box.dataset.items, data.items)); }
    box.hidden = !box.childNodes.length;
  }
  function ask() {
    var q = input.value.trim();
    if (q === last) { return; }
    last = q;
    if (!q) { show({}); return; }
    fetch(box.dataset.url + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (data) { if (input.value.trim() === q) { show(data); } })
      .catch(function () {});
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 250);
  });
})();
