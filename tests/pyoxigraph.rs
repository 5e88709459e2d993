//! Notebook users can open normgraph's on-disk store directly with pyoxigraph of the same major
//! version (read-only), and get the same answers as the CLI.

mod common;

use std::process::Command;

#[test]
fn pyoxigraph_reads_the_store_and_agrees_with_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let ng = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_normgraph"))
            .arg("--store")
            .arg(&store)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let query = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a <https://w3id.org/normgraph/ontology#backs> <https://w3id.org/normgraph/id/norm/gge2015-13f> }";
    ng(&["stats"]); // builds the store from the bundle
    let out = Command::new(env!("CARGO_BIN_EXE_normgraph"))
        .arg("--store")
        .arg(&store)
        .args(["query", "-", "--format", "csv"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            std::io::Write::write_all(c.stdin.as_mut().unwrap(), query.as_bytes())?;
            drop(c.stdin.take());
            c.wait_with_output()
        })
        .unwrap();
    let ours: u64 = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(ours > 0);
    let script = format!(
        "import pyoxigraph as ox\ns = ox.Store.read_only({path:?})\nr = list(s.query({query:?}, use_default_graph_as_union=True))\nprint(r[0]['n'].value)\n",
        path = store.to_string_lossy(),
        query = query
    );
    let py = Command::new(common::python())
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let theirs: u64 = String::from_utf8(py.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(
        ours, theirs,
        "pyoxigraph and normgraph count the same backers"
    );
}
