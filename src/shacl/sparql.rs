//! Running SPARQL-based constraints (`sh:sparql` and SPARQL-based constraint components) for a
//! set of focus nodes: the caller's plans first (see `super::ConstraintPlans`), then the query
//! with `$this` free where that answers as pre-binding does, else pre-bound by the rewriting of
//! `prebind.rs` (once for every row, or once per row for `LIMIT`/`OFFSET`), and the solutions
//! turned into validation results.

use std::collections::HashMap;
use std::sync::Arc;

use oxigraph::model::{Literal, NamedNode, Term};
use oxigraph::sparql::{PreparedSparqlQuery, QuerySolution, SparqlEvaluator, Variable};
use spargebra::algebra::{Expression, Function, GraphPattern};
use spargebra::term::GroundTerm;
use spargebra::{Query, SparqlParser};

use super::prebind::{
    index_of, only_first_column_varies, query_pattern, rewrite_query, this_safety, Rewriter,
    Unsupported, ROW_FUNCTION,
};
use super::shapes::{Shape, SparqlQuery};
use super::validator::Validator;
use super::{sh, Path, ValidationResult, ValueMap};
use crate::error::{Error, Result};

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
