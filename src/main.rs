//! The `warroom` binary: a headless command when one is given, otherwise the desktop app.

use std::process::ExitCode;

use clap::Parser as _;
use warroom::cli::{self, Cli, Launch};

fn main() -> ExitCode {
    let args = Cli::parse();
    match (args.launch(cfg!(feature = "app")), &args.command) {
        (Launch::App(request), _) => run_app(request),
        (Launch::Headless, Some(command)) => ExitCode::from(cli::run_interactive(
            command,
            args.matrix.as_deref(),
            &mut std::io::stdin().lock(),
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )),
        (Launch::Headless, None) => ExitCode::from(cli::EXIT_USAGE),
    }
}

#[cfg(feature = "app")]
fn run_app(request: cli::AppRequest) -> ExitCode {
    warroom::app::run(warroom::app::LaunchOptions {
        scenario: request.scenario,
        mode: request.mode,
        seed: request.seed,
        resume: request.resume,
        matrix: request.matrix,
        data_dir: None,
        tour: request.tour,
    })
}

#[cfg(not(feature = "app"))]
#[expect(clippy::print_stderr, reason = "tells the user how to get the app")]
fn run_app(_request: cli::AppRequest) -> ExitCode {
    eprintln!(
        "warroom was built without the desktop app (feature `app`); run `warroom --help` for the headless commands"
    );
    ExitCode::from(cli::EXIT_USAGE)
}
