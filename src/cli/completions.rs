//! `normgraph completions`: Print a shell completion script (bash, zsh, fish, elvish, powershell) on stdout.

use super::*;

/// The arguments of `normgraph completions`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The shell
    pub(crate) shell: clap_complete::Shell,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let Args { shell } = args;
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(*shell, &mut cmd, "normgraph", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
