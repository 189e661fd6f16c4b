//! One plugin per screen. Each screen's view is a plain function of state that returns the
//! commands the player issued, so it can be tested with `egui_kittest` without Bevy.

pub mod console;
pub mod debrief;
pub mod hotwash;
pub mod library;
pub mod play;
pub mod progress;
pub mod quiz;
pub mod title;

use bevy::prelude::*;
use bevy_egui::egui;

use super::commands::{AppCommand, Notice, UiCommand};
use super::theme;

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((
        title::plugin,
        library::plugin,
        play::plugin,
        debrief::plugin,
        quiz::plugin,
        progress::plugin,
        hotwash::plugin,
    ));
}

/// A full-window root `Ui` for a screen (egui 0.36 panels are shown inside a `Ui`).
pub fn root_ui(ctx: &egui::Context, id: &str) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        egui::Id::new(id),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.content_rect()),
    )
}

/// Sends the commands a view returned.
pub fn send(writer: &mut MessageWriter<'_, AppCommand>, commands: Vec<UiCommand>) {
    for command in commands {
        writer.write(AppCommand(command));
    }
}

/// The fallback for a screen reached with nothing to show: says so and offers the scenario picker.
pub fn nothing_to_show_ui(ui: &mut egui::Ui, heading: &str) -> Vec<UiCommand> {
    egui::CentralPanel::default()
        .show(ui, |ui| {
            ui.heading(heading);
            if ui.button("Choose a scenario").clicked() {
                vec![UiCommand::GoTo(super::Screen::Library)]
            } else {
                Vec::new()
            }
        })
        .inner
}

/// Shows the current notice, if any, as a coloured line.
pub fn notice_ui(ui: &mut egui::Ui, notice: &Notice) {
    if let Some(n) = &notice.0 {
        let color = if n.is_error {
            theme::DANGER
        } else {
            theme::SUCCESS
        };
        ui.colored_label(color, &n.text);
    }
}

/// A small rounded badge.
pub fn badge(ui: &mut egui::Ui, text: &str, color: egui::Color32) {
    egui::Frame::new()
        .fill(color.gamma_multiply(0.18))
        .stroke(egui::Stroke::new(1.0, color))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(6, 2))
        .show(ui, |ui| {
            ui.label(egui::RichText::new(text).small().color(color));
        });
}
