//! Find, see, compare, cite (issue "front end"): search, the norm page's map and timeline, the
//! comparison, the legend and the release stamp, through the CLI and a real HTTP server, on the
//! bundled data. Expectations are checked by hand against the documents:
//! - A/70/174 (GGE report, 22 July 2015) was adopted by the 20 experts of the 2014-15 GGE (annex
//!   of A/70/174); A/RES/70/237 (23 December 2015, https://undocs.org/A/RES/70/237) was adopted
//!   without a vote when the General Assembly had 193 members (South Sudan, the last, joined on
//!   14 July 2011), so the 2015 norms (13(a)-(k)) are backed by 20 states from 2015-07-22 and by
//!   all 193 from 2015-12-23.
//! - Paragraph 13(i) of A/70/174 is the supply-chain norm ("States should take reasonable steps to
//!   ensure the integrity of the supply chain").

use std::sync::Arc;

use assert_cmd::Command;
use normgraph::serve::{self, Config};
use normgraph::{Bundle, KnowledgeGraph};

fn ng() -> Command {
    let mut cmd = Command::cargo_bin("normgraph").unwrap();
    cmd.arg("--memory").env_remove("NORMGRAPH_HOME");
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn search_finds_norms_by_words_documents_by_symbol_and_states_by_code() {
    let csv = stdout(ng().args(["search", "supply", "chain", "--format", "csv"]));
    let first = csv.lines().nth(1).unwrap();
    assert!(
        first.starts_with("https://w3id.org/normgraph/id/norm/gge2015-13i,norm,"),
        "{csv}"
    );
    let csv = stdout(ng().args(["search", "A/70/174", "--format", "csv", "-n", "1"]));
    assert!(csv.contains("/instrument/a-70-174,instrument,"), "{csv}");
    // Part of a symbol: the resolution's number.
    let csv = stdout(ng().args(["search", "73/27", "--format", "csv", "-n", "1"]));
    assert!(csv.contains("/instrument/a-res-73-27,instrument,"), "{csv}");
    let csv = stdout(ng().args([
        "search", "CHN", "--kind", "actor", "--format", "csv", "-n", "1",
    ]));
    assert!(csv.contains("/state/CHN,actor,China,"), "{csv}");
    // The terminal table shortens a long label, never the prefixed name after it (the Charter
    // of Trust principle's label is 118 characters).
    let table = stdout(ng().args(["search", "supply", "chain", "--format", "table"]));
    let line = table
        .lines()
        .find(|l| l.contains("charter-of-trust-2"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        line.contains("… (norm:charter-of-trust-2) |"),
        "the label is shortened, the prefixed name whole: {line}"
    );
    // Nothing found is not an error, and says so.
    ng().args(["search", "zzzqqq"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "no norm, actor or instrument matches",
        ));
    ng().args(["search", "x", "--kind", "planet"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown kind"));
}

#[test]
fn timeline_and_compare_on_the_cli() {
    let text = stdout(ng().args(["timeline", "norm:gge2015-13f", "--format", "csv"]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "date,added,total,via");
    assert_eq!(lines[1], "2015-07-22,20,20,\"A/70/174 (20)\"");
    assert_eq!(lines[2], "2015-12-23,173,193,\"A/RES/70/237 (173)\"");
    // China, the US and Russia: each joined the consensus on A/RES/70/237 on 2015-12-23 and backs
    // 13(f) since its expert's report of 2015-07-22.
    let text = stdout(ng().args(["compare", "state:CHN", "state:USA", "state:RUS"]));
    let block: Vec<&str> = text
        .split("\n\n")
        .find(|b| b.starts_with("norm:gge2015-13f "))
        .unwrap()
        .lines()
        .collect();
    assert_eq!(block.len(), 4, "{block:?}");
    for line in &block[1..] {
        assert!(
            line.contains("+ joined consensus 2015-12-23 (since 2015-07-22) (intergovernmental text, via instr:a-res-70-237)"),
            "{line}"
        );
    }
    let csv = stdout(ng().args(["compare", "state:CHN", "state:USA", "--format", "csv"]));
    assert!(csv.starts_with(
        "norm,normLabel,actor,actorLabel,stance,status,obligation,date,since,via,evidence\r\n"
    ));
    assert!(csv.contains("https://w3id.org/normgraph/id/norm/gge2015-13f,No damage to critical infrastructure,https://w3id.org/normgraph/id/state/USA,United States,backs,joined consensus,intergovernmental text,2015-12-23,2015-07-22,https://w3id.org/normgraph/id/instrument/a-res-70-237,"), "{csv}");
    ng().args(["compare", "state:XXX"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("appears in no triple"));
}

fn server() -> serve::Handle {
    let kg = KnowledgeGraph::in_memory(Bundle::default_location()).unwrap();
    kg.sync_bundle().unwrap();
    serve::spawn(
        Arc::new(kg),
        Config {
            bind: "127.0.0.1:0".parse().unwrap(),
            ..Config::default()
        },
    )
    .unwrap()
}

#[test]
fn pages_search_compare_legend_map_and_release_over_http() {
    let handle = server();
    let base = handle.base().trim_end_matches('/').to_owned();
    let http = reqwest::blocking::Client::new();
    // Search as JSON, with the data release.
    let json: serde_json::Value = http
        .get(format!("{base}/search?q=supply%20chain&format=json"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(json["hits"][0]["prefixed"], "norm:gge2015-13i");
    let sha = json["release"]["sha256"].as_str().unwrap().to_owned();
    assert_eq!(sha.len(), 64);
    // The same release is what `export --canonical` prints for the bundled data.
    let out = ng()
        .args(["export", "--canonical", "-o", "/dev/null"])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains(&format!("sha256:{sha}")));
    // Every answer names it, SPARQL results included; the query page ends with "cite this".
    let ask = http
        .get(format!("{base}/sparql?query=ASK%7B%7D"))
        .header("Accept", "application/sparql-results+json")
        .send()
        .unwrap();
    assert_eq!(
        ask.headers()["normgraph-release"],
        format!("0.1.0; data=sha256:{sha}").as_str()
    );
    let index = http.get(format!("{base}/")).send().unwrap().text().unwrap();
    assert!(index.contains(&format!("<code>sha256:{sha}</code>")));
    assert!(index.trim_end().ends_with("</html>"));
    // The search page, and bad parameters.
    let page = http
        .get(format!("{base}/search?q=supply+chain"))
        .send()
        .unwrap();
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert!(page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src 'sha256-"));
    let page = page.text().unwrap();
    assert!(page.contains("Ensure supply chain integrity"));
    assert!(page.contains(&format!("data release <code>sha256:{sha}</code>")));
    let bad = http
        .get(format!("{base}/search?q=x&kind=planet"))
        .send()
        .unwrap();
    assert_eq!(bad.status(), 400);
    // Compare: page and CSV, with the release in a header.
    let page = http
        .get(format!(
            "{base}/compare?actors=state:CHN,state:USA,state:RUS"
        ))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(page.contains("+ joined consensus 2015-12-23 (since 2015-07-22)"));
    let csv = http
        .get(format!(
            "{base}/compare?actors=state:CHN,state:USA&format=csv"
        ))
        .send()
        .unwrap();
    assert_eq!(
        csv.headers()["normgraph-release"],
        format!("0.1.0; data=sha256:{sha}").as_str()
    );
    assert!(csv.text().unwrap().starts_with("norm,normLabel,actor,"));
    for bad in [
        "actors=state:XXX",
        "actors=%22lit%22",
        "actors=state:CHN&format=pdf",
    ] {
        let r = http.get(format!("{base}/compare?{bad}")).send().unwrap();
        assert_eq!(r.status(), 400, "{bad}");
    }
    // The legend explains every status and level.
    let legend = http
        .get(format!("{base}/legend"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    for term in [
        "joined consensus",
        "bound by treaty",
        "dissociated",
        "voted against",
    ] {
        assert!(legend.contains(term), "{term}");
    }
    // The norm page: a map with every state of 13(f)'s backers coloured, in words too, and the
    // timeline.
    let page = http
        .get(format!("{base}/id/norm/gge2015-13f"))
        .header("Accept", "text/html")
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(page.contains("<svg class=\"map\""));
    assert!(page.contains("backs: intergovernmental text (vote, consensus, sponsorship) (193)"));
    assert!(page.contains("China: joined consensus, "));
    assert!(page.contains("<td>2015-12-23</td><td>+173</td><td>193</td>"));
    assert!(page.contains("The map in words"));
    handle.stop().unwrap();
}

/// Pages run their queries under the request's cancellation token: a page cut at the time limit
/// stops its work and frees its query slot for the next request.
#[test]
fn page_work_stops_when_its_request_is_cancelled() {
    let kg = KnowledgeGraph::in_memory(Bundle::default_location()).unwrap();
    kg.sync_bundle().unwrap();
    let q = normgraph::query::resolve(&Bundle::default_location().queries_dir(), "who-backs-norm")
        .unwrap();
    let bind = [("norm".to_owned(), "norm:gge2015-13f".to_owned())];
    let token = oxigraph::sparql::CancellationToken::new();
    token.cancel();
    let e = normgraph::query::cancellable(&token, || normgraph::query::run(&kg, &q, &bind))
        .unwrap_err()
        .to_string();
    assert!(e.contains("cancel"), "{e}");
    // Outside the scope, the same query runs.
    assert_eq!(normgraph::query::run(&kg, &q, &bind).unwrap().len(), 193);
    // Over HTTP: one query slot, a 100 ms limit; the norm page (some 130 ms of queries when warm)
    // gets 503 and stops after the query it is in: 700 ms later the slot is free and a small query
    // is answered. (When the page went on, the slot stayed taken for seconds: 7.4 s measured.)
    let handle = serve::spawn(
        Arc::new(kg),
        Config {
            bind: "127.0.0.1:0".parse().unwrap(),
            timeout: std::time::Duration::from_millis(100),
            max_concurrent: 1,
            ..Config::default()
        },
    )
    .unwrap();
    let base = handle.base().trim_end_matches('/').to_owned();
    let http = reqwest::blocking::Client::new();
    let mut answered = 0;
    for _ in 0..3 {
        let page = http
            .get(format!("{base}/id/norm/gge2015-13f"))
            .header("Accept", "text/html")
            .send()
            .unwrap();
        assert_eq!(page.status(), 503);
        std::thread::sleep(std::time::Duration::from_millis(700));
        let ask = http
            .get(format!("{base}/sparql?query=ASK%7B%7D"))
            .header("Accept", "application/sparql-results+json")
            .send()
            .unwrap();
        if ask.status() == 200 {
            answered += 1;
        }
    }
    assert_eq!(answered, 3, "small queries answered after a cut page");
    handle.stop().unwrap();
}
