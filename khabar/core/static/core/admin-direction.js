// Write a page's text in the direction of the page's language (see khabar/core/panels.py).
(function () {
  "use strict";
  function apply() {
    var marker = document.querySelector("[data-khabar-content-dir]");
    if (!marker) return;
    var dir = marker.getAttribute("data-khabar-content-dir");
    var lang = marker.getAttribute("data-khabar-content-lang");
    var form = marker.closest("form") || document;
    var fields = form.querySelectorAll(
      "input[type=text], textarea, .Draftail-Editor, [contenteditable=true]"
    );
    fields.forEach(function (field) {
      if (field.getAttribute("dir") !== dir) {
        field.setAttribute("dir", dir);
        if (lang) field.setAttribute("lang", lang);
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    apply();
    // StreamField adds blocks (and their editors) later: follow them.
    new MutationObserver(apply).observe(document.body, { childList: true, subtree: true });
  });
})();
