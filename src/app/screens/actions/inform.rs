//! Keeping roles informed: telling them about an action without bringing them into the response.

use bevy_egui::egui;

use super::drafts::InformDraft;
use crate::app::screens::widgets::{role_combo, role_toggles, roles};
use crate::engine::{Intent, Session};

/// Tell roles about an action. The matrix's Informed roles of a task should hear of the work by
/// the time it is done; informing does not engage them, so it is never escalation noise.
pub fn inform_ui(ui: &mut egui::Ui, session: &Session, draft: &mut InformDraft) -> Option<Intent> {
    ui.label(
        egui::RichText::new(
            "Tell roles about an action, done or to come, without bringing them into the response.",
        )
        .weak(),
    );
    let roles = roles(session);
    let actions = session.released_actions();
    let label = |id: &crate::engine::model::id::ActionId| {
        let name = actions
            .iter()
            .find(|a| a.id == *id)
            .map_or_else(|| id.to_string(), |a| a.label.clone());
        match session.performed().get(id) {
            Some(done) => format!("{name} (done T+{:02})", done.minute),
            None => name,
        }
    };
    let selected = draft
        .about
        .as_ref()
        .map_or_else(|| "about which action?".to_owned(), label);
    egui::ComboBox::from_id_salt("inform-about")
        .selected_text(selected)
        .width((ui.available_width() - 20.0).max(120.0))
        .show_ui(ui, |ui| {
            for action in &actions {
                ui.selectable_value(&mut draft.about, Some(action.id.clone()), label(&action.id));
            }
        });
    ui.horizontal_wrapped(|ui| {
        ui.label("Told by");
        role_combo(ui, "inform-from", &mut draft.from, &roles, "who tells");
    });
    ui.label("Tell:");
    role_toggles(ui, "inform-to", &mut draft.to, &roles, |_| true, "");
    let ready = match (&draft.from, &draft.about) {
        (Some(from), Some(about)) if !draft.to.is_empty() => Some((from.clone(), about.clone())),
        _ => None,
    };
    if ui
        .add_enabled(ready.is_some(), egui::Button::new("Inform"))
        .clicked()
        && let Some((from, about)) = ready
    {
        let intent = Intent::Inform {
            from,
            to: draft.to.iter().cloned().collect(),
            about,
        };
        *draft = InformDraft::default();
        return Some(intent);
    }
    None
}
