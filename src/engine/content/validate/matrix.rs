//! Validation of a responsibility matrix.

use std::path::Path;

use crate::engine::diagnostic::{Code, Diagnostic, Level};
use crate::engine::model::id::RoleId;
use crate::engine::model::matrix::{ASSET_OWNER, Matrix, TaskKind};

use super::collector::{Collector, unknown_hint};
use super::scenario::MAX_DURATION_MINS;

/// Largest scoring weight or penalty accepted.
pub const MAX_SCORING_NUMBER: u64 = 1000;

/// The most severity levels a matrix may define: far more than any plan uses, and few enough that
/// a session's clock can follow every release condition in every band of severity at once.
pub const MAX_SEVERITY_LEVELS: usize = 16;

/// Validates a responsibility matrix.
pub fn validate_matrix(matrix: &Matrix, file: &Path, text: &str) -> Vec<Diagnostic> {
    let mut r = Collector::new(file, text);
    let role_ids: Vec<&str> = matrix.roles.iter().map(|x| x.id.as_str()).collect();
    r.duplicates("role", role_ids.iter().copied());
    r.duplicates("task", matrix.tasks.iter().map(|t| t.id.as_str()));
    r.duplicates("trigger", matrix.triggers.iter().map(|t| t.id.as_str()));
    r.duplicates(
        "audience",
        matrix.communication.audiences.iter().map(|a| a.id.as_str()),
    );
    r.duplicates(
        "escalation rule",
        matrix.escalation.rules.iter().map(|x| x.id.as_str()),
    );

    if matrix.roles.is_empty() {
        r.error(
            Code::EmptyMatrix,
            None,
            "roles",
            "the matrix defines no roles".into(),
            None,
        );
    }
    for role in &matrix.roles {
        if role.id.as_str() == ASSET_OWNER {
            r.error(
                Code::ReservedId,
                None,
                ASSET_OWNER,
                format!("`{ASSET_OWNER}` is reserved for \"the target asset's owner\""),
                Some("give the role another id".into()),
            );
        }
    }

    check_aliases(&mut r, matrix, &role_ids);
    let check_role = |r: &mut Collector<'_>, anchor: &str, id: &str, owner_allowed: bool| {
        if (owner_allowed && id == ASSET_OWNER) || role_ids.contains(&id) {
            return;
        }
        let hint = match matrix.aliases.iter().find(|a| a.id == id) {
            Some(alias) => format!(
                "`{id}` is an alias of `{}`; the matrix itself names roles by their own ids",
                alias.is
            ),
            None => unknown_hint(id, role_ids.iter().copied()),
        };
        r.error(
            Code::UnknownRole,
            Some(anchor),
            id,
            format!("unknown role `{id}`"),
            hint,
        );
    };

    for task in &matrix.tasks {
        let anchor = task.id.as_str();
        if task.responsible.is_empty() {
            r.error(
                Code::TaskWithoutResponsible,
                Some(anchor),
                "responsible",
                format!("task `{anchor}` has no Responsible role"),
                Some("RACI needs at least one role that does the work".into()),
            );
        }
        for id in &task.responsible {
            check_role(&mut r, anchor, id.as_str(), true);
        }
        check_role(&mut r, anchor, task.accountable.as_str(), true);
        for id in task
            .consulted
            .iter()
            .chain(&task.informed)
            .chain(&task.approvals)
            .chain(&task.approvals_any_of)
        {
            check_role(&mut r, anchor, id.as_str(), true);
        }
        lint_raci(&mut r, task);
        if let Some(minutes) = task.informed_within_mins {
            check_minutes(&mut r, anchor, "informed_within_mins", minutes, "windows");
        }
        if task.citation.trim().is_empty() {
            r.error(
                Code::MissingCitation,
                Some(anchor),
                "citation",
                format!("task `{anchor}` has no citation"),
                Some("findings quote the citation; say why the responsibility sits here".into()),
            );
        }
        if task.destroys_evidence && task.preserves_evidence {
            r.error(
                Code::ContradictoryTask,
                Some(anchor),
                "destroys_evidence",
                format!("task `{anchor}` both destroys and preserves evidence"),
                None,
            );
        }
    }

    // A decision right the tasks ignore: the approvals contradict the plan's own words.
    for role in &matrix.roles {
        let anchor = role.id.as_str();
        for task_id in &role.decides {
            let Some(task) = matrix.task(task_id.as_str()) else {
                r.error(
                    Code::UnknownTask,
                    Some(anchor),
                    task_id.as_str(),
                    format!("role `{anchor}` decides unknown task `{task_id}`"),
                    unknown_hint(task_id.as_str(), matrix.tasks.iter().map(|t| t.id.as_str())),
                );
                continue;
            };
            let honoured = |id: &RoleId| id == &role.id || id.as_str() == ASSET_OWNER;
            if !honoured(&task.accountable)
                && !task.approvals.iter().any(honoured)
                && !task.approvals_any_of.iter().any(honoured)
            {
                r.warning(
                    Code::DecisionRightIgnored,
                    Some(anchor),
                    task_id.as_str(),
                    format!(
                        "role `{anchor}` decides `{task_id}`, but that task neither makes it accountable nor asks its approval"
                    ),
                );
            }
        }
    }

    // Severity levels: 1, 2, 3 … with deadlines that never lengthen as severity rises.
    let severities = &matrix.escalation.severities;
    if severities.is_empty() {
        r.error(
            Code::EmptyMatrix,
            None,
            "severities",
            "the escalation policy defines no severity levels".into(),
            None,
        );
    }
    if severities.len() > MAX_SEVERITY_LEVELS
        && let Some(level) = severities.get(MAX_SEVERITY_LEVELS)
    {
        r.error(
            Code::NumberOutOfRange,
            Some(&level.name),
            &level.name,
            format!(
                "the escalation policy defines {} severity levels; at most {MAX_SEVERITY_LEVELS} can be told apart",
                severities.len()
            ),
            Some("incident response plans use three to five levels".into()),
        );
    }
    for (index, level) in severities.iter().enumerate() {
        let expected = u8::try_from(index + 1).unwrap_or(u8::MAX);
        if level.level != expected {
            r.error(
                Code::SeverityOrder,
                Some(&level.name),
                &level.name,
                format!(
                    "severity level {} is listed where level {expected} was expected",
                    level.level
                ),
                Some("list levels from 1 upwards without gaps".into()),
            );
        }
        for id in &level.engage {
            check_role(&mut r, &level.name, id.as_str(), false);
        }
        check_minutes(
            &mut r,
            &level.name,
            "within_mins",
            level.within_mins,
            "deadlines",
        );
        if let Some(minutes) = level.informed_within_mins {
            check_minutes(
                &mut r,
                &level.name,
                "informed_within_mins",
                minutes,
                "windows",
            );
        }
        if !level.engage.is_empty() && level.within_mins == 0 {
            r.warning(
                Code::ZeroDeadline,
                Some(&level.name),
                "within_mins",
                format!("severity `{}` gives no time to engage roles", level.name),
            );
        }
    }
    let mut previous: Option<(&str, u32)> = None;
    for level in severities.iter().filter(|s| !s.engage.is_empty()) {
        if let Some((prev_name, prev_mins)) = previous
            && level.within_mins > prev_mins
        {
            r.error(
                Code::DeadlineOrder,
                Some(&level.name),
                "within_mins",
                format!(
                    "severity `{}` allows {} min to engage roles, longer than the {prev_mins} min of the lower level `{prev_name}`",
                    level.name, level.within_mins
                ),
                Some("a higher severity must have the same or a shorter deadline".into()),
            );
        }
        previous = Some((&level.name, level.within_mins));
    }

    let trigger_ids: Vec<&str> = matrix.triggers.iter().map(|t| t.id.as_str()).collect();
    for rule in &matrix.escalation.rules {
        let anchor = rule.id.as_str();
        if !trigger_ids.contains(&rule.when.as_str()) {
            r.error(
                Code::UnknownTrigger,
                Some(anchor),
                rule.when.as_str(),
                format!("unknown trigger `{}`", rule.when),
                unknown_hint(rule.when.as_str(), trigger_ids.iter().copied()),
            );
        }
        check_minutes(&mut r, anchor, "within_mins", rule.within_mins, "deadlines");
        if rule.engage.is_empty() {
            r.error(
                Code::RuleWithoutRoles,
                Some(anchor),
                "engage",
                format!("escalation rule `{anchor}` engages nobody"),
                None,
            );
        }
        for id in &rule.engage {
            check_role(&mut r, anchor, id.as_str(), false);
        }
    }
    for (field, minutes) in [
        (
            "informed_within_mins",
            matrix.escalation.informed_within_mins,
        ),
        (
            "reclassify_within_mins",
            matrix.escalation.reclassify_within_mins,
        ),
    ] {
        check_minutes(&mut r, "escalation", field, minutes, "windows");
    }
    let over = &matrix.escalation.over_escalation;
    for id in &over.roles {
        check_role(&mut r, "over_escalation", id.as_str(), false);
    }
    // Two rules about the same act: a level that demands engaging a role the over-escalation
    // rule calls noise at that level. Grading never penalises what a rule demands, but the plan
    // contradicts itself.
    for level in severities.iter().filter(|l| l.level < over.below_severity) {
        for role in level.engage.iter().filter(|r| over.roles.contains(r)) {
            r.warning(
                Code::ConflictingRules,
                Some(&level.name),
                role.as_str(),
                format!(
                    "severity `{}` requires engaging `{role}`, which `over_escalation` calls noise below severity {}",
                    level.name, over.below_severity
                ),
            );
        }
    }
    if u16::from(over.below_severity) > u16::from(matrix.max_severity()) + 1 {
        r.error(
            Code::SeverityOutOfRange,
            Some("over_escalation"),
            "below_severity",
            format!(
                "`below_severity: {}` is above the highest severity level {}",
                over.below_severity,
                matrix.max_severity()
            ),
            None,
        );
    }

    for audience in &matrix.communication.audiences {
        let anchor = audience.id.as_str();
        if audience.senders.is_empty() {
            r.error(
                Code::AudienceWithoutSender,
                Some(anchor),
                "senders",
                format!("nobody may send to audience `{anchor}`"),
                Some("list at least one role in `senders`".into()),
            );
        }
        for id in audience
            .senders
            .iter()
            .chain(&audience.approvals)
            .chain(&audience.members)
        {
            check_role(&mut r, anchor, id.as_str(), false);
        }
        // A sender's own approval goes without saying: when every sender is an approver, the
        // approval asks nothing of anyone.
        if !audience.senders.is_empty()
            && !audience.approvals.is_empty()
            && audience
                .senders
                .iter()
                .all(|s| audience.approvals.contains(s))
        {
            r.warning(
                Code::SenderApproves,
                Some(anchor),
                "approvals",
                format!(
                    "audience `{anchor}`: every sender is also an approver, so a message needs nobody else's approval; the review the approvals stand for never happens"
                ),
            );
        }
    }
    for contact in &matrix.communication.contacts {
        let anchor = contact.party.as_str();
        for id in std::iter::once(&contact.party)
            .chain(&contact.by)
            .chain(&contact.after)
        {
            check_role(&mut r, anchor, id.as_str(), false);
        }
        if contact.by.is_empty() {
            r.error(
                Code::AudienceWithoutSender,
                Some(anchor),
                "by",
                format!("nobody may contact `{anchor}`"),
                Some("name its point of contact in `by`".into()),
            );
        }
    }

    // Bounded so the scoring arithmetic can never overflow, whatever the file says.
    for (group, values) in [
        ("weights", serde_json::to_value(&matrix.scoring.weights)),
        ("penalties", serde_json::to_value(&matrix.scoring.penalties)),
    ] {
        let Ok(serde_json::Value::Object(values)) = values else {
            continue;
        };
        for (name, value) in values {
            if value.as_u64().is_some_and(|v| v > MAX_SCORING_NUMBER) {
                // At the number itself, found field by field, never at the first mention of the
                // dimension's name elsewhere in the file.
                let at = r
                    .locator
                    .field_path(&["scoring", group, &name])
                    .unwrap_or_else(|| r.locator.find(None, "scoring"));
                r.push(
                    Level::Error,
                    Code::NumberOutOfRange,
                    at,
                    format!(
                        "{group} `{name}` is {value}; the most a {} can be is {MAX_SCORING_NUMBER}",
                        if group == "weights" {
                            "weight"
                        } else {
                            "penalty"
                        }
                    ),
                    Some("weights are relative and penalties are points: keep them small".into()),
                );
            }
        }
    }
    if matrix.scoring.mistake_floor > 100 {
        r.error(
            Code::NumberOutOfRange,
            None,
            "mistake_floor",
            format!(
                "`mistake_floor` is {}; a mistake cannot cost more than the whole total of 100",
                matrix.scoring.mistake_floor
            ),
            Some("the reference matrix uses 5; 0 scores by the share of points alone".into()),
        );
    }
    check_regimes(&mut r, matrix);
    let weights = &matrix.scoring.weights;
    if crate::engine::model::matrix::Dimension::ALL
        .iter()
        .all(|d| weights.of(*d) == 0)
    {
        r.error(
            Code::ZeroWeights,
            None,
            "weights",
            "every scoring weight is 0, so no total can be computed".into(),
            None,
        );
    }
    r.out
}

/// A regime files through a task or an audience the matrix has, and asks for at least one report.
fn check_regimes(r: &mut Collector<'_>, matrix: &Matrix) {
    r.duplicates("regime", matrix.regimes.iter().map(|x| x.id.as_str()));
    for regime in &matrix.regimes {
        let anchor = regime.id.as_str();
        if let Some(task) = &regime.task
            && matrix.task(task.as_str()).is_none()
        {
            r.error(
                Code::UnknownTask,
                Some(anchor),
                task.as_str(),
                format!("regime `{anchor}` files through unknown task `{task}`"),
                unknown_hint(task.as_str(), matrix.tasks.iter().map(|t| t.id.as_str())),
            );
        }
        if let Some(audience) = &regime.audience
            && matrix.audience(audience.as_str()).is_none()
        {
            r.error(
                Code::UnknownAudience,
                Some(anchor),
                audience.as_str(),
                format!("regime `{anchor}` files to unknown audience `{audience}`"),
                unknown_hint(
                    audience.as_str(),
                    matrix.communication.audiences.iter().map(|a| a.id.as_str()),
                ),
            );
        }
        if regime.task.is_none() && regime.audience.is_none() {
            r.error(
                Code::RegimeWithoutFiling,
                Some(anchor),
                "stages",
                format!("regime `{anchor}` says neither how a report is filed"),
                Some(
                    "name the `task` whose work files a report, the `audience` a message to which does, or both"
                        .into(),
                ),
            );
        }
        if regime.stages.is_empty() {
            r.error(
                Code::RegimeWithoutFiling,
                Some(anchor),
                "stages",
                format!("regime `{anchor}` asks for no report"),
                Some("list its reports in `stages`, each with its deadline".into()),
            );
        }
        if regime.citation.trim().is_empty() {
            r.warning(
                Code::MissingCitation,
                Some(anchor),
                "citation",
                format!("regime `{anchor}` cites no law or contract"),
            );
        }
    }
}

/// A deadline or window longer than any exercise can last is a slip (an extra digit, a number in
/// seconds). `what` names the kind of number in the hint ("deadlines", "windows").
fn check_minutes(r: &mut Collector<'_>, anchor: &str, field: &str, minutes: u32, what: &str) {
    if minutes > MAX_DURATION_MINS {
        r.error(
            Code::NumberOutOfRange,
            Some(anchor),
            field,
            format!(
                "`{field}: {minutes}` is longer than any exercise ({MAX_DURATION_MINS} minutes, a week)"
            ),
            Some(format!("{what} are in scenario minutes")),
        );
    }
}

/// RACI rows that load and grade, but not as their author meant: warnings.
fn lint_raci(r: &mut Collector<'_>, task: &TaskKind) {
    let anchor = task.id.as_str();
    for (cell, roles) in [
        ("responsible", &task.responsible),
        ("consulted", &task.consulted),
        ("informed", &task.informed),
        ("approvals", &task.approvals),
        ("approvals_any_of", &task.approvals_any_of),
    ] {
        for (index, role) in roles.iter().enumerate() {
            if roles.iter().take(index).any(|x| x == role) {
                r.warning(
                    Code::RepeatedRole,
                    Some(anchor),
                    cell,
                    format!("task `{anchor}` lists `{role}` twice in `{cell}`"),
                );
            }
        }
    }
    for role in task
        .responsible
        .iter()
        .filter(|r| r.as_str() != ASSET_OWNER)
    {
        for (cell, roles) in [("consulted", &task.consulted), ("informed", &task.informed)] {
            if roles.contains(role) {
                r.warning(
                    Code::OverlappingRaci,
                    Some(anchor),
                    cell,
                    format!(
                        "task `{anchor}`: `{role}` is Responsible and also {} — it does the work, so it needs no telling",
                        if cell == "consulted" { "Consulted" } else { "Informed" }
                    ),
                );
            }
        }
        if task.approvals.contains(role) {
            r.warning(
                Code::DoerApproves,
                Some(anchor),
                "approvals",
                format!(
                    "task `{anchor}`: `{role}` is Responsible and also a required approver, so whoever does the work approves it and every play loses points for self-approval"
                ),
            );
        }
    }
}

/// Each alias is a well-formed id that is not a role's own, named once, and stands for a real role
/// (not for another alias: one step resolves every name).
fn check_aliases(r: &mut Collector<'_>, matrix: &Matrix, role_ids: &[&str]) {
    r.duplicates("alias", matrix.aliases.iter().map(|a| a.id.as_str()));
    for alias in &matrix.aliases {
        let id = alias.id.as_str();
        if role_ids.contains(&id) || id == ASSET_OWNER {
            r.error(
                Code::DuplicateId,
                Some("aliases"),
                id,
                format!(
                    "alias `{id}` is also a role of the matrix: a name can stand for one role only"
                ),
                Some("drop the alias, or the role it would hide".into()),
            );
        }
        let target = alias.is.as_str();
        if !role_ids.contains(&target) {
            let hint = if matrix.aliases.iter().any(|a| a.id == target) {
                format!(
                    "`{target}` is itself an alias; point `{id}` at the role `{target}` stands for"
                )
            } else {
                unknown_hint(target, role_ids.iter().copied())
            };
            r.error(
                Code::UnknownRole,
                Some(id),
                target,
                format!("alias `{id}` stands for `{target}`, which is not a role of the matrix"),
                Some(hint),
            );
        }
    }
}
