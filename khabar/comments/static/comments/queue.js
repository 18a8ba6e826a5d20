// Moderation queue: keyboard shortcuts and "select all". Plain buttons work without it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-queue]");
  if (!form) return;
  var rows = Array.from(form.querySelectorAll("[data-row]"));
  var current = -1;
  function focusRow(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row) { row.classList.remove("is-current"); });
    rows[current].classList.add("is-current");
    rows[current].focus();
  }
  var all = form.querySelector("[data-select-all]");
  if (all) all.addEventListener("change", function () {
    form.querySelectorAll("[data-select]").forEach(function (box) { box.checked = all.checked; });
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j") { focusRow(current + 1); event.preventDefault(); return; }
    if (event.key === "k") { focusRow(current - 1); event.preventDefault(); return; }
    if (current < 0) return;
    var row = rows[current];
    if (event.key === "x") { var box = row.querySelector("[data-select]"); box.checked = !box.checked; event.preventDefault(); return; }
    var button = row.querySelector('[data-key="' + event.key + '"]');
    if (button) { event.preventDefault(); button.click(); }
  });
})();
