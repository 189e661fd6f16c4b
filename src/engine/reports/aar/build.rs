//! What the after-action report says, gathered from an exercise record and its replayed session.

use std::collections::BTreeMap;

use crate::engine::exercise::ExerciseRecord;
use crate::engine::model::id::RoleId;
use crate::engine::model::matrix::Dimension;
use crate::engine::reports::scorecard::{score_label, timeline};
use crate::engine::room::{FeedKind, seat_feed};
use crate::engine::scoring::{FindingKind, Scorecard, reports_due, score};
use crate::engine::session::Session;

/// An objective whose weakest dimension scores at least this was performed with some challenges;
/// below it, with major ones.
pub const PARTLY: u32 = 60;

/// How an objective was met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rating {
    /// Every dimension it rests on was tested and none lost a point: no challenges.
    Met,
    /// The weakest scored at least [`PARTLY`].
    PartlyMet,
    /// Below that.
    NotMet,
    /// Nothing it rests on was put to the test, or the exercise ended before what it rests on.
    NotExercised,
    /// The objective names no dimension; the facilitator judges it from the notes.
    NotAssessed,
}

impl Rating {
    /// Human label (HSEEP wording).
    pub fn label(self) -> &'static str {
        match self {
            Self::Met => "Performed without challenges",
            Self::PartlyMet => "Performed with some challenges",
            Self::NotMet => "Performed with major challenges",
            Self::NotExercised => "Not exercised",
            Self::NotAssessed => "Not assessed by the scorecard",
        }
    }
}

/// One objective and how it was met.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectiveRow {
    /// Its text.
    pub text: String,
    /// The rating.
    pub rating: Rating,
    /// The scores it rests on ("Evidence preservation 100").
    pub evidence: String,
}

/// One line of the improvement plan.
#[derive(Clone, Debug, PartialEq)]
pub struct ImprovementRow {
    /// The capability (dimension) or "Hotwash".
    pub capability: String,
    /// The issue observed.
    pub issue: String,
    /// What to do about it.
    pub action: String,
    /// The role that owns the action.
    pub owner: String,
}

/// One row of the exercise timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    /// Scenario minute.
    pub minute: u32,
    /// "Inject", "Decision", "Ad-hoc inject" or "Observation".
    pub kind: &'static str,
    /// What happened.
    pub text: String,
    /// What the matrix expected, if it says.
    pub expected: Option<String>,
}

/// Per-role tally of findings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoleRow {
    /// Role name.
    pub role: String,
    /// People who played it.
    pub people: Vec<String>,
    /// Credits.
    pub credits: usize,
    /// Deductions.
    pub deductions: usize,
    /// Points lost.
    pub points_lost: i32,
}

/// The people who played one role.
#[derive(Clone, Debug, PartialEq)]
pub struct RolePeople {
    /// Role name.
    pub role: String,
    /// Their names, as the facilitator wrote them.
    pub people: Vec<String>,
}

/// One observer note, with its tags as names.
#[derive(Clone, Debug, PartialEq)]
pub struct NoteRow {
    /// Scenario minute.
    pub minute: u32,
    /// Role name, or empty.
    pub role: String,
    /// Dimension label, or empty.
    pub dimension: String,
    /// What was observed.
    pub text: String,
}

/// A discussion question of the scenario, and whether the room got to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscussionRow {
    /// The question.
    pub prompt: String,
    /// The inject it follows, by title.
    pub after: String,
    /// Minute that inject came in; `None` if the exercise never got there.
    pub reached_at: Option<u32>,
    /// The roles it is for, by name; empty, the whole room.
    pub roles: String,
}

/// One role's hotwash.
#[derive(Clone, Debug, PartialEq)]
pub struct HotwashRow {
    /// Role name.
    pub role: String,
    /// What went well.
    pub strengths: Vec<String>,
    /// What to improve.
    pub improvements: Vec<String>,
}

/// One seat of a hosted exercise: who sat there and what it sent, received and said.
#[derive(Clone, Debug, PartialEq)]
pub struct SeatRow {
    /// Seat name.
    pub seat: String,
    /// The roles it played, by name.
    pub roles: String,
    /// The people at it, as they named themselves.
    pub people: Vec<String>,
    /// Intents accepted from its devices.
    pub intents: u32,
    /// Its timeline.
    pub entries: Vec<SeatEntry>,
}

/// One row of a seat's timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct SeatEntry {
    /// Scenario minute.
    pub minute: u32,
    /// "Sent", "Received", "Chat" or "Facilitator".
    pub kind: &'static str,
    /// What happened or was said.
    pub text: String,
}

/// One team's results, when the same exercise was run for several teams at once.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamRow {
    /// The team, as its exercise is named.
    pub team: String,
    /// Its total.
    pub total: u32,
    /// Each dimension's score (`None`: not tested).
    pub dimensions: BTreeMap<Dimension, Option<u32>>,
    /// Deductions.
    pub deductions: usize,
    /// Scenario minute reached.
    pub minute: u32,
    /// Intents the team made (the clock and the injects left out).
    pub decisions: usize,
    /// This report's own team.
    pub this: bool,
}

impl TeamRow {
    /// A team's row from its record and replayed session.
    pub fn of(record: &ExerciseRecord, session: &Session, this: bool) -> Self {
        let card = score(session);
        Self {
            team: record.id.clone(),
            total: card.total,
            dimensions: card.dimensions.clone(),
            deductions: card.deductions().count(),
            minute: session.minute(),
            decisions: session
                .log()
                .entries
                .iter()
                .filter(|e| !e.intent.is_facilitation())
                .count(),
            this,
        }
    }
}

/// The report's content, rendered by [`AfterActionReport::markdown`] and [`AfterActionReport::html`].
#[derive(Clone, Debug, PartialEq)]
pub struct AfterActionReport {
    /// Scenario title.
    pub title: String,
    /// Scenario summary.
    pub summary: String,
    /// Exercise date (UTC, YYYY-MM-DD).
    pub date: String,
    /// Mode label.
    pub mode: String,
    /// Facilitator.
    pub facilitator: String,
    /// Matrix name.
    pub matrix: String,
    /// Seed.
    pub seed: u64,
    /// Scenario minute reached.
    pub minute_reached: u32,
    /// The scenario's planned length in minutes.
    pub duration_mins: u32,
    /// Participants by role name.
    pub participants: Vec<RolePeople>,
    /// Objectives.
    pub objectives: Vec<ObjectiveRow>,
    /// Timeline.
    pub timeline: Vec<TimelineEntry>,
    /// Each seat's timeline, when the exercise was hosted for devices.
    pub seats: Vec<SeatRow>,
    /// Every team's results, when the same exercise was run for several (empty otherwise).
    pub teams: Vec<TeamRow>,
    /// The scorecard.
    pub card: Scorecard,
    /// Findings per role.
    pub roles: Vec<RoleRow>,
    /// Observer notes.
    pub notes: Vec<NoteRow>,
    /// The scenario's discussion questions (ungraded).
    pub discussion: Vec<DiscussionRow>,
    /// Hotwash per role.
    pub hotwash: Vec<HotwashRow>,
    /// Improvement plan.
    pub plan: Vec<ImprovementRow>,
    /// The reports legal and contractual regimes asked for.
    pub reporting: Vec<ReportRow>,
}

/// A report a legal or contractual regime asked for, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRow {
    /// The regime and the report ("GDPR Art. 33: Initial notification").
    pub report: String,
    /// Who receives it.
    pub recipient: String,
    /// When and by what its clock started ("Tue 09:23, The customer table was read out").
    pub started: String,
    /// Its deadline on the scenario's clock.
    pub deadline: String,
    /// Filed on time, late, not filed, or due after the exercise.
    pub status: String,
}

impl ReportRow {
    /// Every report the run's clocks asked for, including those due after the exercise.
    pub fn of(session: &Session) -> Vec<Self> {
        let scenario = session.scenario();
        let clock = |minute| scenario.clock_label(minute);
        reports_due(session)
            .into_iter()
            .map(|due| {
                let status = match due.filed {
                    Some((_, at)) if at <= due.deadline => format!("Filed {}, on time", clock(at)),
                    Some((_, at)) => format!("Filed {}, {} min late", clock(at), at - due.deadline),
                    None if due.deadline > scenario.duration_mins => {
                        "Due after the exercise: not graded".to_owned()
                    }
                    None if due.deadline >= session.minute() => "Not yet due".to_owned(),
                    None => "Not filed".to_owned(),
                };
                Self {
                    report: format!("{}: {}", due.clock.regime.name, due.stage.name),
                    recipient: due.clock.regime.recipient.clone(),
                    started: format!("{}, {}", clock(due.clock.started), due.clock.inject.title),
                    deadline: clock(due.deadline),
                    status,
                }
            })
            .collect()
    }
}

/// UTC calendar date of a Unix timestamp (civil-from-days, proleptic Gregorian).
pub fn utc_date(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Teams of one session start within this long of each other.
const SAME_SESSION_SECS: u64 = 12 * 3600;

impl AfterActionReport {
    /// Adds the comparison with the other teams that ran the same scenario with the same seed at
    /// the same time; this exercise itself, one named twice, and an exercise of another scenario,
    /// seed or plan or of another day are refused, naming it.
    pub fn compare(
        &mut self,
        this: (&ExerciseRecord, &Session),
        others: &[(&ExerciseRecord, &Session)],
    ) -> Result<(), String> {
        let (record, session) = this;
        for (n, (other, other_session)) in others.iter().enumerate() {
            if other.id == record.id {
                return Err(format!(
                    "{} is this report's own exercise; compare it with the other teams'",
                    other.id
                ));
            }
            if others
                .get(..n)
                .unwrap_or_default()
                .iter()
                .any(|(earlier, _)| earlier.id == other.id)
            {
                return Err(format!("{} is named twice", other.id));
            }
            if other.log.matrix != record.log.matrix {
                return Err(format!(
                    "{} is not the same exercise: it was graded against the plan `{}`, this one \
                     against `{}`",
                    other.id, other.log.matrix, record.log.matrix
                ));
            }
            let apart = other.started_at.abs_diff(record.started_at);
            if apart > SAME_SESSION_SECS {
                return Err(format!(
                    "{} is not the same exercise: it started {} apart from this one (teams of one \
                     session start together)",
                    other.id,
                    crate::engine::text::duration_words(
                        u32::try_from(apart / 60).unwrap_or(u32::MAX)
                    )
                ));
            }
            if other_session.scenario().id != session.scenario().id
                || other.log.seed != record.log.seed
            {
                return Err(format!(
                    "{} is not the same exercise: scenario `{}` with seed {}, where this one is \
                     `{}` with seed {}",
                    other.id,
                    other_session.scenario().id,
                    other.log.seed,
                    session.scenario().id,
                    record.log.seed
                ));
            }
        }
        self.teams = std::iter::once(TeamRow::of(record, session, true))
            .chain(others.iter().map(|(r, s)| TeamRow::of(r, s, false)))
            .collect();
        Ok(())
    }

    /// Builds the report of a record and its replayed session.
    pub fn build(record: &ExerciseRecord, session: &Session) -> Self {
        let scenario = session.scenario();
        let matrix = session.matrix();
        let card = score(session);
        let role_name = |r: &RoleId| matrix.role_name(r.as_str()).to_owned();

        let mut participants: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for p in &record.participants {
            participants
                .entry(role_name(&p.role))
                .or_default()
                .push(p.name.clone());
        }
        let seated = record.room.iter().flat_map(|room| &room.seats);
        for seat in seated.filter(|s| !s.devices.is_empty()) {
            for role in &seat.seat.roles {
                let people = participants.entry(role_name(role)).or_default();
                for device in &seat.devices {
                    if !people.contains(&device.person) {
                        people.push(device.person.clone());
                    }
                }
            }
        }

        let objectives = scenario
            .objectives
            .iter()
            .map(|o| {
                let scores: Vec<(Dimension, Option<u32>)> = o
                    .dimensions
                    .iter()
                    .map(|d| (*d, card.dimension(*d)))
                    .collect();
                // What lay beyond an early end cannot count as met, whatever was scored before it.
                let cut_short = o.dimensions.iter().any(|d| {
                    card.findings_in(*d)
                        .any(|f| f.kind == FindingKind::NotReached)
                });
                let weakest = scores.iter().filter_map(|(_, s)| *s).min();
                let rating = match weakest {
                    _ if o.dimensions.is_empty() => Rating::NotAssessed,
                    None => Rating::NotExercised,
                    Some(_) if cut_short => Rating::NotExercised,
                    Some(100) => Rating::Met,
                    Some(s) if s >= PARTLY => Rating::PartlyMet,
                    Some(_) => Rating::NotMet,
                };
                let mut evidence = scores
                    .iter()
                    .map(|(d, s)| format!("{} {}", d.label(), score_label(*s)))
                    .collect::<Vec<_>>()
                    .join(", ");
                if cut_short {
                    evidence.push_str("; the exercise ended before all of it was reached");
                }
                ObjectiveRow {
                    text: o.text.clone(),
                    rating,
                    evidence,
                }
            })
            .collect();

        // Each row with its place: the minute, then how many intents the log held when it
        // happened, the log's own rows before a note or ad-hoc inject made at the same count.
        // Additions from saves that did not record the count go last in their minute.
        let mut placed: Vec<((u32, usize, u8), TimelineEntry)> = timeline(session)
            .into_iter()
            .map(|row| {
                (
                    (row.minute, row.after_intents, 0),
                    TimelineEntry {
                        minute: row.minute,
                        kind: row.kind.label(),
                        text: row.actual,
                        expected: row.expected,
                    },
                )
            })
            .collect();
        placed.extend(record.adhoc_injects.iter().map(|a| {
            (
                (a.minute, a.after_intents.unwrap_or(usize::MAX), 1),
                TimelineEntry {
                    minute: a.minute,
                    kind: "Ad-hoc inject",
                    text: format!("{}: {}", a.title, a.narrative),
                    expected: None,
                },
            )
        }));
        placed.extend(record.notes.iter().map(|n| {
            (
                (n.minute, n.after_intents.unwrap_or(usize::MAX), 1),
                TimelineEntry {
                    minute: n.minute,
                    kind: "Observation",
                    text: n.text.clone(),
                    expected: None,
                },
            )
        }));
        // Stable: rows of one place keep the order they were made in.
        placed.sort_by_key(|(place, _)| *place);
        let entries: Vec<TimelineEntry> = placed.into_iter().map(|(_, e)| e).collect();

        let mut roles: BTreeMap<String, RoleRow> = BTreeMap::new();
        for f in &card.findings {
            let Some(role) = &f.role else { continue };
            let row = roles.entry(role_name(role)).or_insert_with(|| RoleRow {
                role: role_name(role),
                people: record
                    .people_in(role)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
                ..RoleRow::default()
            });
            match f.kind {
                FindingKind::Credit => row.credits += 1,
                FindingKind::Deduction => {
                    row.deductions += 1;
                    row.points_lost += f.points.saturating_abs();
                }
                FindingKind::NotReached | FindingKind::NotTested => {}
            }
        }

        let mut plan: Vec<ImprovementRow> = Vec::new();
        for f in card.deductions() {
            let owner = f
                .role
                .as_ref()
                .map_or_else(|| "Incident Response Manager".to_owned(), role_name);
            let row = ImprovementRow {
                capability: f.dimension.label().to_owned(),
                issue: f.message.clone(),
                action: f.advice.clone(),
                owner,
            };
            if !plan.contains(&row) {
                plan.push(row);
            }
        }
        for h in &record.hotwash {
            for issue in &h.improvements {
                plan.push(ImprovementRow {
                    capability: "Hotwash".to_owned(),
                    issue: issue.clone(),
                    action: "Agree a corrective action at the improvement-plan review.".to_owned(),
                    owner: role_name(&h.role),
                });
            }
        }

        Self {
            title: scenario.title.clone(),
            summary: scenario.summary.clone(),
            date: utc_date(record.started_at),
            mode: record.mode.label().to_owned(),
            facilitator: record.facilitator.clone(),
            matrix: session.graded_under().describe(),
            seed: record.log.seed,
            minute_reached: session.minute(),
            duration_mins: scenario.duration_mins,
            participants: participants
                .into_iter()
                .map(|(role, people)| RolePeople { role, people })
                .collect(),
            objectives,
            timeline: entries,
            seats: seat_rows(record, session),
            reporting: ReportRow::of(session),
            teams: Vec::new(),
            card,
            roles: roles.into_values().collect(),
            notes: record
                .notes
                .iter()
                .map(|n| NoteRow {
                    minute: n.minute,
                    role: n.role.as_ref().map(role_name).unwrap_or_default(),
                    dimension: n
                        .dimension
                        .map(|d| d.label().to_owned())
                        .unwrap_or_default(),
                    text: n.text.clone(),
                })
                .collect(),
            discussion: scenario
                .discussion
                .iter()
                .map(|d| DiscussionRow {
                    prompt: d.prompt.clone(),
                    after: scenario
                        .inject(d.after.as_str())
                        .map_or_else(|| d.after.to_string(), |i| i.title.clone()),
                    reached_at: session.released_at(d.after.as_str()),
                    roles: if d.roles.is_empty() {
                        String::new()
                    } else {
                        crate::engine::session::names_list(d.roles.iter().map(role_name).collect())
                    },
                })
                .collect(),
            hotwash: record
                .hotwash
                .iter()
                .map(|h| HotwashRow {
                    role: role_name(&h.role),
                    strengths: h.strengths.clone(),
                    improvements: h.improvements.clone(),
                })
                .collect(),
            plan,
        }
    }
}

/// Each seat's timeline: the exchanges it sent and received, and its chat with the facilitator.
/// A seat nobody took and nothing reached is left out.
fn seat_rows(record: &ExerciseRecord, session: &Session) -> Vec<SeatRow> {
    let Some(room) = &record.room else {
        return Vec::new();
    };
    let matrix = session.matrix();
    room.seats
        .iter()
        .filter_map(|seated| {
            let seat = &seated.seat;
            let mut entries: Vec<SeatEntry> = seat_feed(session, seat, None)
                .into_iter()
                .filter(|item| item.kind == FeedKind::Exchange)
                .map(|item| {
                    let outgoing = item
                        .seq
                        .checked_sub(1)
                        .and_then(|i| session.log().entries.get(i))
                        .and_then(|e| e.intent.actor())
                        .is_some_and(|actor| seat.plays(actor));
                    let mut text = item.text;
                    if !item.details.is_empty() {
                        text = format!("{text} ({})", item.details.join("; "));
                    }
                    SeatEntry {
                        minute: item.minute,
                        kind: if outgoing { "Sent" } else { "Received" },
                        text,
                    }
                })
                .collect();
            entries.extend(room.chat_of(&seat.id).map(|line| SeatEntry {
                minute: line.minute,
                kind: if line.from_facilitator {
                    "Facilitator"
                } else {
                    "Chat"
                },
                text: if line.from_facilitator {
                    line.text.clone()
                } else {
                    format!("{}: {}", line.person, line.text)
                },
            }));
            // Stable: what was done in a minute, then what was said about it.
            entries.sort_by_key(|e| e.minute);
            let untouched = seated.devices.is_empty() && seated.intents == 0 && entries.is_empty();
            (!untouched).then(|| SeatRow {
                seat: seat.name.clone(),
                roles: crate::engine::session::names_list(
                    seat.roles
                        .iter()
                        .map(|r| matrix.role_name(r.as_str()).to_owned())
                        .collect(),
                ),
                people: seated.devices.iter().map(|d| d.person.clone()).collect(),
                intents: seated.intents,
                entries,
            })
        })
        .collect()
}
