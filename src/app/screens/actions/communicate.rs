//! The communication composer.

use bevy_egui::egui;

use super::drafts::MessageDraft;
use crate::app::screens::widgets::{role_combo, role_toggles, roles, wrap_before};
use crate::engine::{Intent, Session};

/// The communication composer.
pub fn communicate_ui(
    ui: &mut egui::Ui,
    session: &Session,
    draft: &mut MessageDraft,
) -> Option<Intent> {
    let roles = roles(session);
    // The matrix's audiences and the scenario's own channels.
    let audiences = session.audiences();
    ui.horizontal_wrapped(|ui| {
        ui.label("Audience");
        let selected = draft
            .audience
            .as_ref()
            .and_then(|a| audiences.iter().find(|x| x.id == *a))
            .map_or("choose an audience", |a| a.name.as_str());
        let width = (ui.available_width() - 16.0).clamp(140.0, 220.0);
        wrap_before(ui, width + 2.0 * ui.spacing().button_padding.x);
        egui::ComboBox::from_id_salt("message-audience")
            .selected_text(selected)
            .width(width)
            .show_ui(ui, |ui| {
                for audience in &audiences {
                    ui.selectable_value(
                        &mut draft.audience,
                        Some(audience.id.clone()),
                        &audience.name,
                    );
                }
            });
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Sender  ");
        role_combo(
            ui,
            "message-sender",
            &mut draft.sender,
            &roles,
            "who sends it",
        );
    });
    let messages = session.released_messages();
    ui.label("Message");
    if messages.is_empty() {
        ui.label(egui::RichText::new("No message drafts are available yet.").weak());
    }
    for message in &messages {
        ui.radio_value(&mut draft.message, Some(message.id.clone()), &message.label);
    }
    if let Some(chosen) = draft
        .message
        .as_ref()
        .and_then(|m| messages.iter().find(|x| x.id == *m))
    {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(egui::RichText::new(session.render_text(&chosen.text)).italics());
        });
    }
    ui.label("Approvals obtained");
    role_toggles(
        ui,
        "message-approvals",
        &mut draft.approvals,
        &roles,
        |id| session.engaged().contains_key(id),
        "Not engaged yet: escalate to this role first",
    );
    let ready = match (&draft.audience, &draft.sender, &draft.message) {
        (Some(a), Some(s), Some(m)) => Some((a.clone(), s.clone(), m.clone())),
        _ => None,
    };
    if ui
        .add_enabled(ready.is_some(), egui::Button::new("Send message"))
        .clicked()
        && let Some((audience, sender, message)) = ready
    {
        let intent = Intent::Communicate {
            audience,
            sender,
            message,
            approvals: draft.approvals.iter().cloned().collect(),
        };
        *draft = MessageDraft::default();
        return Some(intent);
    }
    None
}
