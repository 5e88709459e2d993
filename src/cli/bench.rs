//! `normgraph bench`: Time loading and the common queries on a store (for bench/run.sh): JSON lines on stdout.

use super::*;

/// The arguments of `normgraph bench`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Files to load before timing (a generated graph)
    pub(crate) files: Vec<PathBuf>,
    /// Warm runs per query (median reported)
    #[arg(long, default_value_t = 5)]
    pub(crate) repeat: usize,
    /// Run the full SHACL validation too
    #[arg(long)]
    pub(crate) validate: bool,
    /// Memory budget of the bulk loader, in MiB
    #[arg(long, value_name = "MIB", default_value_t = 512, value_parser = parse_mib)]
    pub(crate) max_memory: usize,
}

pub(crate) fn run(cli: &Cli, bundle: &Bundle, args: &Args) -> anyhow::Result<ExitCode> {
    let Args {
        files,
        repeat,
        validate,
        max_memory,
    } = args;
    let kg = open_store(cli, bundle)?;
    let mut load = Vec::new();
    if !files.is_empty() {
        let root = bundle.root();
        for f in ["normgraph.ttl", "schemes.ttl"] {
            load.push(SourceFile::relative_to(
                &root.join("ontology").join(f),
                root,
            ));
        }
        let cwd = std::env::current_dir().context("reading the current folder")?;
        for p in files {
            for f in rdf_files_in(p)? {
                load.push(SourceFile::relative_to(&f, &cwd));
            }
        }
    }
    let options = normgraph::bench::Options {
        load,
        load_options: normgraph::store::LoadOptions {
            check: None,
            bulk: None,
            max_memory_mb: *max_memory,
            progress: std::io::stderr().is_terminal().then(progress_bar),
        },
        repeat: *repeat,
        validate: *validate,
    };
    normgraph::bench::run(&kg, &options, &mut |t| {
        // A closed pipe is noticed at the next line written by the command itself.
        let _ = writeln!(
            std::io::stdout().lock(),
            "{}",
            serde_json::json!({"op": t.name, "cold_s": t.cold_s, "warm_s": t.warm_s, "rows": t.rows})
        );
    })?;
    Ok(ExitCode::SUCCESS)
}
