//! `normgraph serve` with the clients its users have: Python (SPARQLWrapper, rdflib, pandas, a
//! notebook run headless by nbclient; tests/clients/run.sh) and a real browser (Debian's Chromium
//! driven through playwright-core; tests/browser/query_page.cjs, installed by .ci/setup-browser.sh).
//! Each test prints SKIP with the reason when its tools are absent.

use std::path::{Path, PathBuf};
use std::process::Command;

use normgraph::serve::{self, Config};
use normgraph::{Bundle, KnowledgeGraph};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary under test: cargo's, unless `NORMGRAPH_BIN` names a copy (see tests/serve.rs).
fn binary() -> PathBuf {
    std::env::var_os("NORMGRAPH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_normgraph")))
}

/// `{target dir}/serve-artifacts`: screenshots and the executed notebook.
fn artifacts() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_normgraph"))
        .parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| Path::new("target"))
        .join("serve-artifacts")
}

fn found(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn python_clients_and_notebook() {
    let status = Command::new("bash")
        .arg(root().join("tests/clients/run.sh"))
        .arg(binary())
        .arg(artifacts())
        .status()
        .unwrap();
    assert!(status.success(), "tests/clients/run.sh failed: {status}");
}

#[test]
fn browser_runs_a_named_query_and_opens_a_norm_page() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let modules = std::env::var_os("NORMGRAPH_BROWSER_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/normgraph-browser"))
        })
        .unwrap_or_default()
        .join("node_modules");
    let missing: Vec<&str> = [
        (!Path::new(&chromium).exists()).then_some("chromium"),
        (!found("node", "--version")).then_some("node"),
        (!modules.join("playwright-core").exists()).then_some("playwright-core"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !missing.is_empty() {
        // A missing browser fails the test (CI installs it); a developer may skip it knowingly.
        let why = format!("{} missing (run .ci/setup-browser.sh)", missing.join(", "));
        assert!(
            std::env::var_os("NORMGRAPH_ALLOW_SKIP").is_some(),
            "browser test: {why}; set NORMGRAPH_ALLOW_SKIP=1 to skip it"
        );
        println!("SKIP browser test: {why}");
        return;
    }
    let kg = KnowledgeGraph::in_memory(Bundle::new(root())).unwrap();
    kg.sync_bundle().unwrap();
    let server = serve::spawn(
        std::sync::Arc::new(kg),
        Config {
            bind: "127.0.0.1:0".parse().unwrap(),
            ..Config::default()
        },
    )
    .unwrap();
    let out = Command::new("node")
        .arg(root().join("tests/browser/query_page.cjs"))
        .arg(server.base())
        .arg(artifacts())
        .env("NORMGRAPH_NODE_MODULES", &modules)
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser test failed:\n{stdout}\n{stderr}"
    );
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert!(summary["rows"].as_u64().unwrap() > 10);
    assert!(artifacts().join("query-page.png").exists());
    assert!(artifacts().join("norm-page.png").exists());
}
