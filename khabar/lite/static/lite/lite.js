// Lite edition: registers the offline reader; the pages need no script to be read.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) return;
  var worker = script.dataset.worker;
  var scope = script.dataset.scope;
  navigator.serviceWorker.register(worker, { scope: scope }).catch(function () {});
  window.addEventListener("online", function () {
    if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage("refresh");
  });
  document.addEventListener("DOMContentLoaded", function () {
    var list = document.getElementById("saved-stories");
    if (!list) return;
    // The offline page lists the stories saved the last time the reader was online.
    fetch(scope + "latest.json").then(function (response) { return response.json(); }).then(function (latest) {
      latest.articles.forEach(function (story) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = story.url;
        link.textContent = story.title;
        item.appendChild(link);
        list.appendChild(item);
      });
    }).catch(function () {});
  });
})();
