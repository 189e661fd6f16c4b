//! The bar under the title: the scenario clock's and the projector's controls.

use bevy::prelude::*;
use bevy_egui::egui;

use crate::app::exercise::ScenarioClock;
use crate::app::facilitation::ProjectorState;
use crate::app::messages::{FacilitatorCommand, UiCommand};
use crate::app::screens::clock_bar::clock_controls_ui;
use crate::app::screens::widgets::badge;
use crate::app::theme;
use crate::engine::Session;
use crate::engine::model::scenario::Mode;

/// The bar under the title: the scenario clock's and the projector's controls.
pub fn room_bar_ui(
    ui: &mut egui::Ui,
    session: &Session,
    clock: &ScenarioClock,
    projector: ProjectorState,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    ui.horizontal_wrapped(|ui| {
        ui.label("Clock:");
        out.extend(clock_controls_ui(ui, session, Mode::Facilitated, clock));
        ui.separator();
        ui.label("Projector:");
        if projector.open {
            if ui.button("Close projector").clicked() {
                out.push(UiCommand::Facilitate(FacilitatorCommand::ShowProjector(
                    false,
                )));
            }
            if projector.blank {
                badge(
                    ui,
                    "blank: the room sees nothing",
                    theme::palette(ui).warning,
                );
                if ui.button("Show room view").clicked() {
                    out.push(UiCommand::Facilitate(FacilitatorCommand::BlankProjector(
                        false,
                    )));
                }
            } else {
                badge(ui, "showing the room view", theme::palette(ui).success);
                if ui.button("Blank projector").on_hover_text("B").clicked() {
                    out.push(UiCommand::Facilitate(FacilitatorCommand::BlankProjector(
                        true,
                    )));
                }
            }
        } else if ui
            .button("Open projector window")
            .on_hover_text(
                "A second window for the room: current inject, artifacts, board and clock",
            )
            .clicked()
        {
            out.push(UiCommand::Facilitate(FacilitatorCommand::ShowProjector(
                true,
            )));
        }
    });
    out
}
