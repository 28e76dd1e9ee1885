/* Menu button for the main navigation on narrow screens. Without this script the button stays
   hidden and the navigation is simply open (progressive enhancement); no third-party code. */
(function () {
  "use strict";
  var button = document.querySelector(".nav-toggle");
  var list = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!list || !window.matchMedia) {
    return;
  }
  var narrow = window.matchMedia("(max-width: 40rem)");
  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    list.hidden = !open;
  }
  function apply() {
    button.hidden = !narrow.matches;
    setOpen(!narrow.matches);
  }
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  list.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches) {
      setOpen(false);
      button.focus();
    }
  });
  if (narrow.addEventListener) {
    narrow.addEventListener("change", apply);
  }
  apply();
})();
