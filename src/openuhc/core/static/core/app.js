// Behaviour every page shares, without inline scripts (the Content-Security-Policy allows none):
// - the menu: on narrow screens a "Menu" button shows and hides it; one section's list open at a time; a click
//   elsewhere or Escape closes it. Without JavaScript the menu is simply shown in full;
// - <select data-autosubmit>: choosing a value submits its form (the form also has a button, for keyboards and
//   for browsers without JavaScript);
// - <form data-confirm="question">: asks before submitting;
// - a wide table's scrolling box (.scroll) can be reached with the keyboard when it does scroll.
(function () {
  document.documentElement.classList.add("js");
  function closeSections(except) {
    document.querySelectorAll("header.site details.dropdown[open]").forEach(function (d) {
      if (d !== except) { d.removeAttribute("open"); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var header = document.querySelector("header.site");
    if (header) {
      var toggle = header.querySelector(".menu-toggle");
      if (toggle) {
        toggle.addEventListener("click", function () {
          var open = header.classList.toggle("open");
          toggle.setAttribute("aria-expanded", open ? "true" : "false");
        });
      }
      header.querySelectorAll("details.dropdown").forEach(function (d) {
        d.addEventListener("toggle", function () { if (d.open) { closeSections(d); } });
      });
      document.addEventListener("click", function (event) {
        if (!header.contains(event.target)) { closeSections(null); }
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { closeSections(null); }
      });
    }
  });
  function scrollBoxes() {
    document.querySelectorAll(".scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) { box.setAttribute("tabindex", "0"); }
      else { box.removeAttribute("tabindex"); }
    });
  }
  document.addEventListener("DOMContentLoaded", scrollBoxes);
  window.addEventListener("resize", scrollBoxes);
  document.addEventListener("htmx:afterSwap", scrollBoxes);
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) { field.form.submit(); }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
