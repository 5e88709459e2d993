//! Remote sources and stores, over real HTTP on loopback only: loading from URLs in every format and
//! every failure case, pushing to normgraph's own writable server and to the independent Oxigraph
//! server (from PyPI), and federated SERVICE calls behind the allowlist.

mod common;

use common::python;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use normgraph::query::{self, Answer, NamedQuery};
use normgraph::remote::{self, Allowlist, HttpOptions, HttpServiceHandler, PushTarget};
use normgraph::serve::{self, Config};
use normgraph::{Bundle, KnowledgeGraph};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{NamedNode, Term};

/// One canned HTTP answer.
#[derive(Clone)]
struct Reply {
    status: &'static str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
}

fn reply(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
    Reply {
        status: "200 OK",
        headers: vec![("Content-Type".into(), content_type.into())],
        body: body.into(),
        delay: Duration::ZERO,
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 answering fixed replies by path (for the client side of
/// the tests: the server under test is reqwest's counterpart, not normgraph's).
struct StaticServer {
    addr: String,
}

impl StaticServer {
    fn start(routes: HashMap<&'static str, Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let routes = Arc::new(routes);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let routes = Arc::clone(&routes);
                std::thread::spawn(move || answer(stream, &routes));
            }
        });
        StaticServer { addr }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

fn answer(mut stream: TcpStream, routes: &HashMap<&'static str, Reply>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let path = first.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let r = routes.get(path.as_str()).cloned().unwrap_or(Reply {
        status: "404 Not Found",
        headers: vec![("Content-Type".into(), "text/plain".into())],
        body: b"no such document\nsecond line".to_vec(),
        delay: Duration::ZERO,
    });
    std::thread::sleep(r.delay);
    let mut head = format!(
        "HTTP/1.1 {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        r.status,
        r.body.len()
    );
    for (k, v) in &r.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&r.body);
}

const TTL: &str = "@prefix ex: <http://example.org/> .\nex:a ex:p \"one\" ; ex:q ex:b .\nex:b ex:p \"two\"@en .\n";

fn serialize(format: RdfFormat) -> Vec<u8> {
    let mut w = RdfSerializer::from_format(format).for_writer(Vec::new());
    for q in RdfParser::from_format(RdfFormat::Turtle).for_slice(TTL.as_bytes()) {
        w.serialize_quad(&q.unwrap()).unwrap();
    }
    w.finish().unwrap()
}

fn empty_graph() -> (tempfile::TempDir, KnowledgeGraph) {
    let dir = tempfile::tempdir().unwrap();
    let kg = KnowledgeGraph::in_memory(Bundle::new(dir.path())).unwrap();
    (dir, kg)
}

fn count(kg: &KnowledgeGraph, graph: &str) -> usize {
    kg.store()
        .quads_for_pattern(
            None,
            None,
            None,
            Some(NamedNode::new(graph).unwrap().as_ref().into()),
        )
        .count()
}

#[test]
fn loads_every_format_from_urls_into_their_own_graphs_with_provenance() {
    let formats = [
        ("/data.ttl", "text/turtle; charset=utf-8", RdfFormat::Turtle),
        ("/data.nt", "application/n-triples", RdfFormat::NTriples),
        ("/data.nq", "application/n-quads", RdfFormat::NQuads),
        ("/data.trig", "application/trig", RdfFormat::TriG),
        ("/data.rdf", "application/rdf+xml", RdfFormat::RdfXml),
        (
            "/data.jsonld",
            "application/ld+json",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
    ];
    let mut routes = HashMap::new();
    for (path, ct, f) in &formats {
        routes.insert(*path, reply(ct, serialize(*f)));
    }
    // Served as octet-stream: the extension decides.
    routes.insert("/by-extension.ttl", reply("application/octet-stream", TTL));
    // Redirected once.
    routes.insert(
        "/moved",
        Reply {
            status: "302 Found",
            headers: vec![("Location".into(), "/data.ttl".into())],
            body: Vec::new(),
            delay: Duration::ZERO,
        },
    );
    let server = StaticServer::start(routes);
    let (_dir, kg) = empty_graph();
    let mut urls: Vec<String> = formats.iter().map(|(p, _, _)| server.url(p)).collect();
    urls.push(server.url("/by-extension.ttl"));
    urls.push(server.url("/moved"));
    let report = remote::load_urls(&kg, &urls, &HttpOptions::default()).unwrap();
    assert_eq!(report.loaded.len(), urls.len());
    for u in &urls {
        assert_eq!(
            count(&kg, u),
            3,
            "{u}: the three triples in the graph named by the URL"
        );
    }
    // Retrieval time and URL are recorded (PROV) in the bookkeeping graph.
    let q = NamedQuery::from_text(
        "prov".into(),
        "prov".into(),
        format!(
            "ASK {{ GRAPH <https://w3id.org/normgraph/graph/meta> {{ <{u}> <http://www.w3.org/ns/prov#wasDerivedFrom> <{u}> ; <http://www.w3.org/ns/prov#generatedAtTime> ?t }} }}",
            u = urls[0]
        ),
    );
    assert!(matches!(
        query::run(&kg, &q, &[]).unwrap(),
        Answer::Boolean(true)
    ));
}

#[test]
fn every_failure_is_a_clear_error_and_loads_stay_all_or_nothing() {
    let mut routes = HashMap::new();
    routes.insert("/good.ttl", reply("text/turtle", TTL));
    routes.insert(
        "/bad.ttl",
        reply(
            "text/turtle",
            "@prefix ex: <http://example.org/> .\nex:a ex:p \"unterminated .\n",
        ),
    );
    routes.insert("/unknown", reply("application/octet-stream", "???"));
    routes.insert(
        "/error",
        Reply {
            status: "500 Internal Server Error",
            ..reply("text/plain", "database is down\nstack...")
        },
    );
    routes.insert(
        "/loop",
        Reply {
            status: "302 Found",
            headers: vec![("Location".into(), "/loop".into())],
            body: Vec::new(),
            delay: Duration::ZERO,
        },
    );
    routes.insert("/big.nt", reply("application/n-triples", vec![b'#'; 4096]));
    routes.insert(
        "/slow.ttl",
        Reply {
            delay: Duration::from_secs(3),
            ..reply("text/turtle", TTL)
        },
    );
    let server = StaticServer::start(routes);
    let opts = HttpOptions {
        timeout: Duration::from_secs(1),
        max_bytes: 1024,
        max_redirects: 3,
    };
    let err = |path: &str| {
        remote::fetch_rdf(&server.url(path), &opts)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };

    assert!(
        err("/missing").contains("HTTP 404 Not Found: no such document"),
        "{}",
        err("/missing")
    );
    assert!(err("/error").contains("HTTP 500 Internal Server Error: database is down"));
    assert!(err("/unknown").contains("unknown RDF type \"application/octet-stream\""));
    assert!(
        err("/loop").contains("too many redirects"),
        "{}",
        err("/loop")
    );
    assert!(err("/big.nt").contains("larger than the 1024-byte limit"));
    assert!(
        err("/slow.ttl").contains("timed out"),
        "{}",
        err("/slow.ttl")
    );
    let refused = remote::fetch_rdf("http://127.0.0.1:1/x.ttl", &opts)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("connection refused") || refused.contains("cannot connect"),
        "{refused}"
    );
    assert!(remote::fetch_rdf("ftp://127.0.0.1/x.ttl", &opts).is_err());

    // A parse error names the URL, line and column, and nothing of the batch is stored.
    let (_dir, kg) = empty_graph();
    let e = remote::load_urls(
        &kg,
        &[server.url("/good.ttl"), server.url("/bad.ttl")],
        &opts,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains(&format!("{}:2:", server.url("/bad.ttl"))), "{e}");
    assert_eq!(kg.store().len().unwrap(), 0, "a failed load stores nothing");

    // The CLI says the same and exits with 2.
    let out = Command::new(env!("CARGO_BIN_EXE_normgraph"))
        .args(["--memory", "load", &server.url("/error")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("HTTP 500"));
}

fn bundled() -> KnowledgeGraph {
    let kg = KnowledgeGraph::in_memory(Bundle::default_location()).unwrap();
    kg.sync_bundle().unwrap();
    kg
}

fn data_triples(kg: &KnowledgeGraph) -> usize {
    let mut n = 0;
    for g in kg.store().named_graphs() {
        let g = g.unwrap();
        let name = g.to_string();
        if name.contains("/graph/meta>") || name.contains("/graph/inferred>") {
            continue;
        }
        n += kg
            .store()
            .quads_for_pattern(None, None, None, Some(g.as_ref().into()))
            .count();
    }
    n
}

#[test]
fn pushes_to_normgraphs_own_writable_server_both_ways() {
    let source = bundled();
    let expected = data_triples(&source);
    for via_update in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let target = Arc::new(KnowledgeGraph::in_memory(Bundle::new(dir.path())).unwrap());
        let handle = serve::spawn(
            Arc::clone(&target),
            Config {
                bind: "127.0.0.1:0".parse().unwrap(),
                write_token: Some("tok".into()),
                max_body: 64 << 20,
                ..Config::default()
            },
        )
        .unwrap();
        let base = handle.base().trim_end_matches('/').to_owned();
        // A stale triple in a graph the push replaces: it must be gone afterwards, whichever
        // protocol carries the push (PUT replaces; an update clears the graph first).
        let states = oxigraph::model::NamedNode::new(
            "https://w3id.org/normgraph/graph/data/actors/states.ttl",
        )
        .unwrap();
        let stale = oxigraph::model::Quad::new(
            oxigraph::model::NamedNode::new("https://example.org/stale").unwrap(),
            oxigraph::model::NamedNode::new("https://example.org/p").unwrap(),
            oxigraph::model::Literal::new_simple_literal("left over"),
            states,
        );
        target.store().insert(&stale).unwrap();
        let push = PushTarget {
            store: (!via_update).then(|| format!("{base}/store")),
            update: via_update.then(|| format!("{base}/update")),
            query: format!("{base}/sparql"),
            token: Some("tok".into()),
            batch: 5_000,
        };
        let report = remote::push(&source, &push, &[], &HttpOptions::default()).unwrap();
        let sent: usize = report.graphs.iter().map(|(_, s, _)| s).sum();
        assert_eq!(
            sent, expected,
            "every data triple sent (update: {via_update})"
        );
        assert!(report.graphs.iter().all(|(_, s, c)| *s as u64 == *c));
        assert!(
            report.requests > report.graphs.len(),
            "large graphs go in several requests"
        );
        assert_eq!(data_triples(&target), expected);
        assert!(
            !target.store().contains(&stale).unwrap(),
            "the push replaced the remote graph (update: {via_update})"
        );
        // A wrong token is refused, and said so.
        let bad = PushTarget {
            token: Some("nope".into()),
            ..push
        };
        let e = remote::push(&source, &bad, &[], &HttpOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("401"), "{e}");
        handle.stop().unwrap();
    }
}

/// The Oxigraph server from PyPI, on a free loopback port, killed on drop.
struct OxigraphServer {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for OxigraphServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn oxigraph_server() -> OxigraphServer {
    let bin = python().parent().unwrap().join("oxigraph");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let child = Command::new(&bin)
        .args(["serve", "--location"])
        .arg(dir.path())
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
    let base = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "oxigraph server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    OxigraphServer {
        child,
        base,
        _dir: dir,
    }
}

#[test]
fn pushes_to_the_independent_oxigraph_server_and_queries_there() {
    let server = oxigraph_server();
    let source = bundled();
    let expected = data_triples(&source);
    // Through the CLI, as a user would: counts on both sides are printed.
    let out = Command::new(env!("CARGO_BIN_EXE_normgraph"))
        .args([
            "--memory",
            "push",
            "--endpoint",
            &format!("{}/store", server.base),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(&format!("{expected} triples")), "{stdout}");
    assert!(stdout.contains("remote counts match"));
    // Query the independent server directly: China's label is there.
    let body = reqwest::blocking::Client::new()
        .post(format!("{}/query", server.base))
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "text/csv")
        .body("SELECT ?l WHERE { GRAPH ?g { <https://w3id.org/normgraph/id/state/CHN> <http://www.w3.org/2000/01/rdf-schema#label> ?l } }")
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(body.contains("China"), "{body}");
    // Batched INSERT DATA into the same server (its update endpoint) replaces nothing but counts the same.
    let (_d, kg) = empty_graph();
    let mut routes = HashMap::new();
    routes.insert("/x.ttl", reply("text/turtle", TTL));
    let files = StaticServer::start(routes);
    remote::load_urls(&kg, &[files.url("/x.ttl")], &HttpOptions::default()).unwrap();
    let push = PushTarget {
        store: None,
        update: Some(format!("{}/update", server.base)),
        query: format!("{}/query", server.base),
        token: None,
        batch: 1,
    };
    let report = remote::push(&kg, &push, &[], &HttpOptions::default()).unwrap();
    assert_eq!(report.graphs[0].2, 3);
}

#[test]
fn service_calls_reach_allowlisted_endpoints_only() {
    let handle = serve::spawn(
        Arc::new(bundled()),
        Config {
            bind: "127.0.0.1:0".parse().unwrap(),
            ..Config::default()
        },
    )
    .unwrap();
    let addr = handle.local_addr();
    let endpoint = format!("http://{addr}/sparql");
    let (_dir, kg) = empty_graph();
    let q = NamedQuery::from_text(
        "federated".into(),
        "federated".into(),
        format!(
            "SELECT ?label WHERE {{ SERVICE <{endpoint}> {{ <https://w3id.org/normgraph/id/state/CHN> <http://www.w3.org/2000/01/rdf-schema#label> ?label }} }}"
        ),
    );
    let allowed = HttpServiceHandler::new(
        Allowlist::new([format!("127.0.0.1:{}", addr.port())]),
        &HttpOptions::default(),
    )
    .unwrap();
    let answer = query::run_with(
        &kg,
        &q,
        &[],
        oxigraph::sparql::SparqlEvaluator::new().with_default_service_handler(allowed),
    )
    .unwrap();
    let Answer::Solutions { rows, .. } = answer else {
        panic!()
    };
    assert_eq!(rows.len(), 1);
    assert!(matches!(&rows[0][0], Some(Term::Literal(l)) if l.value() == "China"));

    let other = HttpServiceHandler::new(
        Allowlist::new(["example.org".to_owned()]),
        &HttpOptions::default(),
    )
    .unwrap();
    let e = query::run_with(
        &kg,
        &q,
        &[],
        oxigraph::sparql::SparqlEvaluator::new().with_default_service_handler(other),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("refused") && e.contains("allowlist"), "{e}");
    // Without any handler (the plain `run`), SERVICE is refused too.
    let e = query::run(&kg, &q, &[]).unwrap_err().to_string();
    assert!(e.contains("refused"), "{e}");
    // The CLI: --allow-service lets it through.
    let out = Command::new(env!("CARGO_BIN_EXE_normgraph"))
        .args([
            "--memory",
            "query",
            "-",
            "--format",
            "csv",
            "--allow-service",
            &format!("127.0.0.1:{}", addr.port()),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(q.text.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("China"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    handle.stop().unwrap();
}

/// A server that answers 200 with a body it never finishes: one byte every 50 ms.
fn trickling_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/turtle\r\nContent-Length: 1000000000\r\n\r\n";
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                while stream.write_all(b"#").is_ok() {
                    std::thread::sleep(Duration::from_millis(50));
                }
            });
        }
    });
    format!("http://{addr}/endless.ttl")
}

#[test]
fn a_slow_endless_body_is_cut_at_the_time_limit() {
    let url = trickling_server();
    let opts = HttpOptions {
        timeout: Duration::from_secs(2),
        ..HttpOptions::default()
    };
    let start = Instant::now();
    let e = remote::fetch_rdf(&url, &opts).unwrap_err().to_string();
    let took = start.elapsed();
    assert!(e.contains("took longer than the 2 s time limit"), "{e}");
    // Each read returns within 50 ms, so the cut comes right after the limit.
    assert!(took < Duration::from_secs(6), "cut after {took:?}");
    // The CLI says the same in one line, exit 2.
    let out = Command::new(env!("CARGO_BIN_EXE_normgraph"))
        .args(["--memory", "load", "--http-timeout", "2", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("took longer than"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}
