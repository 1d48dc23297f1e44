/* A workspace that stays current: new posts and comments appear without a reload. Polls every
 * few seconds while the page is visible; the answer is empty when nothing changed. */
(function () {
  "use strict";
  var feed = document.getElementById("feed");
  if (!feed) return;
  var busy = false;
  function poll() {
    if (busy || document.visibilityState !== "visible") return;
    busy = true;
    var url =
      feed.dataset.updatesUrl +
      "?after=" +
      feed.dataset.after +
      "&comments_after=" +
      feed.dataset.commentsAfter;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (data) {
        if (!data) return;
        var empty = feed.querySelector(".empty");
        data.posts.forEach(function (html) {
          if (empty) {
            empty.remove();
            empty = null;
          }
          feed.insertAdjacentHTML("afterbegin", html);
        });
        data.comments.forEach(function (c) {
          var list = feed.querySelector("[data-comments='" + c.post + "']");
          if (list) list.insertAdjacentHTML("beforeend", c.html);
        });
        feed.dataset.after = data.after;
        feed.dataset.commentsAfter = data.comments_after;
      })
      .catch(function () {})
      .then(function () {
        busy = false;
      });
  }
  setInterval(poll, 3000);
  document.addEventListener("visibilitychange", poll);
  // Each post is sent once, even after a double tap.
  var composer = document.querySelector(".composer");
  if (composer) {
    composer.querySelector("[name=client_key]").value =
      window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Date.now());
    composer.addEventListener("submit", function () {
      composer.querySelector("button[type=submit]").disabled = true;
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
  // Peer coaching: a gentle nudge towards questions.
  document.addEventListener("input", function (event) {
    if (!event.target.matches("textarea[data-coaching]")) return;
    var hint = event.target.parentNode.querySelector(".coaching-hint");
    if (hint)
      hint.hidden = event.target.value.length < 20 || event.target.value.indexOf("?") !== -1;
  });
})();
