//! What the solver says and to whom: word to the roles the plan keeps informed, the notices
//! injects make owed, and the reports laws and contracts require.

use super::Solver;
use crate::engine::model::id::{AudienceId, MessageId, RoleId};
use crate::engine::model::intent::Intent;
use crate::engine::model::matrix::{Audience, TaskKind};
use crate::engine::model::scenario::{ActionOption, MessageOption};
use crate::engine::scoring::reports_due;

impl Solver {
    /// Tells every role the plan keeps informed of the work, outside parties through their points
    /// of contact.
    pub(super) fn inform(&mut self, task: &TaskKind, option: &ActionOption, role: &RoleId) {
        let informed: Vec<RoleId> = self
            .session
            .resolve_roles(&task.informed, option.target_id())
            .into_iter()
            .filter(|r| r != role)
            .collect();
        let mut by_sender: Vec<(RoleId, Vec<RoleId>)> = Vec::new();
        for to in informed {
            let matrix = self.matrix.clone();
            let from = match matrix.contact(to.as_str()) {
                Some(contact) => {
                    self.engage_first(&contact.after);
                    if contact.by.contains(role) {
                        role.clone()
                    } else if let Some(point) = contact.by.first() {
                        point.clone()
                    } else {
                        continue;
                    }
                }
                None => role.clone(),
            };
            match by_sender.iter_mut().find(|(f, _)| *f == from) {
                Some((_, list)) => list.push(to),
                None => by_sender.push((from, vec![to])),
            }
        }
        for (from, to) in by_sender {
            self.apply(Intent::Inform {
                from,
                to,
                about: option.id.clone(),
            });
        }
    }

    /// Answers every notice a released inject owes an audience.
    pub(super) fn send_notices(&mut self) {
        let scenario = self.scenario.clone();
        for inject in &scenario.injects {
            if self.session.released_at(inject.id.as_str()).is_none() {
                continue;
            }
            for notice in &inject.notify {
                let key = (inject.id.to_string(), notice.audience.clone());
                if self.notices_sent.contains(&key) {
                    continue;
                }
                self.notices_sent.insert(key);
                self.communicate(&notice.audience, Some(inject.id.as_str()));
            }
        }
    }

    /// Files every report stage a law or contract requires, the first as soon as its clock
    /// starts and each later one on time before its deadline.
    pub(super) fn file_reports(&mut self) {
        let now = self.session.minute();
        let end = self.scenario.duration_mins;
        let due: Vec<(String, usize, Option<AudienceId>, u32, String)> = reports_due(&self.session)
            .into_iter()
            .filter(|d| d.filed.is_none() && d.deadline <= end)
            .map(|d| {
                let at = if d.stage_index == 0 {
                    d.from
                } else {
                    d.deadline.saturating_sub(1).max(d.from)
                };
                (
                    d.clock.regime.id.to_string(),
                    d.stage_index,
                    d.clock.regime.audience.clone(),
                    at,
                    d.clock.inject.id.to_string(),
                )
            })
            .collect();
        for (regime, stage, audience, at, inject) in due {
            if at > now || self.filed_stages.contains(&(regime.clone(), stage)) {
                continue;
            }
            // A regime filed through a task is filed by carrying the task out (see `decide`).
            let Some(audience) = audience else {
                continue;
            };
            self.filed_stages.insert((regime, stage));
            self.communicate(&audience, Some(inject.as_str()));
        }
    }

    /// Sends `audience` the prepared message that suits it best, from its sender and with the
    /// approvals it needs.
    fn communicate(&mut self, audience: &AudienceId, from_inject: Option<&str>) {
        let Some(policy) = self
            .session
            .audience(audience.as_str())
            .map(std::borrow::Cow::into_owned)
        else {
            return;
        };
        let Some(message) = self.message_for(&policy, from_inject) else {
            self.gap(format!(
                "No prepared message can go to {}: every one released so far carries something it must never receive.",
                policy.name
            ));
            return;
        };
        let Some(sender) = policy.senders.first().cloned() else {
            self.gap(format!(
                "The plan names nobody who may write to {}.",
                policy.name
            ));
            return;
        };
        for approver in &policy.approvals {
            if *approver == sender {
                continue;
            }
            let asked = self.apply(Intent::RequestMessageApproval {
                message: message.clone(),
                audience: audience.clone(),
                requested_by: sender.clone(),
                approver: approver.clone(),
            });
            if asked {
                self.apply(Intent::GrantMessageApproval {
                    message: message.clone(),
                    audience: audience.clone(),
                    approver: approver.clone(),
                });
            }
        }
        self.apply(Intent::Communicate {
            audience: audience.clone(),
            sender,
            message,
            approvals: Vec::new(),
        });
    }

    /// The released message that suits an audience: nothing it must not receive, written for it
    /// (its label names it) and from the inject that asked for it where one is.
    fn message_for(&self, policy: &Audience, from_inject: Option<&str>) -> Option<MessageId> {
        let inject_messages: Vec<&MessageOption> = from_inject
            .and_then(|id| self.scenario.inject(id))
            .map(|i| i.messages.iter().collect())
            .unwrap_or_default();
        let clean = |m: &&MessageOption| !m.content.iter().any(|c| policy.forbidden.contains(c));
        let names_it = |m: &MessageOption| {
            let label = m.label.to_lowercase();
            let heading = label.split(':').next().unwrap_or_default();
            policy
                .name
                .to_lowercase()
                .split_whitespace()
                .chain(std::iter::once(policy.id.as_str()))
                .filter(|w| w.len() >= 3)
                .any(|w| {
                    let stem: String = w.chars().take(5).collect();
                    heading.contains(&stem)
                })
        };
        let released = self.session.released_messages();
        let candidates: Vec<&MessageOption> = inject_messages
            .iter()
            .copied()
            .chain(released.iter().copied())
            .filter(clean)
            .collect();
        candidates
            .iter()
            .find(|m| names_it(m))
            .or_else(|| candidates.first())
            .map(|m| m.id.clone())
    }
}
