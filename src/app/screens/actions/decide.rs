//! Decision points, severity and the incident declaration.

use std::collections::BTreeSet;

use bevy_egui::egui;

use super::drafts::ActionsState;
use crate::app::messages::UiCommand;
use crate::app::screens::widgets::{badge, role_combo, roles, wrap_before};
use crate::app::theme;
use crate::engine::model::id::DecisionId;
use crate::engine::model::scenario::DecisionPoint;
use crate::engine::{Intent, Session};

/// Room the severity picker takes beside "Who decides?".
const SEVERITY_COMBO_WIDTH: f32 = 120.0;

/// "closes in 4 min" on a decision with a window; red on its last minute. Once the decision has
/// been acted on, what it still offers is optional and the chip says so without urgency: a
/// countdown over what is left (a wipe, a wrong approach) would push toward it.
fn closing_chip(
    ui: &egui::Ui,
    session: &Session,
    decision: &DecisionPoint,
) -> Option<(String, egui::Color32)> {
    let closes = session.closes_at(decision)?;
    let left = closes.saturating_sub(session.minute());
    if session.decision_taken(decision) {
        return Some((
            format!("acted on · open until T+{closes:02}"),
            ui.visuals().weak_text_color(),
        ));
    }
    Some(match left {
        0 | 1 => ("last minute to act".to_owned(), theme::palette(ui).danger),
        2..=5 => (format!("closes in {left} min"), theme::palette(ui).warning),
        _ => (format!("closes in {left} min"), theme::palette(ui).accent),
    })
}

/// A decision time closed before anyone acted on it: where its card was, greyed, with what was
/// left undone, until dismissed.
fn lapsed_card_ui(
    ui: &mut egui::Ui,
    session: &Session,
    decision: &DecisionPoint,
    state: &mut ActionsState,
) {
    let frame = egui::Frame::group(ui.style());
    // As tall as the open card was, so nothing below it moves.
    let height = state
        .card_heights
        .get(&decision.id)
        .map_or(0.0, |h| h - frame.total_margin().sum().y);
    frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.set_min_height(height);
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(&decision.prompt).weak());
            let closed = session
                .closes_at(decision)
                .map_or_else(|| "closed".to_owned(), |at| format!("closed at T+{at:02}"));
            badge(ui, &closed, theme::palette(ui).danger);
        });
        for action in &decision.actions {
            if !session.performed().contains_key(&action.id) {
                ui.label(egui::RichText::new(format!("Not done: {}", action.label)).weak());
            }
        }
        if ui.button("Dismiss").clicked() {
            state.dismissed.insert(decision.id.clone());
        }
    });
}

/// Decision points: pick who carries out each action; classify severity; declare an incident.
pub fn decide_ui(ui: &mut egui::Ui, session: &Session, state: &mut ActionsState) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let roles = roles(session);
    let open: BTreeSet<&DecisionId> = session.open_decisions().iter().map(|d| &d.id).collect();
    // A decision that lapsed keeps its place, greyed, until the player dismisses it: cards do not
    // jump under the pointer when time closes one above.
    let lapsed = |d: &DecisionPoint| {
        session.expired().contains(&d.id)
            && !state.dismissed.contains(&d.id)
            && d.actions
                .iter()
                .any(|a| !session.performed().contains_key(&a.id))
    };
    // Each released decision in release order, with whether it lapsed.
    let shown: Vec<(&DecisionPoint, bool)> = session
        .released()
        .iter()
        .filter_map(|id| session.scenario().inject(id.as_str()))
        .flat_map(|i| i.decisions.iter())
        .filter_map(|d| {
            // Every option that resolves it done: what is left is a wrong approach.
            if open.contains(&d.id) && !session.decision_done(d) {
                Some((d, false))
            } else {
                lapsed(d).then_some((d, true))
            }
        })
        .collect();
    if shown.is_empty() {
        ui.label(
            egui::RichText::new(
                "No decision is waiting. Let time pass, or hand off, escalate and communicate.",
            )
            .weak(),
        );
    }
    for (decision, lapsed) in shown {
        if lapsed {
            lapsed_card_ui(ui, session, decision, state);
            continue;
        }
        let card = egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(&decision.prompt).strong());
                if let Some((text, color)) = closing_chip(ui, session, decision) {
                    badge(ui, &text, color);
                }
            });
            for action in &decision.actions {
                if session.performed().contains_key(&action.id) {
                    continue;
                }
                ui.horizontal_wrapped(|ui| {
                    ui.label(&action.label);
                });
                ui.horizontal_wrapped(|ui| {
                    let mut choice = state.assign.get(&action.id).cloned();
                    role_combo(
                        ui,
                        &format!("assign-{}", action.id),
                        &mut choice,
                        &roles,
                        "Who does it?",
                    );
                    if let Some(role) = &choice {
                        state.assign.insert(action.id.clone(), role.clone());
                    }
                    let button = ui
                        .add_enabled(choice.is_some(), egui::Button::new("Assign"))
                        .on_hover_text(format!("Assign: {}", action.label));
                    if button.clicked()
                        && let Some(role) = choice
                    {
                        out.push(
                            Intent::AssignAction {
                                action: action.id.clone(),
                                role,
                            }
                            .into(),
                        );
                    }
                });
            }
        });
        state
            .card_heights
            .insert(decision.id.clone(), card.response.rect.height());
    }
    ui.add_space(theme::GAP);
    ui.label(egui::RichText::new("Severity and declaration").strong());
    let matrix = session.matrix();
    if state.classify_level == 0 {
        state.classify_level = session.severity();
    }
    ui.horizontal_wrapped(|ui| {
        role_combo(
            ui,
            "classify-by",
            &mut state.classify_by,
            &roles,
            "Who decides?",
        );
        wrap_before(ui, SEVERITY_COMBO_WIDTH);
        egui::ComboBox::from_id_salt("classify-level")
            .width(SEVERITY_COMBO_WIDTH - 2.0 * ui.spacing().button_padding.x)
            .selected_text(
                matrix
                    .severity(state.classify_level)
                    .map_or_else(String::new, |s| format!("{} · {}", s.level, s.name)),
            )
            .show_ui(ui, |ui| {
                for s in &matrix.escalation.severities {
                    ui.selectable_value(
                        &mut state.classify_level,
                        s.level,
                        format!("{} · {}", s.level, s.name),
                    )
                    .on_hover_text(&s.description);
                }
            });
    });
    ui.horizontal_wrapped(|ui| {
        let by = state.classify_by.clone();
        if ui
            .add_enabled(by.is_some(), egui::Button::new("Classify severity"))
            .clicked()
            && let Some(by) = by.clone()
        {
            out.push(
                Intent::ClassifySeverity {
                    level: state.classify_level,
                    by,
                }
                .into(),
            );
        }
        let can_declare = by.is_some() && session.declared_at().is_none();
        if ui
            .add_enabled(can_declare, egui::Button::new("Declare incident"))
            .clicked()
            && let Some(by) = by
        {
            out.push(Intent::DeclareIncident { by }.into());
        }
        if let Some(at) = session.declared_at() {
            ui.label(format!("Declared at T+{at:02}"));
        }
    });
    out
}
