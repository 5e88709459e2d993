//! Actors side by side: for N actors, every norm on which at least one of them has a stance, each
//! cell the actor's strongest stance (backs / opposes / neutral), how firmly, since when and
//! through which instrument. Built from the named query `actor-stances` (one run per actor), so
//! the CLI (`normgraph compare`), the server (`/compare`) and a user's own SPARQL agree.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use oxigraph::model::{NamedNode, Term};

use crate::error::{Error, Result};
use crate::query::{self, Answer};
use crate::store::KnowledgeGraph;
use crate::vocab;

/// Most actors one comparison may hold.
pub const MAX_ACTORS: usize = 24;

/// One actor's stance on one norm.
#[derive(Debug, Clone)]
pub struct Cell {
    /// 1 backs, -1 opposes, 0 neutral (abstained on its paragraph).
    pub polarity: i64,
    /// The strongest stance's status ("voted for", "ratified"...).
    pub status: String,
    /// Its level of legal obligation ("bound by treaty" ... "statement").
    pub obligation: String,
    /// Obligation rank 1-5 (from the sort key).
    pub rank: u8,
    /// The date of the strongest stance (its act's date, or a 'no later than' bound).
    pub date: Option<String>,
    /// Since when the actor holds a stance of this polarity (its earliest stance's date).
    pub since: Option<String>,
    /// The instrument the strongest stance goes through.
    pub via: NamedNode,
    /// How many stances of that polarity in all.
    pub evidence: u64,
}

impl Cell {
    /// A short text: `+ joined consensus 2015-12-23 (since 2015-07-22)`.
    pub fn short(&self) -> String {
        let sign = match self.polarity {
            1 => "+",
            -1 => "−",
            _ => "○",
        };
        let mut s = format!("{sign} {}", self.status);
        if let Some(d) = &self.date {
            s.push(' ');
            s.push_str(d);
        }
        if let Some(since) = self
            .since
            .as_ref()
            .filter(|x| Some(*x) != self.date.as_ref())
        {
            s.push_str(&format!(" (since {since})"));
        }
        s
    }
}

/// The comparison of a set of actors.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The actors, as asked, with their labels.
    pub actors: Vec<(NamedNode, String)>,
    /// The norms on which at least one actor has a stance: most actors first, then by label.
    pub norms: Vec<(NamedNode, String)>,
    /// (norm index, actor index) → the stances (one per polarity).
    pub cells: BTreeMap<(usize, usize), Vec<Cell>>,
}

fn lit(t: &Option<Term>) -> Option<String> {
    match t {
        Some(Term::Literal(l)) => Some(l.value().to_owned()),
        _ => None,
    }
}

/// Compares `actors` (IRIs) on every norm one of them has a stance on.
pub fn compare(kg: &KnowledgeGraph, actors: &[NamedNode]) -> Result<Comparison> {
    if actors.is_empty() {
        return Err(Error::Invalid("compare: name at least one actor".into()));
    }
    if actors.len() > MAX_ACTORS {
        return Err(Error::Invalid(format!(
            "compare: {} actors asked, at most {MAX_ACTORS}",
            actors.len()
        )));
    }
    let q = query::resolve(&kg.bundle().queries_dir(), "actor-stances")?;
    let mut labelled = Vec::new();
    let mut norms: BTreeMap<String, (NamedNode, String)> = BTreeMap::new();
    let mut raw: Vec<(String, usize, Cell)> = Vec::new();
    for (i, actor) in actors.iter().enumerate() {
        if query::unknown_iri(kg, &format!("<{}>", actor.as_str()))?.is_some() {
            return Err(Error::Parameter {
                name: "actors".into(),
                message: format!("<{}> appears in no triple of the store", actor.as_str()),
            });
        }
        let label = query::label_of(kg, actor).unwrap_or_else(|| {
            vocab::compact(actor.as_str()).unwrap_or_else(|| actor.as_str().to_owned())
        });
        labelled.push((actor.clone(), label));
        let Answer::Solutions { variables, rows } =
            query::run(kg, &q, &[("actor".into(), format!("<{}>", actor.as_str()))])?
        else {
            continue;
        };
        let col = |name: &str| variables.iter().position(|v| v.as_str() == name);
        let (
            Some(cn),
            Some(cl),
            Some(cp),
            Some(cs),
            Some(co),
            Some(ck),
            Some(cd),
            Some(csi),
            Some(cv),
            Some(ce),
        ) = (
            col("norm"),
            col("normLabel"),
            col("polarity"),
            col("status"),
            col("obligation"),
            col("sortKey"),
            col("date"),
            col("since"),
            col("via"),
            col("evidence"),
        )
        else {
            return Err(Error::Invalid(
                "queries/actor-stances.rq lacks a column compare needs".into(),
            ));
        };
        for row in rows {
            let (Some(Term::NamedNode(norm)), Some(Term::NamedNode(via))) = (&row[cn], &row[cv])
            else {
                continue;
            };
            let norm_label = lit(&row[cl]).unwrap_or_else(|| {
                vocab::compact(norm.as_str()).unwrap_or_else(|| norm.as_str().to_owned())
            });
            norms
                .entry(norm.as_str().to_owned())
                .or_insert_with(|| (norm.clone(), norm_label));
            let rank = lit(&row[ck])
                .and_then(|k| k.parse::<u32>().ok())
                .map_or(1, |k| (k / 10).clamp(1, 5) as u8);
            raw.push((
                norm.as_str().to_owned(),
                i,
                Cell {
                    polarity: lit(&row[cp]).and_then(|p| p.parse().ok()).unwrap_or(0),
                    status: lit(&row[cs]).unwrap_or_default(),
                    obligation: lit(&row[co]).unwrap_or_default(),
                    rank,
                    date: lit(&row[cd]),
                    since: lit(&row[csi]),
                    via: via.clone(),
                    evidence: lit(&row[ce]).and_then(|e| e.parse().ok()).unwrap_or(0),
                },
            ));
        }
    }
    // Norms held by most of the actors first.
    let mut reach: BTreeMap<&str, std::collections::BTreeSet<usize>> = BTreeMap::new();
    for (n, i, _) in &raw {
        reach.entry(n.as_str()).or_default().insert(*i);
    }
    let mut order: Vec<(NamedNode, String)> = norms.values().cloned().collect();
    order.sort_by(|a, b| {
        let ra = reach.get(a.0.as_str()).map_or(0, |s| s.len());
        let rb = reach.get(b.0.as_str()).map_or(0, |s| s.len());
        rb.cmp(&ra)
            .then_with(|| a.1.cmp(&b.1))
            .then_with(|| a.0.as_str().cmp(b.0.as_str()))
    });
    let index: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.as_str(), i))
        .collect();
    let mut cells: BTreeMap<(usize, usize), Vec<Cell>> = BTreeMap::new();
    for (n, i, c) in raw {
        if let Some(&ni) = index.get(n.as_str()) {
            let v = cells.entry((ni, i)).or_default();
            v.push(c);
            v.sort_by_key(|c| std::cmp::Reverse(c.polarity));
        }
    }
    Ok(Comparison {
        actors: labelled,
        norms: order,
        cells,
    })
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

impl Comparison {
    /// Long ("tidy") CSV, one row per actor, norm and polarity: `norm,normLabel,actor,actorLabel,
    /// stance,status,obligation,since,via,evidence`; an actor without a stance on a norm gets a
    /// row with stance `none`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "norm,normLabel,actor,actorLabel,stance,status,obligation,date,since,via,evidence\r\n",
        );
        for (ni, (norm, nl)) in self.norms.iter().enumerate() {
            for (ai, (actor, al)) in self.actors.iter().enumerate() {
                let head = format!(
                    "{},{},{},{}",
                    csv_field(norm.as_str()),
                    csv_field(nl),
                    csv_field(actor.as_str()),
                    csv_field(al)
                );
                match self.cells.get(&(ni, ai)) {
                    None => {
                        let _ = write!(out, "{head},none,,,,,,0\r\n");
                    }
                    Some(cs) => {
                        for c in cs {
                            let stance = match c.polarity {
                                1 => "backs",
                                -1 => "opposes",
                                _ => "neutral",
                            };
                            let _ = write!(
                                out,
                                "{head},{stance},{},{},{},{},{},{}\r\n",
                                csv_field(&c.status),
                                csv_field(&c.obligation),
                                csv_field(c.date.as_deref().unwrap_or("")),
                                csv_field(c.since.as_deref().unwrap_or("")),
                                csv_field(c.via.as_str()),
                                c.evidence
                            );
                        }
                    }
                }
            }
        }
        out
    }

    /// A plain-text table for the terminal: one block per norm, its prefixed name in full, then
    /// one line per actor (names and IRIs are never cut).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let width = self
            .actors
            .iter()
            .map(|(a, l)| actor_name(a, l).chars().count())
            .max()
            .unwrap_or(0);
        let _ = writeln!(
            out,
            "{} actors, {} norms on which at least one of them has a stance (+ backs, − opposes, ○ neutral, · no record)\n",
            self.actors.len(),
            self.norms.len()
        );
        for (ni, (norm, label)) in self.norms.iter().enumerate() {
            let short = vocab::compact(norm.as_str()).unwrap_or_else(|| norm.as_str().to_owned());
            let _ = writeln!(out, "{short}  {label}");
            for (ai, (actor, al)) in self.actors.iter().enumerate() {
                let name = actor_name(actor, al);
                let cell = match self.cells.get(&(ni, ai)) {
                    None => "·".to_owned(),
                    Some(cs) => cs
                        .iter()
                        .map(|c| {
                            let via = vocab::compact(c.via.as_str())
                                .unwrap_or_else(|| c.via.as_str().to_owned());
                            format!("{} ({}, via {via})", c.short(), c.obligation)
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                };
                let _ = writeln!(out, "  {name:<width$}  {cell}");
            }
            out.push('\n');
        }
        out
    }
}

fn actor_name(actor: &NamedNode, label: &str) -> String {
    let short = vocab::compact(actor.as_str()).unwrap_or_else(|| actor.as_str().to_owned());
    format!("{short} {label}")
}

/// An instrument's short name: its symbol (`A/RES/70/237`), else its label or title.
pub fn instrument_name(kg: &KnowledgeGraph, n: &NamedNode) -> String {
    let first_literal = |p: &str| {
        kg.store()
            .quads_for_pattern(
                Some(n.as_ref().into()),
                Some(NamedNode::new_unchecked(p).as_ref()),
                None,
                None,
            )
            .flatten()
            .find_map(|q| match q.object {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
    };
    first_literal("http://purl.org/dc/terms/identifier")
        .or_else(|| query::label_of(kg, n))
        .or_else(|| first_literal("http://purl.org/dc/terms/title"))
        .unwrap_or_else(|| vocab::compact(n.as_str()).unwrap_or_else(|| n.as_str().to_owned()))
}

/// How backing of a norm grew: for each date, the actors whose backing begins then (their
/// `since`) and the instruments of the acts that began it (most frequent first). From the named
/// query `backing-timeline`.
pub fn timeline(kg: &KnowledgeGraph, norm: &NamedNode) -> Result<Vec<crate::figures::Step>> {
    let q = query::resolve(&kg.bundle().queries_dir(), "backing-timeline")?;
    let Answer::Solutions { variables, rows } =
        query::run(kg, &q, &[("norm".into(), format!("<{}>", norm.as_str()))])?
    else {
        return Ok(Vec::new());
    };
    let col = |name: &str| variables.iter().position(|v| v.as_str() == name);
    let (Some(cs), Some(cv)) = (col("since"), col("firstVia")) else {
        return Err(Error::Invalid(
            "queries/backing-timeline.rq lacks a column the timeline needs".into(),
        ));
    };
    let mut by_date: BTreeMap<String, (usize, BTreeMap<String, usize>)> = BTreeMap::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for row in &rows {
        let Some(date) = lit(&row[cs]) else {
            continue;
        };
        let step = by_date.entry(date).or_default();
        step.0 += 1;
        if let Some(via) = lit(&row[cv]) {
            let name = names
                .entry(via.clone())
                .or_insert_with(|| instrument_name(kg, &NamedNode::new_unchecked(via)))
                .clone();
            *step.1.entry(name).or_default() += 1;
        }
    }
    Ok(steps(by_date))
}

/// Counts by date → steps of a timeline, each naming its three most frequent instruments.
pub fn steps(
    by_date: BTreeMap<String, (usize, BTreeMap<String, usize>)>,
) -> Vec<crate::figures::Step> {
    by_date
        .into_iter()
        .map(|(date, (added, via))| {
            let mut via: Vec<(String, usize)> = via.into_iter().collect();
            via.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            crate::figures::Step {
                date,
                added,
                via: via
                    .into_iter()
                    .take(3)
                    .map(|(v, n)| format!("{v} ({n})"))
                    .collect(),
            }
        })
        .collect()
}
