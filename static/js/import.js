// The bulk import page: while the job runs, ask how far it has come every 2 s, move the bar,
// and reload the page (its list of results) once every file is checked.
// Progressive enhancement only: without this file the page offers a refresh link.
(function () {
  var box = document.querySelector("[data-import-status]");
  if (!box || box.getAttribute("data-import-finished") === "true" || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-import-status");
  var bar = document.getElementById("import-bar");
  var count = document.getElementById("import-count");
  var template = count.getAttribute("data-template");
  var lastDone = -1;

  function show(progress) {
    bar.max = progress.total;
    bar.value = progress.done;
    // Only when it changed, so screen readers are not told the same number every 2 s.
    if (progress.done !== lastDone) {
      lastDone = progress.done;
      count.textContent = template
        .replace("{done}", String(progress.done))
        .replace("{total}", String(progress.total));
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (progress) {
        show(progress);
        if (progress.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        // A network hiccup: try again a little later; the refresh link still works.
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 2000);
})();
