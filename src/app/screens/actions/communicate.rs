//! The communication composer.

use bevy_egui::egui;

use super::drafts::MessageDraft;
use crate::app::screens::widgets::{RoleChoices, due_badge, role_combo, roles, wrap_before};
use crate::app::theme;
use crate::engine::scoring::notices_owed;
use crate::engine::{Intent, Session};

/// Practice coaches: the notices the injects made owed and how long is left for each, before they
/// fall due (a drill keeps them for the debrief, a facilitated session for the console).
pub fn notices_ui(ui: &mut egui::Ui, session: &Session) {
    let owed: Vec<_> = notices_owed(session)
        .into_iter()
        .filter(|n| n.sent_at.is_none())
        .collect();
    if owed.is_empty() {
        return;
    }
    ui.add_space(theme::GAP);
    ui.label(egui::RichText::new("Notices owed").strong());
    for notice in owed {
        ui.horizontal_wrapped(|ui| {
            ui.label(&notice.audience);
            due_badge(ui, session.minute(), notice.deadline);
        })
        .response
        .on_hover_text(format!(
            "Any one of {} may send it.",
            crate::engine::session::either_list(notice.senders.clone())
        ));
    }
}

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
    if let Some(ask) = approvals_ui(ui, session, draft, &roles) {
        return Some(ask);
    }
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
            approvals: Vec::new(),
        };
        *draft = MessageDraft::default();
        return Some(intent);
    }
    None
}

/// The approvals asked for this message and audience, and asking for one more. Only approvals
/// granted (on the Approvals tab) before the message is sent count.
fn approvals_ui(
    ui: &mut egui::Ui,
    session: &Session,
    draft: &mut MessageDraft,
    roles: &RoleChoices,
) -> Option<Intent> {
    ui.label("Approvals of this message");
    let (Some(audience), Some(message)) = (draft.audience.clone(), draft.message.clone()) else {
        ui.label(
            egui::RichText::new("Choose an audience and a message to ask for approvals.").weak(),
        );
        return None;
    };
    let mut asked = false;
    for request in session
        .message_approvals()
        .iter()
        .filter(|r| r.message == message && r.audience == audience)
    {
        asked = true;
        let who = session.matrix().role_name(request.approver.as_str());
        let state = match request.granted {
            Some(granted) => format!("approved at T+{:02}", granted.minute),
            None => format!("asked at T+{:02}, not approved yet", request.requested_at),
        };
        ui.label(format!("{who}: {state}"));
    }
    if !asked {
        ui.label(egui::RichText::new("None asked for yet.").weak());
    }
    let ask = ui
        .horizontal_wrapped(|ui| {
            ui.label("Ask");
            role_combo(
                ui,
                "message-approver",
                &mut draft.approver,
                roles,
                "who approves",
            );
            let ready = draft.sender.clone().zip(draft.approver.clone());
            let clicked = ui
                .add_enabled(ready.is_some(), egui::Button::new("Ask for approval"))
                .on_disabled_hover_text("Choose the sender and whose approval to ask for")
                .clicked();
            ready.filter(|_| clicked)
        })
        .inner;
    ui.label(
        egui::RichText::new("The approver grants it on the Approvals tab.")
            .weak()
            .small(),
    );
    let (requested_by, approver) = ask?;
    draft.approver = None;
    Some(Intent::RequestMessageApproval {
        message,
        audience,
        requested_by,
        approver,
    })
}
