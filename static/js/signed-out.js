// The sign-in page (where signing out lands): the pages a service worker kept for the last
// person's offline capture are removed, so the next person on this phone cannot open them.
// Taps still waiting to send stay: they are kept per person and sent when they sign in again.
(function () {
  "use strict";
  if (!window.caches) return;
  caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("outreach-capture") === 0;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () {
    document.documentElement.setAttribute("data-capture-cache", "cleared");
  }).catch(function () {});
})();
