//! What the session can be asked: the scenario, the clock, what was released, done, engaged or
//! approved, and what is still open.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::engine::model::id::{
    ActionId, AssetId, DecisionId, FlagId, InjectId, RoleId, TriggerId, VariantId, VariationId,
};
use crate::engine::model::matrix::{ASSET_OWNER, Audience, Matrix};
use crate::engine::model::scenario::{
    ActionOption, Artifact, DecisionPoint, Inject, MessageOption, Release, Scenario,
};

use super::log::SessionLog;
use super::state::{ApprovalRecord, MessageApprovalRecord, Performed, Session};

impl Session {
    /// Replaces `{variation}` placeholders with the drawn options' text.
    pub fn render_text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for variation in &self.scenario.variations {
            let Some(chosen) = self.variants.get(&variation.id) else {
                continue;
            };
            if let Some(option) = variation.options.iter().find(|o| o.id == *chosen) {
                out = out.replace(&format!("{{{}}}", variation.id), &option.text);
            }
        }
        out
    }

    /// The role expected to own a task on a target, resolving `owner` to the asset's owner.
    pub fn resolve_role<'r>(
        &'r self,
        role: &'r RoleId,
        target: Option<&str>,
    ) -> Option<&'r RoleId> {
        if role.as_str() == ASSET_OWNER {
            // An owner recorded during play first: it closed a gap or corrected the record.
            let target = target?;
            self.owners
                .get(target)
                .or_else(|| self.scenario.asset(target)?.owner.as_ref())
        } else {
            Some(role)
        }
    }

    /// Roles as a task names them, on a target: `owner` resolved, one that resolves to nobody
    /// dropped, each role once, in the order named.
    pub fn resolve_roles(&self, roles: &[RoleId], target: Option<&str>) -> Vec<RoleId> {
        let mut out: Vec<RoleId> = Vec::with_capacity(roles.len());
        for role in roles.iter().filter_map(|r| self.resolve_role(r, target)) {
            if !out.contains(role) {
                out.push(role.clone());
            }
        }
        out
    }

    // --- read access for scoring, views and reports ---

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Shared handle to the scenario.
    pub fn scenario_arc(&self) -> Arc<Scenario> {
        Arc::clone(&self.scenario)
    }

    /// The matrix.
    pub fn matrix(&self) -> &Matrix {
        &self.matrix
    }

    /// Shared handle to the matrix.
    pub fn matrix_arc(&self) -> Arc<Matrix> {
        Arc::clone(&self.matrix)
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Current scenario minute.
    pub fn minute(&self) -> u32 {
        self.minute
    }

    /// Whether the exercise is over.
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// Current true severity.
    pub fn severity(&self) -> u8 {
        self.severity
    }

    /// Minute each severity level was first reached.
    pub fn severity_reached(&self) -> &BTreeMap<u8, u32> {
        &self.severity_reached
    }

    /// Current business impact (0–100).
    pub fn business_impact(&self) -> u8 {
        self.business_impact
    }

    /// Drawn variation options.
    pub fn variants(&self) -> &BTreeMap<VariationId, VariantId> {
        &self.variants
    }

    /// Released injects in release order.
    pub fn released(&self) -> &[InjectId] {
        &self.release_order
    }

    /// Minute an inject was released.
    pub fn released_at(&self, inject: &str) -> Option<u32> {
        self.released.get(inject).copied()
    }

    /// The minute a released decision with a window closes: its inject's release plus the window.
    pub fn closes_at(&self, decision: &DecisionPoint) -> Option<u32> {
        let window = decision.expires_after_mins?;
        self.release_order
            .iter()
            .filter_map(|id| self.scenario.inject(id.as_str()))
            .find(|i| i.decisions.iter().any(|d| d.id == decision.id))
            .and_then(|i| self.released_at(i.id.as_str()))
            .map(|at| at.saturating_add(window))
    }

    /// Injects the facilitator is holding back.
    pub fn held(&self) -> &BTreeSet<InjectId> {
        &self.held
    }

    /// Injects not yet released, in scenario order.
    pub fn pending_injects(&self) -> Vec<&Inject> {
        self.scenario
            .injects
            .iter()
            .filter(|i| !self.released.contains_key(&i.id))
            .collect()
    }

    /// The next inject due on the clock (not held), with its minute: what "release the next
    /// inject early" brings forward.
    pub fn next_scheduled(&self) -> Option<(&Inject, u32)> {
        self.pending_injects()
            .into_iter()
            .filter(|i| !self.held.contains(&i.id))
            .filter_map(|i| match i.release {
                Release::At(minute) => Some((i, minute)),
                Release::When(_) => None,
            })
            .min_by_key(|(_, minute)| *minute)
    }

    /// Facts revealed and when.
    pub fn revealed(&self) -> &BTreeMap<TriggerId, u32> {
        &self.revealed
    }

    /// Flags set.
    pub fn flags(&self) -> &BTreeSet<FlagId> {
        &self.flags
    }

    /// Actions carried out.
    pub fn performed(&self) -> &BTreeMap<ActionId, Performed> {
        &self.performed
    }

    /// Roles engaged and when first.
    pub fn engaged(&self) -> &BTreeMap<RoleId, u32> {
        &self.engaged
    }

    /// Approval requests.
    pub fn approvals(&self) -> &[ApprovalRecord] {
        &self.approvals
    }

    /// Owners recorded during play, by asset.
    pub fn recorded_owners(&self) -> &BTreeMap<AssetId, RoleId> {
        &self.owners
    }

    /// Message approval requests, in the order they were made.
    pub fn message_approvals(&self) -> &[MessageApprovalRecord] {
        &self.message_approvals
    }

    /// Minute the incident was declared, if it was.
    pub fn declared_at(&self) -> Option<u32> {
        self.declared_at
    }

    /// Decision points that closed.
    pub fn expired(&self) -> &BTreeSet<DecisionId> {
        &self.expired
    }

    /// The log so far.
    pub fn log(&self) -> &SessionLog {
        &self.log
    }

    /// The plan and scenario this session grades with, as they are now.
    pub fn graded_under(&self) -> &crate::engine::session::PlanStamp {
        &self.graded_under
    }

    /// Decision points currently open: released, not expired, with an action not yet taken.
    pub fn open_decisions(&self) -> Vec<&DecisionPoint> {
        self.release_order
            .iter()
            .filter_map(|id| self.scenario.inject(id.as_str()))
            .flat_map(|i| i.decisions.iter())
            .filter(|d| !self.expired.contains(&d.id))
            .filter(|d| {
                d.actions
                    .iter()
                    .any(|a| !self.performed.contains_key(&a.id))
            })
            .collect()
    }

    /// Whether a decision has been acted on: an option that resolves it (not a wrong approach) was
    /// carried out. What it still offers is optional from then on.
    pub fn decision_taken(&self, decision: &DecisionPoint) -> bool {
        decision
            .actions
            .iter()
            .any(|a| a.misdirected.is_none() && self.performed.contains_key(&a.id))
    }

    /// Whether a decision has nothing left worth doing: every option that resolves it was carried
    /// out, and only wrong approaches remain.
    pub fn decision_done(&self, decision: &DecisionPoint) -> bool {
        decision
            .actions
            .iter()
            .filter(|a| a.misdirected.is_none())
            .all(|a| self.performed.contains_key(&a.id))
    }

    /// Actions of the open decisions that nobody has carried out yet: what can still be assigned,
    /// recommended in a handoff or put up for approval.
    pub fn open_actions(&self) -> Vec<&ActionOption> {
        self.open_decisions()
            .into_iter()
            .flat_map(|d| d.actions.iter())
            .filter(|a| !self.performed.contains_key(&a.id))
            .collect()
    }

    /// Actions of every released inject, in release order, carried out or not: what roles can
    /// be told about.
    pub fn released_actions(&self) -> Vec<&ActionOption> {
        self.released_injects()
            .flat_map(|i| i.decisions.iter())
            .flat_map(|d| d.actions.iter())
            .collect()
    }

    /// Artifacts of every released inject, in release order.
    pub fn released_artifacts(&self) -> Vec<&Artifact> {
        self.released_injects()
            .flat_map(|i| i.artifacts.iter())
            .collect()
    }

    /// Prepared messages of every released inject, in release order.
    pub fn released_messages(&self) -> Vec<&MessageOption> {
        self.released_injects()
            .flat_map(|i| i.messages.iter())
            .collect()
    }

    pub(super) fn released_injects(&self) -> impl Iterator<Item = &Inject> {
        self.release_order
            .iter()
            .filter_map(|id| self.scenario.inject(id.as_str()))
    }

    /// An audience a message can go to: one of the matrix's, or one of the scenario's channels
    /// with the rules of the audience it is like, under its own id and name (only a channel is
    /// built; the matrix's audiences are borrowed).
    pub fn audience(&self, id: &str) -> Option<Cow<'_, Audience>> {
        if let Some(audience) = self.matrix.audience(id) {
            return Some(Cow::Borrowed(audience));
        }
        let channel = self
            .scenario
            .channels
            .iter()
            .find(|c| c.id.as_str() == id)?;
        let like = self.matrix.audience(channel.like.as_str())?;
        Some(Cow::Owned(Audience {
            id: channel.id.clone(),
            name: channel.name.clone(),
            ..like.clone()
        }))
    }

    /// Every audience a message can go to: the matrix's, then the scenario's channels.
    pub fn audiences(&self) -> Vec<Cow<'_, Audience>> {
        let channels = self
            .scenario
            .channels
            .iter()
            .filter_map(|c| self.audience(c.id.as_str()));
        self.matrix
            .communication
            .audiences
            .iter()
            .map(Cow::Borrowed)
            .chain(channels)
            .collect()
    }
}
