// The headless host's console: the clock, the seats and their chat, kept current over a WebSocket.
// The host draws every part of the page; this script puts the parts in place after each change
// and sends what the facilitator's controls say.
"use strict";
(function () {
  const app = document.getElementById("app");
  const say = window.Warroom.say;
  const drawn = window.Warroom.drawn;
  const fillSelect = window.Warroom.fillSelect;
  function send(message) {
    link.send(message);
  }
  const seats = document.querySelector("#seats tbody");
  function render(msg) {
    const page = msg.page;
    document.getElementById("clock").textContent = page.clock;
    fillSelect(document.getElementById("release"), page.release);
    seats.replaceChildren(drawn(page.seats));
    fillSelect(document.getElementById("chat-seat"), page.chat_seats);
    document.getElementById("chat").replaceChildren(drawn(page.chat));
    if (msg.ended) say("The exercise has ended", "");
  }
  // The seats' rows are redrawn after every change: one listener each for all their controls.
  seats.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.op) {
      if (button.dataset.op === "remove" && !confirm("Remove this seat and send its devices away?")) return;
      send({ t: "seat", seat: button.dataset.seat, op: button.dataset.op });
    } else if (button.dataset.removeDevice) {
      if (!confirm("Send " + button.dataset.person + " away? Their page says so and how to join again.")) return;
      send({ t: "device", device: Number(button.dataset.removeDevice) });
    }
  });
  seats.addEventListener("change", function (event) {
    const select = event.target;
    if (!select.value) return;
    if (select.dataset.move) send({ t: "device", device: Number(select.dataset.move), to: select.value });
    else if (select.dataset.combine) send({ t: "seat", seat: select.dataset.combine, op: { combine: select.value } });
  });
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
