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
use std::sync::Arc;

use oxigraph::model::{Literal, NamedNode, Term};
use oxigraph::sparql::{PreparedSparqlQuery, QuerySolution, SparqlEvaluator, Variable};
use spargebra::algebra::{
    AggregateExpression, Expression, Function, GraphPattern, OrderExpression,
};
use spargebra::term::{GroundTerm, NamedNodePattern, TermPattern, TriplePattern};
use spargebra::{Query, SparqlParser};

use super::shapes::{Shape, SparqlQuery};
use super::values::Validator;
use super::{sh, Path, ValidationResult, ValueMap};
use crate::error::{Error, Result};

const ROW_FUNCTION: &str = "urn:x-normgraph:shacl-row";

/// Why a query cannot be pre-bound.
enum Unsupported {
    /// Forbidden by SHACL (an error for the user).
    Forbidden(String),
    /// Needs one evaluation per row (`LIMIT`/`OFFSET`).
    PerRow,
}

struct Rewriter<'a> {
    /// The leaf table: `?__row` plus the pre-bound variables.
    /// `None` inside `EXISTS`, whose pattern Oxigraph evaluates from the outer solution (which
    /// already holds the pre-bound variables): joining the table there would cost rows².
    rows: Option<GraphPattern>,
    /// Pre-bound variables (without `?__row`).
    vars: &'a [Variable],
    row_var: Variable,
    constants: HashMap<Variable, Term>,
    single_row: bool,
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
fn rewrite_query(
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
fn only_first_column_varies(rows: &[Vec<Option<Term>>]) -> bool {
    rows.iter().all(|r| {
        r.len() == rows[0].len()
            && r[1..] == rows[0][1..]
            && r[1..]
                .iter()
                .all(|t| !matches!(t, Some(Term::BlankNode(_))))
    })
}

/// The graph pattern of a SELECT or ASK query.
fn query_pattern(q: &Query) -> Option<&GraphPattern> {
    match q {
        Query::Select { pattern, .. } | Query::Ask { pattern, .. } => Some(pattern),
        _ => None,
    }
}

/// Does the text of an algebra expression (as Oxigraph prints it) mention `?name`?
/// A string literal holding `?name` counts too: the answer errs towards "mentions".
fn mentions(text: &str, var: &Variable) -> bool {
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
fn this_safety(p: &GraphPattern, var: &Variable) -> Option<bool> {
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
fn index_of(t: Option<&Term>) -> Option<usize> {
    match t {
        Some(Term::Literal(l)) => l.value().parse().ok(),
        _ => None,
    }
}

impl Validator<'_> {
    /// Runs `query` once for all `rows` (values of `vars`, `None` = unbound): returns each solution
    /// with the index of the row it answers. For an ASK query, the solutions are the rows for
    /// which it is true.
    fn run_prebound(
        &self,
        name: &str,
        query: &SparqlQuery,
        text: &str,
        vars: &[Variable],
        rows: Vec<Vec<Option<Term>>>,
    ) -> Result<Vec<(usize, QuerySolution)>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut parser = SparqlParser::new();
        for (prefix, ns) in &query.prefixes {
            parser = parser
                .with_prefix(prefix, ns)
                .map_err(|e| Error::Invalid(format!("{name}: prefix {prefix}: {e}")))?;
        }
        crate::query::check_complexity(text).map_err(|message| Error::QuerySyntax {
            name: name.to_owned(),
            message,
        })?;
        let parsed = parser.parse_query(text).map_err(|e| Error::QuerySyntax {
            name: name.to_owned(),
            message: e.to_string(),
        })?;
        let this = Variable::new_unchecked("this");
        if self.tuning.free_this
            && rows.len() > 1
            && vars.first() == Some(&this)
            && only_first_column_varies(&rows)
            && query_pattern(&parsed).is_some_and(|p| this_safety(p, &this) == Some(true))
        {
            match self.run_unbound(name, &parsed, vars, &rows) {
                Ok(r) => return r,
                Err(Unsupported::Forbidden(m)) => {
                    return Err(Error::Invalid(format!("{name}: {m}")))
                }
                Err(Unsupported::PerRow) => {}
            }
        }
        let rows = Arc::new(rows);
        match self.run_rows(name, &parsed, vars, Arc::clone(&rows), None) {
            Err(Unsupported::PerRow) => {
                let mut out = Vec::new();
                for i in 0..rows.len() {
                    match self.run_rows(name, &parsed, vars, Arc::clone(&rows), Some(i)) {
                        Ok(r) => out.extend(r?),
                        Err(Unsupported::Forbidden(m)) => {
                            return Err(Error::Invalid(format!("{name}: {m}")))
                        }
                        Err(Unsupported::PerRow) => {
                            return Err(Error::Invalid(format!("{name}: cannot pre-bind")))
                        }
                    }
                }
                Ok(out)
            }
            Err(Unsupported::Forbidden(m)) => Err(Error::Invalid(format!("{name}: {m}"))),
            Ok(r) => r,
        }
    }

    /// One evaluation of the query with `$this` left free, its solutions then matched to the
    /// rows by their `$this`. Used when `$this` is the only column that varies and every use of it
    /// is bound by the query's own patterns first (see [`this_safety`]): the answers are then
    /// those of pre-binding, and Oxigraph plans the query on its own instead of joining every
    /// leaf with a table of 160k focus nodes.
    #[allow(clippy::type_complexity)]
    fn run_unbound(
        &self,
        name: &str,
        parsed: &Query,
        vars: &[Variable],
        rows: &[Vec<Option<Term>>],
    ) -> Result<Result<Vec<(usize, QuerySolution)>>, Unsupported> {
        let this = &vars[0];
        let mut constants = HashMap::new();
        for (j, var) in vars.iter().enumerate().skip(1) {
            if let Some(t @ (Term::NamedNode(_) | Term::Literal(_))) = &rows[0][j] {
                constants.insert(var.clone(), t.clone());
            }
        }
        let rewriter = Rewriter {
            rows: None,
            vars,
            row_var: Variable::new_unchecked("__row"),
            constants,
            single_row: false,
        };
        let (pattern, base_iri, dataset) = rewrite_query(parsed, &rewriter, this)?;
        let mut index: HashMap<&Term, Vec<usize>> = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            if let Some(t) = &row[0] {
                index.entry(t).or_default().push(i);
            }
        }
        let prepared = SparqlEvaluator::new().for_query(Query::Select {
            dataset,
            pattern,
            base_iri,
        });
        Ok(self.solutions(name, prepared, |s| {
            s.get(this)
                .and_then(|t| index.get(t))
                .cloned()
                .unwrap_or_default()
        }))
    }

    /// One evaluation over all rows, or over row `only`.
    #[allow(clippy::type_complexity)]
    fn run_rows(
        &self,
        name: &str,
        parsed: &Query,
        vars: &[Variable],
        rows: Arc<Vec<Vec<Option<Term>>>>,
        only: Option<usize>,
    ) -> Result<Result<Vec<(usize, QuerySolution)>>, Unsupported> {
        let row_var = Variable::new_unchecked("__row");
        let function = NamedNode::new_unchecked(ROW_FUNCTION);
        let selected: Vec<usize> = match only {
            Some(i) => vec![i],
            None => (0..rows.len()).collect(),
        };
        // Constants: variables with the same IRI or literal in every selected row.
        let mut constants = HashMap::new();
        for (j, var) in vars.iter().enumerate() {
            let first = &rows[selected[0]][j];
            if let Some(t @ (Term::NamedNode(_) | Term::Literal(_))) = first {
                if selected.iter().all(|&i| rows[i][j].as_ref() == Some(t)) {
                    constants.insert(var.clone(), t.clone());
                }
            }
        }
        // Columns without blank nodes go in a VALUES table (fast); the others are produced from
        // the row index by the custom function (VALUES cannot carry blank nodes).
        let ground = |t: &Option<Term>| -> Option<Option<GroundTerm>> {
            match t {
                None => Some(None),
                Some(Term::NamedNode(n)) => Some(Some(GroundTerm::NamedNode(n.clone()))),
                Some(Term::Literal(l)) => Some(Some(GroundTerm::Literal(l.clone()))),
                Some(Term::BlankNode(_)) => None,
            }
        };
        let in_values: Vec<bool> = (0..vars.len())
            .map(|j| selected.iter().all(|&i| ground(&rows[i][j]).is_some()))
            .collect();
        let mut variables = vec![row_var.clone()];
        variables.extend(
            vars.iter()
                .zip(&in_values)
                .filter(|(_, v)| **v)
                .map(|(var, _)| var.clone()),
        );
        let bindings = selected
            .iter()
            .map(|&i| {
                let mut row = vec![Some(GroundTerm::Literal(Literal::from(i as i64)))];
                for (j, cell) in rows[i].iter().enumerate() {
                    if in_values[j] {
                        row.push(ground(cell).flatten());
                    }
                }
                row
            })
            .collect();
        let mut table = GraphPattern::Values {
            variables,
            bindings,
        };
        for (j, var) in vars.iter().enumerate() {
            if in_values[j] {
                continue;
            }
            table = GraphPattern::Extend {
                inner: Box::new(table),
                variable: var.clone(),
                expression: Expression::FunctionCall(
                    Function::Custom(function.clone()),
                    vec![
                        Expression::Variable(row_var.clone()),
                        Expression::Literal(Literal::from(j as i64)),
                    ],
                ),
            };
        }
        let rewriter = Rewriter {
            rows: Some(table),
            vars,
            row_var: row_var.clone(),
            constants,
            single_row: only.is_some(),
        };
        let (pattern, base_iri, dataset) = rewrite_query(parsed, &rewriter, &row_var)?;
        let query = Query::Select {
            dataset,
            pattern,
            base_iri,
        };
        let table_rows = Arc::clone(&rows);
        let prepared = SparqlEvaluator::new()
            .with_custom_function(function, move |args| {
                let i = index_of(args.first())?;
                let j = index_of(args.get(1))?;
                table_rows.get(i)?.get(j)?.clone()
            })
            .for_query(query);
        Ok(self.solutions(name, prepared, |s| {
            index_of(s.get(&row_var)).into_iter().collect()
        }))
    }

    /// Runs `prepared` on the data graph and files each solution under the rows `rows_of` names
    /// (a solution shared by several rows is copied for each).
    fn solutions(
        &self,
        name: &str,
        prepared: PreparedSparqlQuery,
        rows_of: impl Fn(&QuerySolution) -> Vec<usize>,
    ) -> Result<Vec<(usize, QuerySolution)>> {
        let mut out = Vec::new();
        self.each_solution(name, prepared, |s| match rows_of(&s)[..] {
            [] => {}
            [i] => out.push((i, s)),
            ref rows => {
                let vars: Arc<[Variable]> = s.variables().into();
                for &i in rows {
                    out.push((
                        i,
                        QuerySolution::from((Arc::clone(&vars), s.values().to_vec())),
                    ));
                }
            }
        })?;
        Ok(out)
    }

    /// The rows' common columns: `$this`, `$currentShape`, `$shapesGraph`.
    fn base_row(&self, shape: &Shape, focus: &Term) -> Vec<Option<Term>> {
        vec![
            Some(focus.clone()),
            Some(shape.id.clone()),
            self.shapes_graph().map(|g| g.clone().into()),
        ]
    }

    fn query_text(shape: &Shape, query: &SparqlQuery) -> String {
        match &shape.path {
            Some(path) => query.text.replace("$PATH", &path.to_sparql().to_string()),
            None => query.text.clone(),
        }
    }

    /// Results of a SELECT query's solutions.
    #[allow(clippy::too_many_arguments)]
    fn select_results(
        &self,
        shape: &Shape,
        component: NamedNode,
        source_constraint: Option<&Term>,
        messages: &[Literal],
        focus: &[&Term],
        solutions: Vec<(usize, QuerySolution)>,
    ) -> Vec<ValidationResult> {
        solutions
            .into_iter()
            .filter(
                |(_, s)| !matches!(s.get("failure"), Some(Term::Literal(l)) if l.value() == "true"),
            )
            .filter_map(|(i, s)| {
                let focus = (*focus.get(i)?).clone();
                let value = s
                    .get("value")
                    .cloned()
                    .or_else(|| shape.path.is_none().then(|| focus.clone()));
                let result_path = match s.get("path") {
                    Some(Term::NamedNode(p)) => Some(Path::Predicate(p.clone())),
                    _ => shape.path.clone(),
                };
                let messages = match s.get("message") {
                    Some(Term::Literal(l)) => vec![l.clone()],
                    _ if !messages.is_empty() => messages.to_vec(),
                    _ => shape.messages.clone(),
                };
                Some(ValidationResult {
                    focus_node: focus,
                    result_path,
                    value,
                    source_shape: shape.id.clone(),
                    source_constraint_component: component.clone(),
                    severity: shape.severity.clone(),
                    messages,
                    source_constraint: source_constraint.cloned(),
                })
            })
            .collect()
    }

    /// An `sh:sparql` constraint.
    pub(crate) fn sparql_constraint(
        &self,
        shape: &Shape,
        node: &Term,
        query: &SparqlQuery,
        values: &ValueMap,
    ) -> Result<Vec<ValidationResult>> {
        let vars = ["this", "currentShape", "shapesGraph"].map(Variable::new_unchecked);
        // The focus nodes by reference: at 10M triples a table of rows per constraint (focus,
        // shape, shapes graph) held 0.6 GB, twice when cloned for the query.
        let focus: Vec<&Term> = values.iter().map(|(f, _)| f).collect();
        let name = format!("sh:sparql {node} of shape {}", shape.id);
        let text = Self::query_text(shape, query);
        let planned = match self.plans {
            Some(plans) => plans(self, query, &focus)?,
            None => None,
        };
        let solutions = match planned {
            Some(solutions) => solutions,
            None => {
                let rows = focus.iter().map(|f| self.base_row(shape, f)).collect();
                self.run_prebound(&name, query, &text, &vars, rows)?
            }
        };
        Ok(self.select_results(
            shape,
            sh("SPARQLConstraintComponent"),
            Some(node),
            &query.messages,
            &focus,
            solutions,
        ))
    }

    /// A SPARQL-based constraint component used by a shape.
    pub(crate) fn component_constraint(
        &self,
        shape: &Shape,
        component: &NamedNode,
        query: &SparqlQuery,
        params: &[(Variable, Term)],
        values: &ValueMap,
    ) -> Result<Vec<ValidationResult>> {
        let name = format!("{component} of shape {}", shape.id);
        let text = Self::query_text(shape, query);
        let mut vars: Vec<Variable> = ["this", "currentShape", "shapesGraph"]
            .map(Variable::new_unchecked)
            .to_vec();
        if query.ask {
            vars.push(Variable::new_unchecked("value"));
        }
        vars.extend(params.iter().map(|(v, _)| v.clone()));
        let mut rows = Vec::new();
        let mut pairs = Vec::new();
        for (f, vs) in values {
            let mut base = self.base_row(shape, f);
            if query.ask {
                for v in vs {
                    let mut row = base.clone();
                    row.push(Some(v.clone()));
                    row.extend(params.iter().map(|(_, t)| Some(t.clone())));
                    rows.push(row);
                    pairs.push((f.clone(), v.clone()));
                }
            } else {
                base.extend(params.iter().map(|(_, t)| Some(t.clone())));
                rows.push(base);
            }
        }
        let solutions = self.run_prebound(&name, query, &text, &vars, rows)?;
        let messages = query.messages.clone();
        if !query.ask {
            // One row per focus node, in the order of `values`.
            let focus: Vec<&Term> = values.iter().map(|(f, _)| f).collect();
            return Ok(self.select_results(
                shape,
                component.clone(),
                None,
                &messages,
                &focus,
                solutions,
            ));
        }
        let ok: std::collections::HashSet<usize> = solutions.into_iter().map(|(i, _)| i).collect();
        Ok(pairs
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !ok.contains(i))
            .map(|(_, (f, v))| ValidationResult {
                focus_node: f,
                result_path: shape.path.clone(),
                value: Some(v),
                source_shape: shape.id.clone(),
                source_constraint_component: component.clone(),
                severity: shape.severity.clone(),
                messages: if messages.is_empty() {
                    shape.messages.clone()
                } else {
                    messages.clone()
                },
                source_constraint: None,
            })
            .collect())
    }
}
