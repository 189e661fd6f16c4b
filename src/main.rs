//! The `warroom` binary: a headless command when one is given, otherwise the desktop app.

use std::process::ExitCode;

use clap::Parser as _;
use warroom::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    // `warroom resume` opens the app on the save (the headless `--check`/`--list` just print).
    if let Some(cli::Command::Resume(resume)) = &args.command
        && !resume.check
        && !resume.list
        && cfg!(feature = "app")
        && let Some(path) = cli::pick_save(resume)
        && path.is_file()
    {
        return run_app(args, Some(path));
    }
    if let Some(command) = &args.command {
        let code = cli::run_interactive(
            command,
            args.matrix.as_deref(),
            &mut std::io::stdin().lock(),
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        );
        return ExitCode::from(code);
    }
    run_app(args, None)
}

#[cfg(feature = "app")]
fn run_app(args: Cli, resume: Option<std::path::PathBuf>) -> ExitCode {
    warroom::app::run(args, resume)
}

#[cfg(not(feature = "app"))]
#[expect(clippy::print_stderr, reason = "tells the user how to get the app")]
fn run_app(_args: Cli, _resume: Option<std::path::PathBuf>) -> ExitCode {
    eprintln!(
        "warroom was built without the desktop app (feature `app`); run `warroom --help` for the headless commands"
    );
    ExitCode::from(cli::EXIT_USAGE)
}
