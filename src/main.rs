//! The `normgraph` command: parses arguments and calls the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use normgraph::query::{self, Format};
use normgraph::serve;
use normgraph::store::{rdf_files_in, SourceFile};
use normgraph::{Bundle, KnowledgeGraph, LoadReport};

/// normgraph: who backs which cyber norm, since when, how firmly, and on what evidence.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
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
    Load {
        /// Files or folders (searched recursively)
        paths: Vec<PathBuf>,
        /// Print nothing on success
        #[arg(short, long)]
        quiet: bool,
    },
    /// Run a named query (see --list), a .rq file, or a query read from stdin (-).
    Query {
        /// Query name (queries/NAME.rq), path to a .rq file, or - for stdin
        #[arg(required_unless_present = "list")]
        query: Option<String>,
        /// Bind a parameter: NAME=VALUE, VALUE being <IRI>, prefix:name, "literal", a date or a number
        #[arg(short, long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// Output: table, csv, tsv, json, xml (results); ttl, nt, jsonld, rdfxml (graphs)
        /// [default: table on a terminal, csv (results) or ttl (graphs) otherwise]
        #[arg(short, long)]
        format: Option<String>,
        /// List the named queries with their description and parameters
        #[arg(long)]
        list: bool,
    },
    /// Print triples per named graph and instances per class.
    Stats,
    /// Serve the graph over HTTP: SPARQL 1.1 endpoint (/sparql), Graph Store Protocol (/store),
    /// linked-data pages (/id/...), the ontology, a VoID description and a query page (/).
    ///
    /// Read-only unless --writable; listens on 127.0.0.1 unless told otherwise.
    Serve {
        /// Address to listen on (port 0: any free port, printed on stderr)
        #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR:PORT")]
        bind: std::net::SocketAddr,
        /// Public base URL the server is reached at [default: http://{bind}]
        #[arg(long, value_name = "URL")]
        base: Option<String>,
        /// Allow SPARQL Update (/update) and Graph Store writes, for requests carrying the token
        #[arg(long, requires = "token")]
        writable: bool,
        /// Bearer token for writes (Authorization: Bearer TOKEN)
        #[arg(
            long,
            env = "NORMGRAPH_TOKEN",
            value_name = "TOKEN",
            hide_env_values = true
        )]
        token: Option<String>,
        /// Time limit of one query or update, in seconds (fractions allowed)
        #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
        timeout: f64,
        /// Most rows (or triples) one answer may have; larger answers are refused (HTTP 422)
        #[arg(long, default_value_t = 100_000, value_name = "N")]
        max_rows: usize,
        /// Largest request body in bytes (HTTP 413 beyond)
        #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
        max_body: usize,
        /// Most queries running at once [default: 2 x CPUs]
        #[arg(long, value_name = "N")]
        max_concurrent: Option<usize>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("normgraph: error: {e:#}");
            ExitCode::from(2)
        }
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
    let kg = KnowledgeGraph::open(&location, bundle.clone())?;
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

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let bundle = cli
        .home
        .clone()
        .map(Bundle::new)
        .unwrap_or_else(Bundle::default_location);
    match &cli.command {
        Command::Load { paths, quiet } => {
            let report = if paths.is_empty() {
                let kg = open_store(&cli, &bundle)?;
                kg.sync_bundle()?.unwrap_or_default()
            } else {
                let cwd = std::env::current_dir().context("reading the current folder")?;
                let mut files = Vec::new();
                for p in paths {
                    for f in rdf_files_in(p)? {
                        files.push(SourceFile::relative_to(&f, &cwd));
                    }
                }
                if files.is_empty() {
                    anyhow::bail!("no RDF files found in the given paths");
                }
                let kg = open_store(&cli, &bundle)?;
                kg.load(&files)?
            };
            if !quiet {
                print_load_report(&report);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Query {
            query: name,
            params,
            format,
            list,
        } => {
            if *list {
                for q in query::library(&bundle.queries_dir())? {
                    println!("{:<28} {}", q.name, q.description);
                    for p in &q.params {
                        println!("{:<28}   --param {}=…  {}", "", p.name, p.doc);
                    }
                }
                return Ok(ExitCode::SUCCESS);
            }
            let name = name.as_deref().unwrap_or_default();
            let q = query::resolve(&bundle.queries_dir(), name)?;
            let bindings = params
                .iter()
                .map(|p| {
                    p.split_once('=')
                        .map(|(k, v)| (k.trim().trim_start_matches('?').to_owned(), v.to_owned()))
                        .ok_or_else(|| anyhow::anyhow!("--param {p:?}: expected NAME=VALUE"))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            // Check parameters and syntax before touching the store.
            let format: Option<Format> = format.as_deref().map(str::parse).transpose()?;
            let kg = open_for_reading(&cli, &bundle)?;
            let answer = query::run(&kg, &q, &bindings)?;
            let terminal = std::io::stdout().is_terminal();
            let format = format.unwrap_or(match (&answer, terminal) {
                (_, true) => Format::Table,
                (query::Answer::Graph(_), false) => Format::Turtle,
                _ => Format::Csv,
            });
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            query::render(&kg, &answer, format, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats => {
            let kg = open_for_reading(&cli, &bundle)?;
            let stats = kg.stats()?;
            println!("{:>9}  named graph (file path for loaded files)", "quads");
            for (g, n) in &stats.graphs {
                let name = if g.is_empty() {
                    "(default graph)".to_owned()
                } else {
                    g.strip_prefix(normgraph::vocab::graph::NS)
                        .map_or_else(|| format!("<{g}>"), str::to_owned)
                };
                println!("{n:>9}  {name}");
            }
            println!("{:>9}  total\n", stats.total);
            println!("{:>9}  class", "instances");
            for (c, n) in &stats.classes {
                println!(
                    "{n:>9}  {}",
                    normgraph::vocab::compact(c).unwrap_or_else(|| c.clone())
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            bind,
            base,
            writable,
            token,
            timeout,
            max_rows,
            max_body,
            max_concurrent,
        } => {
            if !(timeout.is_finite() && *timeout > 0.0) {
                anyhow::bail!("--timeout must be a positive number of seconds");
            }
            let mut config = serve::Config {
                bind: *bind,
                base: base.clone(),
                write_token: if *writable { token.clone() } else { None },
                timeout: std::time::Duration::from_secs_f64(*timeout),
                max_rows: *max_rows,
                max_body: *max_body,
                ..serve::Config::default()
            };
            if let Some(n) = max_concurrent {
                config.max_concurrent = *n;
            }
            if *writable && token.as_deref().is_none_or(str::is_empty) {
                anyhow::bail!("--writable needs a non-empty --token (or NORMGRAPH_TOKEN)");
            }
            if !bind.ip().is_loopback() {
                eprintln!(
                    "normgraph: warning: listening on {bind}, reachable from other machines{}",
                    if *writable {
                        " (writes need the token)"
                    } else {
                        ""
                    }
                );
            }
            let kg = std::sync::Arc::new(open_for_reading(&cli, &bundle)?);
            serve::run(kg, config, |bound| {
                eprintln!(
                    "normgraph: serving {} on {} ({}): query page {}/ , SPARQL {}/sparql",
                    if cli.memory {
                        "an in-memory store"
                    } else {
                        "the store"
                    },
                    bound.local_addr(),
                    if *writable { "writable" } else { "read-only" },
                    bound.base(),
                    bound.base()
                );
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
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

fn print_load_report(report: &LoadReport) {
    for (path, graph, n) in &report.loaded {
        println!(
            "loaded {n:>7} quads  {}  -> <{}>",
            path.display(),
            graph.as_str()
        );
    }
    for g in &report.removed {
        println!("removed graph <{}>", g.as_str());
    }
    println!(
        "{} file(s) loaded, {} unchanged, {} graph(s) removed, {} inferred triples, in {:.2?}",
        report.loaded.len(),
        report.unchanged,
        report.removed.len(),
        report.inferred,
        report.elapsed
    );
}
