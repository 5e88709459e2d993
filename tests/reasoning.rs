//! The derived stances (ng:backs / ng:opposes, explained by ng:bearsOn): they follow the data when
//! it changes, and a few facts a curator can check hold on the bundled data.

use std::path::Path;

use normgraph::query::{self, Answer, NamedQuery};
use normgraph::store::SourceFile;
use normgraph::{Bundle, KnowledgeGraph};
use oxigraph::model::Term;

fn ask(kg: &KnowledgeGraph, text: &str) -> bool {
    let q = NamedQuery::from_text("test".into(), "test".into(), text.into());
    match query::run(kg, &q, &[]).unwrap() {
        Answer::Boolean(b) => b,
        other => panic!("{other:?}"),
    }
}

fn rows(kg: &KnowledgeGraph, name: &str, bindings: &[(&str, &str)]) -> Vec<Vec<Option<Term>>> {
    let q = query::resolve(&kg.bundle().queries_dir(), name).unwrap();
    let b: Vec<(String, String)> = bindings
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    match query::run(kg, &q, &b).unwrap() {
        Answer::Solutions { rows, .. } => rows,
        other => panic!("{other:?}"),
    }
}

const PREFIXES: &str = "PREFIX ng: <https://w3id.org/normgraph/ontology#>
PREFIX state: <https://w3id.org/normgraph/id/state/>
PREFIX norm: <https://w3id.org/normgraph/id/norm/>
PREFIX end: <https://w3id.org/normgraph/id/endorsement/>
";

#[test]
fn a_derived_link_follows_its_endorsement() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let kg = KnowledgeGraph::open(&store, Bundle::default_location()).unwrap();
    let mut files = Bundle::default_location().ontology_files().unwrap();
    let fixture = tmp.path().join("claims.ttl");
    let base = std::fs::read_to_string(root.join("tests/fixtures/valid/complete.ttl")).unwrap();
    std::fs::write(&fixture, &base).unwrap();
    files.push(SourceFile::relative_to(&fixture, tmp.path()));
    kg.load(&files).unwrap();
    let backs = format!("{PREFIXES} ASK {{ state:XBB ng:backs norm:x-norm }}");
    let explained = format!(
        "{PREFIXES} ASK {{ ?e ng:actor state:XAA ; ng:bearsOn norm:x-norm . FILTER(?e = end:x-treaty--XAA--ratified) }}"
    );
    assert!(ask(&kg, &backs), "XBB supports the norm directly");
    assert!(
        ask(&kg, &explained),
        "the ratification explains XAA's backing"
    );
    // XBB voted against a resolution that only affirms the treaty: no opposition is derived.
    assert!(!ask(
        &kg,
        &format!("{PREFIXES} ASK {{ state:XBB ng:opposes norm:x-norm }}")
    ));

    // Remove XBB's endorsement: the derived link disappears on reload.
    let without: String = base
        .lines()
        .filter(|l| !l.starts_with("end:x-norm--XBB--supported"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&fixture, without).unwrap();
    let report = kg.load(&files).unwrap();
    assert_eq!(report.loaded.len(), 1, "only the changed file is reloaded");
    assert!(!ask(&kg, &backs), "the backing went with its endorsement");
    assert!(ask(&kg, &explained), "other derived links stay");

    // Add a denunciation after XAA's ratification.
    let withdrawn = format!(
        "{}\nend:w a ng:Endorsement ; ng:actor state:XAA ; ng:target instr:x-treaty ; ng:status status:denounced ; ng:date \"2020-01-01\"^^xsd:date ; prov:hadPrimarySource src:fixture .\n",
        std::fs::read_to_string(&fixture).unwrap()
    );
    std::fs::write(&fixture, withdrawn).unwrap();
    kg.load(&files).unwrap();
    // XAA still backs the norm through its vote for the affirming resolution, but no longer
    // through the treaty it denounced: who-backs-norm shows only the vote.
    assert!(ask(
        &kg,
        &format!("{PREFIXES} ASK {{ state:XAA ng:backs norm:x-norm }}")
    ));
    let via: Vec<String> = rows(&kg, "who-backs-norm", &[("norm", "norm:x-norm")])
        .into_iter()
        .filter(|r| r[0].as_ref().unwrap().to_string().ends_with("/XAA>"))
        .map(|r| r[9].as_ref().unwrap().to_string())
        .collect();
    assert_eq!(
        via,
        vec!["<https://w3id.org/normgraph/id/instrument/x-res>".to_owned()]
    );
    drop(kg);
    // The derived graph persisted with the store.
    let kg = KnowledgeGraph::open(&store, Bundle::default_location()).unwrap();
    assert!(!ask(&kg, &backs));
}

fn bundled() -> KnowledgeGraph {
    let kg = KnowledgeGraph::in_memory(Bundle::default_location()).unwrap();
    kg.sync_bundle().unwrap();
    kg
}

#[test]
fn the_2015_china_us_agreement_makes_both_back_the_ip_theft_norm() {
    let kg = bundled();
    for s in ["CHN", "USA"] {
        assert!(
            ask(
                &kg,
                &format!("{PREFIXES} ASK {{ state:{s} ng:backs norm:chn-usa-2015-no-ip-theft }}")
            ),
            "{s}"
        );
    }
    let evidence = rows(
        &kg,
        "evidence-for",
        &[
            ("actor", "state:CHN"),
            ("norm", "norm:chn-usa-2015-no-ip-theft"),
        ],
    );
    assert!(!evidence.is_empty());
}

#[test]
fn the_sco_code_submitters_back_its_norms() {
    let kg = bundled();
    // Every state that proposed the 2015 code backs every norm the code articulates.
    let missing = format!(
        "{PREFIXES} PREFIX instr: <https://w3id.org/normgraph/id/instrument/>
         ASK {{ ?e ng:target instr:a-69-723 ; ng:status <https://w3id.org/normgraph/id/status/proposed> ; ng:actor ?s .
                ?n ng:articulatedIn instr:a-69-723 . FILTER NOT EXISTS {{ ?s ng:backs ?n }} }}"
    );
    assert!(!ask(&kg, &missing));
    assert!(ask(
        &kg,
        &format!("{PREFIXES} PREFIX instr: <https://w3id.org/normgraph/id/instrument/> ASK {{ ?n ng:articulatedIn instr:a-69-723 . state:RUS ng:backs ?n }}")
    ));
}

#[test]
fn china_and_the_us_have_sourced_common_ground_and_divergences() {
    let kg = bundled();
    let common = rows(
        &kg,
        "common-ground",
        &[("a", "state:CHN"), ("b", "state:USA")],
    );
    assert!(common.len() >= 5, "{} shared norms", common.len());
    for r in &common {
        // Each side's strongest evidence: a status and what it was on (evidence-for has the sources).
        for i in [2, 3, 5, 6] {
            assert!(r[i].is_some(), "{r:?}");
        }
    }
    let split = rows(&kg, "divergence", &[("a", "state:CHN"), ("b", "state:USA")]);
    assert!(split.iter().any(|r| r[0]
        .as_ref()
        .unwrap()
        .to_string()
        .contains("government-led-governance")));
}

/// The inferred graph as sorted N-Quads lines.
fn inferred(kg: &KnowledgeGraph) -> Vec<String> {
    let g = oxigraph::model::NamedNodeRef::new_unchecked(normgraph::vocab::graph::INFERRED);
    let mut out: Vec<String> = kg
        .store()
        .quads_for_pattern(None, None, None, Some(g.into()))
        .map(|q| q.unwrap().to_string())
        .collect();
    out.sort();
    out
}

/// The derived graph does not depend on how the store got its data: a store whose files were
/// changed and reloaded one by one (the inferred graph rewritten by difference each time) holds
/// the same inferred graph as a store built from the final files in one load, and `reason()`
/// recomputes it unchanged.
#[test]
fn the_derived_graph_is_the_same_however_the_data_arrived() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bundle = Bundle::default_location();
    let tmp = tempfile::tempdir().unwrap();
    let mut files = bundle.ontology_files().unwrap();
    let fixture = tmp.path().join("rules.ttl");
    let text = std::fs::read_to_string(root.join("tests/fixtures/evidence/rules.ttl")).unwrap();
    // First without XBB's ratification and the withdrawal, then with them.
    let first: String = text
        .lines()
        .filter(|l| {
            !l.starts_with("end:x-treaty--XBB--ratified")
                && !l.starts_with("end:x-call--XAA--withdrawn")
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&fixture, &first).unwrap();
    files.push(SourceFile::relative_to(&fixture, tmp.path()));
    let stepwise = KnowledgeGraph::open(tmp.path().join("a"), bundle.clone()).unwrap();
    stepwise.load(&files).unwrap();
    let before = inferred(&stepwise);
    std::fs::write(&fixture, &text).unwrap();
    stepwise.load(&files).unwrap();
    let after = inferred(&stepwise);
    assert_ne!(before, after, "the new acts changed the derived graph");
    let fresh = KnowledgeGraph::open(tmp.path().join("b"), bundle.clone()).unwrap();
    fresh.load(&files).unwrap();
    assert_eq!(after, inferred(&fresh));
    stepwise.reason().unwrap();
    assert_eq!(after, inferred(&stepwise));
}
