//! The validator: focus nodes of targets, value nodes along paths, and a shape's constraints on
//! them (the components themselves are in `components.rs`, literal lexical forms in `lexical.rs`,
//! predicate scans in `scan.rs`, SPARQL-based constraints in `prebind.rs`).

use std::collections::HashSet;

use oxigraph::model::{GraphNameRef, NamedNode, Term};
use oxigraph::store::Store;

use super::shapes::{Shape, Shapes, Target};
use super::{dedup, Graph, Path, ValidationResult, ValueMap};
use crate::error::{Error, Result};

/// Shapes nested deeper than this (through `sh:node`, `sh:not`...) are taken as recursive.
const MAX_DEPTH: usize = 64;

/// From this many focus nodes (or values) on, a predicate is scanned once instead of looked up
/// node by node (a lookup costs about what scanning 10-20 triples does; a scan reads every triple
/// of the predicate, however few focus nodes there are).
pub(crate) const SCAN_THRESHOLD: usize = 16_384;

/// Focus nodes of one shape validated at a time. Each holds its decoded values while its shape
/// is checked; at 10M triples, 1.6M endorsement records at once took validation past 2.5 GB
/// (peak RSS, sampled). The predicate scans are shared between chunks;
/// what repeats per chunk is a SPARQL constraint run once with `$this` free (none of the shipped
/// shapes: they are answered by `crate::plans`) and the grouping of the planned self-joins.
pub(crate) const FOCUS_CHUNK: usize = 400_000;

/// Ways of evaluating that give the same report; the defaults are the fast ones.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tuning {
    /// From this many focus nodes (or values) on, scan predicates (see [`SCAN_THRESHOLD`]).
    pub(crate) scan_threshold: usize,
    /// ...and only if the nodes are at least 1/`scan_share` of the predicate's triples (a lookup
    /// costs about what scanning 10-20 triples does): `rdf:type` of 28k nodes is looked up, not
    /// scanned over 1.6M endorsement records.
    pub(crate) scan_share: usize,
    /// Focus nodes of a shape validated at a time (see [`FOCUS_CHUNK`]).
    pub(crate) focus_chunk: usize,
    /// Run a SPARQL constraint once with `$this` free where that answers as pre-binding does
    /// (see `prebind.rs`), instead of joining its patterns with the table of focus nodes.
    pub(crate) free_this: bool,
}

impl Default for Tuning {
    fn default() -> Self {
        Self {
            scan_threshold: SCAN_THRESHOLD,
            scan_share: 16,
            focus_chunk: FOCUS_CHUNK,
            free_this: true,
        }
    }
}

/// Validates data against shapes.
pub(crate) struct Validator<'a> {
    pub(crate) store: &'a Store,
    pub(crate) union: bool,
    pub(crate) data: Graph<'a>,
    pub(crate) shapes: &'a Shapes,
    /// How to evaluate (the tests compare the ways).
    pub(crate) tuning: Tuning,
    /// The caller's accelerated plans for `sh:sparql` constraints (see [`super::ConstraintPlans`]).
    pub(crate) plans: Option<super::ConstraintPlans>,
    /// Print the time of every shape and constraint on stderr (`NORMGRAPH_SHACL_TIMES` set).
    pub(crate) trace: bool,
    /// Predicate scans and class extents read so far (see `scan.rs`).
    pub(crate) scans: std::cell::RefCell<super::scan::Scans>,
}

impl<'a> Validator<'a> {
    pub(crate) fn new(store: &'a Store, union: bool, shapes: &'a Shapes) -> Self {
        let graph = if union {
            None
        } else {
            Some(GraphNameRef::DefaultGraph)
        };
        Self {
            store,
            union,
            data: Graph::new(store, graph),
            shapes,
            tuning: Tuning::default(),
            plans: None,
            trace: std::env::var_os("NORMGRAPH_SHACL_TIMES").is_some(),
            scans: Default::default(),
        }
    }

    /// The focus nodes of a shape's targets.
    pub(crate) fn focus_nodes(&self, shape: &Shape) -> Result<Vec<Term>> {
        if shape.deactivated {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for target in &shape.targets {
            match target {
                Target::Node(n) => out.push(n.clone()),
                Target::Class(c) => {
                    let (ids, others) = self.instances(c)?;
                    out.extend(self.terms(&ids));
                    out.extend(others);
                }
                Target::SubjectsOf(p) | Target::ObjectsOf(p) => {
                    let table = self.table(p)?;
                    let mut ids: Vec<u32> = if matches!(target, Target::SubjectsOf(_)) {
                        table.iter().map(|(s, _)| s).collect()
                    } else {
                        table.pairs().map(|(_, o)| o).collect()
                    };
                    ids.sort_unstable();
                    ids.dedup();
                    out.extend(self.terms(&ids));
                }
            }
        }
        Ok(dedup(out))
    }

    /// Is scanning predicate `p` cheaper than `n` lookups? (Always, once scanned.)
    pub(super) fn worth_scanning(&self, p: &NamedNode, n: usize) -> Result<bool> {
        if n < self.tuning.scan_threshold {
            return Ok(false);
        }
        if self.tuning.scan_share <= 1 || self.is_scanned(p) {
            return Ok(true);
        }
        Ok(n.saturating_mul(self.tuning.scan_share) >= self.count(p)?)
    }

    /// The nodes reached from `nodes` by `path` (or its inverse).
    fn step(&self, path: &Path, inverse: bool, nodes: &[Term]) -> Result<Vec<Term>> {
        let mut out = Vec::new();
        match path {
            Path::Predicate(p) => {
                for n in nodes {
                    if inverse {
                        out.extend(self.data.subjects(p.as_ref(), n)?);
                    } else {
                        out.extend(self.data.objects(n, p.as_ref())?);
                    }
                }
            }
            Path::Inverse(p) => out = self.step(p, !inverse, nodes)?,
            Path::Sequence(ps) => {
                let mut current = nodes.to_vec();
                let order: Box<dyn Iterator<Item = &Path>> = if inverse {
                    Box::new(ps.iter().rev())
                } else {
                    Box::new(ps.iter())
                };
                for p in order {
                    current = dedup(self.step(p, inverse, &current)?);
                }
                out = current;
            }
            Path::Alternative(ps) => {
                for p in ps {
                    out.extend(self.step(p, inverse, nodes)?);
                }
            }
            Path::ZeroOrOne(p) => {
                out.extend(nodes.iter().cloned());
                out.extend(self.step(p, inverse, nodes)?);
            }
            Path::ZeroOrMore(p) | Path::OneOrMore(p) => {
                let mut seen: HashSet<Term> = HashSet::new();
                if matches!(path, Path::ZeroOrMore(_)) {
                    for n in nodes {
                        if seen.insert(n.clone()) {
                            out.push(n.clone());
                        }
                    }
                }
                let mut frontier = nodes.to_vec();
                while !frontier.is_empty() {
                    let next = self.step(p, inverse, &frontier)?;
                    frontier = Vec::new();
                    for n in next {
                        if seen.insert(n.clone()) {
                            out.push(n.clone());
                            frontier.push(n);
                        }
                    }
                }
            }
        }
        Ok(dedup(out))
    }

    /// The value nodes of each focus node.
    ///
    /// For a predicate path (or its inverse) and many focus nodes, one scan of the predicate
    /// replaces a lookup per focus node: with 160k endorsement records, the lookups cost seconds
    /// per property shape, the scan a fraction of that.
    fn value_nodes(&self, shape: &Shape, focus: &[Term]) -> Result<ValueMap> {
        let simple = match &shape.path {
            Some(Path::Predicate(p)) => Some((p, false)),
            Some(Path::Inverse(inner)) => match inner.as_ref() {
                Path::Predicate(p) => Some((p, true)),
                _ => None,
            },
            _ => None,
        };
        let scan = match simple {
            Some((p, _)) => self.worth_scanning(p, focus.len())?,
            None => false,
        };
        if let (Some((p, inverse)), true) = (simple, scan) {
            let table = self.table(p)?;
            let reversed;
            let by_node = if inverse {
                reversed = table.reversed();
                &reversed
            } else {
                &*table
            };
            return Ok(focus
                .iter()
                .map(|f| (f.clone(), self.objects_in(by_node, f)))
                .collect());
        }
        match &shape.path {
            None => Ok(focus.iter().map(|f| (f.clone(), vec![f.clone()])).collect()),
            Some(path) => focus
                .iter()
                .map(|f| Ok((f.clone(), self.step(path, false, std::slice::from_ref(f))?)))
                .collect(),
        }
    }

    /// The focus nodes among `nodes` (distinct) that do not conform to `shape`.
    pub(super) fn failing(
        &self,
        shape: &Term,
        nodes: &[Term],
        depth: usize,
    ) -> Result<HashSet<Term>> {
        if nodes.is_empty() {
            return Ok(HashSet::new());
        }
        Ok(self
            .validate_shape(shape, nodes, depth + 1)?
            .into_iter()
            .map(|r| r.focus_node)
            .collect())
    }

    /// Validates `focus` nodes against one shape (ignoring its targets).
    pub(crate) fn validate_shape(
        &self,
        id: &Term,
        focus: &[Term],
        depth: usize,
    ) -> Result<Vec<ValidationResult>> {
        if depth > MAX_DEPTH {
            return Err(Error::Invalid(format!(
                "shape {id} is recursive (nested more than {MAX_DEPTH} deep)"
            )));
        }
        let shape = self.shapes.get(id)?;
        if shape.deactivated {
            return Ok(Vec::new());
        }
        let started = std::time::Instant::now();
        let values = self.value_nodes(shape, focus)?;
        let mut out = Vec::new();
        if self.trace {
            eprintln!(
                "shacl: {} ({} focus nodes): value nodes {:.3}s",
                shape.id,
                focus.len(),
                started.elapsed().as_secs_f64()
            );
        }
        // The distinct value nodes, computed once for all the constraints that need them.
        let all = std::cell::OnceCell::new();
        for constraint in &shape.constraints {
            let started = std::time::Instant::now();
            let before = out.len();
            self.check(shape, constraint, &values, &all, depth, &mut out)?;
            if self.trace {
                eprintln!(
                    "shacl: {} {}: {:.3}s, {} result(s)",
                    shape.id,
                    constraint.name(),
                    started.elapsed().as_secs_f64(),
                    out.len() - before
                );
            }
        }
        Ok(out)
    }

    pub(crate) fn shapes_graph(&self) -> Option<&NamedNode> {
        self.shapes.shapes_graph.as_ref()
    }
}
