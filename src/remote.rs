//! Remote sources and stores over HTTP (reqwest): load RDF from URLs, push the graph to any SPARQL
//! 1.1 store (Graph Store Protocol or batched `INSERT DATA`), and federated `SERVICE` calls to
//! allowlisted endpoints only.

use std::collections::BTreeSet;
use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedNode, Term, Triple};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{DefaultServiceHandler, QueryEvaluationError, QuerySolutionIter};
use spargebra::algebra::GraphPattern;

use crate::error::{Error, Result};
use crate::store::{format_for_path, KnowledgeGraph, Remote, SourceFile};
use crate::vocab::graph;

/// Limits for HTTP requests.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Largest body accepted, in bytes.
    pub max_bytes: u64,
    /// Redirects followed at most.
    pub max_redirects: usize,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(60),
            max_bytes: 1 << 30,
            max_redirects: 5,
        }
    }
}

/// The `Accept` header of RDF requests: every format normgraph parses.
pub const RDF_ACCEPT: &str = "text/turtle, application/trig;q=0.95, application/n-triples;q=0.9, \
     application/n-quads;q=0.9, application/rdf+xml;q=0.8, application/ld+json;q=0.7, text/plain;q=0.1";

fn client(opts: &HttpOptions) -> Result<reqwest::blocking::Client> {
    client_with(opts, reqwest::redirect::Policy::limited(opts.max_redirects))
}

fn client_with(
    opts: &HttpOptions,
    redirects: reqwest::redirect::Policy,
) -> Result<reqwest::blocking::Client> {
    reqwest::blocking::Client::builder()
        .timeout(opts.timeout)
        .redirect(redirects)
        .user_agent(concat!("normgraph/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::Invalid(format!("cannot build the HTTP client: {e}")))
}

/// A redirect policy that checks every hop, not only the first URL: a hop to a scheme other
/// than http(s) or to a host off the allowlist stops the request with an error naming it.
fn allowlisted_redirects(allow: Allowlist, max: usize) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        let url = attempt.url();
        if !matches!(url.scheme(), "http" | "https") || !allow.allows(url) {
            let refused = format!(
                "redirect to <{url}> refused: its host is not on the allowlist (--allow-service HOST[:PORT])"
            );
            attempt.error(refused)
        } else if attempt.previous().len() > max {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}

/// Explains a failed request: DNS, refused connection, timeout, too many redirects.
fn request_error(url: &str, e: reqwest::Error) -> Error {
    let cause = if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_redirect() {
        // The policy's own reason (a refused hop, too many redirects) is the innermost source.
        let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&e);
        let mut text = "too many redirects".to_owned();
        while let Some(s) = source {
            text = s.to_string();
            source = s.source();
        }
        text
    } else if e.is_connect() {
        let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&e);
        let mut text = String::new();
        while let Some(s) = source {
            text = s.to_string();
            source = s.source();
        }
        let lower = text.to_ascii_lowercase();
        if lower.contains("dns") || lower.contains("resolve") || lower.contains("name or service") {
            format!("cannot resolve the host ({text})")
        } else if lower.contains("refused") {
            format!("connection refused ({text})")
        } else {
            format!("cannot connect ({text})")
        }
    } else {
        e.to_string()
    };
    Error::Invalid(format!("{url}: {cause}"))
}

/// Reads at most `max` bytes of a body; more is an error.
/// Reads a body of at most `max` bytes, by the deadline `started + limit` (reqwest's blocking
/// timeout bounds each read, not the whole body: a server that trickles an endless body would
/// otherwise hold the request for ever).
fn read_capped(
    url: &str,
    mut resp: reqwest::blocking::Response,
    max: u64,
    started: Instant,
    limit: Duration,
) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = resp
            .read(&mut buf)
            .map_err(|e| Error::Invalid(format!("{url}: reading the body failed: {e}")))?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buf[..n]);
        if bytes.len() as u64 > max {
            return Err(Error::Invalid(format!(
                "{url}: the body is larger than the {max}-byte limit"
            )));
        }
        if started.elapsed() > limit {
            return Err(Error::Invalid(format!(
                "{url}: the answer took longer than the {} s time limit (--http-timeout); {} bytes read",
                limit.as_secs_f64(),
                bytes.len()
            )));
        }
    }
    Ok(bytes)
}

fn check_status(
    url: &str,
    resp: reqwest::blocking::Response,
) -> Result<reqwest::blocking::Response> {
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let body = resp.text().unwrap_or_default();
    let first = body
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    Err(Error::Invalid(format!(
        "{url}: HTTP {status}{}",
        if first.is_empty() {
            String::new()
        } else {
            format!(": {first}")
        }
    )))
}

/// Now, as an `xsd:dateTime` in UTC.
pub fn now_xsd() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = crate::dates::civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Fetches an RDF document: the parser is chosen by the response's Content-Type, or else by the
/// URL's extension.
pub fn fetch_rdf(url: &str, opts: &HttpOptions) -> Result<SourceFile> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| Error::Invalid(format!("{url}: not a valid URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::Invalid(format!(
            "{url}: only http and https URLs are loaded"
        )));
    }
    let started = Instant::now();
    let resp = client(opts)?
        .get(parsed.clone())
        .header(reqwest::header::ACCEPT, RDF_ACCEPT)
        .send()
        .map_err(|e| request_error(url, e))?;
    let resp = check_status(url, resp)?;
    let media = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    let by_type = media.as_deref().and_then(RdfFormat::from_media_type);
    let by_ext = format_for_path(std::path::Path::new(parsed.path()));
    let format = by_type.or(by_ext).ok_or_else(|| {
        Error::Invalid(format!(
            "{url}: unknown RDF type {:?} and no known file extension",
            media.as_deref().unwrap_or("(none)")
        ))
    })?;
    let bytes = read_capped(url, resp, opts.max_bytes, started, opts.timeout)?;
    let graph = NamedNode::new(url).map_err(|e| Error::Invalid(format!("{url}: {e}")))?;
    Ok(SourceFile {
        path: url.into(),
        graph,
        remote: Some(Remote {
            url: url.to_owned(),
            retrieved: now_xsd(),
            format,
            bytes,
        }),
    })
}

/// Fetches every URL, then loads them all (each into the graph named by its URL), all-or-nothing.
pub fn load_urls(
    kg: &KnowledgeGraph,
    urls: &[String],
    opts: &HttpOptions,
) -> Result<crate::LoadReport> {
    let mut sources = Vec::new();
    for u in urls {
        sources.push(fetch_rdf(u, opts)?);
    }
    kg.load(&sources)
}

/// What a push did.
#[derive(Debug, Default)]
pub struct PushReport {
    /// (graph, triples sent, triples counted remotely).
    pub graphs: Vec<(NamedNode, usize, u64)>,
    /// Requests sent.
    pub requests: usize,
}

/// Where to push.
#[derive(Debug, Clone)]
pub struct PushTarget {
    /// Graph Store Protocol endpoint (`.../store`), for `PUT ?graph=`.
    pub store: Option<String>,
    /// SPARQL Update endpoint, for batched `INSERT DATA` (instead of the Graph Store Protocol).
    pub update: Option<String>,
    /// SPARQL query endpoint used to count the triples afterwards.
    pub query: String,
    /// Bearer token.
    pub token: Option<String>,
    /// Triples per request.
    pub batch: usize,
}

/// The graphs a push sends: every data graph (not the bookkeeping or derived ones), or `only`.
fn graphs_to_push(kg: &KnowledgeGraph, only: &[NamedNode]) -> Result<Vec<NamedNode>> {
    if !only.is_empty() {
        return Ok(only.to_vec());
    }
    let mut out = BTreeSet::new();
    for g in kg.store().named_graphs() {
        if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = g? {
            if n.as_str() != graph::META && n.as_str() != graph::INFERRED {
                out.insert(n);
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// Sends the store's graphs to a remote store, then counts them there; a mismatch is an error.
pub fn push(
    kg: &KnowledgeGraph,
    target: &PushTarget,
    only: &[NamedNode],
    opts: &HttpOptions,
) -> Result<PushReport> {
    let http = client(opts)?;
    let auth = |b: reqwest::blocking::RequestBuilder| match &target.token {
        Some(t) => b.bearer_auth(t),
        None => b,
    };
    let mut report = PushReport::default();
    for g in graphs_to_push(kg, only)? {
        let triples: Vec<Triple> = kg
            .store()
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g.as_ref())))
            .map(|q| q.map(|q| Triple::new(q.subject, q.predicate, q.object)))
            .collect::<Result<_, _>>()?;
        let has_bnodes = triples
            .iter()
            .any(|t| t.subject.is_blank_node() || matches!(t.object, Term::BlankNode(_)));
        // Blank nodes are scoped to one request: a graph holding them is sent whole.
        let batch = if has_bnodes {
            triples.len().max(1)
        } else {
            target.batch.max(1)
        };
        for (i, chunk) in triples.chunks(batch).enumerate() {
            let body = ntriples(chunk)?;
            let resp = if let Some(update) = &target.update {
                // The first request replaces the graph (as PUT does): CLEAR, then INSERT DATA, in
                // one update request (one transaction on the remote store).
                let clear = if i == 0 {
                    format!("CLEAR SILENT GRAPH <{}> ;\n", g.as_str())
                } else {
                    String::new()
                };
                let text = format!(
                    "{clear}INSERT DATA {{ GRAPH <{}> {{\n{}}} }}",
                    g.as_str(),
                    String::from_utf8_lossy(&body)
                );
                auth(
                    http.post(update)
                        .header(reqwest::header::CONTENT_TYPE, "application/sparql-update")
                        .body(text),
                )
            } else {
                let store = target
                    .store
                    .as_deref()
                    .ok_or_else(|| Error::Invalid("no endpoint to push to".into()))?;
                // The first chunk replaces the graph (PUT), the next ones add to it (POST).
                let req = if i == 0 {
                    http.put(store)
                } else {
                    http.post(store)
                };
                auth(
                    req.query(&[("graph", g.as_str())])
                        .header(reqwest::header::CONTENT_TYPE, "application/n-triples")
                        .body(body),
                )
            };
            let url = target
                .update
                .as_deref()
                .or(target.store.as_deref())
                .unwrap_or_default();
            check_status(url, resp.send().map_err(|e| request_error(url, e))?)?;
            report.requests += 1;
        }
        if triples.is_empty() && target.update.is_none() {
            if let Some(store) = &target.store {
                let resp = auth(
                    http.put(store)
                        .query(&[("graph", g.as_str())])
                        .header(reqwest::header::CONTENT_TYPE, "application/n-triples")
                        .body(Vec::new()),
                );
                check_status(store, resp.send().map_err(|e| request_error(store, e))?)?;
                report.requests += 1;
            }
        }
        let remote = count_remote(
            &http,
            &target.query,
            &g,
            target.token.as_deref(),
            opts.timeout,
        )?;
        // One graph of the store: no triple twice.
        let sent = triples.len();
        if remote != sent as u64 {
            return Err(Error::Invalid(format!(
                "push of <{}>: sent {sent} triples but the remote store counts {remote}",
                g.as_str()
            )));
        }
        report.graphs.push((g, sent, remote));
    }
    Ok(report)
}

fn ntriples(triples: &[Triple]) -> Result<Vec<u8>> {
    let mut w = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(Vec::new());
    for t in triples {
        w.serialize_triple(t).map_err(Error::output)?;
    }
    w.finish().map_err(Error::output)
}

/// `SELECT (COUNT(*) AS ?n) WHERE { GRAPH <g> { ?s ?p ?o } }` at a remote endpoint.
fn count_remote(
    http: &reqwest::blocking::Client,
    endpoint: &str,
    g: &NamedNode,
    token: Option<&str>,
    limit: Duration,
) -> Result<u64> {
    let started = Instant::now();
    let query = format!(
        "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} }}",
        g.as_str()
    );
    let mut req = http
        .post(endpoint)
        .header(reqwest::header::CONTENT_TYPE, "application/sparql-query")
        .header(reqwest::header::ACCEPT, "application/sparql-results+json")
        .body(query);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = check_status(
        endpoint,
        req.send().map_err(|e| request_error(endpoint, e))?,
    )?;
    let bytes = read_capped(endpoint, resp, 1 << 20, started, limit)?;
    let parsed = QueryResultsParser::from_format(QueryResultsFormat::Json)
        .for_reader(bytes.as_slice())
        .map_err(|e| Error::Invalid(format!("{endpoint}: bad SPARQL results: {e}")))?;
    if let ReaderQueryResultsParserOutput::Solutions(mut s) = parsed {
        if let Some(Ok(sol)) = s.next() {
            if let Some(Term::Literal(l)) = sol.get("n") {
                return l
                    .value()
                    .parse()
                    .map_err(|_| Error::Invalid(format!("{endpoint}: count is not a number")));
            }
        }
    }
    Err(Error::Invalid(format!(
        "{endpoint}: no count in the answer"
    )))
}

/// Hosts that federated `SERVICE` calls may reach (`host` or `host:port`).
#[derive(Debug, Clone, Default)]
pub struct Allowlist {
    hosts: Vec<String>,
}

impl Allowlist {
    /// An allowlist of `host` or `host:port` entries.
    pub fn new(hosts: impl IntoIterator<Item = String>) -> Self {
        Self {
            hosts: hosts.into_iter().map(|h| h.to_ascii_lowercase()).collect(),
        }
    }

    /// Reads one entry a line (`#` comments) from a file.
    pub fn read_hosts(path: &std::path::Path) -> Result<Vec<String>> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Ok(text
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect())
    }

    /// Does the list allow this URL?
    pub fn allows(&self, url: &reqwest::Url) -> bool {
        let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
            return false;
        };
        let port = url
            .port_or_known_default()
            .map(|p| p.to_string())
            .unwrap_or_default();
        self.hosts
            .iter()
            .any(|h| h == &host || *h == format!("{host}:{port}"))
    }
}

/// `SERVICE` over HTTP (SPARQL 1.1 Protocol, JSON results), to allowlisted hosts only.
pub struct HttpServiceHandler {
    http: reqwest::blocking::Client,
    allow: Allowlist,
    timeout: Duration,
}

impl HttpServiceHandler {
    /// A handler with these limits and allowlist.
    pub fn new(allow: Allowlist, opts: &HttpOptions) -> Result<Self> {
        Ok(Self {
            http: client_with(
                opts,
                allowlisted_redirects(allow.clone(), opts.max_redirects),
            )?,
            allow,
            timeout: opts.timeout,
        })
    }
}

fn service_error(msg: String) -> QueryEvaluationError {
    QueryEvaluationError::Service(msg.into())
}

impl DefaultServiceHandler for HttpServiceHandler {
    type Error = QueryEvaluationError;

    fn handle(
        &self,
        service_name: &NamedNode,
        pattern: &GraphPattern,
        base_iri: Option<&oxiri::Iri<String>>,
    ) -> std::result::Result<QuerySolutionIter<'static>, Self::Error> {
        let name = service_name.as_str();
        let url = reqwest::Url::parse(name)
            .map_err(|e| service_error(format!("SERVICE <{name}>: not a URL ({e})")))?;
        if !matches!(url.scheme(), "http" | "https") || !self.allow.allows(&url) {
            return Err(service_error(format!(
                "SERVICE <{name}> refused: its host is not on the allowlist (--allow-service HOST[:PORT])"
            )));
        }
        let query = spargebra::Query::Select {
            dataset: None,
            pattern: pattern.clone(),
            base_iri: base_iri.cloned(),
        };
        let started = Instant::now();
        let resp = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/sparql-query")
            .header(reqwest::header::ACCEPT, "application/sparql-results+json")
            .body(query.to_string())
            .send()
            .map_err(|e| service_error(request_error(name, e).to_string()))?;
        let resp = check_status(name, resp).map_err(|e| service_error(e.to_string()))?;
        let bytes = read_capped(name, resp, 256 << 20, started, self.timeout)
            .map_err(|e| service_error(e.to_string()))?;
        match QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_reader(std::io::Cursor::new(bytes))
            .map_err(|e| service_error(format!("SERVICE <{name}>: bad results: {e}")))?
        {
            ReaderQueryResultsParserOutput::Solutions(solutions) => {
                let variables: Arc<[oxigraph::model::Variable]> = solutions.variables().into();
                let rows: Vec<_> = solutions
                    .map(|s| s.map_err(|e| service_error(format!("SERVICE <{name}>: {e}"))))
                    .collect();
                Ok(QuerySolutionIter::new(variables, rows))
            }
            ReaderQueryResultsParserOutput::Boolean(_) => Err(service_error(format!(
                "SERVICE <{name}>: answered a boolean to a SELECT"
            ))),
        }
    }
}
