//! Approval requests and grants.

use bevy_egui::egui;

use super::drafts::ApprovalDraft;
use crate::app::screens::widgets::{role_combo, roles};
use crate::engine::model::id::RoleId;
use crate::engine::session::{ApprovalRecord, MessageApprovalRecord};
use crate::engine::{Intent, Session};

/// Approval requests: grant pending ones (first), and ask for one.
pub fn approvals_ui(
    ui: &mut egui::Ui,
    session: &Session,
    draft: &mut ApprovalDraft,
) -> Option<Intent> {
    let roles = roles(session);
    let mut intent = None;
    let open = session.open_actions();
    // What awaits an approver comes first: on a short window it is what must not be missed.
    ui.label(egui::RichText::new("Pending requests").strong());
    let (pending, pending_messages) = pending_requests(session);
    if pending.is_empty() && pending_messages.is_empty() {
        ui.label(egui::RichText::new("None.").weak());
    }
    for request in pending_messages {
        let what = format!(
            "\u{201c}{}\u{201d} to {} — asked by {}",
            session.message_label(&request.message),
            session.audience_name(&request.audience),
            session.matrix().role_name(request.requested_by.as_str())
        );
        if pending_request_ui(ui, session, &what, &request.approver) {
            intent = Some(Intent::GrantMessageApproval {
                message: request.message.clone(),
                audience: request.audience.clone(),
                approver: request.approver.clone(),
            });
        }
    }
    for request in pending {
        let label = session
            .scenario()
            .action(request.action.as_str())
            .map_or_else(|| request.action.to_string(), |(_, _, o)| o.label.clone());
        let what = format!(
            "{label} — asked by {}",
            session.matrix().role_name(request.requested_by.as_str())
        );
        if pending_request_ui(ui, session, &what, &request.approver) {
            intent = Some(Intent::GrantApproval {
                action: request.action.clone(),
                approver: request.approver.clone(),
            });
        }
    }
    ui.separator();
    ui.label(egui::RichText::new("Request approval of an action").strong());
    ui.label(
        egui::RichText::new("A message's approvals are asked for on the Communicate tab.")
            .weak()
            .small(),
    );
    let selected = draft
        .action
        .as_ref()
        .and_then(|a| open.iter().find(|o| o.id == *a))
        .map_or("which action?", |o| o.label.as_str());
    egui::ComboBox::from_id_salt("approval-action")
        .selected_text(selected)
        .width(ui.available_width() - 20.0)
        .show_ui(ui, |ui| {
            for action in &open {
                ui.selectable_value(&mut draft.action, Some(action.id.clone()), &action.label);
            }
        });
    ui.horizontal_wrapped(|ui| {
        ui.label("Asked by");
        role_combo(
            ui,
            "approval-by",
            &mut draft.requested_by,
            &roles,
            "who asks",
        );
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Approver");
        role_combo(
            ui,
            "approval-approver",
            &mut draft.approver,
            &roles,
            "who approves",
        );
    });
    let ready = match (&draft.action, &draft.requested_by, &draft.approver) {
        (Some(a), Some(r), Some(p)) => Some((a.clone(), r.clone(), p.clone())),
        _ => None,
    };
    if ui
        .add_enabled(ready.is_some(), egui::Button::new("Request approval"))
        .clicked()
        && let Some((action, requested_by, approver)) = ready
    {
        intent = Some(Intent::RequestApproval {
            action,
            requested_by,
            approver,
        });
        *draft = ApprovalDraft::default();
    }
    intent
}

/// Requests still awaiting their approver: for actions not yet carried out, and for messages
/// not yet sent to their audience.
fn pending_requests(session: &Session) -> (Vec<&ApprovalRecord>, Vec<&MessageApprovalRecord>) {
    let actions = session
        .approvals()
        .iter()
        .filter(|r| r.granted.is_none() && !session.performed().contains_key(&r.action))
        .collect();
    let sent = |r: &&MessageApprovalRecord| {
        session.log().entries.iter().any(|e| {
            matches!(&e.intent, Intent::Communicate { message, audience, .. }
                if *message == r.message && *audience == r.audience)
        })
    };
    let messages = session
        .message_approvals()
        .iter()
        .filter(|r| r.granted.is_none())
        .filter(|r| !sent(r))
        .collect();
    (actions, messages)
}

/// How many requests await their approver: shown on the Approvals tab so a request is noticed
/// from any tab.
pub fn pending_count(session: &Session) -> usize {
    let (actions, messages) = pending_requests(session);
    actions.len() + messages.len()
}

/// One pending request: what is asked, then the approver's button on a line of its own so a long
/// role name wraps inside the button instead of being cut off at a large scale. True when clicked.
fn pending_request_ui(ui: &mut egui::Ui, session: &Session, what: &str, approver: &RoleId) -> bool {
    ui.label(what);
    let approver = session.matrix().role_name(approver.as_str());
    let clicked = ui
        .add(egui::Button::new(format!("Approve as {approver}")).wrap())
        .clicked();
    ui.add_space(4.0);
    clicked
}
