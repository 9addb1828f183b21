// Follows a data export on the settings page: asks its status every 2 s, moves the progress bar,
// and reloads the page once the export is finished so its download link shows. Without this
// file the page offers a refresh link instead.
(function () {
  var box = document.querySelector("[data-export-status]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-export-status");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-export-text]");

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data.status !== "queued" && data.status !== "running") {
          window.location.reload();
          return;
        }
        bar.max = Math.max(data.total, 1);
        bar.value = data.done;
        bar.textContent = data.done + " / " + data.total;
        if (text.textContent !== data.message) {
          text.textContent = data.message;
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () {
        // A network hiccup or a signed-out session: try again, more slowly.
        window.setTimeout(poll, 10000);
      });
  }

  window.setTimeout(poll, 2000);
})();
