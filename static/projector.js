/* The projector updates by itself: a poll every second that costs nothing when the summary
 * has not changed (the server answers 304 from its cache). */
(function () {
  "use strict";
  var root = document.getElementById("projector");
  if (!root) return;
  var etag = root.dataset.etag;
  function poll() {
    fetch(root.dataset.pollUrl, { headers: { "If-None-Match": etag }, cache: "no-store" })
      .then(function (r) {
        if (r.status !== 200) return null;
        etag = r.headers.get("ETag") || etag;
        return r.json();
      })
      .then(function (data) {
        if (!data) return;
        root.querySelector("[data-summary]").innerHTML = data.html;
        root.querySelector("[data-count]").textContent = data.count;
        root.querySelector("[data-waiting]").textContent = data.waiting;
        root.querySelector("[data-closed]").hidden = data.state !== "closed";
      })
      .catch(function () {});
  }
  setInterval(poll, 1000);
})();
