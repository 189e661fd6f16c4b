//! Semantic validation of matrices and scenarios: every problem is reported with its location,
//! not only the first one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::engine::content::load::Locator;
use crate::engine::diagnostic::{Diagnostic, Level};
use crate::engine::learning::quiz::{QuestionSet, ResolveError};
use crate::engine::model::id::{AssetId, FlagId};
use crate::engine::model::matrix::{ASSET_OWNER, Matrix};
use crate::engine::model::scenario::{Condition, Inject, Release, Scenario};

/// Collects diagnostics for one file.
struct Report<'a> {
    file: &'a Path,
    locator: Locator<'a>,
    out: Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    fn new(file: &'a Path, text: &'a str) -> Self {
        Self {
            file,
            locator: Locator::new(text),
            out: Vec::new(),
        }
    }

    fn push(
        &mut self,
        level: Level,
        code: &'static str,
        (line, column): (usize, usize),
        message: String,
        hint: Option<String>,
    ) {
        self.out.push(Diagnostic {
            level,
            code,
            file: self.file.to_path_buf(),
            line,
            column,
            message,
            hint,
        });
    }

    /// An error pointing at `needle` inside the item whose id is `anchor`.
    fn error(
        &mut self,
        code: &'static str,
        anchor: Option<&str>,
        needle: &str,
        message: String,
        hint: impl Into<Option<String>>,
    ) {
        let at = self.locator.find(anchor, needle);
        self.push(Level::Error, code, at, message, hint.into());
    }

    /// Like [`Self::error`], for a problem that does not stop the file loading.
    fn warning(&mut self, code: &'static str, anchor: Option<&str>, needle: &str, message: String) {
        let at = self.locator.find(anchor, needle);
        self.push(Level::Warning, code, at, message, None);
    }

    /// Reports every id that occurs more than once, at its second occurrence.
    fn duplicates<'i>(&mut self, what: &str, ids: impl IntoIterator<Item = &'i str>) {
        let mut seen = BTreeMap::<&str, usize>::new();
        for id in ids {
            let count = seen.entry(id).or_default();
            *count += 1;
            if *count == 2 {
                let at = self.locator.nth(id, 1);
                self.push(
                    Level::Error,
                    "duplicate-id",
                    at,
                    format!("duplicate {what} id `{id}`"),
                    Some(format!("every {what} needs its own id; rename one of them")),
                );
            }
        }
    }
}

/// Suggests the closest known id, for "did you mean" hints.
fn suggest<'k>(unknown: &str, known: impl IntoIterator<Item = &'k str>) -> Option<String> {
    let best = known
        .into_iter()
        .map(|k| (edit_distance(unknown, k), k))
        .min_by_key(|(d, _)| *d)?;
    let limit = unknown.len().max(3) / 3 + 1;
    (best.0 <= limit).then(|| format!("did you mean `{}`?", best.1))
}

fn known_list<'k>(known: impl IntoIterator<Item = &'k str>) -> String {
    let all: Vec<&str> = known.into_iter().collect();
    let shown: Vec<String> = all.iter().take(12).map(|k| format!("`{k}`")).collect();
    let more = all.len().saturating_sub(12);
    if more > 0 {
        format!("known: {} and {more} more", shown.join(", "))
    } else {
        format!("known: {}", shown.join(", "))
    }
}

fn unknown_hint<'k, I>(unknown: &str, known: I) -> String
where
    I: IntoIterator<Item = &'k str> + Clone,
{
    suggest(unknown, known.clone()).unwrap_or_else(|| known_list(known))
}

fn edit_distance(a: &str, b: &str) -> usize {
    // Classic two-row Levenshtein; `zip` walks the previous row alongside the current one.
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for ((cb, diag), up) in b.iter().zip(&prev).zip(prev.iter().skip(1)) {
            let left = cur.last().copied().unwrap_or(0);
            let cost = usize::from(ca != *cb);
            cur.push((diag + cost).min(up + 1).min(left + 1));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// Validates a responsibility matrix.
pub fn validate_matrix(matrix: &Matrix, file: &Path, text: &str) -> Vec<Diagnostic> {
    let mut r = Report::new(file, text);
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
            "empty-matrix",
            None,
            "roles",
            "the matrix defines no roles".into(),
            None,
        );
    }
    for role in &matrix.roles {
        if role.id.as_str() == ASSET_OWNER {
            r.error(
                "reserved-id",
                None,
                ASSET_OWNER,
                format!("`{ASSET_OWNER}` is reserved for \"the target asset's owner\""),
                Some("give the role another id".into()),
            );
        }
    }

    let check_role = |r: &mut Report<'_>, anchor: &str, id: &str, owner_allowed: bool| {
        if (owner_allowed && id == ASSET_OWNER) || role_ids.contains(&id) {
            return;
        }
        r.error(
            "unknown-role",
            Some(anchor),
            id,
            format!("unknown role `{id}`"),
            unknown_hint(id, role_ids.iter().copied()),
        );
    };

    for task in &matrix.tasks {
        let anchor = task.id.as_str();
        if task.responsible.is_empty() {
            r.error(
                "task-without-responsible",
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
        {
            check_role(&mut r, anchor, id.as_str(), true);
        }
        if task.citation.trim().is_empty() {
            r.error(
                "missing-citation",
                Some(anchor),
                "citation",
                format!("task `{anchor}` has no citation"),
                Some("findings quote the citation; say why the responsibility sits here".into()),
            );
        }
        if task.destroys_evidence && task.preserves_evidence {
            r.error(
                "contradictory-task",
                Some(anchor),
                "destroys_evidence",
                format!("task `{anchor}` both destroys and preserves evidence"),
                None,
            );
        }
    }

    // Severity levels: 1, 2, 3 … with deadlines that never lengthen as severity rises.
    let severities = &matrix.escalation.severities;
    if severities.is_empty() {
        r.error(
            "empty-matrix",
            None,
            "severities",
            "the escalation policy defines no severity levels".into(),
            None,
        );
    }
    for (index, level) in severities.iter().enumerate() {
        let expected = u8::try_from(index + 1).unwrap_or(u8::MAX);
        if level.level != expected {
            r.error(
                "severity-order",
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
        if !level.engage.is_empty() && level.within_mins == 0 {
            r.warning(
                "zero-deadline",
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
                "deadline-order",
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
                "unknown-trigger",
                Some(anchor),
                rule.when.as_str(),
                format!("unknown trigger `{}`", rule.when),
                unknown_hint(rule.when.as_str(), trigger_ids.iter().copied()),
            );
        }
        if rule.engage.is_empty() {
            r.error(
                "rule-without-roles",
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
    let over = &matrix.escalation.over_escalation;
    for id in &over.roles {
        check_role(&mut r, "over_escalation", id.as_str(), false);
    }
    if over.below_severity > matrix.max_severity() + 1 {
        r.error(
            "severity-out-of-range",
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
                "audience-without-sender",
                Some(anchor),
                "senders",
                format!("nobody may send to audience `{anchor}`"),
                Some("list at least one role in `senders`".into()),
            );
        }
        for id in audience.senders.iter().chain(&audience.approvals) {
            check_role(&mut r, anchor, id.as_str(), false);
        }
    }

    let weights = &matrix.scoring.weights;
    if crate::engine::model::matrix::Dimension::ALL
        .iter()
        .all(|d| weights.of(*d) == 0)
    {
        r.error(
            "zero-weights",
            None,
            "weights",
            "every scoring weight is 0, so no total can be computed".into(),
            None,
        );
    }
    r.out
}

/// What a scenario makes possible, used to decide reachability.
#[derive(Default)]
struct Reach<'s> {
    injects: BTreeSet<&'s str>,
    flags: BTreeSet<&'s str>,
    actions: BTreeSet<&'s str>,
    /// (task, target) pairs some reachable action performs.
    tasks: BTreeSet<(&'s str, Option<&'s str>)>,
    max_severity: u8,
}

/// Validates a scenario against a matrix.
pub fn validate_scenario(
    scenario: &Scenario,
    matrix: &Matrix,
    file: &Path,
    text: &str,
) -> Vec<Diagnostic> {
    let mut r = Report::new(file, text);
    let s = scenario;

    // Duplicate ids, per kind; actions, messages and artifacts are unique across the scenario.
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
            "invalid-duration",
            None,
            "duration_mins",
            "`duration_mins` must be at least 1".into(),
            None,
        );
    }
    if s.modes.is_empty() {
        r.error(
            "no-modes",
            None,
            "modes",
            "the scenario names no mode it can be played in".into(),
            Some("use `modes: [Practice, Drill, Facilitated]` or a subset".into()),
        );
    }
    if s.injects.is_empty() {
        r.error(
            "no-injects",
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
            "no-opening-inject",
            None,
            "injects",
            "no inject is released by time, so the scenario can never start".into(),
            Some("release the first inject with `release: At(0)`".into()),
        );
    }

    let role_ids: Vec<&str> = matrix.roles.iter().map(|x| x.id.as_str()).collect();
    let check_role = |r: &mut Report<'_>, anchor: &str, id: &str| {
        if !role_ids.contains(&id) {
            r.error(
                "unknown-role",
                Some(anchor),
                id,
                format!("unknown role `{id}` (not in matrix `{}`)", matrix.id),
                unknown_hint(id, role_ids.iter().copied()),
            );
        }
    };
    for asset in &s.assets {
        check_role(&mut r, asset.id.as_str(), asset.owner.as_str());
    }
    for id in &s.cast {
        check_role(&mut r, "cast", id.as_str());
    }

    let asset_ids: Vec<&str> = s.assets.iter().map(|a| a.id.as_str()).collect();
    let flag_ids: Vec<&str> = s.flags.iter().map(|f| f.id.as_str()).collect();
    let task_ids: Vec<&str> = matrix.tasks.iter().map(|t| t.id.as_str()).collect();
    let trigger_ids: Vec<&str> = matrix.triggers.iter().map(|t| t.id.as_str()).collect();
    let max_sev = matrix.max_severity();

    let check_flag = |r: &mut Report<'_>, anchor: &str, id: &str| {
        if !flag_ids.contains(&id) {
            r.error(
                "unknown-flag",
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

    for variation in &s.variations {
        if variation.options.is_empty() || variation.options.iter().all(|o| o.weight == 0) {
            r.error(
                "empty-variation",
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
        if let Release::At(minute) = inject.release
            && minute > s.duration_mins
        {
            r.error(
                "beyond-end",
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
                "severity-out-of-range",
                Some(anchor),
                "severity",
                format!(
                    "severity {level} is not a level of matrix `{}` (1–{max_sev})",
                    matrix.id
                ),
                None,
            );
        }
        if inject.business_impact.is_some_and(|b| b > 100) {
            r.error(
                "impact-out-of-range",
                Some(anchor),
                "business_impact",
                "business impact is a percentage from 0 to 100".into(),
                None,
            );
        }
        for trigger in &inject.reveals {
            if !trigger_ids.contains(&trigger.as_str()) {
                r.error(
                    "unknown-trigger",
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
        check_placeholders(&mut r, s, anchor, &inject.narrative);
        for artifact in &inject.artifacts {
            check_placeholders(&mut r, s, artifact.id.as_str(), &artifact.body);
        }
        for decision in &inject.decisions {
            let d_anchor = decision.id.as_str();
            if decision.actions.is_empty() {
                r.error(
                    "decision-without-actions",
                    Some(d_anchor),
                    "actions",
                    format!("decision point `{d_anchor}` offers no actions"),
                    Some("offer at least one action, or remove the decision point".into()),
                );
            }
            if decision.expires_after_mins == Some(0) {
                r.error(
                    "deadline-order",
                    Some(d_anchor),
                    "expires_after_mins",
                    format!("decision point `{d_anchor}` expires the moment it is released"),
                    Some("give the player at least one minute".into()),
                );
            }
            for action in &decision.actions {
                let a_anchor = action.id.as_str();
                if !task_ids.contains(&action.task.as_str()) {
                    r.error(
                        "unknown-task",
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
                    && !asset_ids.contains(&target.as_str())
                {
                    r.error(
                        "unknown-asset",
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
            check_condition_refs(&mut r, s, matrix, anchor, condition);
        }
    }

    check_reachability(&mut r, s);
    r.out
}

/// Validates a question set against the matrix: every question resolves, its stated answer is one
/// of its options, and (a warning) agrees with what the matrix says.
pub fn validate_question_set(
    set: &QuestionSet,
    matrix: &Matrix,
    file: &Path,
    text: &str,
) -> Vec<Diagnostic> {
    let mut r = Report::new(file, text);
    if set.questions.is_empty() {
        r.error(
            "no-questions",
            None,
            "questions",
            format!("question set `{}` has no questions", set.id),
            "add at least one `Question(…)`".to_owned(),
        );
    }
    r.duplicates("question", set.questions.iter().map(|q| q.id.as_str()));
    let role_ids = || matrix.roles.iter().map(|x| x.id.as_str());
    for q in &set.questions {
        let anchor = Some(q.id.as_str());
        for role in &q.roles {
            if matrix.role(role.as_str()).is_none() {
                r.error(
                    "unknown-role",
                    anchor,
                    role.as_str(),
                    format!("question `{}` is tagged with unknown role `{role}`", q.id),
                    unknown_hint(role.as_str(), role_ids()),
                );
            }
        }
        if q.roles.is_empty() {
            r.warning(
                "untagged-question",
                None,
                q.id.as_str(),
                format!(
                    "question `{}` has no `roles`; progress per role will not count it",
                    q.id
                ),
            );
        }
        if q.situation.trim().is_empty() {
            r.error(
                "empty-situation",
                None,
                q.id.as_str(),
                format!("question `{}` has no situation", q.id),
                "describe the scene in one paragraph".to_owned(),
            );
        }
        let resolved = match q.resolve(matrix) {
            Ok(resolved) => resolved,
            Err(e) => {
                let (code, needle, hint) = match &e {
                    ResolveError::Unknown { kind, id } => {
                        let hint = match *kind {
                            "role" => unknown_hint(id, role_ids()),
                            "task" => unknown_hint(id, matrix.tasks.iter().map(|t| t.id.as_str())),
                            "trigger" => {
                                unknown_hint(id, matrix.triggers.iter().map(|t| t.id.as_str()))
                            }
                            "audience" => unknown_hint(
                                id,
                                matrix.communication.audiences.iter().map(|a| a.id.as_str()),
                            ),
                            _ => format!("severity levels run from 1 to {}", matrix.max_severity()),
                        };
                        let code = match *kind {
                            "role" => "unknown-role",
                            "task" => "unknown-task",
                            "trigger" => "unknown-trigger",
                            "audience" => "unknown-audience",
                            _ => "severity-out-of-range",
                        };
                        (code, id.clone(), hint)
                    }
                    ResolveError::OwnerNeeded(task) => (
                        "owner-needed",
                        task.0.clone(),
                        "add `owner: \"<role id>\"` to the ask".to_owned(),
                    ),
                    ResolveError::Malformed(_) => (
                        "malformed-question",
                        q.id.0.clone(),
                        "see the question format in docs/format.md".to_owned(),
                    ),
                    ResolveError::Undecided(_) => (
                        "undecided-question",
                        q.id.0.clone(),
                        "ask something the matrix decides, or make it a `Judgement` question"
                            .to_owned(),
                    ),
                };
                r.error(
                    code,
                    anchor,
                    &needle,
                    format!("question `{}`: {e}", q.id),
                    hint,
                );
                continue;
            }
        };
        let keys: Vec<&str> = resolved.choices.iter().map(|c| c.key.as_str()).collect();
        for given in &q.answer {
            if !keys.contains(&given.as_str()) {
                r.error(
                    "unknown-answer",
                    anchor,
                    "answer",
                    format!(
                        "question `{}`: answer `{given}` is not one of its options",
                        q.id
                    ),
                    format!("options are {}", keys.join(", ")),
                );
            }
        }
        if q.answer.is_empty() {
            r.error(
                "missing-answer",
                None,
                q.id.as_str(),
                format!("question `{}` states no answer", q.id),
                "write the expected answer; matrix-derived questions are checked against it"
                    .to_owned(),
            );
        }
        let mut stated: Vec<&str> = q.answer.iter().map(String::as_str).collect();
        stated.sort_unstable();
        let mut derived = resolved.correct_keys();
        derived.sort_unstable();
        if q.is_derived() && !q.answer.is_empty() && stated != derived {
            r.warning(
                "answer-differs-from-matrix",
                anchor,
                "answer",
                format!(
                    "question `{}`: the file says {} but the matrix says {}; the matrix's answer is used",
                    q.id,
                    stated.join(", "),
                    derived.join(", ")
                ),
            );
        }
    }
    r.out
}

fn check_placeholders(r: &mut Report<'_>, s: &Scenario, anchor: &str, text: &str) {
    for name in placeholders(text) {
        if !s.variations.iter().any(|v| v.id.as_str() == name) {
            r.error(
                "unknown-variation",
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

fn check_condition_refs(
    r: &mut Report<'_>,
    s: &Scenario,
    matrix: &Matrix,
    anchor: &str,
    condition: &Condition,
) {
    match condition {
        Condition::Flag(flag) => {
            if !s.flags.iter().any(|f| f.id == *flag) {
                r.error(
                    "unknown-flag",
                    Some(anchor),
                    flag.as_str(),
                    format!("unknown flag `{flag}`"),
                    Some("declare it in `flags: [...]`".into()),
                );
            }
        }
        Condition::Released(id) => {
            if s.inject(id.as_str()).is_none() {
                r.error(
                    "unknown-inject",
                    Some(anchor),
                    id.as_str(),
                    format!("unknown inject `{id}`"),
                    unknown_hint(id.as_str(), s.injects.iter().map(|i| i.id.as_str())),
                );
            } else if id.as_str() == anchor {
                r.error(
                    "impossible-condition",
                    Some(anchor),
                    id.as_str(),
                    format!("inject `{anchor}` waits for its own release"),
                    None,
                );
            }
        }
        Condition::ActionDone(id) => {
            if s.action(id.as_str()).is_none() {
                r.error(
                    "unknown-action",
                    Some(anchor),
                    id.as_str(),
                    format!("unknown action `{id}`"),
                    unknown_hint(
                        id.as_str(),
                        s.actions()
                            .map(|(_, _, a)| a.id.as_str())
                            .collect::<Vec<_>>(),
                    ),
                );
            }
        }
        Condition::TaskDone(task, asset) => {
            if matrix.task(task.as_str()).is_none() {
                r.error(
                    "unknown-task",
                    Some(anchor),
                    task.as_str(),
                    format!("unknown task kind `{task}`"),
                    unknown_hint(task.as_str(), matrix.tasks.iter().map(|t| t.id.as_str())),
                );
            }
            if let Some(asset) = asset
                && s.asset(asset.as_str()).is_none()
            {
                r.error(
                    "unknown-asset",
                    Some(anchor),
                    asset.as_str(),
                    format!("unknown asset `{asset}`"),
                    unknown_hint(asset.as_str(), s.assets.iter().map(|a| a.id.as_str())),
                );
            }
        }
        Condition::Engaged(role) => {
            if matrix.role(role.as_str()).is_none() {
                r.error(
                    "unknown-role",
                    Some(anchor),
                    role.as_str(),
                    format!("unknown role `{role}`"),
                    unknown_hint(role.as_str(), matrix.roles.iter().map(|x| x.id.as_str())),
                );
            }
        }
        Condition::SeverityAtLeast(level) => {
            if *level == 0 || *level > matrix.max_severity() {
                r.error(
                    "severity-out-of-range",
                    Some(anchor),
                    "SeverityAtLeast",
                    format!("severity {level} is not a level of matrix `{}`", matrix.id),
                    None,
                );
            }
        }
        Condition::Variant(variation, option) => {
            match s.variations.iter().find(|v| v.id == *variation) {
                None => r.error(
                    "unknown-variation",
                    Some(anchor),
                    variation.as_str(),
                    format!("unknown variation `{variation}`"),
                    None,
                ),
                Some(v) if !v.options.iter().any(|o| o.id == *option) => r.error(
                    "unknown-variation",
                    Some(anchor),
                    option.as_str(),
                    format!("variation `{variation}` has no option `{option}`"),
                    unknown_hint(option.as_str(), v.options.iter().map(|o| o.id.as_str())),
                ),
                Some(_) => {}
            }
        }
        Condition::All(items) | Condition::Any(items) => {
            for item in items {
                check_condition_refs(r, s, matrix, anchor, item);
            }
        }
        Condition::Not(inner) => check_condition_refs(r, s, matrix, anchor, inner),
        Condition::MinuteAtLeast(_) | Condition::MinuteBefore(_) => {}
    }
}

/// Why a condition can never hold regardless of what the player does, if it cannot.
fn never_holds(c: &Condition, s: &Scenario) -> Option<String> {
    let end = s.duration_mins;
    match c {
        Condition::MinuteAtLeast(m) if *m > end => Some(format!(
            "minute {m} is after the scenario ends at minute {end}"
        )),
        Condition::MinuteBefore(0) => Some("no minute is before minute 0".into()),
        Condition::Flag(f) => {
            let set_anywhere = s.injects.iter().any(|i| i.sets.contains(f))
                || s.actions().any(|(_, _, a)| a.sets.contains(f));
            (!set_anywhere).then(|| format!("nothing in the scenario ever sets flag `{f}`"))
        }
        Condition::TaskDone(task, asset) => {
            let offered = s.actions().any(|(_, _, a)| {
                a.task == *task && asset.as_ref().is_none_or(|x| a.target.as_ref() == Some(x))
            });
            (!offered)
                .then(|| format!("no action in the scenario performs `{task}` on that target"))
        }
        Condition::Variant(v, o) => s
            .variations
            .iter()
            .find(|x| x.id == *v)
            .and_then(|x| x.options.iter().find(|opt| opt.id == *o))
            .filter(|opt| opt.weight == 0)
            .map(|_| format!("option `{o}` of `{v}` has weight 0 and is never drawn")),
        Condition::All(items) => {
            if let Some(why) = items.iter().find_map(|i| never_holds(i, s)) {
                return Some(why);
            }
            let lower = items
                .iter()
                .filter_map(|i| match i {
                    Condition::MinuteAtLeast(m) => Some(*m),
                    _ => None,
                })
                .max();
            let upper = items
                .iter()
                .filter_map(|i| match i {
                    Condition::MinuteBefore(m) => Some(*m),
                    _ => None,
                })
                .min();
            if let (Some(lo), Some(hi)) = (lower, upper)
                && lo >= hi
            {
                return Some(format!(
                    "it needs minute {lo} or later and also before minute {hi}"
                ));
            }
            items.iter().find_map(|i| match i {
                Condition::Not(inner) if items.contains(inner) => {
                    Some("it requires a condition and its negation at once".into())
                }
                _ => None,
            })
        }
        Condition::Any(items) => {
            if items.is_empty() {
                return Some("`Any([])` has no alternative that could hold".into());
            }
            let reasons: Vec<String> = items.iter().filter_map(|i| never_holds(i, s)).collect();
            (reasons.len() == items.len()).then(|| reasons.join("; and "))
        }
        Condition::Not(inner) => match inner.as_ref() {
            Condition::MinuteAtLeast(0) => Some("every minute is at least minute 0".into()),
            Condition::MinuteBefore(m) if *m > end => Some(format!(
                "the scenario ends at minute {end}, always before minute {m}"
            )),
            _ => None,
        },
        _ => None,
    }
}

fn satisfiable(c: &Condition, s: &Scenario, reach: &Reach<'_>) -> bool {
    match c {
        Condition::Flag(f) => reach.flags.contains(f.as_str()),
        Condition::Released(i) => reach.injects.contains(i.as_str()),
        Condition::ActionDone(a) => reach.actions.contains(a.as_str()),
        Condition::TaskDone(t, asset) => reach.tasks.iter().any(|(task, target)| {
            *task == t.as_str() && asset.as_ref().is_none_or(|x| *target == Some(x.as_str()))
        }),
        Condition::SeverityAtLeast(level) => reach.max_severity >= *level,
        Condition::All(items) => items.iter().all(|i| satisfiable(i, s, reach)),
        Condition::Any(items) => items.iter().any(|i| satisfiable(i, s, reach)),
        _ => never_holds(c, s).is_none(),
    }
}

fn mark_reachable<'s>(reach: &mut Reach<'s>, inject: &'s Inject) {
    reach.injects.insert(inject.id.as_str());
    reach.flags.extend(inject.sets.iter().map(FlagId::as_str));
    if let Some(level) = inject.severity {
        reach.max_severity = reach.max_severity.max(level);
    }
    for action in inject.decisions.iter().flat_map(|d| &d.actions) {
        reach.actions.insert(action.id.as_str());
        reach.flags.extend(action.sets.iter().map(FlagId::as_str));
        reach.tasks.insert((
            action.task.as_str(),
            action.target.as_ref().map(AssetId::as_str),
        ));
    }
}

fn check_reachability(r: &mut Report<'_>, s: &Scenario) {
    let mut impossible = BTreeSet::new();
    for inject in &s.injects {
        if let Release::When(condition) = &inject.release
            && let Some(why) = never_holds(condition, s)
        {
            impossible.insert(inject.id.as_str());
            r.error(
                "impossible-condition",
                Some(inject.id.as_str()),
                "When",
                format!(
                    "the release condition of inject `{}` can never hold: {why}",
                    inject.id
                ),
                Some("fix the condition, or release the inject by time".into()),
            );
        }
    }

    let mut reach = Reach {
        max_severity: 1,
        ..Reach::default()
    };
    loop {
        let before = reach.injects.len();
        for inject in &s.injects {
            if reach.injects.contains(inject.id.as_str()) {
                continue;
            }
            let releasable = match &inject.release {
                Release::At(m) => *m <= s.duration_mins,
                Release::When(c) => satisfiable(c, s, &reach),
            };
            if releasable {
                mark_reachable(&mut reach, inject);
            }
        }
        if reach.injects.len() == before {
            break;
        }
    }
    for inject in &s.injects {
        let id = inject.id.as_str();
        let timed_out = matches!(inject.release, Release::At(m) if m > s.duration_mins);
        if !reach.injects.contains(id) && !impossible.contains(id) && !timed_out {
            r.error(
                "unreachable-inject",
                Some(id),
                id,
                format!("inject `{id}` can never be released: its condition depends on injects, flags or actions that are themselves unreachable"),
                Some("check the chain of `Released`, `Flag` and `ActionDone` conditions leading to it".into()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_find_close_ids() {
        assert_eq!(
            suggest("lgeal", ["legal", "soc", "it_ops"]),
            Some("did you mean `legal`?".into())
        );
        assert_eq!(suggest("zzzzzz", ["legal", "soc"]), None);
    }

    #[test]
    fn placeholders_are_identifiers_only() {
        let found: Vec<&str> = placeholders("host {entry_host} said {\"json\": 1} {x1}").collect();
        assert_eq!(found, ["entry_host", "x1"]);
    }
}
