//! The learner side of the app: the progress database, recording finished runs, and the
//! question-bank sitting. Rules live in the engine (`quiz`, `practice`, `progress`) and the store;
//! this module only keeps their state between frames.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Mutex;

use bevy::prelude::*;

use super::content::Content;
use super::exercise::{ActiveExercise, FinalScorecard};
use super::flow::{AppSystems, Screen};
use super::messages::LearnerCommand;
use super::records::Records;
use crate::engine::Scorecard;
use crate::engine::learning::practice::{Sitting, plan_sitting};
use crate::engine::learning::progress::ProgressReport;
use crate::engine::model::id::QuestionId;
use crate::engine::model::quiz::Resolved;
use crate::store::{Answered, OutboxStatus, Outgoing, ProgressDb, default_profile, unix_now};

/// Questions in a sitting unless the learner picks another number.
pub const DEFAULT_SITTING_SIZE: usize = 10;

/// A finished run waiting for the database.
#[derive(Clone, Debug)]
pub struct PendingRun {
    /// Its final scorecard.
    pub card: Scorecard,
    /// How it was played (`practice`, `drill`, `facilitated`).
    pub mode: String,
    /// When it finished (Unix seconds).
    pub at: i64,
    /// Its save's id.
    pub exercise: Option<String>,
    /// The statements describing it, for the organisation's learning record store.
    pub statements: Vec<Outgoing>,
}

/// The progress database, or why it is unavailable. Runs that could not be written are kept
/// and written with the next successful write, so a locked database loses nothing.
#[derive(Resource, Debug)]
pub struct Learner {
    /// The database file.
    pub path: PathBuf,
    /// Profile in use.
    pub profile: String,
    db: Option<Mutex<ProgressDb>>,
    /// Why the database could not be used, shown on the Progress and Quiz screens.
    pub error: Option<String>,
    /// Finished runs not yet written.
    pub pending_runs: Vec<PendingRun>,
    /// The latest report, refreshed after every write and on entering the Progress screen.
    pub report: Option<ProgressReport>,
    /// Every profile in the database.
    pub profiles: Vec<String>,
}

impl Learner {
    /// Opens the database at `path` for `profile`; a failure is kept as a message, not raised.
    pub fn open(path: PathBuf, profile: String) -> Self {
        let mut learner = Self {
            path,
            profile,
            db: None,
            error: None,
            pending_runs: Vec::new(),
            report: None,
            profiles: Vec::new(),
        };
        learner.reconnect();
        learner
    }

    /// Tries (again) to open the database.
    pub fn reconnect(&mut self) {
        match ProgressDb::open(&self.path, &self.profile) {
            Ok(db) => {
                self.profiles = db.profiles().unwrap_or_default();
                self.db = Some(Mutex::new(db));
                self.error = None;
            }
            Err(e) => {
                self.db = None;
                self.error = Some(e.to_string());
            }
        }
    }

    /// Runs `f` on the database, recording any error as the learner's message.
    fn with_db<T>(
        &mut self,
        f: impl FnOnce(&mut ProgressDb) -> Result<T, crate::store::StoreError>,
    ) -> Option<T> {
        let db = self.db.as_ref()?;
        let mut guard = db.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match f(&mut guard) {
            Ok(v) => {
                self.error = None;
                Some(v)
            }
            Err(e) => {
                self.error = Some(e.to_string());
                None
            }
        }
    }

    /// Whether the database is open.
    pub fn is_connected(&self) -> bool {
        self.db.is_some()
    }

    /// Queues a finished run and writes every queued run it can.
    pub fn record_run(&mut self, run: PendingRun) {
        self.pending_runs.push(run);
        self.flush();
    }

    /// The outbox of statements for the learning record store, as the database holds it now.
    /// Only reads: a failure here is left to the reads that report the database's problems.
    pub fn outbox_status(&self) -> Option<OutboxStatus> {
        let db = self.db.as_ref()?;
        let db = db.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        db.outbox_status().ok()
    }

    /// Forgets the wait after failed sends, so the sender tries at once.
    pub fn send_records_now(&mut self) {
        self.with_db(ProgressDb::retry_outbox_now);
    }

    /// Writes queued runs, oldest first, stopping at the first failure.
    pub fn flush(&mut self) {
        if self.db.is_none() {
            self.reconnect();
        }
        while let Some(run) = self.pending_runs.first().cloned() {
            let written = self.with_db(|db| {
                db.record_run_queued(
                    &run.card,
                    &run.mode,
                    run.at,
                    run.exercise.as_deref(),
                    &run.statements,
                )
            });
            if written.is_none() {
                return;
            }
            self.pending_runs.remove(0);
        }
    }

    /// Switches profile.
    pub fn switch_profile(&mut self, name: &str) {
        let name = name.trim().to_owned();
        if name.is_empty() {
            return;
        }
        if self.with_db(|db| db.use_profile(&name)).is_some() {
            self.profile = name;
            self.profiles = self.with_db(|db| db.profiles()).unwrap_or_default();
        }
    }

    /// Recomputes the report against the loaded content.
    pub fn refresh(&mut self, content: &Content) {
        self.report = self.with_db(|db| db.report(&content.library));
    }
}

/// An answer checked: what the learner picked and whether it was right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// Picked choices.
    pub picked: BTreeSet<usize>,
    /// Whether that was right.
    pub correct: bool,
    /// Whether the question will be asked again this sitting.
    pub will_return: bool,
}

/// The sitting in progress on the Quiz screen.
#[derive(Resource, Debug, Default)]
pub struct QuizState {
    /// Sets chosen (empty = all).
    pub sets: BTreeSet<String>,
    /// Questions per sitting.
    pub size: usize,
    /// The sitting, once started.
    pub sitting: Option<Sitting>,
    /// Its number for this learner.
    pub number: u32,
    /// Its seed.
    pub seed: u64,
    /// The current question resolved against the matrix.
    pub current: Option<Resolved>,
    /// The check of the current question, once answered.
    pub checked: Option<Checked>,
    /// Questions asked so far, repeats included.
    pub asked: usize,
}

/// Puts the recording and quiz logic in the app.
pub(super) fn plugin(app: &mut App) {
    app.init_resource::<QuizState>()
        .add_systems(
            Update,
            (
                handle_learner_commands.in_set(AppSystems::Commands),
                record_finished_runs.in_set(AppSystems::Update),
                read_outbox_when_changed
                    .in_set(AppSystems::Update)
                    .run_if(in_state(Screen::Progress)),
            ),
        )
        .add_systems(Startup, start_sender)
        .add_systems(OnEnter(Screen::Progress), (refresh_report, read_outbox));
}

/// Starts sending organisation records from this learner's database, if a store is configured.
fn start_sender(
    mut records: ResMut<Records>,
    learner: Res<Learner>,
    window_loop: Option<Res<bevy::winit::EventLoopProxyWrapper>>,
) {
    let wake = super::wake::window_waker(window_loop.as_deref());
    records.start(learner.path.clone(), wake);
}

fn read_outbox(mut records: ResMut<Records>, learner: Res<Learner>) {
    records.status = learner.outbox_status();
}

/// Reads the outbox again after the sender or a new record changed it (reading it must not count
/// as a change, or it would be read again every frame).
fn read_outbox_when_changed(mut records: ResMut<Records>, learner: Res<Learner>) {
    if records.take_changed() || learner.is_changed() {
        records.status = learner.outbox_status();
    }
}

fn refresh_report(mut learner: ResMut<Learner>, content: Res<Content>) {
    learner.flush();
    learner.refresh(&content);
}

/// Records each finished run once, when its final scorecard appears.
fn record_finished_runs(
    card: Option<Res<FinalScorecard>>,
    active: Option<Res<ActiveExercise>>,
    mut learner: ResMut<Learner>,
    records: Res<Records>,
) {
    let (Some(card), Some(active)) = (card, active) else {
        return;
    };
    if !card.is_added() {
        return;
    }
    let statements = records.identity().map_or_else(Vec::new, |identity| {
        crate::lrs::run_outgoing(
            identity,
            &learner.profile,
            active.record(),
            active.session(),
            &card.0,
        )
    });
    learner.record_run(PendingRun {
        card: card.0.clone(),
        mode: format!("{:?}", active.mode()).to_lowercase(),
        at: unix_now(),
        exercise: active.save_path().map(|_| active.record().id.clone()),
        statements,
    });
    records.look();
}

fn handle_learner_commands(
    mut reader: MessageReader<LearnerCommand>,
    mut learner: ResMut<Learner>,
    mut quiz: ResMut<QuizState>,
    content: Res<Content>,
    records: Res<Records>,
    mut next: ResMut<NextState<Screen>>,
) {
    for command in reader.read() {
        match command {
            LearnerCommand::StartSitting { sets, size } => {
                start_sitting(&mut learner, &mut quiz, &content, sets, *size);
                next.set(Screen::Quiz);
            }
            LearnerCommand::CheckAnswer(picked) => {
                check_answer(&mut learner, &mut quiz, &content, &records, picked);
            }
            LearnerCommand::NextQuestion => {
                quiz.checked = None;
                resolve_current(&mut quiz, &content);
            }
            LearnerCommand::EndSitting => {
                *quiz = QuizState {
                    sets: std::mem::take(&mut quiz.sets),
                    size: quiz.size,
                    ..QuizState::default()
                };
            }
            LearnerCommand::SwitchProfile(name) => {
                learner.switch_profile(name);
                learner.refresh(&content);
            }
            LearnerCommand::RetryDatabase => {
                learner.reconnect();
                learner.flush();
                learner.refresh(&content);
            }
            LearnerCommand::SendRecordsNow => {
                learner.send_records_now();
                records.look();
            }
        }
    }
}

fn start_sitting(
    learner: &mut Learner,
    quiz: &mut QuizState,
    content: &Content,
    sets: &BTreeSet<String>,
    size: usize,
) {
    let bank: Vec<QuestionId> = content
        .library
        .questions()
        .filter(|(set, _)| sets.is_empty() || sets.contains(&set.id))
        .map(|(_, q)| q.id.clone())
        .collect();
    let seed = unix_now() as u64;
    let cards = learner.with_db(|db| db.cards()).unwrap_or_default();
    let number = learner
        .with_db(|db| db.start_sitting(seed, unix_now()))
        .unwrap_or(1);
    let size = if size == 0 {
        DEFAULT_SITTING_SIZE
    } else {
        size
    };
    *quiz = QuizState {
        sets: sets.clone(),
        size,
        sitting: Some(Sitting::new(plan_sitting(
            &bank, &cards, number, seed, size,
        ))),
        number,
        seed,
        ..QuizState::default()
    };
    resolve_current(quiz, content);
}

/// Resolves the sitting's current question, skipping any the matrix in use cannot answer.
fn resolve_current(quiz: &mut QuizState, content: &Content) {
    quiz.current = None;
    let Some(matrix) = content.library.matrix.as_ref() else {
        return;
    };
    let Some(sitting) = quiz.sitting.as_mut() else {
        return;
    };
    while let Some(id) = sitting.current().cloned() {
        let resolved = content
            .library
            .question(id.as_str())
            .and_then(|(_, q)| q.resolve(&matrix.matrix).ok());
        if let Some(resolved) = resolved {
            quiz.current = Some(resolved);
            quiz.asked += 1;
            return;
        }
        sitting.answer(true);
    }
}

fn check_answer(
    learner: &mut Learner,
    quiz: &mut QuizState,
    content: &Content,
    records: &Records,
    picked: &BTreeSet<usize>,
) {
    if quiz.checked.is_some() {
        return;
    }
    let (Some(resolved), Some(sitting)) = (quiz.current.as_ref(), quiz.sitting.as_mut()) else {
        return;
    };
    let correct = resolved.is_correct(picked);
    let Some(outcome) = sitting.answer(correct) else {
        return;
    };
    if let Some((_, question)) = content.library.question(resolved.id.as_str()) {
        let answer = Answered {
            sitting: quiz.number,
            correct,
            first_try: outcome.first_try,
            at: unix_now(),
        };
        let statements = records.identity().map_or_else(Vec::new, |identity| {
            crate::lrs::answer_outgoing(identity, &learner.profile, question, answer)
        });
        learner.with_db(|db| db.record_answer_queued(question, answer, &statements));
        records.look();
    }
    quiz.checked = Some(Checked {
        picked: picked.clone(),
        correct,
        will_return: outcome.will_return,
    });
}

/// The default database path and profile, for the app.
pub fn default_learner(path: Option<PathBuf>) -> Learner {
    Learner::open(
        path.unwrap_or_else(crate::store::progress_db::default_path),
        default_profile(),
    )
}
