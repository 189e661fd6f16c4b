//! The facilitator console, the screen of a facilitated session. Beside the room's decisions (the
//! same action composers as in play) the facilitator steers the injects, writes ad-hoc ones, seats
//! people in roles, takes observer notes, drives the projector, and watches the live scorecard and
//! what the matrix expects — none of which reaches the room.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::actions::{ActionsState, actions_ui};
use super::clock_bar::{clock_bar_ui, clock_controls_ui, clock_shortcuts};
use super::widgets::{badge, feed_ui, finding_ui, nothing_to_show_ui, outcome_ui, roles, root_ui};
use crate::app::board::BoardViewport;
use crate::app::exercise::{ActiveExercise, ExerciseBegan, LastOutcome, ScenarioClock};
use crate::app::facilitation::ProjectorState;
use crate::app::flow::Screen;
use crate::app::messages::{CommandWriter, ExerciseCommand, FacilitatorCommand, UiCommand};
use crate::app::theme;
use crate::engine::exercise::{ExerciseRecord, room_feed};
use crate::engine::model::id::RoleId;
use crate::engine::model::matrix::Dimension;
use crate::engine::model::scenario::{Mode, Release};
use crate::engine::reports::scorecard::action_expectation;
use crate::engine::scoring::{FindingKind, obligations, score};
use crate::engine::{Intent, Session};

/// The facilitator's left panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LeftTab {
    /// What the room has been given.
    #[default]
    Feed,
    /// The schedule: release, hold, write an ad-hoc inject.
    Injects,
    /// Who plays which role.
    People,
}

/// The facilitator's right panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RightTab {
    /// The room's decisions, entered as the room makes them.
    #[default]
    Decisions,
    /// Observer notes.
    Notes,
    /// Live scorecard and expectations.
    Scorecard,
}

/// What the console's forms hold between frames.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct ConsoleState {
    /// Left tab.
    pub left: LeftTab,
    /// Right tab.
    pub right: RightTab,
    /// Ad-hoc inject headline.
    pub adhoc_title: String,
    /// Ad-hoc inject text.
    pub adhoc_narrative: String,
    /// Facilitator's name as typed.
    pub facilitator: Option<String>,
    /// Person to seat.
    pub person: String,
    /// Role to seat them in.
    pub person_role: Option<RoleId>,
    /// Note being written.
    pub note: String,
    /// Role the note is about.
    pub note_role: Option<RoleId>,
    /// Dimension the note bears on.
    pub note_dimension: Option<Dimension>,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ConsoleState>()
        .add_systems(
            Update,
            (|mut state: ResMut<ConsoleState>| *state = ConsoleState::default())
                .run_if(on_message::<ExerciseBegan>),
        )
        .add_systems(
            EguiPrimaryContextPass,
            console_system.run_if(in_state(Screen::Console)),
        );
}

fn console_system(
    mut contexts: EguiContexts,
    active: Option<Res<ActiveExercise>>,
    clock: Res<ScenarioClock>,
    outcome: Res<LastOutcome>,
    projector: Res<ProjectorState>,
    mut console: ResMut<ConsoleState>,
    mut actions: ResMut<ActionsState>,
    mut viewport: ResMut<BoardViewport>,
    mut writer: CommandWriter,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx, "console");
    let Some(active) = active else {
        writer.send_all(nothing_to_show_ui(&mut ui, "No session is running"));
        return Ok(());
    };
    let (session, record) = (&active.session, &active.record);
    let mut commands = Vec::new();
    egui::Panel::top("console-top").show(&mut ui, |ui| {
        commands.extend(clock_bar_ui(ui, session, active.mode(), &clock));
        commands.extend(room_bar_ui(ui, session, &clock, *projector));
    });
    egui::Panel::left("console-left")
        .resizable(true)
        .default_size(340.0)
        .min_size(260.0)
        .show(&mut ui, |ui| {
            commands.extend(left_ui(ui, session, record, &mut console));
        });
    egui::Panel::right("console-right")
        .resizable(true)
        .default_size(440.0)
        .min_size(340.0)
        .show(&mut ui, |ui| {
            commands.extend(right_ui(
                ui,
                session,
                record,
                &mut console,
                &mut actions,
                &outcome,
            ));
        });
    viewport.rect = Some(ui.available_rect_before_wrap());
    viewport.pixels_per_point = ctx.pixels_per_point();
    commands.extend(clock_shortcuts(ctx, active.mode(), &clock));
    // B blanks the projector, as the room bar's button does.
    if projector.open
        && !ctx.egui_wants_keyboard_input()
        && ctx.input(|i| i.key_pressed(egui::Key::B))
    {
        commands.push(FacilitatorCommand::BlankProjector(!projector.blank).into());
    }
    writer.send_all(commands);
    Ok(())
}

/// The bar under the title: the scenario clock's and the projector's controls.
pub fn room_bar_ui(
    ui: &mut egui::Ui,
    session: &Session,
    clock: &ScenarioClock,
    projector: ProjectorState,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    ui.horizontal(|ui| {
        ui.label("Clock:");
        out.extend(clock_controls_ui(ui, session, Mode::Facilitated, clock));
        ui.separator();
        ui.label("Projector:");
        if projector.open {
            if ui.button("Close projector").clicked() {
                out.push(UiCommand::Facilitate(FacilitatorCommand::ShowProjector(
                    false,
                )));
            }
            if projector.blank {
                badge(ui, "blank: the room sees nothing", theme::WARNING);
                if ui.button("Show room view").clicked() {
                    out.push(UiCommand::Facilitate(FacilitatorCommand::BlankProjector(
                        false,
                    )));
                }
            } else {
                badge(ui, "showing the room view", theme::SUCCESS);
                if ui.button("Blank projector").on_hover_text("B").clicked() {
                    out.push(UiCommand::Facilitate(FacilitatorCommand::BlankProjector(
                        true,
                    )));
                }
            }
        } else if ui
            .button("Open projector window")
            .on_hover_text(
                "A second window for the room: current inject, artifacts, board and clock",
            )
            .clicked()
        {
            out.push(UiCommand::Facilitate(FacilitatorCommand::ShowProjector(
                true,
            )));
        }
    });
    out
}

/// The left panel: feed, inject schedule, people.
pub fn left_ui(
    ui: &mut egui::Ui,
    session: &Session,
    record: &ExerciseRecord,
    state: &mut ConsoleState,
) -> Vec<UiCommand> {
    ui.horizontal(|ui| {
        ui.selectable_value(&mut state.left, LeftTab::Feed, "Feed");
        ui.selectable_value(&mut state.left, LeftTab::Injects, "Injects");
        ui.selectable_value(&mut state.left, LeftTab::People, "People");
    });
    ui.separator();
    match state.left {
        LeftTab::Feed => {
            feed_ui(ui, &room_feed(session, &record.adhoc_injects));
            Vec::new()
        }
        LeftTab::Injects => {
            egui::ScrollArea::vertical()
                .id_salt("injects-scroll")
                .auto_shrink(false)
                .show(ui, |ui| injects_ui(ui, session, state))
                .inner
        }
        LeftTab::People => {
            egui::ScrollArea::vertical()
                .id_salt("people-scroll")
                .auto_shrink(false)
                .show(ui, |ui| people_ui(ui, session, record, state))
                .inner
        }
    }
}

fn intent(intent: Intent) -> UiCommand {
    UiCommand::Exercise(ExerciseCommand::Intent(intent))
}

/// The schedule of injects still to come, with release/hold controls, and the ad-hoc composer.
pub fn injects_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut ConsoleState,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    ui.heading("Next inject");
    match session.next_scheduled() {
        Some((next, minute)) => {
            ui.label(egui::RichText::new(format!("T+{minute:02} · {}", next.title)).strong());
            if !next.facilitator_notes.is_empty() {
                ui.label(
                    egui::RichText::new(format!("Guidance: {}", next.facilitator_notes))
                        .italics()
                        .weak(),
                );
            }
            ui.horizontal(|ui| {
                if ui.button("Release now").clicked() {
                    out.push(intent(Intent::ReleaseInject {
                        inject: next.id.clone(),
                    }));
                }
                if ui.button("Hold it").clicked() {
                    out.push(intent(Intent::HoldInject {
                        inject: next.id.clone(),
                    }));
                }
            });
        }
        None => {
            ui.label("No more injects on the clock.");
        }
    }
    ui.separator();
    ui.heading("Schedule");
    let pending = session.pending_injects();
    if pending.is_empty() {
        ui.label("Every scripted inject has been released.");
    }
    for inject in pending {
        let held = session.held().contains(&inject.id);
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                let when = match &inject.release {
                    Release::At(m) => format!("T+{m:02}"),
                    Release::When(c) => format!("when {}", c.describe()),
                };
                ui.label(egui::RichText::new(when).monospace().weak());
                ui.label(egui::RichText::new(&inject.title).strong());
                if held {
                    badge(ui, "held", theme::WARNING);
                }
            });
            ui.horizontal(|ui| {
                let id = &inject.id;
                if ui.small_button("Release now").clicked() {
                    out.push(intent(Intent::ReleaseInject { inject: id.clone() }));
                }
                if held {
                    if ui.small_button("Back on schedule").clicked() {
                        out.push(intent(Intent::UnholdInject { inject: id.clone() }));
                    }
                } else if ui.small_button("Hold").clicked() {
                    out.push(intent(Intent::HoldInject { inject: id.clone() }));
                }
            });
        });
    }
    ui.separator();
    ui.heading("Ad-hoc inject");
    ui.label(
        egui::RichText::new(
            "Written now, shown to the room at once; recorded in the report, not graded.",
        )
        .small()
        .weak(),
    );
    let label = ui.label("Headline");
    ui.add(
        egui::TextEdit::singleline(&mut state.adhoc_title)
            .hint_text("e.g. The CFO calls the incident manager")
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    let label = ui.label("What the room is told");
    ui.add(
        egui::TextEdit::multiline(&mut state.adhoc_narrative)
            .desired_rows(3)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    let ready = !state.adhoc_title.trim().is_empty();
    if ui
        .add_enabled(ready, egui::Button::new("Release to the room"))
        .clicked()
    {
        out.push(UiCommand::Facilitate(FacilitatorCommand::AdHocInject {
            title: std::mem::take(&mut state.adhoc_title),
            narrative: std::mem::take(&mut state.adhoc_narrative),
        }));
    }
    out
}

fn optional_role_combo(
    ui: &mut egui::Ui,
    salt: &str,
    choice: &mut Option<RoleId>,
    roles: &[(RoleId, String)],
    none: &str,
) {
    let selected = choice
        .as_ref()
        .and_then(|c| roles.iter().find(|(id, _)| id == c))
        .map_or(none, |(_, name)| name.as_str());
    egui::ComboBox::from_id_salt(salt)
        .selected_text(selected)
        .width(200.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(choice, None, none);
            for (id, name) in roles {
                ui.selectable_value(choice, Some(id.clone()), name);
            }
        });
}

/// The facilitator's name and who plays which role.
pub fn people_ui(
    ui: &mut egui::Ui,
    session: &Session,
    record: &ExerciseRecord,
    state: &mut ConsoleState,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let matrix = session.matrix();
    ui.heading("Facilitator");
    let name = state
        .facilitator
        .get_or_insert_with(|| record.facilitator.clone());
    ui.horizontal(|ui| {
        let label = ui.label("Name");
        let edit = ui
            .add(egui::TextEdit::singleline(name).hint_text("Your name"))
            .labelled_by(label.id);
        let changed = name.trim() != record.facilitator;
        let save = ui.add_enabled(changed, egui::Button::new("Save")).clicked();
        if changed && (save || edit.lost_focus()) {
            out.push(UiCommand::Facilitate(FacilitatorCommand::SetFacilitator(
                name.clone(),
            )));
        }
    });
    ui.separator();
    ui.heading("People in roles");
    if record.participants.is_empty() {
        ui.label("Nobody seated yet. Seat each person or team in the role they play.");
    }
    egui::Grid::new("participants")
        .striped(true)
        .show(ui, |ui| {
            for (index, person) in record.participants.iter().enumerate() {
                ui.label(&person.name);
                ui.label(matrix.role_name(person.role.as_str()));
                if ui.small_button("Remove").clicked() {
                    out.push(UiCommand::Facilitate(FacilitatorCommand::Unseat(index)));
                }
                ui.end_row();
            }
        });
    let roles = roles(session);
    ui.add_space(theme::GAP);
    let label = ui.label("Person or team");
    ui.add(
        egui::TextEdit::singleline(&mut state.person)
            .hint_text("e.g. Dana, or the network team")
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    ui.horizontal(|ui| {
        optional_role_combo(
            ui,
            "seat-role",
            &mut state.person_role,
            &roles,
            "Choose a role",
        );
        let ready = !state.person.trim().is_empty() && state.person_role.is_some();
        if ui.add_enabled(ready, egui::Button::new("Seat")).clicked()
            && let Some(role) = state.person_role.clone()
        {
            out.push(UiCommand::Facilitate(FacilitatorCommand::Seat {
                name: std::mem::take(&mut state.person),
                role,
            }));
        }
    });
    let empty: Vec<String> = session
        .scenario()
        .cast
        .iter()
        .filter(|r| record.people_in(r).is_empty())
        .map(|r| matrix.role_name(r.as_str()).to_owned())
        .collect();
    if !empty.is_empty() {
        ui.add_space(theme::GAP);
        ui.label(
            egui::RichText::new(format!(
                "Roles in this scenario with nobody in them: {}",
                empty.join(", ")
            ))
            .small()
            .color(theme::WARNING),
        );
    }
    out
}

/// The right panel: the room's decisions, notes, the live scorecard.
pub fn right_ui(
    ui: &mut egui::Ui,
    session: &Session,
    record: &ExerciseRecord,
    state: &mut ConsoleState,
    play: &mut ActionsState,
    outcome: &LastOutcome,
) -> Vec<UiCommand> {
    ui.horizontal(|ui| {
        ui.selectable_value(&mut state.right, RightTab::Decisions, "Room's decisions");
        ui.selectable_value(&mut state.right, RightTab::Notes, "Notes");
        ui.selectable_value(&mut state.right, RightTab::Scorecard, "Scorecard");
    });
    ui.separator();
    match state.right {
        RightTab::Decisions => {
            let out = actions_ui(ui, session, play);
            ui.separator();
            // The facilitator sees the reason for a refusal; grading waits for the debrief.
            outcome_ui(ui, outcome, Mode::Facilitated);
            out
        }
        RightTab::Notes => {
            egui::ScrollArea::vertical()
                .id_salt("notes-scroll")
                .auto_shrink(false)
                .show(ui, |ui| notes_ui(ui, session, record, state))
                .inner
        }
        RightTab::Scorecard => {
            egui::ScrollArea::vertical()
                .id_salt("score-scroll")
                .auto_shrink(false)
                .show(ui, |ui| scorecard_ui(ui, session));
            Vec::new()
        }
    }
}

/// Observer notes: the form (tagged with the current minute, a role and a dimension) and the list.
pub fn notes_ui(
    ui: &mut egui::Ui,
    session: &Session,
    record: &ExerciseRecord,
    state: &mut ConsoleState,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let roles = roles(session);
    ui.horizontal(|ui| {
        optional_role_combo(ui, "note-role", &mut state.note_role, &roles, "Any role");
        let selected = state
            .note_dimension
            .map_or("Any dimension", Dimension::label);
        egui::ComboBox::from_id_salt("note-dimension")
            .selected_text(selected)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.note_dimension, None, "Any dimension");
                for d in Dimension::ALL {
                    ui.selectable_value(&mut state.note_dimension, Some(d), d.label());
                }
            });
    });
    let label = ui.label("Observation");
    ui.add(
        egui::TextEdit::multiline(&mut state.note)
            .hint_text("What did you see or hear?")
            .desired_rows(3)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    let ready = !state.note.trim().is_empty();
    if ui
        .add_enabled(
            ready,
            egui::Button::new(format!("Add note at T+{:02}", session.minute())),
        )
        .clicked()
    {
        out.push(UiCommand::Facilitate(FacilitatorCommand::Note {
            role: state.note_role.clone(),
            dimension: state.note_dimension,
            text: std::mem::take(&mut state.note),
        }));
    }
    ui.separator();
    if record.notes.is_empty() {
        ui.label("No notes yet.");
    }
    for note in record.notes.iter().rev() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    egui::RichText::new(format!("T+{:02}", note.minute))
                        .monospace()
                        .weak(),
                );
                if let Some(role) = &note.role {
                    badge(ui, session.matrix().role_name(role.as_str()), theme::ACCENT);
                }
                if let Some(d) = note.dimension {
                    badge(ui, d.label(), egui::Color32::GRAY);
                }
            });
            ui.label(&note.text);
        });
    }
    out
}

/// The live scorecard, the escalations the matrix requires and what it expects for the open
/// decisions: the facilitator's answer key, never projected.
pub fn scorecard_ui(ui: &mut egui::Ui, session: &Session) {
    let card = score(session);
    let matrix = session.matrix();
    ui.horizontal(|ui| {
        ui.heading(format!("Live score {}", card.total));
        badge(ui, "facilitator only", theme::DANGER);
    });
    egui::Grid::new("live-dimensions").show(ui, |ui| {
        for d in Dimension::ALL {
            let value = card.dimension(d);
            ui.label(d.label());
            ui.add(
                egui::ProgressBar::new(value as f32 / 100.0)
                    .desired_width(160.0)
                    .text(value.to_string()),
            );
            ui.end_row();
        }
    });

    ui.separator();
    ui.heading("Escalations due");
    let due = obligations(session);
    if due.is_empty() {
        ui.label("Nothing the matrix requires yet.");
    }
    for o in &due {
        let name = matrix.role_name(o.role.as_str());
        let (text, color) = match o.engaged_at {
            Some(at) if at <= o.deadline => (format!("engaged at T+{at:02}"), theme::SUCCESS),
            Some(at) => (format!("engaged late, at T+{at:02}"), theme::DANGER),
            None if session.minute() > o.deadline => ("overdue".to_owned(), theme::DANGER),
            None => (
                format!("due in {} min", o.deadline - session.minute()),
                theme::WARNING,
            ),
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(
                egui::RichText::new(format!("by T+{:02}", o.deadline))
                    .monospace()
                    .weak(),
            );
            ui.label(egui::RichText::new(name).strong());
            badge(ui, &text, color);
        })
        .response
        .on_hover_text(format!("Because {}. {}", o.because, o.citation));
    }

    ui.separator();
    ui.heading("Open decisions: what the matrix expects");
    let open = session.open_decisions();
    if open.is_empty() {
        ui.label("No decision is open.");
    }
    for decision in open {
        ui.label(egui::RichText::new(&decision.prompt).strong());
        for action in &decision.actions {
            if session.performed().contains_key(&action.id) {
                continue;
            }
            let expected = action_expectation(session, action.id.as_str()).unwrap_or_default();
            ui.label(format!("• {} — {expected}", action.label));
        }
    }

    ui.separator();
    ui.heading("Latest findings");
    let recent: Vec<_> = card
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Deduction)
        .rev()
        .take(5)
        .collect();
    if recent.is_empty() {
        ui.label("No deductions so far.");
    }
    for finding in recent {
        finding_ui(ui, finding);
    }
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;
    use crate::app::testing::ransomware_session;
    use crate::engine::exercise::ExerciseRecord;

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
            })]
        );
        assert!(h.state().state.adhoc_title.is_empty(), "form cleared");
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
            .seat("Dana", "soc".into(), c.session.matrix())
            .unwrap();
        c.state.person_role = Some("legal".into());
        let mut h = harness(c, |ui, c| {
            people_ui(ui, &c.session, &c.record, &mut c.state)
        });
        h.get_by_label("Dana");
        assert!(
            h.query_all_by_label_contains("with nobody in them: Incident Response Manager")
                .next()
                .is_some()
        );
        h.get_by_label("Person or team").focus();
        h.get_by_label("Person or team").type_text("Priya");
        h.run();
        h.get_by_label("Seat").click();
        h.run();
        h.get_by_label("Remove").click();
        h.run();
        assert_eq!(
            h.state().out,
            [
                UiCommand::Facilitate(FacilitatorCommand::Seat {
                    name: "Priya".into(),
                    role: "legal".into(),
                }),
                UiCommand::Facilitate(FacilitatorCommand::Unseat(0)),
            ]
        );
    }

    #[test]
    fn the_scorecard_tab_shows_what_is_due_and_what_the_matrix_expects() {
        let mut c = console();
        c.session.apply(Intent::Advance { minutes: 12 }).unwrap();
        let h = harness(c, |ui, c| {
            scorecard_ui(ui, &c.session);
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
}
