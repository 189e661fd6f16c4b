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
//! - `end` — end the exercise (shows the debrief, or the hotwash after a facilitated session)
//! - `goto title|library|debrief|quiz|progress|hotwash` — change screen
//! - `quiz <set…>` / `answer <n…>` — start a question sitting / answer the current question
//! - Facilitated mode:
//!   - `clock start|pause` — run or stop the scenario clock
//!   - `console feed|injects|people|decisions|notes|scorecard` — switch a console panel
//!   - `seat <role> <name…>` — seat a person or team in a role
//!   - `note <role|-> <dimension|-> <text…>` — an observer note (dimension as in the matrix, e.g. `evidence`)
//!   - `adhoc <title…> | <narrative…>` — write and release an ad-hoc inject
//!   - `projector open|close|blank|show` — drive the projector window
//!   - `projector-screenshot <name>` — save the projector window as `screenshot-<name>.png`
//!   - `hotwash <role> strength|improvement <text…>` — record a hotwash point

use bevy::dev_tools::ci_testing::CiTestingCustomEvent;
use bevy::prelude::*;
use bevy::winit::WinitSettings;

use bevy::render::view::screenshot::{Screenshot, save_to_disk};

use super::Screen;
use super::commands::{AppCommand, FacilitatorCommand, UiCommand};
use super::projector::ProjectorWindow;
use super::screens::console::{ConsoleState, LeftTab, RightTab};
use super::screens::play::{PlayTab, PlayUiState};
use crate::engine::Intent;
use crate::engine::load::Source;
use crate::engine::matrix::Dimension;
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
        Some("facilitated") => Mode::Facilitated,
        _ => Mode::Practice,
    }
}

/// Handles the facilitated-mode words; false when `verb` is not one of them.
fn facilitate(
    verb: &str,
    rest: &str,
    commands: &mut MessageWriter<AppCommand>,
    console: &mut ConsoleState,
    projector: &Query<Entity, With<ProjectorWindow>>,
    spawner: &mut Commands,
) -> bool {
    let mut words = rest.split_whitespace();
    let mut send = |c: FacilitatorCommand| {
        commands.write(AppCommand(UiCommand::Facilitate(c)));
    };
    match verb {
        "clock" => {
            commands.write(AppCommand(UiCommand::SetClockRunning(
                rest.trim() == "start",
            )));
        }
        "console" => match rest.trim() {
            "feed" => console.left = LeftTab::Feed,
            "injects" => console.left = LeftTab::Injects,
            "people" => console.left = LeftTab::People,
            "notes" => console.right = RightTab::Notes,
            "scorecard" => console.right = RightTab::Scorecard,
            _ => console.right = RightTab::Decisions,
        },
        "seat" => {
            let role = words.next().unwrap_or_default();
            send(FacilitatorCommand::Seat {
                role: role.into(),
                name: words.collect::<Vec<_>>().join(" "),
            });
        }
        "note" => {
            let role = words.next().filter(|w| *w != "-").map(Into::into);
            let dimension = words
                .next()
                .filter(|w| *w != "-")
                .and_then(|w| ron::from_str::<Dimension>(w).ok());
            send(FacilitatorCommand::Note {
                role,
                dimension,
                text: words.collect::<Vec<_>>().join(" "),
            });
        }
        "adhoc" => {
            let (title, narrative) = rest.split_once('|').unwrap_or((rest, ""));
            send(FacilitatorCommand::AdHocInject {
                title: title.trim().to_owned(),
                narrative: narrative.trim().to_owned(),
            });
        }
        "projector" => match rest.trim() {
            "open" => send(FacilitatorCommand::ShowProjector(true)),
            "close" => send(FacilitatorCommand::ShowProjector(false)),
            "blank" => send(FacilitatorCommand::BlankProjector(true)),
            _ => send(FacilitatorCommand::BlankProjector(false)),
        },
        "projector-screenshot" => {
            let Ok(window) = projector.single() else {
                error!("ci: no projector window to take a screenshot of");
                return true;
            };
            let path = format!("screenshot-{}.png", rest.trim());
            spawner
                .spawn(Screenshot::window(window))
                .observe(save_to_disk(path));
        }
        "hotwash" => {
            let role = words.next().unwrap_or_default();
            let strength = words.next() == Some("strength");
            send(FacilitatorCommand::HotwashAdd {
                role: role.into(),
                strength,
                text: words.collect::<Vec<_>>().join(" "),
            });
        }
        _ => return false,
    }
    true
}

fn handle_custom_events(
    mut events: MessageReader<CiTestingCustomEvent>,
    mut commands: MessageWriter<AppCommand>,
    mut play: ResMut<PlayUiState>,
    mut console: ResMut<ConsoleState>,
    projector: Query<Entity, With<ProjectorWindow>>,
    mut spawner: Commands,
) {
    for CiTestingCustomEvent(text) in events.read() {
        let (verb, rest) = text.split_once(' ').unwrap_or((text.as_str(), ""));
        if facilitate(
            verb,
            rest,
            &mut commands,
            &mut console,
            &projector,
            &mut spawner,
        ) {
            continue;
        }
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
                    "hotwash" => Screen::Hotwash,
                    _ => Screen::Title,
                };
                commands.write(AppCommand(UiCommand::GoTo(screen)));
            }
            other => error!("ci: unknown custom event `{other}`"),
        }
    }
}
