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
  var TIMEOUT = 10000;  // a request that hangs is given up after this, and tried again later
  // The server's totals as last read, and when: at first those the page was served with (a
  // page reopened offline from the phone's copy says how old they are, plus taps waiting).
  var asOf = root.querySelector("[data-as-of]");
  var totals = {
    visitors: Number(root.querySelector("[data-total=visitors]").textContent) || 0,
    mine: { visitors: Number(root.querySelector("[data-total=mine]").textContent) || 0 },
    read: new Date(asOf.getAttribute("data-read"))
  };
  var sentSinceRead = 0;  // my visitors the server took since those totals were read
  var lastLabel = "";

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  /* Keep the queue; a phone whose storage is full is told so (the tap is still sent now). */
  function save(queue) {
    var full = root.querySelector("[data-storage-full]");
    try {
      localStorage.setItem(KEY, JSON.stringify(queue));
      full.hidden = true;
      return true;
    } catch (e) {
      full.hidden = false;
      return false;
    }
  }

  /* fetch with a time limit: a hung request no longer stalls the queue for good. */
  function send(url, options) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT) : null;
    if (controller) options.signal = controller.signal;
    return fetch(url, options).then(function (response) {
      clearTimeout(timer);
      return response;
    }, function (error) {
      clearTimeout(timer);
      throw error;
    });
  }

  /* The CSRF token as the cookie holds it now (it changes when the session changes). */
  function freshToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : csrf;
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function waitingVisitors(queue) {
    return queue.filter(function (e) { return e.state === "waiting"; })
      .reduce(function (sum, e) { return sum + (e.body.visitors || 0); }, 0);
  }

  /* Totals include my taps still waiting, and say when the server's part was read. */
  function showTotals() {
    var queue = load();
    var pending = waitingVisitors(queue);
    var extra = pending + sentSinceRead;
    root.querySelector("[data-total=visitors]").textContent = String(totals.visitors + extra);
    root.querySelector("[data-total=mine]").textContent = String(totals.mine.visitors + extra);
    var at = totals.read;
    root.querySelector("[data-as-of]").textContent = "As of " +
      ("0" + at.getHours()).slice(-2) + ":" + ("0" + at.getMinutes()).slice(-2) +
      (pending ? ", with " + pending + " of my visitors still waiting to send." : ".");
  }

  function acknowledge(label) {
    var queue = load();
    var waiting = queue.filter(function (e) { return e.state === "waiting"; }).length;
    var mine = totals.mine.visitors + sentSinceRead + waitingVisitors(queue);
    lastLabel = label;
    root.querySelector("[data-ack]").textContent =
      label + " · mine today " + mine + " · " + waiting + " waiting";
  }

  function render() {
    var queue = load();
    var waiting = queue.filter(function (e) { return e.state === "waiting"; });
    root.querySelector("[data-waiting]").textContent = String(waiting.length);
    showTotals();
    if (lastLabel) acknowledge(lastLabel);
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
      queue.forEach(function (e) {
        if (e.body.client_ref === ref) sentSinceRead += e.body.visitors || 0;
      });
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

  function post(next) {
    return send(next.url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf,
                 "Idempotency-Key": next.body.client_ref },
      body: JSON.stringify(next.body)
    });
  }

  /* Send waiting entries one at a time, oldest first; stop at the first network failure.
     A 403 after the session changed is tried once more with the cookie's new token before
     the tap is called refused. */
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    var next = load().filter(function (e) { return e.state === "waiting"; })[0];
    if (!next) return Promise.resolve();
    flushing = true;
    return post(next).then(function (response) {
      if (response.status !== 403 || freshToken() === csrf) return response;
      csrf = freshToken();
      return post(next);
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
    send(root.dataset.totals, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (t) {
        if (!t) return;
        ["signups", "crime_reports"].forEach(function (name) {
          root.querySelector("[data-total=" + name + "]").textContent = String(t[name]);
        });
        t.read = new Date();
        totals = t;
        sentSinceRead = 0;
        render();
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
    if (!save(queue)) {
      // Nowhere to keep it: send it now, and say plainly if that fails.
      post(entry).then(function (response) {
        acknowledge(response.ok ? entry.label + " sent" : entry.label + " NOT saved: try again");
        refreshTotals();
      }, function () { acknowledge(entry.label + " NOT saved: no signal and the phone is full"); });
      return;
    }
    if (action === "notes") tapForm.querySelector("[name=notes]").value = "";
    render();
    acknowledge(entry.label);
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
    send(root.dataset.undo, { method: "POST", credentials: "same-origin",
                              headers: { "X-CSRFToken": freshToken(), Accept: "application/json" } })
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
  refreshTotals();
  flush();
})();
