//! Errors, limits and small helpers of every protocol: the HTTP error answer, content
//! negotiation picks, body reading within `max_body`, the blocking pool with its time limit and
//! cancellation, and the SPARQL evaluator the server runs queries with (SERVICE refused).

use super::*;

/// An HTTP error answer: status and a plain-text message.
#[derive(Debug)]
pub(super) struct HttpError {
    pub(super) status: StatusCode,
    pub(super) message: String,
    pub(super) headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl HttpError {
    pub(super) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            headers: Vec::new(),
        }
    }

    pub(super) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub(super) fn with_header(mut self, name: header::HeaderName, value: &'static str) -> Self {
        self.headers.push((name, HeaderValue::from_static(value)));
        self
    }

    pub(super) fn not_acceptable(offers: &[Offer]) -> Self {
        Self::new(
            StatusCode::NOT_ACCEPTABLE,
            format!(
                "none of the media types in Accept can be served here; available: {}",
                conneg::describe(offers)
            ),
        )
    }

    pub(super) fn internal(e: impl std::fmt::Display) -> Self {
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

pub(super) type HttpResult<T = Response> = std::result::Result<T, HttpError>;

pub(super) fn ok_body(offer: &Offer, body: Vec<u8>) -> Response {
    let mut r = Response::new(Body::from(body));
    if let Ok(v) = HeaderValue::from_str(&conneg::content_type(offer)) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    r
}

pub(super) fn accept_header(headers: &HeaderMap) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

pub(super) fn pick(headers: &HeaderMap, offers: &[Offer]) -> HttpResult<Offer> {
    conneg::negotiate(accept_header(headers).as_deref(), offers)
        .ok_or_else(|| HttpError::not_acceptable(offers))
}

/// Media type essence (lowercase, no parameters) and whether its charset, if any, is UTF-8.
pub(super) fn content_type(headers: &HeaderMap) -> (String, bool) {
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

pub(super) async fn read_body(
    state: &AppState,
    body: Body,
    headers: &HeaderMap,
) -> HttpResult<Vec<u8>> {
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

pub(super) fn url_params(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// Runs blocking store work on a blocking thread, within the concurrency bound and the time limit;
/// on timeout the token is cancelled (Oxigraph stops at its next step) and the answer is 503.
pub(super) async fn blocking<T: Send + 'static>(
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

pub(super) fn human(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.3} s", d.as_secs_f64())
    }
}

/// Refuses every SERVICE call (federated queries could reach any host).
pub(super) struct RefuseService;

/// Why a SERVICE call failed.
#[derive(Debug, thiserror::Error)]
#[error("SERVICE {0} is refused: this server does not make federated queries")]
pub(super) struct ServiceRefused(String);

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

pub(super) fn evaluator(token: &CancellationToken) -> SparqlEvaluator {
    SparqlEvaluator::new()
        .with_default_service_handler(RefuseService)
        .with_cancellation_token(token.clone())
}

pub(super) fn eval_error(e: QueryEvaluationError, timeout: Duration) -> HttpError {
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

pub(super) fn too_many(max: usize, what: &str) -> HttpError {
    HttpError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!(
            "the answer has more than {max} {what} (the server's --max-rows); narrow the query or page through it with LIMIT and OFFSET"
        ),
    )
}
