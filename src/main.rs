//! The `warroom` binary: a headless command when one is given, otherwise the desktop app.

use std::process::ExitCode;

use clap::Parser as _;
use warroom::cli::{self, Cli, Launch};

fn main() -> ExitCode {
    let args = Cli::parse();
    cli::prepare_built_in_content(&mut std::io::stderr().lock());
    #[cfg(feature = "room")]
    if let Some(cli::Command::Serve(serve)) = &args.command {
        return serve_room(serve, args.matrix.as_deref());
    }
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

#[cfg(feature = "room")]
#[expect(
    clippy::print_stderr,
    reason = "reports why the room could not be hosted"
)]
fn serve_room(args: &cli::ServeArgs, matrix: Option<&std::path::Path>) -> ExitCode {
    use warroom::room_host::{ServeError, ServeOptions};
    let options = ServeOptions {
        scenario: args.scenario.clone(),
        matrix: matrix.map_or_else(
            warroom::engine::content::library::default_matrix_path,
            std::path::Path::to_path_buf,
        ),
        seed: args.seed,
        bind: args.bind,
        port: args.port,
        session: args.session.clone(),
        saves: args
            .saves
            .clone()
            .unwrap_or_else(warroom::store::saves::default_dir),
        teams: args.teams,
    };
    let mut stdout = std::io::stdout().lock();
    match warroom::room_host::serve(&options, &mut cli::TerminalSafe::new(&mut stdout)) {
        Ok(()) => ExitCode::from(cli::EXIT_OK),
        Err(ServeError::Invalid(diagnostics)) => {
            let mut stderr = std::io::stderr().lock();
            let _ = cli::write_diagnostics(
                &mut cli::TerminalSafe::new(&mut stderr),
                &diagnostics.iter().collect::<Vec<_>>(),
            );
            ExitCode::from(cli::EXIT_INVALID)
        }
        Err(ServeError::Usage(message)) => {
            eprintln!("warroom: {}", cli::escape_for_terminal(&message));
            ExitCode::from(cli::EXIT_USAGE)
        }
        Err(refused @ ServeError::System { .. }) => {
            eprintln!(
                "warroom: {}",
                cli::escape_for_terminal(&refused.to_string())
            );
            ExitCode::from(cli::EXIT_SYSTEM)
        }
    }
}

#[cfg(feature = "app")]
fn run_app(request: cli::AppRequest) -> ExitCode {
    // The app opens rooms through the host `main` hands it; it never imports the host itself.
    #[cfg(feature = "room")]
    let rooms = Some(warroom::room_host::opener());
    #[cfg(not(feature = "room"))]
    let rooms = None;
    warroom::app::run(
        warroom::app::LaunchOptions {
            scenario: request.scenario,
            mode: request.mode,
            seed: request.seed,
            resume: request.resume,
            matrix: request.matrix,
            data_dir: None,
            tour: request.tour,
            author: request.author,
        },
        rooms,
    )
}

#[cfg(not(feature = "app"))]
#[expect(clippy::print_stderr, reason = "tells the user how to get the app")]
fn run_app(_request: cli::AppRequest) -> ExitCode {
    eprintln!(
        "warroom was built without the desktop app (feature `app`); run `warroom --help` for the headless commands"
    );
    ExitCode::from(cli::EXIT_USAGE)
}
