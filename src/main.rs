//! The `warroom` binary: a headless command when one is given, otherwise the desktop app.

use std::process::ExitCode;

use clap::Parser as _;
use warroom::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
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
    run_app(args)
}

#[cfg(feature = "app")]
fn run_app(args: Cli) -> ExitCode {
    warroom::app::run(args)
}

#[cfg(not(feature = "app"))]
#[expect(clippy::print_stderr, reason = "tells the user how to get the app")]
fn run_app(_args: Cli) -> ExitCode {
    eprintln!(
        "warroom was built without the desktop app (feature `app`); run `warroom --help` for the headless commands"
    );
    ExitCode::from(cli::EXIT_USAGE)
}
