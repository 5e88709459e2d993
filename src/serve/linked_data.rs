//! Linked data: `{base}/id/{kind}/{key}` answers for `https://w3id.org/normgraph/id/{kind}/{key}`,
//! HTML for browsers (pages.rs, panels.rs), RDF for machines; plus the small helpers the pages share.

use super::*;

pub(super) async fn resource(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    resource_inner(state, key, headers)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

pub(super) async fn resource_inner(
    state: Arc<AppState>,
    key: String,
    headers: HeaderMap,
) -> HttpResult {
    let iri = NamedNode::new(format!("{}{}", vocab::ID_NS, key.trim_start_matches('/')))
        .map_err(|_| HttpError::new(StatusCode::NOT_FOUND, format!("no resource /id/{key}")))?;
    let offer = pick(&headers, conneg::RESOURCE)?;
    let body = blocking(&state, move |st, _| {
        let description = describe(&st.kg, &iri)?;
        if description.is_empty() {
            let msg = format!("no resource {iri} in the graph");
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

pub(super) fn text_response(content_type: &'static str, body: String) -> Response {
    let mut r = Response::new(Body::from(body));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// The triples about `iri` in any graph (deduplicated), with the blank nodes they lead to.
pub(super) fn describe(kg: &KnowledgeGraph, iri: &NamedNode) -> Result<Vec<Triple>> {
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
pub(super) fn library_rows(
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
pub(super) fn rows_of(
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
