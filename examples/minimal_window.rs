//! Baseline for `benches/app-window.sh`: the smallest `bevy_egui` window, built with the same Bevy
//! features and profile as Warroom, in the same desktop-app update mode.

use bevy::prelude::*;
use bevy::winit::WinitSettings;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};

fn main() {
    App::new()
        .add_plugins(DefaultPlugins)
        .insert_resource(WinitSettings::desktop_app())
        .add_plugins(EguiPlugin::default())
        .add_systems(Startup, |mut commands: Commands| {
            commands.spawn(Camera2d);
        })
        .add_systems(EguiPrimaryContextPass, ui)
        .run();
}

fn ui(mut contexts: EguiContexts) -> Result {
    egui::Window::new("Baseline").show(contexts.ctx_mut()?, |ui| {
        ui.label("A minimal bevy_egui window.");
    });
    Ok(())
}
