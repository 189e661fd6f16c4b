//! What a seat's page shows besides its feed: the shared board (clock, severity, who is engaged)
//! and the choices its five actions offer right now. Everything is named as a person reads it;
//! ids travel only as the values the page sends back.

use serde::Serialize;

use super::seat::Seat;
use crate::engine::model::intent::Intent;
use crate::engine::session::Session;

/// Something to pick: the id sent back and the name shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Named {
    /// The value the page sends back.
    pub id: String,
    /// What the person reads.
    pub name: String,
}

impl Named {
    fn new(id: impl ToString, name: impl Into<String>) -> Self {
        Self {
            id: id.to_string(),
            name: name.into(),
        }
    }
}

/// An action a decision offers, with the question it answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionChoice {
    /// Action id.
    pub id: String,
    /// What the action is.
    pub name: String,
    /// The decision's question.
    pub prompt: String,
}

/// A request waiting for the seat's approval, with the intent that grants it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pending {
    /// What is asked, in words.
    pub label: String,
    /// The grant, ready to send.
    pub grant: Intent,
}

/// What the seat's actions can be about right now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeatChoices {
    /// The roles the seat acts as.
    pub as_roles: Vec<Named>,
    /// Open actions of released decisions.
    pub actions: Vec<ActionChoice>,
    /// Every other role in the cast: whom to hand off to, escalate to, inform or ask.
    pub roles: Vec<Named>,
    /// Severity levels, lowest first.
    pub severities: Vec<Named>,
    /// Facts established so far, for a handoff.
    pub facts: Vec<Named>,
    /// Artifacts released so far, as evidence for a handoff.
    pub evidence: Vec<Named>,
    /// Actions already carried out.
    pub done: Vec<Named>,
    /// Actions of released injects, done or not: what others can be told about.
    pub released: Vec<Named>,
    /// Where a message can go.
    pub audiences: Vec<Named>,
    /// Prepared messages released so far.
    pub messages: Vec<Named>,
    /// Requests waiting for this seat's approval.
    pub to_approve: Vec<Pending>,
}

/// A seat's page: the shared board and its choices.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeatView {
    /// Scenario title.
    pub title: String,
    /// What the seat is called.
    pub seat: String,
    /// The seat's id (a page checks it still shows the seat its device holds).
    pub seat_id: String,
    /// Scenario minute.
    pub minute: u32,
    /// Planned length.
    pub duration: u32,
    /// Severity as "3 · High".
    pub severity: String,
    /// The severity level in force (what *Classify severity* starts from, so that a hasty click
    /// does not downgrade it).
    pub severity_level: u8,
    /// Business impact 0–100.
    pub impact: u8,
    /// Whether an incident has been declared.
    pub declared: bool,
    /// Roles engaged so far, by name.
    pub engaged: Vec<String>,
    /// The exercise is over: nothing more can be sent.
    pub ended: bool,
    /// What the actions offer.
    pub choices: SeatChoices,
}

/// The board and choices of `seat` now.
pub fn seat_view(session: &Session, seat: &Seat) -> SeatView {
    let matrix = session.matrix();
    let level = session.severity();
    let role_name = |id: &str| matrix.role_name(id).to_owned();
    let action_label = |id: &str| {
        session
            .scenario()
            .action(id)
            .map_or_else(|| id.to_owned(), |(_, _, a)| a.label.clone())
    };
    let cast: Vec<_> = Seat::per_role(session)
        .into_iter()
        .flat_map(|s| s.roles)
        .collect();
    let choices = SeatChoices {
        as_roles: seat
            .roles
            .iter()
            .map(|r| Named::new(r, role_name(r.as_str())))
            .collect(),
        actions: session
            .open_decisions()
            .into_iter()
            .flat_map(|d| d.actions.iter().map(move |a| (d, a)))
            .filter(|(_, a)| !session.performed().contains_key(&a.id))
            .map(|(d, a)| ActionChoice {
                id: a.id.to_string(),
                name: a.label.clone(),
                prompt: d.prompt.clone(),
            })
            .collect(),
        roles: cast
            .iter()
            .filter(|r| !seat.plays(r))
            .map(|r| Named::new(r, role_name(r.as_str())))
            .collect(),
        severities: matrix
            .escalation
            .severities
            .iter()
            .map(|s| Named::new(s.level, format!("{} \u{b7} {}", s.level, s.name)))
            .collect(),
        facts: matrix
            .triggers
            .iter()
            .filter(|t| session.revealed().contains_key(&t.id))
            .map(|t| Named::new(&t.id, t.description.clone()))
            .collect(),
        evidence: session
            .released_artifacts()
            .into_iter()
            .map(|a| Named::new(&a.id, a.title.clone()))
            .collect(),
        done: session
            .performed()
            .keys()
            .map(|a| Named::new(a, action_label(a.as_str())))
            .collect(),
        released: session
            .released_actions()
            .into_iter()
            .map(|a| Named::new(&a.id, a.label.clone()))
            .collect(),
        audiences: session
            .audiences()
            .iter()
            .map(|a| Named::new(&a.id, a.name.clone()))
            .collect(),
        messages: session
            .released_messages()
            .into_iter()
            .map(|m| Named::new(&m.id, m.label.clone()))
            .collect(),
        to_approve: pending_for(session, seat),
    };
    SeatView {
        title: session.scenario().title.clone(),
        seat: seat.name.clone(),
        seat_id: seat.id.clone(),
        minute: session.minute(),
        duration: session.scenario().duration_mins,
        severity_level: level,
        severity: format!(
            "{level} \u{b7} {}",
            matrix
                .severity(level)
                .map_or("unclassified", |s| s.name.as_str())
        ),
        impact: session.business_impact(),
        declared: session.declared_at().is_some(),
        engaged: session
            .engaged()
            .keys()
            .map(|r| role_name(r.as_str()))
            .collect(),
        ended: session.ended(),
        choices,
    }
}

/// Requests made to one of the seat's roles and not yet granted.
fn pending_for(session: &Session, seat: &Seat) -> Vec<Pending> {
    let matrix = session.matrix();
    let actions = session
        .approvals()
        .iter()
        .filter(|r| r.granted.is_none() && seat.plays(&r.approver))
        .map(|r| Pending {
            label: format!(
                "{} asks {} to approve: {}",
                matrix.role_name(r.requested_by.as_str()),
                matrix.role_name(r.approver.as_str()),
                session
                    .scenario()
                    .action(r.action.as_str())
                    .map_or_else(|| r.action.to_string(), |(_, _, a)| a.label.clone())
            ),
            grant: Intent::GrantApproval {
                action: r.action.clone(),
                approver: r.approver.clone(),
            },
        });
    let messages = session
        .message_approvals()
        .iter()
        .filter(|r| r.granted.is_none() && seat.plays(&r.approver))
        .map(|r| Pending {
            label: format!(
                "{} asks {} to approve the message \u{201c}{}\u{201d} to {}",
                matrix.role_name(r.requested_by.as_str()),
                matrix.role_name(r.approver.as_str()),
                session.message_label(&r.message),
                session.audience_name(&r.audience)
            ),
            grant: Intent::GrantMessageApproval {
                message: r.message.clone(),
                audience: r.audience.clone(),
                approver: r.approver.clone(),
            },
        });
    actions.chain(messages).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::content::shipped;

    #[test]
    fn a_seat_sees_the_board_and_grants_only_what_it_was_asked() {
        let mut session = Session::new(
            shipped::scenario("ransomware-file-server"),
            shipped::matrix(),
            4,
        );
        let seats = Seat::per_role(&session);
        let find = |id: &str| seats.iter().find(|s| s.id == id).unwrap();
        let action = session.open_actions()[0].id.clone();
        session
            .apply(Intent::RequestApproval {
                action: action.clone(),
                requested_by: "soc".into(),
                approver: "it_ops".into(),
            })
            .unwrap();
        let it = seat_view(&session, find("it_ops"));
        assert_eq!(it.choices.to_approve.len(), 1);
        assert!(
            it.choices.to_approve[0]
                .label
                .starts_with("Security Operations Center asks IT Operations to approve: "),
            "{}",
            it.choices.to_approve[0].label
        );
        assert_eq!(
            it.choices.to_approve[0].grant,
            Intent::GrantApproval {
                action,
                approver: "it_ops".into()
            }
        );
        assert!(
            seat_view(&session, find("legal"))
                .choices
                .to_approve
                .is_empty()
        );
        assert!(!it.choices.roles.iter().any(|r| r.id == "it_ops"));
        assert!(it.choices.roles.iter().any(|r| r.name == "Legal Counsel"));
        assert!(!it.choices.actions.is_empty());
        assert!(it.choices.actions.iter().all(|a| !a.prompt.is_empty()));
    }
}
