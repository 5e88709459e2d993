//! Predicate scans and class extents read once per validation, interned and shared by every
//! shape that needs them.
//!
//! Reading a term out of the on-disk store costs a RocksDB lookup per IRI (about 2 µs), which is
//! what a scan of 160k endorsement records mostly spends. Several shapes look at the same
//! predicates (`ng:date` for its property shape, the `sh:or` of date properties and the planned
//! constraints; `ng:Endorsement`'s extent for two node shapes), so each predicate is scanned once
//! and kept as integer ids: a table of 1.6M records costs ~13 MB of ids, plus each distinct term
//! once in the interner.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;
use std::str::FromStr;

use oxigraph::model::vocab::xsd;
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::{
    PreparedSparqlQuery, QueryResults, QuerySolution, SparqlEvaluator, Variable,
};
use oxsdatatypes::{Date, DateTime, Decimal, Integer};

use super::validator::Validator;
use super::{query_error, RDF_TYPE};
use crate::error::Result;
use crate::intern::Names;

/// The (subject, object) pairs of a predicate as ids, sorted and distinct: 8 bytes a pair.
#[derive(Default)]
pub(crate) struct Table {
    subjects: Vec<u32>,
    objects: Vec<u32>,
}

impl Table {
    fn from_pairs(mut pairs: Vec<(u32, u32)>) -> Self {
        pairs.sort_unstable();
        pairs.dedup();
        let (subjects, objects) = pairs.into_iter().unzip();
        Self { subjects, objects }
    }

    /// The objects of subject `s`.
    pub(crate) fn get(&self, s: u32) -> &[u32] {
        let from = self.subjects.partition_point(|&x| x < s);
        let to = from + self.subjects[from..].partition_point(|&x| x == s);
        &self.objects[from..to]
    }

    /// Each subject with its objects.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &[u32])> + '_ {
        let mut i = 0;
        std::iter::from_fn(move || {
            let &s = self.subjects.get(i)?;
            let to = i + self.subjects[i..].partition_point(|&x| x == s);
            let objects = &self.objects[i..to];
            i = to;
            Some((s, objects))
        })
    }

    /// Every (subject, object) pair.
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.subjects
            .iter()
            .copied()
            .zip(self.objects.iter().copied())
    }

    /// The table of the inverse predicate.
    pub(crate) fn reversed(&self) -> Self {
        Self::from_pairs(self.pairs().map(|(s, o)| (o, s)).collect())
    }
}

/// What one validation has read so far.
#[derive(Default)]
pub(crate) struct Scans {
    pub(crate) names: Names,
    tables: HashMap<NamedNode, Rc<Table>>,
    extents: HashMap<NamedNode, Rc<Vec<u32>>>,
    /// Triples per predicate, counted once (both the scan decision and the read ask).
    counts: HashMap<NamedNode, usize>,
    /// What a constraint plan computed once per validation and keeps for the next focus chunk,
    /// by the plan's name (see [`super::ConstraintPlans`]).
    pub(crate) memo: HashMap<&'static str, Rc<dyn std::any::Any>>,
}

impl Validator<'_> {
    /// What a constraint plan computes once per validation and keeps for the next focus chunk
    /// (see [`super::ConstraintPlans`]), under `key`: computed by `compute` the first time.
    pub(crate) fn memo<T: 'static>(&self, key: &'static str, compute: impl FnOnce() -> T) -> Rc<T> {
        let kept = self.scans.borrow().memo.get(key).cloned();
        if let Some(value) = kept.and_then(|m| m.downcast::<T>().ok()) {
            return value;
        }
        let value = Rc::new(compute());
        let any: Rc<dyn std::any::Any> = Rc::clone(&value) as _;
        self.scans.borrow_mut().memo.insert(key, any);
        value
    }

    /// Runs `prepared` on the data graph (the union of the graphs where the validator says so),
    /// calling `f` with each solution: the one solution loop of validation.
    pub(crate) fn each_solution(
        &self,
        name: &str,
        mut prepared: PreparedSparqlQuery,
        mut f: impl FnMut(QuerySolution),
    ) -> Result<()> {
        if self.union {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        if let QueryResults::Solutions(solutions) = prepared
            .on_store(self.store)
            .execute()
            .map_err(|e| query_error(name, e))?
        {
            for solution in solutions {
                f(solution.map_err(|e| query_error(name, e))?);
            }
        }
        Ok(())
    }

    /// Runs a SELECT query, given as text, over the data graph, calling `f` with the values of
    /// `vars` in each solution that binds them all. The evaluator decodes only those terms,
    /// where `quads_for_pattern` decodes four per quad.
    fn select_text(&self, text: &str, vars: &[Variable], mut f: impl FnMut(&[Term])) -> Result<()> {
        let name = "SHACL scan";
        let prepared = SparqlEvaluator::new()
            .parse_query(text)
            .map_err(|e| query_error(name, e))?;
        let mut row = Vec::with_capacity(vars.len());
        self.each_solution(name, prepared, |solution| {
            row.clear();
            row.extend(vars.iter().filter_map(|v| solution.get(v).cloned()));
            if row.len() == vars.len() {
                f(&row);
            }
        })
    }

    /// Subject → objects of predicate `p` in the data graph, scanned on first use (the union
    /// graph's duplicates removed).
    pub(crate) fn table(&self, p: &NamedNode) -> Result<Rc<Table>> {
        if let Some(t) = self.scans.borrow().tables.get(p) {
            return Ok(Rc::clone(t));
        }
        let started = std::time::Instant::now();
        let by_object = self.pairs_by_object(p)?;
        let how = if by_object.is_some() {
            "by object"
        } else {
            "scan"
        };
        let pairs = match by_object {
            Some(pairs) => pairs,
            None => {
                let vars = ["s", "o"].map(Variable::new_unchecked);
                let mut pairs = Vec::new();
                let mut scans = self.scans.borrow_mut();
                self.select_text(
                    &format!("SELECT ?s ?o WHERE {{ ?s {p} ?o }}"),
                    &vars,
                    |row| {
                        let s = scans.names.id(row[0].clone());
                        let o = scans.names.id(row[1].clone());
                        pairs.push((s, o));
                    },
                )?;
                pairs
            }
        };
        if self.trace {
            eprintln!(
                "shacl: read {p} ({how}): {} pairs in {:.3}s",
                pairs.len(),
                started.elapsed().as_secs_f64()
            );
        }
        let table = Rc::new(Table::from_pairs(pairs));
        self.scans
            .borrow_mut()
            .tables
            .insert(p.clone(), Rc::clone(&table));
        Ok(table)
    }

    /// The pairs of `p` read object by object, when its objects are few and mostly IRIs (an
    /// endorsement's actor, target, status, source): a first query reads the distinct objects,
    /// a second the subjects with the object's number in a `VALUES` table, so each pair decodes
    /// its subject only (decoding an IRI is a RocksDB lookup; a number is inline). `None` when
    /// a plain scan is as good.
    fn pairs_by_object(&self, p: &NamedNode) -> Result<Option<Vec<(u32, u32)>>> {
        let count = self.count(p)?;
        if count < 1024 {
            return Ok(None);
        }
        let o = Variable::new_unchecked("o");
        let mut objects = Vec::new();
        self.select_text(
            &format!("SELECT DISTINCT ?o WHERE {{ ?s {p} ?o }}"),
            std::slice::from_ref(&o),
            |row| objects.push(row[0].clone()),
        )?;
        let iris = objects.iter().filter(|t| t.is_named_node()).count();
        if objects.len() * 8 > count
            || iris * 2 < objects.len()
            || objects.iter().any(|t| t.is_blank_node())
        {
            return Ok(None);
        }
        let mut values = String::new();
        for (k, t) in objects.iter().enumerate() {
            values.push_str(&format!("({t} {k}) "));
        }
        let ids: Vec<u32> = {
            let mut scans = self.scans.borrow_mut();
            objects.into_iter().map(|t| scans.names.id(t)).collect()
        };
        let (s, k) = (Variable::new_unchecked("s"), Variable::new_unchecked("k"));
        let mut pairs = Vec::with_capacity(count);
        let mut scans = self.scans.borrow_mut();
        self.select_text(
            &format!("SELECT ?s ?k WHERE {{ VALUES (?o ?k) {{ {values}}} ?s {p} ?o }}"),
            &[s, k],
            |row| {
                if let Term::Literal(l) = &row[1] {
                    if let Some(&o) = l.value().parse::<usize>().ok().and_then(|k| ids.get(k)) {
                        pairs.push((scans.names.id(row[0].clone()), o));
                    }
                }
            },
        )?;
        Ok(Some(pairs))
    }

    /// The subjects of `rdf:type class` (direct instances), read on first use.
    pub(crate) fn extent(&self, class: &NamedNode) -> Result<Rc<Vec<u32>>> {
        if let Some(e) = self.scans.borrow().extents.get(class) {
            return Ok(Rc::clone(e));
        }
        let s = Variable::new_unchecked("s");
        let mut ids = Vec::new();
        {
            let mut scans = self.scans.borrow_mut();
            self.select_text(
                &format!("SELECT ?s WHERE {{ ?s {RDF_TYPE} {class} }}"),
                std::slice::from_ref(&s),
                |row| ids.push(scans.names.id(row[0].clone())),
            )?;
        }
        ids.sort_unstable();
        ids.dedup();
        let ids = Rc::new(ids);
        self.scans
            .borrow_mut()
            .extents
            .insert(class.clone(), Rc::clone(&ids));
        Ok(ids)
    }

    /// Has predicate `p` been scanned?
    pub(crate) fn is_scanned(&self, p: &NamedNode) -> bool {
        self.scans.borrow().tables.contains_key(p)
    }

    /// The number of triples of predicate `p` (counted by the store's index, nothing decoded).
    pub(crate) fn count(&self, p: &NamedNode) -> Result<usize> {
        if let Some(&n) = self.scans.borrow().counts.get(p) {
            return Ok(n);
        }
        let n = Variable::new_unchecked("n");
        let mut count = usize::MAX;
        self.select_text(
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ ?s {p} ?o }}"),
            std::slice::from_ref(&n),
            |row| {
                if let Term::Literal(l) = &row[0] {
                    count = l.value().parse().unwrap_or(usize::MAX);
                }
            },
        )?;
        self.scans.borrow_mut().counts.insert(p.clone(), count);
        Ok(count)
    }

    /// The objects of `node` in `table`, as terms.
    pub(crate) fn objects_in(&self, table: &Table, node: &Term) -> Vec<Term> {
        let scans = self.scans.borrow();
        let names = &scans.names;
        names.get(node).map_or_else(Vec::new, |id| {
            table
                .get(id)
                .iter()
                .map(|&i| names.terms[i as usize].clone())
                .collect()
        })
    }

    /// The terms of ids.
    pub(crate) fn terms(&self, ids: &[u32]) -> Vec<Term> {
        let scans = self.scans.borrow();
        ids.iter()
            .map(|&i| scans.names.terms[i as usize].clone())
            .collect()
    }

    /// The instances of `class` through its subclasses (`rdf:type/rdfs:subClassOf*`): the ids of
    /// the extents of IRI classes, and the instances of blank-node classes as terms.
    pub(crate) fn instances(&self, class: &Term) -> Result<(Vec<u32>, Vec<Term>)> {
        let (mut ids, mut others) = (Vec::new(), Vec::new());
        for c in self.data.subclasses(class)? {
            match &c {
                Term::NamedNode(n) => ids.extend(self.extent(n)?.iter()),
                _ => others.extend(self.data.subjects(RDF_TYPE, &c)?),
            }
        }
        Ok((ids, others))
    }

    /// The term of an id.
    pub(crate) fn term(&self, id: u32) -> Term {
        self.scans.borrow().names.terms[id as usize].clone()
    }

    /// The id of a term, if any scan met it.
    pub(crate) fn id(&self, t: &Term) -> Option<u32> {
        self.scans.borrow().names.get(t)
    }
}

/// SPARQL's `<` / `=` / `>` between two literals of the same common datatype (`xsd:date`,
/// `xsd:dateTime`, `xsd:integer`, `xsd:decimal`, `xsd:string`), computed with the types Oxigraph
/// itself compares with. `None` for anything else (other or mixed datatypes, ill-formed values,
/// an order left indeterminate by time zones): the caller then asks SPARQL.
pub(crate) fn compare(a: &Term, b: &Term) -> Option<Ordering> {
    let (Term::Literal(a), Term::Literal(b)) = (a, b) else {
        return None;
    };
    if a.datatype() != b.datatype() {
        return None;
    }
    let (x, y) = (a.value(), b.value());
    match a.datatype() {
        d if d == xsd::DATE => Date::from_str(x)
            .ok()?
            .partial_cmp(&Date::from_str(y).ok()?),
        d if d == xsd::DATE_TIME => DateTime::from_str(x)
            .ok()?
            .partial_cmp(&DateTime::from_str(y).ok()?),
        d if d == xsd::INTEGER => Integer::from_str(x)
            .ok()?
            .partial_cmp(&Integer::from_str(y).ok()?),
        d if d == xsd::DECIMAL => Decimal::from_str(x)
            .ok()?
            .partial_cmp(&Decimal::from_str(y).ok()?),
        d if d == xsd::STRING => Some(x.cmp(y)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;

    fn lit(v: &str, dt: oxigraph::model::NamedNodeRef<'_>) -> Term {
        Literal::new_typed_literal(v, dt).into()
    }

    #[test]
    fn compares_like_sparql_or_declines() {
        let d = |v| lit(v, xsd::DATE);
        assert_eq!(
            compare(&d("2015-07-22"), &d("2016-01-01")),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&d("2015-07-22"), &d("2015-07-22")),
            Some(Ordering::Equal)
        );
        let i = |v| lit(v, xsd::INTEGER);
        // Numeric, not lexical, order.
        assert_eq!(compare(&i("10"), &i("9")), Some(Ordering::Greater));
        assert_eq!(
            compare(&lit("1.50", xsd::DECIMAL), &lit("1.5", xsd::DECIMAL)),
            Some(Ordering::Equal)
        );
        // Mixed datatypes, ill-formed values, lang strings and IRIs go to SPARQL.
        assert_eq!(compare(&i("1"), &lit("1.0", xsd::DECIMAL)), None);
        assert_eq!(compare(&d("2015-13-40"), &d("2015-01-01")), None);
        let en: Term = Literal::new_language_tagged_literal_unchecked("a", "en").into();
        assert_eq!(compare(&en, &en), None);
        let iri: Term = NamedNode::new_unchecked("http://example.org/a").into();
        assert_eq!(compare(&iri, &iri), None);
    }
}
