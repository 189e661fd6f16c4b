// A seat's page: keeps a WebSocket to the host, puts in place the parts of the page the host
// draws after every change (the host escapes everything in them; they carry no script), and
// sends what the seat's forms say.
"use strict";
(function () {
  const app = document.getElementById("app");
  const status = document.getElementById("status");
  const el = window.Warroom.el;
  const say = window.Warroom.say;
  const drawn = window.Warroom.drawn;
  const fillSelect = window.Warroom.fillSelect;
  const feed = document.getElementById("feed");
  let after = Number(app.dataset.after || "0");
  // What each request was sent from (a form, or an approval's row): its outcome is said there.
  const pendingForms = new Map();
  let seenFromFacilitator = -1;
  let firstRender = true;
  let unseen = 0;
  let baseTitle = document.title;

  // Says the outcome of a request beside the control that sent it, where the person is looking.
  function tell(place, text, kind) {
    if (!place) return;
    let line = place.querySelector(":scope > .outcome");
    if (!line) {
      line = el("p", "outcome");
      line.setAttribute("role", "status");
      place.appendChild(line);
    }
    line.textContent = text;
    line.className = "outcome " + (kind || "");
  }

  function receive(msg) {
    if (msg.t === "update") {
      render(msg);
    } else if (msg.t === "ack") {
      const place = pendingForms.get(msg.id);
      pendingForms.delete(msg.id);
      if (place && place.tagName === "FORM") place.reset();
      tell(place, "Done", "ok");
      say("Done", "ok");
    } else if (msg.t === "refused") {
      const place = pendingForms.get(msg.id);
      pendingForms.delete(msg.id);
      tell(place, msg.reason, "refused");
      say(msg.reason, "refused");
    } else if (msg.t === "gone") {
      link.stop();
      say(msg.reason, "refused");
      if (msg.rejoin) {
        const link = el("a", "", "Join the room again");
        link.href = msg.rejoin;
        status.appendChild(document.createTextNode(" "));
        status.appendChild(link);
      }
      document.querySelectorAll("button, input, select, textarea").forEach(function (n) { n.disabled = true; });
    }
  }

  // New injects: marked in the feed, named in a bar above it with a way to the actions, felt on
  // a phone, and counted in the tab's title while the page is not looked at.
  function announce(arrived) {
    const injects = arrived.filter(function (a) { return a.item.inject; });
    if (!arrived.length) return;
    feed.querySelectorAll(".item.new").forEach(function (n) { n.classList.remove("new"); });
    arrived.forEach(function (a) { a.li.classList.add("new"); });
    if (!injects.length) return;
    const latest = injects[injects.length - 1].item;
    const bar = document.getElementById("latest");
    document.getElementById("latest-text").textContent = "New: " + latest.title +
      (injects.length > 1 ? " (and " + (injects.length - 1) + " more)" : "");
    bar.hidden = false;
    // A phone in a pocket or scrolled to the actions still notices.
    if (navigator.vibrate) navigator.vibrate(200);
    if (document.hidden) {
      unseen += injects.length;
      document.title = "(" + unseen + " new) " + baseTitle;
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      unseen = 0;
      document.title = baseTitle;
    }
  });

  // A group's boxes as the host drew them, keeping what the person ticked while it is offered.
  function fillChecks(box, html) {
    const checked = new Set(Array.from(box.querySelectorAll("input:checked")).map(function (i) { return i.value; }));
    box.replaceChildren(drawn(html));
    box.querySelectorAll("input").forEach(function (i) { i.checked = checked.has(i.value); });
  }

  function render(msg) {
    const page = msg.page;
    if (msg.reset) {
      // The facilitator moved this device to another seat: its feed and name replace the old.
      feed.replaceChildren();
      after = 0;
      say("The facilitator moved you to " + page.seat, "ok");
      baseTitle = page.seat + " \u00b7 Warroom";
      document.title = baseTitle;
    }
    app.dataset.seat = page.seat_id;
    document.getElementById("seat-name").textContent = page.seat;
    document.getElementById("board").replaceChildren(drawn(page.board));
    document.getElementById("ended").hidden = !page.ended;
    const paused = !!msg.paused;
    document.getElementById("paused").hidden = !paused;
    // Once the exercise has ended nothing more can be decided; the chat stays open. A closed
    // seat sends nothing until the facilitator opens it again.
    document.querySelectorAll("section.actions form:not([data-form=chat]) button")
      .forEach(function (b) { b.disabled = page.ended || paused; });
    document.querySelectorAll("section.actions form[data-form=chat] button")
      .forEach(function (b) { b.disabled = paused; });
    const arrived = [];
    page.feed.forEach(function (item) {
      if (item.adhoc !== undefined) {
        // Sent again after a reconnect: the page may have it already.
        if (feed.querySelector('[data-adhoc="' + item.adhoc + '"]')) return;
      } else if (item.seq < after && feed.querySelector('[data-seq="' + item.seq + '"]:not([data-adhoc])')) {
        return;
      }
      const li = drawn(item.html).firstElementChild;
      feed.insertBefore(li, feed.firstChild);
      if (item.adhoc === undefined) after = Math.max(after, item.seq);
      arrived.push({ item: item, li: li });
    });
    if (!firstRender && !msg.reset) announce(arrived);
    firstRender = false;
    document.querySelectorAll("select[data-choices]").forEach(function (select) {
      fillSelect(select, page.lists[select.dataset.choices] || "");
    });
    // Classifying starts from the severity in force, not the lowest level; a choice being made
    // is kept until the severity itself changes.
    const classify = document.getElementById("classify-level");
    if (classify.dataset.shown !== page.severity_level) {
      classify.value = page.severity_level;
      classify.dataset.shown = page.severity_level;
    }
    document.querySelectorAll(".checks[data-list]").forEach(function (box) {
      fillChecks(box, page.checks[box.dataset.list] || "");
    });
    document.getElementById("to-approve").replaceChildren(drawn(page.to_approve));
    document.getElementById("approve-count").textContent = page.approve_count;
    // A new word from the facilitator opens the chat, so it is not missed.
    if (page.from_facilitator > seenFromFacilitator && seenFromFacilitator >= 0) {
      document.getElementById("chat-box").open = true;
    }
    seenFromFacilitator = page.from_facilitator;
    document.getElementById("chat-count").textContent = page.chat_count;
    document.getElementById("chat").replaceChildren(drawn(page.chat));
  }

  function send(message, form) {
    const id = link.send(message);
    if (id === null) return;
    if (form) {
      pendingForms.set(id, form);
      tell(form, "Sending\u2026", "");
    }
    say("Sending\u2026", "");
  }

  // A form's fields by their names, as the host reads them: ticked boxes as lists, the button
  // that sent the form (when it has a name), everything else as text. The host turns them into
  // the engine's intent, so this page knows nothing of the engine's types.
  function fieldsOf(form, submitter) {
    const fields = { form: form.dataset.form };
    Array.from(form.elements).forEach(function (input) {
      if (!input.name) return;
      if (input.type === "checkbox") {
        fields[input.name] = fields[input.name] || [];
        if (input.checked) fields[input.name].push(input.value);
      } else if (input.tagName === "BUTTON") {
        if (input === submitter) fields[input.name] = input.value;
      } else {
        fields[input.name] = input.value;
      }
    });
    return fields;
  }

  document.querySelectorAll("form[data-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const kind = form.dataset.form;
      if (kind === "chat") {
        send({ t: "chat", text: form.elements.text.value }, form);
        return;
      }
      const as = document.getElementById("as").value;
      send({ t: "form", as: as, fields: fieldsOf(form, event.submitter) }, form);
    });
  });
  // Approvals are redrawn after every change: one listener for all of them, now and later.
  document.getElementById("to-approve").addEventListener("click", function (event) {
    const button = event.target.closest("button[data-grant]");
    if (button) send({ t: "intent", intent: JSON.parse(button.dataset.grant) }, button.parentElement);
  });
  // The page asks to catch up from what it has, for the seat it shows.
  const link = window.Warroom.live(function () {
    return app.dataset.ws + "?after=" + after + "&seat=" + encodeURIComponent(app.dataset.seat || "");
  }, { message: receive });
})();
