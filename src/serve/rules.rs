//! Derived facts after a write. A write (SPARQL Update, Graph Store) commits its data and answers
//! at once; a worker thread then recomputes the rules from a snapshot and writes the new derived
//! graph. Until it has, readers keep seeing the previous derived facts (never none), every answer
//! says `normgraph-rules: pending`, and `GET /rules` tells the state (`?wait=N` waits for write N).
//!
//! Each write counts one generation. The worker computes the derived graph from a snapshot taken
//! after reading the newest generation, then writes it under the writers' lock only if no write
//! committed since; otherwise it starts again from a new snapshot. Every write marks the derived
//! graph stale in the store before its data commit, so a crash at any moment leaves a store whose
//! next opening recomputes the rules.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{AppState, HttpError, HttpResult};

/// Where the derived graph stands against the writes.
pub(super) struct Rules {
    /// Generation of the newest committed write (0: none since the server started).
    written: AtomicU64,
    /// Generation the derived graph was computed after.
    reasoned: tokio::sync::watch::Sender<u64>,
    /// Wakes the worker.
    wake: Mutex<Option<mpsc::Sender<()>>>,
    last: Mutex<Last>,
}

#[derive(Default, Clone)]
struct Last {
    /// Time of the newest run that wrote a derived graph.
    took: Option<Duration>,
    /// Derived quads it wrote.
    quads: usize,
    /// Why the newest run failed (cleared by a run that succeeds).
    error: Option<String>,
}

/// What `normgraph-rules` and `/rules` say.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Phase {
    Current,
    Pending,
    Failed,
}

impl Phase {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Phase::Current => "current",
            Phase::Pending => "pending",
            Phase::Failed => "failed",
        }
    }
}

impl Rules {
    pub(super) fn new() -> Self {
        Self {
            written: AtomicU64::new(0),
            reasoned: tokio::sync::watch::channel(0).0,
            wake: Mutex::new(None),
            last: Mutex::new(Last::default()),
        }
    }

    pub(super) fn phase(&self) -> Phase {
        if self.written.load(Ordering::SeqCst) <= *self.reasoned.borrow() {
            Phase::Current
        } else if self.last().error.is_some() {
            Phase::Failed
        } else {
            Phase::Pending
        }
    }

    fn last(&self) -> Last {
        self.last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Counts a committed write (the caller holds the writers' lock) and wakes the worker;
    /// returns the write's generation.
    pub(super) fn wrote(&self) -> u64 {
        let generation = self.written.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(wake) = self
            .wake
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            let _ = wake.send(());
        }
        generation
    }
}

/// Starts the worker of a writable server. It ends when the server's state is dropped.
pub(super) fn start(state: &Arc<AppState>) -> std::io::Result<()> {
    let (tx, rx) = mpsc::channel::<()>();
    *state
        .rules
        .wake
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(tx);
    let weak = Arc::downgrade(state);
    std::thread::Builder::new()
        .name("normgraph-rules".into())
        .stack_size(super::STACK_BYTES)
        .spawn(move || worker(&weak, &rx))
        .map(|_| ())
}

fn worker(state: &Weak<AppState>, wake: &mpsc::Receiver<()>) {
    while wake.recv().is_ok() {
        while wake.try_recv().is_ok() {}
        let Some(st) = state.upgrade() else { return };
        catch_up(&st);
    }
}

/// Recomputes until the derived graph follows the newest write (or a run fails).
fn catch_up(st: &AppState) {
    loop {
        let target = st.rules.written.load(Ordering::SeqCst);
        if target <= *st.rules.reasoned.borrow() {
            return;
        }
        let started = Instant::now();
        let derived = match st.kg.derive() {
            Ok(d) => d,
            Err(e) => return failed(st, &e.to_string()),
        };
        let _one_writer = st.writes.lock().unwrap_or_else(PoisonError::into_inner);
        if st.rules.written.load(Ordering::SeqCst) != target {
            // A write came in after the snapshot: its facts are not in this graph.
            continue;
        }
        if let Err(e) = st.kg.write_derived(&derived) {
            return failed(st, &e.to_string());
        }
        *st.rules.last.lock().unwrap_or_else(PoisonError::into_inner) = Last {
            took: Some(started.elapsed()),
            quads: derived.len(),
            error: None,
        };
        st.rules.reasoned.send_replace(target);
    }
}

fn failed(st: &AppState, why: &str) {
    eprintln!("normgraph serve: the rules failed after a write: {why}");
    st.rules
        .last
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .error = Some(why.to_owned());
}

/// `GET /rules`: the derived graph's state as JSON. `?wait=N` waits (within the server's time
/// limit) until the derived graph follows write N (`?wait` alone: the newest write); 503 if it
/// does not in time, 500 if the rules failed.
pub(super) async fn status(State(st): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let wait = super::url_params(raw.as_deref())
        .into_iter()
        .find(|(k, _)| k == "wait")
        .map(|(_, v)| v);
    status_inner(st, wait)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn status_inner(st: Arc<AppState>, wait: Option<String>) -> HttpResult {
    if let Some(wait) = wait {
        let target = if wait.is_empty() {
            st.rules.written.load(Ordering::SeqCst)
        } else {
            wait.parse::<u64>().map_err(|_| {
                HttpError::bad_request(format!(
                    "wait={wait}: expected the generation of a write (a whole number), as the write's normgraph-write header gave it"
                ))
            })?
        };
        let mut seen = st.rules.reasoned.subscribe();
        let deadline = tokio::time::Instant::now() + st.config.timeout;
        loop {
            if *seen.borrow_and_update() >= target {
                break;
            }
            if st.rules.phase() == Phase::Failed {
                return Err(HttpError::internal(format!(
                    "the rules failed after a write: {}",
                    st.rules.last().error.unwrap_or_default()
                )));
            }
            // The worker reports success through the channel, a failure through `last`: poll
            // the latter at a short interval.
            match tokio::time::timeout_at(
                deadline.min(tokio::time::Instant::now() + Duration::from_millis(200)),
                seen.changed(),
            )
            .await
            {
                Ok(Ok(())) => {}
                Ok(Err(_)) => return Err(HttpError::internal("the rules worker is gone")),
                Err(_) if tokio::time::Instant::now() >= deadline => {
                    return Err(HttpError::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        format!(
                            "the derived graph does not follow write {target} yet (still computing at the time limit of {})",
                            super::human(st.config.timeout)
                        ),
                    ))
                }
                Err(_) => {}
            }
        }
    }
    let last = st.rules.last();
    let body = serde_json::json!({
        "state": st.rules.phase().as_str(),
        "written": st.rules.written.load(Ordering::SeqCst),
        "reasoned": *st.rules.reasoned.borrow(),
        "last_run_seconds": last.took.map(|d| d.as_secs_f64()),
        "last_run_quads": last.quads,
        "error": last.error,
    });
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        format!("{body:#}\n"),
    )
        .into_response())
}
