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
mod description;
mod explore;
mod graph_store;
mod limits;
mod linked_data;
mod pages;
mod panels;
mod query_page;
mod rules;
mod sparql;
mod update;

use description::*;
use explore::*;
use graph_store::*;
use limits::*;
use linked_data::*;
use sparql::*;
use update::*;

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
    let page = query_page::query_page(&queries, config.write_token.is_some());
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
        if let Ok(csp) = HeaderValue::from_str(query_page::content_security_policy()) {
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
