//! The action composers of an exercise — decide, hand off, escalate, communicate, approve — with
//! the drafts they keep between frames. Play and the console both show them.

mod approvals;
mod communicate;
mod decide;
mod drafts;
mod escalate;
mod handoff;
mod inform;

use bevy::prelude::*;
use bevy_egui::egui;

pub use approvals::approvals_ui;
pub use communicate::communicate_ui;
pub use decide::decide_ui;
pub use drafts::{
    ActionTab, ActionsState, ApprovalDraft, EscalationDraft, HandoffDraft, InformDraft,
    MessageDraft, NarrowPane,
};
pub use escalate::escalate_ui;
pub use handoff::handoff_ui;
pub use inform::inform_ui;

use crate::app::exercise::ExerciseBegan;
use crate::app::messages::UiCommand;
use crate::engine::Session;
use crate::engine::model::scenario::Mode;

/// Keeps the drafts for the exercise on screen; another exercise starts with empty ones.
pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ActionsState>().add_systems(
        Update,
        (|mut state: ResMut<ActionsState>| *state = ActionsState::default())
            .run_if(on_message::<ExerciseBegan>),
    );
}

/// The tabbed action panel, its tabs fixed above a scrolling composer (play's right panel).
pub fn actions_ui(
    ui: &mut egui::Ui,
    session: &Session,
    mode: Mode,
    state: &mut ActionsState,
) -> Vec<UiCommand> {
    action_tabs_ui(ui, session, state);
    // Most of the panel, but never more than is left of it (a short window, a large scale).
    let height = (ui.available_height() * 0.62)
        .max(240.0)
        .min(ui.available_height());
    // A scroll position per tab: a tab opens where it was left, the first time at its top.
    egui::ScrollArea::vertical()
        .id_salt(("actions-scroll", state.tab))
        .max_height(height)
        .auto_shrink([false, true])
        .show(ui, |ui| action_body_ui(ui, session, mode, state))
        .inner
}

/// Below this width the action tabs close up.
const NARROW_TABS_WIDTH: f32 = 340.0;

/// The tabs of the action panel and the line under them. The Decide tab counts the decisions
/// nobody has acted on yet, the Approvals tab the requests awaiting an approver: a new one shows
/// whichever tab is open.
pub fn action_tabs_ui(ui: &mut egui::Ui, session: &Session, state: &mut ActionsState) {
    let pending = approvals::pending_count(session);
    let waiting = session
        .open_decisions()
        .into_iter()
        .filter(|d| !session.decision_taken(d))
        .count();
    ui.horizontal_wrapped(|ui| {
        // In a narrow panel the six tabs sit closer, in two rows rather than three.
        if ui.available_width() < NARROW_TABS_WIDTH {
            ui.spacing_mut().item_spacing.x = 2.0;
            ui.spacing_mut().button_padding.x = 6.0;
        }
        for tab in ActionTab::ALL {
            let label = match tab {
                ActionTab::Decide if waiting > 0 => format!("{} ({waiting})", tab.label()),
                ActionTab::Approvals if pending > 0 => format!("{} ({pending})", tab.label()),
                _ => tab.label().to_owned(),
            };
            ui.selectable_value(&mut state.tab, tab, label);
        }
    });
    ui.separator();
}

/// The composer of the chosen tab, unscrolled (for a panel that scrolls as a whole).
pub fn action_body_ui(
    ui: &mut egui::Ui,
    session: &Session,
    mode: Mode,
    state: &mut ActionsState,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let intent = match state.tab {
        ActionTab::Decide => {
            out.extend(decide_ui(ui, session, state));
            None
        }
        ActionTab::Handoff => handoff_ui(ui, session, &mut state.handoff),
        ActionTab::Escalate => escalate_ui(ui, session, mode, &mut state.escalation),
        ActionTab::Inform => inform_ui(ui, session, &mut state.inform),
        ActionTab::Communicate => {
            let sent = communicate_ui(ui, session, &mut state.message);
            if mode == Mode::Practice {
                communicate::notices_ui(ui, session);
            }
            sent
        }
        ActionTab::Approvals => approvals_ui(ui, session, &mut state.approval),
    };
    out.extend(intent.map(UiCommand::from));
    out
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;
    use crate::app::messages::ExerciseCommand;
    use crate::engine::model::id::{ArtifactId, TriggerId};
    use crate::engine::{Intent, Urgency};

    fn session() -> Session {
        crate::app::testing::ransomware_session(4)
    }

    struct DecideState {
        session: Session,
        ui: ActionsState,
        out: Vec<UiCommand>,
    }

    /// A harness of `size` points drawing `panel` over `session`, its state starting at `ui`.
    fn panel_harness(
        size: egui::Vec2,
        session: Session,
        ui: ActionsState,
        panel: impl Fn(&mut egui::Ui, &Session, &mut ActionsState) -> Vec<UiCommand> + 'static,
    ) -> Harness<'static, DecideState> {
        let mut harness = Harness::builder().with_size(size).build_ui_state(
            move |egui_ui, s: &mut DecideState| {
                let out = panel(egui_ui, &s.session, &mut s.ui);
                s.out.extend(out);
            },
            DecideState {
                session,
                ui,
                out: Vec::new(),
            },
        );
        harness.run();
        harness
    }

    /// The Decide tab of a fresh ransomware session.
    fn decide_harness() -> Harness<'static, DecideState> {
        Harness::new_ui_state(
            |ui, s: &mut DecideState| {
                let out = decide_ui(ui, &s.session, &mut s.ui);
                s.out.extend(out);
            },
            DecideState {
                session: session(),
                ui: ActionsState::default(),
                out: Vec::new(),
            },
        )
    }

    /// Clicks the role in the open picker, then Assign; returns what the panel sent.
    fn assign_to(harness: &mut Harness<'static, DecideState>, role: &str) -> Vec<UiCommand> {
        harness.get_by_label(role).scroll_to_me();
        harness.run();
        harness.get_by_label(role).click();
        harness.run();
        harness.get_all_by_label("Assign").next().unwrap().click();
        harness.run();
        harness.state().out.clone()
    }

    fn assigned(role: &str) -> Vec<UiCommand> {
        vec![UiCommand::Exercise(ExerciseCommand::Intent(
            Intent::AssignAction {
                action: "triage-fs01".into(),
                role: role.into(),
            },
        ))]
    }

    #[test]
    fn assigning_a_decision_sends_the_chosen_role() {
        let mut harness = decide_harness();
        // Nothing chosen yet: the assign button is disabled, so a click does nothing.
        harness.get_all_by_label("Assign").next().unwrap().click();
        harness.run();
        assert!(harness.state().out.is_empty());

        // Choose the SOC from the combo box, then assign.
        harness
            .get_all_by_value("Who does it?")
            .next()
            .unwrap()
            .click();
        harness.run();
        let sent = assign_to(&mut harness, "Security Operations Center");
        assert_eq!(sent, assigned("soc"));
    }

    #[test]
    fn every_role_of_the_matrix_is_offered_the_cast_first_and_outsiders_grouped() {
        let mut harness = decide_harness();
        harness
            .get_all_by_value("Who does it?")
            .next()
            .unwrap()
            .click();
        harness.run();
        // Not in this scenario's cast, yet offered: a wrong choice must be possible to be graded.
        let top = |label: &str| harness.get_by_label(label).rect().top();
        let cast = top("Security Operations Center");
        let internal = top("Other internal teams");
        let help_desk = top("Help Desk");
        let external = top("External parties");
        let regulator = top("Regulator");
        assert!(top("In this scenario") < cast, "the cast comes first");
        assert!(
            cast < internal && internal < help_desk && help_desk < external && external < regulator
        );
        // Choosing an outsider sends it: the engine grades whatever is chosen.
        let sent = assign_to(&mut harness, "Help Desk");
        assert_eq!(sent, assigned("help_desk"));
    }

    #[test]
    fn handoff_composer_requires_two_different_teams_and_tracks_the_five_elements() {
        let mut draft = HandoffDraft::default();
        assert!(draft.to_intent().is_none());
        assert!(draft.checklist(false).iter().all(|(_, present)| !present));
        draft.from = Some("soc".into());
        draft.to = Some("soc".into());
        assert!(draft.to_intent().is_none(), "same team on both sides");
        draft.to = Some("it_ops".into());
        draft.observed = "Encryption running on FS-01".into();
        draft.urgency = Some(Urgency::High);
        let checklist = draft.checklist(false);
        assert_eq!(
            checklist.iter().filter(|(_, present)| *present).count(),
            2,
            "{checklist:?}"
        );
        assert!(matches!(draft.to_intent(), Some(Intent::Handoff(h)) if h.to.as_str() == "it_ops"));
    }

    #[test]
    fn once_facts_are_established_a_handoff_cites_them() {
        let mut session = session();
        session.apply(Intent::Advance { minutes: 12 }).unwrap();
        assert!(session.revealed().contains_key("extortion"));
        let mut state = (session, HandoffDraft::default(), None::<Intent>);
        state.1.from = Some("soc".into());
        state.1.to = Some("it_ops".into());
        state.1.observed = "Encryption running on FS-01".into();
        let mut harness = Harness::new_ui_state(
            |ui, s: &mut (Session, HandoffDraft, Option<Intent>)| {
                if let Some(i) = handoff_ui(ui, &s.0, &mut s.1) {
                    s.2 = Some(i);
                }
            },
            state,
        );
        // A description alone no longer covers the observation once facts are known.
        assert!(harness.query_by_label("✘ What was observed").is_some());
        harness.get_by_label("An attacker demands payment").click();
        harness.run();
        assert!(harness.query_by_label("✔ What was observed").is_some());
        harness.get_by_label("Send handoff").click();
        harness.run();
        let Some(Intent::Handoff(h)) = &harness.state().2 else {
            panic!("no handoff sent");
        };
        assert_eq!(h.facts, vec![TriggerId::from("extortion")]);
    }

    #[test]
    fn handoff_composer_sends_the_drafted_handoff() {
        let mut state = (session(), HandoffDraft::default(), None::<Intent>);
        state.1.from = Some("soc".into());
        state.1.to = Some("it_ops".into());
        let mut harness = Harness::new_ui_state(
            |ui, s: &mut (Session, HandoffDraft, Option<Intent>)| {
                if let Some(i) = handoff_ui(ui, &s.0, &mut s.1) {
                    s.2 = Some(i);
                }
            },
            state,
        );
        harness.get_by_label("EDR alert #48213").click();
        harness.run();
        harness.get_by_label("High").click();
        harness.run();
        assert!(harness.query_by_label("✔ Supporting evidence").is_some());
        assert!(harness.query_by_label("✘ What was observed").is_some());
        harness.get_by_label("Send handoff").click();
        harness.run();
        let Some(Intent::Handoff(h)) = &harness.state().2 else {
            panic!("no handoff sent");
        };
        assert_eq!(h.evidence, vec![ArtifactId::from("edr-alert")]);
        assert_eq!(h.urgency, Some(Urgency::High));
        assert_eq!(
            harness.state().1,
            HandoffDraft::default(),
            "draft cleared after sending"
        );
    }

    #[test]
    fn a_message_approval_is_asked_for_in_the_composer_and_granted_on_the_approvals_tab() {
        let mut session = session();
        session.apply(Intent::Advance { minutes: 12 }).unwrap();
        let message = session.released_messages()[0].clone();
        let audience = session.audiences()[0].id.clone();
        let mut draft = MessageDraft {
            audience: Some(audience.clone()),
            sender: Some("ir_manager".into()),
            message: Some(message.id.clone()),
            approver: None,
        };
        let mut harness = Harness::new_ui_state(
            |ui, s: &mut (Session, MessageDraft, Option<Intent>)| {
                if let Some(i) = communicate_ui(ui, &s.0, &mut s.1) {
                    s.2 = Some(i);
                }
            },
            (session.clone(), draft.clone(), None),
        );
        assert!(harness.query_by_label("None asked for yet.").is_some());
        harness.get_by_value("who approves").click();
        harness.run();
        harness.get_by_label("Legal Counsel").click();
        harness.run();
        harness.get_by_label("Ask for approval").click();
        harness.run();
        let asked = harness.state().2.clone().expect("a request was sent");
        assert_eq!(
            asked,
            Intent::RequestMessageApproval {
                message: message.id.clone(),
                audience: audience.clone(),
                requested_by: "ir_manager".into(),
                approver: "legal".into(),
            }
        );
        session.apply(asked).unwrap();
        // The Approvals tab offers the grant; the composer shows the request waiting.
        let mut approvals = Harness::new_ui_state(
            |ui, s: &mut (Session, ApprovalDraft, Option<Intent>)| {
                if let Some(i) = approvals_ui(ui, &s.0, &mut s.1) {
                    s.2 = Some(i);
                }
            },
            (session.clone(), ApprovalDraft::default(), None),
        );
        approvals.get_by_label("Approve as Legal Counsel").click();
        approvals.run();
        let granted = approvals.state().2.clone().expect("a grant was sent");
        session.apply(granted).unwrap();
        draft.approver = None;
        let composer = Harness::new_ui_state(
            |ui, s: &mut (Session, MessageDraft)| {
                communicate_ui(ui, &s.0, &mut s.1);
            },
            (session.clone(), draft),
        );
        assert!(
            composer
                .query_by_label("Legal Counsel: approved at T+12")
                .is_some()
        );
    }

    #[test]
    fn the_inform_tab_tells_a_role_about_an_action_without_engaging_it() {
        let session = session();
        let triage = session.released_actions()[0].clone();
        let mut harness = panel_harness(
            egui::vec2(500.0, 1600.0),
            session,
            ActionsState {
                tab: ActionTab::Inform,
                inform: InformDraft {
                    from: Some("soc".into()),
                    ..InformDraft::default()
                },
                ..ActionsState::default()
            },
            |ui, session, state| action_body_ui(ui, session, Mode::Practice, state),
        );
        harness.get_by_value("about which action?").click();
        harness.run();
        harness.get_by_label(&triage.label).click();
        harness.run();
        harness.get_by_label("Incident Response Manager").click();
        harness.run();
        harness.get_by_label("Inform").click();
        harness.run();
        let expected = Intent::Inform {
            from: "soc".into(),
            to: vec!["ir_manager".into()],
            about: triage.id.clone(),
        };
        assert_eq!(harness.state().out, vec![UiCommand::from(expected.clone())]);
        let mut session = harness.state().session.clone();
        session.apply(expected).unwrap();
        assert!(
            !session.engaged().contains_key("ir_manager"),
            "told, not engaged"
        );
    }

    #[test]
    fn the_approvals_tab_counts_requests_awaiting_an_approver() {
        let mut session = session();
        session.apply(Intent::Advance { minutes: 12 }).unwrap();
        let message = session.released_messages()[0].id.clone();
        let audience = session.audiences()[0].id.clone();
        session
            .apply(Intent::RequestMessageApproval {
                message: message.clone(),
                audience: audience.clone(),
                requested_by: "ir_manager".into(),
                approver: "legal".into(),
            })
            .unwrap();
        let tabs = |session: Session| {
            panel_harness(
                egui::vec2(500.0, 600.0),
                session,
                ActionsState::default(),
                |ui, session, state| actions_ui(ui, session, Mode::Practice, state),
            )
        };
        assert!(
            tabs(session.clone())
                .query_by_label("Approvals (1)")
                .is_some()
        );
        session
            .apply(Intent::GrantMessageApproval {
                message,
                audience,
                approver: "legal".into(),
            })
            .unwrap();
        let harness = tabs(session);
        assert!(harness.query_by_label("Approvals").is_some());
        assert!(harness.query_by_label("Approvals (1)").is_none());
    }

    #[test]
    fn the_decide_tab_counts_decisions_nobody_has_acted_on_and_practice_lists_notices_owed() {
        let tabs = |session: Session, tab: ActionTab| {
            panel_harness(
                egui::vec2(500.0, 900.0),
                session,
                ActionsState {
                    tab,
                    ..ActionsState::default()
                },
                |ui, session, state| actions_ui(ui, session, Mode::Practice, state),
            )
        };
        let mut session = session();
        // The opening alert's decision waits, whichever tab shows.
        tabs(session.clone(), ActionTab::Communicate).get_by_label("Decide (1)");
        // The incident team is owed a notice within 10 minutes of the alert.
        let harness = tabs(session.clone(), ActionTab::Communicate);
        harness.get_by_label("Notices owed");
        harness.get_by_label("Incident team");
        harness.get_by_label("due in 10 min");
        session
            .apply(Intent::AssignAction {
                action: "triage-fs01".into(),
                role: "soc".into(),
            })
            .unwrap();
        session
            .apply(Intent::Communicate {
                audience: "incident_team".into(),
                sender: "soc".into(),
                message: "msg-team-initial".into(),
                approvals: Vec::new(),
            })
            .unwrap();
        let harness = tabs(session.clone(), ActionTab::Communicate);
        assert!(harness.query_by_label("Decide (1)").is_none());
        harness.get_by_label("Decide");
        assert!(harness.query_by_label("Notices owed").is_none());
        // A drill keeps them for the debrief.
        let drill = panel_harness(
            egui::vec2(500.0, 900.0),
            crate::app::testing::ransomware_session(4),
            ActionsState {
                tab: ActionTab::Communicate,
                ..ActionsState::default()
            },
            |ui, session, state| actions_ui(ui, session, Mode::Drill, state),
        );
        assert!(drill.query_by_label("Notices owed").is_none());
    }

    #[test]
    fn a_tab_opens_at_its_own_scroll_position_not_the_last_tabs() {
        let mut session = session();
        session.apply(Intent::Advance { minutes: 12 }).unwrap();
        let mut harness = panel_harness(
            egui::vec2(380.0, 300.0),
            session,
            ActionsState::default(),
            |ui, session, state| actions_ui(ui, session, Mode::Practice, state),
        );
        let top = harness.get_by_label("Communicate").rect().bottom();
        // Scroll Decide down to its last control.
        harness.get_by_label("Declare incident").scroll_to_me();
        harness.run();
        assert!(
            harness
                .get_all_by_value("Who does it?")
                .next()
                .unwrap()
                .rect()
                .top()
                < top
        );
        harness.get_by_label("Communicate").click();
        harness.run();
        let audience = harness.get_by_value("choose an audience").rect();
        assert!(
            audience.top() > top && audience.top() < top + 80.0,
            "Communicate opened scrolled: its first control at {audience:?}, tabs end at {top}"
        );
    }

    #[test]
    fn practice_shows_the_escalations_due_and_a_drill_does_not() {
        let mut session = session();
        session.apply(Intent::Advance { minutes: 10 }).unwrap();
        let due = crate::engine::scoring::obligations(&session);
        let first = due
            .iter()
            .find(|o| o.engaged_at.is_none())
            .expect("the ransom note makes escalations due");
        let name = session.matrix().role_name(first.role.as_str()).to_owned();
        let left = first.deadline - session.minute();
        for (mode, shown) in [(Mode::Practice, true), (Mode::Drill, false)] {
            let harness = panel_harness(
                egui::vec2(500.0, 1600.0),
                session.clone(),
                ActionsState {
                    tab: ActionTab::Escalate,
                    ..ActionsState::default()
                },
                move |ui, session, state| action_body_ui(ui, session, mode, state),
            );
            let heading = harness
                .query_by_label("Escalations the matrix now requires")
                .is_some();
            assert_eq!(heading, shown, "{mode:?}");
            let chip = harness
                .query_all_by_label(&format!("due in {left} min"))
                .next()
                .is_some();
            assert_eq!(chip, shown, "{mode:?}: {name} due in {left} min");
        }
    }

    #[test]
    fn once_a_decision_is_acted_on_what_it_still_offers_carries_no_countdown() {
        let mut session = session();
        session.apply(Intent::Advance { minutes: 10 }).unwrap();
        let ransom = session
            .open_decisions()
            .into_iter()
            .find(|d| d.actions.iter().any(|a| a.id.as_str() == "image-fs01"))
            .unwrap()
            .clone();
        let closes = session.closes_at(&ransom).unwrap();
        // The last minute of the window, nothing done: the countdown says so.
        session
            .apply(Intent::Advance {
                minutes: closes - 1 - session.minute(),
            })
            .unwrap();
        let mut harness = panel_harness(
            egui::vec2(500.0, 1600.0),
            session,
            ActionsState::default(),
            decide_ui,
        );
        assert!(harness.query_by_label("last minute to act").is_some());
        // Imaged: only the wipe and the rest are left, and nothing urges them on.
        harness
            .state_mut()
            .session
            .apply(Intent::AssignAction {
                action: "image-fs01".into(),
                role: "soc".into(),
            })
            .unwrap();
        harness.run();
        assert!(harness.query_by_label("last minute to act").is_none());
        harness.get_by_label(&format!("acted on · open until T+{closes:02}"));
        harness.get_by_label("Wipe and reimage FS-01 immediately");
    }

    #[test]
    fn a_decision_with_only_a_wrong_approach_left_is_done() {
        let mut session = session();
        session.apply(Intent::Advance { minutes: 30 }).unwrap();
        for (action, role) in [("notify-insurer", "legal"), ("decide-no-payment", "exec")] {
            session
                .apply(Intent::AssignAction {
                    action: action.into(),
                    role: role.into(),
                })
                .unwrap();
        }
        let harness = panel_harness(
            egui::vec2(500.0, 1600.0),
            session.clone(),
            ActionsState::default(),
            decide_ui,
        );
        // The police report is still to decide on: the card stays, the trap with it.
        harness.get_by_label("Report the extortion to the police");
        session
            .apply(Intent::AssignAction {
                action: "report-police".into(),
                role: "legal".into(),
            })
            .unwrap();
        let harness = panel_harness(
            egui::vec2(500.0, 1600.0),
            session,
            ActionsState::default(),
            decide_ui,
        );
        assert!(
            harness
                .query_by_label("Pay at once to stop the leak")
                .is_none()
        );
    }

    #[test]
    fn a_lapsed_decision_keeps_its_place_until_dismissed() {
        let mut session = session();
        session.apply(Intent::Advance { minutes: 10 }).unwrap();
        let open = session.open_decisions();
        let first = open[0].clone();
        let second = open[1].prompt.clone();
        let closes = session.closes_at(&first).unwrap();
        let mut harness = panel_harness(
            egui::vec2(500.0, 1600.0),
            session,
            ActionsState::default(),
            decide_ui,
        );
        let before = harness.get_by_label(&second).rect();
        let minutes = closes + 1 - harness.state().session.minute();
        harness
            .state_mut()
            .session
            .apply(Intent::Advance { minutes })
            .unwrap();
        harness.run();
        assert!(harness.state().session.expired().contains(&first.id));
        assert_eq!(harness.get_by_label(&second).rect(), before);
        assert!(
            harness
                .query_by_label(&format!("closed at T+{closes:02}"))
                .is_some()
        );
        harness.get_by_label("Dismiss").click();
        harness.run();
        assert!(harness.query_by_label(&first.prompt).is_none());
        assert!(harness.get_by_label(&second).rect().top() < before.top());
    }
}
