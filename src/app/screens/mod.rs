//! One plugin per screen. Each screen's view is a plain function of state that returns the
//! commands the player issued, so it can be tested with `egui_kittest` without Bevy. Shared pieces:
//! [`widgets`], the action composers in [`actions`], the exercise's [`clock_bar`].

pub mod actions;
pub mod author;
pub mod board_text;
pub mod clock_bar;
pub mod console;
pub mod debrief;
#[cfg(test)]
pub(crate) mod fits;
pub mod hotwash;
pub mod library;
pub mod play;
pub mod progress;
pub mod quiz;
#[cfg(test)]
mod readable;
pub mod title;
pub mod widgets;

use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((
        actions::plugin,
        author::plugin,
        title::plugin,
        library::plugin,
        play::plugin,
        console::plugin,
        debrief::plugin,
        quiz::plugin,
        progress::plugin,
        hotwash::plugin,
    ));
}
