//! SHACL validation: the project's own engine over an Oxigraph store (SHACL Core + SHACL-SPARQL).
//!
//! [`Shapes::from_store`] reads the shapes of a shapes graph; [`validate`] checks a data graph (an
//! Oxigraph store's default graph, or the union of all its graphs) against them and returns a
//! [`Report`] whose [`Report::to_graph`] is a W3C `sh:ValidationReport`.
//!
//! Value nodes of property paths are computed in Rust over the store's indexes, a set of focus
//! nodes at a time (SPARQL `VALUES` cannot carry blank nodes, and zero-length paths must reach focus
//! nodes absent from the graph). Comparisons (`sh:minInclusive`, `sh:lessThan`...) and
//! `sh:pattern` are evaluated by Oxigraph's SPARQL operators and `REGEX`, one query per constraint.
//! `sh:sparql` constraints and SPARQL-based constraint components are pre-bound by rewriting the
//! query's algebra: every leaf pattern is joined with a table of the pre-bound rows (`$this`,
//! `$value`, `$currentShape`, `$shapesGraph`, parameters), so one query validates all focus nodes;
//! queries with `LIMIT`/`OFFSET` run once per focus node instead.

mod components;
mod lexical;
mod paths;
mod prebind;
mod scan;
mod shapes;
mod sparql;
mod validator;

use std::collections::HashSet;
use std::fmt;

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    BlankNode, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, TermRef,
    Triple,
};
use oxigraph::store::Store;

use crate::error::{Error, Result};

pub use shapes::Shapes;

// What a constraint plan outside the engine reads (see [`ConstraintPlans`]).
pub(crate) use scan::{compare, Table};
#[cfg(test)]
pub(crate) use shapes::Constraint;
pub(crate) use shapes::SparqlQuery;
pub(crate) use validator::{Tuning, Validator};

/// Accelerated plans for `sh:sparql` constraints, supplied by the caller of validation (the
/// engine itself knows no vocabulary but SHACL's): given a constraint's query and the focus nodes,
/// the solutions (solution `i` for `focus[i]` as `$this`) computed from the validation's shared
/// predicate scans, or `None` to run the query as SPARQL. normgraph's plans are `crate::plans`.
pub(crate) type ConstraintPlans =
    fn(
        &Validator<'_>,
        &SparqlQuery,
        &[&Term],
    ) -> Result<Option<Vec<(usize, oxigraph::sparql::QuerySolution)>>>;

/// The SHACL namespace.
pub const SH: &str = "http://www.w3.org/ns/shacl#";

/// An IRI of the SHACL vocabulary, `sh:{local}`.
pub(crate) fn sh(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SH}{local}"))
}

pub(crate) const RDF_TYPE: NamedNodeRef<'_> = rdf::TYPE;
const RDF_FIRST: NamedNodeRef<'_> = rdf::FIRST;
const RDF_REST: NamedNodeRef<'_> = rdf::REST;
const RDF_NIL: NamedNodeRef<'_> = rdf::NIL;
const RDFS_SUBCLASSOF: NamedNodeRef<'_> = rdfs::SUB_CLASS_OF;
const RDFS_CLASS: NamedNodeRef<'_> = rdfs::CLASS;
const XSD_BOOLEAN: NamedNodeRef<'_> = xsd::BOOLEAN;

/// A SHACL property path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Path {
    /// A predicate IRI.
    Predicate(NamedNode),
    /// `sh:inversePath`.
    Inverse(Box<Path>),
    /// A sequence path (an RDF list).
    Sequence(Vec<Path>),
    /// `sh:alternativePath`.
    Alternative(Vec<Path>),
    /// `sh:zeroOrMorePath`.
    ZeroOrMore(Box<Path>),
    /// `sh:oneOrMorePath`.
    OneOrMore(Box<Path>),
    /// `sh:zeroOrOnePath`.
    ZeroOrOne(Box<Path>),
}

impl Path {
    /// The path as a SPARQL property path expression.
    pub fn to_sparql(&self) -> spargebra::algebra::PropertyPathExpression {
        use spargebra::algebra::PropertyPathExpression as P;
        fn fold(paths: &[Path], f: fn(Box<P>, Box<P>) -> P) -> P {
            let mut iter = paths.iter().map(Path::to_sparql);
            let first = iter.next().unwrap_or(P::NegatedPropertySet(Vec::new()));
            iter.fold(first, |acc, p| f(Box::new(acc), Box::new(p)))
        }
        match self {
            Self::Predicate(p) => P::NamedNode(p.clone()),
            Self::Inverse(p) => P::Reverse(Box::new(p.to_sparql())),
            Self::Sequence(ps) => fold(ps, P::Sequence),
            Self::Alternative(ps) => fold(ps, P::Alternative),
            Self::ZeroOrMore(p) => P::ZeroOrMore(Box::new(p.to_sparql())),
            Self::OneOrMore(p) => P::OneOrMore(Box::new(p.to_sparql())),
            Self::ZeroOrOne(p) => P::ZeroOrOne(Box::new(p.to_sparql())),
        }
    }

    /// Writes the path as SHACL triples (fresh blank nodes for the non-IRI parts); returns its node.
    pub fn to_triples(&self, out: &mut Vec<Triple>) -> Term {
        let wrap = |out: &mut Vec<Triple>, prop: &str, inner: &Path| {
            let node = BlankNode::default();
            let value = inner.to_triples(out);
            out.push(Triple::new(node.clone(), sh(prop), value));
            Term::from(node)
        };
        match self {
            Self::Predicate(p) => p.clone().into(),
            Self::Inverse(p) => wrap(out, "inversePath", p),
            Self::ZeroOrMore(p) => wrap(out, "zeroOrMorePath", p),
            Self::OneOrMore(p) => wrap(out, "oneOrMorePath", p),
            Self::ZeroOrOne(p) => wrap(out, "zeroOrOnePath", p),
            Self::Sequence(ps) => {
                list_to_triples(ps.iter().map(|p| p.to_triples(out)).collect(), out)
            }
            Self::Alternative(ps) => {
                let items = ps.iter().map(|p| p.to_triples(out)).collect();
                let list = list_to_triples(items, out);
                let node = BlankNode::default();
                out.push(Triple::new(node.clone(), sh("alternativePath"), list));
                node.into()
            }
        }
    }
}

impl Path {
    /// Reads the SHACL path at `node` of `graph` in `store` (`None`: the union of its graphs).
    pub fn from_store(store: &Store, graph: Option<GraphNameRef<'_>>, node: &Term) -> Result<Self> {
        paths::read_path(&Graph::new(store, graph), node)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_sparql())
    }
}

fn list_to_triples(items: Vec<Term>, out: &mut Vec<Triple>) -> Term {
    let mut head: Term = RDF_NIL.into_owned().into();
    for item in items.into_iter().rev() {
        let node = BlankNode::default();
        out.push(Triple::new(node.clone(), RDF_FIRST, item));
        out.push(Triple::new(node.clone(), RDF_REST, head));
        head = node.into();
    }
    head
}

/// One `sh:ValidationResult`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ValidationResult {
    /// `sh:focusNode`.
    pub focus_node: Term,
    /// `sh:resultPath`.
    pub result_path: Option<Path>,
    /// `sh:value`.
    pub value: Option<Term>,
    /// `sh:sourceShape`.
    pub source_shape: Term,
    /// `sh:sourceConstraintComponent`.
    pub source_constraint_component: NamedNode,
    /// `sh:resultSeverity` (`sh:Violation`, `sh:Warning`, `sh:Info` or another IRI).
    pub severity: NamedNode,
    /// `sh:resultMessage`s.
    pub messages: Vec<Literal>,
    /// `sh:sourceConstraint` (the `sh:sparql` constraint node, for SHACL-SPARQL).
    pub source_constraint: Option<Term>,
}

/// The outcome of a validation: a set of validation results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The results, in the order found (without duplicates).
    pub results: Vec<ValidationResult>,
}

/// Rank of a severity: `sh:Info` 0, `sh:Warning` 1, `sh:Violation` (and unknown severities) 2.
fn severity_rank(severity: NamedNodeRef<'_>) -> u8 {
    match severity.as_str().strip_prefix(SH) {
        Some("Info") => 0,
        Some("Warning") => 1,
        _ => 2,
    }
}

impl Report {
    /// True when there is no result at all, whatever its severity (`sh:conforms` of the spec).
    pub fn conforms(&self) -> bool {
        self.results.is_empty()
    }

    /// True when no result is at least as severe as `min_severity` (`sh:Info` < `sh:Warning` <
    /// `sh:Violation`; unknown severities count as violations).
    pub fn conforms_at(&self, min_severity: NamedNodeRef<'_>) -> bool {
        let min = severity_rank(min_severity);
        self.results
            .iter()
            .all(|r| severity_rank(r.severity.as_ref()) < min)
    }

    /// The report as a W3C `sh:ValidationReport` graph.
    pub fn to_graph(&self) -> Vec<Triple> {
        let mut out = Vec::new();
        let report = BlankNode::default();
        out.push(Triple::new(
            report.clone(),
            RDF_TYPE,
            sh("ValidationReport"),
        ));
        out.push(Triple::new(
            report.clone(),
            sh("conforms"),
            Literal::new_typed_literal(self.conforms().to_string(), XSD_BOOLEAN),
        ));
        for r in &self.results {
            let node = BlankNode::default();
            out.push(Triple::new(report.clone(), sh("result"), node.clone()));
            out.push(Triple::new(node.clone(), RDF_TYPE, sh("ValidationResult")));
            out.push(Triple::new(
                node.clone(),
                sh("focusNode"),
                r.focus_node.clone(),
            ));
            if let Some(path) = &r.result_path {
                let p = path.to_triples(&mut out);
                out.push(Triple::new(node.clone(), sh("resultPath"), p));
            }
            if let Some(value) = &r.value {
                out.push(Triple::new(node.clone(), sh("value"), value.clone()));
            }
            out.push(Triple::new(
                node.clone(),
                sh("sourceShape"),
                r.source_shape.clone(),
            ));
            out.push(Triple::new(
                node.clone(),
                sh("sourceConstraintComponent"),
                r.source_constraint_component.clone(),
            ));
            out.push(Triple::new(
                node.clone(),
                sh("resultSeverity"),
                r.severity.clone(),
            ));
            for m in &r.messages {
                out.push(Triple::new(node.clone(), sh("resultMessage"), m.clone()));
            }
            if let Some(c) = &r.source_constraint {
                out.push(Triple::new(node.clone(), sh("sourceConstraint"), c.clone()));
            }
        }
        out
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.conforms() {
            return writeln!(f, "conforms");
        }
        writeln!(f, "{} result(s)", self.results.len())?;
        for r in &self.results {
            let severity = r
                .severity
                .as_str()
                .strip_prefix(SH)
                .unwrap_or(r.severity.as_str());
            let component = r
                .source_constraint_component
                .as_str()
                .strip_prefix(SH)
                .unwrap_or(r.source_constraint_component.as_str());
            write!(f, "{severity}: {} [{component}]", r.focus_node)?;
            if let Some(p) = &r.result_path {
                write!(f, " path {p}")?;
            }
            if let Some(v) = &r.value {
                write!(f, " value {v}")?;
            }
            if let Some(m) = r.messages.first() {
                write!(f, ": {}", m.value())?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// Validates the data of `data` against `shapes`.
///
/// With `union_default_graph`, the data graph is the union of all the store's graphs (how
/// normgraph keeps its data: one named graph per file); otherwise it is the store's default graph.
/// An `Err` means the shapes could not be applied (a malformed or unsupported SPARQL query...),
/// never that the data is invalid.
pub fn validate(data: &Store, union_default_graph: bool, shapes: &Shapes) -> Result<Report> {
    validate_tuned(data, union_default_graph, shapes, Tuning::default(), None)
}

/// [`validate`], evaluated the way `tuning` says, with `plans` answering the constraints they
/// recognise (the report is the same every way).
pub(crate) fn validate_tuned(
    data: &Store,
    union_default_graph: bool,
    shapes: &Shapes,
    tuning: Tuning,
    plans: Option<ConstraintPlans>,
) -> Result<Report> {
    let mut validator = Validator::new(data, union_default_graph, shapes);
    validator.tuning = tuning;
    validator.plans = plans;
    let mut results = Vec::new();
    for shape in shapes.targeted() {
        let started = std::time::Instant::now();
        let focus = validator.focus_nodes(shape)?;
        if validator.trace {
            eprintln!(
                "shacl: {} targets: {} focus nodes in {:.3}s",
                shape.id,
                focus.len(),
                started.elapsed().as_secs_f64()
            );
        }
        for chunk in focus.chunks(tuning.focus_chunk.max(1)) {
            results.extend(validator.validate_shape(&shape.id, chunk, 0)?);
        }
    }
    let mut seen = HashSet::new();
    results.retain(|r| seen.insert(r.clone()));
    Ok(Report { results })
}

/// Converts a term to a subject, if it can be one.
fn as_subject(term: &Term) -> Option<NamedOrBlankNode> {
    match term {
        Term::NamedNode(n) => Some(n.clone().into()),
        Term::BlankNode(b) => Some(b.clone().into()),
        _ => None,
    }
}

/// A triple source: a store's default graph, one named graph, or the union of all graphs.
#[derive(Clone, Copy)]
pub(crate) struct Graph<'a> {
    store: &'a Store,
    /// `None`: the union of all graphs (deduplicated).
    graph: Option<GraphNameRef<'a>>,
}

impl<'a> Graph<'a> {
    fn new(store: &'a Store, graph: Option<GraphNameRef<'a>>) -> Self {
        Self { store, graph }
    }

    fn matching(
        &self,
        s: Option<&Term>,
        p: Option<NamedNodeRef<'_>>,
        o: Option<TermRef<'_>>,
    ) -> Result<Vec<Triple>> {
        let subject = match s {
            Some(t) => match as_subject(t) {
                Some(s) => Some(s),
                None => return Ok(Vec::new()),
            },
            None => None,
        };
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for quad in
            self.store
                .quads_for_pattern(subject.as_ref().map(|s| s.as_ref()), p, o, self.graph)
        {
            let triple = Triple::from(quad?);
            if self.graph.is_some() || seen.insert(triple.clone()) {
                out.push(triple);
            }
        }
        Ok(out)
    }

    pub(crate) fn objects(&self, s: &Term, p: NamedNodeRef<'_>) -> Result<Vec<Term>> {
        Ok(self
            .matching(Some(s), Some(p), None)?
            .into_iter()
            .map(|t| t.object)
            .collect())
    }

    fn object(&self, s: &Term, p: NamedNodeRef<'_>) -> Result<Option<Term>> {
        Ok(self.objects(s, p)?.into_iter().next())
    }

    fn subjects(&self, p: NamedNodeRef<'_>, o: &Term) -> Result<Vec<Term>> {
        Ok(self
            .matching(None, Some(p), Some(o.as_ref()))?
            .into_iter()
            .map(|t| t.subject.into())
            .collect())
    }

    /// The members of the RDF list starting at `head`.
    fn list(&self, head: &Term) -> Result<Vec<Term>> {
        let mut items = Vec::new();
        let mut node = head.clone();
        let mut seen = HashSet::new();
        while node.as_ref() != RDF_NIL.into() && seen.insert(node.clone()) {
            let Some(first) = self.object(&node, RDF_FIRST)? else {
                return Err(Error::Invalid(format!(
                    "{node} is not a well-formed RDF list"
                )));
            };
            items.push(first);
            match self.object(&node, RDF_REST)? {
                Some(rest) => node = rest,
                None => break,
            }
        }
        Ok(items)
    }

    /// `class` and its superclasses (`rdfs:subClassOf*`).
    fn superclasses(&self, class: &Term) -> Result<HashSet<Term>> {
        self.closure(class, |g, c| g.objects(c, RDFS_SUBCLASSOF))
    }

    /// `class` and its subclasses (`^rdfs:subClassOf*`).
    fn subclasses(&self, class: &Term) -> Result<HashSet<Term>> {
        self.closure(class, |g, c| g.subjects(RDFS_SUBCLASSOF, c))
    }

    fn closure(
        &self,
        start: &Term,
        step: impl Fn(&Self, &Term) -> Result<Vec<Term>>,
    ) -> Result<HashSet<Term>> {
        let mut seen = HashSet::from([start.clone()]);
        let mut todo = vec![start.clone()];
        while let Some(node) = todo.pop() {
            for next in step(self, &node)? {
                if seen.insert(next.clone()) {
                    todo.push(next);
                }
            }
        }
        Ok(seen)
    }

    /// True when `node` is a SHACL instance of `class` (`rdf:type/rdfs:subClassOf*`).
    fn is_instance_of(&self, node: &Term, class: &Term) -> Result<bool> {
        for t in self.objects(node, RDF_TYPE)? {
            if self.superclasses(&t)?.contains(class) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// Builds a query-evaluation error.
pub(crate) fn query_error(name: &str, e: impl Into<crate::error::Cause>) -> Error {
    Error::query_failed(name, e)
}

/// Deduplicates terms, keeping their order.
fn dedup(terms: impl IntoIterator<Item = Term>) -> Vec<Term> {
    let mut seen = HashSet::new();
    terms
        .into_iter()
        .filter(|t| seen.insert(t.clone()))
        .collect()
}

/// Value nodes grouped by focus node.
type ValueMap = Vec<(Term, Vec<Term>)>;

#[cfg(test)]
mod tests;
