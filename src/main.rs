//! The `normgraph` command: parses arguments and calls the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use normgraph::export::{self, ExportFormat, Table};
use normgraph::query::{self, Format};
use normgraph::remote;
use normgraph::serve;
use normgraph::store::{rdf_files_in, SourceFile};
use normgraph::validate::{self, Severity};
use normgraph::{Bundle, KnowledgeGraph, LoadReport};

/// `println!` that returns the error (a closed pipe ends the command quietly, see `main`) instead
/// of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}

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
        /// Files, folders (searched recursively) or http(s) URLs (each URL into the graph named by it)
        paths: Vec<String>,
        /// Time limit of one HTTP request, in seconds
        #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
        http_timeout: u64,
        /// Largest document fetched over HTTP, in bytes (at most 1 TiB)
        #[arg(long, default_value_t = 1 << 30, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..=1 << 40))]
        max_bytes: u64,
        /// Print nothing on success
        #[arg(short, long)]
        quiet: bool,
        /// Use the streaming bulk loader (default: when the files add up to 8 MiB or more)
        #[arg(long, overrides_with = "no_bulk")]
        bulk: bool,
        /// Never use the bulk loader (one transaction, all in memory)
        #[arg(long)]
        no_bulk: bool,
        /// Memory budget of the bulk loader, in MiB
        #[arg(long, value_name = "MIB", default_value_t = 512, value_parser = parse_mib)]
        max_memory: usize,
        /// Load even if the result breaks the shapes (by default a load that brings a violation
        /// is refused before anything is written; bulk loads are not checked)
        #[arg(long)]
        force: bool,
    },
    /// Search norms, actors and instruments by label, text, symbol ("A/70/174") or ISO code.
    Search {
        /// Words to look for (all must match)
        #[arg(required = true)]
        text: Vec<String>,
        /// Only this kind: norm, actor or instrument
        #[arg(short, long)]
        kind: Option<String>,
        /// Most hits shown
        #[arg(short = 'n', long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=10_000))]
        limit: u64,
        /// Output: table, markdown, csv, tsv, json, xml [default: table on a terminal, csv otherwise]
        #[arg(short, long)]
        format: Option<String>,
    },
    /// Put actors side by side: every norm one of them has a stance on, each actor's strongest
    /// stance, how firmly, since when, through which instrument.
    Compare {
        /// Actors: <IRI> or prefix:name (state:CHN state:USA state:RUS ...)
        #[arg(required = true, num_args = 1..)]
        actors: Vec<String>,
        /// Output: text (one block per norm) or csv (one row per actor, norm and stance)
        #[arg(short, long, default_value = "text")]
        format: String,
    },
    /// How backing of a norm grew: for each date, the actors who began to back it then.
    Timeline {
        /// The norm: <IRI> or prefix:name (norm:gge2015-13f)
        norm: String,
        /// Output: text or csv
        #[arg(short, long, default_value = "text")]
        format: String,
    },
    /// Remove loaded files from the store (by path or graph IRI) and recompute the derived graph.
    ///
    /// All-or-nothing, like load. Files of the bundled data cannot be unloaded: every reading
    /// command loads them again.
    Unload {
        /// Files (as given to load) or graph IRIs (<IRI>)
        #[arg(required = true)]
        targets: Vec<String>,
        /// Unload even if the result breaks the shapes
        #[arg(long)]
        force: bool,
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
        /// Output: table, markdown, csv, tsv, json, xml (results); ttl, nt, jsonld, rdfxml (graphs)
        /// [default: table on a terminal, csv (results) or ttl (graphs) otherwise]
        #[arg(short, long)]
        format: Option<String>,
        /// List the named queries with their description and parameters
        #[arg(long)]
        list: bool,
        /// Allow SERVICE calls to this host (HOST or HOST:PORT; repeatable); others are refused
        #[arg(long, value_name = "HOST[:PORT]")]
        allow_service: Vec<String>,
        /// Read allowed SERVICE hosts from a file (one per line, # comments)
        #[arg(long, value_name = "FILE")]
        allow_service_file: Option<PathBuf>,
        /// Stop the query after this many seconds (exit 2) [default: no limit]
        #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
        timeout: Option<f64>,
    },
    /// Send the store (or some graphs) to another SPARQL 1.1 store, then count the triples there.
    ///
    /// Graph Store Protocol (PUT per graph, large graphs in chunks) by default, or batched
    /// INSERT DATA with --update-endpoint. A count that differs is an error (exit 2).
    Push {
        /// Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store
        #[arg(long, value_name = "URL", required_unless_present = "update_endpoint")]
        endpoint: Option<String>,
        /// SPARQL Update endpoint: send batched INSERT DATA instead of Graph Store PUTs
        #[arg(long, value_name = "URL")]
        update_endpoint: Option<String>,
        /// SPARQL query endpoint to count the triples [default: the endpoint with /store -> /query]
        #[arg(long, value_name = "URL")]
        query_endpoint: Option<String>,
        /// Push only this graph (<IRI> or prefix:name; repeatable) [default: every data graph]
        #[arg(long, value_name = "IRI")]
        graph: Vec<String>,
        /// Bearer token (or NORMGRAPH_PUSH_TOKEN)
        #[arg(long, env = "NORMGRAPH_PUSH_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Triples per request
        #[arg(long, default_value_t = 50_000)]
        batch: usize,
    },
    /// Print triples per named graph and instances per class.
    Stats,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) on stdout.
    ///
    /// E.g. `normgraph completions bash > ~/.local/share/bash-completion/completions/normgraph`.
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout, or write one page per command into DIR.
    ///
    /// E.g. `normgraph manpage | man -l -`, or `normgraph manpage --dir ~/.local/share/man/man1`.
    Manpage {
        /// Write normgraph.1 and normgraph-COMMAND.1 into this folder
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Check the store (or the given files) against the SHACL shapes and consistency rules.
    ///
    /// Exit code 0 when it conforms, 1 when there are violations, 2 on error.
    Validate {
        /// Validate these files or folders in the context of the store (or of the bundled data
        /// with --memory): shows the findings they bring, as if they were loaded
        paths: Vec<PathBuf>,
        /// Validate the files on their own, with the bundled ontology only
        #[arg(long, requires = "paths")]
        alone: bool,
        /// SHACL shapes file [default: the bundle's ontology/shapes.ttl]
        #[arg(long, value_name = "FILE")]
        shapes: Option<PathBuf>,
        /// Output: text (grouped by rule), ttl or jsonld (W3C sh:ValidationReport), json
        #[arg(short, long, default_value = "text")]
        format: String,
        /// Show only findings at least this severe: info, warning, violation
        #[arg(long, default_value = "info", value_name = "S")]
        min_severity: String,
    },
    /// Export the graph: RDF dumps, a canonical checksummed dump, JSON-LD, CSV tables, a release.
    ///
    /// By default every data graph (ontology and data files), without the bookkeeping graph and
    /// without derived facts. Triple formats (ttl, nt, rdfxml, jsonld) write the union of the
    /// graphs; nq and trig keep graph names.
    Export {
        /// ttl, nt, nq, trig, rdfxml, jsonld or csv [default: from -o's extension, else ttl]
        #[arg(short, long)]
        format: Option<String>,
        /// Export only this named graph (<IRI> or prefix:name; repeatable)
        #[arg(short, long, value_name = "IRI")]
        graph: Vec<String>,
        /// Canonical RDFC-1.0 N-Quads (sorted); its SHA-256 is printed on stderr
        #[arg(long, conflicts_with_all = ["format", "table"])]
        canonical: bool,
        /// Add the derived graph (rules of ontology/rules/) to the export
        #[arg(long)]
        include_inferred: bool,
        /// CSV table: endorsements, norms or actors
        #[arg(long)]
        table: Option<String>,
        /// Write to FILE instead of stdout
        #[arg(short, long, value_name = "FILE", conflicts_with = "release")]
        output: Option<PathBuf>,
        /// Write every dump, the CSV tables, context.jsonld, void.ttl and SHA256SUMS into DIR
        #[arg(long, value_name = "DIR", conflicts_with_all = ["format", "table", "canonical"])]
        release: Option<PathBuf>,
        /// SPARQL endpoint announced in void.ttl (with --release)
        #[arg(
            long,
            value_name = "URL",
            default_value = "http://127.0.0.1:7878/sparql"
        )]
        base: String,
    },
    /// Write a deterministic synthetic graph (benchmarks, validator recall): ~200 synthetic states,
    /// 30 institutions, treaties, resolutions and declarations with their norms and endorsements.
    ///
    /// N-Triples, or N-Quads when FILE ends in .nq. With --defects, inconsistencies of every kind
    /// the validator checks are injected and listed in FILE.defects.json.
    Generate {
        /// Approximate number of triples
        #[arg(long, value_name = "N")]
        triples: u64,
        /// Seed of the pseudo-random generator (same seed, same bytes)
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Fraction of endorsements to turn into defects (e.g. 0.01)
        #[arg(long, value_name = "RATE", default_value_t = 0.0)]
        defects: f64,
        /// Output file (.nt or .nq)
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Time loading and the common queries on a store (for bench/run.sh): JSON lines on stdout.
    ///
    /// Loads FILES with the bundle's ontology files first (no bundled data), then runs
    /// who-backs-norm, norms-backed-by, common-ground, a 20-state alignment, contested norms, the
    /// contradiction check and (with --validate) the full validation.
    Bench {
        /// Files to load before timing (a generated graph)
        files: Vec<PathBuf>,
        /// Warm runs per query (median reported)
        #[arg(long, default_value_t = 5)]
        repeat: usize,
        /// Run the full SHACL validation too
        #[arg(long)]
        validate: bool,
        /// Memory budget of the bulk loader, in MiB
        #[arg(long, value_name = "MIB", default_value_t = 512, value_parser = parse_mib)]
        max_memory: usize,
    },
    /// Describe a resource: its triples (through blank nodes) and the labels of what it links to.
    Describe {
        /// The resource: <IRI> or prefix:name (state:CHN, norm:gge2015-13f)
        iri: String,
        /// ttl, nt, rdfxml or jsonld [default: ttl]
        #[arg(short, long)]
        format: Option<String>,
    },
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
    // --version names the code and the data release embedded in the binary: the canonical SHA-256
    // of its data graphs (`normgraph::embedded::release`, as `export --canonical` prints it) and
    // the digest of its files; computed only when asked for, not at every start.
    let asked = std::env::args()
        .skip(1)
        .any(|a| a == "--version" || a == "-V");
    let version: &'static str = if asked {
        let release = match normgraph::embedded::release() {
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
    let matches = <Cli as clap::CommandFactory>::command()
        .version(version)
        .get_matches();
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

/// An error and its causes on one line (parsers' messages may span several), each cause once:
/// an error whose message already ends with its source's (an I/O error naming its file and
/// cause) does not repeat it.
fn one_line(e: &anyhow::Error) -> String {
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

/// Did the command fail because its standard output was closed?
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.to_string().contains("Broken pipe (os error 32)")
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

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let bundle = cli
        .home
        .clone()
        .map(Bundle::new)
        .unwrap_or_else(Bundle::default_location);
    match &cli.command {
        Command::Load {
            paths,
            quiet,
            http_timeout,
            max_bytes,
            bulk,
            no_bulk,
            max_memory,
            force,
        } => {
            let report = if paths.is_empty() {
                let kg = open_store(&cli, &bundle)?;
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
                let kg = open_store(&cli, &bundle)?;
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
                    check: (!force).then(|| validate::gate(None)),
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
        Command::Search {
            text,
            kind,
            limit,
            format,
        } => {
            let kind: Option<normgraph::search::Kind> =
                kind.as_deref().map(str::parse).transpose()?;
            let format: Option<Format> = format.as_deref().map(str::parse).transpose()?;
            if matches!(
                format,
                Some(Format::Turtle | Format::NTriples | Format::JsonLd | Format::RdfXml)
            ) {
                anyhow::bail!(
                    "search answers are tables: use table, markdown, csv, tsv, json or xml"
                );
            }
            let kg = open_for_reading(&cli, &bundle)?;
            let index = normgraph::search::Index::build(&kg)?;
            let hits = index.search(&text.join(" "), kind, *limit as usize);
            if hits.is_empty() {
                eprintln!(
                    "normgraph: no norm, actor or instrument matches {:?}",
                    text.join(" ")
                );
            }
            let format = format.unwrap_or(if std::io::stdout().is_terminal() {
                Format::Table
            } else {
                Format::Csv
            });
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            query::render(&kg, &normgraph::search::answer(&hits), format, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Compare { actors, format } => {
            if !matches!(format.as_str(), "text" | "csv") {
                anyhow::bail!("unknown format {format:?} (text, csv)");
            }
            let actors = iri_args("actor", actors)?;
            let kg = open_for_reading(&cli, &bundle)?;
            let cmp = normgraph::compare::compare(&kg, &actors)?;
            let text = if format == "csv" {
                cmp.to_csv()
            } else {
                cmp.to_text()
            };
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Timeline { norm, format } => {
            if !matches!(format.as_str(), "text" | "csv") {
                anyhow::bail!("unknown format {format:?} (text, csv)");
            }
            let norm = iri_args("norm", std::slice::from_ref(norm))?.remove(0);
            let kg = open_for_reading(&cli, &bundle)?;
            if let Some(iri) = query::unknown_iri(&kg, &format!("<{}>", norm.as_str()))? {
                anyhow::bail!("<{iri}> appears in no triple of the store");
            }
            let steps = normgraph::compare::timeline(&kg, &norm)?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let mut total = 0;
            if format == "csv" {
                writeln!(out, "date,added,total,via")?;
            }
            for s in &steps {
                total += s.added;
                if format == "csv" {
                    let via = s.via.join("; ").replace('"', "\"\"");
                    writeln!(out, "{},{},{total},\"{via}\"", s.date, s.added)?;
                } else {
                    writeln!(
                        out,
                        "{:<10}  +{:<4} {total:>5}  {}",
                        s.date,
                        s.added,
                        s.via.join("; ")
                    )?;
                }
            }
            if steps.is_empty() {
                eprintln!("normgraph: nobody backs {} on record", norm.as_str());
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Unload {
            targets,
            force,
            quiet,
        } => {
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
            let kg = open_store(&cli, &bundle)?;
            let check = (!force).then(|| validate::gate(None));
            let report = kg.unload(&graphs, check.as_ref())?;
            if !quiet {
                print_load_report(&report)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Query {
            query: name,
            params,
            format,
            list,
            allow_service,
            allow_service_file,
            timeout,
        } => {
            if *list {
                for q in query::library(&bundle.queries_dir())? {
                    out!("{:<28} {}", q.name, q.description);
                    for p in &q.params {
                        out!("{:<28}   --param {}=…  {}", "", p.name, p.doc);
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
            // The output format is checked before the store is opened (or built).
            let format: Option<Format> = format.as_deref().map(str::parse).transpose()?;
            // A name the query does not declare is a typo: say so first.
            for (name, _) in &bindings {
                if !q.params.is_empty() && !q.params.iter().any(|p| &p.name == name) {
                    return Err(q.no_such_parameter(name).into());
                }
            }
            // Every parameter the query declares is required, once.
            for p in &q.params {
                let given = bindings.iter().filter(|(n, _)| n == &p.name).count();
                if given == 0 {
                    anyhow::bail!(
                        "query {}: missing --param {}=VALUE ({})",
                        q.name,
                        p.name,
                        p.doc
                    );
                }
                if given > 1 {
                    anyhow::bail!("query {}: --param {} given {given} times", q.name, p.name);
                }
            }
            let kg = open_for_reading(&cli, &bundle)?;
            let mut hosts = allow_service.clone();
            if let Some(f) = allow_service_file {
                hosts.extend(remote::Allowlist::read_hosts(f)?);
            }
            let mut evaluator = oxigraph::sparql::SparqlEvaluator::new()
                .with_default_service_handler(remote::HttpServiceHandler::new(
                    remote::Allowlist::new(hosts),
                    &remote::HttpOptions::default(),
                )?);
            let limit = timeout.map(std::time::Duration::from_secs_f64);
            let stopped = || {
                anyhow::anyhow!(
                    "query {}: did not finish within the time limit of {} s (--timeout) and was stopped",
                    q.name,
                    timeout.unwrap_or_default()
                )
            };
            if let Some(limit) = limit {
                let token = oxigraph::sparql::CancellationToken::new();
                evaluator = evaluator.with_cancellation_token(token.clone());
                watchdog(limit, token, stopped().to_string());
            }
            let answer = match query::run_with(&kg, &q, &bindings, evaluator) {
                Err(normgraph::Error::QueryEvaluation { message, .. })
                    if limit.is_some() && message.contains("cancelled") =>
                {
                    return Err(stopped())
                }
                other => other?,
            };
            if answer.is_empty() {
                // An IRI that names nothing is most often a typo: say so.
                for (name, value) in &bindings {
                    if let Some(iri) = query::unknown_iri(&kg, value)? {
                        eprintln!("normgraph: note: --param {name}: <{iri}> appears in no triple of the store");
                    }
                }
            }
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
        Command::Validate {
            paths,
            alone,
            shapes,
            format,
            min_severity,
        } => {
            let min: Severity = min_severity.parse()?;
            if !matches!(
                format.as_str(),
                "text" | "ttl" | "turtle" | "jsonld" | "json-ld" | "json"
            ) {
                anyhow::bail!("unknown format {format:?} (text, ttl, jsonld, json)");
            }
            let mut context = None;
            let outcome = if paths.is_empty() {
                let kg = open_for_reading(&cli, &bundle)?;
                validate::validate_graph(&kg, shapes.as_deref())?
            } else if *alone {
                validate::validate_files(&bundle, paths, shapes.as_deref())?
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
                let kg = open_for_reading(&cli, &bundle)?;
                let after = kg.with_files(&files)?;
                let delta = validate::compare(&kg, &after, shapes.as_deref())?;
                context = Some((delta.kept, delta.resolved));
                delta.new
            };
            let outcome = outcome.at_least(min);
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match format.as_str() {
                "ttl" | "turtle" => outcome.write_rdf(oxigraph::io::RdfFormat::Turtle, &mut out)?,
                "jsonld" | "json-ld" => outcome.write_rdf(
                    oxigraph::io::RdfFormat::JsonLd {
                        profile: oxigraph::io::JsonLdProfileSet::empty(),
                    },
                    &mut out,
                )?,
                "json" => writeln!(out, "{}", serde_json::to_string_pretty(&outcome.to_json())?)?,
                _ => write!(out, "{outcome}")?,
            }
            out.flush()?;
            if let Some((kept, resolved)) = context {
                eprintln!(
                    "normgraph: validated in the context of the store: the findings shown are those the files bring; {kept} finding(s) of the store are not theirs (see `normgraph validate`), {resolved} are resolved by them"
                );
            }
            Ok(if outcome.passes() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Export {
            format,
            graph,
            canonical,
            include_inferred,
            table,
            output,
            release,
            base,
        } => {
            let format: Option<ExportFormat> = match (format, output) {
                (Some(f), _) => Some(f.parse()?),
                (None, Some(path)) => ExportFormat::from_path(path),
                _ => None,
            };
            let table: Option<Table> = table.as_deref().map(str::parse).transpose()?;
            let graphs = graph_args(graph)?;
            let selection = export::Selection {
                graphs: (!graphs.is_empty()).then_some(graphs),
                include_inferred: *include_inferred,
            };
            let kg = open_for_reading(&cli, &bundle)?;
            if let Some(dir) = release {
                let r = export::release(&kg, &selection, dir, base)?;
                for f in &r.files {
                    eprintln!("{:>10} bytes  {}", f.bytes, dir.join(&f.name).display());
                }
                eprintln!(
                    "release {} of {} triples in {}; canonical sha256:{}",
                    r.version,
                    r.triples,
                    dir.display(),
                    r.canonical_sha256
                );
                return Ok(ExitCode::SUCCESS);
            }
            let mut out: Box<dyn Write> = match output {
                Some(path) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(path)
                        .with_context(|| format!("creating {}", path.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            if *canonical {
                let c = export::canonical(&kg, &selection)?;
                out.write_all(c.nquads.as_bytes())?;
                eprintln!("sha256:{}  ({} quads)", c.sha256, c.quads);
            } else if format == Some(ExportFormat::Csv) || table.is_some() {
                let table = table.ok_or_else(|| {
                    anyhow::anyhow!(
                        "--format csv needs --table endorsements|norms|actors (or use --release)"
                    )
                })?;
                export::write_table(&kg, table, &mut out)?;
            } else {
                export::write(
                    &kg,
                    &selection,
                    format.unwrap_or(ExportFormat::Turtle),
                    &mut out,
                )?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Describe { iri, format } => {
            let format: ExportFormat = format.as_deref().unwrap_or("ttl").parse()?;
            let node = match query::parse_value("iri", iri)? {
                oxigraph::model::Term::NamedNode(n) => n,
                _ => anyhow::bail!("{iri}: not an IRI"),
            };
            let kg = open_for_reading(&cli, &bundle)?;
            let triples = export::describe(&kg, &node)?;
            if triples.is_empty() {
                anyhow::bail!("the store says nothing about <{}>", node.as_str());
            }
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            export::write_description(&kg, &triples, format, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Push {
            endpoint,
            update_endpoint,
            query_endpoint,
            graph,
            token,
            batch,
        } => {
            let query = match (query_endpoint, endpoint) {
                (Some(q), _) => q.clone(),
                (None, Some(e)) if e.ends_with("/store") => {
                    format!("{}/query", e.trim_end_matches("/store"))
                }
                (None, Some(e)) => e.clone(),
                (None, None) => anyhow::bail!("--query-endpoint is needed with --update-endpoint"),
            };
            let only = graph_args(graph)?;
            let kg = open_for_reading(&cli, &bundle)?;
            let target = remote::PushTarget {
                store: endpoint.clone(),
                update: update_endpoint.clone(),
                query,
                token: token.clone(),
                batch: *batch,
            };
            let report = remote::push(&kg, &target, &only, &remote::HttpOptions::default())?;
            for (g, sent, counted) in &report.graphs {
                out!(
                    "{sent:>8} sent  {counted:>8} counted remotely  <{}>",
                    g.as_str()
                );
            }
            let total: usize = report.graphs.iter().map(|(_, s, _)| s).sum();
            out!(
                "pushed {} graph(s), {total} triples, in {} request(s); remote counts match",
                report.graphs.len(),
                report.requests
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate {
            triples,
            seed,
            defects,
            output,
        } => {
            let quads = match output.extension().and_then(|e| e.to_str()) {
                Some("nq") => true,
                Some("nt") => false,
                _ => anyhow::bail!("{}: use a .nt or .nq file name", output.display()),
            };
            if !(0.0..1.0).contains(defects) {
                anyhow::bail!("--defects {defects}: expected a rate in [0, 1)");
            }
            let options = normgraph::generate::Options {
                triples: *triples,
                seed: *seed,
                defect_rate: *defects,
                quads,
            };
            let file = std::fs::File::create(output)
                .with_context(|| format!("creating {}", output.display()))?;
            let report = normgraph::generate::generate(
                &options,
                std::io::BufWriter::with_capacity(1 << 20, file),
            )?;
            if *defects > 0.0 {
                let mut sidecar = output.clone().into_os_string();
                sidecar.push(".defects.json");
                std::fs::write(&sidecar, serde_json::to_string_pretty(&report)?)
                    .with_context(|| format!("writing {}", PathBuf::from(&sidecar).display()))?;
            }
            eprintln!(
                "{}: {} triples, {} instruments, {} norms, {} endorsements, {} expected findings",
                output.display(),
                report.triples,
                report.instruments,
                report.norms,
                report.endorsements,
                report.defects.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            files,
            repeat,
            validate,
            max_memory,
        } => {
            let kg = open_store(&cli, &bundle)?;
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
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = std::io::stdout().lock();
            clap_complete::generate(*shell, &mut cmd, "normgraph", &mut out);
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Manpage { dir } => {
            let cmd = <Cli as clap::CommandFactory>::command();
            match dir {
                None => {
                    let mut out = std::io::stdout().lock();
                    clap_mangen::Man::new(cmd).render(&mut out)?;
                    out.flush()?;
                }
                Some(dir) => {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
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
        Command::Stats => {
            let kg = open_for_reading(&cli, &bundle)?;
            let stats = kg.stats()?;
            out!("{:>9}  named graph (file path for loaded files)", "quads");
            for (g, n) in &stats.graphs {
                let name = if g.is_empty() {
                    "(default graph)".to_owned()
                } else {
                    g.strip_prefix(normgraph::vocab::graph::NS)
                        .map_or_else(|| format!("<{g}>"), str::to_owned)
                };
                out!("{n:>9}  {name}");
            }
            out!("{:>9}  total\n", stats.total);
            out!("{:>9}  class", "instances");
            for (c, n) in &stats.classes {
                out!(
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
            if !(timeout.is_finite() && *timeout > 0.0 && *timeout <= 86_400.0) {
                anyhow::bail!(
                    "--timeout must be a number of seconds above 0 and at most 86400 (one day)"
                );
            }
            if let Some(b) = base {
                let ok = (b.starts_with("http://") || b.starts_with("https://"))
                    && oxigraph::model::NamedNode::new(format!(
                        "{}/sparql",
                        b.trim_end_matches('/')
                    ))
                    .is_ok();
                if !ok {
                    anyhow::bail!("--base {b:?}: not an absolute http(s) IRI (the server's links and its /void are built on it)");
                }
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

/// The `--graph` options as IRIs (compact `prefix:local` forms expanded).
/// IRIs from `<IRI>` or `prefix:name` arguments.
fn iri_args(what: &str, args: &[String]) -> anyhow::Result<Vec<oxigraph::model::NamedNode>> {
    args.iter()
        .map(|a| match query::parse_value(what, a)? {
            oxigraph::model::Term::NamedNode(n) => Ok(n),
            _ => anyhow::bail!("{what} {a:?}: expected <IRI> or prefix:name"),
        })
        .collect()
}

fn graph_args(graph: &[String]) -> anyhow::Result<Vec<oxigraph::model::NamedNode>> {
    graph
        .iter()
        .map(|g| match query::parse_value("graph", g)? {
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
