//! `normgraph push`: Send the store (or some graphs) to another SPARQL 1.1 store, then count the triples there.

use super::*;

/// The arguments of `normgraph push`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store
    #[arg(long, value_name = "URL", required_unless_present = "update_endpoint")]
    pub(crate) endpoint: Option<String>,
    /// SPARQL Update endpoint: send batched INSERT DATA instead of Graph Store PUTs
    #[arg(long, value_name = "URL")]
    pub(crate) update_endpoint: Option<String>,
    /// SPARQL query endpoint to count the triples [default: the endpoint with /store -> /query]
    #[arg(long, value_name = "URL")]
    pub(crate) query_endpoint: Option<String>,
    /// Push only this graph (<IRI> or prefix:name; repeatable) [default: every data graph]
    #[arg(long, value_name = "IRI")]
    pub(crate) graph: Vec<String>,
    /// Bearer token (or NORMGRAPH_PUSH_TOKEN)
    #[arg(long, env = "NORMGRAPH_PUSH_TOKEN", hide_env_values = true)]
    pub(crate) token: Option<String>,
    /// Triples per request
    #[arg(long, default_value_t = 50_000)]
    pub(crate) batch: usize,
}

pub(crate) fn run(cli: &Cli, bundle: &Bundle, args: &Args) -> anyhow::Result<ExitCode> {
    let Args {
        endpoint,
        update_endpoint,
        query_endpoint,
        graph,
        token,
        batch,
    } = args;
    let query = match (query_endpoint, endpoint) {
        (Some(q), _) => q.clone(),
        (None, Some(e)) if e.ends_with("/store") => {
            format!("{}/query", e.trim_end_matches("/store"))
        }
        (None, Some(e)) => e.clone(),
        (None, None) => anyhow::bail!("--query-endpoint is needed with --update-endpoint"),
    };
    let only = graph_args(graph)?;
    let kg = open_for_reading(cli, bundle)?;
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
