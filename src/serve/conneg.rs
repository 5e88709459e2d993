//! Content negotiation: `Accept` headers with q-values and wildcards, and the `format` / `output` /
//! `results` parameters that SPARQLWrapper and other clients add.

use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::sparql::results::QueryResultsFormat;

/// What a response body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// SPARQL results (SELECT, ASK).
    Results(QueryResultsFormat),
    /// An RDF graph or dataset.
    Rdf(RdfFormat),
    /// An HTML page.
    Html,
}

/// A media type the server can answer with, and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    /// The media type, as sent back in `Content-Type` (without parameters).
    pub media: &'static str,
    /// The body format.
    pub output: Output,
}

const JSON_LD: RdfFormat = RdfFormat::JsonLd {
    profile: JsonLdProfileSet::empty(),
};

const fn results(media: &'static str, f: QueryResultsFormat) -> Offer {
    Offer {
        media,
        output: Output::Results(f),
    }
}

const fn rdf(media: &'static str, f: RdfFormat) -> Offer {
    Offer {
        media,
        output: Output::Rdf(f),
    }
}

/// Offers for SELECT and ASK answers; the first is the default (`*/*` or no `Accept`).
pub const RESULTS: &[Offer] = &[
    results("application/sparql-results+xml", QueryResultsFormat::Xml),
    results("application/sparql-results+json", QueryResultsFormat::Json),
    results("application/json", QueryResultsFormat::Json),
    results("text/csv", QueryResultsFormat::Csv),
    results("text/tab-separated-values", QueryResultsFormat::Tsv),
    results("application/xml", QueryResultsFormat::Xml),
    results("text/xml", QueryResultsFormat::Xml),
];

/// Offers for CONSTRUCT and DESCRIBE answers; RDF/XML first (the protocol's usual default).
pub const GRAPH_QUERY: &[Offer] = &[
    rdf("application/rdf+xml", RdfFormat::RdfXml),
    rdf("text/turtle", RdfFormat::Turtle),
    rdf("application/n-triples", RdfFormat::NTriples),
    rdf("application/ld+json", JSON_LD),
    rdf("application/n-quads", RdfFormat::NQuads),
    rdf("application/trig", RdfFormat::TriG),
    rdf("application/turtle", RdfFormat::Turtle),
    rdf("application/x-turtle", RdfFormat::Turtle),
    rdf("application/json", JSON_LD),
    rdf("application/xml", RdfFormat::RdfXml),
];

/// Offers for `/search`: the page, or the hits as JSON.
pub const SEARCH: &[Offer] = &[
    Offer {
        media: "text/html",
        output: Output::Html,
    },
    Offer {
        media: "application/json",
        output: Output::Results(QueryResultsFormat::Json),
    },
];

/// Offers for a graph served as a document (Graph Store Protocol, service description, ontology):
/// Turtle first.
pub const GRAPH_DOC: &[Offer] = &[
    rdf("text/turtle", RdfFormat::Turtle),
    rdf("application/rdf+xml", RdfFormat::RdfXml),
    rdf("application/n-triples", RdfFormat::NTriples),
    rdf("application/ld+json", JSON_LD),
    rdf("application/n-quads", RdfFormat::NQuads),
    rdf("application/trig", RdfFormat::TriG),
    rdf("application/turtle", RdfFormat::Turtle),
    rdf("application/x-turtle", RdfFormat::Turtle),
    rdf("application/json", JSON_LD),
];

/// Offers for a whole dataset (named graphs kept).
pub const DATASET: &[Offer] = &[
    rdf("application/trig", RdfFormat::TriG),
    rdf("application/n-quads", RdfFormat::NQuads),
];

/// Offers for a linked-data resource: Turtle for machines that say nothing, HTML for browsers.
pub const RESOURCE: &[Offer] = &[
    rdf("text/turtle", RdfFormat::Turtle),
    Offer {
        media: "text/html",
        output: Output::Html,
    },
    Offer {
        media: "application/xhtml+xml",
        output: Output::Html,
    },
    rdf("application/ld+json", JSON_LD),
    rdf("application/rdf+xml", RdfFormat::RdfXml),
    rdf("application/n-triples", RdfFormat::NTriples),
    rdf("application/turtle", RdfFormat::Turtle),
    rdf("application/x-turtle", RdfFormat::Turtle),
    rdf("application/json", JSON_LD),
];

/// One range of an `Accept` header.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    kind: String,
    sub: String,
    q: f32,
}

fn parse_accept(header: &str) -> Vec<Range> {
    let mut out = Vec::new();
    for part in header.split(',') {
        let mut fields = part.split(';');
        let media = fields
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if media.is_empty() {
            continue;
        }
        let (kind, sub) = media.split_once('/').unwrap_or((media.as_str(), "*"));
        let mut q = 1.0f32;
        for param in fields {
            if let Some((k, v)) = param.split_once('=') {
                if k.trim().eq_ignore_ascii_case("q") {
                    q = v.trim().parse().unwrap_or(0.0);
                }
            }
        }
        out.push(Range {
            kind: kind.trim().to_owned(),
            sub: sub.trim().to_owned(),
            q: q.clamp(0.0, 1.0),
        });
    }
    out
}

/// Picks the offer the `Accept` header prefers: highest q, then the most specific matching range
/// (`a/b` over `a/*` over `*/*`), then the server's order. No header (or an empty one) means the
/// first offer. `None` when nothing acceptable is offered (HTTP 406).
pub fn negotiate(accept: Option<&str>, offers: &[Offer]) -> Option<Offer> {
    let Some(header) = accept.filter(|h| !h.trim().is_empty()) else {
        return offers.first().copied();
    };
    let ranges = parse_accept(header);
    let mut best: Option<(f32, u8, Offer)> = None;
    for offer in offers {
        let (kind, sub) = offer.media.split_once('/').unwrap_or((offer.media, ""));
        // The most specific range that matches this offer decides its q.
        let mut matched: Option<(u8, f32)> = None;
        for r in &ranges {
            let specificity = if r.kind == kind && r.sub == sub {
                2
            } else if r.kind == kind && r.sub == "*" {
                1
            } else if r.kind == "*" {
                0
            } else {
                continue;
            };
            if matched.is_none_or(|(s, _)| specificity > s) {
                matched = Some((specificity, r.q));
            }
        }
        if let Some((specificity, q)) = matched {
            if q > 0.0 && best.is_none_or(|(bq, bs, _)| q > bq || (q == bq && specificity > bs)) {
                best = Some((q, specificity, *offer));
            }
        }
    }
    best.map(|(_, _, o)| o)
}

/// The offers that a `format` / `output` / `results` parameter value names (`json`, `xml`, `csv`,
/// `tsv`, `turtle`, `n3`, `rdf+xml`, `json-ld`, `nt`..., or media types), restricted to `offers`.
/// `None` when the value names nothing in `offers` (the `Accept` header decides then).
pub fn offers_for_format(value: &str, offers: &[Offer]) -> Option<Vec<Offer>> {
    let v = value.trim().to_ascii_lowercase();
    if v.is_empty() {
        return None;
    }
    if v.contains('/') {
        // A media type list (SPARQLWrapper sends its Accept header again for tsv, rdf+xml, json-ld).
        let picked: Vec<Offer> = offers
            .iter()
            .copied()
            .filter(|o| negotiate(Some(&v), std::slice::from_ref(o)).is_some())
            .collect();
        return (!picked.is_empty() && !v.contains("*/*")).then_some(picked);
    }
    let wanted: &[&str] = match v.as_str() {
        "json" | "srj" => &[
            "application/sparql-results+json",
            "application/ld+json",
            "application/json",
        ],
        "xml" | "srx" => &["application/sparql-results+xml", "application/rdf+xml"],
        "csv" => &["text/csv"],
        "tsv" => &["text/tab-separated-values"],
        "turtle" | "ttl" | "n3" => &["text/turtle"],
        "rdf" | "rdf+xml" | "rdfxml" | "rdf/xml" => &["application/rdf+xml"],
        "json-ld" | "jsonld" => &["application/ld+json"],
        "nt" | "ntriples" | "n-triples" => &["application/n-triples"],
        "nq" | "nquads" | "n-quads" => &["application/n-quads"],
        "trig" => &["application/trig"],
        "html" => &["text/html"],
        _ => return None,
    };
    // The first named type this kind of answer has decides the format; every media type of that
    // format stays acceptable, so the Accept header still picks the exact type (application/json
    // rather than application/sparql-results+json when the client asked for that one).
    let canonical = wanted
        .iter()
        .find_map(|m| offers.iter().find(|o| o.media == *m).copied())?;
    let mut picked = vec![canonical];
    picked.extend(
        offers
            .iter()
            .filter(|o| o.output == canonical.output && o.media != canonical.media)
            .copied(),
    );
    Some(picked)
}

/// The `Content-Type` header value for an offer (UTF-8 declared for text types).
pub fn content_type(offer: &Offer) -> String {
    if offer.media.starts_with("text/") {
        format!("{}; charset=utf-8", offer.media)
    } else {
        offer.media.to_owned()
    }
}

/// Media types of `offers`, for a 406 message.
pub fn describe(offers: &[Offer]) -> String {
    offers
        .iter()
        .map(|o| o.media)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(accept: Option<&str>, offers: &[Offer]) -> Option<&'static str> {
        negotiate(accept, offers).map(|o| o.media)
    }

    #[test]
    fn defaults_and_wildcards() {
        assert_eq!(pick(None, RESULTS), Some("application/sparql-results+xml"));
        assert_eq!(
            pick(Some("*/*"), RESULTS),
            Some("application/sparql-results+xml")
        );
        assert_eq!(pick(Some("*/*"), GRAPH_QUERY), Some("application/rdf+xml"));
        assert_eq!(pick(Some("text/*"), RESULTS), Some("text/csv"));
        assert_eq!(
            pick(Some("application/sparql-results+json, */*"), RESULTS),
            Some("application/sparql-results+json")
        );
    }

    #[test]
    fn q_values_decide() {
        assert_eq!(
            pick(Some("text/csv;q=0.5, application/json;q=0.9"), RESULTS),
            Some("application/json")
        );
        assert_eq!(
            pick(Some("text/turtle;q=0.1, */*;q=0.5"), GRAPH_DOC),
            Some("application/rdf+xml")
        );
        assert_eq!(pick(Some("text/csv;q=0"), RESULTS), None);
        assert_eq!(pick(Some("image/png"), RESULTS), None);
        // A browser's header gives HTML for a resource.
        assert_eq!(
            pick(
                Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                RESOURCE
            ),
            Some("text/html")
        );
    }

    #[test]
    fn format_parameter() {
        let o = offers_for_format("json", RESULTS).unwrap();
        assert_eq!(o[0].media, "application/sparql-results+json");
        let o = offers_for_format("json", GRAPH_QUERY).unwrap();
        assert_eq!(o[0].media, "application/ld+json");
        assert!(offers_for_format("csv", GRAPH_QUERY).is_none());
        let o = offers_for_format("text/tab-separated-values", RESULTS).unwrap();
        assert_eq!(o[0].media, "text/tab-separated-values");
    }
}
