// Khabar lite edition: keeps the lite front page and the latest stories of one edition for offline reading.
// Only pages listed by the server (latest.json) are kept, fetched without cookies: nothing personal,
// no staff page, no form. Network first: a reader online always gets the current page.
const VERSION = "{{ version|escapejs }}";
const PREFIX = "khabar-lite-{{ language|escapejs }}-";
const CACHE = PREFIX + VERSION;
const SCOPE = "{{ scope|escapejs }}";
const OFFLINE = "{{ offline_url|escapejs }}";
const LATEST = "{{ latest_url|escapejs }}";
const SHELL = [SCOPE, OFFLINE, LATEST, "{{ css_url|escapejs }}", "{{ js_url|escapejs }}"];
const REFRESH_EVERY_MS = 10 * 60 * 1000;
let lastRefresh = 0;

function absolute(url) {
  return new URL(url, self.location.href).href;
}

function keepable(response) {
  if (!response || !response.ok || response.type !== "basic") return false;
  const control = (response.headers.get("Cache-Control") || "").toLowerCase();
  return !control.includes("no-store") && !control.includes("private");
}

async function refresh(force) {
  if (!force && Date.now() - lastRefresh < REFRESH_EVERY_MS) return;
  lastRefresh = Date.now();
  const cache = await caches.open(CACHE);
  const listed = await fetch(LATEST, { credentials: "omit", cache: "no-cache" });
  if (!keepable(listed)) return;
  const latest = await listed.clone().json();
  await cache.put(absolute(LATEST), listed);
  const wanted = new Set([...SHELL, ...latest.articles.map((story) => story.url)].map(absolute));
  const kept = new Set((await cache.keys()).map((request) => request.url));
  for (const url of wanted) {
    // The front page is always brought up to date; a story is fetched once (corrections purge it online).
    if (url === absolute(LATEST) || (kept.has(url) && url !== absolute(SCOPE))) continue;
    try {
      const response = await fetch(url, { credentials: "omit", cache: "no-cache" });
      if (keepable(response)) await cache.put(url, response);
    } catch (error) {
      // Offline again: keep what we have.
    }
  }
  for (const request of await cache.keys()) {
    if (!wanted.has(request.url)) await cache.delete(request);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(refresh(true).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "refresh") event.waitUntil(refresh(true));
});

async function networkFirst(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (request.mode === "navigate") event.waitUntil(refresh(false).catch(() => {}));
    return response;
  } catch (error) {
    const cache = await caches.open(CACHE);
    const saved = await cache.match(request.url);
    if (saved) return saved;
    if (request.mode === "navigate") {
      const offline = await cache.match(absolute(OFFLINE));
      if (offline) return offline;
    }
    return Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const ours = url.pathname.startsWith(SCOPE) || SHELL.map(absolute).includes(url.href);
  if (!ours || url.pathname.endsWith("/sw.js")) return;
  event.respondWith(networkFirst(event));
});
