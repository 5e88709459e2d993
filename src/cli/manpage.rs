//! `normgraph manpage`: Print the man page (roff) on stdout, or write one page per command into DIR.

use super::*;

/// The arguments of `normgraph manpage`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Write normgraph.1 and normgraph-COMMAND.1 into this folder
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let Args { dir } = args;
    let cmd = <Cli as clap::CommandFactory>::command();
    match dir {
        None => {
            let mut out = std::io::stdout().lock();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            out.flush()?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            let write = |name: &str, c: clap::Command| -> anyhow::Result<()> {
                let path = dir.join(format!("{name}.1"));
                let mut f = std::fs::File::create(&path)
                    .with_context(|| format!("writing {}", path.display()))?;
                clap_mangen::Man::new(c).render(&mut f)?;
                eprintln!("{}", path.display());
                Ok(())
            };
            for sub in cmd.get_subcommands() {
                let name = format!("normgraph-{}", sub.get_name());
                // clap names are &'static str (its "string" feature is off): the
                // process ends right after.
                let leaked: &'static str = Box::leak(name.clone().into_boxed_str());
                write(&name, sub.clone().name(leaked))?;
            }
            write("normgraph", cmd)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
