// Comments: the live counter, posting without a reload, replies, reports and "Load more".
// Without JavaScript every part still works through plain forms and links.
(function () {
  "use strict";
  var root = document.querySelector("[data-comments]") || document;
  var form = document.querySelector("form[data-comment-form]");

  // Count as the server counts: Unicode code points, CRLF and CR as one newline.
  function count(text) { return Array.from(text.replace(/\r\n?/g, "\n")).length; }

  function csrfToken() {
    if (window.khabarCsrf) return window.khabarCsrf();
    return fetch("/csrf/", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { token: "" }; })
      .then(function (d) { return d.token || ""; })
      .catch(function () { return ""; });
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return String(Date.now()) + String(Math.random()).slice(2);
  }

  function post(url, data) {
    return csrfToken().then(function (token) {
      return fetch(url, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": token }
      });
    }).then(function (response) {
      return response.json().catch(function () { return { error: response.statusText }; })
        .then(function (json) { json.httpStatus = response.status; return json; });
    });
  }

  function say(box, text, kind) {
    box.textContent = "";
    if (!text) return;
    var p = document.createElement("p");
    p.className = "notice" + (kind ? " notice--" + kind : "");
    p.textContent = text;
    box.appendChild(p);
  }

  if (form) {
    var body = form.querySelector("textarea[name=body]");
    var remaining = form.querySelector("[data-remaining]");
    var max = parseInt(body.getAttribute("data-max"), 10) || 1500;
    var key = form.querySelector("input[name=key]");
    var parent = form.querySelector("input[name=parent]");
    var replying = form.querySelector("[data-replying]");
    var status = form.querySelector("[data-form-status]");
    var button = form.querySelector("[data-submit]");
    var sending = false;
    // The edition's own digits (0-9 in its script), as the page wrote the counter.
    var digits = (form.querySelector("[data-counter]") || body).getAttribute("data-digits") || "0123456789";
    var localise = function (number) {
      return String(number).replace(/[0-9]/g, function (d) { return digits.charAt(+d); });
    };

    var update = function () {
      var text = body.value.replace(/\r\n?/g, "\n");
      var chars = Array.from(text);
      if (chars.length > max) {  // stop at the limit, as the server would refuse the rest
        body.value = chars.slice(0, max).join("");
        chars = chars.slice(0, max);
      }
      remaining.textContent = localise(max - chars.length);
    };
    body.addEventListener("input", update);
    update();
    if (key && !key.value) key.value = newKey();

    var clearErrors = function () {
      form.querySelectorAll("[data-errors-for]").forEach(function (box) { box.textContent = ""; });
    };
    var showErrors = function (errors) {
      Object.keys(errors || {}).forEach(function (name) {
        var box = form.querySelector('[data-errors-for="' + name + '"]') || form.querySelector('[data-errors-for="__all__"]');
        var list = document.createElement("ul");
        list.className = "errorlist";
        errors[name].forEach(function (message) {
          var item = document.createElement("li");
          item.textContent = message;
          list.appendChild(item);
        });
        box.appendChild(list);
      });
    };

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending) return;  // a double click sends once (and the server keys each submission too)
      sending = true;
      button.disabled = true;
      clearErrors();
      post(form.action, new FormData(form)).then(function (answer) {
        if (answer.status) {
          say(status, answer.message, answer.status);
          body.value = "";  // stored: now, and only now, the text may go
          update();
          key.value = newKey();
          form.setAttribute("data-posted", answer.status);
        } else {
          say(status, answer.message || answer.error || "", "error");
          showErrors(answer.errors);
        }
      }).catch(function () {
        say(status, form.getAttribute("data-offline-message") || "Network error", "error");
      }).then(function () {
        sending = false;
        button.disabled = false;
      });
    });

    root.addEventListener("click", function (event) {
      var reply = event.target.closest("[data-reply]");
      if (reply) {
        event.preventDefault();
        parent.value = reply.getAttribute("data-reply");
        replying.hidden = false;
        body.focus();
      }
    });
    var cancel = form.querySelector("[data-cancel-reply]");
    if (cancel) cancel.addEventListener("click", function () { parent.value = ""; replying.hidden = true; });
  }

  // Reports: a small inline form from the inert <template>.
  var reportTemplate = document.getElementById("comment-report-template");
  root.addEventListener("click", function (event) {
    var link = event.target.closest("[data-report]");
    if (!link || !reportTemplate) return;
    event.preventDefault();
    var holder = link.closest(".comment__actions");
    if (holder.querySelector("form")) return;
    var fragment = reportTemplate.content.cloneNode(true);
    var reportForm = fragment.querySelector("form");
    reportForm.action = link.href;
    holder.appendChild(fragment);
    reportForm.addEventListener("submit", function (e) {
      e.preventDefault();
      post(reportForm.action, new FormData(reportForm)).then(function (answer) {
        var box = document.createElement("p");
        box.className = "notice";
        box.setAttribute("role", "status");
        box.textContent = answer.message || answer.error || "";
        reportForm.replaceWith(box);
      });
    });
  });

  // "Load more" and the order switch: HTML fragments from the list endpoint.
  var list = root.querySelector("[data-comment-list]");
  function load(url, replace) {
    var sep = url.indexOf("?") === -1 ? "?" : "&";
    return fetch(url + sep + "fragment=1", { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        if (replace) list.textContent = "";
        doc.querySelectorAll("[data-comment-list] > li").forEach(function (li) { list.appendChild(document.adoptNode(li)); });
        var old = root.querySelector(".comments__more-wrap");
        var next = doc.querySelector(".comments__more-wrap");
        if (old) old.remove();
        if (next) list.after(document.adoptNode(next));
      });
  }
  root.addEventListener("click", function (event) {
    var more = event.target.closest("[data-load-more]");
    if (more && list) { event.preventDefault(); more.setAttribute("aria-busy", "true"); load(more.getAttribute("href"), false); return; }
    var order = event.target.closest("[data-order]");
    if (order && list) {
      event.preventDefault();
      root.querySelectorAll("[data-order]").forEach(function (a) { a.removeAttribute("aria-current"); });
      order.setAttribute("aria-current", "true");
      load(order.getAttribute("href"), true);
    }
  });
})();
