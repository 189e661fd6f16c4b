//! The escalation dialog.

use bevy_egui::egui;

use super::drafts::EscalationDraft;
use crate::app::screens::widgets::{role_combo, roles, toggle_columns};
use crate::engine::model::id::RoleId;
use crate::engine::{Intent, Session};

/// The escalation dialog.
pub fn escalate_ui(
    ui: &mut egui::Ui,
    session: &Session,
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
    let choices: Vec<(RoleId, String)> = roles
        .iter()
        .map(|(id, name)| match session.engaged().get(id) {
            Some(at) => (id.clone(), format!("{name} (engaged T+{at:02})")),
            None => (id.clone(), name.clone()),
        })
        .collect();
    toggle_columns(ui, "escalate-to", &mut draft.to, &choices, |_| true, "");
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
    None
}
