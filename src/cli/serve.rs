//! `normgraph serve`: Serve the graph over HTTP: SPARQL 1.1 endpoint (/sparql), Graph Store Protocol (/store),

use super::*;

/// The arguments of `normgraph serve`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Address to listen on (port 0: any free port, printed on stderr)
    #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR:PORT")]
    pub(crate) bind: std::net::SocketAddr,
    /// Public base URL the server is reached at [default: http://{bind}]
    #[arg(long, value_name = "URL")]
    pub(crate) base: Option<String>,
    /// Allow SPARQL Update (/update) and Graph Store writes, for requests carrying the token
    #[arg(long, requires = "token")]
    pub(crate) writable: bool,
    /// Bearer token for writes (Authorization: Bearer TOKEN)
    #[arg(
        long,
        env = "NORMGRAPH_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub(crate) token: Option<String>,
    /// Time limit of one query or update, in seconds (fractions allowed)
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    pub(crate) timeout: f64,
    /// Most rows (or triples) one answer may have; larger answers are refused (HTTP 422)
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub(crate) max_rows: usize,
    /// Largest request body in bytes (HTTP 413 beyond)
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub(crate) max_body: usize,
    /// Most queries running at once [default: 2 x CPUs]
    #[arg(long, value_name = "N")]
    pub(crate) max_concurrent: Option<usize>,
}

pub(crate) fn run(cli: &Cli, bundle: &Bundle, args: &Args) -> anyhow::Result<ExitCode> {
    let Args {
        bind,
        base,
        writable,
        token,
        timeout,
        max_rows,
        max_body,
        max_concurrent,
    } = args;
    if !(timeout.is_finite() && *timeout > 0.0 && *timeout <= 86_400.0) {
        anyhow::bail!("--timeout must be a number of seconds above 0 and at most 86400 (one day)");
    }
    if let Some(b) = base {
        let ok = (b.starts_with("http://") || b.starts_with("https://"))
            && oxigraph::model::NamedNode::new(format!("{}/sparql", b.trim_end_matches('/')))
                .is_ok();
        if !ok {
            anyhow::bail!("--base {b:?}: not an absolute http(s) IRI (the server's links and its /void are built on it)");
        }
    }
    let mut config = normgraph::serve::Config {
        bind: *bind,
        base: base.clone(),
        write_token: if *writable { token.clone() } else { None },
        timeout: std::time::Duration::from_secs_f64(*timeout),
        max_rows: *max_rows,
        max_body: *max_body,
        ..normgraph::serve::Config::default()
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
    let kg = std::sync::Arc::new(open_for_reading(cli, bundle)?);
    normgraph::serve::run(kg, config, |bound| {
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
