//! Screenshot tours: the real window driven through the app's own commands, frame by frame, for
//! CI and for looking at every screen. `warroom --tour FILE` (or `WARROOM_TOUR=FILE`) runs one; the
//! file is a RON list of `(frame, "words")` steps, e.g. `.ci/tour.ron`. Any step that cannot be
//! carried out is logged and makes the app exit with code 1 at the end.
//!
//! Words:
//! - `screenshot <name>` / `projector-screenshot <name>` — save the main or projector window as
//!   `screenshot-<name>.png` in the working directory
//! - `window <width> <height>` — resize the main window (logical pixels)
//! - `scale <factor>` — set the UI scale, as the title screen's buttons do
//! - `theme light|dark` — switch the theme, as the title screen does
//! - `exit` — close the app
//! - `settle` — stop drawing every frame: from here on the window redraws as it does for a person
//!   (idle benchmarks use it; later steps then run only when something wakes the window)
//! - `library practice|drill|facilitated` — open the scenario picker in that mode
//! - `start <scenario-id> [practice|drill|facilitated] [seed]` — start a scenario
//! - `resume <path>` — resume a saved exercise
//! - `intent <RON intent>` — send one intent, e.g. `intent Advance(minutes: 10)`
//! - `script <path>` — send every step of a `Decisions(...)` file (advancing the clock between steps)
//! - `tab decide|handoff|escalate|inform|communicate|approvals` — switch the action panel
//! - `pane board|feed` — on a narrow window, show the board or the feed (the console's room side)
//! - `author <folder>` — open the Author screen on a content folder
//! - `author-tab grid|ron|scenario|timeline|outline|readiness` — switch the Author screen's centre
//! - `author-cell <task-id> <role-id> [codes…]` — give a RACI cell these codes (none: empty)
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
//!   - `hotwash <role> strength|improvement <text…>` — record a hotwash point

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use bevy::window::PrimaryWindow;
use thiserror::Error;

use super::flow::{AppSystems, Screen};
use super::messages::{ExerciseCommand, FacilitatorCommand, LearnerCommand, Navigate, UiCommand};
use super::projector::ProjectorWindow;
use super::redraw::{draw_continuously, settle};
use super::screens::actions::{ActionTab, ActionsState, NarrowPane};
use super::screens::console::{ConsoleState, LeftTab, RightTab};
use super::theme::UiSettings;
use crate::engine::Intent;
use crate::engine::content::load::Source;
use crate::engine::content::script::Decisions;
use crate::engine::diagnostic::Diagnostic;
use crate::engine::exercise::HotwashList;
use crate::engine::model::matrix::Dimension;
use crate::engine::model::scenario::Mode;

/// Runs the tour in `path`.
pub struct TourPlugin {
    /// The tour file.
    pub path: PathBuf,
}

/// The steps still to come and whether any went wrong.
#[derive(Resource, Debug, Default)]
struct Tour {
    steps: Vec<(u32, String)>,
    failed: usize,
}

impl Plugin for TourPlugin {
    fn build(&self, app: &mut App) {
        let tour = match read(&self.path) {
            Ok(steps) => Tour { steps, failed: 0 },
            Err(e) => {
                error!("tour: {e}");
                Tour {
                    steps: vec![(0, "exit".to_owned())],
                    failed: 1,
                }
            }
        };
        app.insert_resource(tour)
            .add_systems(Startup, draw_continuously)
            .add_systems(Update, run_steps.before(AppSystems::Commands));
    }
}

fn read(path: &Path) -> Result<Vec<(u32, String)>, Diagnostic> {
    let source = Source::read(path)?;
    source.parse::<Vec<(u32, String)>>()
}

fn run_steps(world: &mut World, mut frame: Local<u32>) {
    let due: Vec<String> = {
        let mut tour = world.resource_mut::<Tour>();
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut tour.steps)
            .into_iter()
            .partition(|(f, _)| *f <= *frame);
        tour.steps = later;
        due.into_iter().map(|(_, words)| words).collect()
    };
    for words in due {
        info!("tour, frame {}: {words}", *frame);
        if let Err(e) = step(world, &words) {
            error!("tour: `{words}`: {e}");
            world.resource_mut::<Tour>().failed += 1;
        }
    }
    *frame += 1;
}

fn mode(word: Option<&str>) -> Mode {
    match word {
        Some("drill") => Mode::Drill,
        Some("facilitated") => Mode::Facilitated,
        _ => Mode::Practice,
    }
}

fn rest_words(words: std::str::SplitWhitespace<'_>) -> String {
    words.collect::<Vec<_>>().join(" ")
}

/// Why a tour step could not be carried out.
#[derive(Debug, Error)]
enum StepError {
    /// Not one of the words above.
    #[error("unknown step `{0}`")]
    Unknown(String),
    /// An argument is missing or malformed.
    #[error("this step needs {0}")]
    Needs(&'static str),
    /// `goto` to a screen that does not exist.
    #[error("no screen `{0}`")]
    NoScreen(String),
    /// `author-cell` for a task the open plan does not have.
    #[error("the plan has no task `{0}`")]
    NoTask(String),
    /// `projector-screenshot` while no projector window is open.
    #[error("no projector window to take a screenshot of")]
    NoProjectorWindow,
    /// `window` with no main window.
    #[error("there is no main window")]
    NoMainWindow,
    /// `intent` with text that is not an intent.
    #[error("not an intent: {0}")]
    Intent(#[from] ron::error::SpannedError),
    /// `script` with a step whose minute cannot be told.
    #[error("{0}")]
    Step(String),
    /// `script` with a file that does not load.
    #[error("{0}")]
    Content(#[from] Diagnostic),
}

/// Carries out one step.
fn step(world: &mut World, text: &str) -> Result<(), StepError> {
    let (verb, rest) = text.split_once(' ').unwrap_or((text, ""));
    let mut words = rest.split_whitespace();
    let send = |world: &mut World, command: UiCommand| command.write_into(world);
    match verb {
        "screenshot" => {
            let path = format!("screenshot-{}.png", rest.trim());
            world
                .spawn(Screenshot::primary_window())
                .observe(save_to_disk(path));
        }
        "projector-screenshot" => {
            let window = world
                .query_filtered::<Entity, With<ProjectorWindow>>()
                .iter(world)
                .next()
                .ok_or(StepError::NoProjectorWindow)?;
            let path = format!("screenshot-{}.png", rest.trim());
            world
                .spawn(Screenshot::window(window))
                .observe(save_to_disk(path));
        }
        "window" => {
            let size: Vec<f32> = words.filter_map(|w| w.parse().ok()).collect();
            let [width, height] = size[..] else {
                return Err(StepError::Needs("a width and a height"));
            };
            let mut windows = world.query_filtered::<&mut Window, With<PrimaryWindow>>();
            let mut window = windows
                .single_mut(world)
                .map_err(|_| StepError::NoMainWindow)?;
            window.resolution.set(width, height);
        }
        "scale" => {
            let scale: f32 = rest
                .trim()
                .parse()
                .map_err(|_| StepError::Needs("a number"))?;
            world.resource_mut::<UiSettings>().scale = scale;
        }
        "theme" => {
            let dark = match rest.trim() {
                "dark" => true,
                "light" => false,
                _ => return Err(StepError::Needs("light or dark")),
            };
            world.resource_mut::<UiSettings>().dark = dark;
        }
        "settle" => settle(world),
        "exit" => {
            let failed = world.resource::<Tour>().failed;
            world.write_message(if failed == 0 {
                AppExit::Success
            } else {
                AppExit::error()
            });
        }
        "library" => send(world, Navigate::OpenLibrary(mode(words.next())).into()),
        "start" => {
            let scenario = words.next().ok_or(StepError::Needs("a scenario id"))?;
            let mode = mode(words.next());
            let seed_number = words.next().and_then(|s| s.parse().ok()).unwrap_or(0);
            send(
                world,
                ExerciseCommand::Start {
                    scenario: scenario.into(),
                    mode,
                    seed: seed_number,
                }
                .into(),
            );
        }
        "resume" => send(world, ExerciseCommand::Resume(rest.trim().into()).into()),
        "intent" => {
            let intent = ron::from_str::<Intent>(rest)?;
            send(world, intent.into());
        }
        "script" => {
            let script =
                Source::read(Path::new(rest.trim())).and_then(|s| s.parse::<Decisions>())?;
            // The steps are sent now and applied later: a copy of the session resolves the
            // minute of each step timed after an inject.
            let Some(mut copy) = world
                .get_resource::<super::exercise::ActiveExercise>()
                .map(|active| active.session().clone())
            else {
                return Err(StepError::Needs("an exercise under way"));
            };
            for step in script.steps {
                let at = step.minute(&copy).map_err(StepError::Step)?;
                let minute = copy.minute();
                if at > minute {
                    let advance = Intent::Advance {
                        minutes: at - minute,
                    };
                    let _ = copy.apply(advance.clone());
                    send(world, advance.into());
                }
                let _ = copy.apply(step.intent.clone());
                send(world, step.intent.into());
            }
        }
        "tab" => {
            world.resource_mut::<ActionsState>().tab = match rest.trim() {
                "handoff" => ActionTab::Handoff,
                "escalate" => ActionTab::Escalate,
                "inform" => ActionTab::Inform,
                "communicate" => ActionTab::Communicate,
                "approvals" => ActionTab::Approvals,
                _ => ActionTab::Decide,
            };
        }
        "author" => {
            world
                .resource_mut::<crate::app::author::Authoring>()
                .open(Path::new(rest.trim()));
            send(world, Navigate::GoTo(Screen::Author).into());
        }
        "author-tab" => {
            use crate::app::screens::author::{AuthorTab, AuthorUi};
            world.resource_mut::<AuthorUi>().tab = match rest.trim() {
                "ron" => AuthorTab::Ron,
                "scenario" => AuthorTab::Scenario,
                "timeline" => AuthorTab::Timeline,
                "outline" => AuthorTab::Outline,
                "readiness" => AuthorTab::Readiness,
                _ => AuthorTab::Grid,
            };
        }
        "author-cell" => {
            let mut words = rest.split_whitespace();
            let (task, role) = (
                words.next().unwrap_or_default(),
                words.next().unwrap_or_default(),
            );
            let codes = words.map(str::to_owned).collect();
            let authoring = world.resource::<crate::app::author::Authoring>();
            let index = authoring
                .doc
                .as_ref()
                .and_then(|d| d.matrix().tasks.iter().position(|t| t.id.as_str() == task));
            match index {
                Some(task) => send(
                    world,
                    crate::app::author::AuthorAction::SetCell {
                        task,
                        role: role.to_owned(),
                        codes,
                    }
                    .into(),
                ),
                None => return Err(StepError::NoTask(task.to_owned())),
            }
        }
        "pane" => {
            world.resource_mut::<ActionsState>().narrow_pane = match rest.trim() {
                "board" => NarrowPane::Board,
                _ => NarrowPane::Feed,
            };
        }
        "quiz" => {
            let sets = rest.split_whitespace().map(str::to_owned).collect();
            send(world, LearnerCommand::StartSitting { sets, size: 5 }.into());
        }
        "answer" => {
            let picked = words.filter_map(|n| n.parse().ok()).collect();
            send(world, LearnerCommand::CheckAnswer(picked).into());
        }
        "end" => send(world, Intent::EndExercise.into()),
        "goto" => {
            let screen = match rest.trim() {
                "library" => Screen::Library,
                "debrief" => Screen::Debrief,
                "quiz" => Screen::Quiz,
                "progress" => Screen::Progress,
                "hotwash" => Screen::Hotwash,
                "title" => Screen::Title,
                "author" => Screen::Author,
                other => return Err(StepError::NoScreen(other.to_owned())),
            };
            send(world, Navigate::GoTo(screen).into());
        }
        "clock" => send(
            world,
            ExerciseCommand::SetClockRunning(rest.trim() == "start").into(),
        ),
        "console" => {
            let mut console = world.resource_mut::<ConsoleState>();
            match rest.trim() {
                "feed" => console.left = LeftTab::Feed,
                "injects" => console.left = LeftTab::Injects,
                "people" => console.left = LeftTab::People,
                "room" => console.left = LeftTab::Room,
                "notes" => console.right = RightTab::Notes,
                "scorecard" => console.right = RightTab::Scorecard,
                _ => console.right = RightTab::Decisions,
            }
        }
        "room" => {
            let command = match rest.trim() {
                "close" => ExerciseCommand::CloseRoom,
                _ => ExerciseCommand::OpenRoom {
                    local_network: false,
                },
            };
            send(world, command.into());
        }
        "seat" => {
            let role = words.next().ok_or(StepError::Needs("a role"))?;
            let command = FacilitatorCommand::PutInRole {
                role: role.into(),
                name: rest_words(words),
            };
            send(world, command.into());
        }
        "note" => {
            let role = words.next().filter(|w| *w != "-").map(Into::into);
            let dimension = words
                .next()
                .filter(|w| *w != "-")
                .and_then(|w| ron::from_str::<Dimension>(w).ok());
            let command = FacilitatorCommand::Note {
                role,
                dimension,
                text: rest_words(words),
            };
            send(world, command.into());
        }
        "adhoc" => {
            let (title, narrative) = rest.split_once('|').unwrap_or((rest, ""));
            let command = FacilitatorCommand::AdHocInject {
                title: title.trim().to_owned(),
                narrative: narrative.trim().to_owned(),
                to: None,
            };
            send(world, command.into());
        }
        "projector" => {
            let command = match rest.trim() {
                "open" => FacilitatorCommand::ShowProjector(true),
                "close" => FacilitatorCommand::ShowProjector(false),
                "blank" => FacilitatorCommand::BlankProjector(true),
                _ => FacilitatorCommand::BlankProjector(false),
            };
            send(world, command.into());
        }
        "hotwash" => {
            let role = words.next().ok_or(StepError::Needs("a role"))?;
            let list = match words.next() {
                Some("strength") => HotwashList::Strengths,
                Some("improvement") => HotwashList::Improvements,
                _ => return Err(StepError::Needs("`strength` or `improvement`")),
            };
            let command = FacilitatorCommand::HotwashAdd {
                role: role.into(),
                list,
                text: rest_words(words),
            };
            send(world, command.into());
        }
        other => return Err(StepError::Unknown(other.to_owned())),
    }
    Ok(())
}
