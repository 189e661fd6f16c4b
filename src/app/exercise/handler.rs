//! The one handler of [`ExerciseCommand`]s, carried out in order: start, resume, intents, clock,
//! export. The only system that writes into the engine; every accepted intent is saved before the
//! next command is read.

use bevy::prelude::*;

use super::clock::ScenarioClock;
use super::export::export;
use super::saving::load_for_resume;
use super::shown::{
    ARROW_LIFETIME_SECS, ArrowKind, BoardArrow, BoardArrows, ExerciseBegan, FinalScorecard,
    InjectBanner, LastOutcome, NewInject, ScoreTrail,
};
use super::store::{ActiveExercise, NewEntries, Saves};
use crate::app::content::Content;
use crate::app::flow::Screen;
use crate::app::messages::ExerciseCommand;
use crate::app::notice::Notice;
use crate::engine::exercise::ExerciseRecord;
use bevy::winit::EventLoopProxyWrapper;

use crate::engine::model::scenario::Mode;
use crate::engine::scoring::score;
use crate::engine::{Event, Intent, Session};
use crate::store::unix_now;

/// Opens rooms, when the app was built with the room host (`main` hands it over).
#[derive(Resource, Clone, Default)]
pub struct RoomService(pub Option<crate::hosting::RoomOpener>);

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
        *self.trail = ScoreTrail::start(exercise.session());
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
    opener: Res<RoomService>,
    window_loop: Option<Res<EventLoopProxyWrapper>>,
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
                let mut exercise = ActiveExercise::new(session, record, None);
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
                Ok(mut exercise) => {
                    let ended = exercise.session().ended();
                    let reopen = exercise
                        .record()
                        .room
                        .as_ref()
                        .filter(|r| r.hosting && !ended)
                        .map(|r| r.local_network);
                    if ended {
                        commands.insert_resource(FinalScorecard(score(exercise.session())));
                        next.set(Screen::Debrief);
                    } else {
                        commands.remove_resource::<FinalScorecard>();
                        next.set(exercise.screen());
                    }
                    state.reset_for(&exercise, false);
                    let resumed = resumed_words(&exercise, path);
                    *notice = Notice::info(resumed.clone());
                    // The room comes back under its codes and port, so every page finds it.
                    if let Some(local_network) = reopen {
                        let wake = crate::app::wake::window_waker(window_loop.as_deref());
                        let reopened =
                            open_room(&mut exercise, &opener, &saves, local_network, wake);
                        *notice = match &reopened.0 {
                            Some(text) if !text.is_error => {
                                Notice::info(format!("{resumed} {}", text.text))
                            }
                            _ => reopened.clone(),
                        };
                    }
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
            ExerciseCommand::ClockTick(minutes) => {
                let Some(exercise) = current else {
                    continue;
                };
                // The last thing someone did stays in view; only a refusal replaces it.
                let kept = state.outcome.clone();
                apply_intent(
                    exercise,
                    &Intent::Advance { minutes: *minutes },
                    &mut state,
                    &saves,
                    &mut notice,
                    &mut commands,
                );
                if matches!(*state.outcome, LastOutcome::Accepted { .. }) {
                    *state.outcome = kept;
                }
            }
            ExerciseCommand::SetClockRunning(running) => state.clock.running = *running,
            ExerciseCommand::DismissBanner => state.banner.0 = None,
            ExerciseCommand::SetClockSpeed(speed) => {
                state.clock.speed = speed.clamp(0.1, 16.0);
            }
            ExerciseCommand::OpenRoom { local_network } => {
                if let Some(exercise) = current {
                    let wake = crate::app::wake::window_waker(window_loop.as_deref());
                    *notice = open_room(exercise, &opener, &saves, *local_network, wake);
                }
            }
            ExerciseCommand::CloseRoom => {
                if let Some(exercise) = current
                    && exercise.room().is_some()
                {
                    *notice = match exercise.close_room(&saves) {
                        Ok(()) => Notice::info(
                            "The room is closed; the seats' pages no longer reach this exercise.",
                        ),
                        Err(problem) => Notice::error(problem.to_string()),
                    };
                }
            }
            ExerciseCommand::ManageSeat(change) => {
                if let Some(room) = current.and_then(|e| e.room())
                    && let Err(reason) = room.link.manage(change)
                {
                    *notice = Notice::error(format!("Not changed: {reason}."));
                }
            }
            ExerciseCommand::ChatToSeat { seat, text } => {
                if let Some(room) = current.and_then(|e| e.room())
                    && let Err(reason) = room.link.chat(seat, text)
                {
                    *notice = Notice::error(format!("Not sent: {reason}."));
                }
            }
            ExerciseCommand::Export(format, dir) => {
                *notice = match current {
                    Some(exercise) if exercise.session().ended() => {
                        match export(exercise.session(), exercise.record(), *format, dir) {
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

/// What a resumed exercise is and how it comes back: its mode and minute, and, for a running
/// clock, that it waits to be started again.
fn resumed_words(exercise: &ActiveExercise, path: &std::path::Path) -> String {
    let session = exercise.session();
    let mode = exercise.mode();
    let at = session.scenario().clock_label(session.minute());
    let how = if session.ended() {
        " It had ended: here is its debrief.".to_owned()
    } else if mode == Mode::Practice {
        String::new()
    } else {
        " The clock is paused; start it when the room is ready.".to_owned()
    };
    format!(
        "Resumed \u{201c}{}\u{201d} ({} mode) at {at}, from {}.{how}",
        session.scenario().title,
        mode.label().to_lowercase(),
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned()
        )
    )
}

/// Applies one intent through the exercise's owner, and updates what the views show of it.
fn apply_intent(
    exercise: &mut ActiveExercise,
    intent: &Intent,
    state: &mut ExerciseState,
    saves: &Saves,
    notice: &mut Notice,
    commands: &mut Commands,
) {
    let summary = exercise.session().describe(intent);
    let new = match exercise.submit(intent.clone(), saves) {
        Ok(new) => new,
        Err(refusal) => {
            *state.outcome = LastOutcome::Rejected {
                summary,
                reason: refusal.0,
            };
            return;
        }
    };
    if let Some(problem) = exercise.save_error() {
        *notice = Notice::error(problem);
    }
    // Its own entry (with a room open the seats' may come with it).
    let entries = &exercise.session().log().entries;
    let entry = entries
        .iter()
        .rposition(|e| &e.intent == intent)
        .map_or(entries.len(), |index| index + 1);
    show_new_entries(exercise.session(), new, Some(entry), state, commands);
    // Only practice mode shows per-decision feedback; drill grades once, at the end.
    let feedback = match &state.trail.card {
        Some(card) if exercise.mode() == Mode::Practice && !intent.is_facilitation() => card
            .findings
            .iter()
            .filter(|f| f.entry == Some(entry))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    *state.outcome = LastOutcome::Accepted { summary, feedback };
}

/// Shows what the log's entries from `new` on did: the board's arrows, the running score (`own`
/// is the entry of the app's own step, whose findings show with it), new injects and the end.
fn show_new_entries(
    session: &Session,
    new: NewEntries,
    own: Option<usize>,
    state: &mut ExerciseState,
    commands: &mut Commands,
) {
    let entries = session.log().entries.get(new.from..).unwrap_or_default();
    if entries.is_empty() {
        return;
    }
    for entry in entries {
        state.arrows.0.extend(arrows_for(&entry.intent));
    }
    state.trail.advance(score(session), own);
    let events: Vec<Event> = entries.iter().flat_map(|e| e.events.clone()).collect();
    announce(session, &events, state, commands);
}

/// The arrows an intent draws on the board.
fn arrows_for(intent: &Intent) -> Vec<BoardArrow> {
    let arrow = |from: &str, to: &str, kind| BoardArrow {
        from: from.to_owned(),
        to: to.to_owned(),
        kind,
        age_secs: 0.0,
    };
    match intent {
        Intent::Handoff(h) => vec![arrow(h.from.as_str(), h.to.as_str(), ArrowKind::Handoff)],
        Intent::Escalate { from, to, .. } => to
            .iter()
            .map(|role| arrow(from.as_str(), role.as_str(), ArrowKind::Escalation))
            .collect(),
        _ => Vec::new(),
    }
}

/// Announces the injects `events` released, and the end of the exercise.
fn announce(
    session: &Session,
    events: &[Event],
    state: &mut ExerciseState,
    commands: &mut Commands,
) {
    let released: Vec<(u32, String)> = events
        .iter()
        .filter_map(|e| match e {
            Event::InjectReleased { inject, minute } => session
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

/// Hands the exercise to a room host. The port is fixed so a restarted host is found again by
/// the seats' pages; when it is taken, any free port does.
fn open_room(
    exercise: &mut ActiveExercise,
    opener: &RoomService,
    saves: &Saves,
    local_network: bool,
    wake: Option<Box<dyn Fn() + Send + Sync>>,
) -> Notice {
    if exercise.room().is_some() {
        return Notice::default();
    }
    let Some(opener) = &opener.0 else {
        return Notice::error("This build of Warroom cannot host a room (feature `room`).");
    };
    let bind: std::net::IpAddr = if local_network {
        std::net::Ipv4Addr::UNSPECIFIED.into()
    } else {
        std::net::Ipv4Addr::LOCALHOST.into()
    };
    // The port it had before comes first, so pages open before a crash find it again.
    let last_port = exercise.record().room.as_ref().map_or(0, |r| r.port);
    let mut ports = vec![last_port, ROOM_PORT, 0];
    ports.dedup();
    ports.retain(|p| *p != 0);
    ports.push(0);
    if let Err(problem) = exercise.open_room(opener, saves, bind, &ports) {
        return Notice::error(problem.to_string());
    }
    let Some(room) = exercise.room() else {
        return Notice::error("The room could not be opened.");
    };
    let addresses = room.addresses.clone();
    if let Some(wake) = wake {
        room.link.on_change(wake);
    }
    Notice::info(format!(
        "The room is open: attendees join at {}",
        addresses.join
    ))
}

/// The port a room listens on unless it is taken.
pub const ROOM_PORT: u16 = 8470;

/// Follows what the room's seats did since the last frame: the session, the log and the seats,
/// with the board's arrows, the running score, new injects and the end.
pub(super) fn follow_room(
    active: Option<ResMut<ActiveExercise>>,
    mut state: ExerciseState,
    mut commands: Commands,
) {
    let Some(mut active) = active else { return };
    if let Some(new) = active.follow() {
        // The seats' findings show nowhere else on the console: each is a change of its own.
        show_new_entries(active.session(), new, None, &mut state, &mut commands);
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
