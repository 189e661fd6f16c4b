//! The facilitator's left panel: the feed as the room has it, the inject schedule, the people.

use bevy::prelude::*;
use bevy_egui::egui;

use crate::app::messages::{ExerciseCommand, FacilitatorCommand, UiCommand};
use crate::app::screens::widgets::{badge, feed_ui, optional_role_combo, roles};
use crate::app::theme;
use crate::engine::exercise::{ExerciseRecord, inject_feed};
use crate::engine::model::scenario::Release;
use crate::engine::{Intent, Session};
use crate::hosting::OpenRoom;

use super::state::{ConsoleState, LeftTab};

/// The left panel: feed, inject schedule, people.
pub fn left_ui(
    ui: &mut egui::Ui,
    session: &Session,
    record: &ExerciseRecord,
    room: Option<&OpenRoom>,
    state: &mut ConsoleState,
) -> Vec<UiCommand> {
    ui.horizontal_wrapped(|ui| {
        ui.selectable_value(&mut state.left, LeftTab::Feed, "Feed");
        ui.selectable_value(&mut state.left, LeftTab::Injects, "Injects");
        ui.selectable_value(&mut state.left, LeftTab::People, "People");
        let room_tab = if room.is_some() {
            "Room (open)"
        } else {
            "Room"
        };
        ui.selectable_value(&mut state.left, LeftTab::Room, room_tab);
    });
    ui.separator();
    match state.left {
        LeftTab::Feed => {
            feed_ui(ui, &inject_feed(session, &record.adhoc_injects));
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
        LeftTab::Room => {
            egui::ScrollArea::vertical()
                .id_salt("room-scroll")
                .auto_shrink(false)
                .show(ui, |ui| super::room::room_ui(ui, record, room, state))
                .inner
        }
    }
}

/// The questions for the room of the injects already in, the latest inject's first: what the
/// facilitator asks now. Ungraded.
fn discussion_ui(ui: &mut egui::Ui, session: &Session) {
    let scenario = session.scenario();
    let questions: Vec<(&str, &crate::engine::model::discussion::Discussion)> = session
        .released()
        .iter()
        .rev()
        .flat_map(|id| {
            let title = scenario
                .inject(id.as_str())
                .map_or("", |i| i.title.as_str());
            scenario
                .discussion_after(id.as_str())
                .map(move |d| (title, d))
        })
        .collect();
    if questions.is_empty() {
        return;
    }
    ui.separator();
    ui.heading("To discuss");
    for (title, question) in questions {
        let for_whom = if question.roles.is_empty() {
            "everyone".to_owned()
        } else {
            crate::engine::session::names_list(
                question
                    .roles
                    .iter()
                    .map(|r| session.matrix().role_name(r.as_str()).to_owned())
                    .collect(),
            )
        };
        ui.label(egui::RichText::new(&question.prompt).strong());
        ui.label(
            egui::RichText::new(format!("After \u{201c}{title}\u{201d} · for {for_whom}")).weak(),
        );
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
            ui.horizontal_wrapped(|ui| {
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
    discussion_ui(ui, session);
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
                if let Release::At(m) = &inject.release {
                    ui.label(egui::RichText::new(format!("T+{m:02}")).monospace().weak());
                }
                ui.label(egui::RichText::new(&inject.title).strong());
                if held {
                    badge(ui, "held", theme::palette(ui).warning);
                }
            });
            if let Release::When(condition) = &inject.release {
                ui.label(
                    egui::RichText::new(format!("When: {}", session.describe_condition(condition)))
                        .weak(),
                );
            }
            ui.horizontal_wrapped(|ui| {
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
            "Written now, shown at once to the room (the projector, and the seats it is sent \
             to); recorded in the report, not graded.",
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
    let everyone = "Everyone";
    let role_name = |role: &crate::engine::model::id::RoleId| {
        session.matrix().role_name(role.as_str()).to_owned()
    };
    let shown = state
        .adhoc_to
        .as_ref()
        .map_or(everyone.to_owned(), role_name);
    let label = ui.label("Sent to");
    egui::ComboBox::from_id_salt("adhoc-to")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut state.adhoc_to, None, everyone);
            for role in &session.scenario().cast {
                ui.selectable_value(&mut state.adhoc_to, Some(role.clone()), role_name(role));
            }
        })
        .response
        .labelled_by(label.id);
    let title = state.adhoc_title.trim();
    // The same headline again, straight after, is a second click rather than a second inject.
    let repeat = state
        .adhoc_released
        .as_ref()
        .is_some_and(|(last, _)| last == title);
    let ready = !title.is_empty() && !repeat;
    let button = ui.add_enabled(ready, egui::Button::new("Release to the room"));
    if button.clicked() {
        state.adhoc_released = Some((title.to_owned(), session.minute()));
        out.push(UiCommand::Facilitate(FacilitatorCommand::AdHocInject {
            title: std::mem::take(&mut state.adhoc_title),
            narrative: std::mem::take(&mut state.adhoc_narrative),
            to: state.adhoc_to.clone(),
        }));
    }
    if let Some((last, minute)) = &state.adhoc_released {
        ui.colored_label(
            theme::palette(ui).success,
            format!("Released to the room at T+{minute:02}: \u{201c}{last}\u{201d}"),
        );
        if repeat {
            ui.label(
                egui::RichText::new("Already released; change the headline to release another.")
                    .weak(),
            );
        }
    }
    out
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
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Name");
        let edit = ui
            .add(
                egui::TextEdit::singleline(name)
                    .hint_text("Your name")
                    .desired_width((ui.available_width() - 60.0).clamp(80.0, 280.0)),
            )
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
    ui.label(
        egui::RichText::new(
            "Who plays which role, for the report and the hotwash. Devices that join the room take \
             seats on the Room tab.",
        )
        .small()
        .weak(),
    );
    if record.participants.is_empty() {
        ui.label("Nobody in a role yet. Add each person or team with the role they play.");
    }
    egui::Grid::new("participants")
        .striped(true)
        .show(ui, |ui| {
            for (index, person) in record.participants.iter().enumerate() {
                ui.label(&person.name);
                ui.label(matrix.role_name(person.role.as_str()));
                if ui.small_button("Remove").clicked() {
                    out.push(UiCommand::Facilitate(FacilitatorCommand::TakeOutOfRole(
                        index,
                    )));
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
    ui.horizontal_wrapped(|ui| {
        optional_role_combo(
            ui,
            "person-role",
            &mut state.person_role,
            &roles,
            "Choose a role",
        );
        let ready = !state.person.trim().is_empty() && state.person_role.is_some();
        if ui
            .add_enabled(ready, egui::Button::new("Add to role"))
            .clicked()
            && let Some(role) = state.person_role.clone()
        {
            out.push(UiCommand::Facilitate(FacilitatorCommand::PutInRole {
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
            .color(theme::palette(ui).warning),
        );
    }
    out
}
