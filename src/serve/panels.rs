//! The figures of the linked-data pages: for a norm, the map of the states' stances and the count
//! of backers over time; for an actor, its backing over time and the states most and least
//! aligned with it; for an instrument, the states' acts on a map and over time. Each figure comes
//! with its text equivalent ([`crate::figures`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use maud::{html, Markup};
use oxigraph::model::{NamedNode, Term};

use super::{rows_of, AppState, HttpResult};
use crate::figures::{self, Counted, Mark, Shade, Step};
use crate::query::NamedQuery;
use crate::vocab;

/// The states of the graph: ISO 3166-1 alpha-3, IRI, name.
const STATES: &str = r#"PREFIX ng: <https://w3id.org/normgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?state ?iso ?name WHERE {
  ?state a ng:State ; ng:isoAlpha3 ?iso .
  OPTIONAL { ?state rdfs:label ?name FILTER(LANG(?name) = "en" || LANG(?name) = "") }
}"#;

/// Actors that abstained on the paragraph stating a norm (`ng:abstainsOn`, by rule).
const ABSTAINERS: &str = r#"PREFIX ng: <https://w3id.org/normgraph/ontology#>
SELECT DISTINCT ?actor WHERE { ?actor ng:abstainsOn ?norm }"#;

/// Every act on an instrument with its status's polarity, obligation rank and whether it ends
/// earlier acts (withdrawal, denunciation).
const ACTS_ON: &str = r#"PREFIX ng: <https://w3id.org/normgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?actor ?status ?polarity ?rank ?ends ?date WHERE {
  ?e ng:target ?instrument ; ng:actor ?actor ; ng:status ?st .
  ?st skos:prefLabel ?status ; ng:polarity ?polarity ; ng:obligation ?ob .
  ?ob ng:rank ?rank .
  OPTIONAL { ?st ng:ends ?ends }
  OPTIONAL { ?e ng:date ?d }
  OPTIONAL { ?e ng:notAfter ?n }
  BIND(COALESCE(?d, ?n) AS ?date)
}"#;

/// Every state's set of backed norms (for alignment).
const BACKING: &str = r#"PREFIX ng: <https://w3id.org/normgraph/ontology#>
SELECT ?actor ?norm WHERE {
  ?summary ng:actor ?actor ; ng:norm ?norm ; ng:polarity 1 .
  ?actor a ng:State .
}"#;

type Row = HashMap<String, Term>;

fn literal<'r>(row: &'r Row, var: &str) -> Option<&'r str> {
    match row.get(var) {
        Some(Term::Literal(l)) => Some(l.value()),
        _ => None,
    }
}

fn iso_of(actor: &NamedNode) -> Option<&str> {
    actor
        .as_str()
        .strip_prefix(vocab::ID_NS)?
        .strip_prefix("state/")
        .filter(|k| k.len() == 3 && k.bytes().all(|b| b.is_ascii_uppercase()))
}

fn href(st: &AppState, n: &NamedNode) -> String {
    format!(
        "{}/id/{}",
        st.prefix,
        n.as_str().strip_prefix(vocab::ID_NS).unwrap_or_default()
    )
}

fn run(
    st: &AppState,
    name: &str,
    text: &str,
    param: &str,
    iri: &NamedNode,
) -> HttpResult<Vec<Row>> {
    let q = NamedQuery::from_text(name.into(), name.into(), text.into());
    rows_of(st, &q, param, iri)
}

/// ISO code → (IRI, name) of every state of the graph.
fn states(st: &AppState, any: &NamedNode) -> HttpResult<BTreeMap<String, (NamedNode, String)>> {
    let mut out = BTreeMap::new();
    for r in run(st, "states", STATES, "", any)? {
        if let (Some(Term::NamedNode(s)), Some(iso)) = (r.get("state"), literal(&r, "iso")) {
            let name = literal(&r, "name").unwrap_or(iso).to_owned();
            out.insert(iso.to_owned(), (s.clone(), name));
        }
    }
    Ok(out)
}

fn no_record(
    st: &AppState,
    states: &BTreeMap<String, (NamedNode, String)>,
    marks: &BTreeMap<String, Mark>,
) -> BTreeMap<String, (String, String)> {
    states
        .iter()
        .filter(|(iso, _)| !marks.contains_key(*iso))
        .map(|(iso, (s, name))| (iso.clone(), (name.clone(), href(st, s))))
        .collect()
}

fn name_of(states: &BTreeMap<String, (NamedNode, String)>, iso: &str) -> String {
    states
        .get(iso)
        .map(|s| s.1.clone())
        .unwrap_or_else(|| iso.to_owned())
}

/// The norm page's figures: a world map of the states' stances and the count of backers over
/// time. `backers` and `opponents` are the rows of `who-backs-norm` and `who-opposes-norm`.
pub fn norm(
    st: &AppState,
    norm: &NamedNode,
    title: &str,
    backers: &[Row],
    opponents: &[Row],
) -> HttpResult<Markup> {
    let states = states(st, norm)?;
    let mut names: HashMap<String, String> = HashMap::new();
    let mut marks: BTreeMap<String, Mark> = BTreeMap::new();
    for r in backers {
        let Some(Term::NamedNode(actor)) = r.get("actor") else {
            continue;
        };
        let Some(iso) = iso_of(actor) else { continue };
        let via = match r.get("via") {
            Some(Term::NamedNode(v)) => names
                .entry(v.as_str().to_owned())
                .or_insert_with(|| crate::compare::instrument_name(&st.kg, v))
                .clone(),
            _ => String::new(),
        };
        let rank = literal(r, "sortKey")
            .and_then(|k| k.parse::<u32>().ok())
            .map_or(1, |k| (k / 10).clamp(1, 5) as u8);
        let date = literal(r, "date").unwrap_or("undated");
        let status = literal(r, "status").unwrap_or("backs");
        marks.insert(
            iso.to_owned(),
            Mark {
                shade: Shade::Backs(rank),
                note: format!("{status}, {via} ({date})"),
                href: href(st, actor),
                name: literal(r, "actorLabel")
                    .map(str::to_owned)
                    .unwrap_or_else(|| name_of(&states, iso)),
            },
        );
    }
    for r in opponents {
        let Some(Term::NamedNode(actor)) = r.get("actor") else {
            continue;
        };
        let Some(iso) = iso_of(actor) else { continue };
        let status = literal(r, "status").unwrap_or("opposes");
        let date = literal(r, "date").unwrap_or("undated");
        let name = name_of(&states, iso);
        marks
            .entry(iso.to_owned())
            .and_modify(|m| {
                m.shade = Shade::Contested;
                m.note = format!("{}; also {status} ({date})", m.note);
            })
            .or_insert_with(|| Mark {
                shade: Shade::Opposes,
                note: format!("{status} ({date})"),
                href: href(st, actor),
                name,
            });
    }
    for r in run(st, "abstainers", ABSTAINERS, "norm", norm)? {
        let Some(Term::NamedNode(actor)) = r.get("actor") else {
            continue;
        };
        let Some(iso) = iso_of(actor) else { continue };
        if marks.contains_key(iso) {
            continue;
        }
        marks.insert(
            iso.to_owned(),
            Mark {
                shade: Shade::Abstains,
                note: "abstained on the paragraph that states it".into(),
                href: href(st, actor),
                name: name_of(&states, iso),
            },
        );
    }
    let none = no_record(st, &states, &marks);
    let steps = crate::compare::timeline(&st.kg, norm)?;
    Ok(html! {
        h2 { "Where it is backed" }
        (figures::stance_map(&format!("States' stances on “{title}”"), &marks, &none, None))
        p { small {
            "Colours follow the " a href={ (st.prefix) "/legend#colours" } { "legend" }
            ": the strongest evidence of each state; a vote on a whole resolution is not read as a \
            stance on this norm."
        } }
        h2 { "Backing over time" }
        (figures::backing_timeline(&format!("Actors backing “{title}”"), &steps, figures::BACKERS))
    })
}

/// The actor page's figures: the norms it backs over time (by the date it began to back each),
/// and, for a state, the states most and least aligned with it.
pub fn actor(st: &AppState, actor: &NamedNode, title: &str) -> HttpResult<Markup> {
    let q = crate::query::resolve(&st.kg.bundle().queries_dir(), "actor-stances")?;
    let rows = rows_of(st, &q, "actor", actor)?;
    let mut by_date: BTreeMap<String, (usize, BTreeMap<String, usize>)> = BTreeMap::new();
    let mut names: HashMap<String, String> = HashMap::new();
    for r in &rows {
        if literal(r, "polarity") != Some("1") {
            continue;
        }
        let Some(since) = literal(r, "since") else {
            continue;
        };
        let step = by_date.entry(since.to_owned()).or_default();
        step.0 += 1;
        if let Some(Term::NamedNode(v)) = r.get("via") {
            let n = names
                .entry(v.as_str().to_owned())
                .or_insert_with(|| crate::compare::instrument_name(&st.kg, v))
                .clone();
            *step.1.entry(n).or_default() += 1;
        }
    }
    let steps = crate::compare::steps(by_date);
    let alignment = match iso_of(actor) {
        Some(_) => Some(alignment(st, actor)?),
        None => None,
    };
    let compact = vocab::compact(actor.as_str()).unwrap_or_else(|| format!("<{}>", actor.as_str()));
    Ok(html! {
        @if !steps.is_empty() {
            h2 { "Norms backed over time" }
            (figures::backing_timeline(
                &format!("Norms backed by {title}"),
                &steps,
                Counted {
                    from: "each norm counted from the date the actor first backs it",
                    column: "Norms it began to back",
                },
            ))
        }
        @if let Some(alignment) = alignment { (alignment) }
        p { a href={ (st.prefix) "/compare?actors=" (compact) } { "Compare with other actors" } }
    })
}

/// The five states most and least aligned with `actor`: Jaccard agreement of the norms they back
/// (norms both back over norms either backs), as in the named query `alignment-matrix`.
fn alignment(st: &AppState, actor: &NamedNode) -> HttpResult<Markup> {
    let mut sets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in run(st, "backing", BACKING, "", actor)? {
        if let (Some(Term::NamedNode(a)), Some(Term::NamedNode(n))) =
            (r.get("actor"), r.get("norm"))
        {
            sets.entry(a.as_str().to_owned())
                .or_default()
                .insert(n.as_str().to_owned());
        }
    }
    let Some(mine) = sets.get(actor.as_str()) else {
        return Ok(html! {});
    };
    let mut scores: Vec<(f64, usize, usize, String)> = sets
        .iter()
        .filter(|(a, _)| a.as_str() != actor.as_str())
        .map(|(a, s)| {
            let shared = mine.intersection(s).count();
            let union = mine.union(s).count();
            (
                shared as f64 / union.max(1) as f64,
                shared,
                union,
                a.clone(),
            )
        })
        .collect();
    scores.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.3.cmp(&b.3)));
    let table = |rows: Vec<&(f64, usize, usize, String)>| {
        html! {
            table.rows {
                thead { tr {
                    th { "State" } th { "Agreement" } th { "Norms both back" } th { "Norms either backs" }
                } }
                tbody {
                    @for (score, shared, union, a) in rows {
                        @let n = NamedNode::new_unchecked(a.clone());
                        tr {
                            td { a href=(href(st, &n)) {
                                (crate::query::label_of(&st.kg, &n).unwrap_or_else(|| a.clone()))
                            } }
                            td { (format!("{score:.2}")) } td { (shared) } td { (union) }
                        }
                    }
                }
            }
        }
    };
    Ok(html! {
        h2 { "Most and least aligned states" }
        p { small {
            "Agreement = norms both back ÷ norms either backs (" (mine.len()) " norms backed here; "
            (scores.len()) " other states with a backing on record)."
        } }
        h3 { "Most aligned" }
        (table(scores.iter().take(5).collect()))
        h3 { "Least aligned" }
        (table(scores.iter().rev().take(5).collect()))
    })
}

/// The instrument page's figures: the states' acts on it on a map (the firmest act of each:
/// ratification above signature, a vote for above none; a later withdrawal or denunciation
/// removes it), and how many states had acted on it, over time.
pub fn instrument(st: &AppState, instrument: &NamedNode, title: &str) -> HttpResult<Markup> {
    let rows = run(st, "acts-on", ACTS_ON, "instrument", instrument)?;
    if rows.is_empty() {
        return Ok(html! {});
    }
    let states = states(st, instrument)?;
    struct Acts {
        best: Option<(u8, String, String)>,
        against: Option<(String, String)>,
        neutral: Option<(String, String)>,
        ended: Option<(String, String)>,
        first: Option<String>,
    }
    let mut per: BTreeMap<String, (NamedNode, Acts)> = BTreeMap::new();
    for r in &rows {
        let Some(Term::NamedNode(actor)) = r.get("actor") else {
            continue;
        };
        let Some(iso) = iso_of(actor) else { continue };
        let status = literal(r, "status").unwrap_or_default().to_owned();
        let date = literal(r, "date").unwrap_or("undated").to_owned();
        let rank: u8 = literal(r, "rank").and_then(|x| x.parse().ok()).unwrap_or(1);
        let polarity: i64 = literal(r, "polarity")
            .and_then(|x| x.parse().ok())
            .unwrap_or(0);
        let ends = literal(r, "ends") == Some("true");
        let entry = per.entry(iso.to_owned()).or_insert_with(|| {
            (
                actor.clone(),
                Acts {
                    best: None,
                    against: None,
                    neutral: None,
                    ended: None,
                    first: None,
                },
            )
        });
        let a = &mut entry.1;
        if ends {
            if a.ended.as_ref().is_none_or(|(_, d)| date > *d) {
                a.ended = Some((status, date));
            }
        } else if polarity > 0 {
            if a.best.as_ref().is_none_or(|(r0, _, _)| rank > *r0) {
                a.best = Some((rank, status, date.clone()));
            }
            if date != "undated" && a.first.as_ref().is_none_or(|f| date < *f) {
                a.first = Some(date);
            }
        } else if polarity < 0 {
            a.against = Some((status, date));
        } else {
            a.neutral = Some((status, date));
        }
    }
    let mut marks = BTreeMap::new();
    let mut firsts: BTreeMap<String, usize> = BTreeMap::new();
    for (iso, (actor, a)) in &per {
        let name = name_of(&states, iso);
        let (shade, note) = match (&a.best, &a.against, &a.neutral, &a.ended) {
            (Some((_, s, d)), _, _, Some((es, ed))) if ed >= d => {
                (Shade::NoRecord, format!("{s} ({d}), then {es} ({ed})"))
            }
            (Some((_, s, d)), Some((ags, agd)), _, _) => {
                (Shade::Contested, format!("{s} ({d}); {ags} ({agd})"))
            }
            (Some((r, s, d)), None, _, _) => (Shade::Backs(*r), format!("{s} ({d})")),
            (None, Some((s, d)), _, _) => (Shade::Opposes, format!("{s} ({d})")),
            (None, None, Some((s, d)), _) => (Shade::Abstains, format!("{s} ({d})")),
            _ => continue,
        };
        if let Some(f) = &a.first {
            *firsts.entry(f.clone()).or_default() += 1;
        }
        marks.insert(
            iso.clone(),
            Mark {
                shade,
                note,
                href: href(st, actor),
                name,
            },
        );
    }
    let none = no_record(st, &states, &marks);
    let steps: Vec<Step> = firsts
        .into_iter()
        .map(|(date, added)| Step {
            date,
            added,
            via: Vec::new(),
        })
        .collect();
    Ok(html! {
        h2 { "States' acts on it" }
        (figures::stance_map(
            &format!("States' acts on “{title}”"),
            &marks,
            &none,
            Some("neutral acts only (abstention, reservation, participation...)"),
        ))
        @if !steps.is_empty() {
            h2 { "States acting on it over time" }
            (figures::backing_timeline(
                &format!("States with a positive act on “{title}”"),
                &steps,
                Counted {
                    from: "each state counted from the date of its first positive act (signature, vote for, support...)",
                    column: "States acting for the first time",
                },
            ))
        }
    })
}
