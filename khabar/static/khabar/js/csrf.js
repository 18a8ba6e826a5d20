// Fill the CSRF token of reader forms on cached pages (see khabar/core/csrf.py).
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-csrf]");
  if (!forms.length) return;
  var pending = null;
  function token() {
    if (!pending) {
      pending = fetch("/csrf/", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { token: "" }; })
        .then(function (data) { return data.token || ""; })
        .catch(function () { return ""; });
    }
    return pending;
  }
  function fill(form, value) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "csrfmiddlewaretoken";
      form.appendChild(input);
    }
    input.value = value;
  }
  window.khabarCsrf = token;
  forms.forEach(function (form) {
    form.addEventListener("focusin", function () { token().then(function (v) { fill(form, v); }); }, { once: true });
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[name=csrfmiddlewaretoken]");
      if (input && input.value) return;
      event.preventDefault();
      token().then(function (v) { fill(form, v); form.submit(); });
    });
  });
})();
