//! `normgraph load`: Load RDF files into the store, each into its own named graph (all-or-nothing).

use super::*;

/// The arguments of `normgraph load`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Files, folders (searched recursively) or http(s) URLs (each URL into the graph named by it)
    pub(crate) paths: Vec<String>,
    /// Time limit of one HTTP request, in seconds
    #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub(crate) http_timeout: u64,
    /// Largest document fetched over HTTP, in bytes (at most 1 TiB)
    #[arg(long, default_value_t = 1 << 30, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..=1 << 40))]
    pub(crate) max_bytes: u64,
    /// Print nothing on success
    #[arg(short, long)]
    pub(crate) quiet: bool,
    /// Use the streaming bulk loader (default: when the files add up to 8 MiB or more)
    #[arg(long, overrides_with = "no_bulk")]
    pub(crate) bulk: bool,
    /// Never use the bulk loader (one transaction, all in memory)
    #[arg(long)]
    pub(crate) no_bulk: bool,
    /// Memory budget of the bulk loader, in MiB
    #[arg(long, value_name = "MIB", default_value_t = 512, value_parser = parse_mib)]
    pub(crate) max_memory: usize,
    /// Load even if the result breaks the shapes (by default a load that brings a violation
    /// is refused before anything is written; bulk loads are not checked)
    #[arg(long)]
    pub(crate) force: bool,
}

pub(crate) fn run(cli: &Cli, bundle: &Bundle, args: &Args) -> anyhow::Result<ExitCode> {
    let Args {
        paths,
        http_timeout,
        max_bytes,
        quiet,
        bulk,
        no_bulk,
        max_memory,
        force,
    } = args;
    let report = if paths.is_empty() {
        let kg = open_store(cli, bundle)?;
        kg.sync_bundle()?.unwrap_or_default()
    } else {
        let cwd = std::env::current_dir().context("reading the current folder")?;
        let http = remote::HttpOptions {
            timeout: std::time::Duration::from_secs(*http_timeout),
            max_bytes: *max_bytes,
            ..remote::HttpOptions::default()
        };
        let mut files = Vec::new();
        for p in paths {
            if p.starts_with("http://") || p.starts_with("https://") {
                files.push(remote::fetch_rdf(p, &http)?);
                continue;
            }
            for f in rdf_files_in(std::path::Path::new(p))? {
                files.push(SourceFile::relative_to(&f, &cwd));
            }
        }
        if files.is_empty() {
            anyhow::bail!("no RDF files found in the given paths");
        }
        let kg = open_store(cli, bundle)?;
        let options = normgraph::store::LoadOptions {
            bulk: if *bulk {
                Some(true)
            } else if *no_bulk {
                Some(false)
            } else {
                None
            },
            max_memory_mb: *max_memory,
            progress: std::io::stderr().is_terminal().then(progress_bar),
            check: (!force).then(|| normgraph::validate::gate(None)),
        };
        let report = kg.load_with_options(&files, &options)?;
        if options.progress.is_some() && report.bulk {
            eprintln!();
        }
        report
    };
    if !quiet {
        print_load_report(&report)?;
    }
    Ok(ExitCode::SUCCESS)
}
