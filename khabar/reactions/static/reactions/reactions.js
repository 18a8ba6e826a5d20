// "Do you like this article?" without a reload. The page is cached and the same for
// everyone; the reader's vote and the result come from /reactions/<id>/ (never cached).
(function () {
  "use strict";
  var block = document.querySelector("[data-reaction]");
  if (!block || !window.fetch) return;
  var form = block.querySelector("form");
  var output = block.querySelector("[data-reaction-result]");
  var buttons = form.querySelectorAll("button[name=vote]");
  var url = block.getAttribute("data-reaction");
  var memory = "khabar:reacted:" + url;

  function csrfToken() {
    if (window.khabarCsrf) return window.khabarCsrf();
    return fetch("/csrf/", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (data) { return data.token || ""; });
  }

  function remember(on) {
    try {
      if (on) window.localStorage.setItem(memory, "1");
      else window.localStorage.removeItem(memory);
    } catch (e) { /* private mode: the result simply is not shown on the next visit */ }
  }

  function remembered() {
    try { return window.localStorage.getItem(memory) === "1"; } catch (e) { return false; }
  }

  function show(data) {
    output.textContent = "";
    if (data.error) {
      output.textContent = data.error;
      return;
    }
    if (!data.vote) return;
    var mine = document.createElement("strong");
    mine.textContent = data.your_vote;
    output.appendChild(mine);
    output.appendChild(document.createTextNode(" " + data.summary));
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.value === data.vote));
    });
  }

  function read(response) {
    return response.json().catch(function () {
      return { error: block.getAttribute("data-error") };
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var choice = event.submitter && event.submitter.value;
    if (!choice) return;
    buttons.forEach(function (button) { button.disabled = true; });
    csrfToken()
      .then(function (token) {
        return fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": token },
          body: new URLSearchParams({ vote: choice }),
        });
      })
      .then(function (response) {
        return read(response).then(function (data) {
          if (response.ok) remember(true);
          show(data);
        });
      })
      .catch(function () { show({ error: block.getAttribute("data-error") }); })
      .then(function () {
        buttons.forEach(function (button) { button.disabled = false; });
      });
  });

  if (remembered()) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return read(response).then(function (data) {
          if (!response.ok || !data.vote) remember(false);
          if (response.ok) show(data);
        });
      })
      .catch(function () { /* offline: the question stays, unanswered */ });
  }
})();
