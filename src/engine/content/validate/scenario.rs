//! Validation of a scenario against a matrix: references, placeholders, and reachability.

use std::collections::HashSet;
use std::path::Path;

use crate::engine::diagnostic::{Code, Diagnostic};
use crate::engine::model::matrix::{Matrix, Span};
use crate::engine::model::scenario::{Release, Scenario};

use super::collector::{Collector, unknown_hint};
use super::conditions::{Known, check_condition_refs, check_reachability};

/// Longest scenario accepted: a week. Deadlines and decision windows are bounded by it too.
pub const MAX_DURATION_MINS: u32 = 7 * 24 * 60;

/// Largest weight of a variation option: the weights of a variation add up without overflow.
pub const MAX_VARIANT_WEIGHT: u32 = 1_000_000;

/// Validates a scenario against a matrix.
pub fn validate_scenario(
    scenario: &Scenario,
    matrix: &Matrix,
    file: &Path,
    text: &str,
) -> Vec<Diagnostic> {
    let mut r = Collector::new(file, text);
    let s = scenario;
    check_local_tasks(&mut r, s, matrix);
    // The scenario's own tasks count as the matrix's from here on, as they do in play.
    let extended;
    let matrix = if s.tasks.is_empty() {
        matrix
    } else {
        extended = crate::engine::model::local_task::with_local_tasks(
            std::sync::Arc::new(matrix.clone()),
            &s.tasks,
        );
        &extended
    };

    // Duplicate ids, per kind; actions, messages and artifacts are unique across the scenario.
    r.duplicates("scenario", [s.id.as_str()]);
    r.duplicates("inject", s.injects.iter().map(|i| i.id.as_str()));
    r.duplicates("asset", s.assets.iter().map(|a| a.id.as_str()));
    r.duplicates("flag", s.flags.iter().map(|f| f.id.as_str()));
    r.duplicates("variation", s.variations.iter().map(|v| v.id.as_str()));
    r.duplicates("objective", s.objectives.iter().map(|o| o.id.as_str()));
    r.duplicates(
        "decision",
        s.injects
            .iter()
            .flat_map(|i| i.decisions.iter().map(|d| d.id.as_str())),
    );
    r.duplicates("action", s.actions().map(|(_, _, a)| a.id.as_str()));
    r.duplicates(
        "message",
        s.injects
            .iter()
            .flat_map(|i| i.messages.iter().map(|m| m.id.as_str())),
    );
    r.duplicates(
        "artifact",
        s.injects
            .iter()
            .flat_map(|i| i.artifacts.iter().map(|a| a.id.as_str())),
    );
    for variation in &s.variations {
        r.duplicates(
            "variation option",
            variation.options.iter().map(|o| o.id.as_str()),
        );
    }

    if s.duration_mins == 0 {
        r.error(
            Code::InvalidDuration,
            None,
            "duration_mins",
            "`duration_mins` must be at least 1".into(),
            None,
        );
    } else if s.duration_mins > MAX_DURATION_MINS {
        r.error(
            Code::InvalidDuration,
            None,
            "duration_mins",
            format!(
                "`duration_mins` is {}; an exercise lasts at most {MAX_DURATION_MINS} minutes (a week)",
                s.duration_mins
            ),
            Some("exercises longer than a week are split into several scenarios".into()),
        );
    }
    check_start_and_reporting(&mut r, s, matrix);
    if s.modes.is_empty() {
        r.error(
            Code::NoModes,
            None,
            "modes",
            "the scenario names no mode it can be played in".into(),
            Some("use `modes: [Practice, Drill, Facilitated]` or a subset".into()),
        );
    }
    if s.injects.is_empty() {
        r.error(
            Code::NoInjects,
            None,
            "injects",
            "the scenario has no injects".into(),
            None,
        );
    } else if !s
        .injects
        .iter()
        .any(|i| matches!(i.release, Release::At(_)))
    {
        r.error(
            Code::NoOpeningInject,
            None,
            "injects",
            "no inject is released by time, so the scenario can never start".into(),
            Some("release the first inject with `release: At(0)`".into()),
        );
    }

    let known = Known::of(s);
    let role_ids: Vec<&str> = matrix.roles.iter().map(|x| x.id.as_str()).collect();
    let role_set: HashSet<&str> = role_ids.iter().copied().collect();
    let check_role = |r: &mut Collector<'_>, anchor: &str, id: &str| {
        if !role_set.contains(id) {
            r.error(
                Code::UnknownRole,
                Some(anchor),
                id,
                format!("unknown role `{id}` (not in matrix `{}`)", matrix.id),
                unknown_hint(id, role_ids.iter().copied()),
            );
        }
    };
    for asset in &s.assets {
        if let Some(owner) = &asset.owner {
            check_role(&mut r, asset.id.as_str(), owner.as_str());
        }
    }
    for (_, _, action) in s.actions() {
        if let Some(owner) = &action.records_owner {
            check_role(&mut r, action.id.as_str(), owner.as_str());
            if action.target.is_none() {
                r.error(
                    Code::OwnerNeverRecorded,
                    Some(action.id.as_str()),
                    "records_owner",
                    format!(
                        "action `{}` records an owner but has no `target` asset to record it for",
                        action.id
                    ),
                    Some("name the asset in `target`".into()),
                );
            }
        }
    }
    for asset in s.assets.iter().filter(|a| a.owner.is_none()) {
        let recorded = s
            .actions()
            .any(|(_, _, a)| a.records_owner.is_some() && a.target.as_ref() == Some(&asset.id));
        if !recorded {
            r.error(
                Code::OwnerNeverRecorded,
                Some(asset.id.as_str()),
                asset.id.as_str(),
                format!(
                    "asset `{}` has no owner and no action records one, so the gap can never be closed",
                    asset.id
                ),
                Some("give it an `owner`, or offer an action with `records_owner` targeting it".into()),
            );
        }
    }
    for id in &s.cast {
        check_role(&mut r, "cast", id.as_str());
    }
    r.duplicates(
        "discussion question",
        s.discussion.iter().map(|d| d.id.as_str()),
    );
    for question in &s.discussion {
        let anchor = question.id.as_str();
        if s.inject(question.after.as_str()).is_none() {
            r.error(
                Code::UnknownInject,
                Some(anchor),
                question.after.as_str(),
                format!(
                    "discussion question `{anchor}` comes after inject `{}`, which this scenario does not have",
                    question.after
                ),
                unknown_hint(
                    question.after.as_str(),
                    s.injects.iter().map(|i| i.id.as_str()),
                ),
            );
        }
        for id in &question.roles {
            check_role(&mut r, anchor, id.as_str());
        }
    }

    let asset_ids: Vec<&str> = s.assets.iter().map(|a| a.id.as_str()).collect();
    let flag_ids: Vec<&str> = s.flags.iter().map(|f| f.id.as_str()).collect();
    let task_ids: Vec<&str> = matrix.tasks.iter().map(|t| t.id.as_str()).collect();
    let trigger_ids: Vec<&str> = matrix.triggers.iter().map(|t| t.id.as_str()).collect();
    let max_sev = matrix.max_severity();
    // Sets for membership; the lists keep file order, so "did you mean" is the same every run.
    let [asset_set, task_set, trigger_set]: [HashSet<&str>; 3] =
        [&asset_ids, &task_ids, &trigger_ids].map(|ids| ids.iter().copied().collect());

    let check_flag = |r: &mut Collector<'_>, anchor: &str, id: &str| {
        if !known.declared_flags.contains(id) {
            r.error(
                Code::UnknownFlag,
                Some(anchor),
                id,
                format!("unknown flag `{id}`"),
                Some(format!(
                    "declare it in `flags: [...]`; {}",
                    unknown_hint(id, flag_ids.iter().copied())
                )),
            );
        }
    };

    // Channels: graded like a matrix audience, so they name one and never shadow one.
    r.duplicates("channel", s.channels.iter().map(|c| c.id.as_str()));
    let audience_ids: Vec<&str> = matrix
        .communication
        .audiences
        .iter()
        .map(|a| a.id.as_str())
        .chain(s.channels.iter().map(|c| c.id.as_str()))
        .collect();
    for channel in &s.channels {
        let anchor = channel.id.as_str();
        if matrix.audience(anchor).is_some() {
            r.error(
                Code::DuplicateId,
                Some(anchor),
                anchor,
                format!(
                    "channel `{anchor}` has the id of an audience of matrix `{}`",
                    matrix.id
                ),
                Some("give the channel its own id; `like` says whose rules it follows".into()),
            );
        }
        if matrix.audience(channel.like.as_str()).is_none() {
            r.error(
                Code::UnknownAudience,
                Some(anchor),
                channel.like.as_str(),
                format!(
                    "channel `{anchor}` is like `{}`, which is not an audience of matrix `{}`",
                    channel.like, matrix.id
                ),
                unknown_hint(
                    channel.like.as_str(),
                    matrix.communication.audiences.iter().map(|a| a.id.as_str()),
                ),
            );
        }
    }

    for variation in &s.variations {
        for option in variation
            .options
            .iter()
            .filter(|o| o.weight > MAX_VARIANT_WEIGHT)
        {
            r.error(
                Code::NumberOutOfRange,
                Some(option.id.as_str()),
                "weight",
                format!(
                    "option `{}` of `{}` has weight {}; the most is {MAX_VARIANT_WEIGHT}",
                    option.id, variation.id, option.weight
                ),
                Some("weights are relative: 1 and 3 mean one chance in four".into()),
            );
        }
        if variation.options.is_empty() || variation.options.iter().all(|o| o.weight == 0) {
            r.error(
                Code::EmptyVariation,
                Some(variation.id.as_str()),
                variation.id.as_str(),
                format!(
                    "variation `{}` has no option that can be drawn",
                    variation.id
                ),
                Some("give at least one option a weight above 0".into()),
            );
        }
    }

    for inject in &s.injects {
        let anchor = inject.id.as_str();
        for role in &inject.to {
            check_role(&mut r, anchor, role.as_str());
        }
        if let Release::At(minute) = inject.release
            && minute > s.duration_mins
        {
            r.error(
                Code::BeyondEnd,
                Some(anchor),
                "At",
                format!(
                    "inject `{anchor}` is released at minute {minute}, after the scenario ends at minute {}",
                    s.duration_mins
                ),
                Some("move it earlier or lengthen `duration_mins`".into()),
            );
        }
        if let Some(level) = inject.severity
            && (level == 0 || level > max_sev)
        {
            r.error(
                Code::SeverityOutOfRange,
                Some(anchor),
                "severity",
                format!(
                    "severity {level} is not a level of matrix `{}` (1–{max_sev})",
                    matrix.id
                ),
                None,
            );
        }
        for notice in inject
            .notify
            .iter()
            .filter(|n| n.within_mins > MAX_DURATION_MINS)
        {
            r.error(
                Code::NumberOutOfRange,
                Some(anchor),
                "within_mins",
                format!(
                    "the notice to `{}` is due after {} minutes, longer than any exercise ({MAX_DURATION_MINS})",
                    notice.audience, notice.within_mins
                ),
                Some("deadlines are in scenario minutes".into()),
            );
        }
        if inject.business_impact.is_some_and(|b| b > 100) {
            r.error(
                Code::ImpactOutOfRange,
                Some(anchor),
                "business_impact",
                "business impact is a percentage from 0 to 100".into(),
                None,
            );
        }
        for trigger in &inject.reveals {
            if !trigger_set.contains(trigger.as_str()) {
                r.error(
                    Code::UnknownTrigger,
                    Some(anchor),
                    trigger.as_str(),
                    format!(
                        "unknown trigger `{trigger}` (not in matrix `{}`)",
                        matrix.id
                    ),
                    unknown_hint(trigger.as_str(), trigger_ids.iter().copied()),
                );
            }
        }
        for flag in &inject.sets {
            check_flag(&mut r, anchor, flag.as_str());
        }
        for notice in &inject.notify {
            let audience = notice.audience.as_str();
            if !audience_ids.contains(&audience) {
                r.error(
                    Code::UnknownAudience,
                    Some(anchor),
                    audience,
                    format!(
                        "unknown audience `{audience}` (not in matrix `{}` nor a channel of this scenario)",
                        matrix.id
                    ),
                    unknown_hint(audience, audience_ids.iter().copied()),
                );
            }
            if notice.within_mins == 0 {
                r.error(
                    Code::DeadlineOrder,
                    Some(anchor),
                    "within_mins",
                    format!("the notice to `{audience}` is due the moment `{anchor}` is released"),
                    Some("give the player at least one minute".into()),
                );
            }
        }
        check_placeholders(&mut r, s, anchor, &inject.narrative);
        for artifact in &inject.artifacts {
            check_placeholders(&mut r, s, artifact.id.as_str(), &artifact.body);
        }
        for decision in &inject.decisions {
            let d_anchor = decision.id.as_str();
            if decision.actions.is_empty() {
                r.error(
                    Code::DecisionWithoutActions,
                    Some(d_anchor),
                    "actions",
                    format!("decision point `{d_anchor}` offers no actions"),
                    Some("offer at least one action, or remove the decision point".into()),
                );
            }
            if let Some(window) = decision
                .expires_after_mins
                .filter(|w| *w > MAX_DURATION_MINS)
            {
                r.error(
                    Code::NumberOutOfRange,
                    Some(d_anchor),
                    "expires_after_mins",
                    format!(
                        "decision point `{d_anchor}` stays open {window} minutes, longer than any exercise ({MAX_DURATION_MINS})"
                    ),
                    Some("windows are in scenario minutes".into()),
                );
            }
            if decision.expires_after_mins == Some(0) {
                r.error(
                    Code::DeadlineOrder,
                    Some(d_anchor),
                    "expires_after_mins",
                    format!("decision point `{d_anchor}` expires the moment it is released"),
                    Some("give the player at least one minute".into()),
                );
            }
            if !decision.actions.is_empty()
                && decision.actions.iter().all(|a| a.misdirected.is_some())
            {
                r.error(
                    Code::DecisionWithoutActions,
                    Some(d_anchor),
                    "actions",
                    format!("decision point `{d_anchor}` offers no option that resolves it"),
                    Some(
                        "every option is `misdirected`; offer at least one that resolves it".into(),
                    ),
                );
            }
            for action in &decision.actions {
                let a_anchor = action.id.as_str();
                if let Some(wrong) = &action.misdirected {
                    let resolving: Vec<&str> = decision
                        .actions
                        .iter()
                        .filter(|a| a.misdirected.is_none())
                        .map(|a| a.id.as_str())
                        .collect();
                    if !resolving.contains(&wrong.instead.as_str()) {
                        r.error(
                            Code::UnknownAction,
                            Some(a_anchor),
                            wrong.instead.as_str(),
                            format!(
                                "`instead: \"{}\"` of `{a_anchor}` is not an option of decision `{d_anchor}` that resolves it",
                                wrong.instead
                            ),
                            unknown_hint(wrong.instead.as_str(), resolving.iter().copied()),
                        );
                    }
                }
                if !task_set.contains(action.task.as_str()) {
                    r.error(
                        Code::UnknownTask,
                        Some(a_anchor),
                        action.task.as_str(),
                        format!(
                            "unknown task kind `{}` (not in matrix `{}`)",
                            action.task, matrix.id
                        ),
                        unknown_hint(action.task.as_str(), task_ids.iter().copied()),
                    );
                }
                if let Some(target) = &action.target
                    && !asset_set.contains(target.as_str())
                {
                    r.error(
                        Code::UnknownAsset,
                        Some(a_anchor),
                        target.as_str(),
                        format!("unknown asset `{target}`"),
                        unknown_hint(target.as_str(), asset_ids.iter().copied()),
                    );
                }
                for flag in &action.sets {
                    check_flag(&mut r, a_anchor, flag.as_str());
                }
            }
        }
        if let Release::When(condition) = &inject.release {
            check_condition_refs(&mut r, s, matrix, &known, (anchor, true), condition);
        }
    }

    check_reachability(&mut r, s, &known);
    r.out
}

/// The start reads as a time of day, and every reporting clock an inject starts is a regime of
/// the matrix that this scenario can count (business days need the weekday).
fn check_start_and_reporting(r: &mut Collector<'_>, s: &Scenario, matrix: &Matrix) {
    if let Some(start) = &s.start
        && start.minute_of_day().is_none()
    {
        r.error(
            Code::BadStartTime,
            Some("start"),
            &start.time,
            format!("`time: \"{}\"` is not a time of day", start.time),
            Some("write it as `HH:MM` on a 24-hour clock, such as \"14:02\"".into()),
        );
    }
    let regime_ids = || matrix.regimes.iter().map(|x| x.id.as_str());
    for inject in &s.injects {
        for id in &inject.starts_reporting {
            let Some(regime) = matrix.regime(id.as_str()) else {
                r.error(
                    Code::UnknownRegime,
                    Some(inject.id.as_str()),
                    id.as_str(),
                    format!("unknown regime `{id}` (not in matrix `{}`)", matrix.id),
                    unknown_hint(id.as_str(), regime_ids()),
                );
                continue;
            };
            let counts_business_days = regime
                .stages
                .iter()
                .any(|stage| matches!(stage.within, Span::BusinessDays(_)));
            if counts_business_days && s.start.is_none() {
                r.error(
                    Code::BadStartTime,
                    Some(inject.id.as_str()),
                    id.as_str(),
                    format!(
                        "regime `{id}` counts business days, but the scenario does not say on which weekday it starts"
                    ),
                    Some("add `start: (weekday: Monday, time: \"09:00\")` to the scenario".into()),
                );
            }
        }
    }
}

fn check_placeholders(r: &mut Collector<'_>, s: &Scenario, anchor: &str, text: &str) {
    for name in placeholders(text) {
        if !s.variations.iter().any(|v| v.id.as_str() == name) {
            r.error(
                Code::UnknownVariation,
                Some(anchor),
                &format!("{{{name}}}"),
                format!("placeholder `{{{name}}}` names no variation"),
                Some("declare it in `variations: [...]` or fix the spelling".into()),
            );
        }
    }
}

/// The `{name}` placeholders in a text (identifiers only, so JSON-like braces are left alone).
pub fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|rest| {
        let (name, _) = rest.split_once('}')?;
        let ident = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        ident.then_some(name)
    })
}

/// A scenario task has an id of its own (not the matrix's) and is like a task the matrix has.
fn check_local_tasks(r: &mut Collector<'_>, s: &Scenario, matrix: &Matrix) {
    r.duplicates("scenario task", s.tasks.iter().map(|t| t.id.as_str()));
    for task in &s.tasks {
        let anchor = task.id.as_str();
        if matrix.task(anchor).is_some() {
            r.error(
                Code::DuplicateId,
                Some(anchor),
                anchor,
                format!("scenario task `{anchor}` has the id of a matrix task"),
                Some("give the scenario's task an id of its own".into()),
            );
        }
        if matrix.task(task.like.as_str()).is_none() {
            r.error(
                Code::UnknownTask,
                Some(anchor),
                task.like.as_str(),
                format!(
                    "scenario task `{anchor}` is like `{}`, which the matrix does not have",
                    task.like
                ),
                unknown_hint(
                    task.like.as_str(),
                    matrix.tasks.iter().map(|t| t.id.as_str()),
                ),
            );
        }
    }
}
