//! Player intents (commands into a session) and the events a session emits in reply.

use serde::{Deserialize, Serialize};

use crate::engine::model::id::{
    ActionId, ArtifactId, AssetId, AudienceId, DecisionId, FlagId, InjectId, MessageId, RoleId,
    TriggerId,
};

/// How urgent a handoff says the work is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Urgency {
    /// Within days.
    Low,
    /// Within the shift.
    Medium,
    /// Within the hour.
    High,
    /// Now.
    Critical,
}

impl Urgency {
    /// All urgencies, lowest first.
    pub const ALL: [Self; 4] = [Self::Low, Self::Medium, Self::High, Self::Critical];

    /// The severity level (1–4) this urgency corresponds to.
    pub fn as_level(self) -> u8 {
        match self {
            Self::Low => 1,
            Self::Medium => 2,
            Self::High => 3,
            Self::Critical => 4,
        }
    }

    /// The urgency that matches severity `level` on a scale up to `max`, spread over the four
    /// urgencies (a 3-level plan's 2 is High, not Medium).
    pub fn for_severity(level: u8, max: u8) -> Self {
        let scaled = if max <= 1 {
            1
        } else {
            let spread = 1
                + (u32::from(level.saturating_sub(1)) * 3 + u32::from(max - 1) / 2)
                    / u32::from(max - 1);
            spread.min(4)
        };
        Self::ALL
            .into_iter()
            .find(|u| u32::from(u.as_level()) == scaled)
            .unwrap_or(Self::Critical)
    }

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
            Self::Critical => "Critical",
        }
    }
}

/// A structured handoff: the five elements that move work between teams without losing context.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handoff {
    /// Team handing over.
    pub from: RoleId,
    /// Team taking over.
    pub to: RoleId,
    /// What was observed, in words (optional once facts are established: cite them below).
    #[serde(default)]
    pub observed: String,
    /// Facts the sender states as established, by the matrix's trigger ids: graded against what
    /// had been revealed by the minute of the handoff.
    #[serde(default)]
    pub facts: Vec<TriggerId>,
    /// Artifacts that support it.
    #[serde(default)]
    pub evidence: Vec<ArtifactId>,
    /// Actions already carried out.
    #[serde(default)]
    pub actions_taken: Vec<ActionId>,
    /// Actions recommended to the receiving team.
    #[serde(default)]
    pub recommended: Vec<ActionId>,
    /// How urgent it is.
    #[serde(default)]
    pub urgency: Option<Urgency>,
}

/// Something the player (or the room) decides to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Intent {
    /// Have a role carry out an action offered by a decision point.
    AssignAction {
        /// The action.
        action: ActionId,
        /// Who does it.
        role: RoleId,
    },
    /// Classify the incident's severity.
    ClassifySeverity {
        /// Level (1 = lowest).
        level: u8,
        /// Who classifies.
        by: RoleId,
    },
    /// Formally declare an incident.
    DeclareIncident {
        /// Who declares.
        by: RoleId,
    },
    /// Engage roles.
    Escalate {
        /// Who escalates.
        from: RoleId,
        /// Roles engaged.
        to: Vec<RoleId>,
        /// Why, in a sentence.
        #[serde(default)]
        reason: String,
    },
    /// Tell roles about an action, done or to come, without bringing them into the response: what
    /// the matrix's Informed roles must hear.
    Inform {
        /// Who tells.
        from: RoleId,
        /// Who is told.
        to: Vec<RoleId>,
        /// The action they are told about.
        about: ActionId,
    },
    /// Hand work from one role to another.
    Handoff(Handoff),
    /// Send a message to an audience.
    Communicate {
        /// The audience.
        audience: AudienceId,
        /// Who sends it.
        sender: RoleId,
        /// Which message.
        message: MessageId,
        /// Roles the sender said had approved it. Not graded since rules 3 (approvals must be
        /// asked for and granted: [`Intent::RequestMessageApproval`]); kept so older logs replay.
        #[serde(default)]
        approvals: Vec<RoleId>,
    },
    /// Ask a role to approve an action before it is carried out.
    RequestApproval {
        /// The action.
        action: ActionId,
        /// Who asks.
        requested_by: RoleId,
        /// Who is asked.
        approver: RoleId,
    },
    /// A role approves a pending request.
    GrantApproval {
        /// The action.
        action: ActionId,
        /// The approving role (must match the request).
        approver: RoleId,
    },
    /// Ask a role to approve a message before it goes to an audience.
    RequestMessageApproval {
        /// The message.
        message: MessageId,
        /// The audience it is meant for.
        audience: AudienceId,
        /// Who asks.
        requested_by: RoleId,
        /// Who is asked.
        approver: RoleId,
    },
    /// A role approves a message for the audience it was asked about.
    GrantMessageApproval {
        /// The message.
        message: MessageId,
        /// The audience.
        audience: AudienceId,
        /// The approving role (must match the request).
        approver: RoleId,
    },
    /// Let scenario time pass.
    Advance {
        /// Minutes to wait.
        minutes: u32,
    },
    /// Finish the exercise now.
    EndExercise,
    /// Facilitator: release an inject now, ahead of its time or condition.
    ReleaseInject {
        /// The inject.
        inject: InjectId,
    },
    /// Facilitator: keep an inject back even when its time or condition comes.
    HoldInject {
        /// The inject.
        inject: InjectId,
    },
    /// Facilitator: put a held inject back on its schedule (it is released at once if already due).
    UnholdInject {
        /// The inject.
        inject: InjectId,
    },
}

impl Intent {
    /// A short imperative description for findings and timelines.
    pub fn summary(&self) -> String {
        match self {
            Self::AssignAction { action, role } => format!("assign `{action}` to {role}"),
            Self::ClassifySeverity { level, by } => format!("{by} classifies severity {level}"),
            Self::DeclareIncident { by } => format!("{by} declares an incident"),
            Self::Escalate { from, to, .. } => format!("{from} escalates to {}", join(to)),
            Self::Inform { from, to, about } => {
                format!("{from} informs {} about `{about}`", join(to))
            }
            Self::Handoff(h) => format!("{} hands off to {}", h.from, h.to),
            Self::Communicate {
                audience,
                sender,
                message,
                ..
            } => format!("{sender} sends `{message}` to {audience}"),
            Self::RequestApproval {
                action,
                requested_by,
                approver,
            } => format!("{requested_by} asks {approver} to approve `{action}`"),
            Self::GrantApproval { action, approver } => format!("{approver} approves `{action}`"),
            Self::RequestMessageApproval {
                message,
                audience,
                requested_by,
                approver,
            } => format!("{requested_by} asks {approver} to approve `{message}` for {audience}"),
            Self::GrantMessageApproval {
                message,
                audience,
                approver,
            } => format!("{approver} approves `{message}` for {audience}"),
            Self::Advance { minutes } => format!("wait {minutes} min"),
            Self::EndExercise => "end the exercise".into(),
            Self::ReleaseInject { inject } => format!("facilitator releases inject `{inject}`"),
            Self::HoldInject { inject } => format!("facilitator holds inject `{inject}`"),
            Self::UnholdInject { inject } => {
                format!("facilitator puts inject `{inject}` back on schedule")
            }
        }
    }

    /// The role an intent is made as; `None` for the facilitator's steering.
    pub fn actor(&self) -> Option<&RoleId> {
        match self {
            Self::AssignAction { role, .. } => Some(role),
            Self::ClassifySeverity { by, .. } | Self::DeclareIncident { by } => Some(by),
            Self::Escalate { from, .. } | Self::Inform { from, .. } => Some(from),
            Self::Handoff(h) => Some(&h.from),
            Self::Communicate { sender, .. } => Some(sender),
            Self::RequestApproval { requested_by, .. }
            | Self::RequestMessageApproval { requested_by, .. } => Some(requested_by),
            Self::GrantApproval { approver, .. } | Self::GrantMessageApproval { approver, .. } => {
                Some(approver)
            }
            Self::Advance { .. }
            | Self::EndExercise
            | Self::ReleaseInject { .. }
            | Self::HoldInject { .. }
            | Self::UnholdInject { .. } => None,
        }
    }

    /// Whether this is the facilitator steering the exercise (clock and injects) rather than a
    /// decision of the players; such intents are never graded.
    pub fn is_facilitation(&self) -> bool {
        self.actor().is_none()
    }
}

fn join(ids: &[RoleId]) -> String {
    ids.iter()
        .map(RoleId::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Something that happened in a session (past tense).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// An inject reached the room.
    InjectReleased {
        /// Which.
        inject: InjectId,
        /// When.
        minute: u32,
    },
    /// The true severity changed.
    SeverityChanged {
        /// New level.
        level: u8,
    },
    /// Business impact changed (0–100).
    ImpactChanged {
        /// New level.
        impact: u8,
    },
    /// A fact was revealed; escalation clocks start.
    FactRevealed {
        /// Which.
        trigger: TriggerId,
    },
    /// A flag was set.
    FlagSet {
        /// Which.
        flag: FlagId,
    },
    /// An action was carried out.
    ActionPerformed {
        /// Which.
        action: ActionId,
        /// By whom.
        role: RoleId,
    },
    /// Severity was classified by the player.
    SeverityClassified {
        /// Level.
        level: u8,
    },
    /// An incident was declared.
    IncidentDeclared,
    /// Roles were engaged for the first time.
    RolesEngaged {
        /// Which.
        roles: Vec<RoleId>,
    },
    /// Roles were told about an action (not engaged).
    RolesInformed {
        /// Which.
        roles: Vec<RoleId>,
        /// About which action.
        about: ActionId,
    },
    /// A handoff was recorded.
    HandoffRecorded {
        /// From.
        from: RoleId,
        /// To.
        to: RoleId,
    },
    /// A message went out.
    MessageSent {
        /// Which.
        message: MessageId,
        /// To.
        audience: AudienceId,
    },
    /// An approval was asked for.
    ApprovalRequested {
        /// For what.
        action: ActionId,
        /// From whom.
        approver: RoleId,
    },
    /// An approval was given.
    ApprovalGranted {
        /// For what.
        action: ActionId,
        /// By whom.
        approver: RoleId,
    },
    /// A message's approval was asked for.
    MessageApprovalRequested {
        /// Which message.
        message: MessageId,
        /// For which audience.
        audience: AudienceId,
        /// From whom.
        approver: RoleId,
    },
    /// A message was approved for an audience.
    MessageApprovalGranted {
        /// Which message.
        message: MessageId,
        /// For which audience.
        audience: AudienceId,
        /// By whom.
        approver: RoleId,
    },
    /// An asset's owner was recorded.
    OwnerRecorded {
        /// Which asset.
        asset: AssetId,
        /// Its owner from now on.
        owner: RoleId,
    },
    /// A decision point closed without being acted on.
    DecisionExpired {
        /// Which.
        decision: DecisionId,
    },
    /// The clock moved.
    ClockAdvanced {
        /// To this minute.
        minute: u32,
    },
    /// The facilitator held an inject back.
    InjectHeld {
        /// Which.
        inject: InjectId,
    },
    /// A held inject went back on its schedule.
    InjectUnheld {
        /// Which.
        inject: InjectId,
    },
    /// The exercise is over.
    ExerciseEnded {
        /// At this minute.
        minute: u32,
    },
}
