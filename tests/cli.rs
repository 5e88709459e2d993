//! The `normgraph` binary driven end to end in temporary folders: load, reload, all-or-nothing
//! failure, queries in every format, --list, stats and error handling.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn ng(store: &Path) -> Command {
    let mut cmd = Command::cargo_bin("normgraph").unwrap();
    cmd.arg("--store").arg(store).env_remove("NORMGRAPH_HOME");
    cmd
}

/// Every quad of the store, sorted, as N-Quads-like text (through the query command).
fn dump(store: &Path) -> String {
    let out = ng(store)
        .args(["query", "-", "--format", "tsv"])
        .write_stdin("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://w3id.org/normgraph/graph/meta>) }")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let mut lines: Vec<&str> = text.lines().skip(1).collect();
    lines.sort();
    lines.join("\n")
}

#[test]
fn load_then_reload_only_changed_files() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    for f in ["actors.ttl", "norms.nt"] {
        std::fs::copy(fixtures().join("load").join(f), data.join(f)).unwrap();
    }
    ng(&store)
        .current_dir(tmp.path())
        .args(["load", "--force", "data"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2 file(s) loaded, 0 unchanged"))
        .stdout(predicate::str::contains(
            "<https://w3id.org/normgraph/graph/data/actors.ttl>",
        ));
    ng(&store)
        .current_dir(tmp.path())
        .args(["load", "--force", "data"])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 file(s) loaded, 2 unchanged"));
    // Change one file: only it is reloaded, and its old triples are gone.
    std::fs::write(
        data.join("norms.nt"),
        "<https://w3id.org/normgraph/id/norm/fixture-2> <http://www.w3.org/2000/01/rdf-schema#label> \"Second\"@en .\n",
    )
    .unwrap();
    ng(&store)
        .current_dir(tmp.path())
        .args(["load", "--force", "data"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 file(s) loaded, 1 unchanged"));
    let all = dump(&store);
    assert!(all.contains("fixture-2"));
    assert!(
        !all.contains("fixture-1"),
        "the old version of norms.nt must be replaced"
    );
    assert!(all.contains("Fixtureland"));
}

#[test]
fn failed_load_leaves_the_store_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    ng(&store)
        .args(["load", "--force", "--quiet"])
        .arg(fixtures().join("load"))
        .assert()
        .success();
    let before = dump(&store);
    assert!(before.contains("Fixtureland"));
    // A batch with a good file and a broken one: nothing of it may be stored.
    ng(&store)
        .arg("load")
        .arg(fixtures().join("broken"))
        .assert()
        .code(2)
        .stderr(predicate::str::is_match(r"zz-bad\.ttl:3:\d+: ").unwrap());
    let after = dump(&store);
    assert_eq!(before, after, "a failed load must not change the store");
    assert!(!after.contains("Would-be state"));
}

#[test]
fn parse_errors_name_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    ng(&tmp.path().join("store"))
        .arg("load")
        .arg(fixtures().join("broken/zz-bad.ttl"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("zz-bad.ttl:3:"))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn reading_commands_build_the_store_from_the_bundle_once() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    ng(&store)
        .arg("stats")
        .assert()
        .success()
        .stderr(predicate::str::contains("built the store"))
        .stdout(predicate::str::contains("  ontology/normgraph.ttl"))
        .stdout(predicate::str::contains("ng:State"));
    // Second run: up to date, nothing said.
    ng(&store)
        .arg("stats")
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

#[test]
fn who_backs_norm_answers_on_the_bundled_data() {
    let tmp = tempfile::tempdir().unwrap();
    let out = ng(&tmp.path().join("store"))
        .args([
            "query",
            "who-backs-norm",
            "--param",
            "norm=id:norm/gge2015-13f",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert!(
        !rows.is_empty(),
        "someone must back GGE 2015 norm 13(f):\n{text}"
    );
    assert!(text
        .lines()
        .next()
        .unwrap()
        .starts_with("actor,actorLabel,status"));
    assert!(
        rows.iter().all(|r| r.contains("http")),
        "every row names a source URL"
    );
}

#[test]
fn select_in_every_results_format() {
    let query = "PREFIX ng: <https://w3id.org/normgraph/ontology#> SELECT ?s WHERE { ?s a ng:State } ORDER BY ?s LIMIT 3";
    for (format, check) in [
        ("csv", "s\r\n"),
        ("tsv", "?s\n"),
        ("json", "\"bindings\""),
        ("xml", "<sparql"),
        ("table", "(3 rows)"),
    ] {
        let out = Command::cargo_bin("normgraph")
            .unwrap()
            .args(["--memory", "query", "-", "--format", format])
            .write_stdin(query)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(check), "{format}: {text}");
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["results"]["bindings"].as_array().unwrap().len(), 3);
        }
    }
}

#[test]
fn ask_construct_and_describe() {
    let mem = |q: &str, f: &str| {
        let out = Command::cargo_bin("normgraph")
            .unwrap()
            .args(["--memory", "query", "-", "--format", f])
            .write_stdin(q.to_owned())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    assert_eq!(
        mem(
            "ASK { ?s a <https://w3id.org/normgraph/ontology#State> }",
            "table"
        )
        .trim(),
        "true"
    );
    assert!(mem("ASK { ?s a <http://example.org/Nothing> }", "json").contains("false"));
    let construct = "PREFIX ng: <https://w3id.org/normgraph/ontology#> CONSTRUCT { ?s a ng:State } WHERE { ?s a ng:State } LIMIT 5";
    let nt = mem(construct, "nt");
    assert_eq!(nt.lines().filter(|l| l.ends_with(" .")).count(), 5, "{nt}");
    assert!(mem(construct, "ttl").contains("ng:State"));
    let jsonld: serde_json::Value = serde_json::from_str(&mem(construct, "jsonld")).unwrap();
    assert!(jsonld
        .to_string()
        .contains("https://w3id.org/normgraph/ontology#State"));
    assert!(mem(construct, "rdfxml").contains("rdf:RDF"));
    let describe = mem(
        "DESCRIBE <https://w3id.org/normgraph/ontology#State>",
        "ttl",
    );
    assert!(describe.contains("rdfs:label"), "{describe}");
}

#[test]
fn list_shows_queries_with_parameters() {
    Command::cargo_bin("normgraph")
        .unwrap()
        .args(["query", "--list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("who-backs-norm"))
        .stdout(predicate::str::contains("--param norm="));
}

#[test]
fn bad_input_is_a_clear_error_with_exit_code_2() {
    let run = |args: &[&str], stdin: &str| {
        Command::cargo_bin("normgraph")
            .unwrap()
            .arg("--memory")
            .args(args)
            .write_stdin(stdin.to_owned())
            .assert()
            .code(2)
            .stderr(predicate::str::contains("panicked").not())
    };
    run(&["query", "no-such-query"], "")
        .stderr(predicate::str::contains("unknown query \"no-such-query\""));
    run(
        &[
            "query",
            "who-backs-norm",
            "--param",
            "nrom=norm:gge2015-13f",
        ],
        "",
    )
    .stderr(predicate::str::contains("parameter \"nrom\""))
    .stderr(predicate::str::contains("it takes: norm"));
    run(&["query", "who-backs-norm", "--param", "norm=zz:x"], "")
        .stderr(predicate::str::contains("unknown prefix"));
    run(&["query", "who-backs-norm", "--param", "norm"], "")
        .stderr(predicate::str::contains("NAME=VALUE"));
    run(&["query", "-"], "SELECT ?s WHERE {\n  ?s ?p \n}")
        .stderr(predicate::str::contains("error at 3:2"));
    // Formats are a clap ValueEnum: refused before anything is opened, naming the values.
    run(&["query", "who-backs-norm", "--format", "pdf"], "")
        .stderr(predicate::str::contains(
            "invalid value 'pdf' for '--format <FORMAT>' [possible values: table, markdown,",
        ))
        .stderr(predicate::function(|s: &str| s.lines().count() == 1));
    run(&["query", "../no-such-folder/x.rq"], "").stderr(predicate::str::contains("cannot read"));
}

#[test]
fn parameter_values_cannot_change_the_query() {
    // Values holding SPARQL text are either rejected or bound as a single term, never spliced.
    for evil in [
        "\"x\" } ; DROP ALL ; { \"",
        "<http://a> } UNION { ?s ?p ?o }",
        "\"} # \"",
        "norm:x> } ?actor ?p ?o . { <y",
    ] {
        let assert = Command::cargo_bin("normgraph")
            .unwrap()
            .args([
                "--memory",
                "query",
                "who-backs-norm",
                "--format",
                "csv",
                "--param",
            ])
            .arg(format!("norm={evil}"))
            .assert();
        let out = assert.get_output();
        if out.status.success() {
            let text = String::from_utf8_lossy(&out.stdout);
            assert_eq!(
                text.lines().count(),
                1,
                "{evil:?} must match nothing: {text}"
            );
        } else {
            assert_eq!(out.status.code(), Some(2));
        }
    }
}

#[test]
fn a_store_in_use_is_reported_not_corrupted() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let kg =
        normgraph::KnowledgeGraph::open(&store, normgraph::Bundle::default_location()).unwrap();
    // A reading command reads it read-only; a writing one says who holds it.
    ng(&store)
        .arg("stats")
        .assert()
        .success()
        .stderr(predicate::str::contains("reading it read-only"));
    ng(&store)
        .arg("load")
        .arg(fixtures().join("load"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("in use by another"));
    drop(kg);
    ng(&store).arg("stats").assert().success();
}

#[test]
fn unwritable_store_path_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    ng(&file.join("store"))
        .arg("stats")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot open the store"));
}

#[test]
fn validate_exit_codes_and_formats() {
    let fixture = fixtures().join("invalid/ratified-before-signed.ttl");
    let bin = || Command::cargo_bin("normgraph").unwrap();
    bin()
        .arg("validate")
        .arg(&fixture)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "ratification dated before signature",
        ));
    bin()
        .args(["validate", "--format", "ttl"])
        .arg(&fixture)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("sh:ValidationReport"));
    let json = bin()
        .args(["validate", "--format", "json"])
        .arg(&fixture)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["conforms"], false);
    assert_eq!(v["findings"][0]["focus"], "end:r");
    bin()
        .args(["validate", "--min-severity", "loud"])
        .arg(&fixture)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value 'loud' for '--min-severity <S>' [possible values: info, warning, violation]",
        ));
    // The bundled data conform (warnings allowed).
    bin()
        .args(["--memory", "validate", "--min-severity", "violation"])
        .assert()
        .success()
        .stdout(predicate::str::contains("conforms: 0 violation(s)"));
}

/// A reader that goes away (`normgraph ... | head`) is not a failure: the writer's broken pipe
/// is found by its type in the error's sources (an `std::io::Error` of kind `BrokenPipe`, kept
/// through the serializers and serde_json), and the command exits 0 without a word.
#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let home = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases: [(&[&str], Option<&str>); 3] = [
        (&["export", "--format", "jsonld"], None),
        (&["export", "--format", "nq"], None),
        (
            &["query", "-", "--format", "csv"],
            Some("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"),
        ),
    ];
    for (args, stdin) in cases {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_normgraph"))
            .arg("--home")
            .arg(home)
            .arg("--memory")
            .args(args)
            .env_remove("NORMGRAPH_HOME")
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(text) = stdin {
            use std::io::Write;
            let mut input = child.stdin.take().unwrap();
            input.write_all(text.as_bytes()).unwrap();
        }
        let mut out = child.stdout.take().unwrap();
        let mut first = [0u8; 100];
        out.read_exact(&mut first).unwrap();
        drop(out);
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        // The whole output is megabytes: the pipe's buffer cannot have taken it.
        assert!(status.success(), "{args:?}: {status}; stderr: {err}");
        assert_eq!(err, "", "{args:?}");
    }
}
