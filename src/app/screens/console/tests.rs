use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

use bevy_egui::egui;

use super::*;
use crate::app::exercise::ScenarioClock;
use crate::app::facilitation::ProjectorState;
use crate::app::messages::{ExerciseCommand, FacilitatorCommand, UiCommand};
use crate::app::testing::ransomware_session;
use crate::engine::exercise::ExerciseRecord;
use crate::engine::model::matrix::Dimension;
use crate::engine::model::scenario::Mode;
use crate::engine::{Intent, Session};

/// What a console panel test drives: a session, the record, the form state, what was sent.
struct Console {
    session: Session,
    record: ExerciseRecord,
    state: ConsoleState,
    out: Vec<UiCommand>,
}

fn console() -> Console {
    let session = ransomware_session(4);
    let record = ExerciseRecord::new("t", Mode::Facilitated, 0, &session);
    Console {
        session,
        record,
        state: ConsoleState::default(),
        out: Vec::new(),
    }
}

fn harness(
    c: Console,
    view: impl Fn(&mut egui::Ui, &mut Console) -> Vec<UiCommand> + 'static,
) -> Harness<'static, Console> {
    sized(egui::vec2(420.0, 1400.0), c, view)
}

fn sized(
    size: egui::Vec2,
    c: Console,
    view: impl Fn(&mut egui::Ui, &mut Console) -> Vec<UiCommand> + 'static,
) -> Harness<'static, Console> {
    Harness::builder().with_size(size).build_ui_state(
        move |ui, c: &mut Console| {
            let out = view(ui, c);
            c.out.extend(out);
        },
        c,
    )
}

fn injects(ui: &mut egui::Ui, c: &mut Console) -> Vec<UiCommand> {
    injects_ui(ui, &c.session, &mut c.state)
}

#[test]
fn the_next_inject_can_be_released_early_or_held() {
    let mut h = harness(console(), injects);
    h.get_by_label("T+10 · Ransom note and spreading encryption");
    // Guidance for the facilitator is shown with the next inject.
    assert!(
        h.query_all_by_label_contains("Guidance: The order matters")
            .next()
            .is_some()
    );
    // The first "Release now" is the next inject's; the schedule repeats it per inject.
    h.get_all_by_label("Release now").next().unwrap().click();
    h.run();
    h.get_by_label("Hold it").click();
    h.run();
    assert_eq!(
        h.state().out,
        [
            UiCommand::Exercise(ExerciseCommand::Intent(Intent::ReleaseInject {
                inject: "ransom-note".into()
            })),
            UiCommand::Exercise(ExerciseCommand::Intent(Intent::HoldInject {
                inject: "ransom-note".into()
            })),
        ]
    );
}

#[test]
fn a_held_inject_is_marked_and_can_go_back_on_schedule() {
    let mut c = console();
    c.session
        .apply(Intent::HoldInject {
            inject: "ransom-note".into(),
        })
        .unwrap();
    let mut h = harness(c, injects);
    h.get_by_label("held");
    // The next inject on the clock is now the one after the held one.
    assert!(
        h.query_by_label("T+10 · Ransom note and spreading encryption")
            .is_none()
    );
    h.get_by_label("Back on schedule").click();
    h.run();
    assert_eq!(
        h.state().out,
        [UiCommand::Exercise(ExerciseCommand::Intent(
            Intent::UnholdInject {
                inject: "ransom-note".into()
            }
        ))]
    );
}

#[test]
fn an_adhoc_inject_needs_a_title_and_is_released_as_written() {
    let mut h = harness(console(), injects);
    h.get_by_label("Release to the room").click();
    h.run();
    assert!(h.state().out.is_empty(), "no title, nothing released");
    h.get_by_label("Headline").focus();
    h.get_by_label("Headline").type_text("CFO on the phone");
    h.run();
    h.get_by_label("What the room is told").focus();
    h.get_by_label("What the room is told")
        .type_text("Is payroll safe?");
    h.run();
    h.get_by_label("Release to the room").click();
    h.run();
    assert_eq!(
        h.state().out,
        [UiCommand::Facilitate(FacilitatorCommand::AdHocInject {
            title: "CFO on the phone".into(),
            narrative: "Is payroll safe?".into(),
            to: None,
        })]
    );
    assert!(h.state().state.adhoc_title.is_empty(), "form cleared");
    // The release is said, and the same headline typed again is not released twice.
    h.get_by_label("Released to the room at T+00: \u{201c}CFO on the phone\u{201d}");
    h.get_by_label("Headline").focus();
    h.get_by_label("Headline").type_text("CFO on the phone");
    h.run();
    h.get_by_label("Release to the room").click();
    h.run();
    assert_eq!(h.state().out.len(), 1, "released once");
    h.get_by_label("Already released; change the headline to release another.");
    // Another, sent to one seat only.
    h.state_mut().state.adhoc_title.clear();
    h.get_by_label("Sent to").click();
    h.run();
    h.get_by_label("Legal Counsel").click();
    h.run();
    h.get_by_label("Headline").focus();
    h.get_by_label("Headline")
        .type_text("A journalist emails Legal");
    h.run();
    h.get_by_label("Release to the room").click();
    h.run();
    assert_eq!(
        h.state().out.last(),
        Some(&UiCommand::Facilitate(FacilitatorCommand::AdHocInject {
            title: "A journalist emails Legal".into(),
            narrative: String::new(),
            to: Some("legal".into()),
        }))
    );
}

#[test]
fn a_note_carries_the_minute_role_and_dimension_chosen() {
    let mut c = console();
    c.session.apply(Intent::Advance { minutes: 7 }).unwrap();
    c.state.note_role = Some("soc".into());
    c.state.note_dimension = Some(Dimension::Evidence);
    c.record.notes.push(crate::engine::exercise::ObserverNote {
        minute: 2,
        role: Some("it_ops".into()),
        dimension: None,
        text: "Asked who owns FS-01".into(),
        after_intents: None,
    });
    let mut h = harness(c, |ui, c| notes_ui(ui, &c.session, &c.record, &mut c.state));
    h.get_by_label("Asked who owns FS-01");
    h.get_by_label("IT Operations");
    h.get_by_label("Observation").focus();
    h.get_by_label("Observation")
        .type_text("Imaged before isolating");
    h.run();
    h.get_by_label("Add note at T+07").click();
    h.run();
    assert_eq!(
        h.state().out,
        [UiCommand::Facilitate(FacilitatorCommand::Note {
            role: Some("soc".into()),
            dimension: Some(Dimension::Evidence),
            text: "Imaged before isolating".into(),
        })]
    );
}

#[test]
fn people_are_seated_in_roles_and_empty_roles_are_pointed_out() {
    let mut c = console();
    c.record
        .put_in_role("Dana", "soc".into(), c.session.matrix())
        .unwrap();
    c.state.person_role = Some("legal".into());
    let mut h = harness(c, |ui, c| {
        people_ui(ui, &c.session, &c.record, &mut c.state)
    });
    h.get_by_label("Dana");
    // People are not seats: the tab says where the devices' seats are.
    h.get_by_label_contains("Devices that join the room take seats on the Room tab");
    assert!(
        h.query_all_by_label_contains("with nobody in them: Incident Response Manager")
            .next()
            .is_some()
    );
    h.get_by_label("Person or team").focus();
    h.get_by_label("Person or team").type_text("Priya");
    h.run();
    h.get_by_label("Add to role").click();
    h.run();
    h.get_by_label("Remove").click();
    h.run();
    assert_eq!(
        h.state().out,
        [
            UiCommand::Facilitate(FacilitatorCommand::PutInRole {
                name: "Priya".into(),
                role: "legal".into(),
            }),
            UiCommand::Facilitate(FacilitatorCommand::TakeOutOfRole(0)),
        ]
    );
}

#[test]
fn the_scorecard_tab_shows_what_is_due_and_what_the_matrix_expects() {
    let mut c = console();
    c.session.apply(Intent::Advance { minutes: 12 }).unwrap();
    let h = harness(c, |ui, c| {
        scorecard_ui(ui, &c.session, &crate::engine::scoring::score(&c.session));
        Vec::new()
    });
    h.get_by_label("Legal Counsel");
    assert!(
        h.query_all_by_label_contains("due in 28 min")
            .next()
            .is_some()
    );
    assert!(
        h.query_all_by_label_contains(
            "Capture memory and disk images of FS-01 — Responsible: Security Operations Center"
        )
        .next()
        .is_some()
    );
    h.get_by_label("facilitator only");
}

/// Once the triage decision has closed with nobody acting, the score is graded and says why it is
/// what it is.
#[test]
fn the_live_score_says_how_it_follows() {
    // Nothing has fallen due at the start: no score, and no zero either.
    let h = harness(console(), |ui, c| {
        scorecard_ui(ui, &c.session, &crate::engine::scoring::score(&c.session));
        Vec::new()
    });
    h.get_by_label("Live score: not graded yet");

    let mut c = console();
    c.session.apply(Intent::Advance { minutes: 16 }).unwrap();
    let h = harness(c, |ui, c| {
        scorecard_ui(ui, &c.session, &crate::engine::scoring::score(&c.session));
        Vec::new()
    });
    h.get_by_label("Live score 0");
    assert!(
        h.query_all_by_label_contains("nobody acted on 1 of 1 required decisions")
            .next()
            .is_some()
    );
}

#[test]
fn the_room_bar_starts_the_clock_and_drives_the_projector() {
    let mut c = console();
    let clock = ScenarioClock::default();
    let closed = ProjectorState::default();
    let mut h = sized(egui::vec2(1280.0, 60.0), c, move |ui, c| {
        room_bar_ui(ui, &c.session, &clock, closed)
    });
    h.get_by_label("Start clock").click();
    h.run();
    h.get_by_label("Open projector window").click();
    h.run();
    c = h.into_state();
    let shown = ProjectorState {
        open: true,
        blank: false,
    };
    let mut h = sized(egui::vec2(1280.0, 60.0), c, move |ui, c| {
        room_bar_ui(ui, &c.session, &ScenarioClock::default(), shown)
    });
    h.get_by_label("Blank projector").click();
    h.run();
    h.get_by_label("Close projector").click();
    h.run();
    assert_eq!(
        h.state().out,
        [
            UiCommand::Exercise(ExerciseCommand::SetClockRunning(true)),
            UiCommand::Facilitate(FacilitatorCommand::ShowProjector(true)),
            UiCommand::Facilitate(FacilitatorCommand::BlankProjector(true)),
            UiCommand::Facilitate(FacilitatorCommand::ShowProjector(false)),
        ]
    );
}

/// A room link that answers from fixed data, for the Room tab's tests.
struct StandInRoom;

impl crate::hosting::RoomLink for StandInRoom {
    fn addresses(&self) -> crate::hosting::RoomAddresses {
        crate::hosting::RoomAddresses {
            join: "http://192.0.2.7:8470/room/abc".into(),
            projector: "http://192.0.2.7:8470/room/abc/projector".into(),
            console: "http://192.0.2.7:8470/console/def".into(),
            port: 8470,
        }
    }
    fn revision(&self) -> u64 {
        0
    }
    fn start_following(&self) -> (Session, ExerciseRecord) {
        unreachable!("the tab only reads the record it is given")
    }
    fn follow(&self, _: &mut Session, _: &mut ExerciseRecord) {}
    fn submit(&self, _: Intent) -> Result<(), crate::hosting::Refusal> {
        Ok(())
    }
    fn edit(&self, _: crate::hosting::RecordEdit<'_>) -> Result<(), crate::hosting::Refusal> {
        Ok(())
    }
    fn chat(&self, _: &str, _: &str) -> Result<(), crate::hosting::Refusal> {
        Ok(())
    }
    fn manage(&self, _: &crate::engine::room::SeatChange) -> Result<(), crate::hosting::Refusal> {
        Ok(())
    }
    fn connected(&self, seat: &str) -> usize {
        usize::from(seat == "soc")
    }
    fn on_change(&self, _: Box<dyn Fn() + Send + Sync>) {}
    fn save_problem(&self) -> Option<crate::hosting::Refusal> {
        None
    }
}

#[test]
fn the_room_tab_asks_who_may_join_before_opening() {
    let mut h = harness(console(), |ui, c| {
        room_ui(ui, &c.record, None, &mut c.state)
    });
    h.get_by_label("Devices on this computer's network").click();
    h.run();
    h.get_by_label_contains("The firewall must let them reach this computer");
    h.get_by_label("Open the room").click();
    h.run();
    assert_eq!(
        h.state().out,
        [UiCommand::Exercise(ExerciseCommand::OpenRoom {
            local_network: true
        })]
    );
}

#[test]
fn the_open_room_tab_shows_where_to_join_and_who_sits_where() {
    use crate::engine::room::SeatChange;
    use crate::engine::room::{ChatLine, RoomRecord, Seat};
    use crate::hosting::OpenRoom;
    let mut c = console();
    let mut room = RoomRecord::new("abc".into(), "def".into(), Seat::per_role(&c.session));
    room.take("soc", "Ana", "t1".into()).unwrap();
    room.chat(ChatLine {
        seat: "soc".into(),
        from_facilitator: false,
        person: "Ana".into(),
        minute: 2,
        text: "Do we image first?".into(),
    })
    .unwrap();
    c.record.room = Some(room);
    let mut link = OpenRoom::new(std::sync::Arc::new(StandInRoom));
    link.count_connected(["soc"]);
    let mut h = harness(c, move |ui, c| {
        room_ui(ui, &c.record, Some(&link), &mut c.state)
    });
    h.get_by_label("http://192.0.2.7:8470/room/abc");
    h.get_by_label("#1 Ana");
    h.get_by_label_contains("1 connected · 0 sent");
    h.get_by_label("T+02 Ana: Do we image first?");
    h.get_all_by_label("Close").next().unwrap().click();
    h.run();
    h.get_by_label("Remove").click();
    h.run();
    // Sending someone away is asked first; keeping them sends nothing.
    h.get_by_label("Send #1 Ana away? Their page says so and how to join again.");
    h.get_by_label("Keep").click();
    h.run();
    assert!(
        h.query_by_label("Send #1 Ana away? Their page says so and how to join again.")
            .is_none()
    );
    h.get_by_label("Remove").click();
    h.run();
    h.get_all_by_label("Remove").last().unwrap().click();
    h.run();
    h.get_by_label("Close the room").click();
    h.run();
    assert_eq!(
        h.state().out,
        [
            UiCommand::Exercise(ExerciseCommand::ManageSeat(SeatChange::CloseSeat(
                "soc".into()
            ))),
            UiCommand::Exercise(ExerciseCommand::ManageSeat(SeatChange::RemoveDevice(1))),
            UiCommand::Exercise(ExerciseCommand::CloseRoom),
        ]
    );
}

#[test]
fn the_questions_for_the_room_come_with_their_inject() {
    let mut c = console();
    // At T+00 the opening alert is in: its question is for everyone.
    let h = harness(c, injects);
    h.get_by_label("To discuss");
    h.get_by_label(
        "What must happen in the next ten minutes, in what order, and who does each step?",
    );
    h.get_by_label_contains("for everyone");
    assert!(
        h.query_all_by_label_contains("Who here may decide whether to pay")
            .next()
            .is_none()
    );
    // Once the negotiator's deadline is in, its question for Leadership and Legal comes first.
    c = console();
    c.session.apply(Intent::Advance { minutes: 30 }).unwrap();
    let h = harness(c, injects);
    h.get_by_label_contains("for Business Leadership and Legal Counsel");
}

/// On the console, the Room tab's lists keep clear of the panel's edge, where the scroll bar and
/// the board begin, at the small windows and scales a facilitator uses.
#[test]
fn the_room_tabs_lists_keep_clear_of_the_panels_edge() {
    use crate::app::exercise::{InjectBanner, LastOutcome, ScoreTrail};
    use crate::app::screens::actions::ActionsState;
    use crate::engine::room::{RoomRecord, Seat};
    use crate::hosting::OpenRoom;
    let c = console();
    let mut record = c.record.clone();
    let mut room = RoomRecord::new("abc".into(), "def".into(), Seat::per_role(&c.session));
    room.take("soc", "Ana", "t1".into()).unwrap();
    record.room = Some(room);
    for (width, height, scale) in [
        (1024.0, 640.0, 1.0),
        (1280.0, 720.0, 1.5),
        (1600.0, 900.0, 1.25),
    ] {
        let (session, record) = (c.session.clone(), record.clone());
        let link = OpenRoom::new(std::sync::Arc::new(StandInRoom));
        let clock = ScenarioClock::default();
        let (outcome, trail, banner) = (
            LastOutcome::None,
            ScoreTrail::default(),
            InjectBanner::default(),
        );
        let state = ConsoleState {
            left: LeftTab::Room,
            ..ConsoleState::default()
        };
        let mut h =
            Harness::builder()
                .with_size(egui::vec2(width / scale, height / scale))
                .with_pixels_per_point(scale)
                .build_ui_state(
                    move |ui,
                          (state, actions, board): &mut (
                        ConsoleState,
                        ActionsState,
                        egui::Rect,
                    )| {
                        crate::app::theme::apply_style(ui.ctx());
                        let view = ConsoleView {
                            session: &session,
                            record: &record,
                            room: Some(&link),
                            clock: &clock,
                            projector: ProjectorState::default(),
                            outcome: &outcome,
                            trail: &trail,
                            banner: &banner,
                        };
                        *board = console_ui(ui, &view, state, actions).1;
                    },
                    (state, ActionsState::default(), egui::Rect::NOTHING),
                );
        h.run();
        let edge = h.state().2.left();
        let lists: Vec<egui::Rect> = h
            .query_all_by_value("Combine with…")
            .chain(h.query_all_by_value("Move to…"))
            .map(|n| n.rect())
            .collect();
        assert!(!lists.is_empty());
        for rect in lists {
            assert!(
                rect.right() <= edge - 8.0,
                "{width}×{height} at {scale}×: a list ends at {} by the panel's edge at {edge}",
                rect.right()
            );
        }
    }
}
