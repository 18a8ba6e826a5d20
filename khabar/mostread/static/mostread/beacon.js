// One page view, sent once the article has loaded and is actually shown (not a background tab or
// a prerender). No cookie, no identifier: only the article id that is on the cached page for everyone.
(function () {
  "use strict";
  var marker = document.querySelector("[data-mostread-article]");
  if (!marker || !navigator.sendBeacon) return;
  var sent = false;

  function send() {
    if (sent || document.visibilityState !== "visible") return;
    sent = true;
    var body = new URLSearchParams({ article: marker.getAttribute("data-mostread-article") });
    navigator.sendBeacon(marker.getAttribute("data-mostread-url"), body);
  }

  function whenLoaded() {
    send();
    if (!sent) document.addEventListener("visibilitychange", send);
  }

  if (document.readyState === "complete") whenLoaded();
  else window.addEventListener("load", whenLoaded);
})();
