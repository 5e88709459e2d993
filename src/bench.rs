//! `normgraph bench`: times the operations users wait for on a (synthetic) store, for
//! `bench/run.sh`, which runs the same operations on peer engines and compares.
//!
//! Each query runs once cold, then [`Options::repeat`] times warm; the median warm time is
//! reported. The CLI prints each timing as a JSON line as soon as it is taken, so that a driver
//! with a time limit keeps what was measured.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::Result;
use crate::generate::{norm_iri, state_iri, GROUP_OF_20};
use crate::query;
use crate::store::{KnowledgeGraph, LoadOptions, SourceFile};

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files to load first (the ontology and a generated graph); none to time an existing store.
    pub load: Vec<SourceFile>,
    /// How to load them.
    pub load_options: LoadOptions,
    /// Warm runs per query.
    pub repeat: usize,
    /// Run the full SHACL validation too.
    pub validate: bool,
}

/// One timed operation.
#[derive(Debug, Serialize)]
pub struct Timing {
    /// Operation name (`load`, `who-backs-norm`...).
    pub name: String,
    /// First run, seconds.
    pub cold_s: f64,
    /// Median of the warm runs, seconds (the cold time when not repeated).
    pub warm_s: f64,
    /// Rows returned (or quads loaded, findings found).
    pub rows: usize,
}

/// The outcome of a bench run.
#[derive(Debug, Serialize)]
pub struct Results {
    /// Quads loaded (0 without a load).
    pub loaded: usize,
    /// Seconds spent writing the data (parse + store), rules aside.
    pub load_s: f64,
    /// Seconds spent on the rules.
    pub rules_s: f64,
    /// Triples in the inferred graph.
    pub inferred: usize,
    /// Timings of the queries and checks.
    pub timings: Vec<Timing>,
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn time<F: FnMut() -> Result<usize>>(name: &str, repeat: usize, mut f: F) -> Result<Timing> {
    let start = Instant::now();
    let rows = f()?;
    let cold = start.elapsed();
    let mut warm = Vec::new();
    for _ in 0..repeat {
        let start = Instant::now();
        f()?;
        warm.push(start.elapsed());
    }
    warm.sort();
    let warm_s = warm.get(warm.len() / 2).map_or(secs(cold), |d| secs(*d));
    Ok(Timing {
        name: name.to_owned(),
        cold_s: secs(cold),
        warm_s,
        rows,
    })
}

/// One query of the workload: (label, query name, bindings).
pub type Case = (&'static str, &'static str, Vec<(String, String)>);

/// The queries the benchmark runs, with their parameters.
pub fn workload() -> Vec<Case> {
    let norm = format!("<{}>", norm_iri(1));
    let a = format!("<{}>", state_iri(0));
    let b = format!("<{}>", state_iri(1));
    vec![
        (
            "who-backs-norm",
            "who-backs-norm",
            vec![("norm".into(), norm.clone())],
        ),
        (
            "norms-backed-by",
            "norms-backed-by",
            vec![("actor".into(), a.clone())],
        ),
        (
            "evidence-for",
            "evidence-for",
            vec![("actor".into(), a.clone()), ("norm".into(), norm.clone())],
        ),
        (
            "common-ground",
            "common-ground",
            vec![("a".into(), a), ("b".into(), b)],
        ),
        (
            "alignment-20",
            "alignment-matrix",
            vec![("group".into(), format!("<{GROUP_OF_20}>"))],
        ),
        ("contested-norms", "contested-norms", vec![]),
    ]
}

/// Loads (if asked) and times the workload; `report` sees each timing as soon as it is taken
/// (the load as `load` and `rules`, rows = quads).
pub fn run(
    kg: &KnowledgeGraph,
    options: &Options,
    report: &mut dyn FnMut(&Timing),
) -> Result<Results> {
    let mut results = Results {
        loaded: 0,
        load_s: 0.0,
        rules_s: 0.0,
        inferred: 0,
        timings: Vec::new(),
    };
    if !options.load.is_empty() {
        let loaded = kg.load_with_options(&options.load, &options.load_options)?;
        results.loaded = loaded.loaded.iter().map(|(_, _, n)| n).sum();
        // Load = parse + store + the compaction that follows a bulk load: all of what the user waits
        // for before querying, rules apart.
        results.load_s = secs(loaded.load_time + loaded.compaction_time);
        results.rules_s = loaded.rule_times.iter().map(|(_, t)| secs(*t)).sum();
        results.inferred = loaded.inferred;
        for (name, t, rows) in [
            ("load", results.load_s, results.loaded),
            ("rules", results.rules_s, results.inferred),
        ] {
            let t = Timing {
                name: name.to_owned(),
                cold_s: t,
                warm_s: t,
                rows,
            };
            report(&t);
            results.timings.push(t);
        }
    }
    let dir = kg.bundle().queries_dir();
    for (label, name, bindings) in workload() {
        let q = query::resolve(&dir, name)?;
        let t = time(label, options.repeat, || {
            Ok(query::run(kg, &q, &bindings)?.len())
        })?;
        report(&t);
        results.timings.push(t);
    }
    let t = time("contradictions", options.repeat, || {
        Ok(crate::analysis::contradictions(kg)?.len())
    })?;
    report(&t);
    results.timings.push(t);
    if options.validate {
        let t = time("validation", 0, || {
            Ok(crate::validate::validate_graph(kg, None)?.findings.len())
        })?;
        report(&t);
        results.timings.push(t);
    }
    Ok(results)
}
