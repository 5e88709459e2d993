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
