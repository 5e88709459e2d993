//! The command line: the arguments (clap), one file per verb (`cli/VERB.rs`: its arguments and
//! what it does), and what the verbs share (opening the store, reading IRIs, reports).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use normgraph::export::{ExportFormat, Table};
use normgraph::query::Format;
use normgraph::remote;
use normgraph::store::{rdf_files_in, SourceFile};
use normgraph::validate::Severity;
use normgraph::{Bundle, KnowledgeGraph, LoadReport};

/// `println!` that returns the error (a closed pipe ends the command quietly, see `main`) instead
/// of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}

mod bench;
mod compare;
mod completions;
mod describe;
mod export;
mod generate;
mod load;
mod manpage;
mod push;
mod query;
mod search;
mod serve;
mod stats;
mod timeline;
mod unload;
mod validate;

/// normgraph: who backs which cyber norm, since when, how firmly, and on what evidence.
#[derive(Parser)]
#[command(version, about, long_about = None)]
pub(crate) struct Cli {
    /// The on-disk store folder [default: $XDG_DATA_HOME/normgraph/store, or ~/.local/share/normgraph/store]
    #[arg(long, global = true, env = "NORMGRAPH_STORE", value_name = "DIR")]
    store: Option<PathBuf>,
    /// Use an in-memory store loaded from the bundled ontology and data (nothing written to disk)
    #[arg(long, global = true, conflicts_with = "store")]
    memory: bool,
    /// Folder holding the bundled ontology/, data/ and queries/ [default: the source tree it was built from]
    #[arg(long, global = true, env = "NORMGRAPH_HOME", value_name = "DIR")]
    home: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load RDF files into the store, each into its own named graph (all-or-nothing).
    ///
    /// Without paths, loads the bundled ontology/ and data/. Only files whose content changed are
    /// reloaded. Formats by extension: .ttl .trig .nt .nq .rdf/.owl .jsonld
    Load(load::Args),
    /// Search norms, actors and instruments by label, text, symbol ("A/70/174") or ISO code.
    Search(search::Args),
    /// Put actors side by side: every norm one of them has a stance on, each actor's strongest
    /// stance, how firmly, since when, through which instrument.
    Compare(compare::Args),
    /// How backing of a norm grew: for each date, the actors who began to back it then.
    Timeline(timeline::Args),
    /// Remove loaded files from the store (by path or graph IRI) and recompute the derived graph.
    ///
    /// All-or-nothing, like load. Files of the bundled data cannot be unloaded: every reading
    /// command loads them again.
    Unload(unload::Args),
    /// Run a named query (see --list), a .rq file, or a query read from stdin (-).
    Query(query::Args),
    /// Send the store (or some graphs) to another SPARQL 1.1 store, then count the triples there.
    ///
    /// Graph Store Protocol (PUT per graph, large graphs in chunks) by default, or batched
    /// INSERT DATA with --update-endpoint. A count that differs is an error (exit 2).
    Push(push::Args),
    /// Print triples per named graph and instances per class.
    Stats,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) on stdout.
    ///
    /// E.g. `normgraph completions bash > ~/.local/share/bash-completion/completions/normgraph`.
    Completions(completions::Args),
    /// Print the man page (roff) on stdout, or write one page per command into DIR.
    ///
    /// E.g. `normgraph manpage | man -l -`, or `normgraph manpage --dir ~/.local/share/man/man1`.
    Manpage(manpage::Args),
    /// Check the store (or the given files) against the SHACL shapes and consistency rules.
    ///
    /// Exit code 0 when it conforms, 1 when there are violations, 2 on error.
    Validate(validate::Args),
    /// Export the graph: RDF dumps, a canonical checksummed dump, JSON-LD, CSV tables, a release.
    ///
    /// By default every data graph (ontology and data files), without the bookkeeping graph and
    /// without derived facts. Triple formats (ttl, nt, rdfxml, jsonld) write the union of the
    /// graphs; nq and trig keep graph names.
    Export(export::Args),
    /// Write a deterministic synthetic graph (benchmarks, validator recall): ~200 synthetic states,
    /// 30 institutions, treaties, resolutions and declarations with their norms and endorsements.
    ///
    /// N-Triples, or N-Quads when FILE ends in .nq. With --defects, inconsistencies of every kind
    /// the validator checks are injected and listed in FILE.defects.json.
    Generate(generate::Args),
    /// Time loading and the common queries on a store (for bench/run.sh): JSON lines on stdout.
    ///
    /// Loads FILES with the bundle's ontology files first (no bundled data), then runs
    /// who-backs-norm, norms-backed-by, common-ground, a 20-state alignment, contested norms, the
    /// contradiction check and (with --validate) the full validation.
    Bench(bench::Args),
    /// Describe a resource: its triples (through blank nodes) and the labels of what it links to.
    Describe(describe::Args),
    /// Serve the graph over HTTP: SPARQL 1.1 endpoint (/sparql), Graph Store Protocol (/store),
    /// linked-data pages (/id/...), the ontology, a VoID description and a query page (/).
    ///
    /// Read-only unless --writable; listens on 127.0.0.1 unless told otherwise.
    Serve(serve::Args),
}

/// An error and its causes on one line (parsers' messages may span several), each cause once:
/// an error whose message already ends with its source's (an I/O error naming its file and
/// cause) does not repeat it.
pub(crate) fn one_line(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.ends_with(text.as_str()) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Did the command fail because its standard output was closed? The library's errors keep the
/// writer's `std::io::Error` as a source, so the chain holds it.
pub(crate) fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// A time limit in seconds: above 0, at most one day.
fn parse_seconds(s: &str) -> Result<f64, String> {
    let n: f64 = s
        .parse()
        .map_err(|e| format!("{s:?} is not a number of seconds: {e}"))?;
    if n.is_finite() && n > 0.0 && n <= 86_400.0 {
        Ok(n)
    } else {
        Err(format!(
            "{s} is out of range: give a number of seconds above 0 and at most 86400 (one day)"
        ))
    }
}

/// Cancels `token` after `limit`. Oxigraph notices a cancellation when it next reads the store,
/// not inside an in-memory join (a cartesian product under COUNT): if the query has not stopped
/// one second later, the process ends with `message` (a reading command holds nothing to undo).
fn watchdog(
    limit: std::time::Duration,
    token: oxigraph::sparql::CancellationToken,
    message: String,
) {
    let _ = std::thread::Builder::new()
        .name("normgraph-timeout".into())
        .spawn(move || {
            std::thread::sleep(limit);
            token.cancel();
            std::thread::sleep(std::time::Duration::from_secs(1));
            eprintln!("normgraph: error: {message}");
            std::process::exit(2);
        });
}

/// A bulk-loader memory budget: 16 MiB to 1 TiB.
fn parse_mib(s: &str) -> Result<usize, String> {
    let n: usize = s
        .parse()
        .map_err(|e| format!("{s:?} is not a whole number of MiB: {e}"))?;
    if (16..=1 << 20).contains(&n) {
        Ok(n)
    } else {
        Err(format!(
            "{n} MiB is out of range: give 16 to 1048576 (1 TiB)"
        ))
    }
}

fn default_store() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("normgraph").join("store")
}

/// Opens the store for a reading command: builds or refreshes it from the bundle, saying so.
fn open_for_reading(cli: &Cli, bundle: &Bundle) -> anyhow::Result<KnowledgeGraph> {
    if cli.memory {
        let kg = KnowledgeGraph::in_memory(bundle.clone())?;
        kg.sync_bundle().context("loading the bundled data")?;
        return Ok(kg);
    }
    let location = cli.store.clone().unwrap_or_else(default_store);
    let kg = match KnowledgeGraph::open(&location, bundle.clone()) {
        Ok(kg) => kg,
        Err(normgraph::Error::StoreInUse { .. }) => {
            let kg = KnowledgeGraph::open_read_only(&location, bundle.clone())?;
            eprintln!(
                "normgraph: the store at {} is in use by another process (normgraph serve?): reading it read-only, as it was when opened; changes to the bundled data are not applied",
                location.display()
            );
            return Ok(kg);
        }
        Err(e) => return Err(e.into()),
    };
    let was_empty = kg.is_empty()?;
    if let Some(report) = kg.sync_bundle().context("loading the bundled data")? {
        let what = if was_empty { "built" } else { "refreshed" };
        eprintln!(
            "normgraph: {what} the store at {} from the bundled data ({} file(s) loaded, {} removed, {} inferred triples, {:.1?})",
            location.display(),
            report.loaded.len(),
            report.removed.len(),
            report.inferred,
            report.elapsed
        );
    }
    Ok(kg)
}

pub(crate) fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let bundle = cli
        .home
        .clone()
        .map(Bundle::new)
        .unwrap_or_else(Bundle::default_location);
    match &cli.command {
        Command::Load(args) => load::run(&cli, &bundle, args),
        Command::Search(args) => search::run(&cli, &bundle, args),
        Command::Compare(args) => compare::run(&cli, &bundle, args),
        Command::Timeline(args) => timeline::run(&cli, &bundle, args),
        Command::Unload(args) => unload::run(&cli, &bundle, args),
        Command::Query(args) => query::run(&cli, &bundle, args),
        Command::Push(args) => push::run(&cli, &bundle, args),
        Command::Stats => stats::run(&cli, &bundle),
        Command::Completions(args) => completions::run(args),
        Command::Manpage(args) => manpage::run(args),
        Command::Validate(args) => validate::run(&cli, &bundle, args),
        Command::Export(args) => export::run(&cli, &bundle, args),
        Command::Generate(args) => generate::run(args),
        Command::Bench(args) => bench::run(&cli, &bundle, args),
        Command::Describe(args) => describe::run(&cli, &bundle, args),
        Command::Serve(args) => serve::run(&cli, &bundle, args),
    }
}

/// The `--graph` options as IRIs (compact `prefix:local` forms expanded).
/// IRIs from `<IRI>` or `prefix:name` arguments.
fn iri_args(what: &str, args: &[String]) -> anyhow::Result<Vec<oxigraph::model::NamedNode>> {
    args.iter()
        .map(|a| match normgraph::query::parse_value(what, a)? {
            oxigraph::model::Term::NamedNode(n) => Ok(n),
            _ => anyhow::bail!("{what} {a:?}: expected <IRI> or prefix:name"),
        })
        .collect()
}

fn graph_args(graph: &[String]) -> anyhow::Result<Vec<oxigraph::model::NamedNode>> {
    graph
        .iter()
        .map(|g| match normgraph::query::parse_value("graph", g)? {
            oxigraph::model::Term::NamedNode(n) => Ok(n),
            _ => anyhow::bail!("--graph {g}: not an IRI"),
        })
        .collect()
}

fn open_store(cli: &Cli, bundle: &Bundle) -> anyhow::Result<KnowledgeGraph> {
    Ok(if cli.memory {
        KnowledgeGraph::in_memory(bundle.clone())?
    } else {
        KnowledgeGraph::open(
            cli.store.clone().unwrap_or_else(default_store),
            bundle.clone(),
        )?
    })
}

/// A one-line progress display on stderr: quads written and the rate.
fn progress_bar() -> normgraph::store::Progress {
    let start = std::time::Instant::now();
    std::sync::Arc::new(move |n: u64| {
        let secs = start.elapsed().as_secs_f64().max(1e-3);
        eprint!(
            "\r  loading: {n:>12} quads  {:>9.0} quads/s  {secs:>7.1} s",
            n as f64 / secs
        );
    })
}

fn print_load_report(report: &LoadReport) -> anyhow::Result<()> {
    for (path, graph, n) in &report.loaded {
        out!(
            "loaded {n:>7} quads  {}  -> <{}>",
            path.display(),
            graph.as_str()
        );
    }
    for g in &report.removed {
        out!("removed graph <{}>", g.as_str());
    }
    if report.reasoned {
        let rules: Vec<String> = report
            .rule_times
            .iter()
            .map(|(name, t)| format!("{name} {t:.2?}"))
            .collect();
        out!(
            "data written in {:.2?}{}; rules: {}",
            report.load_time,
            if report.bulk {
                " (bulk loader)"
            } else {
                " (rules and shape checks included)"
            },
            rules.join(", ")
        );
        if !report.compaction_time.is_zero() {
            out!("store compacted in {:.2?}", report.compaction_time);
        }
    }
    out!(
        "{} file(s) loaded, {} unchanged, {} graph(s) removed, {} inferred triples, in {:.2?}",
        report.loaded.len(),
        report.unchanged,
        report.removed.len(),
        report.inferred,
        report.elapsed
    );
    Ok(())
}
