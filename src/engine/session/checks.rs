//! What an intent must satisfy before it changes anything, and how scenario conditions are read.

use crate::engine::model::id::{ActionId, ArtifactId, InjectId, MessageId, RoleId};
use crate::engine::model::intent::{Handoff, Intent};
use crate::engine::model::scenario::{Condition, DecisionPoint, Inject, Release};

use super::state::{Rejected, Session, reject};

impl Session {
    /// Evaluates a scenario condition against the current state.
    pub fn holds(&self, condition: &Condition) -> bool {
        match condition {
            Condition::MinuteAtLeast(m) => self.minute >= *m,
            Condition::MinuteBefore(m) => self.minute < *m,
            Condition::Flag(f) => self.flags.contains(f),
            Condition::Released(i) => self.released.contains_key(i),
            Condition::MinutesSince(i, n) => self
                .released
                .get(i)
                .is_some_and(|at| self.minute >= at.saturating_add(*n)),
            Condition::ActionDone(a) => self.performed.contains_key(a),
            Condition::TaskDone(task, asset) => self.performed.keys().any(|id| {
                self.scenario.action(id.as_str()).is_some_and(|(_, _, a)| {
                    a.task == *task && asset.as_ref().is_none_or(|x| a.target.as_ref() == Some(x))
                })
            }),
            Condition::Engaged(r) => self.engaged.contains_key(r),
            Condition::SeverityAtLeast(level) => self.severity >= *level,
            Condition::Variant(v, o) => self.variants.get(v) == Some(o),
            Condition::All(items) => items.iter().all(|c| self.holds(c)),
            Condition::Any(items) => items.iter().any(|c| self.holds(c)),
            Condition::Not(inner) => !self.holds(inner),
        }
    }

    pub(super) fn known_role(&self, role: &RoleId) -> Result<(), Rejected> {
        if self.matrix.role(role.as_str()).is_some() {
            Ok(())
        } else {
            reject(format!(
                "there is no role `{role}` in the matrix `{}`",
                self.matrix.name
            ))
        }
    }

    /// The decision point offering an action, if the action is currently available.
    pub(super) fn available_action(&self, action: &ActionId) -> Result<&DecisionPoint, Rejected> {
        let Some((inject, decision, _)) = self.scenario.action(action.as_str()) else {
            return reject(format!("there is no action `{action}` in this scenario"));
        };
        if !self.released.contains_key(&inject.id) {
            return reject(format!(
                "action `{action}` is not available yet: {}",
                self.not_released_yet(inject)
            ));
        }
        if self.expired.contains(&decision.id) {
            return reject(format!(
                "{} can no longer be chosen: the decision it belonged to has closed",
                self.action_words(action)
            ));
        }
        if let Some(done) = self.performed.get(action) {
            return reject(format!(
                "{} was already done by {} at T+{:02}",
                self.action_words(action),
                self.matrix.role_name(done.role.as_str()),
                done.minute
            ));
        }
        Ok(decision)
    }

    /// An action as people read it: its label in quotes (its id when the scenario has none).
    fn action_words(&self, action: &ActionId) -> String {
        self.scenario.action(action.as_str()).map_or_else(
            || format!("`{action}`"),
            |(_, _, option)| format!("\u{201c}{}\u{201d}", option.label),
        )
    }

    /// Whether an intent names an action, message or artifact of an inject the room has not
    /// had yet. A seat is refused such an intent without being told what the inject holds or
    /// when it comes.
    pub fn refers_to_unseen(&self, intent: &Intent) -> bool {
        let unseen = |inject: &Inject| !self.released.contains_key(&inject.id);
        let action = |a: &ActionId| {
            self.scenario
                .action(a.as_str())
                .is_some_and(|(inject, _, _)| unseen(inject))
        };
        let message = |m: &MessageId| {
            self.scenario
                .message(m.as_str())
                .is_some_and(|(inject, _)| unseen(inject))
        };
        match intent {
            Intent::AssignAction { action: a, .. }
            | Intent::RequestApproval { action: a, .. }
            | Intent::GrantApproval { action: a, .. }
            | Intent::Inform { about: a, .. } => action(a),
            Intent::Handoff(h) => {
                h.actions_taken.iter().chain(&h.recommended).any(action)
                    || h.evidence.iter().any(|e| {
                        self.scenario
                            .artifact(e.as_str())
                            .is_some_and(|(inject, _)| unseen(inject))
                    })
            }
            Intent::Communicate { message: m, .. }
            | Intent::RequestMessageApproval { message: m, .. }
            | Intent::GrantMessageApproval { message: m, .. } => message(m),
            _ => false,
        }
    }

    pub(super) fn check_artifact(&self, artifact: &ArtifactId) -> Result<(), Rejected> {
        match self.scenario.artifact(artifact.as_str()) {
            None => reject(format!(
                "there is no artifact `{artifact}` in this scenario"
            )),
            Some((inject, _)) if !self.released.contains_key(&inject.id) => reject(format!(
                "artifact `{artifact}` has not been seen yet: {}",
                self.not_released_yet(inject)
            )),
            Some(_) => Ok(()),
        }
    }

    pub(super) fn check_message(&self, message: &MessageId) -> Result<(), Rejected> {
        match self.scenario.message(message.as_str()) {
            None => reject(format!("there is no message `{message}` in this scenario")),
            Some((inject, _)) if !self.released.contains_key(&inject.id) => reject(format!(
                "message `{message}` is not available yet: {}",
                self.not_released_yet(inject)
            )),
            Some(_) => Ok(()),
        }
    }

    /// Which inject is still to come, and when it will: "inject `ransom-note` (“Ransom note”) comes
    /// at T+10; the clock is at T+04".
    fn not_released_yet(&self, inject: &Inject) -> String {
        let when = if self.held.contains(&inject.id) {
            "is being held by the facilitator".to_owned()
        } else {
            match &inject.release {
                Release::At(m) => format!("comes at T+{m:02}"),
                Release::When(c) => format!("comes {}", self.describe_condition(c)),
            }
        };
        format!(
            "inject `{}` (\u{201c}{}\u{201d}), which carries it, {when}; the clock is at T+{:02}",
            inject.id, inject.title, self.minute
        )
    }

    pub(super) fn check_handoff(&self, h: &Handoff) -> Result<(), Rejected> {
        self.known_role(&h.from)?;
        self.known_role(&h.to)?;
        if h.from == h.to {
            return reject("a handoff needs two different roles");
        }
        for artifact in &h.evidence {
            self.check_artifact(artifact)?;
        }
        for fact in &h.facts {
            if !self.matrix.triggers.iter().any(|t| t.id == *fact) {
                return reject(format!("there is no fact `{fact}` in the matrix"));
            }
        }
        for action in h.actions_taken.iter().chain(&h.recommended) {
            if self.scenario.action(action.as_str()).is_none() {
                return reject(format!("there is no action `{action}` in this scenario"));
            }
        }
        Ok(())
    }

    pub(super) fn check(&self, intent: &Intent) -> Result<(), Rejected> {
        match intent {
            Intent::AssignAction { action, role } => {
                self.known_role(role)?;
                self.available_action(action).map(|_| ())
            }
            Intent::ClassifySeverity { level, by } => {
                self.known_role(by)?;
                if self.matrix.severity(*level).is_none() {
                    return reject(format!(
                        "severity {level} is not defined; the matrix has levels 1 to {}",
                        self.matrix.max_severity()
                    ));
                }
                Ok(())
            }
            Intent::DeclareIncident { by } => {
                self.known_role(by)?;
                if let Some(at) = self.declared_at {
                    return reject(format!("an incident was already declared at T+{at:02}"));
                }
                Ok(())
            }
            Intent::Escalate { from, to, .. } => {
                self.known_role(from)?;
                if to.is_empty() {
                    return reject("choose at least one role to escalate to");
                }
                for role in to {
                    self.known_role(role)?;
                    if role == from {
                        return reject(format!(
                            "{} cannot escalate to itself",
                            self.matrix.role_name(from.as_str())
                        ));
                    }
                }
                Ok(())
            }
            Intent::Inform { from, to, about } => {
                self.known_role(from)?;
                if to.is_empty() {
                    return reject("choose at least one role to inform");
                }
                for role in to {
                    self.known_role(role)?;
                    if role == from {
                        return reject(format!(
                            "{} cannot inform itself",
                            self.matrix.role_name(from.as_str())
                        ));
                    }
                }
                let Some((inject, _, _)) = self.scenario.action(about.as_str()) else {
                    return reject(format!("there is no action `{about}` in this scenario"));
                };
                if !self.released.contains_key(&inject.id) {
                    return reject(format!(
                        "action `{about}` is not known yet: {}",
                        self.not_released_yet(inject)
                    ));
                }
                Ok(())
            }
            Intent::Handoff(h) => self.check_handoff(h),
            Intent::Communicate {
                audience,
                sender,
                message,
                approvals,
            } => {
                self.known_role(sender)?;
                if self.audience(audience.as_str()).is_none() {
                    return reject(format!(
                        "there is no audience `{audience}` in the matrix or among this scenario's channels"
                    ));
                }
                self.check_message(message)?;
                for approver in approvals {
                    self.known_role(approver)?;
                    if approver != sender && !self.engaged.contains_key(approver) {
                        return reject(format!(
                            "{} has not been engaged, so it cannot have approved this message",
                            self.matrix.role_name(approver.as_str())
                        ));
                    }
                }
                Ok(())
            }
            Intent::RequestApproval {
                action,
                requested_by,
                approver,
            } => {
                self.known_role(requested_by)?;
                self.known_role(approver)?;
                self.available_action(action)?;
                if self
                    .approvals
                    .iter()
                    .any(|r| r.action == *action && r.approver == *approver)
                {
                    return reject(format!(
                        "{} has already been asked to approve {}",
                        self.matrix.role_name(approver.as_str()),
                        self.action_words(action)
                    ));
                }
                Ok(())
            }
            Intent::GrantApproval { action, approver } => {
                self.known_role(approver)?;
                if self.performed.contains_key(action) {
                    return reject(format!("{} was already done", self.action_words(action)));
                }
                if self
                    .approvals
                    .iter()
                    .any(|r| r.action == *action && r.approver == *approver && r.granted.is_none())
                {
                    Ok(())
                } else {
                    reject(format!(
                        "nobody has asked {} to approve {}",
                        self.matrix.role_name(approver.as_str()),
                        self.action_words(action)
                    ))
                }
            }
            Intent::RequestMessageApproval {
                message,
                audience,
                requested_by,
                approver,
            } => {
                self.known_role(requested_by)?;
                self.known_role(approver)?;
                let Some(policy) = self.audience(audience.as_str()) else {
                    return reject(format!(
                        "there is no audience `{audience}` in the matrix or among this scenario's channels"
                    ));
                };
                let audience_name = policy.name.clone();
                self.check_message(message)?;
                if requested_by == approver {
                    return reject(format!(
                        "{} cannot ask itself for an approval",
                        self.matrix.role_name(approver.as_str())
                    ));
                }
                if self.message_approvals.iter().any(|r| {
                    r.message == *message && r.audience == *audience && r.approver == *approver
                }) {
                    return reject(format!(
                        "{} has already been asked to approve this message for {audience_name}",
                        self.matrix.role_name(approver.as_str())
                    ));
                }
                Ok(())
            }
            Intent::GrantMessageApproval {
                message,
                audience,
                approver,
            } => {
                self.known_role(approver)?;
                if self
                    .message_approvals
                    .iter()
                    .any(|r| r.awaits(message, audience, approver))
                {
                    Ok(())
                } else {
                    reject(format!(
                        "nobody has asked {} to approve this message for that audience",
                        self.matrix.role_name(approver.as_str())
                    ))
                }
            }
            Intent::Advance { minutes } => {
                if *minutes == 0 {
                    reject("wait at least one minute")
                } else {
                    Ok(())
                }
            }
            Intent::EndExercise => Ok(()),
            Intent::ReleaseInject { inject } => self.unreleased(inject).map(|_| ()),
            Intent::HoldInject { inject } => {
                self.unreleased(inject)?;
                if self.held.contains(inject) {
                    return reject(format!("inject `{inject}` is already being held"));
                }
                Ok(())
            }
            Intent::UnholdInject { inject } => {
                self.unreleased(inject)?;
                if self.held.contains(inject) {
                    Ok(())
                } else {
                    reject(format!("inject `{inject}` is not being held"))
                }
            }
        }
    }

    pub(super) fn unreleased(&self, inject: &InjectId) -> Result<&Inject, Rejected> {
        let Some(found) = self.scenario.inject(inject.as_str()) else {
            return reject(format!("there is no inject `{inject}` in this scenario"));
        };
        if let Some(at) = self.released.get(inject) {
            return reject(format!(
                "inject `{inject}` was already released at minute {at}"
            ));
        }
        Ok(found)
    }
}
