// A read-only page (the projector, the teams' overview): redraws its view, rendered by the host,
// when the host says something changed (a WebSocket), or every few seconds (`data-poll`).
"use strict";
(function () {
  const root = document.querySelector("[data-view]");
  const base = location.pathname.replace(/\/$/, "");
  let retry = 0;
  function refresh() {
    fetch(base + "/view", { cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        // The host rendered and escaped this fragment; it carries no script.
        root.replaceChildren(document.createRange().createContextualFragment(html));
      })
      .catch(function () {});
  }
  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(scheme + "//" + location.host + base + "/ws");
    socket.onopen = function () { retry = 0; refresh(); };
    socket.onmessage = refresh;
    socket.onclose = function () { retry = Math.min(retry + 1, 5); setTimeout(connect, retry * 1000); };
  }
  if (root.dataset.poll) {
    setInterval(refresh, Number(root.dataset.poll));
  } else {
    connect();
  }
})();
