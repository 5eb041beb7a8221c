/* Outreach capture page: every tap is an entry with its own reference and time, kept on
   the phone (localStorage) until the server acknowledges it, sent in order when the network
   is back. The server stores a reference once, however many times it arrives. */
(function () {
  "use strict";
  var root = document.querySelector("[data-capture]");
  if (!root || !window.localStorage || !window.fetch) return;  // plain forms still work

  var KEY = "outreach-queue-v1-user-" + root.dataset.user;
  var tapForm = root.querySelector("[data-tap-form]");
  var undoForm = root.querySelector("[data-undo-form]");
  var csrf = tapForm.querySelector("[name=csrfmiddlewaretoken]").value;
  var flushing = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(KEY, JSON.stringify(queue)); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function render() {
    var queue = load();
    var waiting = queue.filter(function (e) { return e.state === "waiting"; });
    root.querySelector("[data-waiting]").textContent = String(waiting.length);
    root.querySelector("[data-offline]").hidden = navigator.onLine;
    var list = root.querySelector("[data-refused]");
    list.textContent = "";
    queue.filter(function (e) { return e.state === "refused"; }).forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = "Refused: " + e.label + " — " + e.reason + " ";
      var dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "link-button dismiss";
      dismiss.textContent = "Dismiss";
      dismiss.addEventListener("click", function () {
        save(load().filter(function (x) { return x.body.client_ref !== e.body.client_ref; }));
        render();
      });
      li.appendChild(dismiss);
      list.appendChild(li);
    });
  }

  function entryFor(action) {
    var body = { visitors: 0, signups: 0, crime_reports: 0, topics: [], notes: "",
                 recorded_at: new Date().toISOString(), client_ref: uuid() };
    var label = action;
    if (action === "visitor") { body.visitors = 1; label = "+1 visitor"; }
    else if (action === "signup") { body.signups = 1; label = "+1 sign-up"; }
    else if (action === "crime_report") { body.crime_reports = 1; label = "+1 crime report"; }
    else if (action.indexOf("topic:") === 0) {
      body.topics = [{ topic: action.slice(6), count: 1 }];
      label = "topic " + action.slice(6);
    } else if (action === "notes") {
      body.notes = tapForm.querySelector("[name=notes]").value;
      if (!body.notes.trim()) return null;
      label = "note";
    } else { return null; }
    return { url: root.dataset.api, event: root.dataset.event, body: body, label: label,
             state: "waiting", reason: "" };
  }

  function settle(ref, outcome, reason) {
    var queue = load();
    if (outcome === "ok") {
      queue = queue.filter(function (e) { return e.body.client_ref !== ref; });
    } else {
      queue.forEach(function (e) {
        if (e.body.client_ref === ref) { e.state = "refused"; e.reason = reason; }
      });
    }
    save(queue);
    render();
  }

  function describe(response) {
    return response.json().then(function (data) {
      return typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail);
    }, function () { return "HTTP " + response.status; });
  }

  /* Send waiting entries one at a time, oldest first; stop at the first network failure. */
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    var next = load().filter(function (e) { return e.state === "waiting"; })[0];
    if (!next) return Promise.resolve();
    flushing = true;
    return fetch(next.url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf,
                 "Idempotency-Key": next.body.client_ref },
      body: JSON.stringify(next.body)
    }).then(function (response) {
      if (response.ok) { settle(next.body.client_ref, "ok"); return true; }
      if (response.status === 401 || response.status === 429 || response.status >= 500) {
        return false;  // not refused for good: sign in again or try later
      }
      return describe(response).then(function (reason) {
        settle(next.body.client_ref, "refused", reason);
        return true;
      });
    }, function () { return false; }).then(function (carryOn) {
      flushing = false;
      if (carryOn) { refreshTotals(); return flush(); }
    });
  }

  function refreshTotals() {
    if (!navigator.onLine) return;
    fetch(root.dataset.totals, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (t) {
        if (!t) return;
        ["visitors", "signups", "crime_reports"].forEach(function (name) {
          root.querySelector("[data-total=" + name + "]").textContent = String(t[name]);
        });
        root.querySelector("[data-total=mine]").textContent = String(t.mine.visitors);
        var list = root.querySelector("[data-total=topics]");
        list.textContent = "";
        (t.topics.length ? t.topics : [{ name: "None yet", mentions: null }]).forEach(function (x) {
          var li = document.createElement("li");
          li.textContent = x.mentions === null ? x.name : x.name + ": " + x.mentions;
          list.appendChild(li);
        });
      }, function () {});
  }

  tapForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var action = event.submitter ? event.submitter.value : "visitor";
    var entry = entryFor(action);
    if (!entry) return;
    var queue = load();
    queue.push(entry);
    save(queue);
    if (action === "notes") tapForm.querySelector("[name=notes]").value = "";
    render();
    flush();
  });

  undoForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var queue = load();
    for (var i = queue.length - 1; i >= 0; i--) {
      if (queue[i].state === "waiting" && queue[i].event === root.dataset.event) {
        queue.splice(i, 1);  // never sent: undo it here
        save(queue);
        render();
        return;
      }
    }
    fetch(root.dataset.undo, { method: "POST", credentials: "same-origin",
                               headers: { "X-CSRFToken": csrf, Accept: "application/json" } })
      .then(refreshTotals, function () {});
  });

  window.addEventListener("online", function () { render(); flush(); });
  window.addEventListener("offline", render);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) flush(); });
  setInterval(function () { flush(); }, 4000);
  setInterval(refreshTotals, 15000);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var keep = [location.href];
      document.querySelectorAll("link[rel=stylesheet], script[src]").forEach(function (el) {
        keep.push(el.href || el.src);
      });
      registration.active.postMessage({ keep: keep });
    }).catch(function () {});
  }
  render();
  flush();
})();
