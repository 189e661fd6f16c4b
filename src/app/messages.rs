//! Everything a view can ask for. Views return [`UiCommand`]s; [`CommandWriter`] hands each to its
//! feature's own message type, and each feature has one handler that reads only its own type:
//!
//! | message | handler |
//! |---|---|
//! | [`Navigate`] | `navigation` (screen changes, quit) |
//! | [`ContentCommand`] | `content` (which responsibility matrix grades) |
//! | [`ExerciseCommand`] | `exercise` (start, resume, intents, clock, export: the one writer into the engine) |
//! | [`FacilitatorCommand`] | `facilitation` (what the facilitator records or shows the room) |
//! | [`LearnerCommand`] | `learner` (question bank, profiles, progress database) |
//! | [`AuthorAction`] | `author` (the Author screen's plan: edits, undo, save, play) |

use std::collections::BTreeSet;
use std::path::PathBuf;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use super::flow::Screen;
use crate::engine::Intent;
use crate::engine::exercise::HotwashList;
use crate::engine::model::id::{RoleId, ScenarioId};
use crate::engine::model::matrix::Dimension;
use crate::engine::model::scenario::Mode;

/// A request from a view, for one of the features.
#[derive(Clone, Debug, PartialEq)]
pub enum UiCommand {
    /// Change screen or leave.
    Navigate(Navigate),
    /// Change the content played.
    Content(ContentCommand),
    /// Start, resume or play an exercise.
    Exercise(ExerciseCommand),
    /// Facilitated mode: a change to what the facilitator records or shows.
    Facilitate(FacilitatorCommand),
    /// Question bank and learner profile.
    Learner(LearnerCommand),
    /// The Author screen's edits and commands.
    Author(AuthorAction),
}

/// Screen changes.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum Navigate {
    /// Change screen.
    GoTo(Screen),
    /// Choose the mode on the title screen and open the scenario picker.
    OpenLibrary(Mode),
    /// Close the app.
    Quit,
}

/// Which responsibility matrix grades.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum ContentCommand {
    /// Load another responsibility matrix; the one in use stays if it fails to load.
    LoadMatrix(PathBuf),
    /// Go back to the shipped reference matrix.
    RestoreDefaultMatrix,
    /// Play a content folder's scenarios under its plan (the Author screen's *Play this*).
    LoadFolder {
        /// The folder.
        dir: PathBuf,
        /// Its plan.
        matrix: PathBuf,
    },
}

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

/// The exercise: starting one, bringing one back, and everything that reaches the engine.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum ExerciseCommand {
    /// Start a new exercise (always a new record and save of its own).
    Start {
        /// Which scenario.
        scenario: ScenarioId,
        /// How.
        mode: Mode,
        /// Seed for its variations.
        seed: u64,
    },
    /// Bring back a saved exercise.
    Resume(PathBuf),
    /// Send an intent to the engine.
    Intent(Intent),
    /// The running clock moved on this many minutes: applied like any wait, but it does not take
    /// the place of the last thing the player or facilitator did.
    ClockTick(u32),
    /// Start or pause the scenario clock.
    SetClockRunning(bool),
    /// Change the scenario clock's speed.
    SetClockSpeed(f32),
    /// Put away the new-inject banner.
    DismissBanner,
    /// Write the scorecard, log or report into a directory.
    Export(ExportFormat, PathBuf),
    /// Host the facilitated exercise for seats on other devices: on this computer only, or for
    /// the local network too.
    OpenRoom {
        /// Listen beyond this computer.
        local_network: bool,
    },
    /// Stop hosting; the exercise goes on at the console.
    CloseRoom,
    /// Open, close or remove a seat, or move or remove a device at one.
    ManageSeat(crate::engine::room::SeatChange),
    /// Write into a seat's chat.
    ChatToSeat {
        /// The seat's id.
        seat: String,
        /// What to say.
        text: String,
    },
}

/// What a facilitator does besides entering the room's decisions (those are intents).
#[derive(Message, Clone, Debug, PartialEq)]
pub enum FacilitatorCommand {
    /// The facilitator's own name, for the report.
    SetFacilitator(String),
    /// Put a person or team in a role (a name already in one moves).
    PutInRole {
        /// Name.
        name: String,
        /// Role.
        role: RoleId,
    },
    /// Take a person out of their role, by position in the list of people.
    TakeOutOfRole(usize),
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
        /// The role it is sent to; everyone when `None`.
        to: Option<RoleId>,
    },
    /// Add a hotwash point for a role.
    HotwashAdd {
        /// Role.
        role: RoleId,
        /// Strengths or improvements.
        list: HotwashList,
        /// The point.
        text: String,
    },
    /// Remove a hotwash point.
    HotwashRemove {
        /// Role.
        role: RoleId,
        /// Strengths or improvements.
        list: HotwashList,
        /// Position in the list.
        index: usize,
    },
    /// Open or close the projector window.
    ShowProjector(bool),
    /// Blank the projector (true) or show the room view again.
    BlankProjector(bool),
}

/// The question bank and the learner's profile.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum LearnerCommand {
    /// Start a question-bank sitting over these sets (empty = all) with this many questions.
    StartSitting {
        /// Question-set ids.
        sets: BTreeSet<String>,
        /// Questions in the sitting.
        size: usize,
    },
    /// Check the picked choices of the current question.
    CheckAnswer(BTreeSet<usize>),
    /// Move on after the feedback.
    NextQuestion,
    /// Leave the sitting (answers so far are already saved).
    EndSitting,
    /// Use another learner profile.
    SwitchProfile(String),
    /// Try the progress database again (after it was locked, say).
    RetryDatabase,
    /// Send what waits for the learning record store now, without waiting out the pause after
    /// failed tries.
    SendRecordsNow,
}

macro_rules! into_ui_command {
    ($($feature:ident => $variant:ident),* $(,)?) => {$(
        impl From<$feature> for UiCommand {
            fn from(command: $feature) -> Self {
                Self::$variant(command)
            }
        }
    )*};
}

into_ui_command!(
    Navigate => Navigate,
    ContentCommand => Content,
    ExerciseCommand => Exercise,
    FacilitatorCommand => Facilitate,
    LearnerCommand => Learner,
    AuthorAction => Author,
);

impl From<Intent> for UiCommand {
    fn from(intent: Intent) -> Self {
        Self::Exercise(ExerciseCommand::Intent(intent))
    }
}

impl UiCommand {
    /// Writes the command as its feature's message straight into a world (tests, tours).
    pub fn write_into(self, world: &mut World) {
        match self {
            Self::Navigate(c) => drop(world.write_message(c)),
            Self::Content(c) => drop(world.write_message(c)),
            Self::Exercise(c) => drop(world.write_message(c)),
            Self::Facilitate(c) => drop(world.write_message(c)),
            Self::Learner(c) => drop(world.write_message(c)),
            Self::Author(c) => drop(world.write_message(c)),
        }
    }
}

/// Hands the commands views return to their features' handlers.
#[derive(SystemParam)]
pub struct CommandWriter<'w> {
    navigate: MessageWriter<'w, Navigate>,
    content: MessageWriter<'w, ContentCommand>,
    exercise: MessageWriter<'w, ExerciseCommand>,
    facilitate: MessageWriter<'w, FacilitatorCommand>,
    learner: MessageWriter<'w, LearnerCommand>,
    author: MessageWriter<'w, AuthorAction>,
}

impl CommandWriter<'_> {
    /// Sends one command.
    pub fn send(&mut self, command: impl Into<UiCommand>) {
        match command.into() {
            UiCommand::Navigate(c) => drop(self.navigate.write(c)),
            UiCommand::Content(c) => drop(self.content.write(c)),
            UiCommand::Exercise(c) => drop(self.exercise.write(c)),
            UiCommand::Facilitate(c) => drop(self.facilitate.write(c)),
            UiCommand::Learner(c) => drop(self.learner.write(c)),
            UiCommand::Author(c) => drop(self.author.write(c)),
        }
    }

    /// Sends every command, in order.
    pub fn send_all(&mut self, commands: impl IntoIterator<Item = UiCommand>) {
        for command in commands {
            self.send(command);
        }
    }
}

/// Registers every feature's message type.
pub(super) fn plugin(app: &mut App) {
    app.add_message::<Navigate>()
        .add_message::<ContentCommand>()
        .add_message::<ExerciseCommand>()
        .add_message::<FacilitatorCommand>()
        .add_message::<LearnerCommand>();
}

/// What the author asked for.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum AuthorAction {
    /// Open another content folder.
    Open(PathBuf),
    /// Give a cell the next code.
    CycleCell {
        /// The task's index in the plan.
        task: usize,
        /// The role's id.
        role: String,
    },
    /// Give a cell exactly these codes.
    SetCell {
        /// The task's index in the plan.
        task: usize,
        /// The role's id.
        role: String,
        /// The codes (`R`, `A`, …).
        codes: Vec<String>,
    },
    /// Set a task's flag.
    SetFlag {
        /// The task's index in the plan.
        task: usize,
        /// Which flag.
        flag: TaskFlag,
        /// Its new value.
        on: bool,
    },
    /// Replace the plan's text.
    EditText(String),
    /// Show a file's line (a diagnostic's place).
    ShowLine {
        /// The file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
    },
    /// Step back one edit.
    Undo,
    /// Step forward again.
    Redo,
    /// Write the plan.
    Save,
    /// Save, then pick a scenario of the folder to play under the plan.
    Play,
    /// Write the plan's RACI beside it as a workbook.
    ExportRaci,
    /// Edit a scenario of the folder in the forms.
    EditScenario {
        /// The scenario's file.
        file: PathBuf,
        /// What changes.
        edit: ScenarioEdit,
    },
    /// Write a new scenario from the template into the folder and open it in the forms.
    NewScenario,
    /// Write a scenario's MSEL beside it as a workbook.
    ExportMsel {
        /// The scenario's file.
        file: PathBuf,
    },
    /// Back to the title screen.
    Leave,
}

/// An edit of a scenario in the Author screen's forms. A decision or an option is edited by
/// replacing the inject that holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum ScenarioEdit {
    /// Replace an inject (its fields, decisions and options) with an edited one.
    ReplaceInject {
        /// The inject's index in the scenario.
        index: usize,
        /// The inject as edited.
        inject: Box<crate::engine::model::scenario::Inject>,
    },
    /// Add an inject after the last, ten minutes later.
    AddInject,
    /// Delete an inject (the screen asks first).
    DeleteInject {
        /// The inject's index in the scenario.
        index: usize,
    },
}

/// A yes/no property of a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskFlag {
    /// Whoever approves it must not be whoever requests or performs it.
    Privileged,
    /// It destroys evidence of its target.
    DestroysEvidence,
    /// It preserves evidence of its target.
    PreservesEvidence,
    /// It changes what the audit trail records.
    AltersAuditTrail,
}

impl TaskFlag {
    /// The flag's value on `task`.
    pub fn of(self, task: &crate::engine::model::matrix::TaskKind) -> bool {
        match self {
            Self::Privileged => task.privileged,
            Self::DestroysEvidence => task.destroys_evidence,
            Self::PreservesEvidence => task.preserves_evidence,
            Self::AltersAuditTrail => task.alters_audit_trail,
        }
    }

    /// The flag's value on `task`, to change.
    pub fn of_mut(self, task: &mut crate::engine::model::matrix::TaskKind) -> &mut bool {
        match self {
            Self::Privileged => &mut task.privileged,
            Self::DestroysEvidence => &mut task.destroys_evidence,
            Self::PreservesEvidence => &mut task.preserves_evidence,
            Self::AltersAuditTrail => &mut task.alters_audit_trail,
        }
    }
}
