//! The registry's proof: each plan gives the findings of its SPARQL text.

use std::collections::HashSet;

use oxigraph::io::RdfFormat;
use oxigraph::store::Store;

use super::*;
use crate::shacl::{validate_tuned, Constraint, Shapes};

fn root() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shipped_shapes() -> Shapes {
    let store = Store::new().unwrap();
    store
        .load_from_slice(
            RdfFormat::Turtle,
            &std::fs::read(root().join("ontology/shapes.ttl")).unwrap(),
        )
        .unwrap();
    Shapes::from_store(&store, None).unwrap()
}

/// Every plan matches one constraint of the shapes file as parsed (prefixes included), and under
/// its own name, so the comparison below does compare the native code; an edited text does not
/// match.
#[test]
fn every_plan_matches_its_shipped_constraint() {
    let shapes = shipped_shapes();
    let mut found = HashSet::new();
    for shape in shapes.targeted() {
        for c in &shape.constraints {
            if let Constraint::Sparql(node, q) = c {
                if let Some(plan) = find(q.ask, &q.text, &q.prefixes) {
                    assert!(
                        node.to_string().ends_with(&format!("#{}>", plan.name)),
                        "{} matched {node}",
                        plan.name
                    );
                    found.insert(plan.name);
                    // The rule: an edited text, an ASK or a prefix bound elsewhere is SPARQL's.
                    let edited = q.text.replace("?value", "?other");
                    assert!(find(false, &edited, &q.prefixes).is_none());
                    assert!(find(true, &q.text, &q.prefixes).is_none());
                    let elsewhere: Vec<(String, String)> = q
                        .prefixes
                        .iter()
                        .map(|(p, ns)| {
                            let ns = if p == "ng" { "http://example.org/" } else { ns };
                            (p.clone(), ns.to_owned())
                        })
                        .collect();
                    assert!(find(false, &q.text, &elsewhere).is_none());
                }
            }
        }
    }
    let all: HashSet<&str> = PLANS.iter().map(|p| p.name).collect();
    assert_eq!(found, all);
}

/// Each plan of the registry gives the findings of its SPARQL text: on a generated graph with
/// injected defects of every kind and on the invalid fixtures of those constraints. And the other
/// ways of evaluating (scans or lookups, chunks, `$this` free or pre-bound) give one report.
#[test]
fn every_plan_agrees_with_its_sparql() {
    let root = root();
    let data = Store::new().unwrap();
    for f in ["ontology/normgraph.ttl", "ontology/schemes.ttl"] {
        data.load_from_slice(RdfFormat::Turtle, &std::fs::read(root.join(f)).unwrap())
            .unwrap();
    }
    let mut generated = Vec::new();
    let options = crate::generate::Options {
        triples: 30_000,
        seed: 7,
        defect_rate: 0.02,
        quads: false,
    };
    crate::generate::generate(&options, &mut generated).unwrap();
    data.load_from_slice(RdfFormat::NTriples, &generated)
        .unwrap();
    for f in [
        "duplicate.ttl",
        "ratified-before-signed.ttl",
        "after-dissolved.ttl",
        "company-ratifies.ttl",
        "future-date.ttl",
        "signed-before-instrument.ttl",
        "supported-before-instrument.ttl",
        "vote-on-treaty.ttl",
        "vote-tally.ttl",
    ] {
        let path = root.join("tests/fixtures/invalid").join(f);
        data.load_from_slice(RdfFormat::Turtle, &std::fs::read(path).unwrap())
            .unwrap();
    }
    let shapes = shipped_shapes();
    let findings = |planned: bool| {
        let plans = planned.then_some(answer_constraint as shacl::ConstraintPlans);
        let report = validate_tuned(&data, false, &shapes, Tuning::default(), plans).unwrap();
        let mut out: Vec<(String, String, String)> = report
            .results
            .iter()
            .filter_map(|r| {
                let c = r.source_constraint.as_ref()?.to_string();
                PLANS
                    .iter()
                    .any(|plan| c.ends_with(&format!("#{}>", plan.name)))
                    .then(|| (c, r.focus_node.to_string(), format!("{:?}", r.value)))
            })
            .collect();
        out.sort();
        out
    };
    let native = findings(true);
    let sparql = findings(false);
    // Every plan has findings to compare (the fixtures and the injected defects).
    for plan in PLANS {
        let n = native
            .iter()
            .filter(|f| f.0.ends_with(&format!("#{}>", plan.name)))
            .count();
        assert!(n >= 2, "{}: {n} finding(s)", plan.name);
    }
    assert_eq!(native, sparql);
    // Scanning predicates (many focus nodes) or looking values up node by node, and running
    // SPARQL constraints with `$this` free or pre-bound by a table, give the same report, all
    // shapes and findings included.
    let all = |tuning: Tuning, plans: Option<shacl::ConstraintPlans>| {
        let mut r: Vec<String> = validate_tuned(&data, false, &shapes, tuning, plans)
            .unwrap()
            .results
            .iter()
            .map(|r| format!("{r:?}"))
            .collect();
        r.sort();
        r
    };
    let planned = Some(answer_constraint as shacl::ConstraintPlans);
    let scanned = all(
        Tuning {
            scan_threshold: 1,
            scan_share: 1,
            ..Tuning::default()
        },
        planned,
    );
    assert!(scanned.len() > native.len(), "{}", scanned.len());
    let looked_up = all(
        Tuning {
            scan_threshold: usize::MAX,
            ..Tuning::default()
        },
        planned,
    );
    assert_eq!(scanned, looked_up);
    // Focus nodes in chunks of 7 (the predicate scans shared) give the same report too.
    let chunked = all(
        Tuning {
            focus_chunk: 7,
            ..Tuning::default()
        },
        planned,
    );
    assert_eq!(scanned, chunked);
    let prebound = all(
        Tuning {
            free_this: false,
            ..Tuning::default()
        },
        None,
    );
    assert_eq!(scanned, prebound);
}
