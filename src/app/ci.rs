//! Screenshot tours for CI (feature `ci`): `CI_TESTING_CONFIG` names a RON file of frame-numbered
//! events; `Custom` events drive the app through its own commands so a tour can open a scenario,
//! submit intents and reach the debrief.
//!
//! Vocabulary (the string inside `Custom("…")`):
//! - `library practice|drill` — open the scenario picker in that mode
//! - `start <scenario-id> [practice|drill] [seed]` — start a scenario
//! - `intent <RON intent>` — send one intent, e.g. `intent Advance(minutes: 10)`
//! - `script <path>` — send every step of a `Decisions(...)` file (advancing the clock between steps)
//! - `tab decide|handoff|escalate|communicate|approvals` — switch the play screen's panel
//! - `end` — end the exercise (shows the debrief)
//! - `goto title|library|debrief` — change screen

use bevy::dev_tools::ci_testing::CiTestingCustomEvent;
use bevy::prelude::*;
use bevy::winit::WinitSettings;

use super::Screen;
use super::commands::{AppCommand, UiCommand};
use super::screens::play::{PlayTab, PlayUiState};
use crate::engine::Intent;
use crate::engine::load::Source;
use crate::engine::scenario::Mode;
use crate::engine::script::Decisions;

pub(super) fn plugin(app: &mut App) {
    // Frame-numbered tours need frames to keep coming without input.
    app.insert_resource(WinitSettings::game()).add_systems(
        Update,
        handle_custom_events.before(super::AppSystems::Commands),
    );
}

fn mode(word: Option<&str>) -> Mode {
    match word {
        Some("drill") => Mode::Drill,
        _ => Mode::Practice,
    }
}

fn handle_custom_events(
    mut events: MessageReader<CiTestingCustomEvent>,
    mut commands: MessageWriter<AppCommand>,
    mut play: ResMut<PlayUiState>,
) {
    for CiTestingCustomEvent(text) in events.read() {
        let (verb, rest) = text.split_once(' ').unwrap_or((text.as_str(), ""));
        let mut words = rest.split_whitespace();
        match verb {
            "library" => {
                commands.write(AppCommand(UiCommand::OpenLibrary(mode(words.next()))));
            }
            "start" => {
                let Some(scenario) = words.next() else {
                    error!("ci: `start` needs a scenario id");
                    continue;
                };
                let mode = mode(words.next());
                let seed = words.next().and_then(|s| s.parse().ok()).unwrap_or(0);
                commands.write(AppCommand(UiCommand::StartScenario {
                    scenario: scenario.into(),
                    mode,
                    seed,
                }));
            }
            "intent" => match ron::from_str::<Intent>(rest) {
                Ok(intent) => {
                    commands.write(AppCommand(UiCommand::Intent(intent)));
                }
                Err(e) => error!("ci: bad intent `{rest}`: {e}"),
            },
            "script" => {
                let parsed = Source::read(std::path::Path::new(rest.trim()))
                    .and_then(|s| s.parse::<Decisions>());
                match parsed {
                    Ok(script) => {
                        let mut minute = 0;
                        for step in script.steps {
                            if step.at > minute {
                                commands.write(AppCommand(UiCommand::Intent(Intent::Advance {
                                    minutes: step.at - minute,
                                })));
                                minute = step.at;
                            }
                            commands.write(AppCommand(UiCommand::Intent(step.intent)));
                        }
                    }
                    Err(d) => error!("ci: {d}"),
                }
            }
            "tab" => {
                play.tab = match rest.trim() {
                    "handoff" => PlayTab::Handoff,
                    "escalate" => PlayTab::Escalate,
                    "communicate" => PlayTab::Communicate,
                    "approvals" => PlayTab::Approvals,
                    _ => PlayTab::Decide,
                };
            }
            "quiz" => {
                let sets = rest.split_whitespace().map(str::to_owned).collect();
                commands.write(AppCommand(UiCommand::StartSitting { sets, size: 5 }));
            }
            "answer" => {
                let picked = rest
                    .split_whitespace()
                    .filter_map(|n| n.parse().ok())
                    .collect();
                commands.write(AppCommand(UiCommand::CheckAnswer(picked)));
            }
            "end" => {
                commands.write(AppCommand(UiCommand::Intent(Intent::EndExercise)));
            }
            "goto" => {
                let screen = match rest.trim() {
                    "library" => Screen::Library,
                    "debrief" => Screen::Debrief,
                    "quiz" => Screen::Quiz,
                    "progress" => Screen::Progress,
                    _ => Screen::Title,
                };
                commands.write(AppCommand(UiCommand::GoTo(screen)));
            }
            other => error!("ci: unknown custom event `{other}`"),
        }
    }
}
