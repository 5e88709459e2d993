//! What the server says about itself and its data: the SPARQL service description (`GET
//! /sparql` without a query), `/void` (VoID, with a subset per data file) and `/ontology`.

use super::*;

pub(super) use crate::vocab::ns::{SD, VOID};
pub(super) const RDF_TYPE: NamedNodeRef<'_> = oxigraph::model::vocab::rdf::TYPE;
pub(super) const DCTERMS_TITLE: &str = "http://purl.org/dc/terms/title";

pub(super) fn nn(iri: impl Into<String>) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

pub(super) fn service_description(state: &AppState, headers: &HeaderMap) -> HttpResult {
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

pub(super) async fn void(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
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

pub(super) async fn ontology_doc(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Response {
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
