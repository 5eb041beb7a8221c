// Lists and the dashboard: on a phone the filters fold behind their "Filter" summary (which
// counts those in use), so the list itself is on the first screen. Wider screens, and
// browsers without JavaScript, keep them open.
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 640px)").matches) return;
  document.querySelectorAll("details[data-collapse-narrow]").forEach(function (box) {
    if (!box.querySelector(".field-error, .error-message")) box.open = false;
  });
})();
