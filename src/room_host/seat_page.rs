//! A seat's page, and the parts of it that change, both drawn here: the page's script only puts
//! the parts the host sends in place (and keeps what the person is typing or ticking), so the
//! page has one renderer and knows nothing of the engine's types.

use std::collections::BTreeMap;

use maud::{Markup, html};
use serde::Serialize;

use super::markup::{Choice, options, options_picked, page};
use crate::engine::room::{ChatLine, FeedItem, FeedKind, SeatView};

/// What a seat's page redraws after a change: each part rendered as on the first page.
#[derive(Debug, Serialize)]
pub struct SeatParts {
    /// The seat it shows.
    pub seat_id: String,
    /// Its name.
    pub seat: String,
    /// Nothing more can be decided.
    pub ended: bool,
    /// The severity in force (the Classify list starts from it).
    pub severity_level: String,
    /// The board.
    pub board: String,
    /// New feed items, oldest first.
    pub feed: Vec<FeedPart>,
    /// Each list's options, by the list's `data-choices`.
    pub lists: BTreeMap<&'static str, String>,
    /// Each group of boxes, by its `data-list`.
    pub checks: BTreeMap<&'static str, String>,
    /// What the seat is asked to approve.
    pub to_approve: String,
    /// How many, as the Approve heading shows it.
    pub approve_count: String,
    /// The chat with the facilitator.
    pub chat: String,
    /// Its length, as the chat's heading shows it.
    pub chat_count: String,
    /// Lines the facilitator wrote (a new one opens the chat).
    pub from_facilitator: usize,
}

/// One new feed item.
#[derive(Debug, Serialize)]
pub struct FeedPart {
    /// Its log position.
    pub seq: usize,
    /// The facilitator's ad-hoc inject it is, by number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adhoc: Option<usize>,
    /// An inject (not an exchange between roles): announced when new.
    pub inject: bool,
    /// Its headline, for the bar that announces it.
    pub title: String,
    /// The item, drawn.
    pub html: String,
}

impl SeatParts {
    /// The parts of `view`, with the feed items the page does not have yet and the whole chat.
    pub fn new(view: &SeatView, feed: &[FeedItem], chat_lines: &[&ChatLine]) -> Self {
        let c = &view.choices;
        let lists = BTreeMap::from([
            ("as_roles", options(&c.as_roles).into_string()),
            ("actions", options(&c.actions).into_string()),
            ("roles", options(&c.roles).into_string()),
            (
                "severities",
                options_picked(&c.severities, &view.severity_level.to_string()).into_string(),
            ),
            ("released", options(&c.released).into_string()),
            ("audiences", options(&c.audiences).into_string()),
            ("messages", options(&c.messages).into_string()),
        ]);
        let checks = BTreeMap::from([
            ("facts", boxes("facts", &c.facts).into_string()),
            ("evidence", boxes("evidence", &c.evidence).into_string()),
            ("done", boxes("done", &c.done).into_string()),
            ("actions", boxes("actions", &c.actions).into_string()),
            ("roles", boxes("roles", &c.roles).into_string()),
        ]);
        Self {
            seat_id: view.seat_id.clone(),
            seat: view.seat.clone(),
            ended: view.ended,
            severity_level: view.severity_level.to_string(),
            board: board(view).into_string(),
            feed: feed
                .iter()
                .map(|item| FeedPart {
                    seq: item.seq,
                    adhoc: adhoc_number(item),
                    inject: item.kind != FeedKind::Exchange,
                    title: item.text.clone(),
                    html: feed_item(item).into_string(),
                })
                .collect(),
            lists,
            checks,
            to_approve: approvals(view).into_string(),
            approve_count: count(c.to_approve.len()).into_string(),
            chat: chat(chat_lines).into_string(),
            chat_count: count(chat_lines.len()).into_string(),
            from_facilitator: chat_lines.iter().filter(|l| l.from_facilitator).count(),
        }
    }
}

/// A count beside a heading; nothing for none.
fn count(n: usize) -> Markup {
    html! { @if n > 0 { " (" (n) ")" } }
}

fn adhoc_number(item: &FeedItem) -> Option<usize> {
    match item.kind {
        FeedKind::FromFacilitator(n) => Some(n),
        FeedKind::Inject(_) | FeedKind::Exchange => None,
    }
}

fn feed_item(item: &FeedItem) -> Markup {
    let adhoc = adhoc_number(item);
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

/// The seat's board: clock, severity, impact, declaration, who is engaged.
fn board(view: &SeatView) -> Markup {
    html! {
        div {
            span.clock { (format!("T+{:02}", view.minute)) } " / " (view.duration) " min"
        }
        div { "Severity " (view.severity) }
        div { "Business impact " (view.impact) "%" }
        div { @if view.declared { "Incident declared" } @else { "Not declared" } }
        div.small { "Engaged: " (if view.engaged.is_empty() { "nobody yet".to_owned() } else { view.engaged.iter().map(String::as_str).collect::<Vec<_>>().join(", ") }) }
    }
}

/// What the seat is asked to approve, each with its button (the page sends the intent the host
/// put in `data-grant`).
fn approvals(view: &SeatView) -> Markup {
    html! {
        @for p in &view.choices.to_approve {
            li { (p.label) " " button type="button" data-grant=(serde_json::to_string(&p.grant).unwrap_or_default()) disabled[view.ended] { "Approve" } }
        }
    }
}

/// The seat's chat with the facilitator.
fn chat(lines: &[&ChatLine]) -> Markup {
    html! {
        @for line in lines {
            li.facilitator[line.from_facilitator] {
                (format!("T+{:02} ", line.minute))
                @if line.from_facilitator { "Facilitator" } @else { (line.person) }
                ": " (line.text)
            }
        }
    }
}

fn checks(name: &str, items: &[impl Choice]) -> Markup {
    html! { div.checks data-list=(name) { (boxes(name, items)) } }
}

/// A group's boxes, unticked (the page keeps what the person ticked).
fn boxes(name: &str, items: &[impl Choice]) -> Markup {
    html! {
        @for item in items {
            label.choice { input type="checkbox" name=(name) value=(item.value()); " " (item.shown()) }
        }
    }
}

/// A seat's page: board, feed, the five actions and the chat with the facilitator. `ws` is the
/// WebSocket address the page's script connects to.
pub fn seat(view: &SeatView, feed: &[FeedItem], chat_lines: &[&ChatLine], ws: &str) -> Markup {
    let c = &view.choices;
    let last = feed.last().map_or(0, |i| i.seq);
    page(
        &view.seat,
        Some("seat.js"),
        html! {
            div #app data-ws=(ws) data-after=(last) data-seat=(view.seat_id) {
                h1 { span #seat-name { (view.seat) } span.small { " \u{b7} " (view.title) } }
                header #board.board { (board(view)) }
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
                            select #as data-choices="as_roles" { (options(&c.as_roles)) }
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
                                    (options_picked(&c.severities, &view.severity_level.to_string()))
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
                            summary { "Approve" span #approve-count { (count(c.to_approve.len())) } }
                            ul #to-approve.plain { (approvals(view)) }
                            form data-form="ask-approval" {
                                label for="ask-action" { "Ask approval for" }
                                select #ask-action name="action" data-choices="actions" required { (options(&c.actions)) }
                                label for="ask-approver" { "From" }
                                select #ask-approver name="approver" data-choices="roles" required { (options(&c.roles)) }
                                button { "Ask" }
                            }
                        }
                        details #chat-box {
                            summary { "Facilitator" span #chat-count { (count(chat_lines.len())) } }
                            ol #chat.plain data-from-facilitator=(chat_lines.iter().filter(|l| l.from_facilitator).count()) { (chat(chat_lines)) }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Session;
    use crate::engine::content::shipped;
    use crate::engine::model::intent::Intent;
    use crate::engine::room::{Seat, seat_feed, seat_view};

    /// What an update sends is drawn as the first page draws it: the page has one renderer, and
    /// nothing from a scenario or a person reaches the page unescaped.
    #[test]
    fn an_updates_parts_are_the_first_pages_own() {
        let mut session = Session::new(
            shipped::scenario("ransomware-file-server"),
            shipped::matrix(),
            4,
        );
        session.apply(Intent::Advance { minutes: 12 }).unwrap();
        let seat = Seat::per_role(&session)
            .into_iter()
            .find(|s| s.id == "soc")
            .unwrap();
        let line = ChatLine {
            seat: "soc".into(),
            from_facilitator: false,
            person: "Ana <b>".into(),
            minute: 11,
            text: "Who owns FS-01? <script>x()</script>".into(),
        };
        let view = seat_view(&session, &seat);
        let feed = seat_feed(&session, &seat, None);
        let page = super::seat(&view, &feed, &[&line], "/ws").into_string();
        let parts = SeatParts::new(&view, &feed, &[&line]);

        assert!(page.contains(&parts.board));
        assert!(page.contains(&parts.chat));
        assert!(parts.chat.contains("Ana &lt;b&gt;") && !parts.chat.contains("<script>"));
        assert!(!parts.feed.is_empty());
        for item in &parts.feed {
            assert!(page.contains(&item.html), "{}", item.title);
        }
        for (list, options) in &parts.lists {
            assert!(page.contains(options.as_str()), "the {list} list");
        }
        for (group, boxes) in &parts.checks {
            assert!(page.contains(boxes.as_str()), "the {group} boxes");
        }
        assert_eq!(parts.chat_count, " (1)");
        assert_eq!(parts.from_facilitator, 0);
    }
}
