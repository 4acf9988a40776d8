// Live moderation, as enhancements only: without them the page shows the time as of its last
// load, and the buttons that change the agenda item still save the typed text (they submit it).
(function () {
  "use strict";

  // Leaving the page with minutes text typed and not saved asks first, unless the text form
  // itself is being sent (its "speichern" button, or a button that changes the agenda item).
  var script = document.currentScript;
  var form = document.getElementById("minutes-text-form");
  var text = form && form.querySelector("textarea");
  if (text) {
    var sending = false;
    form.addEventListener("submit", function () { sending = true; });
    window.addEventListener("pageshow", function () { sending = false; });
    window.addEventListener("beforeunload", function (event) {
      if (sending || text.value === text.defaultValue) { return; }
      event.preventDefault();
      event.returnValue = script ? script.dataset.unsaved : "";  // older browsers need a value
      return event.returnValue;
    });
  }

  // The running agenda item's clock.
  var timer = document.getElementById("timer");
  if (!timer || !timer.dataset.started) { return; }
  var started = Date.parse(timer.dataset.started);
  var planned = parseInt(timer.dataset.planned, 10) || 0;
  var shown = timer.querySelector(".timer-text");
  var over = timer.querySelector(".timer-over-text");
  function tick() {
    var elapsed = Math.max(0, Math.floor((Date.now() - started) / 60000));
    var late = elapsed - planned;
    shown.textContent = timer.dataset.running.replace("{e}", elapsed).replace("{p}", planned);
    over.textContent = late > 0 ? "· " + timer.dataset.over.replace("{n}", late) : "";
    timer.classList.toggle("timer-over", late > 0);
  }
  tick();
  window.setInterval(tick, 15000);
}());
