// The teams' overview: fetches its view (rendered by the host) again every three seconds.
"use strict";
(function () {
  const root = document.getElementById("teams");
  const base = location.pathname.replace(/\/$/, "");
  function refresh() {
    fetch(base + "/view", { cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        // The host rendered and escaped this fragment; it carries no script.
        root.replaceChildren(document.createRange().createContextualFragment(html));
      })
      .catch(function () {});
  }
  setInterval(refresh, 3000);
})();
