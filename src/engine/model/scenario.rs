//! The scenario model: what a `scenarios/*.ron` file says (metadata, assets, injects, decisions, branching).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use crate::engine::model::start::{ScenarioStart, Weekday};

use crate::engine::model::id::{
    ActionId, ArtifactId, AssetId, AudienceId, DecisionId, FlagId, InjectId, MessageId, RegimeId,
    RoleId, ScenarioId, TaskId, TriggerId, VariantId, VariationId,
};
use crate::engine::model::matrix::{MessageContent, Span};

/// How hard a scenario is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Difficulty {
    /// First contact with the material.
    Introductory,
    /// Needs the basics.
    Intermediate,
    /// Many teams, branching, tight deadlines.
    Advanced,
}

impl Difficulty {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Introductory => "Introductory",
            Self::Intermediate => "Intermediate",
            Self::Advanced => "Advanced",
        }
    }
}

/// How a scenario can be played.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Mode {
    /// One learner, immediate explained feedback.
    Practice,
    /// Real-time clock, feedback at the end.
    Drill,
    /// A facilitator runs it for a room.
    Facilitated,
}

impl Mode {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Practice => "Practice",
            Self::Drill => "Drill",
            Self::Facilitated => "Facilitated",
        }
    }
}

/// Data classification of an asset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Classification {
    /// Meant for anyone.
    Public,
    /// Staff only.
    Internal,
    /// Business-sensitive.
    Confidential,
    /// Personal, payment, health or otherwise regulated data.
    Regulated,
}

/// Business criticality of an asset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Criticality {
    /// Can be down for days.
    Low,
    /// Hurts within a day.
    Medium,
    /// Hurts within hours.
    High,
    /// Stops the business.
    Critical,
}

/// A learning objective.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Stable id.
    pub id: String,
    /// What the trainee should be able to do afterwards.
    pub text: String,
    /// The scoring dimensions that show whether it was met (after-action report).
    #[serde(default)]
    pub dimensions: Vec<crate::engine::model::matrix::Dimension>,
}

/// A reference to a framework item (NIST CSF 2.0 `RS.CO-02`, SP 800-61 section, …).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkRef {
    /// Framework name.
    pub framework: String,
    /// Item within it.
    pub item: String,
    /// How the scenario relates to it.
    #[serde(default)]
    pub note: String,
}

/// Something the organisation owns that the scenario is about.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    /// Stable id.
    pub id: AssetId,
    /// Display name.
    pub name: String,
    /// The role that owns it and decides on changes to it. Left out when nobody is recorded as
    /// its owner: an ownership gap the players must close with an action that `records_owner`.
    #[serde(default)]
    pub owner: Option<RoleId>,
    /// Data classification.
    pub classification: Classification,
    /// Business criticality.
    pub criticality: Criticality,
    /// What it is.
    #[serde(default)]
    pub description: String,
}

/// A declared state flag.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Flag")]
pub struct FlagDef {
    /// Stable id.
    pub id: FlagId,
    /// What it means when set.
    pub description: String,
}

/// A seeded random variation: exactly one option is drawn per session.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variation {
    /// Stable id; `{id}` in narrative and artifact text is replaced by the drawn option's text.
    pub id: VariationId,
    /// What varies.
    #[serde(default)]
    pub description: String,
    /// The options, drawn by weight.
    pub options: Vec<VariantOption>,
}

/// One option of a variation.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantOption {
    /// Stable id.
    pub id: VariantId,
    /// Relative weight (0 = never drawn).
    #[serde(default = "one")]
    pub weight: u32,
    /// Text substituted for `{variation_id}`.
    pub text: String,
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

/// When an inject is released.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Release {
    /// At this scenario minute.
    At(u32),
    /// As soon as the condition holds (checked whenever state or time changes).
    When(Condition),
}

/// A condition over the session state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    /// The scenario clock has reached this minute.
    MinuteAtLeast(u32),
    /// The scenario clock is before this minute.
    MinuteBefore(u32),
    /// The flag is set.
    Flag(FlagId),
    /// The inject has been released.
    Released(InjectId),
    /// At least this many minutes have passed since the inject was released: timing relative to
    /// an inject, so moving it moves what follows it.
    MinutesSince(InjectId, u32),
    /// The action has been carried out.
    ActionDone(ActionId),
    /// Some action of this task kind has been carried out (optionally on this asset).
    TaskDone(TaskId, Option<AssetId>),
    /// The role has been engaged (escalated to or handed work).
    Engaged(RoleId),
    /// The true severity is at least this level.
    SeverityAtLeast(u8),
    /// The variation drew this option.
    Variant(VariationId, VariantId),
    /// Every sub-condition holds.
    All(Vec<Condition>),
    /// At least one sub-condition holds.
    Any(Vec<Condition>),
    /// The sub-condition does not hold.
    Not(Box<Condition>),
}

/// Kind of artifact attached to an inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArtifactKind {
    /// A monitoring alert.
    Alert,
    /// Log lines.
    Log,
    /// An email.
    Email,
    /// A chat or phone message.
    Message,
    /// A ticket, report or document.
    Document,
}

impl ArtifactKind {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Alert => "Alert",
            Self::Log => "Log excerpt",
            Self::Email => "Email",
            Self::Message => "Message",
            Self::Document => "Document",
        }
    }
}

/// Evidence or context handed to the player with an inject.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Artifact {
    /// Stable id, unique across the scenario; handoffs cite it as evidence.
    pub id: ArtifactId,
    /// Kind.
    pub kind: ArtifactKind,
    /// Title ("EDR alert: mass file rename").
    pub title: String,
    /// Verbatim body.
    pub body: String,
}

/// An action a decision point offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionOption {
    /// Stable id, unique across the scenario.
    pub id: ActionId,
    /// What the player reads ("Image the file server's disk and memory").
    pub label: String,
    /// The kind of task, graded against the matrix.
    pub task: TaskId,
    /// The asset acted on.
    #[serde(default)]
    pub target: Option<AssetId>,
    /// Flags set when it is carried out.
    #[serde(default)]
    pub sets: Vec<FlagId>,
    /// A wrong approach: taking it does not resolve the decision, whoever does it.
    #[serde(default)]
    pub misdirected: Option<Misdirection>,
    /// Carrying it out records this role as the target asset's owner (closing an ownership gap):
    /// from then on `owner` in the matrix means this role for that asset.
    #[serde(default)]
    pub records_owner: Option<RoleId>,
}

impl ActionOption {
    /// The asset it acts on, by id, as the session resolves a task's roles on it.
    pub fn target_id(&self) -> Option<&str> {
        self.target.as_ref().map(AssetId::as_str)
    }
}

/// Why an option does not resolve its decision, and which option of the same decision does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Misdirection {
    /// What the player learns ("the provider does not fix the customer's own configuration").
    pub why: String,
    /// The option that does resolve it; its task's citation is the responsibility cited.
    pub instead: ActionId,
}

/// A moment where the player must decide who does what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionPoint {
    /// Stable id.
    pub id: DecisionId,
    /// The question ("The file server is encrypting shares. What now, and who does it?").
    pub prompt: String,
    /// Actions on offer; several may be taken.
    pub actions: Vec<ActionOption>,
    /// Minutes after release after which its actions are no longer offered.
    #[serde(default)]
    pub expires_after_mins: Option<u32>,
    /// Leaving it without any action is an ownership failure.
    #[serde(default = "yes")]
    pub required: bool,
}

/// A message the player may send once its inject is released.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageOption {
    /// Stable id, unique across the scenario.
    pub id: MessageId,
    /// Short label.
    pub label: String,
    /// The text as it would be sent.
    pub text: String,
    /// What it contains, graded against each audience's forbidden content.
    pub content: Vec<MessageContent>,
}

/// An audience that must be told something within a time once an inject is released.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notification {
    /// The audience (a matrix audience id).
    pub audience: AudienceId,
    /// Minutes after the inject's release it is due by.
    pub within_mins: u32,
}

/// One event of the master scenario events list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    /// Stable id.
    pub id: InjectId,
    /// Headline.
    pub title: String,
    /// When it is released.
    pub release: Release,
    /// What happens, as told to the room.
    pub narrative: String,
    /// The roles it reaches when the room plays from several seats (a call to the Help Desk,
    /// a letter to Legal); empty, the whole room.
    #[serde(default)]
    pub to: Vec<RoleId>,
    /// Alerts, logs, emails.
    #[serde(default)]
    pub artifacts: Vec<Artifact>,
    /// New true severity level, if it changes.
    #[serde(default)]
    pub severity: Option<u8>,
    /// New business-impact level 0–100, if it changes.
    #[serde(default)]
    pub business_impact: Option<u8>,
    /// Facts revealed (start escalation clocks).
    #[serde(default)]
    pub reveals: Vec<TriggerId>,
    /// Flags set on release.
    #[serde(default)]
    pub sets: Vec<FlagId>,
    /// Decisions it asks for.
    #[serde(default)]
    pub decisions: Vec<DecisionPoint>,
    /// Messages that become available.
    #[serde(default)]
    pub messages: Vec<MessageOption>,
    /// Audiences that must hear from the organisation once it is released (graded under
    /// communication: nothing sent by the deadline is a miss).
    #[serde(default)]
    pub notify: Vec<Notification>,
    /// Reporting regimes of the matrix whose clocks start when it is released: the moment the
    /// organisation becomes aware of what the law asks it to report.
    #[serde(default)]
    pub starts_reporting: Vec<RegimeId>,
    /// Private guidance for the facilitator; never shown to the room.
    #[serde(default)]
    pub facilitator_notes: String,
}

/// A channel of the scenario's own, graded like one of the matrix's audiences: same senders,
/// approvals, forbidden content and citation, under its own name.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// Stable id, used like an audience id (`staff_chat`).
    pub id: AudienceId,
    /// Display name ("The all-staff chat").
    pub name: String,
    /// The matrix audience whose rules it follows (`all_staff`).
    pub like: AudienceId,
}

/// A whole scenario.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Stable id.
    pub id: ScenarioId,
    /// Title.
    pub title: String,
    /// One paragraph.
    pub summary: String,
    /// Difficulty.
    pub difficulty: Difficulty,
    /// Modes it suits.
    pub modes: Vec<Mode>,
    /// Length in scenario minutes.
    pub duration_mins: u32,
    /// The weekday and time of day at minute 0: the clock then reads "Tue 14:02", and business-day
    /// deadlines can be counted. Left out, the clock reads T+minutes.
    #[serde(default)]
    pub start: Option<ScenarioStart>,
    /// Learning objectives.
    pub objectives: Vec<Objective>,
    /// Framework references.
    #[serde(default)]
    pub references: Vec<FrameworkRef>,
    /// Roles seated at the board (all matrix roles when empty).
    #[serde(default)]
    pub cast: Vec<RoleId>,
    /// The organisation's assets.
    pub assets: Vec<Asset>,
    /// Branching flags.
    #[serde(default)]
    pub flags: Vec<FlagDef>,
    /// Seeded random variations.
    #[serde(default)]
    pub variations: Vec<Variation>,
    /// The scenario's own channels (an all-staff chat, a vendor portal), each graded by the rules
    /// of a matrix audience it is like.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// The scenario's own tasks, each graded by the RACI of a matrix task it is like.
    #[serde(default)]
    pub tasks: Vec<crate::engine::model::local_task::LocalTask>,
    /// The timeline of injects.
    pub injects: Vec<Inject>,
    /// Questions for the room, each after its inject (ungraded).
    #[serde(default)]
    pub discussion: Vec<crate::engine::model::discussion::Discussion>,
    /// Where each id sits, built on the first lookup: a file may hold tens of thousands of injects.
    #[serde(skip)]
    index: IndexCell,
}

impl Inject {
    /// An inject with nothing in it yet but its id, title, release and narrative.
    pub fn new(id: &str, title: &str, release: Release, narrative: &str) -> Self {
        Self {
            id: InjectId::from(id),
            title: title.to_owned(),
            release,
            narrative: narrative.to_owned(),
            to: Vec::new(),
            artifacts: Vec::new(),
            severity: None,
            business_impact: None,
            reveals: Vec::new(),
            sets: Vec::new(),
            decisions: Vec::new(),
            messages: Vec::new(),
            notify: Vec::new(),
            starts_reporting: Vec::new(),
            facilitator_notes: String::new(),
        }
    }
}

impl Scenario {
    /// A scenario with nothing in it yet but its id, title and length, for every mode.
    pub fn blank(id: &str, title: &str, duration_mins: u32) -> Self {
        Self {
            id: ScenarioId::from(id),
            title: title.to_owned(),
            summary: String::new(),
            difficulty: Difficulty::Introductory,
            modes: vec![Mode::Practice, Mode::Drill, Mode::Facilitated],
            duration_mins,
            start: None,
            objectives: Vec::new(),
            references: Vec::new(),
            cast: Vec::new(),
            assets: Vec::new(),
            flags: Vec::new(),
            variations: Vec::new(),
            channels: Vec::new(),
            tasks: Vec::new(),
            injects: Vec::new(),
            discussion: Vec::new(),
            index: IndexCell::default(),
        }
    }

    /// The scenario as Warroom writes it (the Author screen's forms): canonical RON that reads
    /// back to the same scenario.
    pub fn to_ron(&self) -> Result<String, ron::Error> {
        let config = ron::ser::PrettyConfig::new().struct_names(true);
        ron::ser::to_string_pretty(self, config).map(|text| format!("{text}\n"))
    }
}

/// The lazily built index. A clone starts without one: a cloned scenario is usually about to be
/// edited (tests, the Author screen), and an index copied from the original would go stale in ways
/// the inject count cannot show (a message added to an existing inject).
#[derive(Debug, Default)]
struct IndexCell(OnceLock<Index>);

impl Clone for IndexCell {
    fn clone(&self) -> Self {
        Self::default()
    }
}

/// Positions by id. Each lookup checks the position still holds that id and falls back to a scan
/// otherwise, so a scenario edited after its first lookup (tests do) still answers correctly.
#[derive(Clone, Debug, Default)]
struct Index {
    /// How many injects there were when built: with the same count, an absent id is absent.
    len: usize,
    injects: HashMap<String, usize>,
    /// (inject, decision, action) positions.
    actions: HashMap<String, (usize, usize, usize)>,
    /// (inject, message) positions.
    messages: HashMap<String, (usize, usize)>,
    /// (inject, artifact) positions.
    artifacts: HashMap<String, (usize, usize)>,
}

impl Index {
    fn of(s: &Scenario) -> Self {
        let mut index = Self {
            len: s.injects.len(),
            ..Self::default()
        };
        // The first of duplicate ids wins, as a scan would find it.
        for (i, inject) in s.injects.iter().enumerate() {
            index.injects.entry(inject.id.to_string()).or_insert(i);
            for (d, decision) in inject.decisions.iter().enumerate() {
                for (a, action) in decision.actions.iter().enumerate() {
                    index
                        .actions
                        .entry(action.id.to_string())
                        .or_insert((i, d, a));
                }
            }
            for (m, message) in inject.messages.iter().enumerate() {
                index
                    .messages
                    .entry(message.id.to_string())
                    .or_insert((i, m));
            }
            for (a, artifact) in inject.artifacts.iter().enumerate() {
                index
                    .artifacts
                    .entry(artifact.id.to_string())
                    .or_insert((i, a));
            }
        }
        index
    }
}

impl Scenario {
    /// The discussion questions asked after `inject`.
    pub fn discussion_after<'s>(
        &'s self,
        inject: &'s str,
    ) -> impl Iterator<Item = &'s crate::engine::model::discussion::Discussion> {
        self.discussion
            .iter()
            .filter(move |d| d.after.as_str() == inject)
    }

    /// Drops a role listed twice in the board's cast or an inject's recipients, as happens when a
    /// matrix's aliases make two of the names one role (`legal` and `pr_comms` one desk).
    pub fn merge_repeated_roles(&mut self) {
        fn dedupe(roles: &mut Vec<RoleId>) {
            let mut seen = std::collections::BTreeSet::new();
            roles.retain(|r| seen.insert(r.clone()));
        }
        dedupe(&mut self.cast);
        for inject in &mut self.injects {
            dedupe(&mut inject.to);
        }
        for question in &mut self.discussion {
            dedupe(&mut question.roles);
        }
    }

    fn index(&self) -> &Index {
        self.index.0.get_or_init(|| Index::of(self))
    }

    /// Looks an id up through the index: `at` reads the indexed position and answers only if it
    /// still holds that id; `scan` runs only when the index may be stale (the scenario was edited
    /// since, or a position no longer matches).
    fn lookup<P: Copy, T>(
        &self,
        entry: Option<P>,
        at: impl FnOnce(P) -> Option<T>,
        scan: impl FnOnce() -> Option<T>,
    ) -> Option<T> {
        let found = entry.and_then(at);
        if found.is_some() || (entry.is_none() && self.index().len == self.injects.len()) {
            return found;
        }
        scan()
    }

    /// Position of an inject in [`Self::injects`].
    pub fn inject_position(&self, id: &str) -> Option<usize> {
        self.lookup(
            self.index().injects.get(id).copied(),
            |i| {
                self.injects
                    .get(i)
                    .filter(|x| x.id.as_str() == id)
                    .map(|_| i)
            },
            || self.injects.iter().position(|i| i.id.as_str() == id),
        )
    }

    /// Looks an inject up.
    pub fn inject(&self, id: &str) -> Option<&Inject> {
        self.inject_with_position(id).map(|(_, inject)| inject)
    }

    /// Looks an inject up, with its position in [`Self::injects`].
    pub fn inject_with_position(&self, id: &str) -> Option<(usize, &Inject)> {
        let position = self.inject_position(id)?;
        Some((position, self.injects.get(position)?))
    }

    /// Looks an asset up.
    pub fn asset(&self, id: &str) -> Option<&Asset> {
        self.assets.iter().find(|a| a.id.as_str() == id)
    }

    /// Every action with the inject and decision point that offer it.
    pub fn actions(&self) -> impl Iterator<Item = (&Inject, &DecisionPoint, &ActionOption)> {
        self.injects.iter().flat_map(|inject| {
            inject
                .decisions
                .iter()
                .flat_map(move |d| d.actions.iter().map(move |a| (inject, d, a)))
        })
    }

    /// Looks an action up.
    pub fn action(&self, id: &str) -> Option<(&Inject, &DecisionPoint, &ActionOption)> {
        self.lookup(
            self.index().actions.get(id).copied(),
            |(i, d, a)| {
                let inject = self.injects.get(i)?;
                let decision = inject.decisions.get(d)?;
                let action = decision.actions.get(a)?;
                (action.id.as_str() == id).then_some((inject, decision, action))
            },
            || self.actions().find(|(_, _, a)| a.id.as_str() == id),
        )
    }

    /// Looks a message up, with the inject that offers it.
    pub fn message(&self, id: &str) -> Option<(&Inject, &MessageOption)> {
        self.lookup(
            self.index().messages.get(id).copied(),
            |(i, m)| {
                let inject = self.injects.get(i)?;
                let message = inject.messages.get(m)?;
                (message.id.as_str() == id).then_some((inject, message))
            },
            || {
                self.injects
                    .iter()
                    .flat_map(|i| i.messages.iter().map(move |m| (i, m)))
                    .find(|(_, m)| m.id.as_str() == id)
            },
        )
    }

    /// Looks an artifact up, with the inject that carries it.
    pub fn artifact(&self, id: &str) -> Option<(&Inject, &Artifact)> {
        self.lookup(
            self.index().artifacts.get(id).copied(),
            |(i, a)| {
                let inject = self.injects.get(i)?;
                let artifact = inject.artifacts.get(a)?;
                (artifact.id.as_str() == id).then_some((inject, artifact))
            },
            || {
                self.injects
                    .iter()
                    .flat_map(|i| i.artifacts.iter().map(move |a| (i, a)))
                    .find(|(_, a)| a.id.as_str() == id)
            },
        )
    }

    /// The clock at a scenario minute: "Tue 14:02" when the scenario says when it starts (with
    /// "day 2" and on once it runs past a week's first day), else "T+25".
    pub fn clock_label(&self, minute: u32) -> String {
        let Some((start, of_day)) = self
            .start
            .as_ref()
            .and_then(|s| Some((s, s.minute_of_day()?)))
        else {
            return format!("T+{minute:02}");
        };
        let absolute = u64::from(of_day) + u64::from(minute);
        let days = u32::try_from(absolute / 1440).unwrap_or(u32::MAX);
        let of_day = absolute % 1440;
        let time = format!("{:02}:{:02}", of_day / 60, of_day % 60);
        let weekday = start.weekday.plus(days).short();
        if days == 0 {
            format!("{weekday} {time}")
        } else {
            format!("{weekday} {time} (day {})", days + 1)
        }
    }

    /// The clock as the exercise shows it: "T+10 / 60 min", or with a start,
    /// "Wed 14:12 · T+10 / 60 min".
    pub fn clock_reading(&self, minute: u32) -> String {
        let elapsed = format!("T+{minute:02} / {} min", self.duration_mins);
        if self.start.is_some() {
            format!("{} · {elapsed}", self.clock_label(minute))
        } else {
            elapsed
        }
    }

    /// The minute a span after `from` ends. A business-day span ends at the end (23:59) of the
    /// last working day counted, Saturdays and Sundays skipped, as "within four business days"
    /// allows the whole fourth day; without a start it counts calendar days (validation refuses
    /// that). Saturates rather than overflows.
    pub fn minute_after(&self, from: u32, span: Span) -> u32 {
        let end = match span {
            Span::Minutes(n) => u64::from(from) + u64::from(n),
            Span::Hours(n) => u64::from(from) + u64::from(n) * 60,
            Span::Days(n) => u64::from(from) + u64::from(n) * 1440,
            Span::BusinessDays(n) => {
                let Some((start, of_day)) = self
                    .start
                    .as_ref()
                    .and_then(|s| Some((s, u64::from(s.minute_of_day()?))))
                else {
                    return from.saturating_add(n.saturating_mul(1440));
                };
                let today = (of_day + u64::from(from)) / 1440;
                let mut day = start.weekday.plus((today % 7) as u32);
                // Whole weeks at once, then the last one to five working days one by one.
                let weeks = u64::from(n.saturating_sub(1) / 5);
                let mut days = weeks * 7;
                let mut left = n - n.saturating_sub(1) / 5 * 5;
                while left > 0 {
                    day = day.plus(1);
                    days += 1;
                    if !day.is_weekend() {
                        left -= 1;
                    }
                }
                ((today + days + 1) * 1440 - 1).saturating_sub(of_day)
            }
        };
        u32::try_from(end).unwrap_or(u32::MAX)
    }

    /// Total number of decision points.
    pub fn decision_count(&self) -> usize {
        self.injects.iter().map(|i| i.decisions.len()).sum()
    }
}

#[cfg(test)]
#[path = "scenario_tests.rs"]
mod tests;
