// What the room's pages share: building elements, the status line, filling a list, and a live
// connection to the host that comes back by itself. Loaded before each page's own script.
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

  // Fills a list with `{id, name, prompt?}` items, keeping the choice being made when it is
  // still offered.
  function fillSelect(select, items) {
    const keep = select.value;
    select.replaceChildren();
    items.forEach(function (item) {
      const option = el("option", "", item.name);
      option.value = item.id;
      if (item.prompt) option.title = item.prompt;
      select.appendChild(option);
    });
    if (items.some(function (i) { return i.id === keep; })) select.value = keep;
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

  return { el: el, say: say, fillSelect: fillSelect, live: live };
})();
