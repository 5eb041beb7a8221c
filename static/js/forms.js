// Every page: a form's error summary takes the focus when the page loads, so a screen reader
// reads it and a keyboard user starts from it; its links move to the field at fault.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
