//! Issue #6, linked-data export: round trips through every RDF format, canonical dumps stable across
//! load orders (sophia_c14n over the store view) and equal to Oxigraph's own RDFC-1.0, JSON-LD that expands back to the same graph, CSV tables
//! a standard reader accepts, descriptions, and a release whose SHA256SUMS `sha256sum -c` verifies.

use std::collections::HashSet;
use std::path::PathBuf;

use assert_cmd::Command;
use normgraph::export::{self, ExportFormat, Selection, Table};
use normgraph::{Bundle, KnowledgeGraph, SourceFile};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use oxigraph::model::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use oxigraph::model::{Dataset, NamedNode, Quad, QuadRef, Triple};
use sophia_api::term::SimpleTerm;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bundle_kg() -> KnowledgeGraph {
    let kg = KnowledgeGraph::in_memory(Bundle::new(root())).unwrap();
    kg.sync_bundle().unwrap();
    kg
}

/// A store holding only the blank-node fixtures (no rules, no bundle data).
fn fixtures_kg() -> KnowledgeGraph {
    let empty = tempfile::tempdir().unwrap();
    let kg = KnowledgeGraph::in_memory(Bundle::new(empty.path())).unwrap();
    let dir = root().join("tests/fixtures/bnodes");
    let files: Vec<SourceFile> = normgraph::store::rdf_files_in(&dir)
        .unwrap()
        .iter()
        .map(|p| SourceFile::relative_to(p, &dir))
        .collect();
    assert!(files.len() >= 3);
    kg.load(&files).unwrap();
    kg
}

// --- canonical forms ----------------------------------------------------------------------

type SophiaDataset = HashSet<([SimpleTerm<'static>; 3], Option<SimpleTerm<'static>>)>;

fn to_sophia<'a>(quads: impl IntoIterator<Item = QuadRef<'a>>) -> SophiaDataset {
    quads.into_iter().map(normgraph::sophia::quad).collect()
}

/// normgraph's canonical form (sophia_c14n) of any set of quads, as parsed (not through a store,
/// which keeps typed literals by value: "01"^^xsd:integer is read back as "1").
fn canonicalize(dataset: &Dataset) -> export::Canonical {
    export::canonical_of(&to_sophia(dataset.iter())).unwrap()
}

/// The oracle: Oxigraph's own RDFC-1.0 (SHA-256), its N-Quads lines sorted.
fn oxigraph_c14n(quads: &[Quad]) -> String {
    let mut d: Dataset = quads.iter().collect();
    d.canonicalize(CanonicalizationAlgorithm::Rdfc10 {
        hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
    });
    let mut lines: Vec<String> = d.iter().map(|q| format!("{q} .\n")).collect();
    lines.sort_unstable();
    lines.concat()
}

/// The quads of the selected graphs.
fn quads_of(kg: &KnowledgeGraph, sel: &Selection) -> Vec<Quad> {
    let mut out = Vec::new();
    for g in sel.graphs(kg).unwrap() {
        for q in kg
            .store()
            .quads_for_pattern(None, None, None, Some(g.as_ref()))
        {
            out.push(q.unwrap());
        }
    }
    out
}

// --- helpers -----------------------------------------------------------------------------------

fn parse(bytes: &[u8], format: RdfFormat) -> Vec<Quad> {
    RdfParser::from_format(format)
        .for_slice(bytes)
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{format:?} does not parse back: {e}"))
}

fn triples_dataset(triples: &[Triple]) -> Dataset {
    triples
        .iter()
        .map(|t| t.clone().in_graph(oxigraph::model::GraphName::DefaultGraph))
        .collect()
}

fn quads_dataset(quads: &[Quad], as_triples: bool) -> Dataset {
    quads
        .iter()
        .map(|q| {
            let mut q = q.clone();
            if as_triples {
                q.graph_name = oxigraph::model::GraphName::DefaultGraph;
            }
            q
        })
        .collect()
}

fn export_bytes(kg: &KnowledgeGraph, sel: &Selection, format: ExportFormat) -> Vec<u8> {
    let mut out = Vec::new();
    export::write(kg, sel, format, &mut out).unwrap();
    out
}

/// Every RDF format, written and parsed back, gives the store's graph (union for triple formats,
/// quads for N-Quads and TriG), compared by RDFC-1.0 canonical form.
fn assert_round_trips(kg: &KnowledgeGraph, sel: &Selection) {
    let quads = quads_of(kg, sel);
    let union = canonicalize(&triples_dataset(&export::union_triples(kg, sel).unwrap()));
    let with_graphs = canonicalize(&quads_dataset(&quads, false));
    for format in ExportFormat::ALL {
        if format == ExportFormat::Csv {
            continue;
        }
        let rdf = match format {
            ExportFormat::Turtle => RdfFormat::Turtle,
            ExportFormat::NTriples => RdfFormat::NTriples,
            ExportFormat::NQuads => RdfFormat::NQuads,
            ExportFormat::TriG => RdfFormat::TriG,
            ExportFormat::RdfXml => RdfFormat::RdfXml,
            ExportFormat::JsonLd => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
            ExportFormat::Csv => unreachable!(),
        };
        let back = parse(&export_bytes(kg, sel, format), rdf);
        let expected = if format.keeps_graphs() {
            &with_graphs
        } else {
            &union
        };
        let got = canonicalize(&quads_dataset(&back, !format.keeps_graphs()));
        assert_eq!(got.quads, expected.quads, "{format:?}: quad count");
        assert!(
            got.sha256 == expected.sha256,
            "{format:?} does not round-trip:\n{}",
            first_difference(&got.nquads, &expected.nquads)
        );
    }
}

fn first_difference(a: &str, b: &str) -> String {
    let la: HashSet<&str> = a.lines().collect();
    let lb: HashSet<&str> = b.lines().collect();
    let extra: Vec<_> = la.difference(&lb).take(3).collect();
    let missing: Vec<_> = lb.difference(&la).take(3).collect();
    format!("extra {extra:#?}\nmissing {missing:#?}")
}

// --- round trips ---------------------------------------------------------------------------

#[test]
fn every_format_round_trips_on_the_bundled_data() {
    let kg = bundle_kg();
    assert_round_trips(&kg, &Selection::default());
    assert_round_trips(
        &kg,
        &Selection {
            include_inferred: true,
            ..Selection::default()
        },
    );
}

#[test]
fn every_format_round_trips_on_blank_node_fixtures() {
    assert_round_trips(&fixtures_kg(), &Selection::default());
}

#[test]
fn default_export_has_no_meta_and_no_inferred_graph() {
    let kg = bundle_kg();
    let nq = String::from_utf8(export_bytes(
        &kg,
        &Selection::default(),
        ExportFormat::NQuads,
    ))
    .unwrap();
    assert!(!nq.contains("<https://w3id.org/normgraph/graph/meta>"));
    assert!(!nq.contains("<https://w3id.org/normgraph/graph/inferred>"));
    assert!(nq.contains("<https://w3id.org/normgraph/graph/ontology/normgraph.ttl>"));
    let with = Selection {
        include_inferred: true,
        ..Selection::default()
    };
    let nq = String::from_utf8(export_bytes(&kg, &with, ExportFormat::NQuads)).unwrap();
    assert!(nq.contains("<https://w3id.org/normgraph/graph/inferred>"));
    assert!(!nq.contains("<https://w3id.org/normgraph/graph/meta>"));
    // One graph only.
    let one = Selection {
        graphs: Some(vec![NamedNode::new(
            "https://w3id.org/normgraph/graph/data/actors/states.ttl",
        )
        .unwrap()]),
        include_inferred: false,
    };
    let nq = String::from_utf8(export_bytes(&kg, &one, ExportFormat::NQuads)).unwrap();
    assert!(nq
        .lines()
        .all(|l| l.ends_with("<https://w3id.org/normgraph/graph/data/actors/states.ttl> .")));
    let missing = Selection {
        graphs: Some(vec![NamedNode::new("http://example.org/nope").unwrap()]),
        include_inferred: false,
    };
    assert!(export::write(&kg, &missing, ExportFormat::NQuads, &mut Vec::new()).is_err());
}

#[test]
fn ntriples_union_has_each_triple_once_and_turtle_uses_prefixes() {
    let kg = bundle_kg();
    let sel = Selection {
        include_inferred: true,
        ..Selection::default()
    };
    let nt = String::from_utf8(export_bytes(&kg, &sel, ExportFormat::NTriples)).unwrap();
    let lines: Vec<&str> = nt.lines().collect();
    let distinct: HashSet<&str> = lines.iter().copied().collect();
    assert_eq!(
        lines.len(),
        distinct.len(),
        "duplicate triples in N-Triples"
    );
    assert_eq!(lines.len(), export::union_triples(&kg, &sel).unwrap().len());
    let ttl = String::from_utf8(export_bytes(&kg, &sel, ExportFormat::Turtle)).unwrap();
    assert!(ttl.contains("@prefix ng: <https://w3id.org/normgraph/ontology#> ."));
    assert!(
        ttl.lines()
            .any(|l| l.starts_with("norm:gge2015-13f a ") && l.contains("ng:Norm")),
        "pretty Turtle with prefixed names"
    );
    let trig = String::from_utf8(export_bytes(&kg, &sel, ExportFormat::TriG)).unwrap();
    assert!(trig.contains("<https://w3id.org/normgraph/graph/data/actors/states.ttl> {"));
}

// --- canonical ---------------------------------------------------------------------------

#[test]
fn canonical_dump_is_the_same_whatever_the_load_order_and_equals_oxigraphs() {
    let files = Bundle::new(root()).files().unwrap();
    // Order A: one load of every file. Order B: reversed, in three separate loads.
    let a = KnowledgeGraph::in_memory(Bundle::new(root())).unwrap();
    a.load(&files).unwrap();
    let b = KnowledgeGraph::in_memory(Bundle::new(root())).unwrap();
    let mut reversed = files.clone();
    reversed.reverse();
    for chunk in reversed.chunks(reversed.len().div_ceil(3)) {
        b.load(chunk).unwrap();
    }
    for sel in [
        Selection::default(),
        Selection {
            include_inferred: true,
            ..Selection::default()
        },
    ] {
        let ca = export::canonical(&a, &sel).unwrap();
        let cb = export::canonical(&b, &sel).unwrap();
        assert!(
            ca.nquads == cb.nquads,
            "load order changed the canonical dump"
        );
        assert_eq!(ca.sha256, cb.sha256);
        let oracle = oxigraph_c14n(&quads_of(&a, &sel));
        assert!(
            ca.nquads == oracle,
            "sophia_c14n (normgraph) and oxigraph disagree:\n{}",
            first_difference(&ca.nquads, &oracle)
        );
    }
    // The bundle as synced (what the CLI exports) gives the same bytes.
    let c = export::canonical(&bundle_kg(), &Selection::default()).unwrap();
    assert_eq!(
        c.sha256,
        export::canonical(&a, &Selection::default()).unwrap().sha256
    );
    println!(
        "canonical sha256 of the bundled data: {} ({} quads)",
        c.sha256, c.quads
    );
}

#[test]
fn canonical_blank_node_fixtures_agree_with_oxigraph_and_are_label_independent() {
    let one = fixtures_kg();
    let two = fixtures_kg(); // parsed again: other random blank node labels
    let c1 = export::canonical(&one, &Selection::default()).unwrap();
    let c2 = export::canonical(&two, &Selection::default()).unwrap();
    assert_eq!(c1.nquads, c2.nquads);
    assert!(c1.nquads.contains("_:c14n0"));
    let oracle = oxigraph_c14n(&quads_of(&one, &Selection::default()));
    assert!(
        c1.nquads == oracle,
        "sophia_c14n (normgraph) and oxigraph disagree:\n{}",
        first_difference(&c1.nquads, &oracle)
    );
    // Each fixture alone too (a single default-graph file, the hard cycle case included).
    for name in ["cycles.ttl", "nested.ttl", "literals.ttl"] {
        let path = root().join("tests/fixtures/bnodes").join(name);
        let quads = parse(&std::fs::read(&path).unwrap(), RdfFormat::Turtle);
        let ours = canonicalize(&quads.iter().collect());
        assert!(
            ours.nquads == oxigraph_c14n(&quads),
            "{name}: c14n disagree:\n{}\n---\n{}",
            ours.nquads,
            oxigraph_c14n(&quads)
        );
        // And sophia sees our round-tripped canonical dump as isomorphic to the source.
        let back = parse(ours.nquads.as_bytes(), RdfFormat::NQuads);
        assert!(sophia_isomorphism::isomorphic_datasets(
            &to_sophia(quads.iter().map(Quad::as_ref)),
            &to_sophia(back.iter().map(Quad::as_ref))
        )
        .unwrap());
    }
}

// --- JSON-LD ------------------------------------------------------------------------------

#[test]
fn jsonld_is_compacted_and_expands_to_the_same_graph() {
    for kg in [bundle_kg(), fixtures_kg()] {
        let sel = Selection::default();
        let bytes = export_bytes(&kg, &sel, ExportFormat::JsonLd);
        let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert!(doc["@context"].is_object() && doc["@graph"].is_array());
        let back = parse(
            &bytes,
            RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
        );
        let expected = canonicalize(&triples_dataset(&export::union_triples(&kg, &sel).unwrap()));
        let got = canonicalize(&quads_dataset(&back, true));
        assert!(
            got.nquads == expected.nquads,
            "{}",
            first_difference(&got.nquads, &expected.nquads)
        );
    }
    // The compact shape for the curated data.
    let kg = bundle_kg();
    let doc: serde_json::Value = serde_json::from_slice(&export_bytes(
        &kg,
        &Selection::default(),
        ExportFormat::JsonLd,
    ))
    .unwrap();
    let chn = doc["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["@id"] == "state:CHN")
        .expect("state:CHN node");
    assert_eq!(chn["@type"], "State");
    assert_eq!(chn["label"], "China");
    assert_eq!(chn["isoAlpha3"], "CHN");
    let e = doc["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["@type"] == "Endorsement" && n.get("date").is_some())
        .expect("a dated endorsement");
    assert!(e["actor"].as_str().is_some_and(|a| !a.starts_with("http")));
    assert!(e["status"]
        .as_str()
        .is_some_and(|s| s.starts_with("statuses:")));
    assert!(e["date"].as_str().is_some_and(|d| d.len() == 10));
}

#[test]
fn published_context_is_the_one_built_from_the_ontology() {
    let kg = bundle_kg();
    let built = export::context(&kg).unwrap();
    let file = Bundle::new(root()).context_file();
    let published: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert!(
        built == published,
        "ontology/context.jsonld is stale: regenerate it with `normgraph export --release DIR` (DIR/context.jsonld)"
    );
    // The context is not loaded as data.
    assert!(Bundle::new(root())
        .files()
        .unwrap()
        .iter()
        .all(|f| f.path != file));
}

// --- CSV ----------------------------------------------------------------------------------

fn count_instances(kg: &KnowledgeGraph, class: &str) -> usize {
    let q =
        format!("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{class}> FILTER(isIRI(?x)) }}");
    let q = normgraph::query::NamedQuery::from_text("count".into(), PathBuf::new(), q);
    match normgraph::query::run(kg, &q, &[]).unwrap() {
        normgraph::query::Answer::Solutions { rows, .. } => match &rows[0][0] {
            Some(oxigraph::model::Term::Literal(l)) => l.value().parse().unwrap(),
            other => panic!("{other:?}"),
        },
        _ => unreachable!(),
    }
}

#[test]
fn csv_tables_parse_and_have_one_row_per_resource() {
    let kg = bundle_kg();
    for (table, class, columns) in [
        (
            Table::Endorsements,
            "https://w3id.org/normgraph/ontology#Endorsement",
            14,
        ),
        (Table::Norms, "https://w3id.org/normgraph/ontology#Norm", 6),
        (
            Table::Actors,
            "https://w3id.org/normgraph/ontology#Actor",
            5,
        ),
    ] {
        let mut bytes = Vec::new();
        export::write_table(&kg, table, &mut bytes).unwrap();
        let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(headers.len(), columns, "{table:?} header");
        let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
        assert_eq!(
            rows.len(),
            count_instances(&kg, class),
            "{table:?}: one row per instance"
        );
        let ids: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted, "{table:?}: sorted, unique first column");
        assert!(String::from_utf8(bytes.clone()).is_ok());
        assert!(bytes.windows(2).any(|w| w == b"\r\n"), "RFC 4180 line ends");
    }
    // A known row.
    let mut bytes = Vec::new();
    export::write_table(&kg, Table::Actors, &mut bytes).unwrap();
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let chn = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "https://w3id.org/normgraph/id/state/CHN")
        .unwrap();
    assert_eq!(&chn[1], "China");
    assert_eq!(&chn[2], "State");
    assert_eq!(&chn[4], "CHN");
}

// --- describe -------------------------------------------------------------------------------

#[test]
fn describe_follows_blank_nodes_and_adds_labels() {
    let kg = fixtures_kg();
    let claim = NamedNode::new("http://example.org/claim").unwrap();
    let d = export::describe(&kg, &claim).unwrap();
    let text: String = d.iter().map(|t| format!("{t} .\n")).collect();
    // Nested blank nodes, the list and its blank node member are all in.
    assert!(text.contains("\"first\""), "{text}");
    assert!(text.contains("\"observer\""), "{text}");
    assert!(text.contains("<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>"));
    // Labels of linked IRIs, not their other triples.
    assert!(text.contains("<http://example.org/doc1> <http://www.w3.org/2000/01/rdf-schema#label>"));
    assert!(
        text.contains("<http://example.org/alice> <http://www.w3.org/2000/01/rdf-schema#label>")
    );
    // Nothing about unrelated blank nodes.
    assert!(!text.contains("http://example.org/next"));
    let mut ttl = Vec::new();
    export::write_description(&kg, &d, ExportFormat::Turtle, &mut ttl).unwrap();
    assert_eq!(parse(&ttl, RdfFormat::Turtle).len(), d.len());
}

// --- CLI --------------------------------------------------------------------------------------

fn ng() -> Command {
    let mut cmd = Command::cargo_bin("normgraph").unwrap();
    cmd.arg("--memory").arg("--home").arg(root());
    cmd
}

#[test]
fn cli_release_verifies_with_sha256sum() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("release");
    ng().args(["export", "--release"])
        .arg(&dir)
        .args(["--base", "http://localhost:9999/sparql"])
        .assert()
        .success();
    for name in [
        "normgraph.ttl",
        "normgraph.nt",
        "normgraph.nq",
        "normgraph.trig",
        "normgraph.rdf",
        "normgraph.jsonld",
        "normgraph.canonical.nq",
        "endorsements.csv",
        "norms.csv",
        "actors.csv",
        "context.jsonld",
        "void.ttl",
        "SHA256SUMS",
    ] {
        assert!(dir.join(name).is_file(), "{name} missing");
    }
    let check = std::process::Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert_eq!(String::from_utf8_lossy(&check.stdout).lines().count(), 12);
    // void.ttl: a dataset with 12 distributions, the endpoint, and the canonical dump's checksum.
    let void = std::fs::read(dir.join("void.ttl")).unwrap();
    let quads = parse(&void, RdfFormat::Turtle);
    let count = |p: &str| quads.iter().filter(|q| q.predicate.as_str() == p).count();
    assert_eq!(count("http://www.w3.org/ns/dcat#distribution"), 11);
    assert_eq!(count("http://www.w3.org/ns/dcat#byteSize"), 11);
    assert!(count("http://rdfs.org/ns/void#classPartition") > 10);
    // Freshness: a subset per data file, each as of a date (data/datasets.ttl).
    let data_files = std::fs::read_dir(root().join("data"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|d| d.path().is_dir())
        .flat_map(|d| std::fs::read_dir(d.path()).unwrap().filter_map(Result::ok))
        .filter(|f| f.path().extension().is_some_and(|e| e == "ttl"))
        .count();
    assert_eq!(count("http://rdfs.org/ns/void#subset"), data_files);
    assert!(count("https://w3id.org/normgraph/ontology#asOf") + 5 >= data_files);
    let text = String::from_utf8(void).unwrap();
    assert!(text.contains("<http://localhost:9999/sparql>"));
    // Same data, same bytes: a second release (another process) has the same SHA256SUMS.
    let again = tmp.path().join("again");
    ng().args(["export", "--release"])
        .arg(&again)
        .args(["--base", "http://localhost:9999/sparql"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap(),
        std::fs::read_to_string(again.join("SHA256SUMS")).unwrap()
    );
    let canon = std::fs::read(dir.join("normgraph.canonical.nq")).unwrap();
    let sum: String = <sha2::Sha256 as sha2::Digest>::digest(&canon)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(text.contains(&sum));
}

#[test]
fn cli_export_chooses_the_format_from_the_extension_and_describes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dump.jsonld");
    ng().args(["export", "-o"]).arg(&out).assert().success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("{\n  \"@context\""));
    let canon = ng()
        .args(["export", "--canonical"])
        .assert()
        .success()
        .get_output()
        .clone();
    let expected = export::canonical(&bundle_kg(), &Selection::default()).unwrap();
    assert!(canon.stdout == expected.nquads.as_bytes());
    assert!(String::from_utf8_lossy(&canon.stderr).contains(&expected.sha256));
    let csv_out = ng()
        .args(["export", "--format", "csv", "--table", "norms"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(csv_out.starts_with(b"norm,short_name,"));
    let d = ng()
        .args(["describe", "state:CHN"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let d = String::from_utf8(d).unwrap();
    assert!(
        d.contains("state:CHN") && d.contains("rdfs:label \"China\"@en"),
        "{d}"
    );
    ng().args(["describe", "state:NOPE"]).assert().code(2);
    ng().args(["export", "--format", "yaml"]).assert().code(2);
}

/// A blank-node structure built to make RDFC-1.0 exponential (twelve blank nodes all linked to
/// one another: every node hashes alike, so a complete canonicalization tries 12! orders, which
/// Oxigraph's own implementation does, for minutes) is refused at once with a clear error by
/// sophia_c14n's permutation limit; such data can come from any URL `load` reads.
#[test]
fn a_toxic_blank_node_graph_is_refused_not_canonicalized_forever() {
    let mut nt = String::new();
    for i in 0..12 {
        for j in 0..12 {
            if i != j {
                nt.push_str(&format!("_:b{i} <http://example.org/p> _:b{j} .\n"));
            }
        }
    }
    let store = oxigraph::store::Store::new().unwrap();
    store
        .load_from_slice(RdfFormat::NTriples, nt.as_bytes())
        .unwrap();
    let err = export::canonical_of(&normgraph::sophia::StoreDataset::new(&store)).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("the data cannot be canonicalized (RDFC-1.0): Too many permutations"),
        "{text}"
    );
    // A small symmetric structure within the limit is canonicalized, as before.
    let store = oxigraph::store::Store::new().unwrap();
    store
        .load_from_slice(
            RdfFormat::NTriples,
            "_:a <http://example.org/p> _:b .\n_:b <http://example.org/p> _:a .\n".as_bytes(),
        )
        .unwrap();
    let c = export::canonical_of(&normgraph::sophia::StoreDataset::new(&store)).unwrap();
    assert_eq!(
        c.nquads,
        "_:c14n0 <http://example.org/p> _:c14n1 .\n_:c14n1 <http://example.org/p> _:c14n0 .\n"
    );
}
