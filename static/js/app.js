// Progressive enhancement only: every page works without this file.
// Forms marked data-confirm ask before submitting (destructive actions also have a confirm page).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute && form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
