// On a phone the header's navigation, search and account fold behind a "Menü" button, so that the
// page's own content starts on the first screen. Without JavaScript everything stays open.
// Loaded in <head> without defer: the class is set before the header is drawn (no flicker).
(function () {
  "use strict";
  document.documentElement.classList.add("menu-ready");
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    if (!button || !menu) return;
    function show(open) {
      button.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    }
    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        show(false);
        button.focus();
      }
    });
  });
})();
