// A form sent back with errors: move the focus to the list of errors at its top, so that a
// screen-reader or keyboard user lands on what went wrong; each entry links to its field.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    field.focus();
    field.scrollIntoView({block: "center"});
  });
})();

// A button whose form says data-confirm asks before it sends (a step that cannot be undone, such
// as opening a survey to everyone). Without JavaScript the form is sent at once.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
