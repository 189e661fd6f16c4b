//! The one handler of [`ExerciseCommand`]s, carried out in order: start, resume, intents, clock,
//! export. The only system that writes into the engine; every accepted intent is saved before the
//! next command is read.

use bevy::prelude::*;

use super::active::{
    ARROW_LIFETIME_SECS, ActiveExercise, ArrowKind, BoardArrow, BoardArrows, ExerciseBegan,
    FinalScorecard, InjectBanner, LastOutcome, NewInject, Saves, ScoreTrail,
};
use super::clock::ScenarioClock;
use super::export::export;
use super::saving::load_for_resume;
use crate::app::content::Content;
use crate::app::flow::Screen;
use crate::app::messages::ExerciseCommand;
use crate::app::notice::Notice;
use crate::engine::exercise::ExerciseRecord;
use crate::engine::model::scenario::Mode;
use crate::engine::scoring::score;
use crate::engine::{Event, Intent, Session};
use crate::store::unix_now;

/// The per-exercise state every new exercise starts from.
#[derive(bevy::ecs::system::SystemParam)]
pub(super) struct ExerciseState<'w> {
    outcome: ResMut<'w, LastOutcome>,
    trail: ResMut<'w, ScoreTrail>,
    banner: ResMut<'w, InjectBanner>,
    arrows: ResMut<'w, BoardArrows>,
    clock: ResMut<'w, ScenarioClock>,
    began: MessageWriter<'w, ExerciseBegan>,
}

impl ExerciseState<'_> {
    /// Forgets everything of the previous exercise. `new` is a start, not a resume.
    fn reset_for(&mut self, exercise: &ActiveExercise, new: bool) {
        *self.outcome = LastOutcome::None;
        *self.trail = ScoreTrail::start(&exercise.session);
        *self.banner = InjectBanner::default();
        self.arrows.0.clear();
        // The drill clock starts at once; a facilitated one waits for the facilitator, and a
        // resumed one waits for whoever comes back to it.
        *self.clock = ScenarioClock {
            running: new && exercise.mode() == Mode::Drill,
            ..ScenarioClock::default()
        };
        self.began.write(ExerciseBegan);
    }
}

pub(super) fn handle_exercise_commands(
    mut reader: MessageReader<ExerciseCommand>,
    mut active: Option<ResMut<ActiveExercise>>,
    mut state: ExerciseState,
    content: Res<Content>,
    saves: Res<Saves>,
    mut notice: ResMut<Notice>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) {
    // A started or resumed exercise is applied to the world only after this system; commands after
    // it in the same frame must act on it, not on the one it replaced.
    let mut began: Option<ActiveExercise> = None;
    for command in reader.read() {
        let current = began.as_mut().or(active.as_deref_mut());
        match command {
            ExerciseCommand::Start {
                scenario,
                mode,
                seed,
            } => {
                let (Some(found), Some(matrix)) = (
                    content.library.scenario(scenario.as_str()),
                    content.library.matrix.as_ref(),
                ) else {
                    *notice = Notice::error(format!(
                        "That scenario ({scenario}) is not in the library; pick one from the list."
                    ));
                    next.set(Screen::Library);
                    continue;
                };
                let session = Session::new(found.scenario.clone(), matrix.matrix.clone(), *seed);
                let started_at = unix_now();
                let id = format!("{}-{started_at}-seed{seed}", found.scenario.id);
                let record = ExerciseRecord::new(id, *mode, started_at, &session);
                let mut exercise = ActiveExercise {
                    session,
                    record,
                    save_path: None,
                    save_error: None,
                };
                *notice = match exercise.save(&saves) {
                    Ok(()) => Notice::default(),
                    Err(problem) => Notice::error(problem.to_string()),
                };
                state.reset_for(&exercise, true);
                commands.remove_resource::<FinalScorecard>();
                next.set(exercise.screen());
                began = Some(exercise);
            }
            ExerciseCommand::Resume(path) => match load_for_resume(path, &content) {
                Ok(exercise) => {
                    if exercise.session.ended() {
                        commands.insert_resource(FinalScorecard(score(&exercise.session)));
                        next.set(Screen::Debrief);
                    } else {
                        commands.remove_resource::<FinalScorecard>();
                        next.set(exercise.screen());
                    }
                    state.reset_for(&exercise, false);
                    *notice = Notice::info(format!("Resumed from {}", path.display()));
                    began = Some(exercise);
                }
                Err(problem) => *notice = Notice::error(problem.to_string()),
            },
            ExerciseCommand::Intent(intent) => {
                let Some(exercise) = current else {
                    continue;
                };
                apply_intent(
                    exercise,
                    intent,
                    &mut state,
                    &saves,
                    &mut notice,
                    &mut commands,
                );
            }
            ExerciseCommand::SetClockRunning(running) => state.clock.running = *running,
            ExerciseCommand::DismissBanner => state.banner.0 = None,
            ExerciseCommand::SetClockSpeed(speed) => {
                state.clock.speed = speed.clamp(0.1, 16.0);
            }
            ExerciseCommand::Export(format, dir) => {
                *notice = match current {
                    Some(exercise) if exercise.session.ended() => {
                        match export(&exercise.session, &exercise.record, *format, dir) {
                            Ok(path) => Notice::info(format!("Saved {}", path.display())),
                            Err(e) => {
                                Notice::error(format!("Could not save into {}: {e}", dir.display()))
                            }
                        }
                    }
                    _ => Notice::error("Nothing to export yet: finish an exercise first."),
                };
            }
        }
    }
    if let Some(exercise) = began {
        commands.insert_resource(exercise);
    }
}

/// Applies one intent, saves the exercise, and updates what the views show of it.
fn apply_intent(
    exercise: &mut ActiveExercise,
    intent: &Intent,
    state: &mut ExerciseState,
    saves: &Saves,
    notice: &mut Notice,
    commands: &mut Commands,
) {
    let summary = exercise.session.describe(intent);
    let events = match exercise.session.apply(intent.clone()) {
        Ok(events) => events,
        Err(rejected) => {
            *state.outcome = LastOutcome::Rejected {
                summary,
                reason: rejected.reason,
            };
            return;
        }
    };
    if let Err(problem) = exercise.save(saves) {
        *notice = Notice::error(problem.to_string());
    }
    match intent {
        Intent::Handoff(h) => state.arrows.0.push_back(BoardArrow {
            from: h.from.to_string(),
            to: h.to.to_string(),
            kind: ArrowKind::Handoff,
            age_secs: 0.0,
        }),
        Intent::Escalate { from, to, .. } => {
            for role in to {
                state.arrows.0.push_back(BoardArrow {
                    from: from.to_string(),
                    to: role.to_string(),
                    kind: ArrowKind::Escalation,
                    age_secs: 0.0,
                });
            }
        }
        _ => {}
    }
    let entry = exercise.session.log().entries.len();
    let card = score(&exercise.session);
    // Only practice mode shows per-decision feedback; drill grades once, at the end.
    let feedback = if exercise.mode() != Mode::Practice || intent.is_facilitation() {
        Vec::new()
    } else {
        card.findings
            .iter()
            .filter(|f| f.entry == Some(entry))
            .cloned()
            .collect()
    };
    state.trail.advance(card);
    let released: Vec<(u32, String)> = events
        .iter()
        .filter_map(|e| match e {
            Event::InjectReleased { inject, minute } => exercise
                .session
                .scenario()
                .inject(inject.as_str())
                .map(|i| (*minute, i.title.clone())),
            _ => None,
        })
        .collect();
    if let Some((minute, title)) = released.last().cloned() {
        state.banner.0 = Some(NewInject {
            minute,
            title,
            more: released.len() - 1,
        });
    }
    *state.outcome = LastOutcome::Accepted { summary, feedback };
    if events
        .iter()
        .any(|e| matches!(e, Event::ExerciseEnded { .. }))
    {
        state.clock.running = false;
        // The card just graded is the final one.
        if let Some(card) = state.trail.card.clone() {
            commands.insert_resource(FinalScorecard(card));
        }
    }
}

/// Ages board arrows and drops the old ones.
pub(super) fn age_arrows(time: Res<Time>, mut arrows: ResMut<BoardArrows>) {
    if arrows.0.is_empty() {
        return;
    }
    for arrow in &mut arrows.0 {
        arrow.age_secs += time.delta_secs();
    }
    while arrows
        .0
        .front()
        .is_some_and(|a| a.age_secs > ARROW_LIFETIME_SECS)
    {
        arrows.0.pop_front();
    }
}
