//! Contributing data safely (issue "Hardening", item 8): `validate FILE` checks a file in the
//! context of the store, `load` refuses a file that brings a violation unless `--force`, `unload`
//! takes a file out again, and reading commands work while `serve` holds the store.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};

use assert_cmd::Command;
use predicates::prelude::*;

const PREFIXES: &str = r#"@prefix ng: <https://w3id.org/normgraph/ontology#> .
@prefix end: <https://w3id.org/normgraph/id/endorsement/> .
@prefix state: <https://w3id.org/normgraph/id/state/> .
@prefix instr: <https://w3id.org/normgraph/id/instrument/> .
@prefix status: <https://w3id.org/normgraph/id/status/> .
@prefix src: <https://w3id.org/normgraph/id/source/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"#;

/// A new act of a state that the file itself does not describe (state:ALB is in the bundled
/// data): correct in the store, a dangling reference on its own. `date` is its ng:date.
fn contribution(date: &str) -> String {
    format!(
        r#"{PREFIXES}
end:christchurch-call--ALB--supported a ng:Endorsement ; ng:actor state:ALB ;
  ng:target instr:christchurch-call ; ng:status status:supported ;
  ng:date "{date}"^^xsd:date ; prov:hadPrimarySource src:test-contribution .
src:test-contribution a ng:Source ; dcterms:title "A test contribution (not a real fact)" ;
  foaf:page <https://example.org/test-contribution> .
"#
    )
}

fn ng(store: &Path) -> Command {
    let mut cmd = Command::cargo_bin("normgraph").unwrap();
    cmd.arg("--store").arg(store).env_remove("NORMGRAPH_HOME");
    cmd
}

/// The canonical SHA-256 of the store's data (RDFC-1.0, printed by `export --canonical`).
fn hash(store: &Path, dir: &Path) -> String {
    let out = ng(store)
        .args(["export", "--canonical", "-o"])
        .arg(dir.join("dump.nq"))
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let text = String::from_utf8(out).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("sha256:"))
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no hash in {text}"))
}

fn backers_of_christchurch_algorithms(store: &Path) -> String {
    let out = ng(store)
        .args([
            "query",
            "who-backs-norm",
            "--param",
            "norm=norm:christchurch-algorithms",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn setup() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    ng(&store).args(["load", "--quiet"]).assert().success();
    (tmp, store)
}

#[test]
fn validate_checks_a_file_in_the_context_of_the_store() {
    let (tmp, store) = setup();
    let good = tmp.path().join("good.ttl");
    std::fs::write(&good, contribution("2020-01-15")).unwrap();
    // In the store, state:ALB and instr:christchurch-call are described: nothing to report.
    ng(&store)
        .current_dir(tmp.path())
        .args(["validate", "good.ttl"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("conforms: 0 violation(s)"))
        .stderr(predicate::str::contains(
            "validated in the context of the store",
        ));
    // On its own the same file refers to actors and instruments it does not describe: the
    // false violations the issue reported, kept behind --alone.
    ng(&store)
        .current_dir(tmp.path())
        .args(["validate", "--alone", "good.ttl"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("does not conform"));
    // A wrong date is a finding of the file, named with it.
    let bad = tmp.path().join("bad.ttl");
    std::fs::write(&bad, contribution("2099-01-15")).unwrap();
    ng(&store)
        .current_dir(tmp.path())
        .args(["validate", "bad.ttl", "--format", "json"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("\"passes\": false")
                .and(predicate::str::contains("Dated in the future"))
                .and(predicate::str::contains("bad.ttl")),
        );
}

#[test]
fn load_refuses_a_violation_unless_forced_and_unload_restores_the_store() {
    let (tmp, store) = setup();
    let before = hash(&store, tmp.path());
    assert!(!backers_of_christchurch_algorithms(&store).contains("state/ALB"));
    let bad = tmp.path().join("bad.ttl");
    std::fs::write(&bad, contribution("2099-01-15")).unwrap();
    ng(&store)
        .current_dir(tmp.path())
        .args(["load", "bad.ttl"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("bad.ttl: load refused: 1 violation(s)")
                .and(predicate::str::contains("Dated in the future"))
                .and(predicate::str::contains("--force")),
        );
    assert_eq!(
        hash(&store, tmp.path()),
        before,
        "a refused load wrote nothing"
    );
    assert!(!backers_of_christchurch_algorithms(&store).contains("state/ALB"));

    // --force loads it: the act (wrong as it is) backs the norm; unload takes it out again.
    ng(&store)
        .current_dir(tmp.path())
        .args(["load", "--force", "--quiet", "bad.ttl"])
        .assert()
        .success();
    assert!(backers_of_christchurch_algorithms(&store).contains("state/ALB"));
    assert_ne!(hash(&store, tmp.path()), before);
    ng(&store)
        .current_dir(tmp.path())
        .args(["unload", "bad.ttl"])
        .assert()
        .success()
        .stdout(predicate::str::contains("removed graph"));
    assert_eq!(
        hash(&store, tmp.path()),
        before,
        "unload restores the store"
    );
    assert!(!backers_of_christchurch_algorithms(&store).contains("state/ALB"));

    // A correct file loads without --force.
    let good = tmp.path().join("good.ttl");
    std::fs::write(&good, contribution("2020-01-15")).unwrap();
    ng(&store)
        .current_dir(tmp.path())
        .args(["load", "--quiet", "good.ttl"])
        .assert()
        .success();
    assert!(backers_of_christchurch_algorithms(&store).contains("state/ALB"));

    // What cannot be unloaded, with the reason; nothing changes.
    let now = hash(&store, tmp.path());
    ng(&store)
        .args(["unload", "<https://example.org/never-loaded>"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is not the graph of a loaded file",
        ));
    ng(&store)
        .args([
            "unload",
            "<https://w3id.org/normgraph/graph/data/norms/gge.ttl>",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bundled data"));
    assert_eq!(hash(&store, tmp.path()), now);
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn reading_commands_work_while_serve_holds_the_store() {
    let (tmp, store) = setup();
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("normgraph"))
        .arg("--store")
        .arg(&store)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env_remove("NORMGRAPH_HOME")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stderr).lines();
    loop {
        let line = lines.next().expect("serve says it is serving").unwrap();
        if line.contains("serving the store") {
            break;
        }
    }
    // A reading command opens the store read-only and says so.
    let out = ng(&store)
        .args([
            "query",
            "who-backs-norm",
            "--param",
            "norm=norm:gge2015-13f",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("reading it read-only"))
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().lines().count() > 100);
    ng(&store)
        .arg("validate")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("reading it read-only"));
    // A writing command says why it cannot.
    let file = tmp.path().join("good.ttl");
    std::fs::write(&file, contribution("2020-01-15")).unwrap();
    ng(&store)
        .arg("load")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "in use by another normgraph process",
        ));
    drop(server);
}
