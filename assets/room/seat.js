// A seat's page: keeps a WebSocket to the host, shows what the host pushes and sends what the
// seat's forms say. Everything from the host is written with textContent, never as HTML.
"use strict";
(function () {
  const app = document.getElementById("app");
  const status = document.getElementById("status");
  const el = window.Warroom.el;
  const say = window.Warroom.say;
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

  // An inject the facilitator wrote: its place among those, or undefined.
  function adhocOf(item) {
    return typeof item.kind === "object" ? item.kind.from_facilitator : undefined;
  }

  function feedItem(item) {
    const li = el("li", "item " + (item.kind === "exchange" ? "exchange" : "inject"));
    li.dataset.seq = item.seq;
    const adhoc = adhocOf(item);
    if (adhoc !== undefined) {
      li.dataset.adhoc = adhoc;
      li.appendChild(el("p", "small", "From the facilitator"));
    }
    li.appendChild(el("p", "title", item.text));
    if (item.narrative) li.appendChild(el("p", "", item.narrative));
    if (item.details && item.details.length) {
      const list = el("ul", "plain details");
      item.details.forEach(function (line) { list.appendChild(el("li", "", line)); });
      li.appendChild(list);
    }
    (item.artifacts || []).forEach(function (a) {
      const box = el("div", "artifact");
      box.appendChild(el("p", "title", a.kind + ": " + a.title));
      box.appendChild(el("pre", "", a.body));
      li.appendChild(box);
    });
    return li;
  }

  // New injects: marked in the feed, named in a bar above it with a way to the actions, felt on
  // a phone, and counted in the tab's title while the page is not looked at.
  function announce(arrived) {
    const injects = arrived.filter(function (a) { return a.item.kind !== "exchange"; });
    if (!arrived.length) return;
    feed.querySelectorAll(".item.new").forEach(function (n) { n.classList.remove("new"); });
    arrived.forEach(function (a) { a.li.classList.add("new"); });
    if (!injects.length) return;
    const latest = injects[injects.length - 1].item;
    const bar = document.getElementById("latest");
    document.getElementById("latest-text").textContent = "New: " + latest.text +
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

  function fillChecks(box, name, items) {
    const checked = new Set(Array.from(box.querySelectorAll("input:checked")).map(function (i) { return i.value; }));
    box.replaceChildren();
    items.forEach(function (item) {
      const label = el("label", "choice");
      const input = el("input");
      input.type = "checkbox";
      input.name = name;
      input.value = item.id;
      input.checked = checked.has(item.id);
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + item.name));
      box.appendChild(label);
    });
  }

  function render(msg) {
    const view = msg.view;
    const c = view.choices;
    if (msg.reset) {
      // The facilitator moved this device to another seat: its feed and name replace the old.
      feed.replaceChildren();
      after = 0;
      say("The facilitator moved you to " + view.seat, "ok");
    }
    app.dataset.seat = view.seat_id;
    document.getElementById("seat-name").textContent = view.seat;
    if (msg.reset) {
      baseTitle = view.seat + " \u00b7 Warroom";
      document.title = baseTitle;
    }
    document.getElementById("clock").textContent = "T+" + String(view.minute).padStart(2, "0");
    document.getElementById("severity").textContent = "Severity " + view.severity;
    document.getElementById("impact").textContent = "Business impact " + view.impact + "%";
    document.getElementById("declared").textContent = view.declared ? "Incident declared" : "Not declared";
    document.getElementById("engaged").textContent = "Engaged: " + (view.engaged.length ? view.engaged.join(", ") : "nobody yet");
    document.getElementById("ended").hidden = !view.ended;
    const paused = !!msg.paused;
    document.getElementById("paused").hidden = !paused;
    // Once the exercise has ended nothing more can be decided; the chat stays open. A closed
    // seat sends nothing until the facilitator opens it again.
    document.querySelectorAll("section.actions form:not([data-form=chat]) button")
      .forEach(function (b) { b.disabled = view.ended || paused; });
    document.querySelectorAll("section.actions form[data-form=chat] button")
      .forEach(function (b) { b.disabled = paused; });
    const arrived = [];
    msg.feed.forEach(function (item) {
      const adhoc = adhocOf(item);
      if (adhoc !== undefined) {
        // Sent again after a reconnect: the page may have it already.
        if (feed.querySelector('[data-adhoc="' + adhoc + '"]')) return;
      } else if (item.seq < after && feed.querySelector('[data-seq="' + item.seq + '"]:not([data-adhoc])')) {
        return;
      }
      const li = feedItem(item);
      feed.insertBefore(li, feed.firstChild);
      if (adhoc === undefined) after = Math.max(after, item.seq);
      arrived.push({ item: item, li: li });
    });
    if (!firstRender && !msg.reset) announce(arrived);
    firstRender = false;
    fillSelect(document.getElementById("as"), c.as_roles);
    document.querySelectorAll("select[data-choices]").forEach(function (select) {
      const items = c[select.dataset.choices] || [];
      fillSelect(select, items);
    });
    // Classifying starts from the severity in force, not the lowest level; a choice being made
    // is kept until the severity itself changes.
    const classify = document.getElementById("classify-level");
    const level = String(view.severity_level);
    if (classify.dataset.shown !== level) {
      classify.value = level;
      classify.dataset.shown = level;
    }
    document.querySelectorAll(".checks[data-list]").forEach(function (box) {
      const list = box.dataset.list;
      fillChecks(box, list, c[list] || []);
    });
    const approve = document.getElementById("to-approve");
    approve.replaceChildren();
    c.to_approve.forEach(function (p) {
      const li = el("li", "", p.label + " ");
      const button = el("button", "", "Approve");
      button.type = "button";
      button.disabled = view.ended;
      button.addEventListener("click", function () { send({ t: "intent", intent: p.grant }, li); });
      li.appendChild(button);
      approve.appendChild(li);
    });
    document.getElementById("approve-count").textContent = c.to_approve.length ? " (" + c.to_approve.length + ")" : "";
    const chat = document.getElementById("chat");
    const fromFacilitator = msg.chat.filter(function (l) { return l.from_facilitator; }).length;
    // A new word from the facilitator opens the chat, so it is not missed.
    if (fromFacilitator > seenFromFacilitator && seenFromFacilitator >= 0) {
      document.getElementById("chat-box").open = true;
    }
    seenFromFacilitator = fromFacilitator;
    document.getElementById("chat-count").textContent = msg.chat.length ? " (" + msg.chat.length + ")" : "";
    chat.replaceChildren();
    msg.chat.forEach(function (line) {
      const who = line.from_facilitator ? "Facilitator" : line.person;
      chat.appendChild(el("li", line.from_facilitator ? "facilitator" : "", "T+" + String(line.minute).padStart(2, "0") + " " + who + ": " + line.text));
    });
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
  document.querySelectorAll("button[data-grant]").forEach(function (button) {
    button.addEventListener("click", function () { send({ t: "intent", intent: JSON.parse(button.dataset.grant) }); });
  });
  // The page asks to catch up from what it has, for the seat it shows.
  const link = window.Warroom.live(function () {
    return app.dataset.ws + "?after=" + after + "&seat=" + encodeURIComponent(app.dataset.seat || "");
  }, { message: receive });
})();
