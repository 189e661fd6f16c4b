//! The facilitator's right panel: the room's decisions, observer notes, and the live scorecard.

use bevy::prelude::*;
use bevy_egui::egui;

use crate::app::exercise::LastOutcome;
use crate::app::messages::{FacilitatorCommand, UiCommand};
use crate::app::screens::actions::{ActionsState, action_body_ui, action_tabs_ui};
use crate::app::screens::widgets::{
    badge, finding_ui, optional_role_combo, outcome_ui, roles, wrap_before,
};
use crate::app::theme;
use crate::engine::Session;
use crate::engine::exercise::ExerciseRecord;
use crate::engine::model::matrix::Dimension;
use crate::engine::model::scenario::Mode;
use crate::engine::reports::scorecard::action_expectation;
use crate::engine::scoring::{FindingKind, Scorecard, obligations, score};

use super::state::{ConsoleState, RightTab};

/// The right panel: the room's decisions, notes, the live scorecard.
pub fn right_ui(
    ui: &mut egui::Ui,
    session: &Session,
    record: &ExerciseRecord,
    state: &mut ConsoleState,
    play: &mut ActionsState,
    (outcome, card): (&LastOutcome, Option<&Scorecard>),
) -> Vec<UiCommand> {
    ui.horizontal_wrapped(|ui| {
        ui.selectable_value(&mut state.right, RightTab::Decisions, "Room's decisions");
        ui.selectable_value(&mut state.right, RightTab::Notes, "Notes");
        ui.selectable_value(&mut state.right, RightTab::Scorecard, "Scorecard");
    });
    ui.separator();
    match state.right {
        RightTab::Decisions => {
            action_tabs_ui(ui, session, play);
            let out = action_body_ui(ui, session, Mode::Facilitated, play);
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
                .show(ui, |ui| match card {
                    Some(card) => scorecard_ui(ui, session, card),
                    // Graded once, when nothing has been graded yet this run.
                    None => scorecard_ui(ui, session, &score(session)),
                });
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
    ui.horizontal_wrapped(|ui| {
        optional_role_combo(ui, "note-role", &mut state.note_role, &roles, "Any role");
        let selected = state
            .note_dimension
            .map_or("Any dimension", Dimension::label);
        wrap_before(ui, 140.0);
        egui::ComboBox::from_id_salt("note-dimension")
            .width(120.0)
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
                    badge(
                        ui,
                        session.matrix().role_name(role.as_str()),
                        theme::palette(ui).accent,
                    );
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

/// The live scorecard (as graded after the last change: drawing does not grade), the escalations
/// the matrix requires and what it expects for the open decisions: the facilitator's answer key,
/// never projected.
pub fn scorecard_ui(ui: &mut egui::Ui, session: &Session, card: &Scorecard) {
    let matrix = session.matrix();
    ui.horizontal_wrapped(|ui| {
        if card.graded() {
            ui.heading(format!("Live score {}", card.total));
        } else {
            ui.heading("Live score: not graded yet");
        }
        badge(ui, "facilitator only", theme::palette(ui).danger);
    });
    ui.label(egui::RichText::new(card.total_explained()).weak());
    let bar = |ui: &mut egui::Ui, d: Dimension, width: f32| match card.dimension(d) {
        Some(value) => {
            ui.add(
                egui::ProgressBar::new(value as f32 / 100.0)
                    .desired_width(width)
                    .text(value.to_string()),
            );
        }
        None => {
            ui.label(egui::RichText::new("not tested yet").weak());
        }
    };
    // Labels beside their bars where the widest, "Separation of duties", leaves room for one.
    if ui.available_width() >= 320.0 {
        let width = (ui.available_width() - 170.0).min(160.0);
        egui::Grid::new("live-dimensions").show(ui, |ui| {
            for d in Dimension::ALL {
                ui.label(d.label());
                bar(ui, d, width);
                ui.end_row();
            }
        });
    } else {
        for d in Dimension::ALL {
            ui.label(d.label());
            bar(ui, d, ui.available_width());
        }
    }
    ui.separator();
    ui.heading("Escalations due");
    let due = obligations(session);
    if due.is_empty() {
        ui.label("Nothing the matrix requires yet.");
    }
    for o in &due {
        let name = matrix.role_name(o.role.as_str());
        let (text, color) = match o.engaged_at {
            Some(at) if at <= o.deadline => {
                (format!("engaged at T+{at:02}"), theme::palette(ui).success)
            }
            Some(at) => (
                format!("engaged late, at T+{at:02}"),
                theme::palette(ui).danger,
            ),
            None if session.minute() > o.deadline => {
                ("overdue".to_owned(), theme::palette(ui).danger)
            }
            None => (
                format!("due in {} min", o.deadline - session.minute()),
                theme::palette(ui).warning,
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
