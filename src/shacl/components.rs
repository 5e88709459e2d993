//! The SHACL Core constraint components, in the families of the specification (§4): value type
//! (`sh:class`, `sh:datatype`, `sh:nodeKind`), cardinality, value range, string-based, property
//! pair, logical, shape-based and other (`sh:closed`, `sh:hasValue`, `sh:in`); the SPARQL-based
//! ones are in `prebind.rs`. Comparisons and `sh:pattern` are evaluated by Oxigraph's SPARQL
//! operators over a `VALUES` table of the value nodes, one query per constraint.

use std::collections::{HashMap, HashSet};

use oxigraph::model::{Literal, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator, Variable};
use spargebra::algebra::{Expression, Function, GraphPattern};
use spargebra::term::GroundTerm;

use super::lexical::well_formed;
use super::shapes::{Constraint, Shape};
use super::validator::Validator;
use super::{dedup, query_error, sh, Path, ValidationResult, ValueMap};
use crate::error::Result;

/// A SPARQL binary operator.
type BinaryOp = fn(Box<Expression>, Box<Expression>) -> Expression;

impl Validator<'_> {
    /// Checks one constraint of `shape` on the value nodes, adding results to `out`.
    pub(super) fn check(
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
