//! Running a query over the store: parameters bound as terms in the parsed algebra, the default
//! graph as the union of all graphs, SERVICE through the caller's evaluator, cancellation between rows.

use super::*;

/// When `value` is an IRI (as a parameter value) that occurs in no triple of the store, returns it.
pub fn unknown_iri(kg: &KnowledgeGraph, value: &str) -> Result<Option<String>> {
    let Ok(Term::NamedNode(n)) = parse_value("value", value) else {
        return Ok(None);
    };
    let store = kg.store();
    let used = store
        .quads_for_pattern(Some(n.as_ref().into()), None, None, None)
        .next()
        .is_some()
        || store
            .quads_for_pattern(None, None, Some(n.as_ref().into()), None)
            .next()
            .is_some();
    Ok((!used).then(|| n.into_string()))
}

/// Parses `query` and binds `bindings` (name, value) as RDF terms in its algebra.
///
/// A name the query does not declare (in its `# Parameters:` header, or anywhere in its text when
/// it has no header), or a malformed value, is an error.
pub fn prepare(query: &NamedQuery, bindings: &[(String, String)]) -> Result<spargebra::Query> {
    let mut parsed = parse(&query.name, &query.text)?;
    for (name, value) in bindings {
        let declared = query.params.is_empty() || query.params.iter().any(|p| &p.name == name);
        let no_such = || query.no_such_parameter(name);
        if !declared {
            return Err(no_such());
        }
        let term = parse_value(name, value)?;
        let var = Variable::new(name.as_str()).map_err(|e| Error::Parameter {
            name: name.clone(),
            message: e.to_string(),
        })?;
        if !crate::bind::substitute(&mut parsed, &var, &term) {
            return Err(no_such());
        }
    }
    Ok(parsed)
}

pub use crate::cancel::{cancellable, check_cancelled};

/// Runs `query` with `bindings` (name, value) over the union of all graphs (unless it names its
/// own dataset with FROM / FROM NAMED). `SERVICE` calls are refused (see [`run_with`]).
pub fn run(
    kg: &KnowledgeGraph,
    query: &NamedQuery,
    bindings: &[(String, String)],
) -> Result<Answer> {
    run_with(kg, query, bindings, SparqlEvaluator::new())
}

/// Like [`run`], with an evaluator of the caller's (e.g. with an allowlisted `SERVICE` handler:
/// [`crate::remote::HttpServiceHandler`]). Every named query runs as SPARQL under Oxigraph's
/// evaluator: the derived stance records make them short star patterns.
pub fn run_with(
    kg: &KnowledgeGraph,
    query: &NamedQuery,
    bindings: &[(String, String)],
    evaluator: SparqlEvaluator,
) -> Result<Answer> {
    run_parsed_with(kg, &query.name, prepare(query, bindings)?, evaluator)
}

/// Runs an already parsed (and bound) query.
pub fn run_parsed(kg: &KnowledgeGraph, name: &str, parsed: spargebra::Query) -> Result<Answer> {
    run_parsed_with(kg, name, parsed, SparqlEvaluator::new())
}

/// Runs an already parsed (and bound) query with the given evaluator.
pub fn run_parsed_with(
    kg: &KnowledgeGraph,
    name: &str,
    parsed: spargebra::Query,
    evaluator: SparqlEvaluator,
) -> Result<Answer> {
    check_cancelled(name)?;
    let own_dataset = parsed.dataset().is_some();
    let mut prepared = evaluator.for_query(parsed);
    if !own_dataset {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    let eval_err = |e: oxigraph::sparql::QueryEvaluationError| {
        match e {
        oxigraph::sparql::QueryEvaluationError::UnsupportedService(s) => Error::query_failed(
            name,
            format!(
                "SERVICE <{}> refused: federated queries need its host on the allowlist (--allow-service HOST[:PORT])",
                s.as_str()
            ),
        ),
        // The service's own error, not the evaluator's wrapper around it.
        oxigraph::sparql::QueryEvaluationError::Service(e) => Error::query_failed(name, e),
        other => Error::query_failed(name, other),
    }
    };
    Ok(
        match prepared.on_store(kg.store()).execute().map_err(eval_err)? {
            QueryResults::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                let mut rows = Vec::new();
                for (i, s) in solutions.enumerate() {
                    if i % 1024 == 1023 {
                        check_cancelled(name)?;
                    }
                    let s: QuerySolution = s.map_err(eval_err)?;
                    rows.push(variables.iter().map(|v| s.get(v).cloned()).collect());
                }
                Answer::Solutions { variables, rows }
            }
            QueryResults::Boolean(b) => Answer::Boolean(b),
            QueryResults::Graph(triples) => {
                Answer::Graph(triples.collect::<Result<_, _>>().map_err(eval_err)?)
            }
        },
    )
}
