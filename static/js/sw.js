/* Keeps the capture pages and their assets on the phone, so a reload with no signal still
   opens the page (and its queue of waiting taps). API calls are never intercepted. */
var CACHE = "outreach-capture-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

/* A capture page asks to be kept, with its stylesheet and script, as soon as it opens. */
self.addEventListener("message", function (event) {
  var urls = event.data && event.data.keep;
  if (!Array.isArray(urls)) return;
  var sameOrigin = urls.filter(function (u) { return new URL(u).origin === self.location.origin; });
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(sameOrigin); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var capturePage = /^\/events\/\d+\/capture\/$/.test(url.pathname);
  var asset = url.pathname.indexOf("/static/") === 0;
  if (!capturePage && !asset) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreVary: true }).then(function (hit) {
        return hit || new Response("Offline and not saved on this phone yet.",
                                   { status: 503, headers: { "Content-Type": "text/plain" } });
      });
    })
  );
});
