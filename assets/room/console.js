// The headless host's console: the clock, the seats and their chat, kept current over a WebSocket.
"use strict";
(function () {
  const app = document.getElementById("app");
  const el = window.Warroom.el;
  const say = window.Warroom.say;
  const fillSelect = window.Warroom.fillSelect;
  function send(message) {
    link.send(message);
  }
  function ago(secs) {
    if (secs === null || secs === undefined) return "\u2014";
    if (secs < 60) return secs + " s ago";
    return Math.floor(secs / 60) + " min ago";
  }
  function seatButton(label, seat, op) {
    const button = el("button", "", label);
    button.type = "button";
    if (op === "close") button.title = "Pauses the seat: its devices keep their places and act again when you open it";
    button.addEventListener("click", function () {
      if (op === "remove" && !confirm("Remove this seat and send its devices away?")) return;
      send({ t: "seat", seat: seat, op: op });
    });
    return button;
  }
  function deviceControls(device, seats) {
    const box = el("div", "device");
    box.appendChild(el("span", "", "#" + device.number + " " + device.person + " "));
    const move = el("select");
    move.setAttribute("aria-label", "Move " + device.person + " to");
    const stay = el("option", "", "Move to\u2026");
    stay.value = "";
    move.appendChild(stay);
    seats.forEach(function (s) {
      const option = el("option", "", s.name);
      option.value = s.id;
      move.appendChild(option);
    });
    move.addEventListener("change", function () {
      if (move.value) send({ t: "device", device: device.number, to: move.value });
    });
    box.appendChild(move);
    const remove = el("button", "", "Remove");
    remove.type = "button";
    remove.addEventListener("click", function () {
      if (!confirm("Send " + device.person + " away? Their page says so and how to join again.")) return;
      send({ t: "device", device: device.number });
    });
    box.appendChild(remove);
    return box;
  }
  function render(view) {
    document.getElementById("clock").textContent = "T+" + String(view.minute).padStart(2, "0");
    fillSelect(document.getElementById("release"), view.pending);
    const body = document.querySelector("#seats tbody");
    body.replaceChildren();
    view.seats.forEach(function (s) {
      const row = el("tr");
      row.appendChild(el("td", "", s.name + (s.open ? "" : " (closed)")));
      const people = el("td");
      if (!s.devices.length) people.textContent = s.open ? "nobody yet" : "\u2014";
      s.devices.forEach(function (d) { people.appendChild(deviceControls(d, view.seats.filter(function (o) { return o.id !== s.id; }))); });
      row.appendChild(people);
      row.appendChild(el("td", "", s.connected ? s.connected + " connected" : s.devices.length ? "not connected" : "\u2014"));
      row.appendChild(el("td", "", String(s.intents)));
      row.appendChild(el("td", "", ago(s.idle_secs)));
      const actions = el("td");
      const act = el("a", "", "Act for this seat");
      act.href = s.act_url;
      act.target = "_blank";
      actions.appendChild(act);
      actions.appendChild(s.open ? seatButton("Close", s.id, "close") : seatButton("Open", s.id, "open"));
      actions.appendChild(seatButton("Remove", s.id, "remove"));
      if (s.roles > 1) actions.appendChild(seatButton("Split", s.id, "split"));
      const combine = el("select");
      combine.setAttribute("aria-label", "Combine " + s.name + " with");
      const none = el("option", "", "Combine with\u2026");
      none.value = "";
      combine.appendChild(none);
      view.seats.filter(function (o) { return o.id !== s.id; }).forEach(function (o) {
        const option = el("option", "", o.name);
        option.value = o.id;
        combine.appendChild(option);
      });
      combine.addEventListener("change", function () {
        if (combine.value) send({ t: "seat", seat: s.id, op: { combine: combine.value } });
      });
      actions.appendChild(combine);
      row.appendChild(actions);
      body.appendChild(row);
    });
    fillSelect(document.getElementById("chat-seat"), view.seats.map(function (s) { return { id: s.id, name: s.name }; }));
    const chat = document.getElementById("chat");
    chat.replaceChildren();
    view.chat.forEach(function (line) {
      const who = line.from_facilitator ? "You to " + line.seat_name : line.person + " (" + line.seat_name + ")";
      chat.appendChild(el("li", line.from_facilitator ? "facilitator" : "", "T+" + String(line.minute).padStart(2, "0") + " " + who + ": " + line.text));
    });
    if (view.ended) say("The exercise has ended", "");
  }
  document.querySelectorAll("button[data-advance]").forEach(function (button) {
    button.addEventListener("click", function () { send({ t: "form", fields: { form: "advance", minutes: button.dataset.advance } }); });
  });
  document.getElementById("end").addEventListener("click", function () {
    if (confirm("End the exercise for every seat?")) send({ t: "form", fields: { form: "end" } });
  });
  document.querySelector('form[data-form="release"]').addEventListener("submit", function (event) {
    event.preventDefault();
    const inject = document.getElementById("release").value;
    if (inject) send({ t: "form", fields: { form: "release", inject: inject } });
  });
  document.querySelector('form[data-form="chat"]').addEventListener("submit", function (event) {
    event.preventDefault();
    const form = event.target;
    send({ t: "chat", seat: form.elements.seat.value, text: form.elements.text.value });
    form.elements.text.value = "";
  });
  const link = window.Warroom.live(function () { return app.dataset.ws; }, {
    message: function (msg) {
      if (msg.t === "console") render(msg);
      else if (msg.t === "refused") say(msg.reason, "refused");
      else if (msg.t === "ack") say("Done", "ok");
    },
  });
})();
