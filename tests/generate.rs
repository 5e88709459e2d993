//! Synthetic graphs (issue #8): the generator is deterministic, its clean graphs pass the shapes,
//! and the validator finds every injected defect and nothing else (recall and precision).

use std::collections::BTreeSet;

use normgraph::generate::{generate, Options};
use normgraph::validate;
use normgraph::Bundle;

fn bytes(options: &Options) -> (Vec<u8>, normgraph::generate::Generated) {
    let mut out = Vec::new();
    let report = generate(options, &mut out).unwrap();
    (out, report)
}

fn options(triples: u64, seed: u64, defect_rate: f64, quads: bool) -> Options {
    Options {
        triples,
        seed,
        defect_rate,
        quads,
    }
}

#[test]
fn same_seed_same_bytes() {
    let (a, ra) = bytes(&options(5_000, 7, 0.01, false));
    let (b, _) = bytes(&options(5_000, 7, 0.01, false));
    assert_eq!(a, b);
    assert_eq!(
        ra.triples as usize,
        a.iter().filter(|&&c| c == b'\n').count()
    );
    let (c, _) = bytes(&options(5_000, 8, 0.01, false));
    assert_ne!(a, c, "another seed gives another graph");
    let (q, _) = bytes(&options(5_000, 7, 0.01, true));
    assert_eq!(
        q.iter().filter(|&&c| c == b'\n').count(),
        ra.triples as usize
    );
}

/// The bytes of a fixed generation, pinned: a change to the generator that alters its output
/// (and so every benchmark graph) must change these on purpose.
#[test]
fn fixed_seed_gives_the_pinned_bytes() {
    use sha2::{Digest, Sha256};
    for (quads, expected) in [
        (
            false,
            "bd3ed3da5527184d05921f18f61ceff425e21373504b792ed3574bfe8d14099f",
        ),
        (
            true,
            "a072c55bfbcad35dadb2be6e992cd159802a898d78ccf78315292dbd10710f4e",
        ),
    ] {
        let (out, _) = bytes(&options(20_000, 11, 0.02, quads));
        let hex: String = Sha256::digest(&out)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, expected, "quads: {quads}");
    }
}

fn validate_generated(options: &Options) -> (validate::Outcome, normgraph::generate::Generated) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(if options.quads { "g.nq" } else { "g.nt" });
    let report = generate(options, std::fs::File::create(&path).unwrap()).unwrap();
    let outcome = validate::validate_files(&Bundle::default_location(), &[path], None).unwrap();
    (outcome, report)
}

#[test]
fn clean_graph_passes_the_shapes() {
    for quads in [false, true] {
        let (outcome, report) = validate_generated(&options(15_000, 3, 0.0, quads));
        assert!(report.triples >= 15_000);
        assert!(outcome.findings.is_empty(), "{outcome}");
    }
}

#[test]
fn validator_finds_every_injected_defect_and_nothing_else() {
    let (outcome, report) = validate_generated(&options(20_000, 11, 0.02, false));
    let got: BTreeSet<(String, String, String)> = outcome
        .findings
        .iter()
        .map(|f| (f.severity.to_string(), f.focus.clone(), f.rule.clone()))
        .collect();
    let want: BTreeSet<(String, String, String)> = report
        .defects
        .iter()
        .map(|d| (d.severity.clone(), d.focus.clone(), d.rule.clone()))
        .collect();
    assert_eq!(
        report.defect_counts.len(),
        normgraph::generate::DEFECT_KINDS.len(),
        "every kind injected"
    );
    assert!(report.defect_counts.values().all(|&n| n >= 2));
    let missing: Vec<_> = want.difference(&got).collect();
    let unexpected: Vec<_> = got.difference(&want).collect();
    assert!(missing.is_empty(), "recall < 1: missed {missing:?}");
    assert!(
        unexpected.is_empty(),
        "findings outside the injected defects: {unexpected:?}"
    );
}
