//! `normgraph query`: Run a named query (see --list), a .rq file, or a query read from stdin (-).

use super::*;

/// The arguments of `normgraph query`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Query name (queries/NAME.rq), path to a .rq file, or - for stdin
    #[arg(required_unless_present = "list")]
    pub(crate) query: Option<String>,
    /// Bind a parameter: NAME=VALUE, VALUE being <IRI>, prefix:name, "literal", a date or a number
    #[arg(short, long = "param", value_name = "NAME=VALUE")]
    pub(crate) params: Vec<String>,
    /// Output: table, markdown, csv, tsv, json, xml (results); ttl, nt, jsonld, rdfxml (graphs)
    /// [default: table on a terminal, csv (results) or ttl (graphs) otherwise]
    #[arg(
        short,
        long,
        value_enum,
        ignore_case = true,
        hide_possible_values = true
    )]
    pub(crate) format: Option<Format>,
    /// List the named queries with their description and parameters
    #[arg(long)]
    pub(crate) list: bool,
    /// Allow SERVICE calls to this host (HOST or HOST:PORT; repeatable); others are refused
    #[arg(long, value_name = "HOST[:PORT]")]
    pub(crate) allow_service: Vec<String>,
    /// Read allowed SERVICE hosts from a file (one per line, # comments)
    #[arg(long, value_name = "FILE")]
    pub(crate) allow_service_file: Option<PathBuf>,
    /// Stop the query after this many seconds (exit 2) [default: no limit]
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub(crate) timeout: Option<f64>,
}

pub(crate) fn run(cli: &Cli, bundle: &Bundle, args: &Args) -> anyhow::Result<ExitCode> {
    let Args {
        query: name,
        params,
        format,
        list,
        allow_service,
        allow_service_file,
        timeout,
    } = args;
    if *list {
        for q in normgraph::query::library(&bundle.queries_dir())? {
            out!("{:<28} {}", q.name, q.description);
            for p in &q.params {
                out!("{:<28}   --param {}=…  {}", "", p.name, p.doc);
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let name = name.as_deref().unwrap_or_default();
    let q = normgraph::query::resolve(&bundle.queries_dir(), name)?;
    let bindings = params
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.trim().trim_start_matches('?').to_owned(), v.to_owned()))
                .ok_or_else(|| anyhow::anyhow!("--param {p:?}: expected NAME=VALUE"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
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
    let kg = open_for_reading(cli, bundle)?;
    let mut hosts = allow_service.clone();
    if let Some(f) = allow_service_file {
        hosts.extend(remote::Allowlist::read_hosts(f)?);
    }
    let mut evaluator = oxigraph::sparql::SparqlEvaluator::new().with_default_service_handler(
        remote::HttpServiceHandler::new(
            remote::Allowlist::new(hosts),
            &remote::HttpOptions::default(),
        )?,
    );
    let stopped = || {
        anyhow::anyhow!(
            "query {}: did not finish within the time limit of {} s (--timeout) and was stopped",
            q.name,
            timeout.unwrap_or_default()
        )
    };
    // The token says whether the limit cut the query (not the evaluator's message text).
    let token = timeout.map(|secs| {
        let token = oxigraph::sparql::CancellationToken::new();
        watchdog(
            std::time::Duration::from_secs_f64(secs),
            token.clone(),
            stopped().to_string(),
        );
        token
    });
    if let Some(t) = &token {
        evaluator = evaluator.with_cancellation_token(t.clone());
    }
    let answer = match normgraph::query::run_with(&kg, &q, &bindings, evaluator) {
        Err(_) if token.as_ref().is_some_and(|t| t.is_cancelled()) => return Err(stopped()),
        other => other?,
    };
    if answer.is_empty() {
        // An IRI that names nothing is most often a typo: say so.
        for (name, value) in &bindings {
            if let Some(iri) = normgraph::query::unknown_iri(&kg, value)? {
                eprintln!(
                    "normgraph: note: --param {name}: <{iri}> appears in no triple of the store"
                );
            }
        }
    }
    let terminal = std::io::stdout().is_terminal();
    let format = format.unwrap_or(match (&answer, terminal) {
        (_, true) => Format::Table,
        (normgraph::query::Answer::Graph(_), false) => Format::Turtle,
        _ => Format::Csv,
    });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    normgraph::query::render(&kg, &answer, format, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
