// Wide tables scroll sideways inside their .table-wrap box on small screens. Keyboard users
// can only scroll a box they can reach: while a box scrolls it becomes a named, focusable
// region (named after its table's caption). Only an enhancement: without it the box still
// scrolls with a mouse or a finger.
(function () {
  "use strict";
  var fallback = (document.currentScript && document.currentScript.dataset.label) || "";
  function mark() {
    var boxes = document.querySelectorAll(".table-wrap");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        var label = caption && caption.textContent.trim();
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", label || fallback);
        box.dataset.scrollable = "1";
      } else if (!scrolls && box.dataset.scrollable) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.scrollable;
      }
    }
  }
  mark();
  var pending;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(mark, 150);
  });
}());
