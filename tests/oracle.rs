//! Oracle: pySHACL (installed into a venv by tests/python/venv.sh) runs the same shapes over the same
//! data graphs as normgraph's engine, for every validation fixture; conformance and the set of
//! (focus node, source shape, constraint component) must agree.

mod common;

use common::python;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use normgraph::store::SourceFile;
use normgraph::{shacl, validate, vocab, Bundle, KnowledgeGraph};
use oxigraph::model::{GraphName, NamedNodeRef, Term, Triple};

/// The data graph both engines see: every triple of every graph but the bookkeeping one.
fn data_graph(kg: &KnowledgeGraph) -> Vec<Triple> {
    let mut set = BTreeSet::new();
    for q in kg.store().iter().flatten() {
        if matches!(&q.graph_name, GraphName::NamedNode(g) if g.as_str() == vocab::graph::META) {
            continue;
        }
        set.insert(Triple::new(q.subject, q.predicate, q.object).to_string());
    }
    set.into_iter()
        .map(|t| {
            let mut it = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
                .for_slice(format!("{t} .\n").as_bytes().to_vec().leak() as &[u8]);
            it.next().unwrap().unwrap().into()
        })
        .collect()
}

#[test]
fn pyshacl_agrees_with_normgraph_on_every_fixture() {
    let bundle = Bundle::default_location();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (shapes_store, shapes) = validate::load_shapes(&bundle.shapes_file()).unwrap();
    let sh_path = NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#path");
    let shape_key = |t: &Term| -> String {
        match t {
            Term::BlankNode(b) => {
                let p = shapes_store
                    .quads_for_pattern(Some(b.as_ref().into()), Some(sh_path), None, None)
                    .flatten()
                    .next()
                    .map(|q| q.object.to_string())
                    .unwrap_or_else(|| "?".into());
                format!("_:{p}")
            }
            other => other.to_string(),
        }
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut cases = Vec::new();
    for dir in ["invalid", "valid"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures").join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let kg = KnowledgeGraph::in_memory(bundle.clone()).unwrap();
            let mut sources = Bundle::default_location().ontology_files().unwrap();
            sources.push(SourceFile::relative_to(&file, root));
            kg.load(&sources).unwrap();
            let ours = shacl::validate(kg.store(), true, &shapes).unwrap();
            let ours_set: BTreeSet<(String, String, String)> = ours
                .results
                .iter()
                .map(|r| {
                    (
                        r.focus_node.to_string(),
                        shape_key(&r.source_shape),
                        r.source_constraint_component.to_string(),
                    )
                })
                .collect();
            let nt = tmp.path().join(format!(
                "{}-{}.nt",
                dir,
                file.file_stem().unwrap().to_string_lossy()
            ));
            let mut w = std::fs::File::create(&nt).unwrap();
            for t in data_graph(&kg) {
                writeln!(w, "{t} .").unwrap();
            }
            cases.push((nt, ours.conforms(), ours_set));
        }
    }
    let py = python();
    let out = Command::new(&py)
        .arg(root.join("tests/python/pyshacl_oracle.py"))
        .arg(bundle.shapes_file())
        .args(cases.iter().map(|c| &c.0))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pySHACL failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut disagreements = Vec::new();
    for (nt, conforms, ours) in &cases {
        let t = &theirs[nt.to_string_lossy().as_ref()];
        let their_set: BTreeSet<(String, String, String)> = t["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r[0].as_str().unwrap().to_owned(),
                    r[1].as_str().unwrap().to_owned(),
                    r[2].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        if t["conforms"].as_bool() != Some(*conforms) || &their_set != ours {
            disagreements.push(format!(
                "{}: conforms ours {conforms} theirs {}\n  only ours: {:?}\n  only pySHACL: {:?}",
                nt.file_name().unwrap().to_string_lossy(),
                t["conforms"],
                ours.difference(&their_set).collect::<Vec<_>>(),
                their_set.difference(ours).collect::<Vec<_>>()
            ));
        }
    }
    println!(
        "pySHACL oracle: {} fixtures compared, {} disagree",
        cases.len(),
        disagreements.len()
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
