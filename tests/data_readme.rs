//! data/README.md's coverage table is generated, not typed: it must equal the coverage query's
//! Markdown output over the bundled data.

use normgraph::query::{self, Format};
use normgraph::{Bundle, KnowledgeGraph};

#[test]
fn the_coverage_table_matches_the_data() {
    let bundle = Bundle::default_location();
    let kg = KnowledgeGraph::in_memory(bundle.clone()).unwrap();
    kg.sync_bundle().unwrap();
    let q = query::resolve(&bundle.queries_dir(), "coverage").unwrap();
    let answer = query::run(&kg, &q, &[]).unwrap();
    let mut table = Vec::new();
    query::render(&kg, &answer, Format::Markdown, &mut table).unwrap();
    let table = String::from_utf8(table).unwrap();
    let readme = std::fs::read_to_string(bundle.root().join("data/README.md")).unwrap();
    let start = readme
        .find("<!-- coverage:start -->\n")
        .expect("start marker")
        + "<!-- coverage:start -->\n".len();
    let end = readme.find("<!-- coverage:end -->").expect("end marker");
    assert_eq!(
        readme[start..end].trim(),
        table.trim(),
        "data/README.md is stale: regenerate it with `normgraph --memory query coverage --format markdown`"
    );
}

/// Freshness: every file of the data is described in data/datasets.ttl (what it covers, as of
/// when), and no file is "as of" a day before a source it cites was read.
#[test]
fn every_data_file_says_what_it_covers_and_as_of_when() {
    let bundle = Bundle::default_location();
    let kg = KnowledgeGraph::in_memory(bundle.clone()).unwrap();
    kg.sync_bundle().unwrap();
    let q = query::resolve(&bundle.queries_dir(), "datasets").unwrap();
    let query::Answer::Solutions { rows, .. } = query::run(&kg, &q, &[]).unwrap() else {
        panic!("datasets is a SELECT query");
    };
    let described: std::collections::BTreeMap<String, Option<String>> = rows
        .iter()
        .map(|r| {
            let lexical = |t: &Option<oxigraph::model::Term>| match t {
                Some(oxigraph::model::Term::Literal(l)) => Some(l.value().to_owned()),
                _ => None,
            };
            (lexical(&r[0]).unwrap(), lexical(&r[2]))
        })
        .collect();
    assert_eq!(described.len(), rows.len(), "one description per file");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(bundle.root().join("data")).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "ttl") {
                let rel = f.strip_prefix(bundle.root()).unwrap();
                files.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    let keys: Vec<String> = described.keys().cloned().collect();
    assert_eq!(
        keys, files,
        "data/datasets.ttl describes exactly the data files"
    );
    // A file with triples has a date; none is dated before a source it cites was read.
    let stale = query::NamedQuery::from_text(
        "stale".into(),
        "stale".into(),
        "PREFIX ng: <https://w3id.org/normgraph/ontology#>
         PREFIX prov: <http://www.w3.org/ns/prov#>
         SELECT DISTINCT ?d ?asOf ?read WHERE {
           ?d ng:asOf ?asOf .
           GRAPH ?d { ?x prov:hadPrimarySource ?src }
           ?src ng:accessed ?read .
           FILTER(?read > ?asOf)
         }"
        .into(),
    );
    let query::Answer::Solutions { rows, .. } = query::run(&kg, &stale, &[]).unwrap() else {
        panic!();
    };
    assert!(
        rows.is_empty(),
        "files dated before their sources: {rows:?}"
    );
    let undated: Vec<&String> = described
        .iter()
        .filter(|(_, d)| d.is_none())
        .map(|(f, _)| f)
        .collect();
    for f in &undated {
        let text = std::fs::read_to_string(bundle.root().join(f)).unwrap();
        assert!(
            text.lines()
                .all(|l| l.trim().is_empty() || l.starts_with('#') || l.starts_with("@prefix")),
            "{f} holds triples but has no ng:asOf"
        );
    }
}
