//! `normgraph unload`: Remove loaded files from the store (by path or graph IRI) and recompute the derived graph.

use super::*;

/// The arguments of `normgraph unload`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Files (as given to load) or graph IRIs (<IRI>)
    #[arg(required = true)]
    pub(crate) targets: Vec<String>,
    /// Unload even if the result breaks the shapes
    #[arg(long)]
    pub(crate) force: bool,
    /// Print nothing on success
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

pub(crate) fn run(cli: &Cli, bundle: &Bundle, args: &Args) -> anyhow::Result<ExitCode> {
    let Args {
        targets,
        force,
        quiet,
    } = args;
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let mut graphs = Vec::new();
    for t in targets {
        if t.starts_with('<') {
            graphs.extend(graph_args(std::slice::from_ref(t))?);
        } else {
            // A file of the bundle is named from the bundle's folder, as it was loaded.
            let path = std::path::Path::new(t);
            let inside = std::path::absolute(path)
                .ok()
                .zip(std::path::absolute(bundle.root()).ok())
                .is_some_and(|(p, root)| p.starts_with(root));
            let base = if inside { bundle.root() } else { cwd.as_path() };
            graphs.push(SourceFile::relative_to(path, base).graph);
        }
    }
    let kg = open_store(cli, bundle)?;
    let check = (!force).then(|| normgraph::validate::gate(None));
    let report = kg.unload(&graphs, check.as_ref())?;
    if !quiet {
        print_load_report(&report)?;
    }
    Ok(ExitCode::SUCCESS)
}
