// Live moderation: keeps the running agenda item's clock current while the page stays open.
// Only an enhancement: without it the page shows the time as of its last load.
(function () {
  "use strict";
  var timer = document.getElementById("timer");
  if (!timer || !timer.dataset.started) { return; }
  var started = Date.parse(timer.dataset.started);
  var planned = parseInt(timer.dataset.planned, 10) || 0;
  var text = timer.querySelector(".timer-text");
  var over = timer.querySelector(".timer-over-text");
  function tick() {
    var elapsed = Math.max(0, Math.floor((Date.now() - started) / 60000));
    var late = elapsed - planned;
    text.textContent = timer.dataset.running.replace("{e}", elapsed).replace("{p}", planned);
    over.textContent = late > 0 ? "· " + timer.dataset.over.replace("{n}", late) : "";
    timer.classList.toggle("timer-over", late > 0);
  }
  tick();
  window.setInterval(tick, 15000);
}());
