//! Runs the W3C SHACL test suite (`tests/w3c-shacl/`, core and SPARQL) against `normgraph::shacl`.
//!
//! Reports are compared by `sh:conforms` and the set of results (focus node, path, value,
//! source shape, constraint component, severity; messages ignored), blank nodes replaced by a
//! placeholder. Tests needing features outside the engine are listed in `OUT_OF_SCOPE`.

use std::collections::HashMap;
use std::path::{Path as FsPath, PathBuf};

use normgraph::shacl::{self, Path, Shapes};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, Term};
use oxigraph::store::Store;

/// Tests the engine does not pass, with the reason.
const OUT_OF_SCOPE: &[(&str, &str)] = &[(
    "core/property/uniqueLang-002",
    "Oxigraph stores xsd:boolean literals by value, so `sh:uniqueLang \"1\"^^xsd:boolean` (which \
     must be ignored) reads back as `true`",
)];

const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const SHT: &str = "http://www.w3.org/ns/shacl-test#";
const SH: &str = "http://www.w3.org/ns/shacl#";

fn iri(ns: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

fn suite_root() -> PathBuf {
    FsPath::new(env!("CARGO_MANIFEST_DIR")).join("tests/w3c-shacl")
}

fn file_iri(path: &FsPath) -> String {
    format!("file://{}", path.display())
}

fn load(store: &Store, path: &FsPath, graph: GraphNameRef<'_>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parser = RdfParser::from_format(RdfFormat::Turtle)
        .with_base_iri(file_iri(path))
        .unwrap()
        .with_default_graph(graph.into_owned());
    store
        .load_from_slice(parser, &bytes)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn objects(store: &Store, s: &Term, p: NamedNodeRef<'_>) -> Vec<Term> {
    let Some(subject) = (match s {
        Term::NamedNode(n) => Some(n.as_ref().into()),
        Term::BlankNode(b) => Some(b.as_ref().into()),
        Term::Literal(_) => None,
    }) else {
        return Vec::new();
    };
    store
        .quads_for_pattern(Some(subject), Some(p), None, None)
        .map(|q| q.unwrap().object)
        .collect()
}

fn object(store: &Store, s: &Term, p: &NamedNode) -> Option<Term> {
    objects(store, s, p.as_ref()).into_iter().next()
}

fn list(store: &Store, head: &Term) -> Vec<Term> {
    let first = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "first");
    let rest = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rest");
    let mut out = Vec::new();
    let mut node = head.clone();
    while let Some(f) = object(store, &node, &first) {
        out.push(f);
        node = object(store, &node, &rest).unwrap();
    }
    out
}

struct Test {
    name: String,
    data: PathBuf,
    shapes: PathBuf,
    /// `None`: the validation must fail (`sht:Failure`).
    expected: Option<(bool, Vec<String>)>,
}

fn term_key(t: Option<&Term>) -> String {
    match t {
        None => "-".into(),
        Some(Term::BlankNode(_)) => "_:b".into(),
        Some(t) => t.to_string(),
    }
}

fn path_key(p: Option<&Path>) -> String {
    fn blankless(p: &Path) -> String {
        p.to_string()
    }
    p.map_or("-".into(), blankless)
}

fn result_key(
    focus: Option<&Term>,
    path: Option<&Path>,
    value: Option<&Term>,
    shape: Option<&Term>,
    component: Option<&Term>,
    severity: Option<&Term>,
) -> String {
    format!(
        "focus={} path={} value={} shape={} component={} severity={}",
        term_key(focus),
        path_key(path),
        term_key(value),
        term_key(shape),
        term_key(component),
        term_key(severity)
    )
}

fn read_manifest(path: &FsPath, tests: &mut Vec<Test>) {
    let store = Store::new().unwrap();
    load(&store, path, GraphNameRef::DefaultGraph);
    let me: Term = NamedNode::new_unchecked(file_iri(path)).into();
    for include in objects(&store, &me, iri(MF, "include").as_ref()) {
        let Term::NamedNode(n) = include else {
            panic!()
        };
        read_manifest(FsPath::new(n.as_str().trim_start_matches("file://")), tests);
    }
    let root = suite_root();
    for entries in objects(&store, &me, iri(MF, "entries").as_ref()) {
        for test in list(&store, &entries) {
            let Term::NamedNode(name) = &test else {
                panic!()
            };
            let file = |t: Option<Term>| match t {
                Some(Term::NamedNode(n)) => PathBuf::from(n.as_str().trim_start_matches("file://")),
                other => panic!("{name}: bad graph {other:?}"),
            };
            let action = object(&store, &test, &iri(MF, "action")).unwrap();
            let data = file(object(&store, &action, &iri(SHT, "dataGraph")));
            let shapes = file(object(&store, &action, &iri(SHT, "shapesGraph")));
            let result = object(&store, &test, &iri(MF, "result")).unwrap();
            let expected = if result == Term::from(iri(SHT, "Failure")) {
                None
            } else {
                let conforms = object(&store, &result, &iri(SH, "conforms"))
                    .is_some_and(|t| matches!(t, Term::Literal(l) if l.value() == "true"));
                let mut keys = Vec::new();
                for r in objects(&store, &result, iri(SH, "result").as_ref()) {
                    let get = |p: &str| object(&store, &r, &iri(SH, p));
                    let path =
                        get("resultPath").map(|p| Path::from_store(&store, None, &p).unwrap());
                    keys.push(result_key(
                        get("focusNode").as_ref(),
                        path.as_ref(),
                        get("value").as_ref(),
                        get("sourceShape").as_ref(),
                        get("sourceConstraintComponent").as_ref(),
                        get("resultSeverity").as_ref(),
                    ));
                }
                keys.sort();
                keys.dedup();
                Some((conforms, keys))
            };
            let rel = name
                .as_str()
                .trim_start_matches("file://")
                .trim_start_matches(&format!("{}/", root.display()))
                .trim_end_matches(".ttl")
                .to_owned();
            tests.push(Test {
                name: rel,
                data,
                shapes,
                expected,
            });
        }
    }
}

fn run(test: &Test) -> Result<(), String> {
    let store = Store::new().unwrap();
    load(&store, &test.data, GraphNameRef::DefaultGraph);
    let shapes_graph = NamedNode::new_unchecked("urn:x-test:shapes");
    load(&store, &test.shapes, shapes_graph.as_ref().into());
    let outcome = Shapes::from_store(&store, Some(shapes_graph.as_ref().into()))
        .and_then(|shapes| shacl::validate(&store, false, &shapes));
    match (&test.expected, outcome) {
        (None, Err(_)) => Ok(()),
        (None, Ok(report)) => Err(format!("expected a failure, got:\n{report}")),
        (Some(_), Err(e)) => Err(format!("error: {e}")),
        (Some((conforms, expected)), Ok(report)) => {
            let mut actual: Vec<String> = report
                .results
                .iter()
                .map(|r| {
                    result_key(
                        Some(&r.focus_node),
                        r.result_path.as_ref(),
                        r.value.as_ref(),
                        Some(&r.source_shape),
                        Some(&r.source_constraint_component.clone().into()),
                        Some(&r.severity.clone().into()),
                    )
                })
                .collect();
            actual.sort();
            actual.dedup();
            if report.conforms() != *conforms || actual != *expected {
                let missing: Vec<_> = expected.iter().filter(|k| !actual.contains(k)).collect();
                let extra: Vec<_> = actual.iter().filter(|k| !expected.contains(k)).collect();
                return Err(format!(
                    "conforms {} (expected {conforms}), {} results (expected {})\n  missing: {missing:#?}\n  extra: {extra:#?}",
                    report.conforms(),
                    actual.len(),
                    expected.len()
                ));
            }
            Ok(())
        }
    }
}

#[test]
fn w3c_shacl_suite() {
    let mut tests = Vec::new();
    read_manifest(&suite_root().join("manifest.ttl"), &mut tests);
    assert!(tests.len() > 100, "only {} tests found", tests.len());
    let allow: HashMap<&str, &str> = OUT_OF_SCOPE.iter().copied().collect();
    let (mut passed, mut failed, mut out_of_scope) = (0, Vec::new(), Vec::new());
    for test in &tests {
        let outcome =
            std::panic::catch_unwind(|| run(test)).unwrap_or_else(|_| Err("panicked".into()));
        match (outcome, allow.get(test.name.as_str())) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(_)) => failed.push(format!(
                "{}: passes, remove it from OUT_OF_SCOPE",
                test.name
            )),
            (Err(_), Some(reason)) => out_of_scope.push(format!("{}: {reason}", test.name)),
            (Err(e), None) => failed.push(format!("{}: {e}", test.name)),
        }
    }
    println!(
        "W3C SHACL: {passed} passed, {} failed, {} out of scope",
        failed.len(),
        out_of_scope.len()
    );
    for t in &out_of_scope {
        println!("  out of scope: {t}");
    }
    for t in &failed {
        println!("  FAILED {t}");
    }
    assert!(failed.is_empty(), "{} W3C SHACL tests failed", failed.len());
}
