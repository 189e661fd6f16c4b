//! The communication composer.

use bevy_egui::egui;

use super::drafts::MessageDraft;
use crate::app::screens::widgets::{role_combo, roles, toggle};
use crate::engine::{Intent, Session};

/// The communication composer.
pub fn communicate_ui(
    ui: &mut egui::Ui,
    session: &Session,
    draft: &mut MessageDraft,
) -> Option<Intent> {
    let roles = roles(session);
    let matrix = session.matrix();
    ui.horizontal(|ui| {
        ui.label("Audience");
        let selected = draft
            .audience
            .as_ref()
            .and_then(|a| matrix.audience(a.as_str()))
            .map_or("choose an audience", |a| a.name.as_str());
        egui::ComboBox::from_id_salt("message-audience")
            .selected_text(selected)
            .show_ui(ui, |ui| {
                for audience in &matrix.communication.audiences {
                    ui.selectable_value(
                        &mut draft.audience,
                        Some(audience.id.clone()),
                        &audience.name,
                    );
                }
            });
    });
    ui.horizontal(|ui| {
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
    egui::Grid::new("message-approvals")
        .num_columns(2)
        .show(ui, |ui| {
            for (i, (id, name)) in roles.iter().enumerate() {
                let engaged = session.engaged().contains_key(id);
                ui.add_enabled_ui(engaged, |ui| {
                    toggle(ui, &mut draft.approvals, id, name);
                })
                .response
                .on_disabled_hover_text("Not engaged yet: escalate to this role first");
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
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
