//! SPARQL 1.1 Update at `/update` (writable servers only, bearer token): reserved graphs refused,
//! `LOAD` refused; the answer comes once the data is committed, the rules follow (`rules.rs`).

use super::*;

pub(super) fn check_write(state: &AppState, headers: &HeaderMap) -> HttpResult<()> {
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

pub(super) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(super) async fn update(State(state): State<Arc<AppState>>, req: Request) -> Response {
    update_inner(state, req)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

pub(super) async fn update_inner(state: Arc<AppState>, req: Request) -> HttpResult {
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
pub(super) fn written(status: StatusCode, generation: u64) -> Response {
    let mut r = status.into_response();
    r.headers_mut()
        .insert("normgraph-write", HeaderValue::from(generation));
    r
}

/// 403 for an update that would write a reserved graph (bookkeeping, derived, a loaded file's),
/// that clears or drops every graph, or whose template names its graph by a variable.
pub(super) fn refuse_reserved_update(st: &AppState, update: &spargebra::Update) -> HttpResult<()> {
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
