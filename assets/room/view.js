// A read-only page (the projector, the teams' overview): redraws its view, rendered by the host,
// when the host says something changed (a WebSocket), or every few seconds (`data-poll`).
"use strict";
(function () {
  const root = document.querySelector("[data-view]");
  const base = location.pathname.replace(/\/$/, "");
  function refresh() {
    fetch(base + "/view", { cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        // The host rendered and escaped this fragment; it carries no script.
        root.replaceChildren(window.Warroom.drawn(html));
      })
      .catch(function () {});
  }
  if (root.dataset.poll) {
    setInterval(refresh, Number(root.dataset.poll));
  } else {
    window.Warroom.live(function () { return base + "/ws"; }, { open: refresh, message: refresh });
  }
})();
