//! The heavy analyses computed in Rust over the store's indexes, with the results of their SPARQL
//! definitions in `queries/`.
//!
//! Oxigraph's evaluator takes seconds to minutes for these queries on a 1M-triple graph (multi-way
//! joins over the union of all graphs). [`run_native`] answers the named queries
//! `who-backs-norm`, `norms-backed-by`, `common-ground`, `alignment-matrix` and `contested-norms`
//! (and [`contradictions`]) by index lookups instead, while their query files are the ones built
//! into the binary; an edited query file runs as SPARQL. `tests/analysis.rs` checks that both give
//! the same rows on `tests/fixtures/dataset.trig` and on a generated graph. The order of the values
//! inside a `GROUP_CONCAT` is unspecified in SPARQL; here it is the sorted order.
//!
//! Every pattern reads the union of the store's graphs (the query's default graph), each triple
//! once however many graphs hold it.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use oxigraph::model::{Literal, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef, Variable};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use oxsdatatypes::Decimal;

use crate::error::{Error, Result};
use crate::query::{Answer, NamedQuery};
use crate::store::KnowledgeGraph;

const NG: &str = "https://w3id.org/normgraph/ontology#";
const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const SKOS_PREF_LABEL: &str = "http://www.w3.org/2004/02/skos/core#prefLabel";
const PROV_SOURCE: &str = "http://www.w3.org/ns/prov#hadPrimarySource";
const FOAF_PAGE: &str = "http://xmlns.com/foaf/0.1/page";
const ORG_MEMBER_OF: &str = "http://www.w3.org/ns/org#memberOf";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Predicates of the shared nodes (statuses, actors, sources, norms) whose lookups are memoised.
const MEMO_PREDICATES: &[&str] = &[
    "https://w3id.org/normgraph/ontology#polarity",
    "https://w3id.org/normgraph/ontology#strength",
    "https://w3id.org/normgraph/ontology#ends",
    "https://w3id.org/normgraph/ontology#articulatedIn",
    SKOS_PREF_LABEL,
    RDFS_LABEL,
    FOAF_PAGE,
];

const NATIVE: &[(&str, &str)] = &[
    (
        "who-backs-norm",
        include_str!("../queries/who-backs-norm.rq"),
    ),
    (
        "norms-backed-by",
        include_str!("../queries/norms-backed-by.rq"),
    ),
    ("common-ground", include_str!("../queries/common-ground.rq")),
    (
        "alignment-matrix",
        include_str!("../queries/alignment-matrix.rq"),
    ),
    (
        "contested-norms",
        include_str!("../queries/contested-norms.rq"),
    ),
];

/// Is this named query one that [`run_native`] answers (same name, same text as built in)?
pub fn is_native(query: &NamedQuery) -> bool {
    NATIVE
        .iter()
        .any(|(name, text)| *name == query.name && *text == query.text)
}

/// Reads of the union graph. Objects looked up once are kept for the query: the statuses,
/// actors, sources and norms shared by many records cost one store lookup each, not one per
/// record.
struct Union<'a> {
    store: &'a Store,
    memo: std::cell::RefCell<HashMap<(Term, &'static str), Vec<Term>>>,
}

impl<'a> Union<'a> {
    fn new(store: &'a Store) -> Self {
        Self {
            store,
            memo: Default::default(),
        }
    }
}

fn ng(local: &str) -> String {
    format!("{NG}{local}")
}

impl Union<'_> {
    fn objects(&self, s: NamedOrBlankNodeRef<'_>, p: &str) -> Result<Vec<Term>> {
        let p = NamedNodeRef::new_unchecked(p);
        let mut out = Vec::new();
        for q in self.store.quads_for_pattern(Some(s), Some(p), None, None) {
            out.push(q?.object);
        }
        out.sort_unstable_by(cmp_terms);
        out.dedup();
        Ok(out)
    }

    fn objects_of(&self, s: &Term, p: &str) -> Result<Vec<Term>> {
        // Predicates are the constants of this module: leak-free 'static keys via a small table.
        let key_p: Option<&'static str> = MEMO_PREDICATES.iter().copied().find(|k| *k == p);
        if let Some(kp) = key_p {
            if let Some(v) = self.memo.borrow().get(&(s.clone(), kp)) {
                return Ok(v.clone());
            }
        }
        let v = match s {
            Term::NamedNode(n) => self.objects(n.as_ref().into(), p)?,
            Term::BlankNode(b) => self.objects(b.as_ref().into(), p)?,
            _ => Vec::new(),
        };
        if let Some(kp) = key_p {
            self.memo.borrow_mut().insert((s.clone(), kp), v.clone());
        }
        Ok(v)
    }

    fn subjects(&self, p: &str, o: TermRef<'_>) -> Result<Vec<Term>> {
        let p = NamedNodeRef::new_unchecked(p);
        let mut out = Vec::new();
        for q in self.store.quads_for_pattern(None, Some(p), Some(o), None) {
            out.push(Term::from(q?.subject));
        }
        out.sort_unstable_by(cmp_terms);
        out.dedup();
        Ok(out)
    }

    fn has(&self, s: &Term, p: &str, o: &Term) -> Result<bool> {
        if MEMO_PREDICATES.contains(&p) {
            return Ok(self.objects_of(s, p)?.contains(o));
        }
        let subject = match s {
            Term::NamedNode(n) => NamedOrBlankNodeRef::from(n.as_ref()),
            Term::BlankNode(b) => b.as_ref().into(),
            _ => return Ok(false),
        };
        let p = NamedNodeRef::new_unchecked(p);
        Ok(self
            .store
            .quads_for_pattern(Some(subject), Some(p), Some(o.as_ref()), None)
            .next()
            .transpose()?
            .is_some())
    }

    /// All (subject, object) pairs of a predicate, each once.
    fn pairs(&self, p: &str) -> Result<Vec<(Term, Term)>> {
        let p = NamedNodeRef::new_unchecked(p);
        let mut out = Vec::new();
        for q in self.store.quads_for_pattern(None, Some(p), None, None) {
            let q = q?;
            out.push((Term::from(q.subject), q.object));
        }
        out.sort_unstable_by(|a, b| cmp_terms(&a.0, &b.0).then_with(|| cmp_terms(&a.1, &b.1)));
        out.dedup();
        Ok(out)
    }

    /// Labels that pass `LANG(?l) = "en" || LANG(?l) = ""`.
    fn labels(&self, s: &Term, p: &str) -> Result<Vec<Term>> {
        Ok(self
            .objects_of(s, p)?
            .into_iter()
            .filter(|t| matches!(t, Term::Literal(l) if matches!(l.language(), None | Some("en"))))
            .collect())
    }
}

/// The order of the terms' N-Triples forms (literals, then IRIs, then blank nodes), without
/// writing the forms out in the common cases (sorting thousands of records did, per comparison).
fn cmp_terms(a: &Term, b: &Term) -> Ordering {
    fn rank(t: &Term) -> u8 {
        match t {
            Term::Literal(_) => 0,
            Term::NamedNode(_) => 1,
            Term::BlankNode(_) => 2,
        }
    }
    match (a, b) {
        // `<x>` against `<y>` is `x` against `y` unless one is a prefix of the other (then the
        // closing `>` takes part).
        (Term::NamedNode(x), Term::NamedNode(y))
            if !x.as_str().starts_with(y.as_str()) && !y.as_str().starts_with(x.as_str()) =>
        {
            x.as_str().cmp(y.as_str())
        }
        (Term::BlankNode(x), Term::BlankNode(y)) => x.as_str().cmp(y.as_str()),
        _ if rank(a) != rank(b) => rank(a).cmp(&rank(b)),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

fn int(n: usize) -> Term {
    Literal::from(n as i64).into()
}

fn one() -> Term {
    Literal::new_typed_literal("1", NamedNodeRef::new_unchecked(&format!("{XSD}integer"))).into()
}

fn true_lit() -> Term {
    Literal::from(true).into()
}

/// SPARQL comparison of two dates (`xsd:date` lexical forms), `None` when not comparable.
fn cmp_dates(a: &Term, b: &Term) -> Option<Ordering> {
    match (a, b) {
        (Term::Literal(a), Term::Literal(b))
            if a.datatype() == b.datatype() && a.datatype().as_str() == format!("{XSD}date") =>
        {
            Some(a.value().cmp(b.value()))
        }
        _ => None,
    }
}

/// SPARQL numeric value of an integer literal.
fn number(t: &Term) -> Option<i64> {
    match t {
        Term::Literal(l) if l.datatype().as_str().starts_with(XSD) => l.value().parse().ok(),
        _ => None,
    }
}

/// `ORDER BY` order of SPARQL: unbound first, then blank nodes, IRIs, literals (numbers and dates
/// by value, others by lexical form).
fn order_key(a: &Option<Term>, b: &Option<Term>) -> Ordering {
    fn rank(t: &Option<Term>) -> u8 {
        match t {
            None => 0,
            Some(Term::BlankNode(_)) => 1,
            Some(Term::NamedNode(_)) => 2,
            _ => 3,
        }
    }
    match (a, b) {
        (Some(Term::NamedNode(x)), Some(Term::NamedNode(y))) => x.as_str().cmp(y.as_str()),
        (Some(Term::Literal(x)), Some(Term::Literal(y))) => {
            match (
                number(&Term::Literal(x.clone())),
                number(&Term::Literal(y.clone())),
            ) {
                (Some(p), Some(q))
                    if x.datatype() != NamedNodeRef::new_unchecked(&format!("{XSD}date")) =>
                {
                    p.cmp(&q)
                }
                _ => x.value().cmp(y.value()),
            }
        }
        _ => rank(a).cmp(&rank(b)),
    }
}

/// The ending records (status with `ng:ends true`): (actor, target) -> the dates of each record
/// (empty when a record has no date).
struct Endings(HashMap<(Term, Term), Vec<Vec<Term>>>);

impl Endings {
    /// The ending records among `records` (candidate endorsement records, e.g. those of one actor
    /// or those targeting some instruments): a few lookups per record instead of a scan of every
    /// ending record in the store.
    fn read(u: &Union<'_>, records: impl IntoIterator<Item = Term>) -> Result<Self> {
        let ending: HashSet<Term> = u
            .subjects(&ng("ends"), true_lit().as_ref())?
            .into_iter()
            .collect();
        let mut map: HashMap<(Term, Term), Vec<Vec<Term>>> = HashMap::new();
        for e in records {
            let ends = u
                .objects_of(&e, &ng("status"))?
                .iter()
                .any(|st| ending.contains(st));
            if !ends {
                continue;
            }
            let dates = u.objects_of(&e, &ng("date"))?;
            for actor in u.objects_of(&e, &ng("actor"))? {
                for target in u.objects_of(&e, &ng("target"))? {
                    map.entry((actor.clone(), target))
                        .or_default()
                        .push(dates.clone());
                }
            }
        }
        Ok(Self(map))
    }

    /// The ending records whose target is one of `vias`, read by one SPARQL query: the store
    /// filters the records of these targets on their status without decoding them, and only the
    /// ending ones are read out (a lookup per record of the targets cost most of who-backs-norm).
    fn on_targets(u: &Union<'_>, vias: &HashSet<Term>) -> Result<Self> {
        let mut values = String::new();
        for via in vias {
            match via {
                Term::NamedNode(n) => values.push_str(&format!("{n} ")),
                // VALUES cannot carry blank nodes: read the records one by one.
                _ => {
                    let mut candidates = Vec::new();
                    for via in vias {
                        candidates.extend(u.subjects(&ng("target"), via.as_ref())?);
                    }
                    return Self::read(u, candidates);
                }
            }
        }
        if values.is_empty() {
            return Ok(Self(HashMap::new()));
        }
        let text = format!(
            "PREFIX ng: <{NG}>
            SELECT ?e ?actor ?via ?date WHERE {{
              VALUES ?via {{ {values}}}
              ?e ng:target ?via ; ng:status ?status .
              ?status ng:ends true .
              ?e ng:actor ?actor .
              OPTIONAL {{ ?e ng:date ?date }}
            }}"
        );
        let name = "ending records";
        let error = |e: &dyn std::fmt::Display| Error::QueryEvaluation {
            name: name.to_owned(),
            message: e.to_string(),
        };
        let mut prepared = SparqlEvaluator::new()
            .parse_query(&text)
            .map_err(|e| error(&e))?;
        prepared.dataset_mut().set_default_graph_as_union();
        let prepared = prepared.on_store(u.store);
        // (record, actor, target) -> dates
        let mut records: HashMap<(Term, Term, Term), Vec<Term>> = HashMap::new();
        if let QueryResults::Solutions(solutions) = prepared.execute().map_err(|e| error(&e))? {
            let [e, actor, via, date] = ["e", "actor", "via", "date"].map(Variable::new_unchecked);
            for solution in solutions {
                let solution = solution.map_err(|e| error(&e))?;
                let (Some(e), Some(actor), Some(via)) =
                    (solution.get(&e), solution.get(&actor), solution.get(&via))
                else {
                    continue;
                };
                let dates = records
                    .entry((e.clone(), actor.clone(), via.clone()))
                    .or_default();
                if let Some(d) = solution.get(&date) {
                    if !dates.contains(d) {
                        dates.push(d.clone());
                    }
                }
            }
        }
        let mut map: HashMap<(Term, Term), Vec<Vec<Term>>> = HashMap::new();
        for ((_, actor, via), dates) in records {
            map.entry((actor, via)).or_default().push(dates);
        }
        Ok(Self(map))
    }

    /// Does an ending record of (actor, target) rule out an endorsement dated `date`? (The
    /// `FILTER NOT EXISTS` of who-backs-norm and norms-backed-by.)
    fn ended(&self, actor: &Term, via: &Term, date: Option<&Term>) -> bool {
        let Some(records) = self.0.get(&(actor.clone(), via.clone())) else {
            return false;
        };
        records.iter().any(|dates| {
            dates.is_empty()
                || date.is_none_or(|date| {
                    dates.iter().any(|d| {
                        matches!(
                            cmp_dates(d, date),
                            Some(Ordering::Greater | Ordering::Equal)
                        )
                    })
                })
        })
    }
}

fn concat(values: &BTreeSet<String>) -> Term {
    Literal::new_simple_literal(values.iter().cloned().collect::<Vec<_>>().join(" ")).into()
}

fn opt_or_none(v: Vec<Term>) -> Vec<Option<Term>> {
    if v.is_empty() {
        vec![None]
    } else {
        v.into_iter().map(Some).collect()
    }
}

fn vars(names: &[&str]) -> Vec<Variable> {
    names.iter().map(|n| Variable::new_unchecked(*n)).collect()
}

fn param(bindings: &[(String, Term)], name: &str) -> Result<Term> {
    bindings
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, t)| t.clone())
        .ok_or_else(|| Error::Parameter {
            name: name.to_owned(),
            message: "this query needs it".to_owned(),
        })
}

/// Answers a built-in named query natively; `bindings` as for [`crate::query::run`].
pub fn run_native(
    kg: &KnowledgeGraph,
    query: &NamedQuery,
    bindings: &[(String, String)],
) -> Result<Answer> {
    let mut bound = Vec::new();
    for (name, value) in bindings {
        if !query.params.iter().any(|p| &p.name == name) {
            return Err(query.no_such_parameter(name));
        }
        bound.push((name.clone(), crate::query::parse_value(name, value)?));
    }
    let u = Union::new(kg.store());
    match query.name.as_str() {
        "who-backs-norm" => who_backs_norm(&u, &param(&bound, "norm")?),
        "norms-backed-by" => norms_backed_by(&u, &param(&bound, "actor")?),
        "common-ground" => common_ground(&u, &param(&bound, "a")?, &param(&bound, "b")?),
        "alignment-matrix" => alignment(&u, &param(&bound, "group")?),
        "contested-norms" => contested(&u),
        other => Err(Error::UnknownQuery {
            name: other.to_owned(),
        }),
    }
}

fn who_backs_norm(u: &Union<'_>, norm: &Term) -> Result<Answer> {
    let bearing = u.subjects(&ng("bearsOn"), norm.as_ref())?;
    // Ending records matter only on the targets of these endorsements.
    let mut vias: HashSet<Term> = HashSet::new();
    for e in &bearing {
        vias.extend(u.objects_of(e, &ng("target"))?);
    }
    let endings = Endings::on_targets(u, &vias)?;
    type Key = (
        Term,
        Option<Term>,
        Term,
        Term,
        Option<Term>,
        Option<Term>,
        Term,
    );
    let mut groups: BTreeMap<String, (Key, BTreeSet<String>)> = BTreeMap::new();
    let backers: HashSet<Term> = u
        .subjects(&ng("backs"), norm.as_ref())?
        .into_iter()
        .collect();
    for e in bearing {
        for actor in u.objects_of(&e, &ng("actor"))? {
            if !backers.contains(&actor) {
                continue;
            }
            for st in u.objects_of(&e, &ng("status"))? {
                if !u.has(&st, &ng("polarity"), &one())? {
                    continue;
                }
                for via in u.objects_of(&e, &ng("target"))? {
                    for strength in u.objects_of(&st, &ng("strength"))? {
                        for status in u.objects_of(&st, SKOS_PREF_LABEL)? {
                            for d0 in opt_or_none(u.objects_of(&e, &ng("date"))?) {
                                for d1 in opt_or_none(u.objects_of(&e, &ng("startDate"))?) {
                                    for nla in opt_or_none(u.objects_of(&e, &ng("notAfter"))?) {
                                        let date = d0.clone().or_else(|| d1.clone());
                                        if endings.ended(&actor, &via, date.as_ref()) {
                                            continue;
                                        }
                                        let sources = u.objects_of(&e, PROV_SOURCE)?;
                                        if sources.is_empty() {
                                            continue;
                                        }
                                        let mut urls = BTreeSet::new();
                                        for s in &sources {
                                            for url in u.objects_of(s, FOAF_PAGE)? {
                                                urls.insert(str_of(&url));
                                            }
                                        }
                                        for label in opt_or_none(u.labels(&actor, RDFS_LABEL)?) {
                                            let key: Key = (
                                                actor.clone(),
                                                label,
                                                status.clone(),
                                                strength.clone(),
                                                date.clone(),
                                                nla.clone(),
                                                via.clone(),
                                            );
                                            let entry = groups
                                                .entry(format!("{key:?}"))
                                                .or_insert_with(|| (key, BTreeSet::new()));
                                            entry.1.extend(urls.iter().cloned());
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    let mut rows: Vec<Vec<Option<Term>>> = groups
        .into_values()
        .map(|((actor, label, status, strength, date, nla, via), urls)| {
            vec![
                Some(actor),
                label,
                Some(status),
                Some(strength),
                date,
                nla,
                Some(via),
                Some(concat(&urls)),
            ]
        })
        .collect();
    // ORDER BY DESC(?strength) COALESCE(?date, ?noLaterThan) ?actorLabel
    rows.sort_by(|a, b| {
        order_key(&b[3], &a[3])
            .then_with(|| {
                order_key(
                    &a[4].clone().or(a[5].clone()),
                    &b[4].clone().or(b[5].clone()),
                )
            })
            .then_with(|| order_key(&a[1], &b[1]))
    });
    Ok(Answer::Solutions {
        variables: vars(&[
            "actor",
            "actorLabel",
            "status",
            "strength",
            "date",
            "noLaterThan",
            "via",
            "sources",
        ]),
        rows,
    })
}

fn str_of(t: &Term) -> String {
    match t {
        Term::NamedNode(n) => n.as_str().to_owned(),
        Term::Literal(l) => l.value().to_owned(),
        Term::BlankNode(b) => b.as_str().to_owned(),
    }
}

fn norms_backed_by(u: &Union<'_>, actor: &Term) -> Result<Answer> {
    let records = u.subjects(&ng("actor"), actor.as_ref())?;
    let endings = Endings::read(u, records.iter().cloned())?;
    let backed: HashSet<Term> = u.objects_of(actor, &ng("backs"))?.into_iter().collect();
    // (norm, label, instrument) -> (since, firmest)
    type Key = (Term, Option<Term>, Option<Term>);
    /// (since, firmest as a number, firmest as written)
    type Agg = (Option<Term>, Option<i64>, Option<Term>);
    let mut groups: HashMap<Key, Agg> = HashMap::new();
    for e in records {
        let norms: Vec<Term> = u
            .objects_of(&e, &ng("bearsOn"))?
            .into_iter()
            .filter(|n| backed.contains(n))
            .collect();
        if norms.is_empty() {
            continue;
        }
        for st in u.objects_of(&e, &ng("status"))? {
            if !u.has(&st, &ng("polarity"), &one())? {
                continue;
            }
            for strength in u.objects_of(&st, &ng("strength"))? {
                for target in u.objects_of(&e, &ng("target"))? {
                    for d0 in opt_or_none(u.objects_of(&e, &ng("date"))?) {
                        for d1 in opt_or_none(u.objects_of(&e, &ng("startDate"))?) {
                            for nla in opt_or_none(u.objects_of(&e, &ng("notAfter"))?) {
                                let date = d0.clone().or_else(|| d1.clone());
                                if endings.ended(actor, &target, date.as_ref()) {
                                    continue;
                                }
                                let since = date.clone().or_else(|| nla.clone());
                                for norm in &norms {
                                    for instrument in
                                        opt_or_none(u.objects_of(norm, &ng("articulatedIn"))?)
                                    {
                                        for label in opt_or_none(u.labels(norm, RDFS_LABEL)?) {
                                            let g = groups
                                                .entry((norm.clone(), label, instrument.clone()))
                                                .or_insert((None, None, None));
                                            if let Some(s) = &since {
                                                if g.0.as_ref().is_none_or(|m| {
                                                    cmp_dates(s, m) == Some(Ordering::Less)
                                                }) {
                                                    g.0 = Some(s.clone());
                                                }
                                            }
                                            if let Some(v) = number(&strength) {
                                                if g.1.is_none_or(|m| v > m) {
                                                    g.1 = Some(v);
                                                    g.2 = Some(strength.clone());
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    let mut rows: Vec<Vec<Option<Term>>> = groups
        .into_iter()
        .map(|((norm, label, instrument), (since, _, firmest))| {
            vec![Some(norm), label, instrument, since, firmest]
        })
        .collect();
    rows.sort_by(|a, b| {
        order_key(&a[3], &b[3])
            .then_with(|| order_key(&a[0], &b[0]))
            .then_with(|| order_key(&a[2], &b[2]))
            .then_with(|| order_key(&a[1], &b[1]))
    });
    Ok(Answer::Solutions {
        variables: vars(&["norm", "normLabel", "instrument", "since", "firmest"]),
        rows,
    })
}

fn common_ground(u: &Union<'_>, a: &Term, b: &Term) -> Result<Answer> {
    let backed_b: HashSet<Term> = u.objects_of(b, &ng("backs"))?.into_iter().collect();
    let shared: Vec<Term> = u
        .objects_of(a, &ng("backs"))?
        .into_iter()
        .filter(|n| backed_b.contains(n))
        .collect();
    // One side: per norm, the targets and source pages of the actor's positive endorsements
    // bearing on it (a norm without any has no row).
    type Side = HashMap<Term, (BTreeSet<String>, BTreeSet<String>)>;
    let side = |actor: &Term| -> Result<Side> {
        let mut out = Side::new();
        for e in u.subjects(&ng("actor"), actor.as_ref())? {
            let mut positive = false;
            for st in u.objects_of(&e, &ng("status"))? {
                positive |= u.has(&st, &ng("polarity"), &one())?;
            }
            let ts = u.objects_of(&e, &ng("target"))?;
            let ss = u.objects_of(&e, PROV_SOURCE)?;
            if !positive || ts.is_empty() || ss.is_empty() {
                continue;
            }
            let mut urls = BTreeSet::new();
            for s in &ss {
                for url in u.objects_of(s, FOAF_PAGE)? {
                    urls.insert(str_of(&url));
                }
            }
            for norm in u.objects_of(&e, &ng("bearsOn"))? {
                let entry = out.entry(norm).or_default();
                entry.0.extend(ts.iter().map(str_of));
                entry.1.extend(urls.iter().cloned());
            }
        }
        Ok(out)
    };
    let (side_a, side_b) = (side(a)?, side(b)?);
    let mut rows = Vec::new();
    for norm in shared {
        let (Some((ta, ua)), Some((tb, ub))) = (side_a.get(&norm), side_b.get(&norm)) else {
            continue;
        };
        for label in opt_or_none(u.labels(&norm, RDFS_LABEL)?) {
            rows.push(vec![
                Some(norm.clone()),
                label,
                Some(concat(ta)),
                Some(concat(tb)),
                Some(concat(ua)),
                Some(concat(ub)),
            ]);
        }
    }
    rows.sort_by(|x, y| order_key(&x[0], &y[0]).then_with(|| order_key(&x[1], &y[1])));
    Ok(Answer::Solutions {
        variables: vars(&["norm", "normLabel", "viaA", "viaB", "sourcesA", "sourcesB"]),
        rows,
    })
}

fn alignment(u: &Union<'_>, group: &Term) -> Result<Answer> {
    let mut backs: BTreeMap<String, (Term, HashSet<Term>)> = BTreeMap::new();
    for m in u.subjects(ORG_MEMBER_OF, group.as_ref())? {
        let norms: HashSet<Term> = u.objects_of(&m, &ng("backs"))?.into_iter().collect();
        if !norms.is_empty() {
            backs.insert(str_of(&m), (m, norms));
        }
    }
    let members: Vec<&(Term, HashSet<Term>)> = backs.values().collect();
    let mut rows = Vec::new();
    for (i, (a, na)) in members.iter().enumerate() {
        for (b, nb) in &members[i + 1..] {
            let shared = na.intersection(nb).count();
            if shared == 0 {
                continue;
            }
            let union = na.len() + nb.len() - shared;
            let agreement = Decimal::from(shared as i64)
                .checked_div(Decimal::from(union as i64))
                .ok_or_else(|| Error::Invalid("alignment: division overflow".into()))?;
            rows.push((
                agreement,
                vec![
                    Some(a.clone()),
                    Some(b.clone()),
                    Some(int(shared)),
                    Some(int(union)),
                    Some(Term::from(Literal::new_typed_literal(
                        agreement.to_string(),
                        NamedNodeRef::new_unchecked(&format!("{XSD}decimal")),
                    ))),
                ],
            ));
        }
    }
    rows.sort_by(|x, y| {
        y.0.cmp(&x.0)
            .then_with(|| order_key(&x.1[0], &y.1[0]))
            .then_with(|| order_key(&x.1[1], &y.1[1]))
    });
    Ok(Answer::Solutions {
        variables: vars(&["a", "b", "shared", "union", "agreement"]),
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    })
}

fn contested(u: &Union<'_>) -> Result<Answer> {
    let mut opponents: HashMap<Term, HashSet<Term>> = HashMap::new();
    for (a, n) in u.pairs(&ng("opposes"))? {
        opponents.entry(n).or_default().insert(a);
    }
    let mut rows = Vec::new();
    for (norm, opp) in opponents {
        let backers = u.subjects(&ng("backs"), norm.as_ref())?;
        if backers.is_empty() {
            continue;
        }
        let abstainers = u.subjects(&ng("abstainsOn"), norm.as_ref())?;
        for label in opt_or_none(u.labels(&norm, RDFS_LABEL)?) {
            rows.push((
                (opp.len(), backers.len()),
                vec![
                    Some(norm.clone()),
                    label,
                    Some(int(backers.len())),
                    Some(int(opp.len())),
                    Some(int(abstainers.len())),
                ],
            ));
        }
    }
    rows.sort_by(|x, y| {
        y.0 .0
            .cmp(&x.0 .0)
            .then_with(|| y.0 .1.cmp(&x.0 .1))
            .then_with(|| order_key(&x.1[0], &y.1[0]))
            .then_with(|| order_key(&x.1[1], &y.1[1]))
    });
    Ok(Answer::Solutions {
        variables: vars(&["norm", "normLabel", "backers", "opponents", "abstainers"]),
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    })
}

/// Actors that both back and oppose a norm: (actor, norm) pairs, sorted — the rows of
/// [`crate::bench::CONTRADICTIONS`] and the findings of the `ngsh:BacksAndOpposes` constraint.
pub fn contradictions(kg: &KnowledgeGraph) -> Result<Vec<(Term, Term)>> {
    let u = Union::new(kg.store());
    // Opposition is rare next to backing: look each opposing pair up in the index.
    let backs = ng("backs");
    let mut out = Vec::new();
    for (a, n) in u.pairs(&ng("opposes"))? {
        if u.has(&a, &backs, &n)? {
            out.push((a, n));
        }
    }
    out.sort_by(|a, b| cmp_terms(&a.0, &b.0).then_with(|| cmp_terms(&a.1, &b.1)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, NamedNode};

    #[test]
    fn term_order_is_the_n_triples_order() {
        let terms: Vec<Term> = vec![
            NamedNode::new_unchecked("http://ex.org/ab").into(),
            NamedNode::new_unchecked("http://ex.org/ab#x").into(),
            NamedNode::new_unchecked("http://ex.org/abc").into(),
            NamedNode::new_unchecked("http://ex.org/b").into(),
            BlankNode::new_unchecked("b1").into(),
            BlankNode::new_unchecked("b10").into(),
            Literal::new_simple_literal("x").into(),
            Literal::new_language_tagged_literal_unchecked("x", "en").into(),
            Literal::from(3).into(),
        ];
        for a in &terms {
            for b in &terms {
                assert_eq!(
                    cmp_terms(a, b),
                    a.to_string().cmp(&b.to_string()),
                    "{a} vs {b}"
                );
            }
        }
    }
}
