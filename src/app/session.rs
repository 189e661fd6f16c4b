//! The bridge between the app and the engine: the active session resource, the player-intent
//! message, and the one system that applies intents to the engine.

use std::collections::VecDeque;

use bevy::prelude::*;

use crate::engine::scenario::Mode;
use crate::engine::scoring::{Finding, Scorecard, score};
use crate::engine::{Event, Intent, Session};

/// The session being played.
#[derive(Resource, Debug)]
pub struct ActiveSession {
    /// The engine session.
    pub session: Session,
    /// How it is being played.
    pub mode: Mode,
}

/// Something the player (or a script) wants the engine to do.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct PlayerIntent(pub Intent);

/// What became of the last intent, for the UI.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub enum LastOutcome {
    /// Nothing yet.
    #[default]
    None,
    /// Accepted, with the practice-mode feedback it earned.
    Accepted {
        /// What the intent was.
        summary: String,
        /// Findings caused by this intent (shown immediately in practice mode).
        feedback: Vec<Finding>,
    },
    /// Refused by the engine; nothing changed.
    Rejected {
        /// What the intent was.
        summary: String,
        /// Why.
        reason: String,
    },
}

/// A handoff or escalation to animate on the board.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardArrow {
    /// From this role.
    pub from: String,
    /// To this role.
    pub to: String,
    /// Handoff (true) or escalation.
    pub handoff: bool,
    /// Seconds since it appeared.
    pub age_secs: f32,
}

/// Arrows currently on the board.
#[derive(Resource, Debug, Default)]
pub struct BoardArrows(pub VecDeque<BoardArrow>);

/// How long an arrow stays on the board.
pub const ARROW_LIFETIME_SECS: f32 = 6.0;

/// The final scorecard, set when the exercise ends.
#[derive(Resource, Debug, Clone)]
pub struct FinalScorecard(pub Scorecard);

/// The scenario clock in drill mode: real seconds per scenario minute and whether it runs.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct ScenarioClock {
    /// Whether time passes on its own.
    pub running: bool,
    /// Speed multiplier; at 1.0 a scenario minute lasts [`BASE_SECS_PER_MINUTE`] real seconds.
    pub speed: f32,
    /// Real seconds accumulated towards the next scenario minute.
    pub elapsed_secs: f32,
}

/// Real seconds per scenario minute at speed 1.
pub const BASE_SECS_PER_MINUTE: f32 = 10.0;

impl Default for ScenarioClock {
    fn default() -> Self {
        Self {
            running: false,
            speed: 1.0,
            elapsed_secs: 0.0,
        }
    }
}

impl ScenarioClock {
    /// Real seconds until the next scenario minute.
    pub fn secs_to_next_minute(&self) -> f32 {
        (BASE_SECS_PER_MINUTE / self.speed.max(0.01) - self.elapsed_secs).max(0.0)
    }
}

/// Applies every queued intent to the engine. The only system that mutates the session.
pub fn apply_player_intents(
    mut intents: MessageReader<PlayerIntent>,
    session: Option<ResMut<ActiveSession>>,
    mut outcome: ResMut<LastOutcome>,
    mut arrows: ResMut<BoardArrows>,
    mut commands: Commands,
) {
    let Some(mut active) = session else {
        intents.clear();
        return;
    };
    for PlayerIntent(intent) in intents.read() {
        let summary = intent.summary();
        match active.session.apply(intent.clone()) {
            Ok(events) => {
                match intent {
                    Intent::Handoff(h) => arrows.0.push_back(BoardArrow {
                        from: h.from.to_string(),
                        to: h.to.to_string(),
                        handoff: true,
                        age_secs: 0.0,
                    }),
                    Intent::Escalate { from, to, .. } => {
                        for role in to {
                            arrows.0.push_back(BoardArrow {
                                from: from.to_string(),
                                to: role.to_string(),
                                handoff: false,
                                age_secs: 0.0,
                            });
                        }
                    }
                    _ => {}
                }
                let entry = active.session.log().entries.len();
                // Only practice mode shows per-decision feedback; drill grades once, at the end.
                let feedback = if active.mode != Mode::Practice || intent.is_facilitation() {
                    Vec::new()
                } else {
                    score(&active.session)
                        .findings
                        .into_iter()
                        .filter(|f| f.entry == Some(entry))
                        .collect()
                };
                *outcome = LastOutcome::Accepted { summary, feedback };
                if events
                    .iter()
                    .any(|e| matches!(e, Event::ExerciseEnded { .. }))
                {
                    commands.insert_resource(FinalScorecard(score(&active.session)));
                }
            }
            Err(rejected) => {
                *outcome = LastOutcome::Rejected {
                    summary,
                    reason: rejected.reason,
                };
            }
        }
    }
}

/// In drill mode, turns real time into scenario minutes while the clock runs. Real time, not
/// virtual: virtual time clamps long frames, which would slow the clock when redraws are sparse.
pub fn tick_clock(
    time: Res<Time<Real>>,
    mut clock: ResMut<ScenarioClock>,
    session: Option<Res<ActiveSession>>,
    mut intents: MessageWriter<PlayerIntent>,
) {
    let Some(active) = session else {
        return;
    };
    if !clock.running || active.session.ended() {
        return;
    }
    clock.elapsed_secs += time.delta_secs();
    let per_minute = BASE_SECS_PER_MINUTE / clock.speed.max(0.01);
    if clock.elapsed_secs >= per_minute {
        let minutes = (clock.elapsed_secs / per_minute).floor();
        clock.elapsed_secs -= minutes * per_minute;
        intents.write(PlayerIntent(Intent::Advance {
            minutes: minutes as u32,
        }));
    }
}

/// Ages board arrows and drops the old ones.
pub fn age_arrows(time: Res<Time>, mut arrows: ResMut<BoardArrows>) {
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
