//! SPARQL 1.1 Protocol, queries: `/sparql` (and `/query`) by GET, form POST or direct POST, with
//! `default-graph-uri` / `named-graph-uri` and `$NAME=VALUE` parameters; results and graphs by
//! content negotiation. Also the query page (`/`) and the query library (`/queries`).

use super::*;

pub(super) async fn index(State(state): State<Arc<AppState>>) -> Response {
    // The query page, with the "cite this" block every page ends with.
    let foot = pages::foot(&state, "/").into_string() + "</body>";
    let page = state.page.replacen("</body>", &foot, 1);
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

pub(super) async fn query_list(State(state): State<Arc<AppState>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        query_page::queries_json(&state.queries),
    )
        .into_response()
}

pub(super) async fn not_found(req: Request) -> HttpError {
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
pub(super) struct ProtocolRequest {
    pub(super) query: Option<String>,
    pub(super) update: Option<String>,
    pub(super) default_graphs: Vec<String>,
    pub(super) named_graphs: Vec<String>,
    pub(super) formats: Vec<String>,
    pub(super) bindings: Vec<(String, String)>,
    pub(super) other_queries: usize,
}

impl ProtocolRequest {
    pub(super) fn absorb(&mut self, params: Vec<(String, String)>) {
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
pub(super) async fn protocol_request(
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

pub(super) fn graph_iris(values: &[String], param: &str) -> HttpResult<Vec<NamedNode>> {
    values
        .iter()
        .map(|v| {
            NamedNode::new(v.trim())
                .map_err(|e| HttpError::bad_request(format!("{param}: {v:?} is not an IRI: {e}")))
        })
        .collect()
}

pub(super) async fn sparql(State(state): State<Arc<AppState>>, req: Request) -> Response {
    match sparql_inner(state, req).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

pub(super) async fn sparql_inner(state: Arc<AppState>, req: Request) -> HttpResult {
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
pub(super) fn serialize_results(
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
pub(super) fn rdf_serializer(format: RdfFormat) -> HttpResult<RdfSerializer> {
    Ok(export::serializer(format)?)
}

pub(super) fn rdf_serializer_with(
    format: RdfFormat,
    prefixes: &[(&str, &str)],
) -> HttpResult<RdfSerializer> {
    Ok(export::serializer_with(format, prefixes.iter().copied())?)
}

pub(super) fn serialize_triples<'a>(
    format: RdfFormat,
    triples: impl IntoIterator<Item = &'a Triple>,
) -> HttpResult<Vec<u8>> {
    serialize_with(rdf_serializer(format)?, triples)
}

/// Prefixes of the service description and the VoID document.
pub(super) const DESCRIPTION_PREFIXES: &[(&str, &str)] = &[
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

pub(super) fn serialize_with<'a>(
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
