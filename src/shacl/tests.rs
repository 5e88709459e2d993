use oxigraph::io::RdfFormat;
use oxigraph::store::Store;

use super::*;

const PREFIXES: &str = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\
    @prefix ex: <http://example.org/> .\n\
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n";

fn run(data: &str, shapes: &str) -> Report {
    let data_store = Store::new().unwrap();
    data_store
        .load_from_slice(RdfFormat::Turtle, format!("{PREFIXES}{data}").as_bytes())
        .unwrap();
    let shapes_store = Store::new().unwrap();
    shapes_store
        .load_from_slice(RdfFormat::Turtle, format!("{PREFIXES}{shapes}").as_bytes())
        .unwrap();
    let shapes = Shapes::from_store(&shapes_store, None).unwrap();
    validate(&data_store, false, &shapes).unwrap()
}

fn focus_nodes(report: &Report) -> Vec<String> {
    report
        .results
        .iter()
        .map(|r| r.focus_node.to_string())
        .collect()
}

fn components(report: &Report) -> Vec<String> {
    let mut c: Vec<String> = report
        .results
        .iter()
        .map(|r| {
            r.source_constraint_component
                .as_str()
                .trim_start_matches(SH)
                .to_owned()
        })
        .collect();
    c.sort();
    c
}

#[test]
fn min_count_and_datatype() {
    let report = run(
        "ex:a a ex:T ; ex:age \"x\"^^xsd:integer . ex:b a ex:T ; ex:age 3 .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ;
           sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:maxCount 1 ] ;
           sh:property [ sh:path ex:name ; sh:minCount 1 ] .",
    );
    assert_eq!(
        components(&report),
        [
            "DatatypeConstraintComponent",
            "MinCountConstraintComponent",
            "MinCountConstraintComponent"
        ]
    );
    assert!(!report.conforms());
}

#[test]
fn pattern_and_comparison_use_sparql() {
    let report = run(
        "ex:a ex:code \"AB-1\" ; ex:n 5 . ex:b ex:code \"zz\" ; ex:n \"five\" .",
        "ex:S sh:targetSubjectsOf ex:code ;
           sh:property [ sh:path ex:code ; sh:pattern \"^[a-z]+-\\\\d$\" ; sh:flags \"i\" ] ;
           sh:property [ sh:path ex:n ; sh:minInclusive 1 ] .",
    );
    let focus = focus_nodes(&report);
    assert_eq!(focus, ["<http://example.org/b>", "<http://example.org/b>"]);
}

#[test]
fn sparql_constraint_answers_for_every_focus_node() {
    let report = run(
        "ex:a a ex:T ; ex:p ex:a . ex:b a ex:T ; ex:p ex:c . _:x a ex:T ; ex:p _:x .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ;
           sh:sparql [ sh:select \"SELECT $this ?value WHERE { $this <http://example.org/p> ?value . FILTER(?value = $this) }\" ] .",
    );
    assert_eq!(report.results.len(), 2);
    assert!(report
        .results
        .iter()
        .all(|r| r.value.as_ref() == Some(&r.focus_node)));
}

#[test]
fn severities_and_conforms_at() {
    let report = run(
        "ex:a ex:p 1 .",
        "ex:S sh:targetNode ex:a ; sh:severity sh:Warning ; sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:severity sh:Info ] ; sh:class ex:C .",
    );
    assert_eq!(report.results.len(), 2);
    assert!(!report.conforms());
    assert!(report.conforms_at(sh("Violation").as_ref()));
    assert!(!report.conforms_at(sh("Warning").as_ref()));
}

#[test]
fn report_graph_has_conforms_and_the_result_path() {
    // ex:a -p-> 1 -^p-> ex:a: one value where two are required.
    let report = run("ex:a ex:p 1 .", "ex:S sh:targetNode ex:a ; sh:property [ sh:path ( ex:p [ sh:inversePath ex:p ] ) ; sh:minCount 2 ] .");
    let graph = report.to_graph();
    assert!(graph
        .iter()
        .any(|t| t.predicate == sh("conforms") && t.object == Literal::from(false).into()));
    let p = NamedNode::new_unchecked("http://example.org/p");
    assert!(graph
        .iter()
        .any(|t| t.predicate == sh("inversePath") && t.object == p.clone().into()));
}

#[test]
fn oxigraph_stores_booleans_by_value() {
    // Why W3C test core/property/uniqueLang-002 is out of scope.
    let store = Store::new().unwrap();
    store
        .load_from_slice(
            RdfFormat::Turtle,
            &b"<http://e/s> <http://e/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#boolean> ."[..],
        )
        .unwrap();
    let quad = store.iter().next().unwrap().unwrap();
    assert!(matches!(quad.object, Term::Literal(l) if l.value() == "true"));
}

#[test]
fn sparql_with_limit_runs_per_focus_node() {
    let report = run(
        "ex:a a ex:T ; ex:p 1, 2 . ex:b a ex:T ; ex:p 3 .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ;
           sh:sparql [ sh:select \"SELECT $this ?value WHERE { $this <http://example.org/p> ?value } LIMIT 1\" ] .",
    );
    // One per focus node: a single LIMIT over all focus nodes would give 1, no LIMIT 3.
    assert_eq!(report.results.len(), 2);
}

#[test]
fn union_of_named_graphs_is_the_data_graph() {
    let store = Store::new().unwrap();
    store
        .load_from_slice(
            RdfFormat::TriG,
            format!(
                "{PREFIXES} GRAPH ex:g1 {{ ex:a a ex:T }} GRAPH ex:g2 {{ ex:a ex:name \"A\" }}"
            )
            .as_bytes(),
        )
        .unwrap();
    let shapes_store = Store::new().unwrap();
    shapes_store
        .load_from_slice(
            RdfFormat::Turtle,
            format!("{PREFIXES} ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:name ; sh:minCount 1 ] ;
                sh:sparql [ sh:select \"SELECT $this WHERE {{ $this <http://example.org/name> ?n . FILTER(?n != 'A') }}\" ] .")
                .as_bytes(),
        )
        .unwrap();
    let shapes = Shapes::from_store(&shapes_store, None).unwrap();
    assert!(validate(&store, true, &shapes).unwrap().conforms());
    assert!(validate(&store, false, &shapes).unwrap().conforms()); // no default-graph instances
}

#[test]
fn exists_sees_prebound_this_in_nested_groups() {
    let report = run(
        "ex:a a ex:T . ex:b a ex:T . _:c a ex:T .",
        "ex:S sh:targetClass ex:T ;
           sh:sparql [ sh:select \"SELECT $this WHERE { FILTER EXISTS { { FILTER($this = <http://example.org/a>) } } }\" ] ;
           sh:sparql [ sh:select \"SELECT $this WHERE { FILTER NOT EXISTS { $this a <http://example.org/T> } }\" ] .",
    );
    let focus = focus_nodes(&report);
    assert_eq!(focus, ["<http://example.org/a>"]);
}

#[test]
fn group_that_may_leave_this_unbound_is_prebound() {
    // Pre-bound, ex:a counts its one ex:p and the one ex:q triple (2); ex:b its two ex:p and the
    // ex:q triple (3). Left free, the ex:q triple would form a group of its own.
    let report = run(
        "ex:a a ex:T ; ex:p 1 . ex:b a ex:T ; ex:p 1, 2 . ex:z ex:q 2 .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ;
           sh:sparql [ sh:select \"SELECT $this ?value WHERE { $this a <http://example.org/T> . { SELECT $this (COUNT(*) AS ?value) WHERE { { $this <http://example.org/p> ?x } UNION { ?x <http://example.org/q> ?y } } GROUP BY $this } FILTER(?value = 2) }\" ] .",
    );
    let focus = focus_nodes(&report);
    assert_eq!(focus, ["<http://example.org/a>"]);
}
