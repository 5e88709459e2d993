//! Issue #8: the analyses answered in Rust (`normgraph::analysis`) give the rows of their SPARQL
//! definitions, on the fixture dataset and on a generated graph.

use std::path::Path;

use normgraph::query::{self, Answer};
use normgraph::store::SourceFile;
use normgraph::{Bundle, KnowledgeGraph};
use oxigraph::model::{Literal, Term};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn graph_with(extra: &Path) -> KnowledgeGraph {
    let kg = KnowledgeGraph::in_memory(Bundle::default_location()).unwrap();
    let mut files = Bundle::default_location().ontology_files().unwrap();
    files.push(SourceFile::relative_to(extra, root()));
    kg.load(&files).unwrap();
    kg
}

/// Rows as sorted text; the values of a `GROUP_CONCAT` (unspecified order) sorted too.
fn rows(answer: Answer) -> Vec<String> {
    let Answer::Solutions { rows, .. } = answer else {
        panic!("not a SELECT")
    };
    let norm = |t: &Term| match t {
        Term::Literal(l) if l.value().contains("://") => {
            let mut v: Vec<&str> = l.value().split(' ').collect();
            v.sort_unstable();
            Term::from(Literal::new_simple_literal(v.join(" "))).to_string()
        }
        t => t.to_string(),
    };
    let mut out: Vec<String> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|t| t.as_ref().map(norm).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect();
    out.sort();
    out
}

fn compare(kg: &KnowledgeGraph, cases: &[(&str, Vec<(String, String)>)]) -> usize {
    let dir = root().join("queries");
    let mut non_empty = 0;
    for (name, bindings) in cases {
        let q = query::resolve(&dir, name).unwrap();
        assert!(
            normgraph::analysis::is_native(&q),
            "{name} is answered natively"
        );
        let native = rows(query::run(kg, &q, bindings).unwrap());
        let sparql = rows(query::run_sparql(kg, &q, bindings).unwrap());
        assert_eq!(native, sparql, "{name} {bindings:?}");
        non_empty += usize::from(!native.is_empty());
    }
    non_empty
}

#[test]
fn native_analyses_equal_sparql_on_the_fixture_dataset() {
    let kg = graph_with(&root().join("tests/fixtures/dataset.trig"));
    let dir = root().join("queries");
    let cases: Vec<(&str, Vec<(String, String)>)> = [
        "who-backs-norm",
        "norms-backed-by",
        "common-ground",
        "alignment-matrix",
        "contested-norms",
    ]
    .into_iter()
    .map(|n| (n, query::resolve(&dir, n).unwrap().examples))
    .collect();
    assert_eq!(compare(&kg, &cases), cases.len(), "every example has rows");
    // More bindings than the examples: every actor and norm of the fixture.
    let mut extra = Vec::new();
    for actor in ["CHN", "USA", "RUS", "FRA", "GBR"] {
        let iri = format!("<https://w3id.org/normgraph/id/state/{actor}>");
        extra.push(("norms-backed-by", vec![("actor".to_owned(), iri.clone())]));
        extra.push((
            "common-ground",
            vec![
                ("a".to_owned(), iri),
                (
                    "b".to_owned(),
                    "<https://w3id.org/normgraph/id/state/USA>".to_owned(),
                ),
            ],
        ));
    }
    for norm in [
        "gge2015-13a",
        "gge2015-13k",
        "chn-usa-2015-no-ip-theft",
        "g20-2015-no-ip-theft",
    ] {
        let iri = format!("<https://w3id.org/normgraph/id/norm/{norm}>");
        extra.push(("who-backs-norm", vec![("norm".to_owned(), iri)]));
    }
    // gge2015-13k has no backer in the fixture (an empty answer on both sides); the rest have.
    assert_eq!(compare(&kg, &extra), extra.len() - 1);
}

#[test]
fn native_analyses_equal_sparql_on_a_generated_graph() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("g.nt");
    let options = normgraph::generate::Options {
        triples: 12_000,
        seed: 2,
        defect_rate: 0.01,
        quads: false,
    };
    normgraph::generate::generate(&options, std::fs::File::create(&path).unwrap()).unwrap();
    let kg = graph_with(&path);
    let cases: Vec<(&str, Vec<(String, String)>)> = normgraph::bench::workload()
        .into_iter()
        .map(|(_, name, b)| (name, b))
        .collect();
    assert!(compare(&kg, &cases) >= 4);
    // The contradiction check: the native pairs are the rows of the SPARQL query.
    let q = query::NamedQuery::from_text(
        "c".into(),
        "c".into(),
        normgraph::bench::CONTRADICTIONS.into(),
    );
    let Answer::Solutions { rows: sparql, .. } = query::run(&kg, &q, &[]).unwrap() else {
        panic!()
    };
    let native = normgraph::analysis::contradictions(&kg).unwrap();
    assert!(!native.is_empty(), "the injected backs-and-opposes defects");
    let mut sparql: Vec<(Term, Term)> = sparql
        .into_iter()
        .map(|r| (r[0].clone().unwrap(), r[1].clone().unwrap()))
        .collect();
    sparql.sort_by_key(|(a, b)| (a.to_string(), b.to_string()));
    assert_eq!(native, sparql);
}
