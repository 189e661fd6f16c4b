//! The responsibility matrix: roles, RACI per task kind, escalation, communication and scoring policy.
//! It is data an organisation replaces with its own plan, so the engine never hard-codes who does what.

use serde::{Deserialize, Serialize};

use crate::engine::model::id::{AudienceId, RegimeId, RoleId, RuleId, TaskId, TriggerId};

/// The reserved role reference meaning "the owner of the task's target asset".
pub const ASSET_OWNER: &str = "owner";

/// A whole responsibility matrix (`scenarios/responsibilities.ron` by default).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    /// Stable id, recorded in session logs.
    pub id: String,
    /// Display name ("Reference incident-response plan").
    pub name: String,
    /// The plan's version as its owner names it ("2026.12", "v3 after the merger"): recorded with
    /// every run graded under it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// What the matrix is and whose plan it reflects.
    #[serde(default)]
    pub description: String,
    /// Everyone who can act, decide, approve or be told.
    pub roles: Vec<Role>,
    /// Other names for roles: scenarios, scripts, question sets, logs and saves that name a role
    /// by an alias (`legal`) read as the role it stands for (`comms_legal`), so content written
    /// for one organisation's roles plays under another's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Alias>,
    /// Who is Responsible, Accountable, Consulted and Informed for each kind of task.
    pub tasks: Vec<TaskKind>,
    /// Facts a scenario can reveal (personal data involved, customer outage, …).
    pub triggers: Vec<Trigger>,
    /// Severity levels, escalation deadlines and over-escalation.
    pub escalation: EscalationPolicy,
    /// Audiences, senders, approvals and forbidden content.
    pub communication: CommunicationPolicy,
    /// What a handoff must carry.
    pub handoffs: HandoffPolicy,
    /// Separation-of-duties rules.
    pub separation_of_duties: SeparationPolicy,
    /// Reporting duties set by law or contract, each with its own clock (GDPR Art. 33, NIS2
    /// Art. 23, …); a scenario's inject starts them.
    #[serde(default)]
    pub regimes: Vec<Regime>,
    /// Dimension weights and penalty sizes.
    #[serde(default)]
    pub scoring: ScoringPolicy,
}

/// Another name for a role: `Alias(id: "legal", is: "comms_legal")`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    /// The name content may use (`legal`); never a role of this matrix.
    pub id: String,
    /// The role it stands for.
    pub is: RoleId,
}

/// Whether a role belongs to the organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoleKind {
    /// A team or function of the organisation.
    Internal,
    /// A party outside it (regulator, vendor, media, …).
    External,
}

/// A role of the matrix.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Stable id (`soc`).
    pub id: RoleId,
    /// Display name ("Security Operations Center").
    pub name: String,
    /// Short label for seats on the board ("SOC").
    #[serde(default)]
    pub short: String,
    /// Internal team or external party.
    pub kind: RoleKind,
    /// One paragraph: what this role is for during an incident.
    pub mandate: String,
    /// Decisions this role is entitled to make.
    #[serde(default)]
    pub decision_rights: Vec<String>,
    /// Tasks whose go-ahead is this role's decision right: the validator warns when such a task
    /// neither makes the role (or the target's `owner`) accountable nor asks its approval.
    #[serde(default)]
    pub decides: Vec<TaskId>,
}

/// Incident-response phase a task belongs to (NIST SP 800-61 vocabulary).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Phase {
    /// Detection and analysis: triage, scoping, evidence.
    Analyze,
    /// Stopping the spread.
    Contain,
    /// Removing the cause.
    Eradicate,
    /// Returning to normal operation.
    Recover,
    /// Telling people.
    Communicate,
    /// Decisions, approvals and obligations.
    Govern,
}

impl Phase {
    /// Whether work in this phase changes systems, so the acting team needs the investigation's context.
    pub fn changes_systems(self) -> bool {
        matches!(self, Self::Contain | Self::Eradicate | Self::Recover)
    }
}

/// One kind of task with its RACI assignment.
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent properties an organisation sets per task in its matrix file"
)]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskKind {
    /// Stable id (`isolate_host`).
    pub id: TaskId,
    /// Display name ("Isolate a host").
    pub name: String,
    /// Response phase.
    pub phase: Phase,
    /// Roles that do the work; `owner` means the target asset's owner.
    pub responsible: Vec<RoleId>,
    /// The single role answerable for the outcome.
    pub accountable: RoleId,
    /// Roles whose input is sought before acting.
    #[serde(default)]
    pub consulted: Vec<RoleId>,
    /// Roles kept up to date: told about the work, in any way people tell each other, before it
    /// or within `informed_within_mins` after it is done.
    #[serde(default)]
    pub informed: Vec<RoleId>,
    /// Minutes after the work within which its Informed roles must have been told; unset, the
    /// severity level's setting, else the policy's (`EscalationPolicy::informed_within_mins`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub informed_within_mins: Option<u32>,
    /// Roles that must approve before the task is carried out; `owner` allowed.
    #[serde(default)]
    pub approvals: Vec<RoleId>,
    /// Roles of which at least one must approve, beside every role in `approvals`; `owner`
    /// allowed.
    #[serde(default)]
    pub approvals_any_of: Vec<RoleId>,
    /// A privileged change: whoever approves it must not be whoever requests or performs it.
    #[serde(default)]
    pub privileged: bool,
    /// Carrying it out destroys volatile or on-disk evidence of the target.
    #[serde(default)]
    pub destroys_evidence: bool,
    /// Carrying it out preserves the target's evidence.
    #[serde(default)]
    pub preserves_evidence: bool,
    /// Changes what the audit trail records.
    #[serde(default)]
    pub alters_audit_trail: bool,
    /// Why the responsibility sits where it does; quoted in every finding about this task.
    pub citation: String,
}

impl TaskKind {
    /// The codes `role` holds for this task, joined as people write them (`A/R`): A, R, C, I, S
    /// (a required sign-off) and S1 (one sign-off of several); empty for none.
    pub fn raci_codes(&self, role: &str) -> String {
        let has = |list: &[RoleId]| list.iter().any(|r| r.as_str() == role);
        let mut codes = Vec::new();
        if self.accountable.as_str() == role {
            codes.push("A");
        }
        if has(&self.responsible) {
            codes.push("R");
        }
        if has(&self.consulted) {
            codes.push("C");
        }
        if has(&self.informed) {
            codes.push("I");
        }
        if has(&self.approvals) {
            codes.push("S");
        }
        if has(&self.approvals_any_of) {
            codes.push("S1");
        }
        codes.join("/")
    }
}

/// A reporting duty set by law or contract: once an inject starts its clock, each stage's report
/// is due within its span.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regime {
    /// Stable id (`gdpr_art33`).
    pub id: RegimeId,
    /// Display name ("GDPR Art. 33: personal-data breach").
    pub name: String,
    /// Who receives the reports ("the data-protection supervisory authority").
    pub recipient: String,
    /// What starts the clock, in words ("becoming aware of a personal-data breach").
    pub clock_starts: String,
    /// The task whose work files a report (`notify_regulator`).
    #[serde(default)]
    pub task: Option<TaskId>,
    /// The audience a message to which files a report (`regulator`).
    #[serde(default)]
    pub audience: Option<AudienceId>,
    /// The reports due, in order: the first filing meets the first stage, the second the second.
    pub stages: Vec<ReportStage>,
    /// The law or contract, article and what it says.
    pub citation: String,
}

/// One report a regime asks for.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportStage {
    /// What the report is ("Early warning").
    pub name: String,
    /// How long after the clock starts it is due.
    pub within: Span,
    /// The span counts from the previous report's filing (or, never filed, its deadline) instead
    /// of from the clock's start: NIS2's final report is due a month after the notification.
    #[serde(default)]
    pub after_previous: bool,
}

/// A length of time as laws write it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Span {
    /// Minutes ("immediately" is written as a short span in minutes or hours).
    Minutes(u32),
    /// Hours.
    Hours(u32),
    /// Calendar days.
    Days(u32),
    /// Working days, Monday to Friday: needs the scenario's `start` to know the weekday.
    BusinessDays(u32),
}

impl Span {
    /// In words ("72 hours", "4 business days").
    pub fn label(self) -> String {
        let (n, unit) = match self {
            Self::Minutes(n) => (n, "minute"),
            Self::Hours(n) => (n, "hour"),
            Self::Days(n) => (n, "day"),
            Self::BusinessDays(n) => (n, "business day"),
        };
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    }
}

/// A fact a scenario can reveal; escalation rules react to it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// Stable id (`personal_data`).
    pub id: TriggerId,
    /// What it means.
    pub description: String,
}

/// Severity levels and escalation rules.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationPolicy {
    /// Levels from lowest to highest; reaching a level starts its escalation clock.
    pub severities: Vec<SeverityLevel>,
    /// Rules started by facts a scenario reveals.
    pub rules: Vec<EscalationRule>,
    /// What counts as noise.
    pub over_escalation: OverEscalation,
    /// Minutes after a piece of work within which its Informed roles must have been told, unless
    /// its task or the severity level says otherwise.
    #[serde(default = "default_informed_within")]
    pub informed_within_mins: u32,
    /// How long a severity call may stand two or more levels below the evidence before it counts
    /// as misjudged: the time to reclassify once the facts change.
    #[serde(default = "default_reclassify_within")]
    pub reclassify_within_mins: u32,
}

/// Minutes an Informed role may wait to hear of work, unless the matrix says otherwise: "kept up
/// to date" means soon after, not before the work.
pub const DEFAULT_INFORMED_WITHIN_MINS: u32 = 10;

/// Minutes a severity call may lag the evidence by two or more levels, unless the matrix says
/// otherwise.
pub const DEFAULT_RECLASSIFY_WITHIN_MINS: u32 = 15;

fn default_informed_within() -> u32 {
    DEFAULT_INFORMED_WITHIN_MINS
}

fn default_reclassify_within() -> u32 {
    DEFAULT_RECLASSIFY_WITHIN_MINS
}

/// One severity level.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityLevel {
    /// 1 = lowest.
    pub level: u8,
    /// "Low", "Moderate", …
    pub name: String,
    /// When an event is at this level.
    pub description: String,
    /// Roles that must be engaged once this level is reached.
    #[serde(default)]
    pub engage: Vec<RoleId>,
    /// Deadline, in scenario minutes after the level is reached.
    #[serde(default)]
    pub within_mins: u32,
    /// Why.
    #[serde(default)]
    pub citation: String,
    /// Minutes after work done at this level within which its Informed roles must have been
    /// told, where the task does not say; unset, the policy's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub informed_within_mins: Option<u32>,
}

/// A rule requiring roles to be engaged within a deadline once a fact is revealed.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationRule {
    /// Stable id, shown in findings.
    pub id: RuleId,
    /// The fact that starts the clock.
    pub when: TriggerId,
    /// Roles to engage.
    pub engage: Vec<RoleId>,
    /// Deadline in scenario minutes after the fact is revealed.
    pub within_mins: u32,
    /// Why.
    pub citation: String,
}

/// Escalating these roles below this severity, with no rule asking for it, is noise.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverEscalation {
    /// Roles whose attention is costly (executives, external parties).
    pub roles: Vec<RoleId>,
    /// Escalations to them while the true severity is below this level are noise.
    pub below_severity: u8,
    /// Why.
    pub citation: String,
}

/// What a message contains; audiences forbid some of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MessageContent {
    /// Facts confirmed by evidence.
    VerifiedFacts,
    /// Guesses about cause, attacker or scope not yet confirmed.
    Speculation,
    /// Log lines, samples, indicators copied from the investigation.
    RawEvidence,
    /// Names, contact details or records of individuals.
    PersonalData,
    /// What the recipient should do.
    Guidance,
    /// Technical detail of the response.
    TechnicalDetail,
    /// A hypothesis labelled as one, with its confidence ("we assess with moderate confidence
    /// that …"): how the team and leadership reason before the facts are in, never sent outside.
    Assessment,
}

impl MessageContent {
    /// A short name, for sentences such as "the message contains speculation".
    pub fn label(self) -> &'static str {
        match self {
            Self::VerifiedFacts => "verified facts",
            Self::Speculation => "speculation",
            Self::RawEvidence => "raw evidence",
            Self::PersonalData => "personal data",
            Self::Guidance => "guidance",
            Self::TechnicalDetail => "technical detail",
            Self::Assessment => "a labelled assessment",
        }
    }

    /// A longer description, for questions that ask what may be shared.
    pub fn description(self) -> &'static str {
        match self {
            Self::VerifiedFacts => "verified facts",
            Self::Speculation => "speculation about cause or attacker",
            Self::RawEvidence => "raw evidence such as log lines or indicators",
            Self::PersonalData => "personal data",
            Self::Guidance => "guidance on what to do",
            Self::TechnicalDetail => "technical detail of the response",
            Self::Assessment => "an assessment labelled as such, with its confidence",
        }
    }
}

/// Who may be told what, by whom, with whose approval.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommunicationPolicy {
    /// Every audience a message can go to.
    pub audiences: Vec<Audience>,
    /// Who may contact each external party, and after whom: escalating to it, handing it work,
    /// asking its approval or telling it something is contact.
    #[serde(default)]
    pub contacts: Vec<ExternalContact>,
}

/// The rule for contacting one external party.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalContact {
    /// The external party (a role).
    pub party: RoleId,
    /// The points of contact: the only roles that may contact it.
    pub by: Vec<RoleId>,
    /// Roles that must be in the response before it is contacted (Legal, before anything is
    /// shared outside).
    #[serde(default)]
    pub after: Vec<RoleId>,
    /// Why.
    pub citation: String,
}

/// One audience.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    /// Stable id (`customers`).
    pub id: AudienceId,
    /// Display name.
    pub name: String,
    /// Outside the organisation.
    pub external: bool,
    /// Roles allowed to send to it.
    pub senders: Vec<RoleId>,
    /// Roles whose approval each message needs.
    #[serde(default)]
    pub approvals: Vec<RoleId>,
    /// Roles that belong to the audience and so hear what is sent to it (the incident team
    /// includes the IR manager): a message to it keeps them informed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<RoleId>,
    /// Content that must never reach it. Required, even when empty (`forbidden: []`): every
    /// audience states its limits rather than inheriting "anything goes" by omission.
    pub forbidden: Vec<MessageContent>,
    /// Why.
    pub citation: String,
}

/// What a handoff must carry and when one is owed.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoffPolicy {
    /// Why the five elements matter.
    pub citation: String,
    /// Why a team changing systems needs the investigation's context first.
    pub context_citation: String,
}

/// Separation-of-duties policy.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeparationPolicy {
    /// Why requester, approver and performer of a privileged change differ.
    pub citation: String,
    /// Why approvals must be in place before the work.
    pub approval_citation: String,
}

/// Scoring dimensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The right role does the work.
    Ownership,
    /// Handoffs carry the five elements, accurately.
    Handoffs,
    /// Required roles engaged in time, without noise.
    Escalation,
    /// Right sender, audience, approvals and content.
    Communication,
    /// Evidence preserved before it is destroyed.
    Evidence,
    /// No self-approval, approvals in place.
    SeparationOfDuties,
}

impl Dimension {
    /// All dimensions in report order.
    pub const ALL: [Self; 6] = [
        Self::Ownership,
        Self::Handoffs,
        Self::Escalation,
        Self::Communication,
        Self::Evidence,
        Self::SeparationOfDuties,
    ];

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Ownership => "Ownership",
            Self::Handoffs => "Handoffs",
            Self::Escalation => "Escalation timing",
            Self::Communication => "Communication",
            Self::Evidence => "Evidence preservation",
            Self::SeparationOfDuties => "Separation of duties",
        }
    }

    /// A short label for charts.
    pub fn short_label(self) -> &'static str {
        match self {
            Self::Ownership => "Owner",
            Self::Handoffs => "Handoff",
            Self::Escalation => "Escal.",
            Self::Communication => "Comms",
            Self::Evidence => "Evidence",
            Self::SeparationOfDuties => "SoD",
        }
    }

    /// The snake-case key used in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Self::Ownership => "ownership",
            Self::Handoffs => "handoffs",
            Self::Escalation => "escalation",
            Self::Communication => "communication",
            Self::Evidence => "evidence",
            Self::SeparationOfDuties => "separation_of_duties",
        }
    }
}

/// How much a dimension's mistakes weigh: each penalty is scaled by its dimension's weight over
/// the average weight of the six, so only the proportions between them matter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Weight of ownership.
    pub ownership: u32,
    /// Weight of handoffs.
    pub handoffs: u32,
    /// Weight of escalation timing.
    pub escalation: u32,
    /// Weight of communication.
    pub communication: u32,
    /// Weight of evidence preservation.
    pub evidence: u32,
    /// Weight of separation of duties.
    pub separation_of_duties: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            ownership: 20,
            handoffs: 15,
            escalation: 20,
            communication: 20,
            evidence: 15,
            separation_of_duties: 10,
        }
    }
}

impl Weights {
    /// The weight of one dimension.
    pub fn of(&self, dimension: Dimension) -> u32 {
        match dimension {
            Dimension::Ownership => self.ownership,
            Dimension::Handoffs => self.handoffs,
            Dimension::Escalation => self.escalation,
            Dimension::Communication => self.communication,
            Dimension::Evidence => self.evidence,
            Dimension::SeparationOfDuties => self.separation_of_duties,
        }
    }
}

/// What each kind of check is worth: a check passed keeps its points, a failed one loses them,
/// and what it loses costs the total that many points in a dimension of average weight (more in
/// a heavier one, less in a lighter one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Penalties {
    /// A role outside the task's Responsible list did the work.
    pub wrong_owner: u32,
    /// The Accountable role did the work itself instead of a Responsible role.
    pub accountable_did_work: u32,
    /// A required decision point was never acted on.
    pub decision_unowned: u32,
    /// A handoff lacks one of the five elements.
    pub handoff_missing_element: u32,
    /// A handoff claims something that did not happen or is not true.
    pub handoff_inaccurate: u32,
    /// A team changed systems without a handoff carrying the investigation's context.
    pub missing_handoff: u32,
    /// A required role was never engaged.
    pub escalation_missed: u32,
    /// Maximum for a late engagement, scaled by how late it was.
    pub escalation_late_max: u32,
    /// An escalation that was noise.
    pub over_escalation: u32,
    /// A team engaged though the matrix gives it no part in the incident (leadership and external
    /// parties below the threshold are `over_escalation`, which costs more).
    pub needless_engagement: u32,
    /// Severity classified two or more levels below the evidence.
    pub severity_misjudged: u32,
    /// A message from a role not allowed to send to that audience.
    pub wrong_sender: u32,
    /// A message without a required approval.
    pub missing_approval: u32,
    /// A message with content forbidden for its audience.
    pub forbidden_content: u32,
    /// An audience a scenario says must be told was not told in time.
    pub communication_missed: u32,
    /// A report a legal or contractual regime requires was not filed by its deadline (scaled by
    /// how late, when it was filed late).
    pub report_missed: u32,
    /// An asset nobody owned was left without an owner being established.
    pub unowned_asset: u32,
    /// An external party contacted by a role that is not its point of contact, or before the
    /// roles that must come first.
    pub external_contact: u32,
    /// A role the RACI lists as Informed of a task was never told about the work (half for
    /// telling it after the window).
    pub uninformed: u32,
    /// Evidence destroyed before it was preserved.
    pub evidence_destroyed: u32,
    /// Evidence a decision asked to preserve was never preserved.
    pub evidence_unpreserved: u32,
    /// Same role requested and approved, or approved its own work.
    pub self_approval: u32,
    /// A task needing approval was done without it.
    pub unapproved_change: u32,
}

impl Default for Penalties {
    // Points of the total each failure costs in a dimension of average weight (see
    // `ScoringPolicy`): a minor slip a few, a major mistake ten or more, destroying evidence or
    // approving one's own change the most.
    fn default() -> Self {
        Self {
            wrong_owner: 8,
            accountable_did_work: 3,
            decision_unowned: 10,
            handoff_missing_element: 4,
            handoff_inaccurate: 6,
            missing_handoff: 10,
            escalation_missed: 15,
            escalation_late_max: 12,
            over_escalation: 8,
            needless_engagement: 4,
            severity_misjudged: 8,
            wrong_sender: 10,
            missing_approval: 10,
            forbidden_content: 12,
            communication_missed: 12,
            report_missed: 15,
            uninformed: 4,
            external_contact: 10,
            unowned_asset: 8,
            evidence_destroyed: 25,
            evidence_unpreserved: 15,
            self_approval: 20,
            unapproved_change: 15,
        }
    }
}

/// Scoring configuration carried by the matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScoringPolicy {
    /// Dimension weights.
    pub weights: Weights,
    /// Penalty sizes.
    pub penalties: Penalties,
    /// The least a check failed outright costs of the total, in points (0 = only its scaled
    /// penalty): a mistake is never rounded away.
    pub mistake_floor: u32,
}

/// Points of the total a mistake costs at least, unless a matrix says otherwise.
pub const DEFAULT_MISTAKE_FLOOR: u32 = 5;

impl Default for ScoringPolicy {
    fn default() -> Self {
        Self {
            weights: Weights::default(),
            penalties: Penalties::default(),
            mistake_floor: DEFAULT_MISTAKE_FLOOR,
        }
    }
}

impl Matrix {
    /// The matrix as Warroom writes it: canonical RON that reads back to the same matrix.
    pub fn to_ron(&self) -> Result<String, ron::Error> {
        let config = ron::ser::PrettyConfig::new().struct_names(true);
        ron::ser::to_string_pretty(self, config).map(|text| format!("{text}\n"))
    }

    /// The role aliases: alias → the role it stands for.
    pub fn alias_map(&self) -> std::collections::BTreeMap<String, String> {
        self.aliases
            .iter()
            .map(|a| (a.id.clone(), a.is.to_string()))
            .collect()
    }

    /// Reads `read` (a parse of a scenario, script, question set or log) with this matrix's role
    /// aliases in force, so every role id it holds names a real role.
    pub fn reading<T>(&self, read: impl FnOnce() -> T) -> T {
        if self.aliases.is_empty() {
            read()
        } else {
            crate::engine::model::id::with_role_aliases(&self.alias_map(), read)
        }
    }

    /// `value` (read before this matrix was known: a saved exercise's log) with every alias among
    /// its role ids replaced by the role it stands for. Free when the matrix has no aliases.
    pub fn resolve_roles<T: Serialize + serde::de::DeserializeOwned>(&self, value: T) -> T {
        if self.aliases.is_empty() {
            return value;
        }
        let Ok(text) = ron::to_string(&value) else {
            return value;
        };
        self.reading(|| ron::from_str(&text)).unwrap_or(value)
    }

    /// Looks a role up by id.
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id.as_str() == id)
    }

    /// Looks a task kind up by id.
    pub fn task(&self, id: &str) -> Option<&TaskKind> {
        self.tasks.iter().find(|t| t.id.as_str() == id)
    }

    /// The contact rule for an external party, if the matrix has one.
    pub fn contact(&self, party: &str) -> Option<&ExternalContact> {
        self.communication
            .contacts
            .iter()
            .find(|c| c.party.as_str() == party)
    }

    /// Looks a reporting regime up by id.
    pub fn regime(&self, id: &str) -> Option<&Regime> {
        self.regimes.iter().find(|r| r.id.as_str() == id)
    }

    /// Looks an audience up by id.
    pub fn audience(&self, id: &str) -> Option<&Audience> {
        self.communication
            .audiences
            .iter()
            .find(|a| a.id.as_str() == id)
    }

    /// The display name of a role, falling back to its id.
    pub fn role_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.role(id).map_or(id, |r| r.name.as_str())
    }

    /// The severity level record for a level number.
    pub fn severity(&self, level: u8) -> Option<&SeverityLevel> {
        self.escalation.severities.iter().find(|s| s.level == level)
    }

    /// The highest defined severity level.
    pub fn max_severity(&self) -> u8 {
        self.escalation
            .severities
            .iter()
            .map(|s| s.level)
            .max()
            .unwrap_or(1)
    }
}
