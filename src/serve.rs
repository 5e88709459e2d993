//! `normgraph serve`: the knowledge graph over HTTP.
//!
//! - **SPARQL 1.1 Protocol** at `/sparql` (and `/query`): `GET ?query=`, `POST` form, `POST`
//!   `application/sparql-query`; results as SPARQL JSON, XML, CSV, TSV and graphs as Turtle,
//!   N-Triples, RDF/XML, JSON-LD, N-Quads, TriG by content negotiation (or SPARQLWrapper's
//!   `format=` parameter); `default-graph-uri` / `named-graph-uri`; without them the default graph
//!   is the union of all graphs, as in the CLI. `GET /sparql` without a query gives a service
//!   description. normgraph extension: `$NAME=VALUE` parameters bind the variable `?NAME` as an RDF
//!   term (the CLI's `--param` syntax), in the parsed algebra, never in the text.
//! - **SPARQL Update** at `/update`: only with `--writable`, `POST`, `Authorization: Bearer TOKEN`.
//!   `LOAD` is refused. A write answers once its data is committed; the derived graph is then
//!   recomputed off the request (`normgraph-rules: pending` on every answer meanwhile, the old
//!   derived facts still served; `GET /rules?wait=N` waits for write N, see `rules.rs`).
//! - **Graph Store Protocol** at `/store` (`?default`, `?graph=IRI`): `GET`/`HEAD`; `PUT`, `POST`,
//!   `DELETE` when writable.
//! - **Linked data**: `https://w3id.org/normgraph/id/{kind}/{key}` is served at
//!   `{base}/id/{kind}/{key}`, HTML for browsers, RDF for machines; `/ontology`, `/void`.
//! - **Query page** at `/`: an offline SPARQL editor with the named queries (`/queries` as JSON).
//!
//! Limits: each query or update runs on a blocking thread, at most `max_concurrent` at a time, and
//! is cancelled after `timeout` (HTTP 503, sent at the deadline). Oxigraph notices the cancellation
//! when it next reads the store or the server writes a row, so a query stuck in an in-memory join
//! (a cartesian product under COUNT) may compute on after its 503: it keeps its concurrency slot
//! until it ends, so such queries cannot pile up beyond `max_concurrent`. Answers over `max_rows` rows or triples are refused
//! (HTTP 422) rather than cut short; request bodies over `max_body` bytes get HTTP 413. `SERVICE`
//! is refused. CORS is open on the read endpoints.

mod conn;
mod conneg;
mod explore;
mod pages;
mod panels;
mod rules;

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{
    BlankNode, GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad,
    Term, Triple,
};
use oxigraph::sparql::results::QueryResultsSerializer;
use oxigraph::sparql::{
    CancellationToken, DefaultServiceHandler, QueryEvaluationError, QueryResults,
    QuerySolutionIter, SparqlEvaluator,
};
use spargebra::algebra::GraphPattern;
use tokio::sync::Semaphore;
use tower_http::cors::{Any, CorsLayer};

use crate::error::{Error, Result};
use crate::export;
use crate::query::{self, NamedQuery};
use crate::store::KnowledgeGraph;
use crate::vocab;
use conneg::{Offer, Output};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on (port 0: any free port).
    pub bind: SocketAddr,
    /// Public base URL the server is reached at (`http://{bind}` when `None`).
    pub base: Option<String>,
    /// Bearer token that allows SPARQL Update and Graph Store writes; `None`: read-only.
    pub write_token: Option<String>,
    /// Time limit of one query or update.
    pub timeout: Duration,
    /// Most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) one answer may have.
    pub max_rows: usize,
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Most queries or updates running at once (others wait, within their time limit).
    pub max_concurrent: usize,
    /// Most connections open at once (others wait in the kernel's backlog).
    pub max_connections: usize,
    /// A connection whose client sends or reads nothing for this long is closed (slow or
    /// stalled clients); `None`: the query time limit plus 30 s, at least 60 s.
    pub idle: Option<Duration>,
    /// A connection whose first request header is not complete this long after it opened is
    /// closed, however slowly its bytes trickle in (slowloris).
    pub header_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 7878)),
            base: None,
            write_token: None,
            timeout: Duration::from_secs(30),
            max_rows: 100_000,
            max_body: 1 << 20,
            max_concurrent: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                * 2,
            max_connections: 512,
            idle: None,
            header_timeout: Duration::from_secs(10),
        }
    }
}

impl Config {
    /// The idle limit of a connection (see [`Config::idle`]).
    pub fn idle_limit(&self) -> Duration {
        self.idle.unwrap_or_else(|| {
            (self.timeout + Duration::from_secs(30)).max(Duration::from_secs(60))
        })
    }
}

/// What the request handlers share.
struct AppState {
    kg: Arc<KnowledgeGraph>,
    config: Config,
    /// Base URL without a trailing slash.
    base: String,
    /// Path part of the base, prefixed to local links (`""` at the root).
    prefix: String,
    limiter: Arc<Semaphore>,
    /// Writes (SPARQL Update, Graph Store) one at a time: each writes its data and then the
    /// derived graph, and two must not interleave.
    writes: std::sync::Mutex<()>,
    queries: Vec<NamedQuery>,
    page: String,
    ontology: Vec<u8>,
    /// The data release (computed on first use; forgotten at each write).
    release: Arc<std::sync::Mutex<Option<Arc<Release>>>>,
    /// The search index (built on first use; forgotten at each write).
    search: std::sync::Mutex<Option<Arc<crate::search::Index>>>,
    /// The derived graph against the writes (recomputed after each write, off the request).
    rules: rules::Rules,
}

/// What a page, CSV or JSON answer is computed from: the code version and the data release.
#[derive(Debug, Clone)]
struct Release {
    version: String,
    /// Lowercase hex SHA-256 of the canonical (RDFC-1.0) N-Quads of the data graphs (`unknown
    /// (...)` when it could not be computed; `being computed` while a large store is hashed).
    sha256: String,
    quads: usize,
}

/// Stores up to this many quads (derived ones included: the bundled data's 57k make 610k with
/// them) are hashed when the server starts (0.4 s for the bundle: only data graphs are hashed);
/// larger ones on a thread of their own, the pages saying meanwhile that the hash is being computed.
const RELEASE_INLINE_QUADS: usize = 2_000_000;

fn compute_release(kg: &KnowledgeGraph) -> Release {
    match export::canonical(kg, &export::Selection::default()) {
        Ok(c) => Release {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            sha256: c.sha256,
            quads: c.quads,
        },
        Err(e) => Release {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            sha256: format!("unknown ({e})"),
            quads: 0,
        },
    }
}

/// The data release of the store, computed once and kept until the next write.
fn release(st: &AppState) -> Arc<Release> {
    let mut slot = st
        .release
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(r) = slot.as_ref() {
        return Arc::clone(r);
    }
    let quads = st.kg.store().len().unwrap_or(usize::MAX);
    if quads <= RELEASE_INLINE_QUADS {
        let r = Arc::new(compute_release(&st.kg));
        *slot = Some(Arc::clone(&r));
        return r;
    }
    let pending = Arc::new(Release {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        sha256: "being computed (a large store: see /releases in a moment)".into(),
        quads,
    });
    *slot = Some(Arc::clone(&pending));
    let (kg, target, mine) = (
        Arc::clone(&st.kg),
        Arc::clone(&st.release),
        Arc::clone(&pending),
    );
    std::thread::spawn(move || {
        let r = Arc::new(compute_release(&kg));
        let mut slot = target
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // A write in between forgot the pending value: this hash is of older data.
        if slot.as_ref().is_some_and(|p| Arc::ptr_eq(p, &mine)) {
            *slot = Some(r);
        }
    });
    pending
}

/// The search index, built on first use.
fn search_index(st: &AppState) -> HttpResult<Arc<crate::search::Index>> {
    let mut slot = st
        .search
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(i) = slot.as_ref() {
        return Ok(Arc::clone(i));
    }
    let i = Arc::new(crate::search::Index::build(&st.kg)?);
    *slot = Some(Arc::clone(&i));
    Ok(i)
}

/// After a write: the release and the search index are recomputed when next asked.
fn forget_derived(st: &AppState) {
    *st.release
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    *st.search
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
}

/// A server bound to its address, not yet serving.
pub struct Bound {
    listener: conn::CappedListener,
    app: Router,
    addr: SocketAddr,
    base: String,
}

impl Bound {
    /// The address actually bound (the port chosen when the configuration said 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL of the server.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<()> {
        axum::serve(self.listener, self.app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|e| Error::Server {
                message: e.to_string(),
            })
    }
}

/// Binds the configured address and builds the routes (call inside a tokio runtime).
pub async fn bind(kg: Arc<KnowledgeGraph>, config: Config) -> Result<Bound> {
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| Error::Server {
            message: format!("cannot listen on {}: {e}", config.bind),
        })?;
    let addr = listener.local_addr().map_err(|e| Error::Server {
        message: e.to_string(),
    })?;
    let base = config
        .base
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"))
        .trim_end_matches('/')
        .to_owned();
    let listener = conn::CappedListener::new(
        listener,
        config.max_connections,
        config.idle_limit(),
        config.header_timeout,
    );
    let app = router(kg, config, base.clone())?;
    Ok(Bound {
        listener,
        app,
        addr,
        base,
    })
}

/// Runs a server until Ctrl-C or SIGTERM, on its own multi-threaded runtime; `on_ready` is called
/// with the base URL once the address is bound.
pub fn run(kg: Arc<KnowledgeGraph>, config: Config, on_ready: impl FnOnce(&Bound)) -> Result<()> {
    let rt = runtime()?;
    let r = rt.block_on(async move {
        let bound = bind(kg, config).await?;
        on_ready(&bound);
        bound.serve(shutdown_signal()).await
    });
    rt.shutdown_background();
    r
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Stack of each server thread (the default 2 MiB overflows on a query nested a few hundred deep).
pub const STACK_BYTES: usize = 64 << 20;

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("normgraph-serve")
        // Parsing and evaluating SPARQL recurse per nesting level: the texts are bounded by
        // `query::check_complexity`, and every thread gets room for what those bounds allow.
        .thread_stack_size(STACK_BYTES)
        .build()
        .map_err(|e| Error::Server {
            message: format!("cannot start the runtime: {e}"),
        })
}

/// A server running on a thread of its own (for tests, benchmarks and embedding); dropping the
/// handle stops it.
pub struct Handle {
    addr: SocketAddr,
    base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<()>>>,
}

impl Handle {
    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL (`http://127.0.0.1:PORT` unless configured).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Stops the server and waits for it.
    pub fn stop(mut self) -> Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(Error::Server {
                message: "the server thread panicked".into(),
            }),
            None => Ok(()),
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Starts a server on a thread of its own and returns once it listens.
pub fn spawn(kg: Arc<KnowledgeGraph>, config: Config) -> Result<Handle> {
    let rt = runtime()?;
    let bound = rt.block_on(bind(kg, config))?;
    let (addr, base) = (bound.local_addr(), bound.base().to_owned());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("normgraph-serve".into())
        .spawn(move || {
            let r = rt.block_on(bound.serve(async {
                let _ = rx.await;
            }));
            // A cancelled query may still be computing (Oxigraph checks its cancellation token when
            // it reads the store, not inside in-memory joins): do not wait for it.
            rt.shutdown_background();
            r
        })
        .map_err(|e| Error::Server {
            message: format!("cannot start the server thread: {e}"),
        })?;
    Ok(Handle {
        addr,
        base,
        stop: Some(tx),
        thread: Some(thread),
    })
}

/// The routes, with CORS on the read endpoints.
pub fn router(kg: Arc<KnowledgeGraph>, config: Config, base: String) -> Result<Router> {
    let queries = query::library(&kg.bundle().queries_dir())?;
    let ontology_path = kg.bundle().root().join("ontology").join("normgraph.ttl");
    let ontology = std::fs::read(&ontology_path).unwrap_or_default();
    let prefix = base
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_owned();
    let page = pages::query_page(&queries, config.write_token.is_some());
    let state = Arc::new(AppState {
        limiter: Arc::new(Semaphore::new(config.max_concurrent.max(1))),
        writes: std::sync::Mutex::new(()),
        kg,
        config,
        base,
        prefix,
        queries,
        page,
        ontology,
        release: Arc::new(std::sync::Mutex::new(None)),
        search: std::sync::Mutex::new(None),
        rules: rules::Rules::new(),
    });
    if state.config.write_token.is_some() {
        rules::start(&state).map_err(|e| Error::Server {
            message: format!("cannot start the rules thread: {e}"),
        })?;
    }
    // The release is known before the first answer (small stores), or on its way (large ones).
    release(&state);
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::OPTIONS])
        .allow_headers([header::ACCEPT, header::CONTENT_TYPE])
        .max_age(Duration::from_secs(24 * 3600));
    let read = Router::new()
        .route("/", get(index))
        .route("/queries", get(query_list))
        .route("/sparql", any(sparql))
        .route("/query", any(sparql))
        .route("/store", any(graph_store))
        .route("/id/{*key}", get(resource))
        .route("/ontology", get(ontology_doc))
        .route("/void", get(void))
        .route("/search", get(search))
        .route("/compare", get(compare))
        .route("/legend", get(legend))
        .route("/releases", get(releases))
        .route("/changes.atom", get(changes))
        .route("/rules", get(rules::status))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .layer(cors);
    Ok(Router::new()
        .route("/update", any(update))
        .merge(read)
        .fallback(not_found)
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::map_response_with_state(
            Arc::clone(&state),
            release_header,
        ))
        .with_state(state))
}

/// Every answer names the data release it was computed from (`normgraph-release: VERSION;
/// data=sha256:HASH`), once the hash is known.
async fn release_header(State(st): State<Arc<AppState>>, mut response: Response) -> Response {
    let known = st
        .release
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    if let Some(r) = known.filter(|r| r.sha256.len() == 64) {
        if let Ok(v) = HeaderValue::from_str(&format!("{}; data=sha256:{}", r.version, r.sha256)) {
            response.headers_mut().insert("normgraph-release", v);
        }
    }
    response.headers_mut().insert(
        "normgraph-rules",
        HeaderValue::from_static(st.rules.phase().as_str()),
    );
    response
}

/// Headers of every answer: no MIME sniffing; for HTML, a strict content security policy, no
/// framing and no referrer sent elsewhere.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        if let Ok(csp) = HeaderValue::from_str(pages::content_security_policy()) {
            headers.insert(header::CONTENT_SECURITY_POLICY, csp);
        }
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
    response
}

// ---------------------------------------------------------------------------------------------
// Errors and small helpers

/// An HTTP error answer: status and a plain-text message.
#[derive(Debug)]
struct HttpError {
    status: StatusCode,
    message: String,
    headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl HttpError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            headers: Vec::new(),
        }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    fn with_header(mut self, name: header::HeaderName, value: &'static str) -> Self {
        self.headers.push((name, HeaderValue::from_static(value)));
        self
    }

    fn not_acceptable(offers: &[Offer]) -> Self {
        Self::new(
            StatusCode::NOT_ACCEPTABLE,
            format!(
                "none of the media types in Accept can be served here; available: {}",
                conneg::describe(offers)
            ),
        )
    }

    fn internal(e: impl std::fmt::Display) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut message = self.message;
        if !message.ends_with('\n') {
            message.push('\n');
        }
        let mut r = (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            message,
        )
            .into_response();
        for (k, v) in self.headers {
            r.headers_mut().insert(k, v);
        }
        r
    }
}

impl From<Error> for HttpError {
    fn from(e: Error) -> Self {
        match e {
            Error::QuerySyntax { message, .. } => Self::bad_request(message),
            Error::Parameter { .. } | Error::Invalid(_) | Error::UnknownQuery { .. } => {
                Self::bad_request(e.to_string())
            }
            other => Self::internal(other),
        }
    }
}

type HttpResult<T = Response> = std::result::Result<T, HttpError>;

fn ok_body(offer: &Offer, body: Vec<u8>) -> Response {
    let mut r = Response::new(Body::from(body));
    if let Ok(v) = HeaderValue::from_str(&conneg::content_type(offer)) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    r
}

fn accept_header(headers: &HeaderMap) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

fn pick(headers: &HeaderMap, offers: &[Offer]) -> HttpResult<Offer> {
    conneg::negotiate(accept_header(headers).as_deref(), offers)
        .ok_or_else(|| HttpError::not_acceptable(offers))
}

/// Media type essence (lowercase, no parameters) and whether its charset, if any, is UTF-8.
fn content_type(headers: &HeaderMap) -> (String, bool) {
    let raw = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut parts = raw.split(';');
    let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let utf8 = parts.all(|p| match p.split_once('=') {
        Some((k, v)) if k.trim().eq_ignore_ascii_case("charset") => {
            let v = v.trim().trim_matches('"').to_ascii_lowercase();
            v == "utf-8" || v == "utf8" || v == "us-ascii"
        }
        _ => true,
    });
    (essence, utf8)
}

async fn read_body(state: &AppState, body: Body, headers: &HeaderMap) -> HttpResult<Vec<u8>> {
    let limit = state.config.max_body;
    let too_large = || {
        HttpError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body larger than {limit} bytes (the server's --max-body)"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, limit)
        .await
        .map(|b| b.to_vec())
        .map_err(|_| too_large())
}

fn url_params(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// Runs blocking store work on a blocking thread, within the concurrency bound and the time limit;
/// on timeout the token is cancelled (Oxigraph stops at its next step) and the answer is 503.
async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&AppState, &CancellationToken) -> HttpResult<T> + Send + 'static,
) -> HttpResult<T> {
    let timeout = state.config.timeout;
    let deadline = tokio::time::Instant::now() + timeout;
    let timed_out = || {
        HttpError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the query did not finish within the server's time limit of {} (--timeout) and was cancelled",
                human(timeout)
            ),
        )
    };
    let permit = tokio::time::timeout_at(deadline, state.limiter.clone().acquire_owned())
        .await
        .map_err(|_| timed_out())?
        .map_err(HttpError::internal)?;
    let token = CancellationToken::new();
    let (st, tk) = (state.clone(), token.clone());
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        // Library queries on this thread (pages, /void's statistics) stop when the token is
        // cancelled at the time limit.
        query::cancellable(&tk, || work(&st, &tk))
    });
    match tokio::time::timeout_at(deadline, task).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Err(HttpError::internal(format!("the query task failed: {e}"))),
        Err(_) => {
            token.cancel();
            Err(timed_out())
        }
    }
}

fn human(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.3} s", d.as_secs_f64())
    }
}

/// Refuses every SERVICE call (federated queries could reach any host).
struct RefuseService;

/// Why a SERVICE call failed.
#[derive(Debug, thiserror::Error)]
#[error("SERVICE {0} is refused: this server does not make federated queries")]
struct ServiceRefused(String);

impl DefaultServiceHandler for RefuseService {
    type Error = ServiceRefused;

    fn handle(
        &self,
        service_name: &NamedNode,
        _pattern: &GraphPattern,
        _base_iri: Option<&oxiri::Iri<String>>,
    ) -> std::result::Result<QuerySolutionIter<'static>, Self::Error> {
        Err(ServiceRefused(service_name.to_string()))
    }
}

fn evaluator(token: &CancellationToken) -> SparqlEvaluator {
    SparqlEvaluator::new()
        .with_default_service_handler(RefuseService)
        .with_cancellation_token(token.clone())
}

fn eval_error(e: QueryEvaluationError, timeout: Duration) -> HttpError {
    match e {
        QueryEvaluationError::Cancelled => HttpError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the query did not finish within the server's time limit of {} (--timeout) and was cancelled",
                human(timeout)
            ),
        ),
        QueryEvaluationError::Service(_)
        | QueryEvaluationError::UnsupportedService(_)
        | QueryEvaluationError::UnboundService
        | QueryEvaluationError::InvalidServiceName(_) => {
            HttpError::bad_request(format!("{e} (SERVICE is disabled on this server)"))
        }
        QueryEvaluationError::Dataset(_) | QueryEvaluationError::Unexpected(_) => {
            HttpError::internal(format!("query failed: {e}"))
        }
        other => HttpError::bad_request(format!("query failed: {other}")),
    }
}

fn too_many(max: usize, what: &str) -> HttpError {
    HttpError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!(
            "the answer has more than {max} {what} (the server's --max-rows); narrow the query or page through it with LIMIT and OFFSET"
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// Query page and query library

async fn index(State(state): State<Arc<AppState>>) -> Response {
    // The query page, with the "cite this" block every page ends with.
    let page = state.page.replacen(
        "</body>",
        &pages::foot(&state, "/").replace("</html>\n", ""),
        1,
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

async fn query_list(State(state): State<Arc<AppState>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        pages::queries_json(&state.queries),
    )
        .into_response()
}

async fn not_found(req: Request) -> HttpError {
    HttpError::new(
        StatusCode::NOT_FOUND,
        format!(
            "nothing at {}; see / (query page), /sparql, /store, /id/..., /ontology, /void",
            req.uri().path()
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// SPARQL 1.1 Protocol: queries

/// A protocol request, whatever its shape (GET, POST form, POST direct).
#[derive(Debug, Default)]
struct ProtocolRequest {
    query: Option<String>,
    update: Option<String>,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    formats: Vec<String>,
    bindings: Vec<(String, String)>,
    other_queries: usize,
}

impl ProtocolRequest {
    fn absorb(&mut self, params: Vec<(String, String)>) {
        for (k, v) in params {
            match k.as_str() {
                "query" => {
                    if self.query.is_some() {
                        self.other_queries += 1;
                    }
                    self.query = Some(v);
                }
                "update" => self.update = Some(v),
                "default-graph-uri" | "using-graph-uri" => self.default_graphs.push(v),
                "named-graph-uri" | "using-named-graph-uri" => self.named_graphs.push(v),
                "format" | "output" | "results" => self.formats.push(v),
                _ => {
                    if let Some(name) = k.strip_prefix('$') {
                        self.bindings.push((name.to_owned(), v));
                    }
                }
            }
        }
    }
}

/// Reads a protocol request; `body_kind` is the operation the direct POST body carries.
async fn protocol_request(
    state: &AppState,
    req: Request,
    direct: &str,
) -> HttpResult<ProtocolRequest> {
    let (parts, body) = req.into_parts();
    let mut out = ProtocolRequest::default();
    out.absorb(url_params(parts.uri.query()));
    if parts.method == Method::POST {
        let (essence, utf8) = content_type(&parts.headers);
        if !utf8 {
            return Err(HttpError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "only UTF-8 request bodies are accepted",
            ));
        }
        let bytes = read_body(state, body, &parts.headers).await?;
        match essence.as_str() {
            "application/x-www-form-urlencoded" => {
                out.absorb(form_urlencoded::parse(&bytes).into_owned().collect());
            }
            e if e == direct => {
                let text = String::from_utf8(bytes)
                    .map_err(|_| HttpError::bad_request("the request body is not UTF-8"))?;
                if direct == "application/sparql-query" {
                    if out.query.is_some() {
                        out.other_queries += 1;
                    }
                    out.query = Some(text);
                } else {
                    out.update = Some(text);
                }
            }
            other => {
                return Err(HttpError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!(
                        "unsupported Content-Type {other:?}: use application/x-www-form-urlencoded or {direct}"
                    ),
                ))
            }
        }
    }
    if out.other_queries > 0 {
        return Err(HttpError::bad_request("more than one query in the request"));
    }
    Ok(out)
}

fn graph_iris(values: &[String], param: &str) -> HttpResult<Vec<NamedNode>> {
    values
        .iter()
        .map(|v| {
            NamedNode::new(v.trim())
                .map_err(|e| HttpError::bad_request(format!("{param}: {v:?} is not an IRI: {e}")))
        })
        .collect()
}

async fn sparql(State(state): State<Arc<AppState>>, req: Request) -> Response {
    match sparql_inner(state, req).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn sparql_inner(state: Arc<AppState>, req: Request) -> HttpResult {
    let method = req.method().clone();
    if method != Method::GET && method != Method::HEAD && method != Method::POST {
        return Err(HttpError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "use GET or POST for queries (SPARQL 1.1 Protocol)",
        )
        .with_header(header::ALLOW, "GET, HEAD, POST"));
    }
    let headers = req.headers().clone();
    let pr = protocol_request(&state, req, "application/sparql-query").await?;
    if pr.update.is_some() {
        return Err(HttpError::bad_request(
            "this is the query endpoint: send updates to /update",
        ));
    }
    let Some(text) = pr.query.clone() else {
        if method == Method::POST {
            return Err(HttpError::bad_request("no query in the request"));
        }
        return service_description(&state, &headers);
    };
    // Parse (and bind $parameters) before anything else: syntax errors are 400 with line:column.
    query::check_complexity(&text)
        .map_err(|e| HttpError::bad_request(format!("query refused: {e}")))?;
    let mut parsed = if pr.bindings.is_empty() {
        spargebra::SparqlParser::new()
            .parse_query(&text)
            .map_err(|e| HttpError::bad_request(format!("query syntax error: {e}")))?
    } else {
        let nq = NamedQuery::from_text("query".into(), "query".into(), text);
        query::prepare(&nq, &pr.bindings).map_err(|e| match e {
            Error::QuerySyntax { message, .. } => {
                HttpError::bad_request(format!("query syntax error: {message}"))
            }
            other => HttpError::from(other),
        })?
    };
    let offers: &[Offer] = match &parsed {
        spargebra::Query::Select { .. } | spargebra::Query::Ask { .. } => conneg::RESULTS,
        _ => conneg::GRAPH_QUERY,
    };
    let by_format = pr
        .formats
        .iter()
        .find_map(|f| conneg::offers_for_format(f, offers));
    let offer = match &by_format {
        Some(restricted) => conneg::negotiate(accept_header(&headers).as_deref(), restricted)
            .unwrap_or(restricted[0]),
        None => pick(&headers, offers)?,
    };
    let defaults = graph_iris(&pr.default_graphs, "default-graph-uri")?;
    let named = graph_iris(&pr.named_graphs, "named-graph-uri")?;
    let protocol_dataset = !defaults.is_empty() || !named.is_empty();
    let dataset = match &mut parsed {
        spargebra::Query::Select { dataset, .. }
        | spargebra::Query::Construct { dataset, .. }
        | spargebra::Query::Describe { dataset, .. }
        | spargebra::Query::Ask { dataset, .. } => dataset,
    };
    // The protocol's dataset replaces the query's FROM / FROM NAMED.
    let own = dataset.is_some() && !protocol_dataset;
    if protocol_dataset {
        *dataset = None;
    }
    let body = blocking(&state, move |st, token| {
        let mut prepared = evaluator(token).for_query(parsed);
        if protocol_dataset {
            let ds = prepared.dataset_mut();
            ds.set_default_graph(defaults.into_iter().map(GraphName::from).collect());
            if !named.is_empty() {
                ds.set_available_named_graphs(
                    named.into_iter().map(NamedOrBlankNode::from).collect(),
                );
            }
        } else if !own {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        let results = prepared
            .on_store(st.kg.store())
            .execute()
            .map_err(|e| eval_error(e, st.config.timeout))?;
        serialize_results(st, results, offer.output, token)
    })
    .await?;
    Ok(ok_body(&offer, body))
}

/// Serializes query results, refusing answers over the row limit.
fn serialize_results(
    st: &AppState,
    results: QueryResults<'_>,
    output: Output,
    token: &CancellationToken,
) -> HttpResult<Vec<u8>> {
    let max = st.config.max_rows;
    let timeout = st.config.timeout;
    let io = |e: std::io::Error| HttpError::internal(format!("cannot write the answer: {e}"));
    let mut buf = Vec::new();
    match (results, output) {
        (QueryResults::Solutions(solutions), Output::Results(f)) => {
            let mut ser = QueryResultsSerializer::from_format(f)
                .serialize_solutions_to_writer(&mut buf, solutions.variables().to_vec())
                .map_err(io)?;
            for (n, s) in solutions.enumerate() {
                if n >= max {
                    return Err(too_many(max, "rows"));
                }
                if token.is_cancelled() {
                    return Err(eval_error(QueryEvaluationError::Cancelled, timeout));
                }
                let s = s.map_err(|e| eval_error(e, timeout))?;
                ser.serialize(&s).map_err(io)?;
            }
            ser.finish().map_err(io)?;
        }
        (QueryResults::Boolean(b), Output::Results(f)) => {
            QueryResultsSerializer::from_format(f)
                .serialize_boolean_to_writer(&mut buf, b)
                .map_err(io)?;
        }
        (QueryResults::Graph(triples), Output::Rdf(f)) => {
            let mut w = rdf_serializer(f)?.for_writer(&mut buf);
            for (n, t) in triples.enumerate() {
                if n >= max {
                    return Err(too_many(max, "triples"));
                }
                let t = t.map_err(|e| eval_error(e, timeout))?;
                w.serialize_triple(&t).map_err(io)?;
            }
            w.finish().map_err(io)?;
        }
        _ => {
            return Err(HttpError::internal(
                "internal error: the negotiated format does not fit the query form",
            ))
        }
    }
    Ok(buf)
}

/// A serializer declaring the project's prefixes (those that abbreviate: not `id:` and `graph:`).
fn rdf_serializer(format: RdfFormat) -> HttpResult<RdfSerializer> {
    Ok(export::serializer(format)?)
}

fn rdf_serializer_with(format: RdfFormat, prefixes: &[(&str, &str)]) -> HttpResult<RdfSerializer> {
    Ok(export::serializer_with(format, prefixes.iter().copied())?)
}

fn serialize_triples<'a>(
    format: RdfFormat,
    triples: impl IntoIterator<Item = &'a Triple>,
) -> HttpResult<Vec<u8>> {
    serialize_with(rdf_serializer(format)?, triples)
}

/// Prefixes of the service description and the VoID document.
const DESCRIPTION_PREFIXES: &[(&str, &str)] = &[
    ("dcterms", "http://purl.org/dc/terms/"),
    ("formats", "http://www.w3.org/ns/formats/"),
    ("ng", vocab::ng::NS),
    ("org", "http://www.w3.org/ns/org#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("sd", SD),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("void", VOID),
];

fn serialize_with<'a>(
    ser: RdfSerializer,
    triples: impl IntoIterator<Item = &'a Triple>,
) -> HttpResult<Vec<u8>> {
    let mut buf = Vec::new();
    let mut w = ser.for_writer(&mut buf);
    for t in triples {
        w.serialize_triple(t).map_err(HttpError::internal)?;
    }
    w.finish().map_err(HttpError::internal)?;
    Ok(buf)
}

// ---------------------------------------------------------------------------------------------
// Service description and VoID

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const VOID: &str = "http://rdfs.org/ns/void#";
const RDF_TYPE: NamedNodeRef<'_> = oxigraph::model::vocab::rdf::TYPE;
const DCTERMS_TITLE: &str = "http://purl.org/dc/terms/title";

fn nn(iri: impl Into<String>) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

fn service_description(state: &AppState, headers: &HeaderMap) -> HttpResult {
    let offer = pick(headers, conneg::GRAPH_DOC)?;
    let Output::Rdf(format) = offer.output else {
        return Err(HttpError::not_acceptable(conneg::GRAPH_DOC));
    };
    let sd = |local: &str| nn(format!("{SD}{local}"));
    let service = nn(format!("{}/sparql#service", state.base));
    let endpoint = nn(format!("{}/sparql", state.base));
    let mut t = vec![
        Triple::new(service.clone(), RDF_TYPE, sd("Service")),
        Triple::new(service.clone(), sd("endpoint"), endpoint),
        Triple::new(
            service.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Query"),
        ),
        // SERVICE is refused, so sd:BasicFederatedQuery is not advertised.
        Triple::new(service.clone(), sd("feature"), sd("UnionDefaultGraph")),
    ];
    if state.config.write_token.is_some() {
        t.push(Triple::new(
            service.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Update"),
        ));
    }
    for f in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
        "N-Quads",
        "TriG",
    ] {
        t.push(Triple::new(
            service.clone(),
            sd("resultFormat"),
            nn(format!("http://www.w3.org/ns/formats/{f}")),
        ));
    }
    let dataset = BlankNode::default();
    t.push(Triple::new(
        service.clone(),
        sd("defaultDataset"),
        dataset.clone(),
    ));
    t.push(Triple::new(dataset.clone(), RDF_TYPE, sd("Dataset")));
    let default_graph = BlankNode::default();
    t.push(Triple::new(
        dataset.clone(),
        sd("defaultGraph"),
        default_graph.clone(),
    ));
    t.push(Triple::new(default_graph, RDF_TYPE, sd("Graph")));
    t.push(Triple::new(
        dataset,
        nn(DCTERMS_TITLE),
        Literal::new_language_tagged_literal_unchecked(
            "normgraph: international cyber norms and who backs them",
            "en",
        ),
    ));
    t.push(Triple::new(
        service,
        nn(format!("{VOID}dataset")),
        nn(format!("{}/void", state.base)),
    ));
    let ser = rdf_serializer_with(format, DESCRIPTION_PREFIXES)?;
    Ok(ok_body(&offer, serialize_with(ser, &t)?))
}

async fn void(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let r = async {
        let offer = pick(&headers, conneg::GRAPH_DOC)?;
        let Output::Rdf(format) = offer.output else {
            return Err(HttpError::not_acceptable(conneg::GRAPH_DOC));
        };
        let body = blocking(&state, move |st, _| {
            let stats = st.kg.stats()?;
            let v = |local: &str| nn(format!("{VOID}{local}"));
            let ds = nn(format!("{}/void", st.base));
            let int = |n: usize| Literal::from(i64::try_from(n).unwrap_or(i64::MAX));
            let mut t = vec![
                Triple::new(ds.clone(), RDF_TYPE, v("Dataset")),
                Triple::new(
                    ds.clone(),
                    nn(DCTERMS_TITLE),
                    Literal::new_language_tagged_literal_unchecked(
                        "normgraph: international cyber norms and who backs them",
                        "en",
                    ),
                ),
                Triple::new(
                    ds.clone(),
                    v("sparqlEndpoint"),
                    nn(format!("{}/sparql", st.base)),
                ),
                Triple::new(
                    ds.clone(),
                    v("uriSpace"),
                    Literal::new_simple_literal(vocab::ID_NS),
                ),
                Triple::new(ds.clone(), v("vocabulary"), nn(vocab::ng::NS)),
                Triple::new(ds.clone(), v("triples"), int(stats.total)),
                Triple::new(ds.clone(), v("classes"), int(stats.classes.len())),
            ];
            for (class, n) in &stats.classes {
                let Ok(class) = NamedNode::new(class.as_str()) else {
                    continue;
                };
                let part = BlankNode::default();
                t.push(Triple::new(ds.clone(), v("classPartition"), part.clone()));
                t.push(Triple::new(part.clone(), v("class"), class));
                t.push(Triple::new(part, v("entities"), int(*n)));
            }
            t.extend(export::file_subsets(&st.kg, &ds)?);
            serialize_with(rdf_serializer_with(format, DESCRIPTION_PREFIXES)?, &t)
        })
        .await?;
        Ok(ok_body(&offer, body))
    }
    .await;
    r.unwrap_or_else(IntoResponse::into_response)
}

async fn ontology_doc(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let r = (|| {
        if state.ontology.is_empty() {
            return Err(HttpError::new(
                StatusCode::NOT_FOUND,
                "the bundle has no ontology/normgraph.ttl",
            ));
        }
        let offer = pick(&headers, conneg::GRAPH_DOC)?;
        let Output::Rdf(format) = offer.output else {
            return Err(HttpError::not_acceptable(conneg::GRAPH_DOC));
        };
        if format == RdfFormat::Turtle {
            return Ok(ok_body(&offer, state.ontology.clone()));
        }
        let mut triples = Vec::new();
        for q in RdfParser::from_format(RdfFormat::Turtle).for_slice(&state.ontology) {
            let q = q.map_err(HttpError::internal)?;
            triples.push(Triple::new(q.subject, q.predicate, q.object));
        }
        Ok(ok_body(&offer, serialize_triples(format, &triples)?))
    })();
    r.unwrap_or_else(IntoResponse::into_response)
}

// ---------------------------------------------------------------------------------------------
// SPARQL Update and writes

fn check_write(state: &AppState, headers: &HeaderMap) -> HttpResult<()> {
    let Some(token) = &state.config.write_token else {
        return Err(HttpError::new(
            StatusCode::FORBIDDEN,
            "this server is read-only (start it with --writable --token TOKEN to allow writes)",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(
            HttpError::new(StatusCode::UNAUTHORIZED, "wrong bearer token")
                .with_header(header::WWW_AUTHENTICATE, "Bearer"),
        ),
        None => Err(HttpError::new(
            StatusCode::UNAUTHORIZED,
            "writes need an Authorization: Bearer TOKEN header",
        )
        .with_header(header::WWW_AUTHENTICATE, "Bearer")),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn update(State(state): State<Arc<AppState>>, req: Request) -> Response {
    update_inner(state, req)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn update_inner(state: Arc<AppState>, req: Request) -> HttpResult {
    if req.method() != Method::POST {
        return Err(HttpError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "updates are sent with POST (SPARQL 1.1 Protocol)",
        )
        .with_header(header::ALLOW, "POST"));
    }
    check_write(&state, req.headers())?;
    let pr = protocol_request(&state, req, "application/sparql-update").await?;
    if !pr.default_graphs.is_empty() || !pr.named_graphs.is_empty() {
        return Err(HttpError::bad_request(
            "using-graph-uri / using-named-graph-uri are not supported: write USING / WITH in the update",
        ));
    }
    let Some(text) = pr.update else {
        return Err(HttpError::bad_request("no update in the request"));
    };
    query::check_complexity(&text)
        .map_err(|e| HttpError::bad_request(format!("update refused: {e}")))?;
    let parsed = spargebra::SparqlParser::new()
        .parse_update(&text)
        .map_err(|e| HttpError::bad_request(format!("update syntax error: {e}")))?;
    if parsed
        .operations
        .iter()
        .any(|op| matches!(op, spargebra::GraphUpdateOperation::Load { .. }))
    {
        return Err(HttpError::new(
            StatusCode::FORBIDDEN,
            "LOAD is refused: this server fetches nothing from the network (load files with `normgraph load`, or PUT them to /store)",
        ));
    }
    let generation = blocking(&state, move |st, token| {
        let _one_writer = st
            .writes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        refuse_reserved_update(st, &parsed)?;
        // Stale first: the update commits on its own, and a crash after that commit must leave
        // the rules to be recomputed.
        st.kg.mark_derived_stale()?;
        if let Err(e) = evaluator(token)
            .for_update(parsed)
            .on_store(st.kg.store())
            .execute()
        {
            // Nothing was written, but the mark is gone: the rules run again to put it back.
            st.rules.wrote();
            return Err(HttpError::bad_request(format!("update failed: {e}")));
        }
        forget_derived(st);
        Ok(st.rules.wrote())
    })
    .await?;
    Ok(written(StatusCode::NO_CONTENT, generation))
}

/// The answer to a committed write: its generation (`normgraph-write`, to wait on with
/// `/rules?wait=N`); the rules it calls for are pending.
fn written(status: StatusCode, generation: u64) -> Response {
    let mut r = status.into_response();
    r.headers_mut()
        .insert("normgraph-write", HeaderValue::from(generation));
    r
}

/// 403 for an update that would write a reserved graph (bookkeeping, derived, a loaded file's),
/// that clears or drops every graph, or whose template names its graph by a variable.
fn refuse_reserved_update(st: &AppState, update: &spargebra::Update) -> HttpResult<()> {
    use spargebra::algebra::GraphTarget;
    use spargebra::term::GraphNamePattern;
    use spargebra::GraphUpdateOperation as Op;
    let forbid = |m: String| Err(HttpError::new(StatusCode::FORBIDDEN, m));
    let mut named: Vec<NamedNode> = Vec::new();
    for op in &update.operations {
        match op {
            Op::InsertData { data } => named.extend(data.iter().filter_map(|q| match &q.graph_name {
                spargebra::term::GraphName::NamedNode(n) => Some(n.clone()),
                _ => None,
            })),
            Op::DeleteData { data } => {
                named.extend(data.iter().filter_map(|q| match &q.graph_name {
                    spargebra::term::GraphName::NamedNode(n) => Some(n.clone()),
                    _ => None,
                }))
            }
            Op::DeleteInsert { delete, insert, .. } => {
                let graphs = delete
                    .iter()
                    .map(|q| q.graph_name.clone())
                    .chain(insert.iter().map(|q| q.graph_name.clone()));
                for g in graphs {
                    match g {
                        GraphNamePattern::NamedNode(n) => named.push(n),
                        GraphNamePattern::DefaultGraph => {}
                        GraphNamePattern::Variable(v) => {
                            return forbid(format!(
                                "the update writes GRAPH ?{} : name the graph it writes (GRAPH <IRI>)",
                                v.as_str()
                            ))
                        }
                    }
                }
            }
            Op::Clear { graph, .. } | Op::Drop { graph, .. } => match graph {
                GraphTarget::NamedNode(n) => named.push(n.clone()),
                GraphTarget::DefaultGraph => {}
                GraphTarget::NamedGraphs | GraphTarget::AllGraphs => {
                    return forbid(
                        "CLEAR/DROP ALL or NAMED would remove the loaded files and derived graphs: name the graph".into(),
                    )
                }
            },
            Op::Create { graph, .. } => named.push(graph.clone()),
            Op::Load { .. } => {}
        }
    }
    for g in named {
        if let Some(why) = st.kg.reserved(&g)? {
            return forbid(format!("graph <{g}> is not writable here: {why}"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Graph Store Protocol

enum Target {
    Default,
    Named(NamedNode),
    Dataset,
}

fn gsp_target(query: Option<&str>) -> HttpResult<Target> {
    let params = url_params(query);
    let graph = params.iter().find(|(k, _)| k == "graph").map(|(_, v)| v);
    let default = params.iter().any(|(k, _)| k == "default");
    match (graph, default) {
        (Some(_), true) => Err(HttpError::bad_request(
            "give either ?default or ?graph=IRI, not both",
        )),
        (Some(g), false) => NamedNode::new(g.trim())
            .map(Target::Named)
            .map_err(|e| HttpError::bad_request(format!("graph: {g:?} is not an IRI: {e}"))),
        (None, true) => Ok(Target::Default),
        (None, false) => Ok(Target::Dataset),
    }
}

async fn graph_store(State(state): State<Arc<AppState>>, req: Request) -> Response {
    graph_store_inner(state, req)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn graph_store_inner(state: Arc<AppState>, req: Request) -> HttpResult {
    let target = gsp_target(req.uri().query())?;
    let method = req.method().clone();
    let headers = req.headers().clone();
    if method == Method::GET || method == Method::HEAD {
        let offers = match target {
            Target::Dataset => conneg::DATASET,
            _ => conneg::GRAPH_DOC,
        };
        let offer = pick(&headers, offers)?;
        let Output::Rdf(format) = offer.output else {
            return Err(HttpError::not_acceptable(offers));
        };
        let body = blocking(&state, move |st, token| {
            let store = st.kg.store();
            let mut buf = Vec::new();
            let mut w = rdf_serializer(format)?.for_writer(&mut buf);
            let io = |e: std::io::Error| HttpError::internal(e);
            match target {
                Target::Named(g) => {
                    if !store
                        .contains_named_graph(&g)
                        .map_err(HttpError::internal)?
                    {
                        return Err(HttpError::new(
                            StatusCode::NOT_FOUND,
                            format!("no graph {g} in the store"),
                        ));
                    }
                    for q in store.quads_for_pattern(None, None, None, Some(g.as_ref().into())) {
                        let q = q.map_err(HttpError::internal)?;
                        w.serialize_triple(&Triple::from(q)).map_err(io)?;
                    }
                }
                Target::Default => {
                    // The union of all graphs, as queries see it: distinct triples.
                    let results = evaluator(token)
                        .parse_query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }")
                        .map_err(HttpError::internal)
                        .map(|mut q| {
                            q.dataset_mut().set_default_graph_as_union();
                            q
                        })?
                        .on_store(store)
                        .execute()
                        .map_err(|e| eval_error(e, st.config.timeout))?;
                    if let QueryResults::Solutions(solutions) = results {
                        for row in solutions {
                            let row = row.map_err(|e| eval_error(e, st.config.timeout))?;
                            if let Some(t) = row_triple(&row) {
                                w.serialize_triple(&t).map_err(io)?;
                            }
                        }
                    }
                }
                Target::Dataset => {
                    for q in store.iter() {
                        if token.is_cancelled() {
                            return Err(eval_error(
                                QueryEvaluationError::Cancelled,
                                st.config.timeout,
                            ));
                        }
                        let q = q.map_err(HttpError::internal)?;
                        w.serialize_quad(&q).map_err(io)?;
                    }
                }
            }
            w.finish().map_err(io)?;
            Ok(buf)
        })
        .await?;
        return Ok(ok_body(&offer, body));
    }
    if method != Method::PUT && method != Method::POST && method != Method::DELETE {
        return Err(HttpError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "the graph store answers GET, HEAD, PUT, POST and DELETE",
        )
        .with_header(header::ALLOW, "GET, HEAD, PUT, POST, DELETE"));
    }
    check_write(&state, &headers)?;
    let graph = match target {
        Target::Default => GraphName::DefaultGraph,
        Target::Named(g) => GraphName::NamedNode(g),
        Target::Dataset => {
            return Err(HttpError::bad_request(
                "name the graph to write: ?graph=IRI or ?default",
            ))
        }
    };
    let quads = if method == Method::DELETE {
        Vec::new()
    } else {
        let (essence, _) = content_type(&headers);
        let format = RdfFormat::from_media_type(&essence).ok_or_else(|| {
            HttpError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("unsupported Content-Type {essence:?}: send Turtle, N-Triples, RDF/XML or JSON-LD"),
            )
        })?;
        let body = read_body(&state, req.into_body(), &headers).await?;
        if format == RdfFormat::RdfXml {
            crate::store::check_xml_entities(std::path::Path::new("request body"), &body)
                .map_err(|e| HttpError::bad_request(format!("cannot parse the body: {e}")))?;
        }
        let mut quads = Vec::new();
        let parser = RdfParser::from_format(format)
            .with_default_graph(graph.clone())
            .rename_blank_nodes();
        for q in parser.for_slice(&body) {
            let q = q.map_err(|e| HttpError::bad_request(format!("cannot parse the body: {e}")))?;
            if q.graph_name != graph {
                return Err(HttpError::bad_request(
                    "the body holds named graphs: the Graph Store Protocol takes triples",
                ));
            }
            quads.push(q);
        }
        quads
    };
    let status = blocking(&state, move |st, _| {
        let _one_writer = st
            .writes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let GraphName::NamedNode(g) = &graph {
            if let Some(why) = st.kg.reserved(g)? {
                return Err(HttpError::new(
                    StatusCode::FORBIDDEN,
                    format!("graph <{g}> is not writable here: {why}"),
                ));
            }
        }
        let store = st.kg.store();
        let existed = match &graph {
            GraphName::NamedNode(g) => {
                store.contains_named_graph(g).map_err(HttpError::internal)?
            }
            _ => true,
        };
        if method == Method::DELETE && !existed {
            return Err(HttpError::new(
                StatusCode::NOT_FOUND,
                format!("no graph {graph} in the store"),
            ));
        }
        let mut tx = store.start_transaction().map_err(HttpError::internal)?;
        if method != Method::POST {
            match &graph {
                GraphName::NamedNode(g) => tx.remove_named_graph(g).map_err(HttpError::internal)?,
                _ => tx
                    .clear_graph(GraphNameRef::DefaultGraph)
                    .map_err(HttpError::internal)?,
            };
        }
        for q in &quads {
            tx.insert(q);
        }
        crate::store::mark_rules_stale(&mut tx).map_err(HttpError::internal)?;
        tx.commit().map_err(HttpError::internal)?;
        forget_derived(st);
        let status = if existed || method == Method::DELETE {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::CREATED
        };
        Ok((status, st.rules.wrote()))
    })
    .await?;
    Ok(written(status.0, status.1))
}

/// The triple of a `?s ?p ?o` solution.
fn row_triple(row: &oxigraph::sparql::QuerySolution) -> Option<Triple> {
    let s = match row.get("s")? {
        Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
        Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
        _ => return None,
    };
    let Term::NamedNode(p) = row.get("p")? else {
        return None;
    };
    Some(Triple::new(s, p.clone(), row.get("o")?.clone()))
}

// ---------------------------------------------------------------------------------------------
// Linked data

async fn resource(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    resource_inner(state, key, headers)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn resource_inner(state: Arc<AppState>, key: String, headers: HeaderMap) -> HttpResult {
    let iri = NamedNode::new(format!("{}{}", vocab::ID_NS, key.trim_start_matches('/')))
        .map_err(|_| HttpError::new(StatusCode::NOT_FOUND, format!("no resource /id/{key}")))?;
    let offer = pick(&headers, conneg::RESOURCE)?;
    let body = blocking(&state, move |st, _| {
        let description = describe(&st.kg, &iri)?;
        if description.is_empty() {
            let msg = format!("no resource <{iri}> in the graph");
            return Err(HttpError::new(StatusCode::NOT_FOUND, msg));
        }
        match offer.output {
            Output::Rdf(format) => serialize_triples(format, &description),
            _ => pages::resource_page(st, &iri, &description).map(String::into_bytes),
        }
    })
    .await?;
    Ok(ok_body(&offer, body))
}

/// `/search?q=...&kind=norm|actor|instrument&limit=N&format=json|html`.
async fn search(
    State(state): State<Arc<AppState>>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
    headers: HeaderMap,
) -> Response {
    let r = async {
        let params = url_params(raw.as_deref());
        let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let q = get("q").unwrap_or_default();
        if q.len() > 1000 {
            return Err(HttpError::bad_request("q: at most 1000 characters"));
        }
        let kind = match get("kind").filter(|k| !k.is_empty()) {
            Some(k) => Some(
                k.parse::<crate::search::Kind>()
                    .map_err(|e| HttpError::bad_request(e.to_string()))?,
            ),
            None => None,
        };
        let limit = match get("limit") {
            Some(l) => l
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=explore::MAX_HITS).contains(n))
                .ok_or_else(|| {
                    HttpError::bad_request(format!(
                        "limit: a number from 1 to {}",
                        explore::MAX_HITS
                    ))
                })?,
            None => 50,
        };
        let json = match get("format").as_deref() {
            Some("json") => true,
            Some("html") => false,
            Some(f) => {
                return Err(HttpError::bad_request(format!(
                    "format {f:?}: json or html"
                )))
            }
            None => pick(&headers, conneg::SEARCH)?.output != Output::Html,
        };
        let body = blocking(&state, move |st, _| {
            let hits = if q.trim().is_empty() {
                Vec::new()
            } else {
                search_index(st)?.search(&q, kind, limit)
            };
            Ok(if json {
                explore::search_json(st, &q, kind, &hits)
            } else {
                explore::search_page(st, &q, kind, &hits)
            })
        })
        .await?;
        Ok(text_response(
            if json {
                "application/json"
            } else {
                "text/html; charset=utf-8"
            },
            body,
        ))
    }
    .await;
    r.unwrap_or_else(IntoResponse::into_response)
}

/// `/compare?actors=state:CHN,state:USA&format=csv|html`.
async fn compare(
    State(state): State<Arc<AppState>>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let r = async {
        let params = url_params(raw.as_deref());
        let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let param = get("actors").unwrap_or_default();
        let csv = match get("format").as_deref() {
            Some("csv") => true,
            None | Some("html") => false,
            Some(f) => return Err(HttpError::bad_request(format!("format {f:?}: csv or html"))),
        };
        let actors = explore::parse_actors(&param)?;
        if actors.is_empty() && csv {
            return Err(HttpError::bad_request("actors: name at least one actor"));
        }
        let body = blocking(&state, move |st, _| {
            let cmp = if actors.is_empty() {
                None
            } else {
                Some(
                    crate::compare::compare(&st.kg, &actors).map_err(|e| match e {
                        Error::Parameter { .. } | Error::Invalid(_) => {
                            HttpError::bad_request(e.to_string())
                        }
                        other => HttpError::from(other),
                    })?,
                )
            };
            Ok(match (&cmp, csv) {
                (Some(c), true) => c.to_csv(),
                _ => explore::compare_page(st, &param, cmp.as_ref()),
            })
        })
        .await?;
        let text = body;
        let resp = text_response(
            if csv {
                "text/csv; charset=utf-8; header=present"
            } else {
                "text/html; charset=utf-8"
            },
            text,
        );
        Ok(resp)
    }
    .await;
    r.unwrap_or_else(IntoResponse::into_response)
}

/// `/legend`: statuses, levels, date kinds, derivation rules and colours.
async fn legend(State(state): State<Arc<AppState>>) -> Response {
    blocking(&state, move |st, _| explore::legend_page(st))
        .await
        .map(|h| text_response("text/html; charset=utf-8", h))
        .unwrap_or_else(IntoResponse::into_response)
}

/// `/releases`: the data release served and how to cite it.
async fn releases(State(state): State<Arc<AppState>>) -> Response {
    blocking(&state, move |st, _| Ok(explore::releases_page(st)))
        .await
        .map(|h| text_response("text/html; charset=utf-8", h))
        .unwrap_or_else(IntoResponse::into_response)
}

/// `/changes.atom`: the newest recorded acts as an Atom feed.
async fn changes(State(state): State<Arc<AppState>>) -> Response {
    blocking(&state, move |st, _| explore::changes_feed(st))
        .await
        .map(|x| text_response("application/atom+xml; charset=utf-8", x))
        .unwrap_or_else(IntoResponse::into_response)
}

fn text_response(content_type: &'static str, body: String) -> Response {
    let mut r = Response::new(Body::from(body));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// The triples about `iri` in any graph (deduplicated), with the blank nodes they lead to.
fn describe(kg: &KnowledgeGraph, iri: &NamedNode) -> Result<Vec<Triple>> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut todo: Vec<NamedOrBlankNode> = vec![iri.clone().into()];
    let mut visited = std::collections::HashSet::new();
    while let Some(s) = todo.pop() {
        if !visited.insert(s.clone()) || visited.len() > 10_000 {
            continue;
        }
        for q in kg
            .store()
            .quads_for_pattern(Some(s.as_ref()), None, None, None)
        {
            let q: Quad = q?;
            if q.graph_name == GraphName::NamedNode(nn(vocab::graph::META)) {
                continue;
            }
            let t = Triple::from(q);
            if let Term::BlankNode(b) = &t.object {
                todo.push(b.clone().into());
            }
            if seen.insert(t.clone()) {
                out.push(t);
            }
        }
    }
    Ok(out)
}

/// Rows of a named query of the library, bound to one parameter, as (variable → term) maps.
fn library_rows(
    st: &AppState,
    name: &str,
    param: &str,
    iri: &NamedNode,
) -> HttpResult<Vec<HashMap<String, Term>>> {
    let q = st
        .queries
        .iter()
        .find(|q| q.name == name)
        .ok_or_else(|| HttpError::internal(format!("the query library has no {name}")))?;
    rows_of(st, q, param, iri)
}

/// Rows of `q` with `param` bound to `iri` (`""`: no binding), as (variable → term) maps.
fn rows_of(
    st: &AppState,
    q: &NamedQuery,
    param: &str,
    iri: &NamedNode,
) -> HttpResult<Vec<HashMap<String, Term>>> {
    let bindings = if param.is_empty() {
        Vec::new()
    } else {
        vec![(param.to_owned(), format!("<{}>", iri.as_str()))]
    };
    let parsed = query::prepare(q, &bindings)?;
    let answer = query::run_parsed(&st.kg, &q.name, parsed)?;
    let mut out = Vec::new();
    if let query::Answer::Solutions { variables, rows } = answer {
        for row in rows {
            out.push(
                variables
                    .iter()
                    .zip(row)
                    .filter_map(|(v, t)| t.map(|t| (v.as_str().to_owned(), t)))
                    .collect(),
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gsp_targets() {
        assert!(matches!(gsp_target(Some("default")), Ok(Target::Default)));
        assert!(matches!(gsp_target(None), Ok(Target::Dataset)));
        assert!(matches!(
            gsp_target(Some("graph=http%3A%2F%2Fex.org%2Fg")),
            Ok(Target::Named(g)) if g.as_str() == "http://ex.org/g"
        ));
        assert!(gsp_target(Some("graph=not%20an%20iri")).is_err());
    }

    #[test]
    fn tokens_compare() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
