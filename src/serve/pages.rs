//! HTML: the query page (`/`) and the linked-data pages (`/id/...`), with no assets from
//! elsewhere, so they work offline. Pages are maud templates: every text and attribute value
//! interpolated is escaped by the template itself; the only unescaped pieces are the project's
//! own style sheet and markup already built by templates.

use std::collections::{BTreeMap, HashMap};

use maud::{html, Markup, PreEscaped, DOCTYPE};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};

use super::{library_rows, rows_of, AppState, HttpResult};
use crate::query::{self, NamedQuery};
use crate::vocab;

const RDF_TYPE: &str = oxigraph::model::vocab::rdf::TYPE.as_str();
use crate::vocab::ng::{ACTOR, INSTRUMENT, NORM};

struct Links<'a> {
    st: &'a AppState,
    labels: HashMap<String, Option<String>>,
}

impl Links<'_> {
    /// `rdfs:label` / `skos:prefLabel`, else a document's `dcterms:title` or `dcterms:identifier`.
    fn label(&mut self, n: &NamedNode) -> Option<String> {
        let kg = &self.st.kg;
        self.labels
            .entry(n.as_str().to_owned())
            .or_insert_with(|| {
                query::label_of(kg, n).or_else(|| {
                    [
                        "http://purl.org/dc/terms/title",
                        "http://purl.org/dc/terms/identifier",
                    ]
                    .iter()
                    .find_map(|p| {
                        let p = NamedNode::new_unchecked(*p);
                        let mut best: Option<(bool, String)> = None;
                        for q in kg
                            .store()
                            .quads_for_pattern(
                                Some(n.as_ref().into()),
                                Some(p.as_ref()),
                                None,
                                None,
                            )
                            .flatten()
                        {
                            if let Term::Literal(l) = q.object {
                                let en = l.language().is_none_or(|t| t == "en");
                                if best.as_ref().is_none_or(|(b, _)| en && !*b) {
                                    best = Some((en, l.value().to_owned()));
                                }
                            }
                        }
                        best.map(|(_, l)| l)
                    })
                })
            })
            .clone()
    }

    /// A link to a resource: local for normgraph IRIs, external for http(s), text otherwise.
    fn iri(&mut self, n: &NamedNode) -> Markup {
        let iri = n.as_str();
        let short = vocab::compact(iri).unwrap_or_else(|| iri.to_owned());
        let text = self.label(n).unwrap_or_else(|| short.clone());
        let prefix = &self.st.prefix;
        if let Some(rest) = iri.strip_prefix(vocab::ID_NS) {
            html! { a href={ (prefix) "/id/" (rest) } title=(short) { (text) } }
        } else if iri.starts_with(vocab::ng::NS) {
            html! { a href={ (prefix) "/ontology" } title=(text) { (short) } }
        } else if iri.starts_with("http://") || iri.starts_with("https://") {
            html! { a href=(iri) rel="nofollow" { (text) } }
        } else {
            html! { (text) }
        }
    }

    fn term(&mut self, t: &Term, triples: &[Triple], depth: usize) -> Markup {
        match t {
            Term::NamedNode(n) => self.iri(n),
            Term::Literal(l) => {
                let datatype = (l.language().is_none()
                    && l.datatype().as_str() != "http://www.w3.org/2001/XMLSchema#string")
                    .then(|| {
                        vocab::compact(l.datatype().as_str())
                            .unwrap_or_else(|| l.datatype().as_str().to_owned())
                    });
                html! {
                    (l.value())
                    @if let Some(lang) = l.language() { " " small { "@" (lang) } }
                    @if let Some(dt) = datatype { " " small { (dt) } }
                }
            }
            Term::BlankNode(b) if depth < 4 => {
                let node = NamedOrBlankNode::from(b.clone());
                let rows: Vec<(Markup, Markup)> = triples
                    .iter()
                    .filter(|tr| tr.subject == node)
                    .map(|tr| {
                        (
                            self.iri(&tr.predicate),
                            self.term(&tr.object, triples, depth + 1),
                        )
                    })
                    .collect();
                html! {
                    table.nested {
                        @for (p, o) in rows { tr { th { (p) } td { (o) } } }
                    }
                }
            }
            #[allow(unreachable_patterns)]
            other => html! { (other.to_string()) },
        }
    }

    /// A table cell: links for IRIs, bare lexical forms for literals.
    fn cell(&mut self, row: &HashMap<String, Term>, var: &str) -> Markup {
        match row.get(var) {
            Some(Term::Literal(l)) => html! { (l.value()) },
            Some(t) => self.term(t, &[], 0),
            None => html! {},
        }
    }

    fn sources(&self, row: &HashMap<String, Term>) -> Markup {
        let Some(Term::Literal(l)) = row.get("sources") else {
            return html! {};
        };
        let urls: Vec<&str> = l
            .value()
            .split_whitespace()
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            .collect();
        html! {
            @for (i, u) in urls.iter().enumerate() {
                @if i > 0 { " " }
                a href=(u) rel="nofollow" { (u.split('/').nth(2).unwrap_or(u)) }
            }
        }
    }
}

fn date_cell(links: &mut Links<'_>, row: &HashMap<String, Term>) -> Markup {
    if let (Some(_), Some(kind)) = (row.get("date"), row.get("dateKind")) {
        let kind = match kind {
            Term::Literal(l) => l.value().to_owned(),
            other => other.to_string(),
        };
        let date = links.cell(row, "date");
        match kind.as_str() {
            "no later than" => html! { "≤ " (date) },
            "as read on" => html! { (date) " (as read on)" },
            _ => date,
        }
    } else if row.contains_key("date") {
        links.cell(row, "date")
    } else if row.contains_key("noLaterThan") {
        html! { "≤ " (links.cell(row, "noLaterThan")) }
    } else {
        html! {}
    }
}

/// A table of `rows` with the `columns` (heading, legend anchor) and one cell per column.
fn rows_table(
    st: &AppState,
    id: &str,
    columns: &[(&str, Option<&str>)],
    cells: Vec<Vec<Markup>>,
) -> Markup {
    html! {
        table.rows id=(id) {
            thead { tr {
                @for (heading, anchor) in columns {
                    th {
                        @if let Some(anchor) = anchor {
                            a href={ (st.prefix) "/legend#" (anchor) } { (heading) }
                        } @else { (heading) }
                    }
                }
            } }
            tbody {
                @for row in cells { tr { @for cell in row { td { (cell) } } } }
            }
        }
    }
}

/// The HTML page of a resource: label, types, properties, and for a norm its backers and
/// opponents, for an actor its endorsements.
pub fn resource_page(st: &AppState, iri: &NamedNode, description: &[Triple]) -> HttpResult<String> {
    let mut links = Links {
        st,
        labels: HashMap::new(),
    };
    let subject = NamedOrBlankNode::from(iri.clone());
    let short = vocab::compact(iri.as_str()).unwrap_or_else(|| iri.as_str().to_owned());
    let title = links.label(iri).unwrap_or_else(|| short.clone());
    let mut types = Vec::new();
    let mut props: BTreeMap<String, (NamedNode, Vec<&Term>)> = BTreeMap::new();
    for t in description.iter().filter(|t| t.subject == subject) {
        if t.predicate.as_str() == RDF_TYPE {
            if let Term::NamedNode(n) = &t.object {
                types.push(n.clone());
            }
            continue;
        }
        let key =
            vocab::compact(t.predicate.as_str()).unwrap_or_else(|| t.predicate.as_str().to_owned());
        props
            .entry(key)
            .or_insert_with(|| (t.predicate.clone(), Vec::new()))
            .1
            .push(&t.object);
    }
    types.sort();
    types.dedup();
    let is = |class: &str| types.iter().any(|t| t.as_str() == class);
    let type_links: Vec<Markup> = types.iter().map(|t| links.iri(t)).collect();
    let properties: Vec<(Markup, Vec<Markup>)> = props
        .values()
        .map(|(pred, values)| {
            let vals = values
                .iter()
                .map(|v| links.term(v, description, 0))
                .collect();
            (links.iri(pred), vals)
        })
        .collect();
    let mut sections: Vec<Markup> = Vec::new();
    if is(NORM) {
        let backers = library_rows(st, "who-backs-norm", "norm", iri)?;
        let opponents = library_rows(st, "who-opposes-norm", "norm", iri)?;
        sections.push(super::panels::norm(st, iri, &title, &backers, &opponents)?);
        let cells = backers
            .iter()
            .map(|r| {
                vec![
                    links.cell(r, "actor"),
                    links.cell(r, "status"),
                    links.cell(r, "obligation"),
                    links.cell(r, "engagement"),
                    date_cell(&mut links, r),
                    links.cell(r, "since"),
                    links.cell(r, "via"),
                    links.cell(r, "through"),
                    links.cell(r, "rule"),
                    links.cell(r, "evidence"),
                    links.sources(r),
                ]
            })
            .collect();
        let backed = rows_table(
            st,
            "backers",
            &[
                ("Actor", None),
                ("Strongest evidence", Some("endorsement-status")),
                ("Obligation", Some("obligation")),
                ("Engagement", Some("engagement")),
                ("Date", Some("date-kind")),
                ("Since", None),
                ("Via", None),
                ("Through", None),
                ("Rule", Some("derivation-rule")),
                ("Stances", None),
                ("Sources", None),
            ],
            cells,
        );
        let cells = opponents
            .iter()
            .map(|r| {
                vec![
                    links.cell(r, "actor"),
                    links.cell(r, "status"),
                    date_cell(&mut links, r),
                    links.cell(r, "via"),
                    links.sources(r),
                ]
            })
            .collect();
        let opposed = rows_table(
            st,
            "opponents",
            &[
                ("Actor", None),
                ("Status", Some("endorsement-status")),
                ("Date", Some("date-kind")),
                ("Via", None),
                ("Sources", None),
            ],
            cells,
        );
        sections.push(html! {
            h2 { "Backed by (" (backers.len()) ")" } (backed)
            h2 { "Opposed by (" (opponents.len()) ")" } (opposed)
        });
    }
    if is(INSTRUMENT) {
        sections.push(super::panels::instrument(st, iri, &title)?);
    }
    if is(ACTOR) {
        sections.push(super::panels::actor(st, iri, &title)?);
        let endorsements = NamedQuery::from_text(
            "actor-endorsements".into(),
            "actor-endorsements".into(),
            ACTOR_ENDORSEMENTS.into(),
        );
        let rows = rows_of(st, &endorsements, "actor", iri)?;
        let cells = rows
            .iter()
            .map(|r| {
                vec![
                    links.cell(r, "target"),
                    links.cell(r, "status"),
                    date_cell(&mut links, r),
                    links.cell(r, "e"),
                    links.sources(r),
                ]
            })
            .collect();
        let table = rows_table(
            st,
            "endorsements",
            &[
                ("Target", None),
                ("Status", Some("endorsement-status")),
                ("Date", Some("date-kind")),
                ("Record", None),
                ("Sources", None),
            ],
            cells,
        );
        sections.push(html! { h2 { "Endorsements (" (rows.len()) ")" } (table) });
    }
    // Resources that point here (the first 100, and how many in all).
    let mut seen = std::collections::HashSet::new();
    let mut incoming: Vec<(NamedOrBlankNode, NamedNode)> = Vec::new();
    for q in st
        .kg
        .store()
        .quads_for_pattern(None, None, Some(iri.as_ref().into()), None)
        .flatten()
    {
        let pair = (q.subject, q.predicate);
        if seen.insert(pair.clone()) && incoming.len() < 100 {
            incoming.push(pair);
        }
    }
    let total = seen.len();
    let referenced: Vec<(Markup, Markup)> = incoming
        .iter()
        .map(|(s, pred)| {
            let s = match s {
                NamedOrBlankNode::NamedNode(n) => links.iri(n),
                NamedOrBlankNode::BlankNode(b) => html! { "_:" (b.as_str()) },
            };
            (s, links.iri(pred))
        })
        .collect();
    let this = format!(
        "/id/{}",
        iri.as_str().strip_prefix(vocab::ID_NS).unwrap_or_default()
    );
    Ok(page(
        st,
        &title,
        html! {
            h1 { (title) }
            p.iri { code { (iri.as_str()) } " (" (short) ")" }
            @if !type_links.is_empty() {
                p.types {
                    "Types: "
                    @for (i, t) in type_links.into_iter().enumerate() {
                        @if i > 0 { ", " }
                        (t)
                    }
                }
            }
            h2 { "Properties" }
            table.props {
                @for (pred, vals) in properties {
                    tr {
                        th { (pred) }
                        td {
                            @for (i, v) in vals.into_iter().enumerate() {
                                @if i > 0 { br; }
                                (v)
                            }
                        }
                    }
                }
            }
            @for section in sections { (section) }
            @if !referenced.is_empty() {
                h2 { "Referenced by (" (total) ")" }
                table.props {
                    @for (s, pred) in referenced { tr { td { (s) } th { (pred) } } }
                }
                @if total > incoming.len() {
                    p { "… and " (total - incoming.len()) " more." }
                }
            }
        },
        &this,
    ))
}

const ACTOR_ENDORSEMENTS: &str = r#"# The endorsements recorded for an actor, earliest first
# Parameters: ?actor  IRI of a ng:Actor
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX ng: <https://w3id.org/normgraph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e ?target ?status ?date ?noLaterThan (GROUP_CONCAT(DISTINCT STR(?url); separator=" ") AS ?sources)
WHERE {
  ?e ng:actor ?actor ; ng:target ?target ; ng:status ?st .
  OPTIONAL { ?st skos:prefLabel ?status FILTER(LANG(?status) = "en" || LANG(?status) = "") }
  OPTIONAL { ?e ng:date ?d0 }
  OPTIONAL { ?e ng:startDate ?d1 }
  OPTIONAL { ?e ng:notAfter ?noLaterThan }
  BIND(COALESCE(?d0, ?d1) AS ?date)
  OPTIONAL { ?e prov:hadPrimarySource ?source OPTIONAL { ?source foaf:page ?url } }
}
GROUP BY ?e ?target ?status ?date ?noLaterThan
ORDER BY COALESCE(?date, ?noLaterThan) ?target
"#;

const CSS: &str = "body{font-family:system-ui,sans-serif;margin:1.5rem auto;max-width:72rem;\
padding:0 1rem;color:#222}nav{font-size:.9rem;margin-bottom:1rem}h1{margin:.2rem 0}\
.iri{color:#555;font-size:.85rem}table{border-collapse:collapse;margin:.5rem 0 1.5rem}\
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}\
table.props th{background:#f6f6f6;font-weight:600;white-space:nowrap}\
table.rows thead th{background:#eef3f8}table.nested td,table.nested th{border:none;padding:.1rem .4rem}\
small{color:#777}form.find{margin:.3rem 0 1rem}form.find input{width:28rem;max-width:70%;padding:.25rem}\
footer.cite{margin-top:2rem;border-top:1px solid #ddd;font-size:.85rem;color:#444}footer.cite h2{font-size:1rem}\
a{color:#0b57a4;text-decoration:none}a:hover{text-decoration:underline}";

/// The page style: the base rules and the figures'.
fn css() -> String {
    format!("{CSS}{}", crate::figures::CSS)
}

/// A whole HTML page: the head with the navigation, `body`, and the foot that says how to cite
/// the page at `this` (its path after the prefix).
pub(super) fn page(st: &AppState, title: &str, body: Markup, this: &str) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — normgraph" }
                // The style sheet is the project's own constant text.
                style { (PreEscaped(css())) }
            }
            body {
                (navigation(st))
                (body)
                (foot(st, this))
            }
        }
    }
    .into_string()
        + "\n"
}

/// The navigation and the search box at the top of every page.
fn navigation(st: &AppState) -> Markup {
    let p = &st.prefix;
    html! {
        nav {
            a href={ (p) "/" } { "normgraph" } " · "
            a href={ (p) "/search" } { "search" } " · "
            a href={ (p) "/compare" } { "compare" } " · "
            a href={ (p) "/legend" } { "legend" } " · "
            a href={ (p) "/releases" } { "releases" } " · "
            a href={ (p) "/ontology" } { "ontology" } " · "
            a href={ (p) "/void" } { "dataset" }
        }
        form.find action={ (p) "/search" } method="get" role="search" {
            input type="search" name="q" aria-label="Search norms, actors, instruments"
                placeholder="Search norms, actors, instruments (e.g. supply chain, A/70/174, CHN)";
            button { "Search" }
        }
    }
}

/// The end of every HTML page: how to cite it (code version, data release).
pub(super) fn foot(st: &AppState, this: &str) -> Markup {
    let r = super::release(st);
    html! {
        footer.cite {
            @match st.rules.phase() {
                super::rules::Phase::Current => {}
                super::rules::Phase::Pending => {
                    p.note role="status" {
                        "The data changed a moment ago: the derived facts on this page (who backs \
                        what, through which act) are being recomputed and may lag behind it. \
                        Reload shortly."
                    }
                }
                super::rules::Phase::Failed => {
                    p.note role="alert" {
                        "The derived facts on this page do not follow the latest write: \
                        recomputing them failed (see " a href={ (st.prefix) "/rules" } { "rules" } ")."
                    }
                }
            }
            h2 { "Cite this" }
            p {
                "normgraph " (r.version) ", data release " code { "sha256:" (r.sha256) }
                " (" (r.quads) " quads, canonical RDFC-1.0 N-Quads of the data graphs), "
                @let u = format!("{}{}", st.base, this);
                a href=(u) { (u) } ", accessed "
                (crate::remote::now_xsd().get(..10).unwrap_or_default())
                ". Answers change when the data does: cite the release hash with the page."
            }
        }
    }
}
