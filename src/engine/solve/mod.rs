//! `warroom script solve`: a play of a scenario that meets every check its plan sets, built the way
//! a careful responder plays: classify from the evidence, engage whoever the plan requires when it
//! becomes due, preserve evidence before anything that destroys it, hand work over with its
//! context before another team changes systems, get approvals before the work, tell whoever the
//! plan keeps informed, and send every notice and report on time. Where the plan leaves a check
//! no play can pass (nobody Responsible for a task, a role that would have to approve its own
//! work), the solution says so instead of guessing.

mod comms;

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::engine::content::script::{Decisions, Step};
use crate::engine::model::id::{ActionId, AssetId, AudienceId, RoleId};
use crate::engine::model::intent::{Handoff, Intent, Urgency};
use crate::engine::model::matrix::{Matrix, Phase, RoleKind, TaskKind};
use crate::engine::model::scenario::{ActionOption, DecisionPoint, Scenario};
use crate::engine::scoring::{FindingKind, Scorecard, obligations, score};
use crate::engine::session::{Session, TASK_CLASSIFY};

/// A solved play: the script, the session it produces and its grade, and what the plan makes
/// impossible.
pub struct Solution {
    /// The script, ready to save as `exemplary.ron`.
    pub decisions: Decisions,
    /// The session the script plays to, at the scenario's end.
    pub session: Session,
    /// Its grade.
    pub scorecard: Scorecard,
    /// What no play could do under this plan, in words, in the order met.
    pub gaps: Vec<String>,
}

impl Solution {
    /// Whether the script meets every check (a total of 100).
    pub fn perfect(&self) -> bool {
        self.scorecard.total == 100
    }

    /// The checks the script still fails, in words, each with the responsibility it cites.
    pub fn failed_checks(&self) -> Vec<String> {
        self.scorecard
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::Deduction)
            .map(|f| {
                if f.citation.is_empty() {
                    f.message.clone()
                } else {
                    format!("{} ({})", f.message, f.citation)
                }
            })
            .collect()
    }

    /// The script as RON, one step to a line, readable and diffable beside hand-written ones.
    pub fn to_ron(&self) -> String {
        self.decisions.to_ron()
    }
}

/// Plays `scenario` under `matrix` with `seed` as the plan asks, minute by minute, to its end.
pub fn solve(scenario: Arc<Scenario>, matrix: Arc<Matrix>, seed: u64) -> Solution {
    let mut solver = Solver {
        session: Session::new(scenario.clone(), matrix.clone(), seed),
        scenario,
        matrix,
        steps: Vec::new(),
        gaps: Vec::new(),
        classified: None,
        filed_stages: BTreeSet::new(),
        notices_sent: BTreeSet::new(),
    };
    loop {
        solver.act_now();
        let rest = solver
            .scenario
            .duration_mins
            .saturating_sub(solver.session.minute());
        if solver.session.ended() || rest == 0 {
            break;
        }
        if let Err(refused) = solver.session.apply(Intent::Advance { minutes: 1 }) {
            solver.gaps.push(refused.reason);
            break;
        }
    }
    if !solver.session.ended() {
        // The last minute's work is done: close the exercise as a script run does.
        let _ = solver.session.apply(Intent::EndExercise);
    }
    let scorecard = score(&solver.session);
    let decisions = Decisions {
        scenario: solver.scenario.id.clone(),
        description: format!(
            "A response that meets every check of {} (written by `warroom script solve`).",
            solver.matrix.name
        ),
        seed: Some(seed),
        steps: solver.steps,
    };
    Solution {
        decisions,
        session: solver.session,
        scorecard,
        gaps: solver.gaps,
    }
}

struct Solver {
    session: Session,
    scenario: Arc<Scenario>,
    matrix: Arc<Matrix>,
    steps: Vec<Step>,
    gaps: Vec<String>,
    /// The severity last classified.
    classified: Option<u8>,
    /// Report stages filed or planned, by regime id and stage index.
    filed_stages: BTreeSet<(String, usize)>,
    /// Notices answered, by inject id and audience id.
    notices_sent: BTreeSet<(String, AudienceId)>,
}

impl Solver {
    /// Everything the plan asks for at this minute, until nothing more comes of it (an action
    /// can reveal facts and release injects that ask for more).
    fn act_now(&mut self) {
        for _ in 0..16 {
            let before = (self.steps.len(), self.session.released().len());
            self.classify();
            self.escalate();
            self.decide();
            self.send_notices();
            self.file_reports();
            if (self.steps.len(), self.session.released().len()) == before {
                break;
            }
        }
    }

    /// Applies an intent and keeps it as a step; a refusal is a gap in the plan.
    fn apply(&mut self, intent: Intent) -> bool {
        let minute = self.session.minute();
        match self.session.apply(intent.clone()) {
            Ok(_) => {
                self.steps.push(Step::at(minute, intent));
                true
            }
            Err(refused) => {
                self.gaps.push(format!(
                    "At T+{minute:02} \"{}\" was refused: {}",
                    self.session.describe(&intent),
                    refused.reason
                ));
                false
            }
        }
    }

    fn gap(&mut self, what: String) {
        if !self.gaps.contains(&what) {
            self.gaps.push(what);
        }
    }

    fn responsible(&self, task: &TaskKind, option: Option<&ActionOption>) -> Option<RoleId> {
        let target = option.and_then(ActionOption::target_id);
        self.session
            .resolve_roles(&task.responsible, target)
            .into_iter()
            .next()
    }

    /// Classifies once something has come in, and again whenever the evidence moves the severity.
    fn classify(&mut self) {
        if self.session.released().is_empty() {
            return;
        }
        let level = self.session.severity();
        if self.classified == Some(level) {
            return;
        }
        let matrix = self.matrix.clone();
        let Some(task) = matrix.task(TASK_CLASSIFY) else {
            return;
        };
        let Some(by) = self.responsible(task, None) else {
            self.gap(format!(
                "Nobody is Responsible for \"{}\", so no severity call can be made by the right role.",
                task.name
            ));
            self.classified = Some(level);
            return;
        };
        self.classified = Some(level);
        self.apply(Intent::ClassifySeverity { level, by });
    }

    /// The role that brings others in: whoever the first severity level engages (the incident
    /// manager in most plans) once in the response, else whoever classifies.
    fn lead(&self) -> Option<RoleId> {
        let internal = |r: &RoleId| {
            self.matrix
                .role(r.as_str())
                .is_some_and(|role| role.kind == RoleKind::Internal)
        };
        let engaged = self.session.engaged();
        let by_severity = self
            .matrix
            .escalation
            .severities
            .iter()
            .flat_map(|s| s.engage.iter())
            .filter(|r| internal(r) && engaged.contains_key(*r))
            .min_by_key(|r| engaged.get(*r).copied().unwrap_or(u32::MAX))
            .cloned();
        by_severity
            .or_else(|| {
                self.matrix
                    .task(TASK_CLASSIFY)
                    .and_then(|t| self.responsible(t, None))
            })
            .or_else(|| {
                self.matrix
                    .roles
                    .iter()
                    .find(|r| r.kind == RoleKind::Internal)
                    .map(|r| r.id.clone())
            })
    }

    /// Who may reach `role`: an outside party only through its points of contact, once the roles
    /// it waits for are in; anyone else through the lead.
    fn contact_for(&mut self, role: &RoleId) -> Option<RoleId> {
        let matrix = self.matrix.clone();
        if let Some(rule) = matrix.contact(role.as_str()) {
            self.engage_first(&rule.after);
            let from = rule.by.first().cloned();
            if from.is_none() {
                self.gap(format!(
                    "The plan names no point of contact for {}.",
                    matrix.role_name(role.as_str())
                ));
            }
            return from;
        }
        self.lead()
    }

    /// Brings in roles an outside contact must wait for.
    fn engage_first(&mut self, roles: &[RoleId]) {
        let missing: Vec<RoleId> = roles
            .iter()
            .filter(|r| !self.session.engaged().contains_key(*r))
            .cloned()
            .collect();
        if missing.is_empty() {
            return;
        }
        if let Some(from) = self.lead() {
            self.apply(Intent::Escalate {
                from,
                to: missing,
                reason: "Needed before anything goes outside the organisation".into(),
            });
        }
    }

    /// Engages every role the plan requires and nobody has brought in yet.
    fn escalate(&mut self) {
        let owed: Vec<(RoleId, String)> = obligations(&self.session)
            .into_iter()
            .filter(|o| o.engaged_at.is_none())
            .map(|o| (o.role, o.because))
            .collect();
        let mut by_sender: Vec<(RoleId, Vec<RoleId>, Vec<String>)> = Vec::new();
        for (role, because) in owed {
            if self.session.engaged().contains_key(&role) {
                continue;
            }
            let Some(from) = self.contact_for(&role) else {
                continue;
            };
            if from == role {
                // The lead itself is owed: it joins by acting.
                continue;
            }
            match by_sender.iter_mut().find(|(f, _, _)| *f == from) {
                Some((_, to, why)) => {
                    if !to.contains(&role) {
                        to.push(role);
                    }
                    if !why.contains(&because) {
                        why.push(because);
                    }
                }
                None => by_sender.push((from, vec![role], vec![because])),
            }
        }
        for (from, to, why) in by_sender {
            let mut reason = why.join("; ");
            if let Some(first) = reason.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            self.apply(Intent::Escalate { from, to, reason });
        }
    }

    /// Acts on every open decision: every option that resolves it, evidence first; an option
    /// that destroys evidence only when nothing else resolves the decision.
    fn decide(&mut self) {
        let scenario = self.scenario.clone();
        let open: Vec<&DecisionPoint> = scenario
            .injects
            .iter()
            .filter(|i| self.session.released_at(i.id.as_str()).is_some())
            .flat_map(|i| i.decisions.iter())
            .filter(|d| !self.session.expired().contains(&d.id))
            .collect();
        for decision in open {
            for option in self.plan_for(decision) {
                self.carry_out(option);
            }
        }
    }

    /// The options of a decision to carry out now, in the order to carry them out: every one that
    /// resolves it, evidence first. One that destroys evidence waits until the asset's evidence
    /// is preserved, and is left out where the same decision offers to preserve that asset (it is
    /// the shortcut past preserving) unless nothing else resolves the decision.
    fn plan_for<'d>(&self, decision: &'d DecisionPoint) -> Vec<&'d ActionOption> {
        let performed = self.session.performed();
        let task_of = |o: &ActionOption| self.matrix.task(o.task.as_str());
        let destroys = |o: &ActionOption| task_of(o).is_some_and(|t| t.destroys_evidence);
        let preserves = |o: &ActionOption| task_of(o).is_some_and(|t| t.preserves_evidence);
        let resolving: Vec<&ActionOption> = decision
            .actions
            .iter()
            .filter(|o| o.misdirected.is_none())
            .collect();
        let preserved_here: Vec<&AssetId> = resolving
            .iter()
            .filter(|o| preserves(o))
            .filter_map(|o| o.target.as_ref())
            .collect();
        let mut plan: Vec<&ActionOption> = resolving
            .iter()
            .copied()
            .filter(|o| !destroys(o) && !performed.contains_key(&o.id))
            .collect();
        let settled = resolving.iter().any(|o| {
            !destroys(o) && (performed.contains_key(&o.id) || plan.iter().any(|p| p.id == o.id))
        });
        for option in resolving.iter().copied().filter(|o| destroys(o)) {
            if performed.contains_key(&option.id) {
                continue;
            }
            let shortcut = option
                .target
                .as_ref()
                .is_some_and(|t| preserved_here.contains(&t));
            if shortcut && settled {
                continue;
            }
            if option
                .target
                .as_ref()
                .is_some_and(|t| self.preservation_pending(t))
                && !shortcut
            {
                continue;
            }
            plan.push(option);
        }
        // Preserve first, investigate next, change systems last.
        plan.sort_by_key(|o| {
            task_of(o).map_or(3, |t| {
                if t.preserves_evidence {
                    0
                } else if t.phase.changes_systems() {
                    2
                } else {
                    1
                }
            })
        });
        plan
    }

    /// Whether a released decision still offers to preserve `asset`'s evidence and nobody has.
    fn preservation_pending(&self, asset: &AssetId) -> bool {
        let performed = self.session.performed();
        self.scenario
            .injects
            .iter()
            .filter(|i| self.session.released_at(i.id.as_str()).is_some())
            .flat_map(|i| i.decisions.iter())
            .filter(|d| !self.session.expired().contains(&d.id))
            .flat_map(|d| d.actions.iter())
            .any(|o| {
                o.target.as_ref() == Some(asset)
                    && o.misdirected.is_none()
                    && !performed.contains_key(&o.id)
                    && self
                        .matrix
                        .task(o.task.as_str())
                        .is_some_and(|t| t.preserves_evidence)
            })
    }

    /// Carries out one option: the handoff its team needs, the approvals it needs, the work,
    /// then word to whoever the plan keeps informed.
    fn carry_out(&mut self, option: &ActionOption) {
        let matrix = self.matrix.clone();
        let Some(task) = matrix.task(option.task.as_str()) else {
            return;
        };
        let Some(role) = self.responsible(task, Some(option)) else {
            self.gap(format!(
                "Nobody is Responsible for \"{}\" under this plan, so \"{}\" has no right owner.",
                task.name, option.label
            ));
            return;
        };
        if task.phase.changes_systems() {
            self.hand_over(&role, option);
        }
        if !self.approve(task, option, &role) {
            return;
        }
        if !self.apply(Intent::AssignAction {
            action: option.id.clone(),
            role: role.clone(),
        }) {
            return;
        }
        self.inform(task, option, &role);
    }

    /// Hands work to `role` with the investigation's context, when another team investigated and
    /// has not handed it over yet.
    fn hand_over(&mut self, role: &RoleId, option: &ActionOption) {
        let phase_of = |action: &ActionId| {
            self.scenario
                .action(action.as_str())
                .and_then(|(_, _, o)| self.matrix.task(o.task.as_str()))
                .map(|t| t.phase)
        };
        let mut performed: Vec<(&ActionId, &crate::engine::session::Performed)> =
            self.session.performed().iter().collect();
        performed.sort_by_key(|(_, p)| p.entry);
        let investigators: Vec<RoleId> = performed
            .iter()
            .filter(|(a, _)| phase_of(a) == Some(Phase::Analyze))
            .map(|(_, p)| p.role.clone())
            .collect();
        if investigators.is_empty() || investigators.contains(role) {
            return;
        }
        let handed = self.session.log().entries.iter().any(|e| {
            matches!(&e.intent, Intent::Handoff(h) if h.to == *role && investigators.contains(&h.from))
        });
        if handed {
            return;
        }
        let Some(from) = investigators.last().cloned() else {
            return;
        };
        let now = self.session.minute();
        let facts = self
            .session
            .revealed()
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(id, _)| id.clone())
            .collect();
        let evidence = self
            .session
            .released_artifacts()
            .iter()
            .map(|a| a.id.clone())
            .collect();
        let actions_taken = performed
            .iter()
            .filter(|(_, p)| p.role == from)
            .map(|(a, _)| (*a).clone())
            .collect();
        let titles: Vec<&str> = self
            .session
            .released()
            .iter()
            .filter_map(|id| self.scenario.inject(id.as_str()))
            .map(|i| i.title.as_str())
            .collect();
        let observed = format!(
            "What we have established so far: {}. Next for you: {}.",
            titles.join("; "),
            option.label
        );
        let urgency = Urgency::for_severity(self.session.severity(), self.matrix.max_severity());
        self.apply(Intent::Handoff(Handoff {
            from,
            to: role.clone(),
            observed,
            facts,
            evidence,
            actions_taken,
            recommended: vec![option.id.clone()],
            urgency: Some(urgency),
        }));
    }

    /// Asks for and gets every approval the work needs, from roles other than the one doing it.
    fn approve(&mut self, task: &TaskKind, option: &ActionOption, role: &RoleId) -> bool {
        let target = option.target_id();
        let mut approvers = self.session.resolve_roles(&task.approvals, target);
        let any_of = self.session.resolve_roles(&task.approvals_any_of, target);
        if !any_of.is_empty() && !any_of.iter().any(|r| approvers.contains(r)) {
            // Whoever of them is not doing the work; else the first, named as a gap below.
            if let Some(one) = any_of.iter().find(|r| *r != role).or(any_of.first()) {
                approvers.push(one.clone());
            }
        }
        if approvers.is_empty() && (task.privileged || task.alters_audit_trail) {
            let accountable = self
                .session
                .resolve_role(&task.accountable, target)
                .cloned();
            let independent = accountable
                .filter(|a| a != role)
                .or_else(|| self.lead().filter(|l| l != role));
            let Some(approver) = independent else {
                self.gap(format!(
                    "\"{}\" needs an independent approval, but the plan leaves no role besides {} to give it.",
                    option.label,
                    self.matrix.role_name(role.as_str())
                ));
                return true;
            };
            approvers.push(approver);
        }
        for approver in approvers {
            if approver == *role {
                self.gap(format!(
                    "{} would have to approve \"{}\", its own work: the plan gives the approval to the role that does it.",
                    self.matrix.role_name(role.as_str()),
                    option.label
                ));
                continue;
            }
            let asked = self.apply(Intent::RequestApproval {
                action: option.id.clone(),
                requested_by: role.clone(),
                approver: approver.clone(),
            });
            if asked {
                self.apply(Intent::GrantApproval {
                    action: option.id.clone(),
                    approver,
                });
            }
        }
        true
    }
}
