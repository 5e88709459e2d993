//! Validation: each invalid fixture produces exactly the findings it declares (`# expect:` lines:
//! `severity focus | rule`), valid fixtures and the bundled data produce no violation.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use normgraph::validate::{self, Outcome, Severity};
use normgraph::{Bundle, KnowledgeGraph};

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ttl"))
        .collect();
    files.sort();
    files
}

fn found(outcome: &Outcome) -> BTreeSet<String> {
    outcome
        .findings
        .iter()
        .map(|f| format!("{} {} | {}", f.severity, f.focus, f.rule))
        .collect()
}

fn expected(file: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|l| l.trim().to_owned())
        .collect()
}

#[test]
fn each_invalid_fixture_produces_exactly_its_findings() {
    let bundle = Bundle::default_location();
    let mut failures = Vec::new();
    let files = fixtures("invalid");
    assert!(files.len() >= 15, "one fixture per rule");
    for file in &files {
        let outcome = validate::validate_files(&bundle, std::slice::from_ref(file), None).unwrap();
        let want = expected(file);
        assert!(
            !want.is_empty(),
            "{} declares no `# expect:` line",
            file.display()
        );
        let got = found(&outcome);
        if got != want {
            failures.push(format!(
                "{}:\n  missing: {:?}\n  unexpected: {:?}",
                file.file_name().unwrap().to_string_lossy(),
                want.difference(&got).collect::<Vec<_>>(),
                got.difference(&want).collect::<Vec<_>>()
            ));
        }
        // Violations fail the validation; warnings and infos alone do not.
        let has_violation = want.iter().any(|w| w.starts_with("violation"));
        assert_eq!(outcome.passes(), !has_violation, "{}", file.display());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn valid_fixtures_produce_no_finding() {
    let bundle = Bundle::default_location();
    for file in fixtures("valid") {
        let outcome = validate::validate_files(&bundle, std::slice::from_ref(&file), None).unwrap();
        assert!(
            outcome.findings.is_empty(),
            "{}:\n{outcome}",
            file.display()
        );
    }
}

#[test]
fn the_bundled_data_has_no_violation() {
    let kg = KnowledgeGraph::in_memory(Bundle::default_location()).unwrap();
    kg.sync_bundle().unwrap();
    let outcome = validate::validate_graph(&kg, None).unwrap();
    let counts = outcome.counts();
    println!(
        "bundled data: {} violations, {} warnings, {} infos in {:.2?}",
        counts.get(&Severity::Violation).unwrap_or(&0),
        counts.get(&Severity::Warning).unwrap_or(&0),
        counts.get(&Severity::Info).unwrap_or(&0),
        outcome.elapsed
    );
    let violations = outcome.at_least(Severity::Violation);
    assert!(violations.passes(), "{violations}");
}

#[test]
fn text_report_names_rule_label_and_file() {
    let bundle = Bundle::default_location();
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/invalid/ratified-before-signed.ttl");
    let outcome = validate::validate_files(&bundle, &[file], None).unwrap();
    let text = outcome.to_string();
    assert!(
        text.contains("violation — ratification dated before signature (1 finding)"),
        "{text}"
    );
    assert!(text.contains("end:r"), "{text}");
    assert!(text.contains("ratified-before-signed.ttl"), "{text}");
    assert!(text.contains("does not conform: 1 violation(s)"), "{text}");
    let mut ttl = Vec::new();
    outcome
        .write_rdf(oxigraph::io::RdfFormat::Turtle, &mut ttl)
        .unwrap();
    let ttl = String::from_utf8(ttl).unwrap();
    assert!(
        ttl.contains("sh:ValidationReport") && ttl.contains("sh:conforms false"),
        "{ttl}"
    );
}
