//! Everything the UI can ask for, as one message type, and the one system that carries it out.

use std::path::{Path, PathBuf};

use bevy::prelude::*;

use super::Screen;
use super::content::Content;
use super::persistence::SavedExercise;
use super::session::{
    ActiveSession, BoardArrows, FinalScorecard, LastOutcome, PlayerIntent, ScenarioClock,
};
use crate::engine::aar::AfterActionReport;
use crate::engine::exercise::ExerciseRecord;
use crate::engine::id::{RoleId, ScenarioId};
use crate::engine::matrix::Dimension;
use crate::engine::report::scorecard_markdown;
use crate::engine::scenario::Mode;
use crate::engine::{Intent, Session};

/// Export formats offered on the debrief screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// The documented scorecard JSON.
    Json,
    /// A readable Markdown scorecard.
    Markdown,
    /// The session log, for `warroom replay`.
    SessionLog,
    /// The after-action report as one HTML file.
    ReportHtml,
    /// The after-action report as Markdown.
    ReportMarkdown,
}

impl ExportFormat {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Markdown => "md",
            Self::SessionLog => "log.ron",
            Self::ReportHtml => "aar.html",
            Self::ReportMarkdown => "aar.md",
        }
    }
}

/// A request from the UI.
#[derive(Clone, Debug, PartialEq)]
pub enum UiCommand {
    /// Send an intent to the engine.
    Intent(Intent),
    /// Choose the mode on the title screen and open the scenario picker.
    OpenLibrary(Mode),
    /// Start a scenario.
    StartScenario {
        /// Which.
        scenario: ScenarioId,
        /// How.
        mode: Mode,
        /// Seed for its variations.
        seed: u64,
    },
    /// Change screen.
    GoTo(Screen),
    /// Load another responsibility matrix.
    LoadMatrix(PathBuf),
    /// Start or pause the drill clock.
    SetClockRunning(bool),
    /// Change the drill clock speed.
    SetClockSpeed(f32),
    /// Write the scorecard or log into a directory.
    Export(ExportFormat, PathBuf),
    /// Start a question-bank sitting over these sets (empty = all) with this many questions.
    StartSitting {
        /// Question-set ids.
        sets: std::collections::BTreeSet<String>,
        /// Questions in the sitting.
        size: usize,
    },
    /// Check the picked choices of the current question.
    CheckAnswer(std::collections::BTreeSet<usize>),
    /// Move on after the feedback.
    NextQuestion,
    /// Leave the sitting (answers so far are already saved).
    EndSitting,
    /// Use another learner profile.
    SwitchProfile(String),
    /// Try the progress database again (after it was locked, say).
    RetryDatabase,
    /// Bring back a saved exercise.
    Resume(PathBuf),
    /// Facilitated mode: a change to what the facilitator records or shows.
    Facilitate(FacilitatorCommand),
    /// Close the app.
    Quit,
}

/// What a facilitator does besides entering the room's decisions (those are intents).
#[derive(Clone, Debug, PartialEq)]
pub enum FacilitatorCommand {
    /// The facilitator's own name, for the report.
    SetFacilitator(String),
    /// Seat a person or team in a role (an already seated name moves).
    Seat {
        /// Name.
        name: String,
        /// Role.
        role: RoleId,
    },
    /// Remove a seated person by position.
    Unseat(usize),
    /// Record an observer note at the current minute.
    Note {
        /// Role it is about.
        role: Option<RoleId>,
        /// Dimension it bears on.
        dimension: Option<Dimension>,
        /// What was observed.
        text: String,
    },
    /// Write and release an inject now.
    AdHocInject {
        /// Headline.
        title: String,
        /// What the room is told.
        narrative: String,
    },
    /// Add a hotwash point for a role.
    HotwashAdd {
        /// Role.
        role: RoleId,
        /// A strength (true) or an area for improvement.
        strength: bool,
        /// The point.
        text: String,
    },
    /// Remove a hotwash point.
    HotwashRemove {
        /// Role.
        role: RoleId,
        /// Strength list (true) or improvement list.
        strength: bool,
        /// Position in the list.
        index: usize,
    },
    /// Open or close the projector window.
    ShowProjector(bool),
    /// Blank the projector (true) or show the room view again.
    BlankProjector(bool),
}

/// The message carrying a [`UiCommand`].
#[derive(Message, Clone, Debug, PartialEq)]
pub struct AppCommand(pub UiCommand);

/// The mode chosen on the title screen.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub struct PreferredMode(pub Mode);

impl Default for PreferredMode {
    fn default() -> Self {
        Self(Mode::Practice)
    }
}

/// A message for the player shown until replaced (success or error).
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct Notice(pub Option<NoticeText>);

/// The text of a notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeText {
    /// Whether it reports a problem.
    pub is_error: bool,
    /// What to say.
    pub text: String,
}

impl Notice {
    pub(crate) fn error(text: impl Into<String>) -> Self {
        Self(Some(NoticeText {
            is_error: true,
            text: text.into(),
        }))
    }

    pub(crate) fn info(text: impl Into<String>) -> Self {
        Self(Some(NoticeText {
            is_error: false,
            text: text.into(),
        }))
    }
}

/// Carries out UI commands.
pub fn handle_commands(
    mut reader: MessageReader<AppCommand>,
    mut intents: MessageWriter<PlayerIntent>,
    mut next: ResMut<NextState<Screen>>,
    mut content: ResMut<Content>,
    mut clock: ResMut<ScenarioClock>,
    mut notice: ResMut<Notice>,
    mut preferred: ResMut<PreferredMode>,
    mut outcome: ResMut<LastOutcome>,
    mut arrows: ResMut<BoardArrows>,
    active: Option<Res<ActiveSession>>,
    final_card: Option<Res<FinalScorecard>>,
    saved: Res<SavedExercise>,
    mut commands: Commands,
    mut exit: MessageWriter<AppExit>,
) {
    for AppCommand(command) in reader.read() {
        match command {
            UiCommand::Intent(intent) => {
                intents.write(PlayerIntent(intent.clone()));
            }
            UiCommand::OpenLibrary(mode) => {
                preferred.0 = *mode;
                next.set(Screen::Library);
            }
            UiCommand::StartScenario {
                scenario,
                mode,
                seed,
            } => {
                let (Some(found), Some(matrix)) = (
                    content.library.scenario(scenario.as_str()),
                    content.library.matrix.as_ref(),
                ) else {
                    *notice = Notice::error(format!(
                        "Scenario `{scenario}` is not available; pick one from the list."
                    ));
                    next.set(Screen::Library);
                    continue;
                };
                let session = Session::new(found.scenario.clone(), matrix.matrix.clone(), *seed);
                commands.insert_resource(ActiveSession {
                    session,
                    mode: *mode,
                });
                commands.remove_resource::<FinalScorecard>();
                *outcome = LastOutcome::None;
                arrows.0.clear();
                *clock = ScenarioClock {
                    running: *mode == Mode::Drill,
                    ..ScenarioClock::default()
                };
                *notice = Notice::default();
                preferred.0 = *mode;
                next.set(Screen::Play);
            }
            UiCommand::GoTo(screen) => next.set(*screen),
            UiCommand::LoadMatrix(path) => {
                content.reload(path.clone());
                *notice = if content.library.matrix.is_some() {
                    Notice::info(format!("Grading against {}", path.display()))
                } else {
                    Notice::error(format!(
                        "{} could not be loaded; see the problems listed below.",
                        path.display()
                    ))
                };
            }
            UiCommand::SetClockRunning(running) => clock.running = *running,
            UiCommand::SetClockSpeed(speed) => clock.speed = speed.clamp(0.1, 16.0),
            UiCommand::Export(format, dir) => {
                *notice = match (&active, &final_card) {
                    (Some(active), Some(card)) => {
                        let record = saved.record.clone().unwrap_or_else(|| {
                            ExerciseRecord::new(
                                "unsaved",
                                active.mode,
                                crate::store::unix_now(),
                                &active.session,
                            )
                        });
                        match export(&active.session, &card.0, &record, *format, dir) {
                            Ok(path) => Notice::info(format!("Saved {}", path.display())),
                            Err(e) => {
                                Notice::error(format!("Could not save into {}: {e}", dir.display()))
                            }
                        }
                    }
                    _ => Notice::error("Nothing to export yet: finish an exercise first."),
                };
            }
            UiCommand::Quit => {
                exit.write(AppExit::Success);
            }
            // The learner module carries these out.
            UiCommand::StartSitting { .. }
            | UiCommand::CheckAnswer(_)
            | UiCommand::NextQuestion
            | UiCommand::EndSitting
            | UiCommand::SwitchProfile(_)
            | UiCommand::RetryDatabase
            | UiCommand::Resume(_)
            | UiCommand::Facilitate(_) => {}
        }
    }
}

/// Writes one export into `dir` under a name that does not overwrite an earlier export.
pub fn export(
    session: &Session,
    card: &crate::engine::Scorecard,
    record: &ExerciseRecord,
    format: ExportFormat,
    dir: &Path,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let stem = format!("{}-seed{}", card.scenario, card.seed);
    let mut path = dir.join(format!("{stem}.{}", format.extension()));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{n}.{}", format.extension()));
        n += 1;
    }
    let text = match format {
        ExportFormat::Json => card.to_json(),
        ExportFormat::Markdown => scorecard_markdown(card, session),
        ExportFormat::SessionLog => {
            crate::cli::session_log_ron(session.log()).map_err(std::io::Error::other)?
        }
        ExportFormat::ReportHtml => AfterActionReport::build(record, session).html(),
        ExportFormat::ReportMarkdown => AfterActionReport::build(record, session).markdown(),
    };
    std::fs::write(&path, text)?;
    Ok(path)
}

/// Where exports go by default: the platform data directory.
pub fn default_export_dir() -> PathBuf {
    crate::store::data_dir().join("exports")
}

/// Moves on once the exercise has ended: to the hotwash after a facilitated session, otherwise
/// straight to the debrief.
pub fn show_debrief_when_ended(
    card: Option<Res<FinalScorecard>>,
    active: Option<Res<ActiveSession>>,
    mut next: ResMut<NextState<Screen>>,
    mut clock: ResMut<ScenarioClock>,
) {
    if card.is_some() {
        clock.running = false;
        let facilitated = active.is_some_and(|a| a.mode == Mode::Facilitated);
        next.set(if facilitated {
            Screen::Hotwash
        } else {
            Screen::Debrief
        });
    }
}
