//! The room's pages, rendered on the host with maud (which escapes every value it inserts). Each
//! page loads one script file of its own; no page carries inline script, and the
//! Content-Security-Policy forbids it, so nothing a scenario or a person wrote can run.

use maud::{Markup, PreEscaped, html};

use serde::Serialize;

use super::console_view::{ConsoleSeat, ConsoleView};
use super::markup::{Choice, options, page};
use super::state::Hosted;
use crate::engine::exercise::projector_feed;
use crate::engine::room::SeatRecord;

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

/// What the console page redraws after a change, drawn as on the first page: its script only
/// puts these in place.
#[derive(Debug, Serialize)]
pub struct ConsoleParts {
    /// The clock.
    pub clock: String,
    /// The seats' rows, with their controls.
    pub seats: String,
    /// The injects "release now" offers.
    pub release: String,
    /// The seats a chat line can go to.
    pub chat_seats: String,
    /// Every chat line.
    pub chat: String,
}

impl ConsoleParts {
    /// The parts of the console's view.
    pub fn new(view: &ConsoleView) -> Self {
        Self {
            clock: format!("T+{:02}", view.minute),
            seats: seat_rows(view).into_string(),
            release: options(&view.pending).into_string(),
            chat_seats: options(&view.seats).into_string(),
            chat: console_chat(view).into_string(),
        }
    }
}

impl Choice for ConsoleSeat {
    fn value(&self) -> &str {
        &self.id
    }
    fn shown(&self) -> &str {
        &self.name
    }
}

/// How long ago, in words: "—" for never.
fn ago(secs: Option<i64>) -> String {
    match secs {
        None => "\u{2014}".to_owned(),
        Some(s) if s < 60 => format!("{s} s ago"),
        Some(s) => format!("{} min ago", s / 60),
    }
}

/// The seats' rows: who holds each (each device movable and removable), the connection, what it
/// did, and what the facilitator can do with it. The page's script acts on the `data-` marks.
fn seat_rows(view: &ConsoleView) -> Markup {
    html! {
        @for s in &view.seats {
            @let others = view.seats.iter().filter(|o| o.id != s.id);
            tr {
                td { (s.name) @if !s.open { " (closed)" } }
                td {
                    @if s.devices.is_empty() { @if s.open { "nobody yet" } @else { "\u{2014}" } }
                    @for d in &s.devices {
                        div.device {
                            span { "#" (d.number) " " (d.person) " " }
                            select data-move=(d.number) aria-label=(format!("Move {} to", d.person)) {
                                option value="" { "Move to\u{2026}" }
                                @for o in others.clone() { option value=(o.id) { (o.name) } }
                            }
                            button type="button" data-remove-device=(d.number) data-person=(d.person) { "Remove" }
                        }
                    }
                }
                td {
                    @if s.connected > 0 { (s.connected) " connected" }
                    @else if s.devices.is_empty() { "\u{2014}" }
                    @else { "not connected" }
                }
                td { (s.intents) }
                td { (ago(s.idle_secs)) }
                td {
                    a href=(s.act_url) target="_blank" { "Act for this seat" }
                    @if s.open {
                        button type="button" data-seat=(s.id) data-op="close"
                            title="Pauses the seat: its devices keep their places and act again when you open it" { "Close" }
                    } @else {
                        button type="button" data-seat=(s.id) data-op="open" { "Open" }
                    }
                    button type="button" data-seat=(s.id) data-op="remove" { "Remove" }
                    @if s.roles > 1 { button type="button" data-seat=(s.id) data-op="split" { "Split" } }
                    select data-combine=(s.id) aria-label=(format!("Combine {} with", s.name)) {
                        option value="" { "Combine with\u{2026}" }
                        @for o in others.clone() { option value=(o.id) { (o.name) } }
                    }
                }
            }
        }
    }
}

/// Every chat line, as the facilitator reads them.
fn console_chat(view: &ConsoleView) -> Markup {
    html! {
        @for line in &view.chat {
            li.facilitator[line.from_facilitator] {
                (format!("T+{:02} ", line.minute))
                @if line.from_facilitator { "You to " (line.seat_name) }
                @else { (line.person) " (" (line.seat_name) ")" }
                ": " (line.text)
            }
        }
    }
}

/// The facilitator's page for a headless host: clock, seats, chat and the room's addresses, and
/// a link to the teams' overview when several teams play.
pub fn console(
    hosted: &Hosted,
    view: &ConsoleView,
    join_url: &str,
    projector_url: &str,
    ws: &str,
    teams: Option<&str>,
) -> Markup {
    let parts = ConsoleParts::new(view);
    page(
        "Console",
        Some("console.js"),
        html! {
            div #app data-ws=(ws) {
                h1 { "Console" span.small { " \u{b7} " (hosted.session.scenario().title) } }
                header.board {
                    div { span #clock.clock { (parts.clock) } " / " (view.duration) " min" }
                    div {
                        button data-advance="1" { "+1 min" }
                        button data-advance="5" { "+5 min" }
                        button data-advance="15" { "+15 min" }
                    }
                    form data-form="release" {
                        select #release name="inject" aria-label="Inject to release" { (PreEscaped(&parts.release)) }
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
                        tbody { (PreEscaped(&parts.seats)) }
                    }
                }
                h2 { "Chat" }
                ol #chat.plain { (PreEscaped(&parts.chat)) }
                form data-form="chat" {
                    label for="chat-seat" { "To seat" }
                    select #chat-seat name="seat" { (PreEscaped(&parts.chat_seats)) }
                    input #chat-text name="text" maxlength="1000" required aria-label="Message";
                    button { "Send" }
                }
            }
        },
    )
}
