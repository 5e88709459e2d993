//! Load benchmark of `normgraph serve`: C concurrent connections for D seconds over a mix of
//! requests (a named query with a bound parameter, a small SELECT as CSV, a norm's HTML page, an
//! actor's Turtle description); prints throughput, p50/p90/p99 latency and errors, overall and per
//! request kind.
//!
//! ```sh
//! cargo run --release --example serve_bench                      # in-process server, bundled data
//! cargo run --release --example serve_bench -- --connections 64 --duration 30
//! cargo run --release --example serve_bench -- --url http://127.0.0.1:7878   # a running server
//! cargo run --release --example serve_bench -- --slow-sockets 500   # while 500 slowloris sockets are held
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use normgraph::serve::{self, Config};
use normgraph::{query, Bundle, KnowledgeGraph};

/// Load benchmark of normgraph serve.
#[derive(Parser)]
struct Args {
    /// Base URL of a running server [default: start one in this process over the bundled data]
    #[arg(long)]
    url: Option<String>,
    /// Concurrent connections
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Seconds of load
    #[arg(long, default_value_t = 30.0)]
    duration: f64,
    /// Only these request kinds (comma-separated: named-query, select-csv, norm-html, actor-turtle)
    #[arg(long)]
    only: Option<String>,
    /// Hold this many slow sockets during the load: each sends half a request header, then a byte
    /// every second, never finishing it (slowloris); reported: how many the server closed
    #[arg(long, default_value_t = 0)]
    slow_sockets: usize,
}

/// Opens `n` connections that never finish their request header (a byte a second), until `stop`;
/// returns how many the server closed, and after how long (median).
fn slowloris(
    addr: String,
    n: usize,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<(usize, usize, Option<Duration>)> {
    std::thread::spawn(move || {
        use std::io::Write;
        use std::sync::atomic::Ordering;
        let start = Instant::now();
        let mut socks: Vec<Option<std::net::TcpStream>> = (0..n)
            .map(|_| {
                std::net::TcpStream::connect(&addr).ok().and_then(|mut s| {
                    s.write_all(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: bench\r\nX-Slow: ")
                        .ok()
                        .map(|_| s)
                })
            })
            .collect();
        let opened = socks.iter().filter(|s| s.is_some()).count();
        let mut closed_after = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            for slot in socks.iter_mut() {
                if let Some(s) = slot {
                    if s.write_all(b"a").is_err() {
                        closed_after.push(start.elapsed());
                        *slot = None;
                    }
                }
            }
            std::thread::sleep(Duration::from_secs(1));
        }
        closed_after.sort();
        let median = closed_after.get(closed_after.len() / 2).copied();
        (opened, closed_after.len(), median)
    })
}

#[derive(Clone)]
enum Kind {
    NamedQuery,
    SelectCsv,
    NormHtml,
    ActorTurtle,
}

impl Kind {
    fn name(&self) -> &'static str {
        match self {
            Kind::NamedQuery => "named-query",
            Kind::SelectCsv => "select-csv",
            Kind::NormHtml => "norm-html",
            Kind::ActorTurtle => "actor-turtle",
        }
    }
}

const SELECT: &str = "PREFIX ng: <https://w3id.org/normgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?norm ?label WHERE { ?norm a ng:Norm ; rdfs:label ?label } ORDER BY ?norm LIMIT 50";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(name: &str, mut lat: Vec<Duration>, errors: usize, secs: f64) {
    lat.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<14} {:>8} {:>10.1} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {errors:>7}",
        lat.len(),
        lat.len() as f64 / secs,
        ms(percentile(&lat, 0.50)),
        ms(percentile(&lat, 0.90)),
        ms(percentile(&lat, 0.99)),
        ms(lat.last().copied().unwrap_or_default()),
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let bundle = Bundle::default_location();
    let who_backs = query::resolve(&bundle.queries_dir(), "who-backs-norm")?.text;
    let mut _server = None;
    let base = match &args.url {
        Some(u) => u.trim_end_matches('/').to_owned(),
        None => {
            let started = Instant::now();
            let kg = KnowledgeGraph::in_memory(bundle.clone())?;
            kg.sync_bundle()?;
            let h = serve::spawn(
                Arc::new(kg),
                Config {
                    bind: "127.0.0.1:0".parse()?,
                    ..Config::default()
                },
            )?;
            eprintln!(
                "in-process server at {} (bundled data loaded in {:.1?}; max {} concurrent queries)",
                h.base(),
                started.elapsed(),
                Config::default().max_concurrent
            );
            let b = h.base().to_owned();
            _server = Some(h);
            b
        }
    };
    let mut kinds = vec![
        Kind::NamedQuery,
        Kind::SelectCsv,
        Kind::NormHtml,
        Kind::ActorTurtle,
    ];
    if let Some(only) = &args.only {
        kinds.retain(|k| only.split(',').any(|o| o.trim() == k.name()));
    }
    if kinds.is_empty() {
        return Err("--only names no request kind".into());
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let duration = Duration::from_secs_f64(args.duration);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let slow = (args.slow_sockets > 0).then(|| {
        let addr = base
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let h = slowloris(addr, args.slow_sockets, Arc::clone(&stop));
        // Let them connect before the load starts.
        std::thread::sleep(Duration::from_millis(500));
        h
    });
    let results = rt.block_on(async {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(args.connections)
            .timeout(Duration::from_secs(60))
            .build()?;
        // Warm up: one of each.
        for k in &kinds {
            let _ = send(&client, &base, k, &who_backs).await;
        }
        let deadline = Instant::now() + duration;
        let mut tasks = Vec::new();
        for worker in 0..args.connections {
            let (client, base, kinds, text) = (
                client.clone(),
                base.clone(),
                kinds.clone(),
                who_backs.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let mut out: Vec<(usize, Duration, bool)> = Vec::new();
                let mut i = worker;
                while Instant::now() < deadline {
                    let k = i % kinds.len();
                    let t = Instant::now();
                    let ok = send(&client, &base, &kinds[k], &text).await;
                    out.push((k, t.elapsed(), ok));
                    i += 1;
                }
                out
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await?);
        }
        Ok::<_, Box<dyn std::error::Error>>(all)
    })?;
    let secs = duration.as_secs_f64();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    println!(
        "{} connections, {:.0} s, {} ({} core(s))",
        args.connections,
        secs,
        base,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    if let Some(h) = slow {
        let (opened, closed, median) = h.join().map_err(|_| "the slow-socket thread panicked")?;
        println!(
            "slow sockets: {opened} opened (half a header, then a byte a second), {closed} closed by the server during the run{}",
            median.map_or(String::new(), |m| format!(", median after {:.1} s", m.as_secs_f64()))
        );
    }
    println!(
        "{:<14} {:>8} {:>10} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "request", "count", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors"
    );
    for (k, kind) in kinds.iter().enumerate() {
        let lat: Vec<Duration> = results.iter().filter(|r| r.0 == k).map(|r| r.1).collect();
        let errors = results.iter().filter(|r| r.0 == k && !r.2).count();
        report(kind.name(), lat, errors, secs);
    }
    let errors = results.iter().filter(|r| !r.2).count();
    report("all", results.iter().map(|r| r.1).collect(), errors, secs);
    Ok(())
}

async fn send(client: &reqwest::Client, base: &str, kind: &Kind, who_backs: &str) -> bool {
    let req = match kind {
        Kind::NamedQuery => client
            .post(format!("{base}/sparql"))
            .header("Accept", "application/sparql-results+json")
            .form(&[("query", who_backs), ("$norm", "norm:gge2015-13f")]),
        Kind::SelectCsv => client
            .get(format!("{base}/sparql"))
            .query(&[("query", SELECT)])
            .header("Accept", "text/csv"),
        Kind::NormHtml => client
            .get(format!("{base}/id/norm/gge2015-13f"))
            .header("Accept", "text/html"),
        Kind::ActorTurtle => client
            .get(format!("{base}/id/state/CHN"))
            .header("Accept", "text/turtle"),
    };
    match req.send().await {
        Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
        Err(_) => false,
    }
}
