//! Plans for normgraph's own SHACL-SPARQL constraints (the registry is [`super::PLANS`]).
//!
//! The constraints of `ontology/shapes.ttl` on endorsement records join every record with its
//! actor, target, status and dates, and two of them with other records (`ngsh:DuplicateEndorsement`,
//! `ngsh:RatifiedBeforeSigned`). Evaluated by Oxigraph, each costs a pass over all records with
//! an index lookup per record and join: seconds per constraint at 1M triples, tens of minutes at
//! 10M for the self-joins. The validation hands each `sh:sparql` constraint to
//! [`super::constraint`]; when the registry matches its query, it is answered here from the
//! validation's shared predicate scans and hash lookups; an edited query runs as SPARQL. The
//! solutions are those of the SPARQL query (the registry's test compares both on the invalid
//! fixtures and on a generated graph with injected defects of every kind). Comparisons are done
//! natively only on literals of the common datatypes (`shacl::compare`); any other term sends the
//! whole constraint back to SPARQL, which has the last word.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use oxigraph::model::{Literal, NamedNode, Term};
use oxigraph::sparql::{QuerySolution, SparqlEvaluator, Variable};
use oxsdatatypes::Integer;

use crate::error::Result;
use crate::shacl::{compare, query_error, Table, Validator, RDF_TYPE};
use crate::vocab::{ng::NS as NG, ns::DCTERMS, ID_NS};

/// `DuplicateEndorsement`'s groups of two or more records, kept in the validation's memo for the
/// next focus chunk.
const DUPLICATE_GROUPS: &str = "DuplicateEndorsement groups";
/// `RatifiedBeforeSigned`'s (actor, treaty) → signature dates, kept likewise.
const SIGNATURES: &str = "RatifiedBeforeSigned signatures";
/// (actor, treaty) → the dates of that actor's signatures of that treaty.
type Signatures = HashMap<(u32, u32), Vec<u32>>;

/// The shipped constraints with a plan (each is one entry of [`super::PLANS`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Native {
    Duplicate,
    RatifiedBeforeSigned,
    FormalActBeforeInstrument,
    BeforeInstrument,
    AfterActorDissolved,
    StatusDoesNotFitTarget,
    StatusDoesNotFitActor,
    FutureDate,
    VoteTally,
}

/// Statuses that are formal acts on an instrument (`FormalActBeforeInstrument`).
const FORMAL: [&str; 6] = [
    "signed",
    "ratified",
    "acceded",
    "voted-for",
    "voted-against",
    "abstained",
];
/// Votes (`StatusDoesNotFitActor`, `VoteTally`).
const VOTES: [&str; 3] = ["voted-for", "voted-against", "abstained"];
/// Treaty acts open to states and intergovernmental organizations (`StatusDoesNotFitActor`).
const TREATY_ACTS: [&str; 4] = ["signed", "ratified", "acceded", "denounced"];

fn ng(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{NG}{local}"))
}

/// Objects of one predicate per node, looked up once per node.
struct Lookup<'v, 'a> {
    validator: &'v Validator<'a>,
    predicate: NamedNode,
    memo: HashMap<u32, Vec<Term>>,
}

impl<'v, 'a> Lookup<'v, 'a> {
    fn new(validator: &'v Validator<'a>, predicate: NamedNode) -> Self {
        Self {
            validator,
            predicate,
            memo: HashMap::new(),
        }
    }

    fn get(&mut self, id: u32) -> Result<&[Term]> {
        if !self.memo.contains_key(&id) {
            let node = self.validator.term(id);
            let objects = self
                .validator
                .data
                .objects(&node, self.predicate.as_ref())?;
            self.memo.insert(id, objects);
        }
        Ok(&self.memo[&id])
    }
}

/// Adds `(this, v)` for each of `values` that `d` compares to as `want` (`Less`: `d < v`);
/// `None` when a comparison is SPARQL's to make.
fn compare_each(
    pairs: &mut Vec<(u32, Term)>,
    this: u32,
    d: &Term,
    values: &[Term],
    want: Ordering,
) -> Option<()> {
    for v in values {
        if compare(d, v)? == want {
            pairs.push((this, v.clone()));
        }
    }
    Some(())
}

/// The four tables of a record the self-joins read.
#[derive(Clone, Copy)]
struct Records<'t> {
    actor: &'t Table,
    target: &'t Table,
    status: &'t Table,
    date: &'t Table,
}

/// `(focus id, value)` solutions, or `None` when the data needs SPARQL.
type Pairs = Option<Vec<(u32, Term)>>;

impl Validator<'_> {
    /// The id of status `id/status/{local}` (`None` when no scanned record has it).
    fn status_id(&self, local: &str) -> Option<u32> {
        self.id(&NamedNode::new_unchecked(format!("{ID_NS}status/{local}")).into())
    }

    fn status_ids(&self, locals: &[&str]) -> HashSet<u32> {
        locals.iter().filter_map(|l| self.status_id(l)).collect()
    }

    /// The solutions of constraint `which` for the `focus` nodes (solution `i` for `focus[i]` as
    /// `$this`), or `None` when its data needs SPARQL.
    pub(crate) fn planned_constraint(
        &self,
        which: Native,
        focus_nodes: &[&Term],
    ) -> Result<Option<Vec<(usize, QuerySolution)>>> {
        // Every table a constraint reads is scanned before the focus nodes are mapped to ids: a
        // focus node no scan met is in no record, and has no solutions.
        let locals: &[&str] = match which {
            Native::Duplicate | Native::RatifiedBeforeSigned => {
                &["actor", "target", "status", "date"]
            }
            Native::FormalActBeforeInstrument | Native::BeforeInstrument => {
                &["status", "target", "date"]
            }
            Native::AfterActorDissolved => &["actor", "date"],
            Native::StatusDoesNotFitTarget => &["status", "target"],
            Native::StatusDoesNotFitActor => &["status", "actor"],
            Native::FutureDate => &["date", "startDate", "notAfter"],
            Native::VoteTally => &["target", "status", "actor"],
        };
        let mut tables: HashMap<&str, std::rc::Rc<Table>> = HashMap::new();
        for &l in locals {
            tables.insert(l, self.table(&ng(l))?);
        }
        // (id, index in `focus_nodes`), sorted: no map entry per focus node on this hot path.
        let mut focus: Vec<(u32, usize)> = {
            let scans = self.scans.borrow();
            focus_nodes
                .iter()
                .enumerate()
                .filter_map(|(i, t)| Some((scans.names.get(t)?, i)))
                .collect()
        };
        focus.sort_unstable();
        let mut ids: Vec<u32> = focus.iter().map(|&(id, _)| id).collect();
        ids.dedup();
        let t = |l: &str| &*tables[l];
        let records = || Records {
            actor: t("actor"),
            target: t("target"),
            status: t("status"),
            date: t("date"),
        };
        let pairs = match which {
            Native::Duplicate => self.duplicates(&ids, records()),
            Native::RatifiedBeforeSigned => self.ratified_before_signed(&ids, records())?,
            Native::FormalActBeforeInstrument | Native::BeforeInstrument => self
                .before_instrument(
                    &ids,
                    which == Native::FormalActBeforeInstrument,
                    t("status"),
                    t("target"),
                    t("date"),
                )?,
            Native::AfterActorDissolved => self.after_dissolved(&ids, t("actor"), t("date"))?,
            Native::StatusDoesNotFitTarget => self.status_target(&ids, t("status"), t("target"))?,
            Native::StatusDoesNotFitActor => self.status_actor(&ids, t("status"), t("actor"))?,
            Native::FutureDate => self.future(&ids, [t("date"), t("startDate"), t("notAfter")])?,
            Native::VoteTally => self.vote_tally(&ids, t("target"), t("status"), t("actor"))?,
        };
        let Some(pairs) = pairs else {
            return Ok(None);
        };
        let variables: Arc<[Variable]> = vec![
            Variable::new_unchecked("this"),
            Variable::new_unchecked("value"),
        ]
        .into();
        let mut out = Vec::new();
        for (this, value) in pairs {
            let this_term = self.term(this);
            let from = focus.partition_point(|&(id, _)| id < this);
            for &(_, i) in focus[from..].iter().take_while(|&&(id, _)| id == this) {
                let values = vec![Some(this_term.clone()), Some(value.clone())];
                out.push((i, QuerySolution::from((Arc::clone(&variables), values))));
            }
        }
        Ok(Some(out))
    }

    /// `DuplicateEndorsement`: records sharing actor, target, status and date.
    fn duplicates(&self, ids: &[u32], records: Records<'_>) -> Pairs {
        let Records {
            actor,
            target,
            status,
            date,
        } = records;
        // Grouped once per validation (focus nodes come in chunks); `ids` is sorted.
        let groups: Rc<Vec<Vec<u32>>> = self.memo(DUPLICATE_GROUPS, || {
            let mut by_key: HashMap<[u32; 4], Vec<u32>> = HashMap::new();
            for (e, ds) in date.iter() {
                for &a in actor.get(e) {
                    for &t in target.get(e) {
                        for &s in status.get(e) {
                            for &d in ds {
                                by_key.entry([a, t, s, d]).or_default().push(e);
                            }
                        }
                    }
                }
            }
            by_key.into_values().filter(|r| r.len() > 1).collect()
        });
        let mut pairs = Vec::new();
        for records in groups.iter() {
            for &this in records.iter().filter(|r| ids.binary_search(r).is_ok()) {
                for &value in records.iter().filter(|&&v| v != this) {
                    pairs.push((this, self.term(value)));
                }
            }
        }
        Some(pairs)
    }

    /// `RatifiedBeforeSigned`: a ratification dated before a signature of the same actor and
    /// treaty.
    fn ratified_before_signed(&self, ids: &[u32], records: Records<'_>) -> Result<Pairs> {
        let Records {
            actor,
            target,
            status,
            date,
        } = records;
        let (Some(ratified), Some(signed)) = (self.status_id("ratified"), self.status_id("signed"))
        else {
            return Ok(Some(Vec::new()));
        };
        // (actor, treaty) → dates of the signatures, once per validation.
        let signatures: Rc<Signatures> = self.memo(SIGNATURES, || {
            let mut map = Signatures::new();
            for (e, ds) in date.iter() {
                if !status.get(e).contains(&signed) {
                    continue;
                }
                for &a in actor.get(e) {
                    for &t in target.get(e) {
                        map.entry((a, t)).or_default().extend(ds);
                    }
                }
            }
            map
        });
        let scans = self.scans.borrow();
        let term = |i: u32| &scans.names.terms[i as usize];
        let mut pairs = Vec::new();
        for &this in ids {
            if !status.get(this).contains(&ratified) {
                continue;
            }
            for &a in actor.get(this) {
                for &t in target.get(this) {
                    let Some(signed_on) = signatures.get(&(a, t)) else {
                        continue;
                    };
                    for &r in date.get(this) {
                        for &s in signed_on {
                            match compare(term(r), term(s)) {
                                Some(Ordering::Less) => pairs.push((this, term(s).clone())),
                                Some(_) => {}
                                None => return Ok(None),
                            }
                        }
                    }
                }
            }
        }
        Ok(Some(pairs))
    }

    /// `FormalActBeforeInstrument` (`formal`) and `BeforeInstrument`: a record dated before its
    /// target's `dcterms:date`, for formal-act statuses or for the others (proposals aside).
    fn before_instrument(
        &self,
        ids: &[u32],
        formal: bool,
        status: &Table,
        target: &Table,
        date: &Table,
    ) -> Result<Pairs> {
        let acts = self.status_ids(&FORMAL);
        let mut excluded = acts.clone();
        excluded.extend(self.status_ids(&["proposed", "sponsored"]));
        let mut dates = Lookup::new(self, NamedNode::new_unchecked(format!("{DCTERMS}date")));
        let mut pairs = Vec::new();
        for &this in ids {
            for &s in status.get(this) {
                let keep = if formal {
                    acts.contains(&s)
                } else {
                    !excluded.contains(&s)
                };
                if !keep {
                    continue;
                }
                for &t in target.get(this) {
                    let instrument_dates = dates.get(t)?;
                    for &d in date.get(this) {
                        let d = self.term(d);
                        if compare_each(&mut pairs, this, &d, instrument_dates, Ordering::Less)
                            .is_none()
                        {
                            return Ok(None);
                        }
                    }
                }
            }
        }
        Ok(Some(pairs))
    }

    /// `AfterActorDissolved`: a record dated after its actor's `ng:dissolved`.
    fn after_dissolved(&self, ids: &[u32], actor: &Table, date: &Table) -> Result<Pairs> {
        let mut dissolved = Lookup::new(self, ng("dissolved"));
        let mut pairs = Vec::new();
        for &this in ids {
            for &a in actor.get(this) {
                let ends = dissolved.get(a)?;
                if ends.is_empty() {
                    continue;
                }
                for &d in date.get(this) {
                    let d = self.term(d);
                    if compare_each(&mut pairs, this, &d, ends, Ordering::Greater).is_none() {
                        return Ok(None);
                    }
                }
            }
        }
        Ok(Some(pairs))
    }

    /// `StatusDoesNotFitTarget`: no class the status `ng:appliesTo` is a type of the target.
    fn status_target(&self, ids: &[u32], status: &Table, target: &Table) -> Result<Pairs> {
        let mut applies = Lookup::new(self, ng("appliesTo"));
        let mut types = Lookup::new(self, RDF_TYPE.into_owned());
        let mut fits: HashMap<(u32, u32), bool> = HashMap::new();
        let mut pairs = Vec::new();
        for &this in ids {
            for &s in status.get(this) {
                for &t in target.get(this) {
                    let ok = match fits.get(&(s, t)) {
                        Some(&ok) => ok,
                        None => {
                            let classes = applies.get(s)?.to_vec();
                            let of_target = types.get(t)?;
                            let ok = classes.iter().any(|c| of_target.contains(c));
                            fits.insert((s, t), ok);
                            ok
                        }
                    };
                    if !ok {
                        pairs.push((this, self.term(s)));
                    }
                }
            }
        }
        Ok(Some(pairs))
    }

    /// `StatusDoesNotFitActor`: votes by a non-state, treaty acts by neither a state nor an
    /// intergovernmental organization.
    fn status_actor(&self, ids: &[u32], status: &Table, actor: &Table) -> Result<Pairs> {
        let votes = self.status_ids(&VOTES);
        let acts = self.status_ids(&TREATY_ACTS);
        let (state, igo) = (
            Term::from(ng("State")),
            Term::from(ng("IntergovernmentalOrganization")),
        );
        let mut types = Lookup::new(self, RDF_TYPE.into_owned());
        let mut pairs = Vec::new();
        for &this in ids {
            for &s in status.get(this) {
                if !votes.contains(&s) && !acts.contains(&s) {
                    continue;
                }
                for &a in actor.get(this) {
                    let of_actor = types.get(a)?;
                    let is_state = of_actor.contains(&state);
                    let fails = (votes.contains(&s) && !is_state)
                        || (acts.contains(&s) && !is_state && !of_actor.contains(&igo));
                    if fails {
                        pairs.push((this, self.term(a)));
                    }
                }
            }
        }
        Ok(Some(pairs))
    }

    /// `FutureDate`: `STR(?value) > SUBSTR(STR(NOW()), 1, 10)` for the three date properties,
    /// with today's date taken from the SPARQL evaluator itself.
    fn future(&self, ids: &[u32], tables: [&Table; 3]) -> Result<Pairs> {
        let name = "SHACL today";
        let prepared = SparqlEvaluator::new()
            .parse_query("SELECT (SUBSTR(STR(NOW()), 1, 10) AS ?d) WHERE {}")
            .map_err(|e| query_error(name, e))?;
        let mut today = None;
        self.each_solution(name, prepared, |s| {
            if let Some(Term::Literal(l)) = s.get("d") {
                today = Some(l.value().to_owned());
            }
        })?;
        let Some(today) = today else {
            return Ok(None);
        };
        let scans = self.scans.borrow();
        let mut pairs = Vec::new();
        for &this in ids {
            for table in tables {
                for &v in table.get(this) {
                    let value = &scans.names.terms[v as usize];
                    let text = match value {
                        Term::Literal(l) => l.value(),
                        Term::NamedNode(n) => n.as_str(),
                        Term::BlankNode(_) => continue,
                    };
                    if text > today.as_str() {
                        pairs.push((this, value.clone()));
                    }
                }
            }
        }
        Ok(Some(pairs))
    }

    /// `VoteTally`: for resolutions with recorded votes, each tally against the number of
    /// distinct actors recorded with that vote.
    fn vote_tally(
        &self,
        ids: &[u32],
        target: &Table,
        status: &Table,
        actor: &Table,
    ) -> Result<Pairs> {
        let focus: HashSet<u32> = ids.iter().copied().collect();
        let mut records: HashMap<u32, Vec<u32>> = HashMap::new();
        for (e, ts) in target.iter() {
            for t in ts {
                if focus.contains(t) {
                    records.entry(*t).or_default().push(e);
                }
            }
        }
        let votes = self.status_ids(&VOTES);
        let branches = [
            ("votes for", "votesFor", "voted-for"),
            ("votes against", "votesAgainst", "voted-against"),
            ("abstentions", "abstentions", "abstained"),
        ];
        let mut pairs = Vec::new();
        for &this in ids {
            let Some(rs) = records.get(&this) else {
                continue;
            };
            if !rs
                .iter()
                .any(|&e| status.get(e).iter().any(|s| votes.contains(s)))
            {
                continue;
            }
            let node = self.term(this);
            for (kind, predicate, vote) in branches {
                let tallies = self.data.objects(&node, ng(predicate).as_ref())?;
                if tallies.is_empty() {
                    continue;
                }
                let recorded = match self.status_id(vote) {
                    Some(v) => rs
                        .iter()
                        .filter(|&&e| status.get(e).contains(&v))
                        .flat_map(|&e| actor.get(e).iter().copied())
                        .collect::<HashSet<u32>>()
                        .len(),
                    None => 0,
                };
                for tally in tallies {
                    let Term::Literal(l) = &tally else {
                        return Ok(None);
                    };
                    if l.datatype() != oxigraph::model::vocab::xsd::INTEGER {
                        return Ok(None);
                    }
                    let Ok(n) = l.value().parse::<Integer>() else {
                        return Ok(None);
                    };
                    if n != Integer::from(recorded as i64) {
                        let text = format!("{kind}: tally {}, recorded {recorded}", l.value());
                        pairs.push((this, Literal::new_simple_literal(text).into()));
                    }
                }
            }
        }
        Ok(Some(pairs))
    }
}
