//! Evaluating shapes on focus nodes: targets, value nodes and the Core constraint components.

use std::collections::{HashMap, HashSet};

use oxigraph::model::{GraphNameRef, Literal, NamedNode, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator, Variable};
use oxigraph::store::Store;
use spargebra::algebra::{Expression, Function, GraphPattern};
use spargebra::term::GroundTerm;

use super::shapes::{Constraint, Shape, Shapes, Target};
use super::{dedup, query_error, sh, Graph, Path, ValidationResult, ValueMap};
use crate::error::{Error, Result};

/// A SPARQL binary operator.
type BinaryOp = fn(Box<Expression>, Box<Expression>) -> Expression;

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
    fn worth_scanning(&self, p: &NamedNode, n: usize) -> Result<bool> {
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
    fn failing(&self, shape: &Term, nodes: &[Term], depth: usize) -> Result<HashSet<Term>> {
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

    /// Checks one constraint of `shape` on the value nodes, adding results to `out`.
    fn check(
        &self,
        shape: &Shape,
        constraint: &Constraint,
        values: &ValueMap,
        all: &std::cell::OnceCell<Vec<Term>>,
        depth: usize,
        out: &mut Vec<ValidationResult>,
    ) -> Result<()> {
        // A node shape's value nodes are its focus nodes, distinct already.
        let all_values = || {
            all.get_or_init(|| match shape.path {
                None => values.iter().map(|(f, _)| f.clone()).collect(),
                Some(_) => dedup(values.iter().flat_map(|(_, vs)| vs.iter().cloned())),
            })
        };
        let result = |focus: &Term, value: Option<&Term>, component: &str| ValidationResult {
            focus_node: focus.clone(),
            result_path: shape.path.clone(),
            value: value.cloned(),
            source_shape: shape.id.clone(),
            source_constraint_component: sh(component),
            severity: shape.severity.clone(),
            messages: shape.messages.clone(),
            source_constraint: None,
        };
        // Reports each (focus, value) pair for which `fails` holds.
        let each =
            |out: &mut Vec<ValidationResult>, component: &str, fails: &dyn Fn(&Term) -> bool| {
                for (f, vs) in values {
                    for v in vs {
                        if fails(v) {
                            out.push(result(f, Some(v), component));
                        }
                    }
                }
            };
        {
            match constraint {
                Constraint::Class(c) => {
                    let vals = all_values();
                    let mut bad = HashSet::new();
                    if vals.len() >= self.tuning.scan_threshold {
                        // The instances of `c` (through its subclasses) once, not a type lookup
                        // and a superclass walk per value.
                        let (ids, others) = self.instances(c)?;
                        let instances: HashSet<u32> = ids.into_iter().collect();
                        let others: HashSet<Term> = others.into_iter().collect();
                        let scans = self.scans.borrow();
                        bad.extend(
                            vals.iter()
                                .filter(|v| {
                                    !others.contains(*v)
                                        && !scans
                                            .names
                                            .get(v)
                                            .is_some_and(|id| instances.contains(&id))
                                })
                                .cloned(),
                        );
                    } else {
                        for v in vals {
                            if !self.data.is_instance_of(v, c)? {
                                bad.insert(v.clone());
                            }
                        }
                    }
                    each(out, "ClassConstraintComponent", &|v| bad.contains(v));
                }
                Constraint::Datatype(dt) => each(
                    out,
                    "DatatypeConstraintComponent",
                    &|v| !matches!(v, Term::Literal(l) if l.datatype() == dt.as_ref() && well_formed(l)),
                ),
                Constraint::NodeKind(kind) => {
                    let k = kind.as_str().strip_prefix(super::SH).unwrap_or("");
                    each(out, "NodeKindConstraintComponent", &|v| {
                        let ok = match v {
                            Term::NamedNode(_) => k.contains("IRI"),
                            Term::BlankNode(_) => k.contains("BlankNode"),
                            Term::Literal(_) => k.contains("Literal"),
                        };
                        !ok
                    })
                }
                Constraint::MinCount(n) | Constraint::MaxCount(n) => {
                    let min = matches!(constraint, Constraint::MinCount(_));
                    for (f, vs) in values {
                        let count = vs.len() as u64;
                        if (min && count < *n) || (!min && count > *n) {
                            let comp = if min {
                                "MinCountConstraintComponent"
                            } else {
                                "MaxCountConstraintComponent"
                            };
                            out.push(result(f, None, comp));
                        }
                    }
                }
                Constraint::MinExclusive(b)
                | Constraint::MinInclusive(b)
                | Constraint::MaxExclusive(b)
                | Constraint::MaxInclusive(b) => {
                    let (component, op): (&str, BinaryOp) = match constraint {
                        Constraint::MinExclusive(_) => {
                            ("MinExclusiveConstraintComponent", Expression::Greater)
                        }
                        Constraint::MinInclusive(_) => (
                            "MinInclusiveConstraintComponent",
                            Expression::GreaterOrEqual,
                        ),
                        Constraint::MaxExclusive(_) => {
                            ("MaxExclusiveConstraintComponent", Expression::Less)
                        }
                        _ => ("MaxInclusiveConstraintComponent", Expression::LessOrEqual),
                    };
                    let bound = term_expression(b);
                    let ok = self
                        .sparql_true(all_values(), &|v| op(Box::new(v), Box::new(bound.clone())))?;
                    each(out, component, &|v| !ok.contains(v));
                }
                Constraint::MinLength(n) | Constraint::MaxLength(n) => {
                    let min = matches!(constraint, Constraint::MinLength(_));
                    let component = if min {
                        "MinLengthConstraintComponent"
                    } else {
                        "MaxLengthConstraintComponent"
                    };
                    each(out, component, &|v| {
                        let len = match v {
                            Term::NamedNode(n) => n.as_str().chars().count(),
                            Term::Literal(l) => l.value().chars().count(),
                            Term::BlankNode(_) => return true,
                        } as u64;
                        if min {
                            len < *n
                        } else {
                            len > *n
                        }
                    })
                }
                Constraint::Pattern(pattern, flags) => {
                    let mut args = vec![
                        Expression::FunctionCall(Function::Str, vec![]),
                        Expression::Literal(Literal::new_simple_literal(pattern)),
                    ];
                    if let Some(f) = flags {
                        args.push(Expression::Literal(Literal::new_simple_literal(f)));
                    }
                    let ok = self.sparql_true(all_values(), &|v| {
                        let mut a = args.clone();
                        a[0] = Expression::FunctionCall(Function::Str, vec![v]);
                        Expression::FunctionCall(Function::Regex, a)
                    })?;
                    each(out, "PatternConstraintComponent", &|v| !ok.contains(v));
                }
                Constraint::LanguageIn(langs) => each(
                    out,
                    "LanguageInConstraintComponent",
                    &|v| !matches!(v, Term::Literal(l) if l.language().is_some_and(|tag| langs.iter().any(|r| lang_matches(tag, r)))),
                ),
                Constraint::UniqueLang => {
                    for (f, vs) in values {
                        let mut counts: HashMap<String, usize> = HashMap::new();
                        for v in vs {
                            if let Term::Literal(l) = v {
                                if let Some(tag) = l.language() {
                                    *counts.entry(tag.to_lowercase()).or_default() += 1;
                                }
                            }
                        }
                        let mut dupes: Vec<_> =
                            counts.into_iter().filter(|(_, n)| *n > 1).collect();
                        dupes.sort();
                        for _ in dupes {
                            out.push(result(f, None, "UniqueLangConstraintComponent"));
                        }
                    }
                }
                Constraint::Equals(p) | Constraint::Disjoint(p) => {
                    let equals = matches!(constraint, Constraint::Equals(_));
                    for (f, vs) in values {
                        let others = self.data.objects(f, p.as_ref())?;
                        if equals {
                            for v in vs.iter().filter(|v| !others.contains(v)) {
                                out.push(result(f, Some(v), "EqualsConstraintComponent"));
                            }
                            for o in others.iter().filter(|o| !vs.contains(o)) {
                                out.push(result(f, Some(o), "EqualsConstraintComponent"));
                            }
                        } else {
                            for v in vs.iter().filter(|v| others.contains(v)) {
                                out.push(result(f, Some(v), "DisjointConstraintComponent"));
                            }
                        }
                    }
                }
                Constraint::LessThan(p) | Constraint::LessThanOrEquals(p) => {
                    let strict = matches!(constraint, Constraint::LessThan(_));
                    let component = if strict {
                        "LessThanConstraintComponent"
                    } else {
                        "LessThanOrEqualsConstraintComponent"
                    };
                    // Pairs of common datatypes are compared here; the rest by SPARQL.
                    let table = if self.worth_scanning(p, values.len())? {
                        Some(self.table(p)?)
                    } else {
                        None
                    };
                    let mut pairs = Vec::new();
                    for (f, vs) in values {
                        let others = match &table {
                            Some(t) => self.objects_in(t, f),
                            None => self.data.objects(f, p.as_ref())?,
                        };
                        for v in vs {
                            for o in &others {
                                match super::scan::compare(v, o) {
                                    Some(std::cmp::Ordering::Less) => {}
                                    Some(std::cmp::Ordering::Equal) if !strict => {}
                                    Some(_) => out.push(result(f, Some(v), component)),
                                    None => pairs.push((f.clone(), v.clone(), o.clone())),
                                }
                            }
                        }
                    }
                    let rows: Vec<Vec<Term>> = pairs
                        .iter()
                        .map(|(_, v, o)| vec![v.clone(), o.clone()])
                        .collect();
                    let (a, b) = (Variable::new_unchecked("a"), Variable::new_unchecked("b"));
                    let cmp = if strict {
                        Expression::Less
                    } else {
                        Expression::LessOrEqual
                    };
                    let ok = self.sparql_filter(
                        &[a.clone(), b.clone()],
                        &rows,
                        cmp(
                            Box::new(Expression::Variable(a)),
                            Box::new(Expression::Variable(b)),
                        ),
                    )?;
                    for (i, (f, v, _)) in pairs.iter().enumerate() {
                        if !ok.contains(&i) {
                            out.push(result(f, Some(v), component));
                        }
                    }
                }
                Constraint::Not(s) => {
                    let failing = self.failing(s, all_values(), depth)?;
                    each(out, "NotConstraintComponent", &|v| !failing.contains(v));
                }
                Constraint::Or(members) => {
                    // A value passing a member is settled: the next member sees only the values
                    // failing all members so far (usually few, then looked up, not scanned).
                    let mut open = all_values().clone();
                    for m in members {
                        if open.is_empty() {
                            break;
                        }
                        let failing = self.failing(m, &open, depth)?;
                        open.retain(|v| failing.contains(v));
                    }
                    let open: HashSet<Term> = open.into_iter().collect();
                    each(out, "OrConstraintComponent", &|v| open.contains(v));
                }
                Constraint::And(members) => {
                    // A value failing a member is settled: the next member sees only the others.
                    let mut open = all_values().clone();
                    let mut bad = HashSet::new();
                    for m in members {
                        if open.is_empty() {
                            break;
                        }
                        let failing = self.failing(m, &open, depth)?;
                        open.retain(|v| !failing.contains(v));
                        bad.extend(failing);
                    }
                    each(out, "AndConstraintComponent", &|v| bad.contains(v));
                }
                Constraint::Xone(members) => {
                    let vals = all_values();
                    let failing: Vec<HashSet<Term>> = members
                        .iter()
                        .map(|m| self.failing(m, vals, depth))
                        .collect::<Result<_>>()?;
                    let conforming = |v: &Term| failing.iter().filter(|f| !f.contains(v)).count();
                    each(out, "XoneConstraintComponent", &|v| conforming(v) != 1);
                }
                Constraint::Node(s) => {
                    let failing = self.failing(s, all_values(), depth)?;
                    each(out, "NodeConstraintComponent", &|v| failing.contains(v));
                }
                Constraint::Property(s) => {
                    let vals = all_values();
                    if !vals.is_empty() {
                        out.extend(self.validate_shape(s, vals, depth + 1)?);
                    }
                }
                Constraint::Qualified {
                    shape: s,
                    min,
                    max,
                    siblings,
                } => {
                    let vals = all_values();
                    let failing = self.failing(s, vals, depth)?;
                    let sibling_failing: Vec<HashSet<Term>> = siblings
                        .iter()
                        .map(|sib| self.failing(sib, vals, depth))
                        .collect::<Result<_>>()?;
                    for (f, vs) in values {
                        let count = vs
                            .iter()
                            .filter(|v| {
                                !failing.contains(v)
                                    && sibling_failing.iter().all(|sf| sf.contains(v))
                            })
                            .count() as u64;
                        if min.is_some_and(|m| count < m) {
                            out.push(result(f, None, "QualifiedMinCountConstraintComponent"));
                        }
                        if max.is_some_and(|m| count > m) {
                            out.push(result(f, None, "QualifiedMaxCountConstraintComponent"));
                        }
                    }
                }
                Constraint::Closed(allowed) => {
                    for (f, vs) in values {
                        for v in vs {
                            for t in self.data.matching(Some(v), None, None)? {
                                if !allowed.contains(&t.predicate) {
                                    let mut r =
                                        result(f, Some(&t.object), "ClosedConstraintComponent");
                                    r.result_path = Some(Path::Predicate(t.predicate));
                                    out.push(r);
                                }
                            }
                        }
                    }
                }
                Constraint::HasValue(h) => {
                    for (f, vs) in values {
                        if !vs.contains(h) {
                            out.push(result(f, None, "HasValueConstraintComponent"));
                        }
                    }
                }
                Constraint::In(list) => each(out, "InConstraintComponent", &|v| !list.contains(v)),
                Constraint::Sparql(node, query) => {
                    out.extend(self.sparql_constraint(shape, node, query, values)?);
                }
                Constraint::Component(iri, query, params) => {
                    out.extend(self.component_constraint(shape, iri, query, params, values)?);
                }
            }
        }
        Ok(())
    }

    /// The terms among `terms` for which `expr(term)` evaluates to true in SPARQL.
    fn sparql_true(
        &self,
        terms: &[Term],
        expr: &dyn Fn(Expression) -> Expression,
    ) -> Result<HashSet<Term>> {
        let v = Variable::new_unchecked("v");
        let rows: Vec<Vec<Term>> = terms.iter().map(|t| vec![t.clone()]).collect();
        let ok = self.sparql_filter(
            std::slice::from_ref(&v),
            &rows,
            expr(Expression::Variable(v.clone())),
        )?;
        Ok(ok.into_iter().map(|i| terms[i].clone()).collect())
    }

    /// The indexes of the `rows` (values of `vars`) for which `expr` is true: one SPARQL query.
    /// Rows holding blank nodes are never true (`VALUES` cannot carry them; no constraint
    /// evaluated here accepts a blank node).
    fn sparql_filter(
        &self,
        vars: &[Variable],
        rows: &[Vec<Term>],
        expr: Expression,
    ) -> Result<HashSet<usize>> {
        let index = Variable::new_unchecked("__row");
        let mut variables = vec![index.clone()];
        variables.extend(vars.iter().cloned());
        let bindings: Vec<Vec<Option<GroundTerm>>> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, row)| {
                let mut out = vec![Some(GroundTerm::Literal(Literal::from(i as i64)))];
                for t in row {
                    out.push(Some(match t {
                        Term::NamedNode(n) => GroundTerm::NamedNode(n.clone()),
                        Term::Literal(l) => GroundTerm::Literal(l.clone()),
                        Term::BlankNode(_) => return None,
                    }));
                }
                Some(out)
            })
            .collect();
        if bindings.is_empty() {
            return Ok(HashSet::new());
        }
        let pattern = GraphPattern::Project {
            inner: Box::new(GraphPattern::Filter {
                expr: Expression::Coalesce(vec![expr, Expression::Literal(Literal::from(false))]),
                inner: Box::new(GraphPattern::Values {
                    variables,
                    bindings,
                }),
            }),
            variables: vec![index.clone()],
        };
        let query = spargebra::Query::Select {
            dataset: None,
            pattern,
            base_iri: None,
        };
        let name = "SHACL comparison";
        let results = SparqlEvaluator::new()
            .for_query(query)
            .on_store(self.store)
            .execute()
            .map_err(|e| query_error(name, e))?;
        let mut ok = HashSet::new();
        if let QueryResults::Solutions(solutions) = results {
            for s in solutions {
                let s = s.map_err(|e| query_error(name, e))?;
                if let Some(Term::Literal(l)) = s.get(&index) {
                    if let Ok(i) = l.value().parse() {
                        ok.insert(i);
                    }
                }
            }
        }
        Ok(ok)
    }

    pub(crate) fn shapes_graph(&self) -> Option<&NamedNode> {
        self.shapes.shapes_graph.as_ref()
    }
}

/// A term as a SPARQL expression.
fn term_expression(t: &Term) -> Expression {
    match t {
        Term::NamedNode(n) => Expression::NamedNode(n.clone()),
        Term::Literal(l) => Expression::Literal(l.clone()),
        Term::BlankNode(_) => Expression::FunctionCall(Function::BNode, vec![]),
    }
}

/// SPARQL `langMatches` (basic filtering, RFC 4647).
fn lang_matches(tag: &str, range: &str) -> bool {
    if range == "*" {
        return !tag.is_empty();
    }
    let (tag, range) = (tag.to_lowercase(), range.to_lowercase());
    tag == range || tag.starts_with(&format!("{range}-"))
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn decimal(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    match s.split_once('.') {
        Some((a, b)) => {
            (digits(a) || a.is_empty())
                && (digits(b) || b.is_empty())
                && !(a.is_empty() && b.is_empty())
        }
        None => digits(s),
    }
}

fn double(s: &str) -> bool {
    if matches!(s, "INF" | "+INF" | "-INF" | "NaN") {
        return true;
    }
    match s.split_once(['e', 'E']) {
        Some((m, e)) => decimal(m) && digits(e.strip_prefix(['+', '-']).unwrap_or(e)),
        None => decimal(s),
    }
}

/// `YYYY-MM-DD` (year may be longer or negative).
fn date(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3
        && parts[0].len() >= 4
        && digits(parts[0])
        && parts[1].len() == 2
        && parts[1].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
        && parts[2].len() == 2
        && parts[2].parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
}

fn time(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    parts.len() == 3
        && parts[0].len() == 2
        && parts[0].parse::<u8>().is_ok_and(|h| h <= 24)
        && parts[1].len() == 2
        && parts[1].parse::<u8>().is_ok_and(|m| m < 60)
        && parts[2]
            .get(..2)
            .is_some_and(|sec| digits(sec) && sec < "60")
        && (parts[2].len() == 2 || parts[2][2..].strip_prefix('.').is_some_and(digits))
}

/// Strips an optional timezone (`Z`, `+hh:mm`, `-hh:mm`) from the end of a date/time.
fn strip_timezone(s: &str) -> &str {
    if let Some(rest) = s.strip_suffix('Z') {
        return rest;
    }
    if s.len() > 6 {
        let (head, tz) = s.split_at(s.len() - 6);
        let b = tz.as_bytes();
        if (b[0] == b'+' || b[0] == b'-') && b[3] == b':' && digits(&tz[1..3]) && digits(&tz[4..]) {
            return head;
        }
    }
    s
}

/// True when a literal's lexical form is valid for its datatype (the XSD types SHACL tests use;
/// other datatypes are taken as well-formed).
pub(crate) fn well_formed(l: &Literal) -> bool {
    let Some(local) = l
        .datatype()
        .as_str()
        .strip_prefix("http://www.w3.org/2001/XMLSchema#")
    else {
        return l.datatype().as_str() != "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
            || l.language().is_some();
    };
    let v = l.value();
    let int_range = |min: i128, max: i128| {
        let body = v.strip_prefix(['+', '-']).unwrap_or(v);
        digits(body) && v.parse::<i128>().is_ok_and(|n| n >= min && n <= max)
    };
    let big = |sign_ok: fn(i128) -> bool| {
        let body = v.strip_prefix(['+', '-']).unwrap_or(v);
        digits(body)
            && v.parse::<i128>()
                .map_or(!v.starts_with('-') || sign_ok(-1), sign_ok)
    };
    match local {
        "boolean" => matches!(v, "true" | "false" | "1" | "0"),
        "decimal" => decimal(v),
        "integer" => big(|_| true),
        "nonNegativeInteger" => big(|n| n >= 0),
        "positiveInteger" => big(|n| n > 0),
        "nonPositiveInteger" => big(|n| n <= 0),
        "negativeInteger" => big(|n| n < 0),
        "long" => int_range(i64::MIN.into(), i64::MAX.into()),
        "int" => int_range(i32::MIN.into(), i32::MAX.into()),
        "short" => int_range(i16::MIN.into(), i16::MAX.into()),
        "byte" => int_range(i8::MIN.into(), i8::MAX.into()),
        "unsignedLong" => int_range(0, u64::MAX.into()),
        "unsignedInt" => int_range(0, u32::MAX.into()),
        "unsignedShort" => int_range(0, u16::MAX.into()),
        "unsignedByte" => int_range(0, u8::MAX.into()),
        "double" | "float" => double(v),
        // The shape of the text first, then the calendar (no 2023-02-31) by oxsdatatypes.
        "date" => date(strip_timezone(v)) && v.parse::<oxsdatatypes::Date>().is_ok(),
        "time" => time(strip_timezone(v)),
        "dateTime" | "dateTimeStamp" => {
            let v = strip_timezone(v);
            v.split_once('T').is_some_and(|(d, t)| date(d) && time(t))
                && (local == "dateTime" || v.len() < l.value().len())
                && l.value().parse::<oxsdatatypes::DateTime>().is_ok()
        }
        "gYear" => {
            let y = strip_timezone(v);
            let y = y.strip_prefix('-').unwrap_or(y);
            y.len() >= 4 && digits(y)
        }
        _ => true,
    }
}
