//! Data-driven tests of the named queries: each `queries/<name>.rq`, bound with its `# Example:`
//! values, over `tests/fixtures/dataset.trig` (a verbatim subset of the bundled data) must give
//! `tests/expected/<name>.srj` — in order when the query says ORDER BY, as a multiset otherwise.
//! No expected file, no pass. `NORMGRAPH_BLESS=1 cargo test --release --test queries` writes the
//! missing files, which must then be checked by hand before they are committed.

use std::path::{Path, PathBuf};

use normgraph::query::{self, Answer};
use normgraph::store::SourceFile;
use normgraph::{Bundle, KnowledgeGraph};
use oxigraph::model::{Term, Variable};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture_graph() -> KnowledgeGraph {
    let kg = KnowledgeGraph::in_memory(Bundle::default_location()).unwrap();
    let mut files = Bundle::default_location().ontology_files().unwrap();
    files.push(SourceFile::relative_to(
        &root().join("tests/fixtures/dataset.trig"),
        root(),
    ));
    kg.load(&files).unwrap();
    kg
}

type Rows = Vec<Vec<Option<Term>>>;

fn read_srj(path: &Path) -> (Vec<Variable>, Rows) {
    let bytes = std::fs::read(path).unwrap();
    match QueryResultsParser::from_format(QueryResultsFormat::Json)
        .for_reader(bytes.as_slice())
        .unwrap()
    {
        ReaderQueryResultsParserOutput::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            let rows = solutions
                .map(|s| {
                    let s = s.unwrap();
                    variables.iter().map(|v| s.get(v).cloned()).collect()
                })
                .collect();
            (variables, rows)
        }
        ReaderQueryResultsParserOutput::Boolean(_) => {
            panic!("{}: expected solutions", path.display())
        }
    }
}

/// A row as text; lists of addresses (`GROUP_CONCAT` of IRIs or URLs, whose order SPARQL leaves
/// unspecified) are sorted.
fn key(rows: &Rows) -> Vec<String> {
    fn norm(t: &Term) -> String {
        if let Term::Literal(l) = t {
            let tokens: Vec<&str> = l.value().split(' ').collect();
            if tokens.len() > 1
                && tokens
                    .iter()
                    .all(|x| x.contains("://") || x.starts_with("urn:"))
            {
                let mut sorted = tokens.clone();
                sorted.sort_unstable();
                return Term::from(oxigraph::model::Literal::new_simple_literal(
                    sorted.join(" "),
                ))
                .to_string();
            }
        }
        t.to_string()
    }
    rows.iter()
        .map(|r| {
            r.iter()
                .map(|t| t.as_ref().map(norm).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect()
}

#[test]
fn every_named_query_gives_its_expected_results() {
    let kg = fixture_graph();
    let library = query::library(&root().join("queries")).unwrap();
    assert!(
        library.len() >= 15,
        "at least 15 named queries, found {}",
        library.len()
    );
    let bless = std::env::var_os("NORMGRAPH_BLESS").is_some();
    let mut failures = Vec::new();
    for q in &library {
        assert!(!q.description.is_empty(), "{}: no description line", q.name);
        assert!(!q.returns.is_empty(), "{}: no `# Returns:` line", q.name);
        for p in &q.params {
            assert!(
                q.examples.iter().any(|(n, _)| n == &p.name),
                "{}: no example for ?{}",
                q.name,
                p.name
            );
        }
        let answer = query::run(&kg, q, &q.examples).unwrap_or_else(|e| panic!("{}: {e}", q.name));
        let Answer::Solutions { variables, rows } = answer else {
            panic!("{}: not a SELECT", q.name)
        };
        let expected_path: PathBuf = root()
            .join("tests/expected")
            .join(format!("{}.srj", q.name));
        if !expected_path.exists() {
            if bless {
                let mut srj = Vec::new();
                let answer = Answer::Solutions {
                    variables: variables.clone(),
                    rows: rows.clone(),
                };
                query::render(&kg, &answer, query::Format::Json, &mut srj).unwrap();
                std::fs::write(&expected_path, srj).unwrap();
            }
            failures.push(format!(
                "{}: no expected file {}",
                q.name,
                expected_path.display()
            ));
            continue;
        }
        let (want_vars, want_rows) = read_srj(&expected_path);
        if want_vars != variables {
            failures.push(format!(
                "{}: variables {:?} != expected {:?}",
                q.name, variables, want_vars
            ));
            continue;
        }
        let ordered = q.text.to_ascii_uppercase().contains("ORDER BY");
        let (mut got, mut want) = (key(&rows), key(&want_rows));
        if !ordered {
            got.sort();
            want.sort();
        }
        if got != want {
            failures.push(format!(
                "{}: results differ\n  got: {got:#?}\n  expected: {want:#?}",
                q.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
