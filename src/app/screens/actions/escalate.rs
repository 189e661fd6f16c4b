//! The escalation dialog.

use bevy_egui::egui;

use super::drafts::EscalationDraft;
use crate::app::screens::widgets::{due_badge, role_combo, role_toggles, roles};
use crate::app::theme;
use crate::engine::model::scenario::Mode;
use crate::engine::scoring::obligations;
use crate::engine::{Intent, Session};

/// The escalation dialog.
pub fn escalate_ui(
    ui: &mut egui::Ui,
    session: &Session,
    mode: Mode,
    draft: &mut EscalationDraft,
) -> Option<Intent> {
    let roles = roles(session);
    ui.horizontal_wrapped(|ui| {
        ui.label("Escalating role");
        role_combo(
            ui,
            "escalate-from",
            &mut draft.from,
            &roles,
            "who escalates",
        );
    });
    ui.label("Engage:");
    let choices = roles.relabelled(|id, name| match session.engaged().get(id) {
        Some(at) => format!("{name} (engaged T+{at:02})"),
        None => name.to_owned(),
    });
    role_toggles(ui, "escalate-to", &mut draft.to, &choices, |_| true, "");
    ui.add(
        egui::TextEdit::singleline(&mut draft.reason)
            .hint_text("Why (one sentence)")
            .desired_width(f32::INFINITY),
    );
    let ready = draft.from.clone().filter(|_| !draft.to.is_empty());
    if ui
        .add_enabled(ready.is_some(), egui::Button::new("Escalate"))
        .clicked()
        && let Some(from) = ready
    {
        let intent = Intent::Escalate {
            from,
            to: draft.to.iter().cloned().collect(),
            reason: draft.reason.trim().to_owned(),
        };
        *draft = EscalationDraft::default();
        return Some(intent);
    }
    if mode == Mode::Practice {
        deadlines_ui(ui, session);
    }
    None
}

/// Practice coaches: the escalations the matrix now requires and how long is left for each. A
/// drill keeps them for the debrief, a facilitated session for the console.
fn deadlines_ui(ui: &mut egui::Ui, session: &Session) {
    let waiting: Vec<_> = obligations(session)
        .into_iter()
        .filter(|o| o.engaged_at.is_none())
        .collect();
    if waiting.is_empty() {
        return;
    }
    ui.add_space(theme::GAP);
    ui.label(egui::RichText::new("Escalations the matrix now requires").strong());
    let matrix = session.matrix();
    for o in waiting {
        ui.horizontal_wrapped(|ui| {
            ui.label(matrix.role_name(o.role.as_str()));
            due_badge(ui, session.minute(), o.deadline);
        })
        .response
        .on_hover_text(format!("Because {}. {}", o.because, o.citation));
    }
}
