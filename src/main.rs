//! The `normgraph` command: parses arguments and calls the library (`cli/`: one file per verb).

use std::process::ExitCode;

mod cli;

use cli::{is_broken_pipe, one_line, run, Cli};

fn main() -> ExitCode {
    // --version names the code and the data release embedded in the binary: the canonical SHA-256
    // of its data graphs (`normgraph::export::embedded_release`, as `export --canonical` prints it) and
    // the digest of its files; computed only when asked for, not at every start.
    let asked = std::env::args()
        .skip(1)
        .any(|a| a == "--version" || a == "-V");
    let version: &'static str = if asked {
        let release = match normgraph::export::embedded_release() {
            Ok((sha, quads)) => {
                format!("data release sha256:{sha} ({quads} quads, canonical RDFC-1.0)")
            }
            Err(e) => format!("data release unknown: {e}"),
        };
        Box::leak(
            format!(
                "{} ({release}; bundled data sha256:{}, {} files)",
                env!("CARGO_PKG_VERSION"),
                normgraph::embedded::digest(),
                normgraph::embedded::FILES.len()
            )
            .into_boxed_str(),
        )
    } else {
        env!("CARGO_PKG_VERSION")
    };
    let matches = match <Cli as clap::CommandFactory>::command()
        .version(version)
        .try_get_matches()
    {
        Ok(m) => m,
        Err(e) if !e.use_stderr() => e.exit(), // --help, --version
        Err(e) => {
            // A bad argument: one line, like every other error.
            eprintln!("normgraph: {}", clap_one_line(&e));
            return ExitCode::from(2);
        }
    };
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    // The work runs on a thread with the server's stack size: SPARQL parsing, evaluation and
    // validation recurse per nesting level (bounded by `query::check_complexity`).
    let worker = std::thread::Builder::new()
        .name("normgraph".into())
        .stack_size(normgraph::serve::STACK_BYTES)
        .spawn(move || match run(cli) {
            Ok(code) => code,
            // A closed stdout (`normgraph export | head`) is the reader's choice, not a failure.
            Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("normgraph: error: {}", one_line(&e));
                ExitCode::from(2)
            }
        });
    match worker.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => ExitCode::from(101),
        Err(e) => {
            eprintln!("normgraph: error: cannot start the worker thread: {e}");
            ExitCode::from(2)
        }
    }
}

/// A command-line error on one line: clap's message, its possible values and tip, and the pointer
/// to --help, without the usage block.
fn clap_one_line(e: &clap::Error) -> String {
    e.render()
        .to_string()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("Usage:"))
        .collect::<Vec<_>>()
        .join(" ")
}
