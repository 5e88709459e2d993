//! The one seam for native evaluation: a registry of accelerated plans, each the native answer to
//! one SPARQL text normgraph ships, with one rule deciding whether a text is that text.
//!
//! What the registry holds today is constraints: the join-based `sh:sparql` constraints of
//! `ontology/shapes.ttl` on endorsement records ([`constraints`]), which Oxigraph answers in
//! seconds at 1M triples and tens of minutes at 10M (self-joins over every record). The validation
//! hands each `sh:sparql` constraint to [`constraint`]; the SHACL engine itself knows no project
//! vocabulary. The named queries and the rules left the registry with the evidence model: they are
//! short star patterns over the stance records the rules write, which Oxigraph answers fast as
//! plain SPARQL (for the CLI, the server and a user's edited copy alike), so no shadow of them
//! exists any more.
//!
//! The matching rule ([`find`]): a plan applies to a query when the query is not an `ASK`, its text
//! equals the plan's up to white space, and every prefix the plan's text uses is bound to the same
//! namespace. An edited query therefore always runs as SPARQL. The registry's test
//! (`every_plan_agrees_with_its_sparql`) iterates [`PLANS`] and proves each plan's findings equal
//! to its SPARQL text's on the invalid fixtures and on a generated graph with injected defects.

pub(crate) mod constraints;
mod shipped;

use oxigraph::model::Term;
use oxigraph::sparql::QuerySolution;

use crate::error::Result;
use crate::shacl::{self, SparqlQuery, Tuning, Validator};
use crate::vocab::{ng::NS as NG, ns::DCTERMS};
use constraints::Native;

/// One accelerated plan: the SPARQL text it stands for and the native code that answers it. All
/// are `sh:sparql` constraints (focus nodes → `($this, ?value)` solutions); a plan of another
/// kind (a query's rows, a rule's triples) would add its own native entry point here.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Plan {
    /// The name of what it answers: the constraint's local name in `ontology/shapes.ttl`.
    pub(crate) name: &'static str,
    /// The SPARQL text, as shipped.
    pub(crate) sparql: &'static str,
    /// The prefixes the text uses, with the namespaces they must be bound to.
    pub(crate) prefixes: &'static [(&'static str, &'static str)],
    /// The native code.
    pub(crate) native: Native,
}

const NG_ONLY: &[(&str, &str)] = &[("ng", NG)];
const NG_DCTERMS: &[(&str, &str)] = &[("ng", NG), ("dcterms", DCTERMS)];

const fn constraint(
    name: &'static str,
    sparql: &'static str,
    prefixes: &'static [(&'static str, &'static str)],
    native: Native,
) -> Plan {
    Plan {
        name,
        sparql,
        prefixes,
        native,
    }
}

/// Every accelerated plan.
pub(crate) const PLANS: [Plan; 9] = [
    constraint(
        "DuplicateEndorsement",
        shipped::DUPLICATE,
        NG_ONLY,
        Native::Duplicate,
    ),
    constraint(
        "RatifiedBeforeSigned",
        shipped::RATIFIED_BEFORE_SIGNED,
        NG_ONLY,
        Native::RatifiedBeforeSigned,
    ),
    constraint(
        "FormalActBeforeInstrument",
        shipped::FORMAL_ACT_BEFORE_INSTRUMENT,
        NG_DCTERMS,
        Native::FormalActBeforeInstrument,
    ),
    constraint(
        "BeforeInstrument",
        shipped::BEFORE_INSTRUMENT,
        NG_DCTERMS,
        Native::BeforeInstrument,
    ),
    constraint(
        "AfterActorDissolved",
        shipped::AFTER_ACTOR_DISSOLVED,
        NG_ONLY,
        Native::AfterActorDissolved,
    ),
    constraint(
        "StatusDoesNotFitTarget",
        shipped::STATUS_DOES_NOT_FIT_TARGET,
        NG_ONLY,
        Native::StatusDoesNotFitTarget,
    ),
    constraint(
        "StatusDoesNotFitActor",
        shipped::STATUS_DOES_NOT_FIT_ACTOR,
        NG_ONLY,
        Native::StatusDoesNotFitActor,
    ),
    constraint(
        "FutureDate",
        shipped::FUTURE_DATE,
        NG_ONLY,
        Native::FutureDate,
    ),
    constraint("VoteTally", shipped::VOTE_TALLY, NG_ONLY, Native::VoteTally),
];

/// A text with its white space collapsed: the form [`find`] compares.
fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The plan that stands for a query with this `text` and these bound `prefixes` (`None`: run
/// the query as SPARQL). The one matching rule of the registry.
pub(crate) fn find(ask: bool, text: &str, prefixes: &[(String, String)]) -> Option<&'static Plan> {
    if ask {
        return None;
    }
    let text = normalized(text);
    PLANS.iter().find(|plan| {
        normalized(plan.sparql) == text
            && plan
                .prefixes
                .iter()
                .all(|(p, ns)| prefixes.iter().any(|(x, y)| x == p && y == ns))
    })
}

/// The validation's hook ([`shacl::ConstraintPlans`]): the registry's answer to an `sh:sparql`
/// constraint, or `None` to run it as SPARQL.
pub(crate) fn answer_constraint(
    validator: &Validator<'_>,
    query: &SparqlQuery,
    focus: &[&Term],
) -> Result<Option<Vec<(usize, QuerySolution)>>> {
    match find(query.ask, &query.text, &query.prefixes) {
        Some(plan) => {
            let answer = validator.planned_constraint(plan.native, focus)?;
            if validator.trace {
                let how = if answer.is_some() {
                    "native"
                } else {
                    "SPARQL (data)"
                };
                eprintln!(
                    "plans: {} for {} focus nodes: {how}",
                    plan.name,
                    focus.len()
                );
            }
            Ok(answer)
        }
        None => Ok(None),
    }
}

/// Validates `data` against `shapes` with the registry's plans (the report SHACL gives, faster).
pub(crate) fn validate(
    data: &oxigraph::store::Store,
    union_default_graph: bool,
    shapes: &shacl::Shapes,
) -> Result<shacl::Report> {
    shacl::validate_tuned(
        data,
        union_default_graph,
        shapes,
        Tuning::default(),
        Some(answer_constraint),
    )
}

#[cfg(test)]
mod tests;
