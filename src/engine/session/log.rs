//! The session log: every accepted intent with the minute it was made and the events it caused,
//! enough to rebuild a session to the identical state; and why a log may no longer replay.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::engine::model::id::ScenarioId;
use crate::engine::model::intent::{Event, Intent};

/// Version of the session-log format; bumped when old logs can no longer be replayed.
pub const LOG_FORMAT_VERSION: u32 = 1;

/// Version of the grading rules, recorded in every log: bumped whenever the same log would score
/// differently, so an older exercise is reported as recorded under older rules rather than
/// silently rescored. 2: every audience states what it must not receive (speculation never
/// reaches executives or vendors); engaging a role whose approval the matrix needs for what the
/// run did is never over-escalation; only an option that resolves a decision owns it; each
/// required approver is graded on its own. 3: a message counts as approved only by approvals
/// asked for and granted before it was sent, not by the approvers its sender names; the RACI's
/// Informed roles must be told of the work (`Inform`) by the time it is done; a mistake costs at
/// least the matrix's `mistake_floor` of the total; engaging any team without a part in the
/// incident by the matrix is noise; a handoff's observation cites the facts established by then;
/// outside parties are contacted through their point of contact; ownerless assets need an owner
/// recorded. 4: a mistake costs the total what its matrix penalty is worth, scaled by its
/// dimension's weight, whatever else the run did (the total is 100 less every deduction's cost,
/// at most the share of required decisions acted on); an Informed role counts as told by any way
/// people tell each other (an `Inform`, an escalation, handoff or approval request, a message to
/// an audience it belongs to, being in the response) before the work or within the matrix's
/// window after it; acting in the response is being engaged; a severity call the evidence
/// overtook by two levels must be revised in time; telling people about a wrong approach earns
/// nothing; a proportionate response to an event that never warranted escalation is credited;
/// evidence destroyed on an asset is charged once, at the first action that destroyed it; a wrong
/// approach is charged once, as the decision it failed to resolve (no Informed or approval checks).
/// Rules 5: reporting duties the matrix's regimes set (GDPR Art. 33, NIS2 Art. 23, …) are graded
/// against their real clocks, started by the inject where the organisation becomes aware.
/// Rules 6: declaring an incident or classifying its severity with the board's controls also
/// carries out an open decision option of that task.
pub const RULES_VERSION: u32 = 6;

/// Logs from before the rules were versioned.
fn first_rules() -> u32 {
    1
}

/// One accepted intent with the minute it was made and what it caused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Scenario minute when it was accepted.
    pub minute: u32,
    /// What the player did.
    pub intent: Intent,
    /// What followed.
    pub events: Vec<Event>,
}

/// Everything needed to rebuild a session: saved, loaded and replayed to the identical result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionLog {
    /// Log format version.
    pub format_version: u32,
    /// Scenario played.
    pub scenario: ScenarioId,
    /// Matrix graded against (its `id`).
    pub matrix: String,
    /// RNG seed.
    pub seed: u64,
    /// Grading rules in force when it was recorded ([`RULES_VERSION`]).
    #[serde(default = "first_rules")]
    pub rules: u32,
    /// The plan and scenario it was recorded under (absent in logs from before they were stamped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanStamp>,
    /// Events at minute 0, before any intent.
    pub opening: Vec<Event>,
    /// Accepted intents in order.
    pub entries: Vec<LogEntry>,
}

/// Which plan and scenario a run was graded under: the plan's version as its author names it,
/// and a digest of each as Warroom reads them, so a replay under other content can say so rather
/// than re-grade silently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStamp {
    /// The plan's name.
    pub matrix_name: String,
    /// The plan's `version`, as its author wrote it (empty when it names none).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub matrix_version: String,
    /// A digest of the plan as read (16 hex digits of its BLAKE3 hash).
    pub matrix_digest: String,
    /// A digest of the scenario as read.
    pub scenario_digest: String,
}

impl PlanStamp {
    /// The stamp of `matrix` and `scenario` as they are now.
    pub fn of(
        matrix: &crate::engine::model::matrix::Matrix,
        scenario: &crate::engine::model::scenario::Scenario,
    ) -> Self {
        Self {
            matrix_name: matrix.name.clone(),
            matrix_version: matrix.version.clone(),
            matrix_digest: digest(matrix),
            scenario_digest: digest(scenario),
        }
    }

    /// The plan in words: "Warroom reference plan, version 2026.12 (digest 1a2b…)".
    pub fn describe(&self) -> String {
        let version = if self.matrix_version.is_empty() {
            String::new()
        } else {
            format!(", version {}", self.matrix_version)
        };
        format!(
            "{}{version} (digest {})",
            self.matrix_name, self.matrix_digest
        )
    }
}

/// 16 hex digits of the BLAKE3 hash of `value` written out as Warroom reads it: the same content
/// gives the same digest whatever its file's layout or comments.
fn digest(value: &impl Serialize) -> String {
    let text = ron::to_string(value).unwrap_or_default();
    let hash = blake3::hash(text.as_bytes()).to_hex();
    hash.as_str().get(..16).unwrap_or_default().to_owned()
}

impl SessionLog {
    /// The log as the documented RON file that `warroom replay` reads.
    pub fn to_ron(&self) -> Result<String, ron::Error> {
        let config = ron::ser::PrettyConfig::new().struct_names(true);
        ron::ser::to_string_pretty(self, config)
    }
}

/// Why a saved log could not be replayed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ReplayError {
    /// Written by an incompatible version.
    #[error(
        "session log format {0} is not supported (this build reads format {LOG_FORMAT_VERSION})"
    )]
    Version(u32),
    /// For another scenario.
    #[error("the log is for scenario `{expected}`, not `{found}`")]
    WrongScenario {
        /// In the log.
        expected: ScenarioId,
        /// Given.
        found: ScenarioId,
    },
    /// An intent was refused on replay.
    #[error("entry {entry} of the log is rejected on replay: {reason}")]
    Rejected {
        /// 1-based entry.
        entry: usize,
        /// Why.
        reason: String,
    },
    /// The replay produced different events (the scenario or matrix changed since).
    #[error(
        "entry {entry} of the log no longer replays the same way; the scenario or matrix changed since it was recorded"
    )]
    Diverged {
        /// 1-based entry (0 = the opening).
        entry: usize,
    },
}
