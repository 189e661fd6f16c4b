//! The handoff composer and its five-element checklist.

use bevy_egui::egui;

use super::drafts::HandoffDraft;
use crate::app::screens::widgets::{role_combo, roles, toggle};
use crate::app::theme;
use crate::engine::Urgency;
use crate::engine::{Intent, Session};

/// The handoff composer with its five-element checklist.
pub fn handoff_ui(
    ui: &mut egui::Ui,
    session: &Session,
    draft: &mut HandoffDraft,
) -> Option<Intent> {
    let roles = roles(session);
    let mut intent = None;
    ui.horizontal_wrapped(|ui| {
        ui.label("From");
        role_combo(
            ui,
            "handoff-from",
            &mut draft.from,
            &roles,
            "team handing over",
        );
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("To    ");
        role_combo(ui, "handoff-to", &mut draft.to, &roles, "team taking over");
    });
    ui.label("What was observed");
    let known: Vec<_> = session
        .matrix()
        .triggers
        .iter()
        .filter(|t| session.revealed().contains_key(&t.id))
        .collect();
    if known.is_empty() {
        ui.label(egui::RichText::new("No facts established yet: describe what was seen.").weak());
    } else {
        ui.label(
            egui::RichText::new("Facts established (cite what the receiving team needs)").weak(),
        );
    }
    for fact in &known {
        toggle(ui, &mut draft.facts, &fact.id, &fact.description);
    }
    ui.add(
        egui::TextEdit::multiline(&mut draft.observed)
            .desired_rows(3)
            .desired_width(f32::INFINITY)
            .hint_text("What was seen, where and when"),
    );
    ui.label("Supporting evidence");
    let artifacts = session.released_artifacts();
    if artifacts.is_empty() {
        ui.label(egui::RichText::new("No artifacts yet.").weak());
    }
    for artifact in artifacts {
        toggle(ui, &mut draft.evidence, &artifact.id, &artifact.title);
    }
    ui.label("Actions already taken");
    let mut performed: Vec<_> = session.performed().iter().collect();
    performed.sort_by_key(|(_, p)| p.entry);
    if performed.is_empty() {
        ui.label(egui::RichText::new("Nothing has been done yet.").weak());
    }
    for (action, _) in performed {
        if let Some((_, _, option)) = session.scenario().action(action.as_str()) {
            toggle(ui, &mut draft.actions_taken, action, &option.label);
        }
    }
    ui.label("Recommended actions");
    let open = session.open_actions();
    if open.is_empty() {
        ui.label(egui::RichText::new("No open actions to recommend.").weak());
    }
    for action in open {
        toggle(ui, &mut draft.recommended, &action.id, &action.label);
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Urgency");
        for u in Urgency::ALL {
            ui.selectable_value(&mut draft.urgency, Some(u), u.label());
        }
    });
    ui.add_space(4.0);
    for (element, present) in draft.checklist(!known.is_empty()) {
        let (mark, color) = if present {
            ("✔", theme::palette(ui).success)
        } else {
            ("✘", theme::palette(ui).warning)
        };
        ui.colored_label(color, format!("{mark} {element}"));
    }
    let ready = draft.to_intent();
    if draft.from.is_some() && draft.from == draft.to {
        ui.colored_label(theme::palette(ui).danger, "Choose two different teams.");
    }
    if ui
        .add_enabled(ready.is_some(), egui::Button::new("Send handoff"))
        .clicked()
    {
        intent = ready;
        *draft = HandoffDraft::default();
    }
    intent
}
