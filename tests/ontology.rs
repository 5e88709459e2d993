//! The ontology's own rules: a versioned header, every term documented, and no undeclared `ng:`
//! term used in data/ or queries/.

use std::collections::BTreeSet;
use std::path::Path;

use normgraph::query::{self, Answer};
use normgraph::{Bundle, KnowledgeGraph};
use oxigraph::model::Term;

const NG: &str = "https://w3id.org/normgraph/ontology#";

fn bundle_graph() -> KnowledgeGraph {
    let kg = KnowledgeGraph::in_memory(Bundle::default_location()).unwrap();
    kg.sync_bundle().unwrap();
    kg
}

fn select(kg: &KnowledgeGraph, text: &str) -> Vec<Vec<Option<Term>>> {
    let q = query::NamedQuery::from_text("test".into(), "test".into(), text.into());
    match query::run(kg, &q, &[]).unwrap() {
        Answer::Solutions { rows, .. } => rows,
        other => panic!("not a SELECT: {other:?}"),
    }
}

#[test]
fn header_has_version_iri_and_info() {
    let kg = bundle_graph();
    let rows = select(
        &kg,
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>
         SELECT ?v ?info WHERE { <https://w3id.org/normgraph/ontology> a owl:Ontology ; owl:versionIRI ?v ; owl:versionInfo ?info }",
    );
    assert_eq!(rows.len(), 1, "exactly one version IRI and version info");
    let v = rows[0][0].as_ref().unwrap().to_string();
    let info = match rows[0][1].as_ref().unwrap() {
        Term::Literal(l) => l.value().to_owned(),
        t => panic!("{t}"),
    };
    assert!(
        v.ends_with(&format!("/ontology/{info}>")),
        "versionIRI {v} must end with the version {info}"
    );
}

#[test]
fn every_term_has_label_comment_and_is_defined_by() {
    let kg = bundle_graph();
    let rows = select(
        &kg,
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>
         PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
         SELECT ?term ?missing WHERE {
           GRAPH <https://w3id.org/normgraph/graph/ontology/normgraph.ttl> {
             ?term a ?kind . FILTER(?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty))
           }
           { FILTER NOT EXISTS { ?term rdfs:label ?l FILTER(LANG(?l) = \"en\") } BIND(\"rdfs:label@en\" AS ?missing) }
           UNION { FILTER NOT EXISTS { ?term rdfs:comment ?c FILTER(LANG(?c) = \"en\") } BIND(\"rdfs:comment@en\" AS ?missing) }
           UNION { FILTER NOT EXISTS { ?term rdfs:isDefinedBy <https://w3id.org/normgraph/ontology> } BIND(\"rdfs:isDefinedBy\" AS ?missing) }
           UNION { ?term a owl:ObjectProperty . FILTER NOT EXISTS { ?term rdfs:domain ?d } BIND(\"rdfs:domain\" AS ?missing) }
           UNION { ?term a ?k2 . FILTER(?k2 IN (owl:ObjectProperty, owl:DatatypeProperty)) FILTER NOT EXISTS { ?term rdfs:domain ?d } BIND(\"rdfs:domain\" AS ?missing) }
           UNION { ?term a owl:DatatypeProperty . FILTER NOT EXISTS { ?term rdfs:range ?r } BIND(\"rdfs:range\" AS ?missing) }
         }",
    );
    let problems: BTreeSet<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} lacks {}",
                r[0].as_ref().unwrap(),
                r[1].as_ref().unwrap()
            )
        })
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn ontology_declares_terms_in_its_namespace_only_once() {
    let kg = bundle_graph();
    let rows = select(
        &kg,
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>
         SELECT ?term WHERE { ?term a owl:Class } ",
    );
    assert!(rows.len() >= 30, "classes: {}", rows.len());
}

fn declared_terms(kg: &KnowledgeGraph) -> BTreeSet<String> {
    select(
        kg,
        "SELECT DISTINCT ?t WHERE { GRAPH <https://w3id.org/normgraph/graph/ontology/normgraph.ttl> { ?t a ?k } }",
    )
    .into_iter()
    .filter_map(|r| match &r[0] {
        Some(Term::NamedNode(n)) if n.as_str().starts_with(NG) => Some(n.as_str().to_owned()),
        _ => None,
    })
    .collect()
}

#[test]
fn data_uses_no_undeclared_ng_term() {
    let kg = bundle_graph();
    let declared = declared_terms(&kg);
    let rows = select(
        &kg,
        "SELECT DISTINCT ?t ?g WHERE { GRAPH ?g { { ?s ?t ?o } UNION { ?s a ?t } UNION { ?s ?p ?t } }
           FILTER(isIRI(?t) && STRSTARTS(STR(?t), \"https://w3id.org/normgraph/ontology#\"))
           FILTER(?g != <https://w3id.org/normgraph/graph/meta>) }",
    );
    let undeclared: BTreeSet<String> = rows
        .iter()
        .filter_map(|r| match (&r[0], &r[1]) {
            (Some(Term::NamedNode(t)), Some(g)) if !declared.contains(t.as_str()) => {
                Some(format!("{t} in {g}"))
            }
            _ => None,
        })
        .collect();
    assert!(
        undeclared.is_empty(),
        "undeclared ng: terms: {undeclared:#?}"
    );
}

#[test]
fn queries_and_rules_use_no_undeclared_ng_term() {
    let kg = bundle_graph();
    let declared = declared_terms(&kg);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["queries", "queries/checks", "ontology/rules"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_file()));
        }
    }
    assert!(!files.is_empty());
    let mut undeclared = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, _) in text.match_indices("ng:") {
            let before = text[..i].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-') {
                continue; // part of another prefix, e.g. "ping:"
            }
            let local: String = text[i + 3..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if local.is_empty() {
                continue; // the PREFIX declaration itself
            }
            let iri = format!("{NG}{local}");
            if !declared.contains(&iri) {
                undeclared.insert(format!("ng:{local} in {}", f.display()));
            }
        }
    }
    assert!(undeclared.is_empty(), "{undeclared:#?}");
}
