//! The room's pages, rendered on the host with maud (which escapes every value it inserts). Each
//! page loads one script file of its own; no page carries inline script, and the
//! Content-Security-Policy forbids it, so nothing a scenario or a person wrote can run.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::state::Hosted;
use crate::engine::exercise::projector_feed;
use crate::engine::room::{ActionChoice, FeedItem, FeedKind, Named, SeatRecord, SeatView};

fn page(title: &str, script: Option<&str>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " \u{b7} Warroom" }
                link rel="stylesheet" href="/static/room.css";
                @if let Some(script) = script {
                    // Deferred scripts run in order: the shared helpers first.
                    script src="/static/common.js" defer {}
                    script src=(format!("/static/{script}")) defer {}
                }
            }
            body { (body) }
        }
    }
}

/// A plain page for a refusal: a wrong code says nothing about the exercise.
pub fn notice(title: &str, text: &str) -> Markup {
    page(
        title,
        None,
        html! { main.narrow { h1 { (title) } p { (text) } } },
    )
}

/// The join page: the open seats to take, and the ones already taken.
pub fn join(hosted: &Hosted, code: &str, problem: Option<&str>) -> Markup {
    let room = hosted.room();
    let title = &hosted.session.scenario().title;
    let free: Vec<&SeatRecord> = room
        .seats
        .iter()
        .filter(|s| s.open && s.devices.len() < crate::engine::room::MAX_DEVICES_PER_SEAT)
        .collect();
    page(
        title,
        None,
        html! {
            main.narrow {
                h1 { (title) }
                p.lead { "Take your seat for this tabletop exercise. You act only as your seat's role; the facilitator runs the clock." }
                @if let Some(problem) = problem {
                    p.refused role="alert" { (problem) }
                }
                @if hosted.session.ended() {
                    p { "This exercise has ended." }
                } @else if free.is_empty() {
                    p { "No seat is open. Ask the facilitator to open one." }
                } @else {
                    form method="post" action=(format!("/room/{code}/take")) {
                        label for="person" { "Your name (or your team's)" }
                        input #person name="person" maxlength="80" autocomplete="name" required;
                        fieldset {
                            legend { "Seat" }
                            @for (i, seat) in free.iter().enumerate() {
                                label.choice {
                                    input type="radio" name="seat" value=(seat.seat.id) required checked[i == 0];
                                    " " (seat.seat.name)
                                    @if !seat.devices.is_empty() {
                                        span.small { " \u{2014} with " (seat.devices.iter().map(|d| d.person.as_str()).collect::<Vec<_>>().join(", ")) }
                                    }
                                }
                            }
                        }
                        button type="submit" { "Take this seat" }
                    }
                }
                p.small { "Several people may share a seat, each on their own device." }
            }
        },
    )
}

fn feed_item(item: &FeedItem) -> Markup {
    let adhoc = match item.kind {
        FeedKind::FromFacilitator(n) => Some(n),
        FeedKind::Inject(_) | FeedKind::Exchange => None,
    };
    let class = if item.kind == FeedKind::Exchange {
        "exchange"
    } else {
        "inject"
    };
    html! {
        li.item.(class) data-seq=(item.seq) data-adhoc=[adhoc] {
            @if adhoc.is_some() { p.small { "From the facilitator" } }
            p.title { (item.text) }
            @if !item.narrative.is_empty() { p { (item.narrative) } }
            @if !item.details.is_empty() {
                ul.plain.details { @for line in &item.details { li { (line) } } }
            }
            @for artifact in &item.artifacts {
                div.artifact {
                    p.title { (artifact.kind.label()) ": " (artifact.title) }
                    pre { (artifact.body) }
                }
            }
        }
    }
}

fn board(view: &SeatView) -> Markup {
    html! {
        header.board {
            div {
                span #clock.clock { (format!("T+{:02}", view.minute)) } " / " (view.duration) " min"
            }
            div #severity { "Severity " (view.severity) }
            div #impact { "Business impact " (view.impact) "%" }
            div #declared { @if view.declared { "Incident declared" } @else { "Not declared" } }
            div #engaged.small { "Engaged: " (if view.engaged.is_empty() { "nobody yet".to_owned() } else { view.engaged.iter().map(String::as_str).collect::<Vec<_>>().join(", ") }) }
        }
    }
}

/// Something a page lets a person pick: the value its form sends and the name it shows.
trait Choice {
    fn value(&self) -> &str;
    fn shown(&self) -> &str;
    /// A longer explanation, shown on hover.
    fn hint(&self) -> Option<&str> {
        None
    }
}

impl Choice for Named {
    fn value(&self) -> &str {
        &self.id
    }
    fn shown(&self) -> &str {
        &self.name
    }
}

impl Choice for ActionChoice {
    fn value(&self) -> &str {
        &self.id
    }
    fn shown(&self) -> &str {
        &self.name
    }
    fn hint(&self) -> Option<&str> {
        Some(&self.prompt)
    }
}

fn options(items: &[impl Choice]) -> Markup {
    html! { @for item in items { option value=(item.value()) title=[item.hint()] { (item.shown()) } } }
}

fn checks(name: &str, items: &[impl Choice]) -> Markup {
    html! {
        div.checks data-list=(name) {
            @for item in items {
                label.choice { input type="checkbox" name=(name) value=(item.value()); " " (item.shown()) }
            }
        }
    }
}

/// A seat's page: board, feed, the five actions and the chat with the facilitator. `ws` is the
/// WebSocket address the page's script connects to.
pub fn seat(view: &SeatView, feed: &[FeedItem], ws: &str) -> Markup {
    let c = &view.choices;
    let last = feed.last().map_or(0, |i| i.seq);
    page(
        &view.seat,
        Some("seat.js"),
        html! {
            div #app data-ws=(ws) data-after=(last) data-seat=(view.seat_id) {
                h1 { span #seat-name { (view.seat) } span.small { " \u{b7} " (view.title) } }
                (board(view))
                p #status role="status" aria-live="polite" {}
                p #ended.refused hidden[!view.ended] { "The exercise has ended." }
                p #paused.refused hidden { (super::state::SEAT_PAUSED) }
                div #latest.latest hidden role="status" aria-live="polite" {
                    span #latest-text {}
                    " "
                    a href="#actions" { "To the actions" }
                }
                div.columns {
                    section.feed {
                        h2 { "Feed" }
                        ol #feed.feed reversed {
                            @for item in feed.iter().rev() { (feed_item(item)) }
                        }
                    }
                    section.actions #actions {
                        div.row hidden[c.as_roles.len() < 2] {
                            label for="as" { "Acting as" }
                            select #as { (options(&c.as_roles)) }
                        }
                        details open {
                            summary { "Decide" }
                            form data-form="decide" {
                                label for="decide-action" { "Action" }
                                select #decide-action name="action" data-choices="actions" required { (options(&c.actions)) }
                                button { "Do it" }
                            }
                            form data-form="classify" {
                                label for="classify-level" { "Classify severity" }
                                select #classify-level name="level" data-choices="severities" {
                                    @for level in &c.severities {
                                        option value=(level.id) selected[level.id == view.severity_level.to_string()] { (level.name) }
                                    }
                                }
                                button { "Classify" }
                            }
                            form data-form="declare" { button { "Declare an incident" } }
                        }
                        details {
                            summary { "Hand off" }
                            form data-form="handoff" {
                                label for="handoff-to" { "To" }
                                select #handoff-to name="to" data-choices="roles" required { (options(&c.roles)) }
                                label for="handoff-observed" { "What you observed" }
                                textarea #handoff-observed name="observed" maxlength="2000" rows="3" {}
                                p.label { "Facts established" }
                                (checks("facts", &c.facts))
                                p.label { "Evidence" }
                                (checks("evidence", &c.evidence))
                                p.label { "Actions already taken" }
                                (checks("done", &c.done))
                                p.label { "Recommended next" }
                                (checks("actions", &c.actions))
                                label for="handoff-urgency" { "Urgency" }
                                select #handoff-urgency name="urgency" {
                                    option value="" { "Not stated" }
                                    @for u in crate::engine::model::intent::Urgency::ALL {
                                        option value=(format!("{u:?}")) { (u.label()) }
                                    }
                                }
                                button { "Hand off" }
                            }
                        }
                        details {
                            summary { "Escalate or inform" }
                            form data-form="escalate" {
                                p.label { "Engage" }
                                (checks("roles", &c.roles))
                                label for="escalate-reason" { "Why" }
                                input #escalate-reason name="reason" maxlength="500";
                                button { "Escalate" }
                            }
                            form data-form="inform" {
                                p.label { "Tell, without engaging" }
                                (checks("roles", &c.roles))
                                label for="inform-about" { "About" }
                                select #inform-about name="about" data-choices="released" required { (options(&c.released)) }
                                button { "Inform" }
                            }
                        }
                        details {
                            summary { "Communicate" }
                            form data-form="communicate" {
                                label for="msg-audience" { "To" }
                                select #msg-audience name="audience" data-choices="audiences" required { (options(&c.audiences)) }
                                label for="msg-message" { "Message" }
                                select #msg-message name="message" data-choices="messages" required { (options(&c.messages)) }
                                button { "Send" }
                                label for="msg-approver" { "Or first ask for approval from" }
                                select #msg-approver name="approver" data-choices="roles" { (options(&c.roles)) }
                                button name="ask" value="1" { "Ask approval" }
                            }
                        }
                        details open[!c.to_approve.is_empty()] {
                            summary { "Approve" span #approve-count { @if !c.to_approve.is_empty() { " (" (c.to_approve.len()) ")" } } }
                            ul #to-approve.plain {
                                @for p in &c.to_approve {
                                    li { (p.label) " " button data-grant=(serde_json::to_string(&p.grant).unwrap_or_default()) { "Approve" } }
                                }
                            }
                            form data-form="ask-approval" {
                                label for="ask-action" { "Ask approval for" }
                                select #ask-action name="action" data-choices="actions" required { (options(&c.actions)) }
                                label for="ask-approver" { "From" }
                                select #ask-approver name="approver" data-choices="roles" required { (options(&c.roles)) }
                                button { "Ask" }
                            }
                        }
                        details #chat-box {
                            summary { "Facilitator" span #chat-count {} }
                            ol #chat.plain {}
                            form data-form="chat" {
                                label for="chat-text" { "Message to the facilitator" }
                                input #chat-text name="text" maxlength="1000" required;
                                button { "Send" }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The room's projector: the current inject large, earlier ones below, and how to join.
pub fn projector(hosted: &Hosted, join_url: &str) -> Markup {
    page(
        &hosted.session.scenario().title,
        Some("view.js"),
        html! {
            div #projector.projector data-view="view" {
                (projector_view(hosted, join_url))
            }
        },
    )
}

/// The part of the projector that changes.
pub fn projector_view(hosted: &Hosted, join_url: &str) -> Markup {
    let session = &hosted.session;
    let feed = projector_feed(session, &hosted.record.adhoc_injects);
    let level = session.severity();
    let severity = session
        .matrix()
        .severity(level)
        .map_or("unclassified", |s| s.name.as_str());
    html! {
        header.board.big {
            h1 { (session.scenario().title) }
            div.clock { (session.scenario().clock_reading(session.minute())) }
            div { "Severity " (level) " \u{b7} " (severity) }
            div { "Business impact " (session.business_impact()) "%" }
        }
        div.columns {
            section {
                @if session.ended() {
                    h2 { "The exercise has ended" }
                    p.lead { "Hotwash: what went well, and what should we do differently?" }
                }
                @if let Some(current) = feed.last() {
                    p.small { (format!("T+{:02}", current.minute)) }
                    h2.current { (current.title) }
                    p.lead { (current.narrative) }
                    @for artifact in &current.artifacts {
                        div.artifact { p.title { (artifact.kind.label()) ": " (artifact.title) } pre { (artifact.body) } }
                    }
                    @if feed.len() > 1 {
                        h3 { "Earlier" }
                        ul.plain {
                            @for inject in feed.iter().rev().skip(1) {
                                li { (format!("T+{:02}  ", inject.minute)) (inject.title) }
                            }
                        }
                    }
                } @else {
                    p.lead { "Waiting for the first inject\u{2026}" }
                }
            }
            aside.join {
                p { "Join on your phone or laptop:" }
                (qr(join_url))
                p.url { (join_url) }
            }
        }
    }
}

/// A QR code of `url` as inline SVG (drawn paths only, no script).
pub fn qr(url: &str) -> Markup {
    // Only a URL too long for any QR version fails; the address is printed beside it anyway.
    if let Ok(code) = qrcode::QrCode::new(url.as_bytes()) {
        PreEscaped(
            code.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .build(),
        )
    } else {
        html! {}
    }
}

/// Several teams' exercises side by side, for the facilitator: refreshed every few seconds.
pub fn teams(teams: &[super::teams::TeamEntry]) -> Markup {
    page(
        "Teams",
        Some("view.js"),
        html! {
            div #teams data-view="teams" data-poll="3000" { (teams_view(teams)) }
        },
    )
}

/// The part of the teams' overview that changes.
pub fn teams_view(teams: &[super::teams::TeamEntry]) -> Markup {
    html! {
        h1 { "Teams" }
        p.small { "The same scenario and seed for every team. Scores are for the facilitator only." }
        div.table-wrap {
            table {
                thead { tr {
                    th { "Team" } th { "Clock" } th { "Severity" } th { "Declared" }
                    th { "Decisions" } th { "Score so far" } th { "People" } th {}
                } }
                tbody {
                    @for team in teams {
                        @let hosted = team.shared.read();
                        @let session = &hosted.session;
                        tr {
                            td { (team.name) }
                            td.clock { (format!("T+{:02}", session.minute())) @if session.ended() { " (ended)" } }
                            td { (session.severity()) " \u{b7} " (session.matrix().severity(session.severity()).map_or("unclassified", |s| s.name.as_str())) }
                            td { @if session.declared_at().is_some() { "yes" } @else { "no" } }
                            td { (session.log().entries.iter().filter(|e| !e.intent.is_facilitation()).count()) }
                            td { (crate::engine::scoring::score(session).total) }
                            td { (hosted.room().seats.iter().map(|s| s.devices.len()).sum::<usize>()) }
                            td { a href=(team.console_url) { "Console" } }
                        }
                    }
                }
            }
        }
    }
}

/// The facilitator's page for a headless host: clock, seats, chat and the room's addresses, and
/// a link to the teams' overview when several teams play.
pub fn console(
    hosted: &Hosted,
    join_url: &str,
    projector_url: &str,
    ws: &str,
    teams: Option<&str>,
) -> Markup {
    page(
        "Console",
        Some("console.js"),
        html! {
            div #app data-ws=(ws) {
                h1 { "Console" span.small { " \u{b7} " (hosted.session.scenario().title) } }
                header.board {
                    div { span #clock.clock { (format!("T+{:02}", hosted.session.minute())) } " / " (hosted.session.scenario().duration_mins) " min" }
                    div {
                        button data-advance="1" { "+1 min" }
                        button data-advance="5" { "+5 min" }
                        button data-advance="15" { "+15 min" }
                    }
                    form data-form="release" {
                        select #release name="inject" aria-label="Inject to release" {}
                        button { "Release now" }
                    }
                    button #end data-end="1" { "End the exercise" }
                }
                p #status role="status" aria-live="polite" {}
                div.addresses {
                    @if let Some(teams) = teams {
                        p { a href=(teams) { "All teams side by side" } }
                    }
                    p { "Join: " a.url href=(join_url) { (join_url) } }
                    p { "Projector: " a.url href=(projector_url) { (projector_url) } }
                    details {
                        summary { "QR code of the join address" }
                        div.join { (qr(join_url)) }
                    }
                }
                h2 { "Seats" }
                div.table-wrap {
                    table #seats {
                        thead { tr { th { "Seat" } th { "People (devices)" } th { "Connection" } th { "Intents" } th { "Last active" } th {} } }
                        tbody {}
                    }
                }
                h2 { "Chat" }
                ol #chat.plain {}
                form data-form="chat" {
                    label for="chat-seat" { "To seat" }
                    select #chat-seat name="seat" {}
                    input #chat-text name="text" maxlength="1000" required aria-label="Message";
                    button { "Send" }
                }
            }
        },
    )
}
