//! SHACL-SPARQL: `sh:sparql` constraints and SPARQL-based constraint components, with the
//! pre-binding of `$this`, `$value`, `$currentShape`, `$shapesGraph` and parameters.
//!
//! Pre-binding rewrites the query's algebra: each leaf pattern (basic graph pattern, path) is
//! joined with a table of rows, one per focus node (or focus/value pair), carrying the pre-bound
//! variables and a `?__row` index, so that every filter, `BIND` and `EXISTS` sees the bindings,
//! and one query answers for every focus node. The table is produced by a custom function (rows may
//! hold blank nodes, which `VALUES` cannot). Variables with one IRI or literal value for every row
//! are also replaced by that constant (so `GRAPH $shapesGraph` works). Queries with `LIMIT` or
//! `OFFSET` run once per row. `MINUS`, `VALUES`, `SERVICE`, `BIND` to a pre-bound variable and
//! sub-queries that drop `$this` are rejected, as the SHACL spec requires.

use std::collections::HashMap;

use oxigraph::model::Term;
use oxigraph::sparql::Variable;
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::{NamedNodePattern, TermPattern, TriplePattern};
use spargebra::Query;

use crate::error::Result;

pub(super) const ROW_FUNCTION: &str = "urn:x-normgraph:shacl-row";

/// Why a query cannot be pre-bound.
pub(super) enum Unsupported {
    /// Forbidden by SHACL (an error for the user).
    Forbidden(String),
    /// Needs one evaluation per row (`LIMIT`/`OFFSET`).
    PerRow,
}

pub(super) struct Rewriter<'a> {
    /// The leaf table: `?__row` plus the pre-bound variables.
    /// `None` inside `EXISTS`, whose pattern Oxigraph evaluates from the outer solution (which
    /// already holds the pre-bound variables): joining the table there would cost rows².
    pub(super) rows: Option<GraphPattern>,
    /// Pre-bound variables (without `?__row`).
    pub(super) vars: &'a [Variable],
    pub(super) row_var: Variable,
    pub(super) constants: HashMap<Variable, Term>,
    pub(super) single_row: bool,
}

impl Rewriter<'_> {
    fn term(&self, t: TermPattern) -> TermPattern {
        if let TermPattern::Variable(v) = &t {
            match self.constants.get(v) {
                Some(Term::NamedNode(n)) => return TermPattern::NamedNode(n.clone()),
                Some(Term::Literal(l)) => return TermPattern::Literal(l.clone()),
                _ => {}
            }
        }
        t
    }

    fn named(&self, t: NamedNodePattern) -> NamedNodePattern {
        if let NamedNodePattern::Variable(v) = &t {
            if let Some(Term::NamedNode(n)) = self.constants.get(v) {
                return NamedNodePattern::NamedNode(n.clone());
            }
        }
        t
    }

    fn with_rows(&self, p: GraphPattern) -> GraphPattern {
        match &self.rows {
            Some(rows) => GraphPattern::Join {
                left: Box::new(rows.clone()),
                right: Box::new(p),
            },
            None => p,
        }
    }

    fn pattern(&self, p: GraphPattern, top: bool) -> Result<GraphPattern, Unsupported> {
        use GraphPattern as G;
        let b = |p: Box<GraphPattern>, top| self.pattern(*p, top).map(Box::new);
        Ok(match p {
            G::Bgp { patterns } => self.with_rows(G::Bgp {
                patterns: patterns
                    .into_iter()
                    .map(|t| TriplePattern {
                        subject: self.term(t.subject),
                        predicate: self.named(t.predicate),
                        object: self.term(t.object),
                    })
                    .collect(),
            }),
            G::Path {
                subject,
                path,
                object,
            } => self.with_rows(G::Path {
                subject: self.term(subject),
                path,
                object: self.term(object),
            }),
            G::Join { left, right } => G::Join {
                left: b(left, false)?,
                right: b(right, false)?,
            },
            G::Lateral { left, right } => G::Lateral {
                left: b(left, false)?,
                right: b(right, false)?,
            },
            G::LeftJoin {
                left,
                right,
                expression,
            } => G::LeftJoin {
                left: b(left, false)?,
                right: b(right, false)?,
                expression: expression.map(|e| self.expr(e)).transpose()?,
            },
            G::Filter { expr, inner } => G::Filter {
                expr: self.expr(expr)?,
                inner: b(inner, false)?,
            },
            G::Union { left, right } => G::Union {
                left: b(left, false)?,
                right: b(right, false)?,
            },
            G::Graph { name, inner } => G::Graph {
                name: self.named(name),
                inner: b(inner, false)?,
            },
            G::Extend {
                inner,
                variable,
                expression,
            } => {
                if self.vars.contains(&variable) {
                    return Err(Unsupported::Forbidden(format!(
                        "BIND must not assign the pre-bound variable {variable}"
                    )));
                }
                G::Extend {
                    inner: b(inner, false)?,
                    variable,
                    expression: self.expr(expression)?,
                }
            }
            G::Minus { .. } => return Err(Unsupported::Forbidden("MINUS is not allowed".into())),
            G::Values { .. } => return Err(Unsupported::Forbidden("VALUES is not allowed".into())),
            G::Service { .. } => {
                return Err(Unsupported::Forbidden("SERVICE is not allowed".into()))
            }
            G::OrderBy { inner, expression } => G::OrderBy {
                inner: b(inner, top)?,
                expression: expression
                    .into_iter()
                    .map(|e| {
                        Ok(match e {
                            OrderExpression::Asc(e) => OrderExpression::Asc(self.expr(e)?),
                            OrderExpression::Desc(e) => OrderExpression::Desc(self.expr(e)?),
                        })
                    })
                    .collect::<Result<_, _>>()?,
            },
            G::Project {
                inner,
                mut variables,
            } => {
                let this = Variable::new_unchecked("this");
                if !top && self.vars.contains(&this) && !variables.contains(&this) {
                    return Err(Unsupported::Forbidden(
                        "sub-queries must return $this".into(),
                    ));
                }
                for v in self.vars.iter().chain([&self.row_var]) {
                    if !variables.contains(v) {
                        variables.push(v.clone());
                    }
                }
                G::Project {
                    inner: b(inner, false)?,
                    variables,
                }
            }
            G::Distinct { inner } => G::Distinct {
                inner: b(inner, top)?,
            },
            G::Reduced { inner } => G::Reduced {
                inner: b(inner, top)?,
            },
            G::Slice {
                inner,
                start,
                length,
            } => {
                if !self.single_row {
                    return Err(Unsupported::PerRow);
                }
                G::Slice {
                    inner: b(inner, top)?,
                    start,
                    length,
                }
            }
            G::Group {
                inner,
                mut variables,
                aggregates,
            } => {
                for v in self.vars.iter().chain([&self.row_var]) {
                    if !variables.contains(v) {
                        variables.push(v.clone());
                    }
                }
                G::Group {
                    inner: b(inner, false)?,
                    variables,
                    aggregates: aggregates
                        .into_iter()
                        .map(|(v, a)| {
                            Ok((
                                v,
                                match a {
                                    AggregateExpression::FunctionCall {
                                        name,
                                        expr,
                                        distinct,
                                    } => AggregateExpression::FunctionCall {
                                        name,
                                        expr: self.expr(expr)?,
                                        distinct,
                                    },
                                    a => a,
                                },
                            ))
                        })
                        .collect::<Result<_, _>>()?,
                }
            }
        })
    }

    fn expr(&self, e: Expression) -> Result<Expression, Unsupported> {
        use Expression as E;
        let b = |e: Box<Expression>| self.expr(*e).map(Box::new);
        let v = |es: Vec<Expression>| {
            es.into_iter()
                .map(|e| self.expr(e))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(match e {
            E::Variable(var) => match self.constants.get(&var) {
                Some(Term::NamedNode(n)) => E::NamedNode(n.clone()),
                Some(Term::Literal(l)) => E::Literal(l.clone()),
                _ => E::Variable(var),
            },
            E::NamedNode(_) | E::Literal(_) | E::Bound(_) => e,
            E::Or(a, c) => E::Or(b(a)?, b(c)?),
            E::And(a, c) => E::And(b(a)?, b(c)?),
            E::Equal(a, c) => E::Equal(b(a)?, b(c)?),
            E::SameTerm(a, c) => E::SameTerm(b(a)?, b(c)?),
            E::Greater(a, c) => E::Greater(b(a)?, b(c)?),
            E::GreaterOrEqual(a, c) => E::GreaterOrEqual(b(a)?, b(c)?),
            E::Less(a, c) => E::Less(b(a)?, b(c)?),
            E::LessOrEqual(a, c) => E::LessOrEqual(b(a)?, b(c)?),
            E::In(a, list) => E::In(b(a)?, v(list)?),
            E::Add(a, c) => E::Add(b(a)?, b(c)?),
            E::Subtract(a, c) => E::Subtract(b(a)?, b(c)?),
            E::Multiply(a, c) => E::Multiply(b(a)?, b(c)?),
            E::Divide(a, c) => E::Divide(b(a)?, b(c)?),
            E::UnaryPlus(a) => E::UnaryPlus(b(a)?),
            E::UnaryMinus(a) => E::UnaryMinus(b(a)?),
            E::Not(a) => E::Not(b(a)?),
            E::Exists(p) => {
                let inner = Rewriter {
                    rows: None,
                    vars: self.vars,
                    row_var: self.row_var.clone(),
                    constants: self.constants.clone(),
                    single_row: self.single_row,
                };
                E::Exists(Box::new(inner.pattern(*p, false)?))
            }
            E::If(a, c, d) => E::If(b(a)?, b(c)?, b(d)?),
            E::Coalesce(list) => E::Coalesce(v(list)?),
            E::FunctionCall(f, args) => E::FunctionCall(f, v(args)?),
        })
    }
}

/// The pattern of a SELECT or ASK query rewritten by `rewriter`, with the query's base IRI and
/// dataset; an ASK query becomes the distinct values of `keep` for which it is true.
#[allow(clippy::type_complexity)]
pub(super) fn rewrite_query(
    parsed: &Query,
    rewriter: &Rewriter<'_>,
    keep: &Variable,
) -> Result<
    (
        GraphPattern,
        Option<oxiri::Iri<String>>,
        Option<spargebra::algebra::QueryDataset>,
    ),
    Unsupported,
> {
    let (pattern, ask, base_iri, dataset) = match parsed.clone() {
        Query::Select {
            pattern,
            base_iri,
            dataset,
        } => (pattern, false, base_iri, dataset),
        Query::Ask {
            pattern,
            base_iri,
            dataset,
        } => (pattern, true, base_iri, dataset),
        _ => {
            return Err(Unsupported::Forbidden(
                "only SELECT and ASK queries are allowed".into(),
            ))
        }
    };
    let pattern = if ask {
        GraphPattern::Distinct {
            inner: Box::new(GraphPattern::Project {
                inner: Box::new(rewriter.pattern(pattern, true)?),
                variables: vec![keep.clone()],
            }),
        }
    } else {
        rewriter.pattern(pattern, true)?
    };
    Ok((pattern, base_iri, dataset))
}

/// True when every row has the same value as the first row in every column but the first.
pub(super) fn only_first_column_varies(rows: &[Vec<Option<Term>>]) -> bool {
    rows.iter().all(|r| {
        r.len() == rows[0].len()
            && r[1..] == rows[0][1..]
            && r[1..]
                .iter()
                .all(|t| !matches!(t, Some(Term::BlankNode(_))))
    })
}

/// The graph pattern of a SELECT or ASK query.
pub(super) fn query_pattern(q: &Query) -> Option<&GraphPattern> {
    match q {
        Query::Select { pattern, .. } | Query::Ask { pattern, .. } => Some(pattern),
        _ => None,
    }
}

/// Does the text of an algebra expression (as Oxigraph prints it) mention `?name`?
/// A string literal holding `?name` counts too: the answer errs towards "mentions".
pub(super) fn mentions(text: &str, var: &Variable) -> bool {
    let needle = format!("?{}", var.as_str());
    text.match_indices(&needle).any(|(i, _)| {
        !text[i + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '\u{B7}')
    })
}

/// Can `$this` be left free in `p` and the solutions matched to focus nodes afterwards?
/// `Some(bound)` when every use of `var` in `p` comes after (or in) a pattern that binds it, with
/// `bound` telling whether every solution of `p` binds it; `None` when some use would see it
/// unbound where pre-binding gives it a value (a filter before any pattern binds it, a sub-query
/// that drops it, an optional part that alone mentions it...), or for constructs pre-binding
/// treats apart (`LIMIT`, `MINUS`, `VALUES`, `SERVICE`, `LATERAL`).
pub(super) fn this_safety(p: &GraphPattern, var: &Variable) -> Option<bool> {
    use GraphPattern as G;
    let is_var = |t: &TermPattern| matches!(t, TermPattern::Variable(v) if v == var);
    let in_expr = |e: &Expression| mentions(&e.to_string(), var);
    let in_pattern = |p: &GraphPattern| mentions(&p.to_string(), var);
    match p {
        G::Bgp { patterns } => Some(patterns.iter().any(|t| {
            is_var(&t.subject)
                || is_var(&t.object)
                || matches!(&t.predicate, NamedNodePattern::Variable(v) if v == var)
        })),
        G::Path {
            subject, object, ..
        } => Some(is_var(subject) || is_var(object)),
        G::Join { left, right } => {
            let (a, b) = (this_safety(left, var)?, this_safety(right, var)?);
            Some(a || b)
        }
        G::Union { left, right } => {
            let (a, b) = (this_safety(left, var)?, this_safety(right, var)?);
            Some(a && b)
        }
        G::Filter { expr, inner } => {
            let bound = this_safety(inner, var)?;
            (bound || !in_expr(expr)).then_some(bound)
        }
        G::Extend {
            inner,
            variable,
            expression,
        } => {
            let bound = this_safety(inner, var)?;
            (variable != var && (bound || !in_expr(expression))).then_some(bound)
        }
        G::LeftJoin {
            left,
            right,
            expression,
        } => {
            let bound = this_safety(left, var)?;
            this_safety(right, var)?;
            let used = in_pattern(right) || expression.as_ref().is_some_and(in_expr);
            (bound || !used).then_some(bound)
        }
        G::Graph { name, inner } => {
            let bound = this_safety(inner, var)?;
            Some(bound || matches!(name, NamedNodePattern::Variable(v) if v == var))
        }
        G::Group {
            inner, variables, ..
        } => {
            if !in_pattern(p) {
                return Some(false);
            }
            // Pre-binding puts `$this` in every row of the group; left free, solutions that do
            // not bind it would form a group of their own.
            let bound = this_safety(inner, var)?;
            (variables.contains(var) && bound).then_some(true)
        }
        G::Project { inner, variables } => {
            if !in_pattern(inner) {
                return Some(false);
            }
            let bound = this_safety(inner, var)?;
            (variables.contains(var) && bound).then_some(true)
        }
        G::Distinct { inner } | G::Reduced { inner } => this_safety(inner, var),
        G::OrderBy { inner, expression } => {
            let bound = this_safety(inner, var)?;
            (bound || !expression.iter().any(|e| mentions(&e.to_string(), var))).then_some(bound)
        }
        G::Slice { .. }
        | G::Minus { .. }
        | G::Values { .. }
        | G::Service { .. }
        | G::Lateral { .. } => None,
    }
}

/// A term as a non-negative integer literal's value.
pub(super) fn index_of(t: Option<&Term>) -> Option<usize> {
    match t {
        Some(Term::Literal(l)) => l.value().parse().ok(),
        _ => None,
    }
}
