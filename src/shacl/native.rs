//! Native evaluation of normgraph's own join-based SPARQL constraints.
//!
//! Two constraints of `ontology/shapes.ttl` join every endorsement record with other records:
//! `ngsh:DuplicateEndorsement` (same actor, target, status and date) and
//! `ngsh:RatifiedBeforeSigned` (a ratification and a signature of the same actor and treaty).
//! Evaluated by Oxigraph, with or without pre-binding, each costs a lookup of every record of the
//! same target per record: tens of seconds at 1M triples. When a constraint's query is exactly
//! (up to white space, with `ng:` bound to the normgraph namespace) the one the shapes file ships,
//! it is answered here from one scan per predicate and a hash join; an edited query runs as SPARQL.
//! The solutions are those of the SPARQL query (unit tests compare both on the invalid fixtures
//! and on a generated graph with injected defects). Date comparisons are done on `xsd:date`
//! literals of the form `YYYY-MM-DD`; any other date term sends the whole constraint back to
//! SPARQL, whose `<` has the last word.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use oxigraph::model::vocab::xsd;
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::{QuerySolution, Variable};
use oxsdatatypes::Date;

use super::shapes::SparqlQuery;
use super::values::Validator;
use crate::error::Result;
use crate::reason::Terms as Interner;
use crate::vocab::{ng::NS as NG, ID_NS};

/// `ngsh:DuplicateEndorsement`'s query, as shipped.
pub(crate) const DUPLICATE: &str = "SELECT $this ?value WHERE {
          $this ng:actor ?a ; ng:target ?t ; ng:status ?s ; ng:date ?d .
          ?value ng:actor ?a ; ng:target ?t ; ng:status ?s ; ng:date ?d .
          FILTER(?value != $this)
        }";

/// `ngsh:RatifiedBeforeSigned`'s query, as shipped.
pub(crate) const RATIFIED_BEFORE_SIGNED: &str = "SELECT $this ?value WHERE {
          $this ng:status <https://w3id.org/normgraph/id/status/ratified> ; ng:actor ?actor ; ng:target ?treaty ; ng:date ?ratified .
          ?signature ng:actor ?actor ; ng:target ?treaty ; ng:status <https://w3id.org/normgraph/id/status/signed> ; ng:date ?value .
          FILTER(?ratified < ?value)
        }";

pub(crate) fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Clone, Copy)]
enum Native {
    Duplicate,
    RatifiedBeforeSigned,
}

fn recognise(query: &SparqlQuery) -> Option<Native> {
    if query.ask || !query.prefixes.iter().any(|(p, ns)| p == "ng" && ns == NG) {
        return None;
    }
    let text = normalized(&query.text);
    if text == normalized(DUPLICATE) {
        Some(Native::Duplicate)
    } else if text == normalized(RATIFIED_BEFORE_SIGNED) {
        Some(Native::RatifiedBeforeSigned)
    } else {
        None
    }
}

/// SPARQL's comparison of two `xsd:date` literals (`None` for anything else, an ill-formed
/// date, or an indeterminate order between dates with and without a time zone).
fn date_cmp(a: &Term, b: &Term) -> Option<Ordering> {
    let date = |t: &Term| match t {
        Term::Literal(l) if l.datatype() == xsd::DATE => Date::from_str(l.value()).ok(),
        _ => None,
    };
    date(a)?.partial_cmp(&date(b)?)
}

type Table = HashMap<u32, Vec<u32>>;

/// The endorsement records' actor, target, status and date, read once per validation and
/// shared by the native constraints.
#[derive(Default)]
pub(crate) struct Records {
    names: Interner,
    actor: Table,
    target: Table,
    status: Table,
    date: Table,
}

/// The objects of `e` in a table (none when absent).
fn get(t: &Table, e: u32) -> &[u32] {
    t.get(&e).map_or(&[], Vec::as_slice)
}

impl Validator<'_> {
    /// Subject → objects of `ng:{local}` in the data graph, interned.
    fn table(&self, names: &mut Interner, local: &str) -> Result<Table> {
        let p = NamedNode::new_unchecked(format!("{NG}{local}"));
        let mut map: Table = HashMap::new();
        // The union graph's duplicates go with the sort and dedup below.
        for (s, o) in self.pairs(&p)? {
            let s = names.id(s);
            let o = names.id(o);
            map.entry(s).or_default().push(o);
        }
        for objects in map.values_mut() {
            objects.sort_unstable();
            objects.dedup();
        }
        Ok(map)
    }

    /// The records' tables, from one scan per predicate.
    fn records(&self) -> Result<Records> {
        let mut names = Interner::default();
        Ok(Records {
            actor: self.table(&mut names, "actor")?,
            target: self.table(&mut names, "target")?,
            status: self.table(&mut names, "status")?,
            date: self.table(&mut names, "date")?,
            names,
        })
    }

    /// The solutions of `query` for the focus nodes of `rows` (`$this` first), computed natively,
    /// or `None` when the query is not one of the shipped constraints (or its data needs SPARQL).
    pub(crate) fn native_constraint(
        &self,
        query: &SparqlQuery,
        rows: &[Vec<Option<Term>>],
    ) -> Result<Option<Vec<(usize, QuerySolution)>>> {
        if !self.tuning.native {
            return Ok(None);
        }
        let Some(which) = recognise(query) else {
            return Ok(None);
        };
        let mut cache = self.records.borrow_mut();
        if cache.is_none() {
            *cache = Some(self.records()?);
        }
        let Records {
            names,
            actor,
            target,
            status,
            date,
        } = &*cache.get_or_insert_with(Records::default);
        let mut focus: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            if let Some(Some(t)) = row.first() {
                if let Some(&id) = names.ids.get(t) {
                    focus.entry(id).or_default().push(i);
                }
            }
        }
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        match which {
            Native::Duplicate => {
                let mut groups: HashMap<[u32; 4], Vec<u32>> = HashMap::new();
                for (&e, ds) in date {
                    for &a in get(actor, e) {
                        for &t in get(target, e) {
                            for &s in get(status, e) {
                                for &d in ds {
                                    groups.entry([a, t, s, d]).or_default().push(e);
                                }
                            }
                        }
                    }
                }
                for records in groups.values().filter(|r| r.len() > 1) {
                    for &this in records.iter().filter(|r| focus.contains_key(r)) {
                        for &value in records.iter().filter(|&&v| v != this) {
                            pairs.push((this, value));
                        }
                    }
                }
            }
            Native::RatifiedBeforeSigned => {
                let id_of = |local: &str| {
                    names
                        .ids
                        .get(&Term::from(NamedNode::new_unchecked(format!(
                            "{ID_NS}status/{local}"
                        ))))
                        .copied()
                };
                let (Some(ratified), Some(signed)) = (id_of("ratified"), id_of("signed")) else {
                    return Ok(Some(Vec::new()));
                };
                // (actor, treaty) → dates of the signatures.
                let mut signatures: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
                for (&e, ds) in date {
                    if !get(status, e).contains(&signed) {
                        continue;
                    }
                    for &a in get(actor, e) {
                        for &t in get(target, e) {
                            signatures.entry((a, t)).or_default().extend(ds);
                        }
                    }
                }
                for &this in focus.keys() {
                    if !get(status, this).contains(&ratified) {
                        continue;
                    }
                    for &a in get(actor, this) {
                        for &t in get(target, this) {
                            let Some(signed_on) = signatures.get(&(a, t)) else {
                                continue;
                            };
                            for &r in get(date, this) {
                                for &s in signed_on {
                                    let (rt, st) =
                                        (&names.terms[r as usize], &names.terms[s as usize]);
                                    match date_cmp(rt, st) {
                                        Some(Ordering::Less) => pairs.push((this, s)),
                                        Some(_) => {}
                                        None => return Ok(None),
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let variables: Arc<[Variable]> = vec![
            Variable::new_unchecked("this"),
            Variable::new_unchecked("value"),
        ]
        .into();
        let mut out = Vec::new();
        for (this, value) in pairs {
            for &i in &focus[&this] {
                let values = vec![
                    Some(names.terms[this as usize].clone()),
                    Some(names.terms[value as usize].clone()),
                ];
                out.push((i, QuerySolution::from((Arc::clone(&variables), values))));
            }
        }
        Ok(Some(out))
    }
}
