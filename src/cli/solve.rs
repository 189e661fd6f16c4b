//! `warroom script solve`: writes a script that meets every check a plan sets for a scenario, or
//! names the checks no play can meet under that plan.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::output::{EXIT_OK, write_output_file};
use super::scripted::load_matrix_and_scenario;
use crate::engine::solve::solve;

/// Exit code of `warroom script solve` when even the best play leaves a check unmet.
pub const EXIT_UNMET: u8 = 3;

/// `warroom script …`.
#[derive(Debug, clap::Subcommand)]
pub enum ScriptCommand {
    /// Write a script that scores 100 for a scenario under the plan (`--matrix`), or name the
    /// checks no play can meet under it. Exit 0 it scores 100, 1 invalid input, 3 some check
    /// cannot be met.
    Solve(SolveArgs),
}

/// `warroom script solve`.
#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// Scenario id (looked up in scenarios/) or path to a scenario file.
    pub scenario: String,
    /// Write the script here (default: print it).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Seed for the scenario's random variations.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

pub(super) fn script(
    command: &ScriptCommand,
    matrix_path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let ScriptCommand::Solve(args) = command;
    let (matrix, scenario) = match load_matrix_and_scenario(&args.scenario, None, matrix_path, err)?
    {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let plan = if matrix.version.is_empty() {
        matrix.name.clone()
    } else {
        format!("{} (version {})", matrix.name, matrix.version)
    };
    let solution = solve(scenario.clone(), matrix, args.seed);
    let text = solution.to_ron();
    // The summary goes where it does not mix with a script printed to standard output.
    let summary: &mut dyn Write = if let Some(path) = &args.output {
        if let Err(e) = write_output_file(path, &text) {
            writeln!(err, "warroom: cannot write {}: {e}", path.display())?;
            return Ok(super::output::EXIT_USAGE);
        }
        writeln!(
            out,
            "Wrote {} ({} steps) for \"{}\".",
            path.display(),
            solution.decisions.steps.len(),
            scenario.title
        )?;
        out
    } else {
        out.write_all(text.as_bytes())?;
        err
    };
    if solution.perfect() {
        writeln!(summary, "It scores 100 under {plan}.")?;
        return Ok(EXIT_OK);
    }
    writeln!(
        summary,
        "The best play found scores {} under {plan}.",
        solution.scorecard.total
    )?;
    if !solution.gaps.is_empty() {
        writeln!(summary, "What the plan makes impossible:")?;
        for gap in &solution.gaps {
            writeln!(summary, "  - {gap}")?;
        }
    }
    writeln!(summary, "The checks it fails:")?;
    for check in solution.failed_checks() {
        writeln!(summary, "  - {check}")?;
    }
    Ok(EXIT_UNMET)
}
