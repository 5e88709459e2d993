//! Checks over the derived stances that are not named queries.
//!
//! The named analyses (`who-backs-norm`, `norms-backed-by`, `common-ground`, `alignment-matrix`,
//! `contested-norms`...) are plain SPARQL over the stance records the rules write into the
//! inferred graph (`ontology/rules/10-stances.ru`): short star patterns that Oxigraph's own
//! evaluator answers fast, for the built-in query files and for a user's edited copy alike.

use oxigraph::model::Term;
use oxigraph::sparql::{QueryResults, SparqlEvaluator};

use crate::error::{Error, Result};
use crate::store::KnowledgeGraph;

/// The contradiction check: actors that both back and oppose a norm now.
pub const CONTRADICTIONS: &str = "PREFIX ng: <https://w3id.org/normgraph/ontology#>
SELECT ?actor ?norm WHERE { ?actor ng:opposes ?norm . ?actor ng:backs ?norm } ORDER BY ?actor ?norm";

/// Actors that both back and oppose a norm: (actor, norm) pairs, sorted — the rows of
/// [`CONTRADICTIONS`] and the findings of the `ngsh:BacksAndOpposes` constraint.
pub fn contradictions(kg: &KnowledgeGraph) -> Result<Vec<(Term, Term)>> {
    let eval = |e: oxigraph::sparql::QueryEvaluationError| {
        Error::query_failed("contradictions".to_owned(), e)
    };
    let mut query = SparqlEvaluator::new()
        .parse_query(CONTRADICTIONS)
        .map_err(|e| Error::QuerySyntax {
            name: "contradictions".to_owned(),
            message: e.to_string(),
        })?;
    query.dataset_mut().set_default_graph_as_union();
    let mut out = Vec::new();
    if let QueryResults::Solutions(rows) = query.on_store(kg.store()).execute().map_err(eval)? {
        for row in rows {
            let row = row.map_err(eval)?;
            if let (Some(a), Some(n)) = (row.get("actor"), row.get("norm")) {
                out.push((a.clone(), n.clone()));
            }
        }
    }
    Ok(out)
}
