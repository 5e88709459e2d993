//! The researcher's pages: search (`/search`), actors side by side (`/compare`) and the legend of
//! statuses, levels and date kinds (`/legend`). HTML by default; `/search` answers JSON and
//! `/compare` CSV on request (`format=` or `Accept`).

use std::collections::HashMap;

use maud::{html, Markup};
use oxigraph::model::{NamedNode, Term};

use super::pages::page;
use super::*;
use crate::compare::{self, Comparison};
use crate::query::{self, Answer, NamedQuery};
use crate::search::{Hit, Kind};
use crate::vocab;

/// Most hits a search answers.
pub const MAX_HITS: usize = 200;

/// The hits of `/search` as JSON: the query, the data release and the hits.
pub fn search_json(st: &AppState, q: &str, kind: Option<Kind>, hits: &[Hit]) -> String {
    let r = super::release(st);
    serde_json::json!({
        "query": q,
        "kind": kind.map(Kind::as_str),
        "release": {"version": r.version, "sha256": r.sha256},
        "hits": hits.iter().map(|h| serde_json::json!({
            "iri": h.iri.as_str(),
            "prefixed": vocab::compact(h.iri.as_str()),
            "kind": h.kind.as_str(),
            "label": h.label,
            "snippet": h.snippet,
            "score": (h.score * 1000.0).round() / 1000.0,
        })).collect::<Vec<_>>(),
    })
    .to_string()
}

fn local_href(st: &AppState, iri: &NamedNode) -> String {
    match iri.as_str().strip_prefix(vocab::ID_NS) {
        Some(rest) => format!("{}/id/{rest}", st.prefix),
        None => iri.as_str().to_owned(),
    }
}

/// The search page: the form and the hits.
pub fn search_page(st: &AppState, q: &str, kind: Option<Kind>, hits: &[Hit]) -> String {
    let this = if q.is_empty() {
        "/search".to_owned()
    } else {
        format!("/search?q={}", percent(q))
    };
    let body = html! {
        h1 { "Search" }
        form action={ (st.prefix) "/search" } method="get" {
            input type="search" name="q" value=(q) aria-label="Words to find" size="50";
            " "
            select name="kind" aria-label="Kind" {
                @for (value, label) in [
                    ("", "norms, actors, instruments"),
                    ("norm", "norms"),
                    ("actor", "actors"),
                    ("instrument", "instruments"),
                ] {
                    option value=(value) selected[kind.map_or(value.is_empty(), |k| k.as_str() == value)] {
                        (label)
                    }
                }
            }
            " "
            button { "Search" }
        }
        p { small {
            "Every word must match a label, an alternative label, a title, a norm's text, a \
            document symbol (A/70/174, 73/27) or an ISO code; names and symbols rank before texts. "
            code { "?format=json" } " gives the same as JSON."
        } }
        @if !q.is_empty() {
            p { (hits.len()) " hit" @if hits.len() != 1 { "s" } " for “" (q) "”." }
            ol.hits {
                @for hit in hits {
                    li {
                        a href=(local_href(st, &hit.iri)) { (hit.label) }
                        " "
                        small {
                            (hit.kind) " · "
                            code { (vocab::compact(hit.iri.as_str()).unwrap_or_else(|| hit.iri.as_str().to_owned())) }
                        }
                        @if !hit.snippet.is_empty() && hit.snippet != hit.label {
                            br; small { (hit.snippet) }
                        }
                    }
                }
            }
        }
    };
    page(st, if q.is_empty() { "Search" } else { q }, body, &this)
}

/// Percent-encodes a query-string value.
fn percent(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Parses the `actors` parameter: `<IRI>` or prefixed names, separated by commas or spaces.
pub fn parse_actors(param: &str) -> HttpResult<Vec<NamedNode>> {
    let mut out = Vec::new();
    for a in param
        .split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        match query::parse_value("actors", a) {
            Ok(Term::NamedNode(n)) => out.push(n),
            Ok(_) => {
                return Err(HttpError::bad_request(format!(
                    "actors: {a:?} is not an IRI (use <IRI> or prefix:name, e.g. state:CHN)"
                )))
            }
            Err(e) => return Err(HttpError::bad_request(e.to_string())),
        }
    }
    if out.len() > compare::MAX_ACTORS {
        return Err(HttpError::bad_request(format!(
            "actors: {} given, at most {}",
            out.len(),
            compare::MAX_ACTORS
        )));
    }
    Ok(out)
}

/// The comparison page: a norms × actors table, each cell the strongest stance (coloured by
/// level, linked to the instrument it goes through), with a CSV link.
pub fn compare_page(st: &AppState, param: &str, cmp: Option<&Comparison>) -> String {
    let p = &st.prefix;
    let form = html! {
        h1 { "Compare actors" }
        form action={ (p) "/compare" } method="get" {
            input name="actors" size="60" value=(param) aria-label="Actors, comma-separated"
                placeholder="state:CHN,state:USA,state:RUS";
            " "
            button { "Compare" }
        }
        p { small {
            "Actors as prefixed names or IRIs, separated by commas (at most " (compare::MAX_ACTORS)
            "). Each cell is the actor's strongest stance on the norm: + backs, − opposes, ○ \
            abstained on its paragraph; coloured by how firmly (see the "
            a href={ (p) "/legend" } { "legend" }
            "), dated since when, linked to the instrument it goes through. A vote on a whole \
            resolution is never read as a stance on one of its norms."
        } }
    };
    let Some(cmp) = cmp else {
        return page(st, "Compare actors", form, "/compare");
    };
    let query_string = format!("actors={}", percent(param));
    let class = |cells: &[compare::Cell]| match cells.first() {
        Some(c) if c.polarity > 0 && cells.iter().any(|x| x.polarity < 0) => "co".to_owned(),
        Some(c) if c.polarity > 0 => format!("b{}", c.rank),
        Some(c) if c.polarity < 0 => "op".to_owned(),
        _ => "ab".to_owned(),
    };
    let body = html! {
        (form)
        p {
            (cmp.norms.len()) " norms on which at least one of " (cmp.actors.len())
            " actors has a stance. "
            a href={ (p) "/compare?" (query_string) "&format=csv" } { "CSV" }
            " (one row per actor, norm and stance)."
        }
        table class="rows compare" {
            thead { tr {
                th { "Norm" }
                @for (a, label) in &cmp.actors { th { a href=(local_href(st, a)) { (label) } } }
            } }
            tbody {
                @for (ni, (norm, label)) in cmp.norms.iter().enumerate() {
                    tr {
                        th { a href=(local_href(st, norm)) { (label) } }
                        @for ai in 0..cmp.actors.len() {
                            @match cmp.cells.get(&(ni, ai)) {
                                None => { td.none { "·" } }
                                Some(cells) => {
                                    td class={ "cell " (class(cells)) } {
                                        @for (i, c) in cells.iter().enumerate() {
                                            @if i > 0 { br; }
                                            a href=(local_href(st, &c.via))
                                                title={
                                                    (c.obligation) " — "
                                                    (vocab::compact(c.via.as_str()).unwrap_or_else(|| c.via.as_str().to_owned()))
                                                    ", " (c.evidence) " stance(s)"
                                                } { (c.short()) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(
        st,
        "Compare actors",
        body,
        &format!("/compare?{query_string}"),
    )
}

const LEGEND: &str = r#"PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ng: <https://w3id.org/normgraph/ontology#>
SELECT ?scheme ?schemeLabel ?c ?label ?definition ?rank ?obligation ?engagement ?polarity WHERE {
  VALUES ?scheme {
    <https://w3id.org/normgraph/id/scheme/endorsement-status>
    <https://w3id.org/normgraph/id/scheme/obligation>
    <https://w3id.org/normgraph/id/scheme/engagement>
    <https://w3id.org/normgraph/id/scheme/date-kind>
    <https://w3id.org/normgraph/id/scheme/derivation-rule>
  }
  ?c skos:inScheme ?scheme ; skos:prefLabel ?label .
  OPTIONAL { ?scheme skos:prefLabel ?schemeLabel }
  OPTIONAL { ?c skos:definition ?definition }
  OPTIONAL { ?c ng:rank ?rank }
  OPTIONAL { ?c ng:obligation/skos:prefLabel ?obligation }
  OPTIONAL { ?c ng:engagement/skos:prefLabel ?engagement }
  OPTIONAL { ?c ng:polarity ?polarity }
}
ORDER BY ?scheme DESC(?rank) ?label"#;

/// The legend: every status, level of obligation and engagement, date kind and derivation rule,
/// with its definition (from `ontology/schemes.ttl`), and the colours of maps and comparisons.
pub fn legend_page(st: &AppState) -> HttpResult<String> {
    let q = NamedQuery::from_text("legend".into(), "legend".into(), LEGEND.into());
    let Answer::Solutions { variables, rows } = query::run(&st.kg, &q, &[])? else {
        return Err(HttpError::internal("the legend query is not a SELECT"));
    };
    let col = |name: &str| variables.iter().position(|v| v.as_str() == name);
    let idx: HashMap<&str, usize> = [
        "scheme",
        "schemeLabel",
        "c",
        "label",
        "definition",
        "rank",
        "obligation",
        "engagement",
        "polarity",
    ]
    .into_iter()
    .filter_map(|n| col(n).map(|i| (n, i)))
    .collect();
    let get = |row: &Vec<Option<Term>>, n: &str| -> Option<String> {
        match idx.get(n).and_then(|i| row[*i].as_ref()) {
            Some(Term::Literal(l)) => Some(l.value().to_owned()),
            Some(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
            _ => None,
        }
    };
    // The rows grouped by scheme, in the query's order: (anchor, title, rows).
    type Scheme<'r> = (String, String, Vec<&'r Vec<Option<Term>>>);
    let mut schemes: Vec<Scheme<'_>> = Vec::new();
    for row in &rows {
        let scheme = get(row, "scheme").unwrap_or_default();
        let anchor = scheme.rsplit('/').next().unwrap_or_default();
        if schemes.last().is_none_or(|(a, _, _)| a != anchor) {
            let title = get(row, "schemeLabel").unwrap_or_else(|| anchor.to_owned());
            schemes.push((anchor.to_owned(), title, Vec::new()));
        }
        if let Some(last) = schemes.last_mut() {
            last.2.push(row);
        }
    }
    use crate::figures::Shade;
    let body = html! {
        h1 { "Legend" }
        p {
            "What each column of normgraph's tables means. A stance's strength is its sort key: \
            10 × the obligation rank + the engagement rank, so a signature always outranks a \
            communiqué. Sources of the levels: " code { "ontology/schemes.ttl" } "."
        }
        h2 id="colours" { "Colours of maps and comparisons" }
        ul.legend {
            @for s in Shade::all() { li { span class={ "key " (s.class()) } {} (s.label()) } }
        }
        @for (anchor, title, rows) in &schemes {
            h2 id=(anchor) { (title) }
            table.rows {
                thead { tr {
                    th { "Term" } th { "Rank" } th { "Obligation" } th { "Engagement" }
                    th { "Polarity" } th { "Definition" }
                } }
                tbody {
                    @for row in rows {
                        @let c = get(row, "c").unwrap_or_default();
                        tr id=(c.rsplit('/').next().unwrap_or_default()) {
                            th { (get(row, "label").unwrap_or_default()) }
                            @for n in ["rank", "obligation", "engagement", "polarity", "definition"] {
                                td { (get(row, n).unwrap_or_default()) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page(st, "Legend", body, "/legend"))
}

/// The newest recorded acts, for the feed: every dated act, newest first (what `changes-between`
/// selects for an interval, with the act's own IRI as the entry's id).
const FEED: &str = r#"PREFIX ng: <https://w3id.org/normgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?e ?date ?actor ?status ?target (SAMPLE(STR(?page)) AS ?source) WHERE {
  ?e a ng:Endorsement ; ng:actor ?actor ; ng:status ?st ; ng:target ?target ; ng:date ?date .
  ?st skos:prefLabel ?status .
  OPTIONAL { ?e prov:hadPrimarySource ?src . ?src foaf:page ?page }
}
GROUP BY ?e ?date ?actor ?status ?target
ORDER BY DESC(?date) ?e
LIMIT 200"#;

/// `/changes.atom`: an Atom feed (RFC 4287) of the 200 newest recorded acts, by act date.
pub fn changes_feed(st: &AppState) -> HttpResult<String> {
    let q = NamedQuery::from_text("changes-feed".into(), "changes-feed".into(), FEED.into());
    let Answer::Solutions { variables, rows } = query::run(&st.kg, &q, &[])? else {
        return Err(HttpError::internal("the feed query is not a SELECT"));
    };
    let col = |n: &str| variables.iter().position(|v| v.as_str() == n);
    let cell =
        |row: &Vec<Option<Term>>, n: &str| -> Option<Term> { col(n).and_then(|i| row[i].clone()) };
    let value = |t: Option<Term>| match t {
        Some(Term::Literal(l)) => l.value().to_owned(),
        Some(Term::NamedNode(n)) => n.as_str().to_owned(),
        _ => String::new(),
    };
    let r = super::release(st);
    let newest = rows
        .first()
        .map(|row| value(cell(row, "date")))
        .unwrap_or_else(|| "1970-01-01".into());
    let mut kg_labels = HashMap::new();
    let mut label = |t: Option<Term>| -> String {
        match t {
            Some(Term::NamedNode(n)) => kg_labels
                .entry(n.as_str().to_owned())
                .or_insert_with(|| compare::instrument_name(&st.kg, &n))
                .clone(),
            other => value(other),
        }
    };
    // (id, date, actor, status, target, source, link) of each entry.
    let entries: Vec<[String; 7]> = rows
        .iter()
        .map(|row| {
            let e = value(cell(row, "e"));
            let link = e
                .strip_prefix(vocab::ID_NS)
                .map(|k| format!("{}/id/{k}", st.base))
                .unwrap_or_else(|| e.clone());
            [
                e,
                value(cell(row, "date")),
                label(cell(row, "actor")),
                value(cell(row, "status")),
                label(cell(row, "target")),
                value(cell(row, "source")),
                link,
            ]
        })
        .collect();
    let b = &st.base;
    // XML, written with the HTML template: every element has content or an explicit end tag
    // (no void `<link>`), and text and attribute values are escaped alike.
    let feed: Markup = html! {
        feed xmlns="http://www.w3.org/2005/Atom" {
            id { (b) "/changes.atom" }
            title { "normgraph: newest recorded acts on cyber norm instruments" }
            subtitle { "normgraph " (r.version) ", data release sha256:" (r.sha256) }
            updated { (newest.get(..10).unwrap_or(&newest)) "T00:00:00Z" }
            link rel="self" href={ (b) "/changes.atom" } {}
            author { name { "normgraph" } }
            @for [e, date, actor, status, target, source, link] in &entries {
                entry {
                    id { (e) }
                    title { (actor) ": " (status) " " (target) }
                    updated { (date.get(..10).unwrap_or(date)) "T00:00:00Z" }
                    link href=(link) {}
                    summary {
                        (actor) " — " (status) " — " (target) " (" (date) ")"
                        @if !source.is_empty() { "; source: " (source) }
                    }
                }
            }
        }
    };
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{}\n",
        feed.into_string()
    ))
}

/// `/releases`: the release this server answers from, and how releases are made and cited.
pub fn releases_page(st: &AppState) -> String {
    let r = super::release(st);
    let p = &st.prefix;
    let body = html! {
        h1 { "Releases" }
        p {
            "A release is identified by the SHA-256 of the canonical (RDFC-1.0) N-Quads of its \
            data graphs: the same data gives the same hash whatever the load order or blank node \
            labels. Every page ends with it; CSV answers carry it in the "
            code { "normgraph-release" } " header, JSON answers in " code { "release" } "."
        }
        table.rows {
            thead { tr {
                th { "Code version" } th { "Data release (sha256)" } th { "Quads" } th { "Served here" }
            } }
            tbody { tr {
                td { (r.version) } td { code { (r.sha256) } } td { (r.quads) } td { "yes" }
            } }
        }
        p {
            "Make a release folder (every dump, CSV tables, VoID, checksums) with "
            code { "normgraph export --release DIR" } "; check a copy with "
            code { "normgraph export --canonical" } ", which prints the same hash. Cite with "
            code { "CITATION.cff" } " and the hash. Changes by act date: "
            a href={ (p) "/changes.atom" } { "feed" } "."
        }
    };
    page(st, "Releases", body, "/releases")
}

// ---------------------------------------------------------------------------------------------
// Handlers of the exploration pages

/// `/search?q=...&kind=norm|actor|instrument&limit=N&format=json|html`.
pub(super) async fn search(
    State(state): State<Arc<AppState>>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
    headers: HeaderMap,
) -> Response {
    let r = async {
        let params = url_params(raw.as_deref());
        let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let q = get("q").unwrap_or_default();
        if q.len() > 1000 {
            return Err(HttpError::bad_request("q: at most 1000 characters"));
        }
        let kind = match get("kind").filter(|k| !k.is_empty()) {
            Some(k) => Some(
                k.parse::<crate::search::Kind>()
                    .map_err(|e| HttpError::bad_request(e.to_string()))?,
            ),
            None => None,
        };
        let limit = match get("limit") {
            Some(l) => l
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=explore::MAX_HITS).contains(n))
                .ok_or_else(|| {
                    HttpError::bad_request(format!(
                        "limit: a number from 1 to {}",
                        explore::MAX_HITS
                    ))
                })?,
            None => 50,
        };
        let json = match get("format").as_deref() {
            Some("json") => true,
            Some("html") => false,
            Some(f) => {
                return Err(HttpError::bad_request(format!(
                    "format {f:?}: json or html"
                )))
            }
            None => pick(&headers, conneg::SEARCH)?.output != Output::Html,
        };
        let body = blocking(&state, move |st, _| {
            let hits = if q.trim().is_empty() {
                Vec::new()
            } else {
                search_index(st)?.search(&q, kind, limit)
            };
            Ok(if json {
                explore::search_json(st, &q, kind, &hits)
            } else {
                explore::search_page(st, &q, kind, &hits)
            })
        })
        .await?;
        Ok(text_response(
            if json {
                "application/json"
            } else {
                "text/html; charset=utf-8"
            },
            body,
        ))
    }
    .await;
    r.unwrap_or_else(IntoResponse::into_response)
}

/// `/compare?actors=state:CHN,state:USA&format=csv|html`.
pub(super) async fn compare(
    State(state): State<Arc<AppState>>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let r = async {
        let params = url_params(raw.as_deref());
        let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let param = get("actors").unwrap_or_default();
        let csv = match get("format").as_deref() {
            Some("csv") => true,
            None | Some("html") => false,
            Some(f) => return Err(HttpError::bad_request(format!("format {f:?}: csv or html"))),
        };
        let actors = explore::parse_actors(&param)?;
        if actors.is_empty() && csv {
            return Err(HttpError::bad_request("actors: name at least one actor"));
        }
        let body = blocking(&state, move |st, _| {
            let cmp = if actors.is_empty() {
                None
            } else {
                Some(
                    crate::compare::compare(&st.kg, &actors).map_err(|e| match e {
                        Error::Parameter { .. } | Error::Invalid(_) => {
                            HttpError::bad_request(e.to_string())
                        }
                        other => HttpError::from(other),
                    })?,
                )
            };
            Ok(match (&cmp, csv) {
                (Some(c), true) => c.to_csv(),
                _ => explore::compare_page(st, &param, cmp.as_ref()),
            })
        })
        .await?;
        let text = body;
        let resp = text_response(
            if csv {
                "text/csv; charset=utf-8; header=present"
            } else {
                "text/html; charset=utf-8"
            },
            text,
        );
        Ok(resp)
    }
    .await;
    r.unwrap_or_else(IntoResponse::into_response)
}

/// `/legend`: statuses, levels, date kinds, derivation rules and colours.
pub(super) async fn legend(State(state): State<Arc<AppState>>) -> Response {
    blocking(&state, move |st, _| explore::legend_page(st))
        .await
        .map(|h| text_response("text/html; charset=utf-8", h))
        .unwrap_or_else(IntoResponse::into_response)
}

/// `/releases`: the data release served and how to cite it.
pub(super) async fn releases(State(state): State<Arc<AppState>>) -> Response {
    blocking(&state, move |st, _| Ok(explore::releases_page(st)))
        .await
        .map(|h| text_response("text/html; charset=utf-8", h))
        .unwrap_or_else(IntoResponse::into_response)
}

/// `/changes.atom`: the newest recorded acts as an Atom feed.
pub(super) async fn changes(State(state): State<Arc<AppState>>) -> Response {
    blocking(&state, move |st, _| explore::changes_feed(st))
        .await
        .map(|x| text_response("application/atom+xml; charset=utf-8", x))
        .unwrap_or_else(IntoResponse::into_response)
}
