//! The escalation dialog.

use bevy_egui::egui;

use super::drafts::EscalationDraft;
use crate::app::screens::widgets::{role_combo, roles, toggle};
use crate::engine::{Intent, Session};

/// The escalation dialog.
pub fn escalate_ui(
    ui: &mut egui::Ui,
    session: &Session,
    draft: &mut EscalationDraft,
) -> Option<Intent> {
    let roles = roles(session);
    ui.horizontal(|ui| {
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
    egui::Grid::new("escalate-to")
        .num_columns(2)
        .show(ui, |ui| {
            for (i, (id, name)) in roles.iter().enumerate() {
                let engaged = session.engaged().get(id);
                let label = match engaged {
                    Some(at) => format!("{name} (engaged T+{at:02})"),
                    None => name.clone(),
                };
                toggle(ui, &mut draft.to, id, &label);
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
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
