//! Binding query parameters as RDF terms, in the parsed algebra (never in the query text).
//!
//! Oxigraph's `substitute_variable` only binds variables of the SELECT projection; parameters of
//! the named queries usually are not projected, and may occur in subqueries, FILTERs and EXISTS.
//! [`substitute`] replaces every occurrence of the variable in the query's algebra by the term
//! (the pre-binding of SHACL-SPARQL), so a value can never change the query's structure.

use oxigraph::model::{Literal, Term, Variable};
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::{NamedNodePattern, TermPattern, TriplePattern};
use spargebra::Query;

/// Replaces `variable` by `term` throughout `query` (patterns, expressions, subqueries, EXISTS).
///
/// Returns `false` when the variable occurs nowhere in the query.
pub fn substitute(query: &mut Query, variable: &Variable, term: &Term) -> bool {
    let mut s = Substitution {
        variable,
        term,
        found: false,
    };
    match query {
        Query::Select { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => s.pattern(pattern),
        Query::Construct {
            template, pattern, ..
        } => {
            for t in template.iter_mut() {
                s.triple(t);
            }
            s.pattern(pattern)
        }
    }
    s.found
}

struct Substitution<'a> {
    variable: &'a Variable,
    term: &'a Term,
    found: bool,
}

impl Substitution<'_> {
    fn term_pattern(&mut self, t: &mut TermPattern) {
        if matches!(t, TermPattern::Variable(v) if v == self.variable) {
            self.found = true;
            *t = match self.term.clone() {
                Term::NamedNode(n) => TermPattern::NamedNode(n),
                Term::Literal(l) => TermPattern::Literal(l),
                Term::BlankNode(b) => TermPattern::BlankNode(b),
                #[allow(unreachable_patterns)]
                _ => return,
            };
        }
    }

    fn named_node_pattern(&mut self, t: &mut NamedNodePattern) {
        if let (NamedNodePattern::Variable(v), Term::NamedNode(n)) = (&*t, self.term) {
            if v == self.variable {
                self.found = true;
                *t = NamedNodePattern::NamedNode(n.clone());
            }
        }
    }

    fn triple(&mut self, t: &mut TriplePattern) {
        self.term_pattern(&mut t.subject);
        self.named_node_pattern(&mut t.predicate);
        self.term_pattern(&mut t.object);
    }

    fn pattern(&mut self, p: &mut GraphPattern) {
        match p {
            GraphPattern::Bgp { patterns } => patterns.iter_mut().for_each(|t| self.triple(t)),
            GraphPattern::Path {
                subject, object, ..
            } => {
                self.term_pattern(subject);
                self.term_pattern(object);
            }
            GraphPattern::Join { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right } => {
                self.pattern(left);
                self.pattern(right);
            }
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => {
                self.pattern(left);
                self.pattern(right);
                if let Some(e) = expression {
                    self.expression(e);
                }
            }
            GraphPattern::Filter { expr, inner } => {
                self.expression(expr);
                self.pattern(inner);
            }
            GraphPattern::Graph { name, inner } | GraphPattern::Service { name, inner, .. } => {
                self.named_node_pattern(name);
                self.pattern(inner);
            }
            GraphPattern::Extend {
                inner, expression, ..
            } => {
                self.pattern(inner);
                self.expression(expression);
            }
            GraphPattern::OrderBy { inner, expression } => {
                self.pattern(inner);
                for e in expression {
                    match e {
                        OrderExpression::Asc(e) | OrderExpression::Desc(e) => self.expression(e),
                    }
                }
            }
            GraphPattern::Group {
                inner, aggregates, ..
            } => {
                self.pattern(inner);
                for (_, a) in aggregates {
                    if let AggregateExpression::FunctionCall { expr, .. } = a {
                        self.expression(expr);
                    }
                }
            }
            GraphPattern::Project { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. } => self.pattern(inner),
            GraphPattern::Values { .. } => {}
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }

    fn expression(&mut self, e: &mut Expression) {
        match e {
            Expression::Variable(v) if v == self.variable => {
                self.found = true;
                *e = match self.term.clone() {
                    Term::NamedNode(n) => Expression::NamedNode(n),
                    Term::Literal(l) => Expression::Literal(l),
                    // A blank node has no expression form; parameters are never blank nodes.
                    _ => return,
                };
            }
            Expression::Bound(v) if v == self.variable => {
                self.found = true;
                *e = Expression::Literal(Literal::from(true));
            }
            Expression::Or(a, b)
            | Expression::And(a, b)
            | Expression::Equal(a, b)
            | Expression::SameTerm(a, b)
            | Expression::Greater(a, b)
            | Expression::GreaterOrEqual(a, b)
            | Expression::Less(a, b)
            | Expression::LessOrEqual(a, b)
            | Expression::Add(a, b)
            | Expression::Subtract(a, b)
            | Expression::Multiply(a, b)
            | Expression::Divide(a, b) => {
                self.expression(a);
                self.expression(b);
            }
            Expression::In(a, list) => {
                self.expression(a);
                list.iter_mut().for_each(|x| self.expression(x));
            }
            Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
                self.expression(a)
            }
            Expression::Exists(p) => self.pattern(p),
            Expression::If(a, b, c) => {
                self.expression(a);
                self.expression(b);
                self.expression(c);
            }
            Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
                list.iter_mut().for_each(|x| self.expression(x));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNode;

    #[test]
    fn substitutes_everywhere_including_subqueries_and_exists() {
        let mut q = spargebra::SparqlParser::new()
            .parse_query(
                "SELECT ?x WHERE { ?x <http://p> ?n . { SELECT ?y WHERE { ?y <http://q> ?n } } FILTER NOT EXISTS { ?n <http://r> ?z } FILTER(BOUND(?n) && ?n != <http://a>) }",
            )
            .unwrap();
        let n = Variable::new_unchecked("n");
        assert!(substitute(
            &mut q,
            &n,
            &NamedNode::new_unchecked("http://v").into()
        ));
        let text = q.to_string();
        assert!(!text.contains("?n"), "{text}");
        assert_eq!(text.matches("<http://v>").count(), 4, "{text}");
    }

    #[test]
    fn reports_a_missing_variable() {
        let mut q = spargebra::SparqlParser::new()
            .parse_query("SELECT * WHERE { ?a ?b ?c }")
            .unwrap();
        assert!(!substitute(
            &mut q,
            &Variable::new_unchecked("zz"),
            &Literal::from(1).into()
        ));
    }
}
