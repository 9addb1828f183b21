// Copy buttons of the public award page: [data-copy-from] names the element whose text (or value)
// is copied. [data-record] also tells the server the earner copied the link (award.shared).
// Progressive enhancement: without this file every value can still be selected and copied.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-copy-from]");
  if (!button) {
    return;
  }
  var source = document.getElementById(button.getAttribute("data-copy-from"));
  var status = document.querySelector("[data-copy-status]");
  if (!source) {
    return;
  }
  var text = source.matches("input, textarea") ? source.value : source.textContent;
  var say = function (key) {
    if (status) {
      status.textContent = status.getAttribute(key) || "";
    }
  };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(text.trim()).then(function () { say("data-copied"); },
      function () { say("data-failed"); });
  } else {
    say("data-failed");
  }
  var record = button.getAttribute("data-record");
  if (record) {
    var body = new FormData();
    body.append("csrf_token", button.getAttribute("data-csrf") || "");
    fetch(record, { method: "POST", body: body, credentials: "same-origin" }).catch(function () {});
  }
});
