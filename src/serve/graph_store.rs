//! SPARQL 1.1 Graph Store HTTP Protocol at `/store` (`?default`, `?graph=IRI`): GET/HEAD for all,
//! PUT/POST/DELETE on writable servers (reserved graphs refused).

use super::*;

pub(super) enum Target {
    Default,
    Named(NamedNode),
    Dataset,
}

pub(super) fn gsp_target(query: Option<&str>) -> HttpResult<Target> {
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

pub(super) async fn graph_store(State(state): State<Arc<AppState>>, req: Request) -> Response {
    graph_store_inner(state, req)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

pub(super) async fn graph_store_inner(state: Arc<AppState>, req: Request) -> HttpResult {
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
pub(super) fn row_triple(row: &oxigraph::sparql::QuerySolution) -> Option<Triple> {
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
