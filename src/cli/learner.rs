//! `warroom quiz` and `warroom progress`: the question bank in the terminal, and the learner's
//! progress from the database.

use crate::engine::text::count;
use std::collections::BTreeSet;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use crate::engine::content::library::Library;
use crate::engine::learning::practice::{Sitting, due_count, plan_sitting};
use crate::engine::learning::progress::render_text;
use crate::engine::model::id::QuestionId;
use crate::engine::model::quiz::{Question, QuestionSet, Resolved, letter};
use crate::store::progress_db::{ProgressDb, default_path};
use crate::store::{Answered, default_profile, empty_report, unix_now};

use super::output::{
    EXIT_INVALID, EXIT_OK, EXIT_USAGE, Format, content_paths, write_diagnostics, write_json,
};

/// Options of `warroom quiz`.
#[derive(Debug, Clone, clap::Args)]
pub struct QuizArgs {
    /// Only questions of these sets (ids; default: the whole bank).
    #[arg(long = "set", value_name = "ID")]
    pub sets: Vec<String>,
    /// Questions in the sitting (missed ones come back on top of these).
    #[arg(long, default_value_t = 10)]
    pub count: usize,
    /// Seed for the order of new questions (default: from the clock; printed so it can be reused).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Learner profile (default: the OS user name).
    #[arg(long)]
    pub profile: Option<String>,
    /// Progress database (default: in the platform data directory).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Do not read or write the progress database.
    #[arg(long)]
    pub no_record: bool,
    /// Content directory (default: scenarios/).
    #[arg(long, value_name = "DIR")]
    pub content: Option<PathBuf>,
}

/// Options of `warroom progress`.
#[derive(Debug, Clone, clap::Args)]
pub struct ProgressArgs {
    /// Learner profile (default: the OS user name).
    #[arg(long)]
    pub profile: Option<String>,
    /// Progress database (default: in the platform data directory).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Content directory used for suggestions (default: scenarios/).
    #[arg(long, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

fn load(content: Option<&Path>, matrix_path: &Path) -> Library {
    let paths: Vec<PathBuf> = content.map(Path::to_path_buf).into_iter().collect();
    Library::load(&content_paths(&paths), matrix_path)
}

/// Runs a quiz sitting on `input`/`out`.
pub fn quiz(
    args: &QuizArgs,
    matrix_path: &Path,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let library = load(args.content.as_deref(), matrix_path);
    let Some(matrix) = library.matrix.clone() else {
        write_diagnostics(err, &library.diagnostics())?;
        return Ok(EXIT_INVALID);
    };
    if let Some(unknown) = args
        .sets
        .iter()
        .find(|id| !library.question_sets.iter().any(|l| &l.set.id == *id))
    {
        let known: Vec<&str> = library
            .question_sets
            .iter()
            .map(|l| l.set.id.as_str())
            .collect();
        writeln!(
            err,
            "warroom: unknown question set `{unknown}` (known: {})",
            known.join(", ")
        )?;
        return Ok(EXIT_USAGE);
    }
    let chosen: Vec<(&QuestionSet, &Question)> = library
        .questions()
        .filter(|(set, _)| args.sets.is_empty() || args.sets.contains(&set.id))
        .collect();
    if chosen.is_empty() {
        write_diagnostics(err, &library.diagnostics())?;
        writeln!(err, "warroom: no questions found")?;
        return Ok(EXIT_INVALID);
    }

    let mut db = if args.no_record {
        None
    } else {
        let path = args.db.clone().unwrap_or_else(default_path);
        let profile = args.profile.clone().unwrap_or_else(default_profile);
        match ProgressDb::open(&path, &profile) {
            Ok(db) => Some(db),
            Err(e) => {
                writeln!(
                    err,
                    "warroom: {e}\nwarroom: this sitting will not be recorded."
                )?;
                None
            }
        }
    };
    let seed = args.seed.unwrap_or_else(|| unix_now() as u64);
    let sitting_number = match db.as_mut().map(|db| db.start_sitting(seed, unix_now())) {
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            writeln!(
                err,
                "warroom: {e}\nwarroom: this sitting will not be recorded."
            )?;
            db = None;
            1
        }
        None => 1,
    };
    let cards = db
        .as_ref()
        .and_then(|db| db.cards().ok())
        .unwrap_or_default();
    let bank: Vec<QuestionId> = chosen.iter().map(|(_, q)| q.id.clone()).collect();
    let due = due_count(&bank, &cards, sitting_number);
    let planned = plan_sitting(&bank, &cards, sitting_number, seed, args.count.max(1));
    let width = output_width();
    fill(
        out,
        width,
        &format!(
            "Warroom quiz: sitting {sitting_number}, {} ({due} due for review), seed {seed}.",
            count(planned.len(), "question")
        ),
        "",
    )?;
    fill(
        out,
        width,
        "Answer with the option numbers (e.g. 2 or 1,3); q stops.",
        "",
    )?;
    writeln!(out)?;

    let lrs_config = if db.is_some() {
        super::lrs_cli::for_recording(err)?
    } else {
        None
    };
    let mut sitting = Sitting::new(planned);
    let mut asked = 0;
    while let Some(id) = sitting.current().cloned() {
        let Some((set, question)) = chosen.iter().find(|(_, q)| q.id == id).copied() else {
            sitting.answer(true);
            continue;
        };
        let resolved = match question.resolve(&matrix.matrix) {
            Ok(r) => r,
            Err(e) => {
                writeln!(err, "warroom: skipping question `{id}`: {e}")?;
                sitting.answer(true);
                continue;
            }
        };
        asked += 1;
        write_question(out, width, asked, set, question, &resolved)?;
        let Some(picked) = read_answer(input, out, &resolved)? else {
            writeln!(out)?;
            fill(out, width, "Stopped. Answers so far are saved.", "")?;
            break;
        };
        let correct = resolved.is_correct(&picked);
        let Some(outcome) = sitting.answer(correct) else {
            break;
        };
        write_feedback(
            out,
            width,
            question,
            &resolved,
            correct,
            outcome.will_return,
        )?;
        let answer = Answered {
            sitting: sitting_number,
            correct,
            first_try: outcome.first_try,
            at: unix_now(),
        };
        if let Some(store) = db.as_mut()
            && let Err(e) = {
                let statements = lrs_config.as_ref().map_or_else(Vec::new, |config| {
                    crate::lrs::answer_outgoing(&config.identity, store.profile(), question, answer)
                });
                store.record_answer_queued(question, answer, &statements)
            }
        {
            writeln!(
                err,
                "warroom: {e}\nwarroom: the rest of this sitting will not be recorded."
            )?;
            db = None;
        }
    }
    let crate::engine::learning::tally::Tally {
        right,
        asked: firsts,
    } = sitting.first_try_score();
    fill(
        out,
        width,
        &format!("Sitting over: {right} of {firsts} right at the first try."),
        "",
    )?;
    if let Some(db) = &mut db {
        fill(
            out,
            width,
            &format!("Progress saved to {}.", db.describe()),
            "",
        )?;
        if let Some(config) = &lrs_config {
            super::lrs_cli::send_waiting(db, config, out)?;
        }
    }
    Ok(EXIT_OK)
}

/// The width terminal output wraps at: `COLUMNS` when set, else the terminal's, else 80.
fn output_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c >= 20)
        .unwrap_or_else(textwrap::termwidth)
}

/// Writes `text` wrapped at word boundaries to `width`, continuation lines indented by `indent`.
fn fill(out: &mut dyn Write, width: usize, text: &str, indent: &str) -> std::io::Result<()> {
    let options = textwrap::Options::new(width).subsequent_indent(indent);
    for line in textwrap::wrap(text, options) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn write_question(
    out: &mut dyn Write,
    width: usize,
    n: usize,
    set: &QuestionSet,
    question: &Question,
    resolved: &Resolved,
) -> std::io::Result<()> {
    fill(
        out,
        width,
        &format!(
            "── Question {n} · {} · {} ──",
            set.title,
            question.dimension.label()
        ),
        "",
    )?;
    for paragraph in question.situation.lines() {
        fill(out, width, paragraph, "")?;
    }
    writeln!(out)?;
    fill(out, width, &resolved.prompt, "")?;
    for (i, choice) in resolved.choices.iter().enumerate() {
        fill(
            out,
            width,
            &format!("  {}) {}", i + 1, choice.label),
            "     ",
        )?;
    }
    if resolved.is_multiple() {
        writeln!(out, "(choose all that apply)")?;
    }
    Ok(())
}

/// Reads one answer, asking again after input it cannot read; `None` on `q` or end of input.
fn read_answer(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    resolved: &Resolved,
) -> std::io::Result<Option<BTreeSet<usize>>> {
    loop {
        write!(out, "> ")?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let line = line.trim();
        if line.eq_ignore_ascii_case("q") || line.eq_ignore_ascii_case("quit") {
            return Ok(None);
        }
        match parse_answer(line, resolved) {
            Some(picked) => return Ok(Some(picked)),
            None => fill(
                out,
                output_width(),
                &format!(
                    "Please answer with option numbers between 1 and {}, e.g. 2 or 1,3.",
                    resolved.choices.len()
                ),
                "",
            )?,
        }
    }
}

/// Parses `2`, `1,3`, `1 3` or letters `a,c` (also `y`/`n` on yes/no questions).
pub fn parse_answer(line: &str, resolved: &Resolved) -> Option<BTreeSet<usize>> {
    let n = resolved.choices.len();
    let mut picked = BTreeSet::new();
    for token in line
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        let lower = token.to_ascii_lowercase();
        let index = if let Ok(number) = lower.parse::<usize>() {
            number.checked_sub(1)?
        } else if let Some(i) = resolved.choices.iter().position(|c| c.key == lower) {
            i
        } else if let Some(i) = (0..n).find(|i| letter(*i) == lower) {
            i
        } else {
            resolved
                .choices
                .iter()
                .position(|c| c.key.starts_with(&lower) && lower.len() == 1)?
        };
        if index >= n {
            return None;
        }
        picked.insert(index);
    }
    (!picked.is_empty()).then_some(picked)
}

fn write_feedback(
    out: &mut dyn Write,
    width: usize,
    question: &Question,
    resolved: &Resolved,
    correct: bool,
    will_return: bool,
) -> std::io::Result<()> {
    writeln!(out)?;
    let verdict = if correct {
        format!("Right: {}.", resolved.correct_labels())
    } else {
        format!("Not quite. The answer is: {}.", resolved.correct_labels())
    };
    fill(out, width, &verdict, "")?;
    fill(
        out,
        width,
        &format!("Why ({}): {}", resolved.rule, resolved.citation),
        "",
    )?;
    for paragraph in question.explanation.lines() {
        fill(out, width, paragraph, "")?;
    }
    if will_return {
        fill(
            out,
            width,
            "(This question will come back later in this sitting.)",
            "",
        )?;
    }
    writeln!(out)
}

/// Prints the learner's progress.
pub fn progress(
    args: &ProgressArgs,
    matrix_path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let library = load(args.content.as_deref(), matrix_path);
    let path = args.db.clone().unwrap_or_else(default_path);
    let profile = args.profile.clone().unwrap_or_else(default_profile);
    // Only reads: a read-only file, or one another program is reading, still shows progress.
    let mut outbox = None;
    let report = match ProgressDb::open_read_only(&path, &profile) {
        Ok(Some(db)) => {
            outbox = db.outbox_status().ok();
            db.report(&library)
        }
        Ok(None) => {
            writeln!(
                err,
                "warroom: nothing recorded yet in {} (it is created with the first run or sitting)",
                path.display()
            )?;
            Ok(empty_report(&profile, &library))
        }
        Err(e) => Err(e),
    };
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "warroom: {e}")?;
            return Ok(EXIT_INVALID);
        }
    };
    // The outbox is the whole database's (every profile's statements), shown when an LRS is
    // configured or something was ever queued for one.
    let configured = matches!(crate::lrs::configured(), Ok(Some(_)));
    let outbox = outbox.filter(|s| configured || s.sent + s.waiting + s.refused > 0);
    match args.format {
        Format::Json => {
            let mut json = serde_json::to_value(&report).unwrap_or_default();
            if let (Some(status), Some(fields)) = (&outbox, json.as_object_mut()) {
                fields.insert(
                    "outbox".into(),
                    serde_json::json!({
                        "sent": status.sent,
                        "waiting": status.waiting,
                        "refused": status.refused,
                        "last_sent_at": status.last_sent_at,
                        "last_error": status.last_error.as_ref().map(|(e, _)| e),
                        "last_error_at": status.last_error.as_ref().map(|(_, at)| at),
                        "next_attempt_at": status.next_attempt_at,
                    }),
                );
            }
            write_json(out, &json)?;
        }
        Format::Text => {
            write!(out, "{}", render_text(&report))?;
            if let Some(status) = outbox {
                writeln!(out)?;
                super::lrs_cli::write_outbox(out, &status, unix_now())?;
            }
        }
    }
    Ok(EXIT_OK)
}
