//! Intents in words a person reads: names of roles and audiences, labels of actions and messages,
//! titles of injects — never ids, which stay in logs and JSON.

use super::state::Session;
use crate::engine::model::id::{AudienceId, MessageId, RoleId};
use crate::engine::model::intent::Intent;
use crate::engine::model::scenario::Condition;

impl Session {
    /// What an intent does, in plain words ("Security Operations Center hands off to IT
    /// Operations"). Unknown ids (a log from another scenario) fall back to the id itself.
    pub fn describe(&self, intent: &Intent) -> String {
        let role = |id: &RoleId| self.matrix().role_name(id.as_str()).to_owned();
        let roles = |ids: &[RoleId]| names_list(ids.iter().map(&role).collect());
        let action = |id: &str| {
            self.scenario()
                .action(id)
                .map_or_else(|| id.to_owned(), |(_, _, a)| a.label.clone())
        };
        let inject = |id: &str| {
            self.scenario()
                .inject(id)
                .map_or_else(|| id.to_owned(), |i| i.title.clone())
        };
        match intent {
            Intent::AssignAction { action: a, role: r } => {
                format!("{} — assigned to {}", action(a.as_str()), role(r))
            }
            Intent::ClassifySeverity { level, by } => {
                let name = self
                    .matrix()
                    .severity(*level)
                    .map_or_else(String::new, |s| format!(" ({})", s.name));
                format!("{} classifies the severity as {level}{name}", role(by))
            }
            Intent::DeclareIncident { by } => format!("{} declares an incident", role(by)),
            Intent::Escalate { from, to, .. } => {
                format!("{} escalates to {}", role(from), roles(to))
            }
            Intent::Inform { from, to, about } => format!(
                "{} tells {} about \u{201c}{}\u{201d}",
                role(from),
                roles(to),
                action(about.as_str())
            ),
            Intent::Handoff(h) => format!("{} hands off to {}", role(&h.from), role(&h.to)),
            Intent::Communicate {
                audience,
                sender,
                message,
                ..
            } => format!(
                "{} sends \u{201c}{}\u{201d} to {}",
                role(sender),
                self.message_label(message),
                self.audience_name(audience)
            ),
            Intent::RequestApproval {
                action: a,
                requested_by,
                approver,
            } => format!(
                "{} asks {} to approve \u{201c}{}\u{201d}",
                role(requested_by),
                role(approver),
                action(a.as_str())
            ),
            Intent::GrantApproval {
                action: a,
                approver,
            } => format!(
                "{} approves \u{201c}{}\u{201d}",
                role(approver),
                action(a.as_str())
            ),
            Intent::RequestMessageApproval {
                message,
                audience,
                requested_by,
                approver,
            } => format!(
                "{} asks {} to approve \u{201c}{}\u{201d} for {}",
                role(requested_by),
                role(approver),
                self.message_label(message),
                self.audience_name(audience)
            ),
            Intent::GrantMessageApproval {
                message,
                audience,
                approver,
            } => format!(
                "{} approves \u{201c}{}\u{201d} for {}",
                role(approver),
                self.message_label(message),
                self.audience_name(audience)
            ),
            Intent::Advance { minutes: 1 } => "wait a minute".to_owned(),
            Intent::Advance { minutes } => format!("wait {minutes} minutes"),
            Intent::EndExercise => "end the exercise".to_owned(),
            Intent::ReleaseInject { inject: i } => {
                format!(
                    "the facilitator releases \u{201c}{}\u{201d}",
                    inject(i.as_str())
                )
            }
            Intent::HoldInject { inject: i } => {
                format!(
                    "the facilitator holds \u{201c}{}\u{201d} back",
                    inject(i.as_str())
                )
            }
            Intent::UnholdInject { inject: i } => format!(
                "the facilitator puts \u{201c}{}\u{201d} back on schedule",
                inject(i.as_str())
            ),
        }
    }

    /// A message's label, or its id if the scenario has no such message.
    pub fn message_label(&self, message: &MessageId) -> String {
        self.scenario()
            .message(message.as_str())
            .map_or_else(|| message.to_string(), |(_, m)| m.label.clone())
    }

    /// An audience's name, or its id if there is no such audience.
    pub fn audience_name(&self, audience: &AudienceId) -> String {
        self.audience(audience.as_str())
            .map_or_else(|| audience.to_string(), |a| a.name.clone())
    }
}

impl Session {
    /// When a condition holds, in plain words for a facilitator who does not know the scenario's
    /// ids: "from T+30, unless evidence preserved", "once “Isolate FS-01” is done".
    pub fn describe_condition(&self, condition: &Condition) -> String {
        let scenario = self.scenario();
        let matrix = self.matrix();
        let quoted = |text: &str| format!("\u{201c}{text}\u{201d}");
        match condition {
            Condition::MinuteAtLeast(m) => format!("from T+{m:02}"),
            Condition::MinuteBefore(m) => format!("before T+{m:02}"),
            Condition::Flag(f) => f.as_str().replace(['_', '-'], " "),
            Condition::MinutesSince(i, n) => format!(
                "{n} min after {}",
                quoted(scenario.inject(i.as_str()).map_or(i.as_str(), |x| &x.title))
            ),
            Condition::Released(i) => format!(
                "after {}",
                quoted(scenario.inject(i.as_str()).map_or(i.as_str(), |x| &x.title))
            ),
            Condition::ActionDone(a) => format!(
                "once {} is done",
                quoted(
                    scenario
                        .action(a.as_str())
                        .map_or(a.as_str(), |(_, _, x)| &x.label)
                )
            ),
            Condition::TaskDone(task, asset) => {
                let task = matrix
                    .task(task.as_str())
                    .map_or(task.as_str(), |t| &t.name);
                match asset {
                    Some(asset) => format!(
                        "once {} is done on {}",
                        quoted(task),
                        scenario
                            .asset(asset.as_str())
                            .map_or(asset.as_str(), |x| &x.name)
                    ),
                    None => format!("once {} is done", quoted(task)),
                }
            }
            Condition::Engaged(r) => format!("once {} is engaged", matrix.role_name(r.as_str())),
            Condition::SeverityAtLeast(level) => match matrix.severity(*level) {
                Some(s) => format!("at severity {level} ({}) or above", s.name),
                None => format!("at severity {level} or above"),
            },
            Condition::Variant(v, o) => {
                let text = scenario
                    .variations
                    .iter()
                    .find(|x| x.id == *v)
                    .and_then(|x| x.options.iter().find(|opt| opt.id == *o))
                    .map_or_else(|| o.to_string(), |opt| opt.text.clone());
                format!("if it is {}", quoted(&text))
            }
            Condition::All(items) => self.describe_conditions(items, " and "),
            Condition::Any(items) => self.describe_conditions(items, " or "),
            Condition::Not(inner) => format!("unless {}", self.describe_condition(inner)),
        }
    }

    fn describe_conditions(&self, items: &[Condition], joiner: &str) -> String {
        let mut out = String::new();
        for (n, item) in items.iter().enumerate() {
            let text = self.describe_condition(item);
            let text = match item {
                Condition::All(_) | Condition::Any(_) => format!("({text})"),
                _ => text,
            };
            if n > 0 {
                // "from T+30, unless …" reads better than "from T+30 and unless …".
                out.push_str(if matches!(item, Condition::Not(_)) {
                    ", "
                } else {
                    joiner
                });
            }
            out.push_str(&text);
        }
        out
    }
}

/// "A", "A and B", "A, B and C".
pub fn names_list(names: Vec<String>) -> String {
    joined(names, "and")
}

/// "A, B or C": any one of them, each once.
pub fn either_list(names: Vec<String>) -> String {
    joined(names, "or")
}

fn joined(names: Vec<String>, last_word: &str) -> String {
    let mut seen = std::collections::BTreeSet::new();
    let names: Vec<String> = names
        .into_iter()
        .filter(|n| seen.insert(n.clone()))
        .collect();
    match names.as_slice() {
        [] => "nobody".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {last_word} {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::content::load::Source;
    use crate::engine::content::shipped;
    use crate::engine::model::scenario::Condition;

    #[test]
    fn conditions_read_as_plain_phrases() {
        let session = shipped::session("ransomware-file-server", 0);
        let c = Source::from_text(
            "c.ron",
            r#"Any([All([MinuteAtLeast(30), Not(Flag("evidence_preserved"))]), Engaged("legal")])"#,
        )
        .parse::<Condition>()
        .unwrap();
        assert_eq!(
            session.describe_condition(&c),
            "(from T+30, unless evidence preserved) or once Legal Counsel is engaged"
        );
    }
}
