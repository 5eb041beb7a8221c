// The export progress page: polls the job's status every second until it is done or failed,
// then shows the download link or the reason. Without JavaScript, reloading the page works too.
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var state = document.getElementById("export-state");
  var bar = document.getElementById("export-progress");
  var rows = document.getElementById("export-rows");
  var download = document.getElementById("export-download");
  var link = document.getElementById("export-link");
  var detail = document.getElementById("export-detail");
  var expires = document.getElementById("export-expires");
  var number = new Intl.NumberFormat("en-GB");
  var WORDS = {
    queued: "Waiting for a worker to start it…",
    running: "Writing the file…",
    done: "Ready.",
    failed: "It failed."
  };

  function show(job) {
    box.setAttribute("data-status", job.status);
    bar.value = job.progress;
    bar.textContent = job.progress + "%";
    rows.textContent = number.format(job.rows_done) + " of " + number.format(job.rows_total) + " rows written";
    state.textContent = job.status === "done" && !job.download_url ? "Expired." : WORDS[job.status];
    if (job.download_url) {
      link.href = job.download_url;
      expires.textContent = new Date(job.expires_at).toLocaleString("en-GB", {
        day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
        timeZone: "Europe/London"
      });
      download.hidden = false;
    }
    if (job.detail) {
      detail.textContent = job.detail;
      detail.hidden = false;
    }
    return job.status === "queued" || job.status === "running";
  }

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.timeout = 10000;
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      var again = true;
      if (request.status === 200) {
        again = show(JSON.parse(request.responseText));
      }
      if (again) window.setTimeout(poll, 1000);
    };
    request.onerror = request.ontimeout = function () { window.setTimeout(poll, 2000); };
    request.send();
  }

  var status = box.getAttribute("data-status");
  if (status === "queued" || status === "running") window.setTimeout(poll, 500);
})();
