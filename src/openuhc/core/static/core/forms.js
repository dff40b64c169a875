// Behaviour that used to sit in on...= attributes (the Content-Security-Policy runs no inline script):
//   <select data-autosubmit>        submits its form when the choice changes
//   <form data-confirm="Sure?">     asks before submitting
(function () {
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
