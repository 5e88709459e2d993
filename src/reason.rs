//! The rules of `ontology/rules/*.ru`, computed in Rust over the store's indexes.
//!
//! Oxigraph's evaluator takes about a minute for the four rules on a 1M-triple graph (the
//! multi-way joins of `20-stances.ru` most of it) and its transaction holds every derived triple in
//! memory. This module derives exactly the same triples in a few linear passes over the quads of
//! the predicates involved. It is used only while the rule files are the ones it implements
//! ([`is_native`]: same names and texts as those built into the binary); edited rules run as SPARQL.
//! `tests/reasoning.rs` checks that both give the same inferred graph.
//!
//! Semantics followed, rule by rule (every `GRAPH ?g` pattern ranges over the named graphs, never the
//! default graph; the inferred graph is empty when the rules start and grows rule by rule):
//! - `01-types`: `?x a ?super` for every `?x a ?class` and `?super` reachable from `?class` by one or
//!   more `rdfs:subClassOf` steps *within one graph*, `?super` an IRI other than `?class`.
//! - `02-relations`: the missing reverse of `ng:equivalentTo` and `ng:conflictsWith`, and
//!   `?member org:memberOf ?org` from an `org:Membership` whose two links are in one graph.
//! - `10-bears-on`: `?e ng:bearsOn ?norm` for a target that is a norm, for the norms articulated in
//!   the target, and for those articulated in an instrument the target affirms.
//! - `20-stances`: `ng:backs` / `ng:opposes` from records (actor, status, target in one graph) of
//!   non-zero polarity, unless an ending record (status `ng:ends true`) exists for the pair — then
//!   only records dated (date, start date or lower bound, in that order) after the pair's last dated
//!   ending count; `ng:abstainsOn` from neutral records whose status does not end, unless the
//!   actor backs or opposes the norm. Opposition needs the norm itself or an instrument that
//!   articulates it as target. Dates compare as `xsd:date` lexical forms (`YYYY-MM-DD`).

use std::collections::{HashMap, HashSet};

use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use oxigraph::store::Store;

use crate::error::Result;
use crate::intern::Names as Terms;
use crate::vocab::graph;

const RULES: &[(&str, &str)] = &[
    ("01-types.ru", include_str!("../ontology/rules/01-types.ru")),
    (
        "02-relations.ru",
        include_str!("../ontology/rules/02-relations.ru"),
    ),
    (
        "10-bears-on.ru",
        include_str!("../ontology/rules/10-bears-on.ru"),
    ),
    (
        "20-stances.ru",
        include_str!("../ontology/rules/20-stances.ru"),
    ),
];

const NG: &str = "https://w3id.org/normgraph/ontology#";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const SUBCLASS: &str = "http://www.w3.org/2000/01/rdf-schema#subClassOf";
const ORG: &str = "http://www.w3.org/ns/org#";
const XSD_DATE: &str = "http://www.w3.org/2001/XMLSchema#date";
const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";

/// Are these rules (file name, text) the ones this module implements?
pub fn is_native(rules: &[(String, String)]) -> bool {
    rules.len() == RULES.len()
        && rules.iter().zip(RULES).all(|((name, text), (n, t))| {
            std::path::Path::new(name)
                .file_name()
                .is_some_and(|f| f.to_string_lossy() == *n)
                && text == t
        })
}

type Id = u32;

/// The rows `(subject, object, graph)` of one predicate over the named graphs, the inferred graph
/// and the bookkeeping graph aside.
fn rows(store: &Store, terms: &mut Terms, predicate: &str) -> Result<Vec<(Id, Id, Id)>> {
    let p = NamedNodeRef::new_unchecked(predicate);
    let mut out = Vec::new();
    for q in store.quads_for_pattern(None, Some(p), None, None) {
        let q = q?;
        let g = match q.graph_name {
            GraphName::NamedNode(g) if g.as_str() != graph::INFERRED => Term::NamedNode(g),
            GraphName::BlankNode(g) => Term::BlankNode(g),
            _ => continue,
        };
        let s = terms.id(q.subject.into());
        let o = terms.id(q.object);
        let g = terms.id(g);
        out.push((s, o, g));
    }
    Ok(out)
}

fn ng(local: &str) -> String {
    format!("{NG}{local}")
}

/// The inferred graph of the built-in rules, as ids (12 bytes a triple), written out one quad at
/// a time: at 10M triples a vector of all 8.25M decoded quads took the load's peak RSS to 4.6 GB
/// (1.5 GB streamed).
pub struct Inferred {
    terms: Terms,
    triples: Vec<(Id, Id, Id)>,
}

impl Inferred {
    /// The number of inferred triples.
    pub fn len(&self) -> usize {
        self.triples.len()
    }

    /// True when nothing is inferred.
    pub fn is_empty(&self) -> bool {
        self.triples.is_empty()
    }

    /// The inferred quads (in the inferred graph), built one at a time.
    pub fn quads(&self) -> impl Iterator<Item = Quad> + '_ {
        let graph = NamedNode::new_unchecked(graph::INFERRED);
        self.triples.iter().map(move |&(s, p, o)| {
            let subject = match &self.terms.terms[s as usize] {
                Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n.clone()),
                Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b.clone()),
                Term::Literal(_) => unreachable!("filtered out by infer"),
            };
            let Term::NamedNode(predicate) = &self.terms.terms[p as usize] else {
                unreachable!("filtered out by infer")
            };
            Quad::new(
                subject,
                predicate.clone(),
                self.terms.terms[o as usize].clone(),
                graph.clone(),
            )
        })
    }
}

/// Computes the inferred graph of the built-in rules from the store's named graphs.
pub fn infer(store: &Store) -> Result<Inferred> {
    let mut t = Terms::default();
    let mut triples: Vec<(Id, Id, Id)> = derive(store, &mut t)?.into_iter().collect();
    // Ids follow the store's index order: sorting them makes the output the same run after run.
    triples.sort_unstable();
    // Only RDF triples: a literal subject or a non-IRI predicate cannot be written.
    triples.retain(|&(s, p, _)| {
        !matches!(t.terms[s as usize], Term::Literal(_))
            && matches!(t.terms[p as usize], Term::NamedNode(_))
    });
    Ok(Inferred { terms: t, triples })
}

fn derive(store: &Store, t: &mut Terms) -> Result<HashSet<(Id, Id, Id)>> {
    let mut inferred: HashSet<(Id, Id, Id)> = HashSet::new();
    let type_p = t.id(NamedNode::new_unchecked(RDF_TYPE).into());

    // 01-types: subclass closure within each graph.
    let types = rows(store, t, RDF_TYPE)?;
    let sub = rows(store, t, SUBCLASS)?;
    let mut sub_by_graph: HashMap<Id, HashMap<Id, Vec<Id>>> = HashMap::new();
    for &(c, p, g) in &sub {
        sub_by_graph
            .entry(g)
            .or_default()
            .entry(c)
            .or_default()
            .push(p);
    }
    // For each (graph, class): everything reachable by one or more steps within that graph.
    let mut supers: HashMap<Id, Vec<Id>> = HashMap::new();
    for edges in sub_by_graph.values() {
        for &class in edges.keys() {
            let mut seen: HashSet<Id> = HashSet::new();
            let mut stack: Vec<Id> = edges[&class].clone();
            while let Some(x) = stack.pop() {
                if seen.insert(x) {
                    if let Some(next) = edges.get(&x) {
                        stack.extend(next.iter().copied());
                    }
                }
            }
            let entry = supers.entry(class).or_default();
            for s in seen {
                if s != class && matches!(t.terms[s as usize], Term::NamedNode(_)) {
                    entry.push(s);
                }
            }
        }
    }
    for v in supers.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    for &(x, class, _) in &types {
        if let Some(ss) = supers.get(&class) {
            for &s in ss {
                inferred.insert((x, type_p, s));
            }
        }
    }

    // 02-relations.
    for rel in ["equivalentTo", "conflictsWith"] {
        let p = t.id(NamedNode::new_unchecked(ng(rel)).into());
        let pairs = rows(store, t, &ng(rel))?;
        // The reverse is looked up in every named graph, the inferred graph included (which holds
        // no such triple before this rule).
        let present: HashSet<(Id, Id)> = pairs.iter().map(|&(a, b, _)| (a, b)).collect();
        for &(a, b, _) in &pairs {
            if !present.contains(&(b, a)) {
                inferred.insert((b, p, a));
            }
        }
    }
    {
        let member_of = t.id(NamedNode::new_unchecked(format!("{ORG}memberOf")).into());
        let members = rows(store, t, &format!("{ORG}member"))?;
        let orgs = rows(store, t, &format!("{ORG}organization"))?;
        let mut org_of: HashMap<(Id, Id), Vec<Id>> = HashMap::new();
        for &(m, o, g) in &orgs {
            org_of.entry((m, g)).or_default().push(o);
        }
        for &(m, member, g) in &members {
            if let Some(os) = org_of.get(&(m, g)) {
                for &o in os {
                    inferred.insert((member, member_of, o));
                }
            }
        }
    }

    // 10-bears-on.
    let bears_on = t.id(NamedNode::new_unchecked(ng("bearsOn")).into());
    let norm_class = t.id(NamedNode::new_unchecked(ng("Norm")).into());
    let mut is_norm: HashSet<Id> = types
        .iter()
        .filter(|&&(_, c, _)| c == norm_class)
        .map(|&(x, _, _)| x)
        .collect();
    // Inferred types count too (GRAPH ?h ranges over the inferred graph).
    is_norm.extend(
        inferred
            .iter()
            .filter(|&&(_, p, c)| p == type_p && c == norm_class)
            .map(|&(x, _, _)| x),
    );
    let articulated = rows(store, t, &ng("articulatedIn"))?;
    let mut norms_of: HashMap<Id, Vec<Id>> = HashMap::new();
    for &(n, i, _) in &articulated {
        norms_of.entry(i).or_default().push(n);
    }
    for v in norms_of.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    let articulated_pairs: HashSet<(Id, Id)> =
        articulated.iter().map(|&(n, i, _)| (n, i)).collect();
    let mut affirms: HashMap<Id, Vec<Id>> = HashMap::new();
    for (a, b, _) in rows(store, t, &ng("affirms"))? {
        affirms.entry(a).or_default().push(b);
    }
    let targets = rows(store, t, &ng("target"))?;
    let mut bears: HashMap<Id, Vec<Id>> = HashMap::new();
    for &(e, target, _) in &targets {
        let mut add = |n: Id| {
            if inferred.insert((e, bears_on, n)) {
                bears.entry(e).or_default().push(n);
            }
        };
        if is_norm.contains(&target) {
            add(target);
        }
        if let Some(ns) = norms_of.get(&target) {
            ns.iter().for_each(|&n| add(n));
        }
        if let Some(affirmed) = affirms.get(&target) {
            for a in affirmed {
                if let Some(ns) = norms_of.get(a) {
                    ns.iter().for_each(|&n| add(n));
                }
            }
        }
    }

    // 20-stances.
    let backs = t.id(NamedNode::new_unchecked(ng("backs")).into());
    let opposes = t.id(NamedNode::new_unchecked(ng("opposes")).into());
    let abstains = t.id(NamedNode::new_unchecked(ng("abstainsOn")).into());
    // Status facts, from any named graph.
    let mut polarity: HashMap<Id, Vec<i64>> = HashMap::new();
    let mut zero_polarity: HashSet<Id> = HashSet::new();
    for (s, o, _) in rows(store, t, &ng("polarity"))? {
        if let Term::Literal(l) = &t.terms[o as usize] {
            if let Some(v) = numeric(l) {
                polarity.entry(s).or_default().push(v);
            }
            if l.value() == "0" && l.datatype().as_str() == XSD_INTEGER {
                zero_polarity.insert(s);
            }
        }
    }
    let ends: HashSet<Id> = rows(store, t, &ng("ends"))?
        .into_iter()
        .filter(|&(_, o, _)| {
            matches!(&t.terms[o as usize], Term::Literal(l)
                if l.datatype().as_str() == XSD_BOOLEAN && matches!(l.value(), "true" | "1"))
        })
        .map(|(s, _, _)| s)
        .collect();
    // Records: (e, graph) -> actors, statuses, targets, dates.
    type Key = (Id, Id);
    let mut actors: HashMap<Key, Vec<Id>> = HashMap::new();
    for (e, a, g) in rows(store, t, &ng("actor"))? {
        actors.entry((e, g)).or_default().push(a);
    }
    let mut statuses: HashMap<Key, Vec<Id>> = HashMap::new();
    for (e, s, g) in rows(store, t, &ng("status"))? {
        statuses.entry((e, g)).or_default().push(s);
    }
    let mut target_of: HashMap<Key, Vec<Id>> = HashMap::new();
    for &(e, x, g) in &targets {
        target_of.entry((e, g)).or_default().push(x);
    }
    let mut dates: [HashMap<Key, Vec<Id>>; 3] = Default::default();
    for (k, p) in ["date", "startDate", "notBefore"].iter().enumerate() {
        for (e, d, g) in rows(store, t, &ng(p))? {
            dates[k].entry((e, g)).or_default().push(d);
        }
    }
    // Every (e, g, actor, status, target) combination.
    let mut records: Vec<(Id, Id, Id, Id, Id)> = Vec::new();
    for (&(e, g), acts) in &actors {
        let (Some(sts), Some(tgs)) = (statuses.get(&(e, g)), target_of.get(&(e, g))) else {
            continue;
        };
        for &a in acts {
            for &s in sts {
                for &x in tgs {
                    records.push((e, g, a, s, x));
                }
            }
        }
    }
    records.sort_unstable();
    // Ending records per (actor, target): any at all, and the last dated one.
    let mut ended: HashSet<(Id, Id)> = HashSet::new();
    let mut last_end: HashMap<(Id, Id), String> = HashMap::new();
    for &(e, g, a, s, x) in &records {
        if !ends.contains(&s) {
            continue;
        }
        ended.insert((a, x));
        for &d in dates[0].get(&(e, g)).map(Vec::as_slice).unwrap_or(&[]) {
            if let Some(d) = date(&t.terms[d as usize]) {
                let entry = last_end.entry((a, x)).or_default();
                if d > entry.as_str() {
                    *entry = d.to_owned();
                }
            }
        }
    }
    let mut stances: Vec<(Id, Id, Id)> = Vec::new();
    for &(e, g, a, s, x) in &records {
        let Some(pols) = polarity.get(&s) else {
            continue;
        };
        let Some(norms) = bears.get(&e) else { continue };
        for &pol in pols {
            if pol == 0 {
                continue;
            }
            let counts = if !ended.contains(&(a, x)) {
                true
            } else if let Some(last) = last_end.get(&(a, x)) {
                // COALESCE(date, startDate, notBefore): the first bound one, per combination.
                let first = (0..3).find_map(|k| dates[k].get(&(e, g)));
                first.is_some_and(|ds| {
                    ds.iter()
                        .any(|&d| date(&t.terms[d as usize]).is_some_and(|d| d > last.as_str()))
                })
            } else {
                false
            };
            if !counts {
                continue;
            }
            for &n in norms {
                if pol > 0 || n == x || articulated_pairs.contains(&(n, x)) {
                    stances.push((a, if pol > 0 { backs } else { opposes }, n));
                }
            }
        }
    }
    inferred.extend(stances.iter().copied());
    let stanced: HashSet<(Id, Id)> = stances.iter().map(|&(a, _, n)| (a, n)).collect();
    for &(e, _, a, s, x) in &records {
        if !zero_polarity.contains(&s) || ends.contains(&s) {
            continue;
        }
        let Some(norms) = bears.get(&e) else { continue };
        for &n in norms {
            if (n == x || articulated_pairs.contains(&(n, x))) && !stanced.contains(&(a, n)) {
                inferred.insert((a, abstains, n));
            }
        }
    }
    Ok(inferred)
}

/// The value of an integer-like literal (what `?polarity != 0` and `> 0` compare).
fn numeric(l: &Literal) -> Option<i64> {
    let dt = l.datatype().as_str();
    if dt.starts_with("http://www.w3.org/2001/XMLSchema#") && !dt.ends_with("#string") {
        l.value().trim_start_matches('+').parse().ok()
    } else {
        None
    }
}

/// The lexical form of an `xsd:date` literal.
fn date(t: &Term) -> Option<&str> {
    match t {
        Term::Literal(l) if l.datatype().as_str() == XSD_DATE => Some(l.value()),
        _ => None,
    }
}

/// Writes the inferred triples into the (emptied) inferred graph: by the bulk loader, streaming,
/// when there are many.
pub fn write_inferred(store: &Store, inferred: &Inferred) -> Result<usize> {
    let n = inferred.len();
    let g = NamedNodeRef::new_unchecked(graph::INFERRED);
    store.clear_graph(GraphNameRef::NamedNode(g))?;
    if n > 50_000 {
        let mut loader = store.bulk_loader().with_max_memory_size_in_megabytes(512);
        loader.load_quads(inferred.quads())?;
        loader.commit()?;
    } else {
        let mut tx = store.start_transaction()?;
        for q in inferred.quads() {
            tx.insert(&q);
        }
        tx.commit()?;
    }
    Ok(n)
}
