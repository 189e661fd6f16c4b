//! What the action composers remember between frames: the selected tab and one draft per composer.

use std::collections::{BTreeMap, BTreeSet};

use bevy::prelude::*;

use crate::engine::model::id::{
    ActionId, ArtifactId, AudienceId, DecisionId, MessageId, RoleId, TriggerId,
};
use crate::engine::{Handoff, Intent, Urgency};

/// Tabs of the action panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ActionTab {
    /// Decision points and severity.
    #[default]
    Decide,
    /// Handoff composer.
    Handoff,
    /// Escalation dialog.
    Escalate,
    /// Keeping roles informed without engaging them.
    Inform,
    /// Communication composer.
    Communicate,
    /// Approval requests.
    Approvals,
}

impl ActionTab {
    pub(crate) const ALL: [Self; 6] = [
        Self::Decide,
        Self::Handoff,
        Self::Escalate,
        Self::Inform,
        Self::Communicate,
        Self::Approvals,
    ];

    pub(super) fn label(self) -> &'static str {
        match self {
            Self::Decide => "Decide",
            Self::Handoff => "Hand off",
            Self::Escalate => "Escalate",
            Self::Inform => "Inform",
            Self::Communicate => "Communicate",
            Self::Approvals => "Approvals",
        }
    }
}

/// A handoff being written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HandoffDraft {
    /// From.
    pub from: Option<RoleId>,
    /// To.
    pub to: Option<RoleId>,
    /// What was observed.
    pub observed: String,
    /// Facts stated as established.
    pub facts: BTreeSet<TriggerId>,
    /// Supporting artifacts.
    pub evidence: BTreeSet<ArtifactId>,
    /// Actions already taken.
    pub actions_taken: BTreeSet<ActionId>,
    /// Recommended actions.
    pub recommended: BTreeSet<ActionId>,
    /// Urgency.
    pub urgency: Option<Urgency>,
}

impl HandoffDraft {
    /// The five elements and whether each is filled in. Once facts are established
    /// (`facts_known`), the observation cites them; before, a description will do.
    pub fn checklist(&self, facts_known: bool) -> [(&'static str, bool); 5] {
        let described = self.observed.trim().chars().count() >= 12;
        [
            (
                "What was observed",
                !self.facts.is_empty() || (!facts_known && described),
            ),
            ("Supporting evidence", !self.evidence.is_empty()),
            ("Actions already taken", !self.actions_taken.is_empty()),
            ("Recommended actions", !self.recommended.is_empty()),
            ("Urgency", self.urgency.is_some()),
        ]
    }

    /// The intent, once both roles are chosen and differ.
    pub fn to_intent(&self) -> Option<Intent> {
        let (from, to) = (self.from.clone()?, self.to.clone()?);
        (from != to).then(|| {
            Intent::Handoff(Handoff {
                from,
                to,
                observed: self.observed.trim().to_owned(),
                facts: self.facts.iter().cloned().collect(),
                evidence: self.evidence.iter().cloned().collect(),
                actions_taken: self.actions_taken.iter().cloned().collect(),
                recommended: self.recommended.iter().cloned().collect(),
                urgency: self.urgency,
            })
        })
    }
}

/// An escalation being prepared.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EscalationDraft {
    /// Who escalates.
    pub from: Option<RoleId>,
    /// Who is engaged.
    pub to: BTreeSet<RoleId>,
    /// Why.
    pub reason: String,
}

/// Telling roles about an action, without engaging them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InformDraft {
    /// Who tells.
    pub from: Option<RoleId>,
    /// Who is told.
    pub to: BTreeSet<RoleId>,
    /// About which action.
    pub about: Option<ActionId>,
}

/// A message being prepared.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageDraft {
    /// Audience.
    pub audience: Option<AudienceId>,
    /// Sender.
    pub sender: Option<RoleId>,
    /// Message.
    pub message: Option<MessageId>,
    /// Whose approval to ask for next.
    pub approver: Option<RoleId>,
}

/// An approval request being prepared.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApprovalDraft {
    /// For which action.
    pub action: Option<ActionId>,
    /// Who asks.
    pub requested_by: Option<RoleId>,
    /// Who approves.
    pub approver: Option<RoleId>,
}

/// On a window too narrow for feed, board and actions side by side (a small laptop at a large
/// scale, a projector), the feed and the board take turns in one column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NarrowPane {
    /// The inject feed.
    #[default]
    Feed,
    /// The war-room board.
    Board,
}

/// Everything the play screen's panels remember between frames.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct ActionsState {
    /// Selected tab.
    pub tab: ActionTab,
    /// Role chosen for each offered action.
    pub assign: BTreeMap<ActionId, RoleId>,
    /// Severity to classify.
    pub classify_level: u8,
    /// Who classifies / declares.
    pub classify_by: Option<RoleId>,
    /// Handoff composer.
    pub handoff: HandoffDraft,
    /// Escalation dialog.
    pub escalation: EscalationDraft,
    /// Keeping roles informed.
    pub inform: InformDraft,
    /// Communication composer.
    pub message: MessageDraft,
    /// Approval request.
    pub approval: ApprovalDraft,
    /// Lapsed decisions the player has dismissed.
    pub dismissed: BTreeSet<DecisionId>,
    /// Height of each decision's card when last shown open, kept by its lapsed card.
    pub card_heights: BTreeMap<DecisionId, f32>,
    /// On a narrow window, which of the feed and the board the shared column shows.
    pub narrow_pane: NarrowPane,
}
