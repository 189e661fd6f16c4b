//! The app's screens and the order of its per-frame work: the vocabulary every feature shares.

use bevy::prelude::*;

/// The screens, one Bevy state each.
#[derive(States, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Screen {
    /// Title and mode selection.
    #[default]
    Title,
    /// Scenario picker.
    Library,
    /// Playing a scenario (practice or drill).
    Play,
    /// Running a facilitated session: the facilitator's console.
    Console,
    /// Scores and findings.
    Debrief,
    /// Exam-practice questions.
    Quiz,
    /// The learner's progress.
    Progress,
    /// After a facilitated session: strengths and improvements per role.
    Hotwash,
    /// Editing a content folder's plan, with its readiness and a grading preview.
    Author,
}

impl Screen {
    /// Whether an exercise is on screen (the board and the scenario clock are live).
    pub fn is_exercise(self) -> bool {
        matches!(self, Self::Play | Self::Console)
    }
}

/// Run condition: an exercise screen (play or console) is showing.
pub fn on_exercise_screen(screen: Option<Res<State<Screen>>>) -> bool {
    screen.is_some_and(|s| s.get().is_exercise())
}

/// Ordering of the app's per-frame work: time becomes intents, commands are carried out (each
/// feature by its own handler), then views react to the new state.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppSystems {
    /// Turn time into intents (the running scenario clock).
    Tick,
    /// Carry out commands; the exercise handler is the one writer into the engine.
    Commands,
    /// React to the new state.
    Update,
}
