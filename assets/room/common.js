// What the room's pages share: building elements, putting in place what the host drew, the
// status line, and a live connection to the host that comes back by itself. Loaded before each
// page's own script.
"use strict";
window.Warroom = (function () {
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The page's status line, if it has one.
  function say(text, kind) {
    const status = document.getElementById("status");
    if (!status) return;
    status.textContent = text;
    status.className = kind || "";
  }

  // Markup the host drew (and escaped; it carries no script), as nodes to put in place.
  function drawn(html) {
    return document.createRange().createContextualFragment(html);
  }

  // Puts a list's options as the host drew them, keeping the choice being made while it is
  // still offered.
  function fillSelect(select, html) {
    const keep = select.value;
    select.replaceChildren(drawn(html));
    if (Array.from(select.options).some(function (o) { return o.value === keep; })) select.value = keep;
  }

  // Keeps a WebSocket to the address `path()` gives (asked again on each reconnection), coming
  // back after a growing pause when it is lost. `handlers.message(msg)` gets each message,
  // `handlers.open()` each (re)connection. Returns `send(message)`, which numbers the message
  // and gives its number (null when not connected), and `stop()`.
  function live(path, handlers) {
    let socket = null;
    let retry = 0;
    let stopped = false;
    let nextId = 1;
    function connect() {
      const scheme = location.protocol === "https:" ? "wss:" : "ws:";
      socket = new WebSocket(scheme + "//" + location.host + path());
      socket.onopen = function () {
        retry = 0;
        say("Connected", "ok");
        if (handlers.open) handlers.open();
      };
      socket.onmessage = function (event) {
        if (handlers.message) handlers.message(JSON.parse(event.data));
      };
      socket.onclose = function () {
        if (stopped) return;
        retry = Math.min(retry + 1, 5);
        say("Connection lost; reconnecting\u2026", "refused");
        setTimeout(connect, retry * 1000);
      };
    }
    connect();
    return {
      send: function (message) {
        if (!socket || socket.readyState !== WebSocket.OPEN) {
          say("Not connected yet; try again in a moment", "refused");
          return null;
        }
        message.id = nextId++;
        socket.send(JSON.stringify(message));
        return message.id;
      },
      stop: function () {
        stopped = true;
        if (socket) socket.close();
      },
    };
  }

  return { el: el, say: say, drawn: drawn, fillSelect: fillSelect, live: live };
})();
