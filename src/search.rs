//! Full-text search over the graph's norms, actors and instruments: labels, alternative labels,
//! titles, norm texts, document symbols ("A/70/174", "73/27") and ISO codes.
//!
//! The index is the answer of one SPARQL query ([`INDEX_QUERY`]), kept in memory: the graph holds
//! a few thousand such resources, so a scan of every document per search takes well under a
//! millisecond and needs no on-disk index. (A search engine crate such as tantivy would bring
//! some hundred dependencies and minutes of build for no gain at this size.)
//!
//! Ranking: every word of the query must match a field of the resource (whole word, word prefix,
//! or, for symbols with `/`, part of a symbol); each match scores by the field's weight (label,
//! symbol and ISO code above alternative labels and titles, above texts), a whole-word match
//! above a prefix; the whole query equal to a label, symbol or code ranks first.

use std::fmt;

use oxigraph::model::{Literal, NamedNode, Term, Variable};

use crate::error::{Error, Result};
use crate::query::{self, Answer, NamedQuery};
use crate::store::KnowledgeGraph;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A `ng:Norm`.
    Norm,
    /// A `ng:Actor` (state, organisation, company...).
    Actor,
    /// A `ng:Instrument` (treaty, resolution, report, declaration...).
    Instrument,
}

impl Kind {
    /// The name used in arguments and answers.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Norm => "norm",
            Kind::Actor => "actor",
            Kind::Instrument => "instrument",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Kind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "norm" => Ok(Kind::Norm),
            "actor" => Ok(Kind::Actor),
            "instrument" => Ok(Kind::Instrument),
            _ => Err(Error::Invalid(format!(
                "unknown kind {s:?} (norm, actor, instrument)"
            ))),
        }
    }
}

/// The fields searched, by weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// rdfs:label, skos:prefLabel, foaf:name.
    Label,
    /// dcterms:identifier, ng:isoAlpha2, ng:isoAlpha3.
    Code,
    /// skos:altLabel, dcterms:title, dcterms:alternative.
    Alternative,
    /// ng:text, rdfs:comment of a norm.
    Text,
}

impl Field {
    fn weight(self) -> f64 {
        match self {
            Field::Label | Field::Code => 4.0,
            Field::Alternative => 3.0,
            Field::Text => 1.0,
        }
    }
}

/// The SPARQL query whose answer is the index: `?s ?kind ?field ?text`.
pub const INDEX_QUERY: &str = r#"PREFIX ng: <https://w3id.org/normgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT DISTINCT ?s ?kind ?field ?text WHERE {
  VALUES (?class ?kind) { (ng:Norm "norm") (ng:Actor "actor") (ng:Instrument "instrument") }
  ?s a ?class .
  VALUES (?p ?field) {
    (rdfs:label "label") (skos:prefLabel "label") (foaf:name "label")
    (dcterms:identifier "code") (ng:isoAlpha2 "code") (ng:isoAlpha3 "code")
    (skos:altLabel "alternative") (dcterms:title "alternative") (dcterms:alternative "alternative")
    (ng:text "text")
  }
  ?s ?p ?text .
  FILTER(isLiteral(?text) && (LANG(?text) = "" || LANGMATCHES(LANG(?text), "en")))
}"#;

struct Entry {
    field: Field,
    text: String,
    norm: String,
    words: Vec<String>,
}

struct Doc {
    iri: NamedNode,
    kind: Kind,
    label: Option<String>,
    entries: Vec<Entry>,
}

/// One search result.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The resource.
    pub iri: NamedNode,
    /// Norm, actor or instrument.
    pub kind: Kind,
    /// Its label (or title, or IRI).
    pub label: String,
    /// The text that matched, shortened around the match.
    pub snippet: String,
    /// The rank score (higher first).
    pub score: f64,
}

/// The search index of a graph.
pub struct Index {
    docs: Vec<Doc>,
}

/// Lower case; letters, digits and `/` (symbols: `a/res/73/27`) kept, anything else a space.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() || c == '/' {
            out.extend(c.to_lowercase());
        } else {
            out.push(' ');
        }
    }
    out
}

fn words(norm: &str) -> Vec<String> {
    norm.split_whitespace().map(str::to_owned).collect()
}

impl Index {
    /// Builds the index from the graph (norms, actors, instruments and their texts).
    pub fn build(kg: &KnowledgeGraph) -> Result<Self> {
        let q = NamedQuery::from_text(
            "search-index".into(),
            "search-index".into(),
            INDEX_QUERY.into(),
        );
        let Answer::Solutions { rows, .. } = query::run(kg, &q, &[])? else {
            return Err(Error::Invalid(
                "the search index query is not a SELECT".into(),
            ));
        };
        let mut by_iri: std::collections::BTreeMap<(String, Kind), Doc> = Default::default();
        for row in rows {
            let (
                Some(Term::NamedNode(s)),
                Some(Term::Literal(kind)),
                Some(Term::Literal(field)),
                Some(Term::Literal(text)),
            ) = (&row[0], &row[1], &row[2], &row[3])
            else {
                continue;
            };
            let kind: Kind = kind.value().parse()?;
            let field = match field.value() {
                "label" => Field::Label,
                "code" => Field::Code,
                "alternative" => Field::Alternative,
                _ => Field::Text,
            };
            let doc = by_iri
                .entry((s.as_str().to_owned(), kind))
                .or_insert_with(|| Doc {
                    iri: s.clone(),
                    kind,
                    label: None,
                    entries: Vec::new(),
                });
            let text = text.value().to_owned();
            if field == Field::Label && doc.label.as_ref().is_none_or(|l| text.len() < l.len()) {
                doc.label = Some(text.clone());
            }
            let norm = normalize(&text);
            doc.entries.push(Entry {
                field,
                words: words(&norm),
                norm,
                text,
            });
        }
        Ok(Index {
            docs: by_iri.into_values().collect(),
        })
    }

    /// Number of resources indexed.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The best `limit` hits for `text`, of one kind or all.
    pub fn search(&self, text: &str, kind: Option<Kind>, limit: usize) -> Vec<Hit> {
        let qnorm = normalize(text);
        let tokens = words(&qnorm);
        if tokens.is_empty() {
            return Vec::new();
        }
        let whole = tokens.join(" ");
        let mut hits: Vec<Hit> = Vec::new();
        for doc in &self.docs {
            if kind.is_some_and(|k| k != doc.kind) {
                continue;
            }
            let mut score = 0.0;
            let mut best: Option<&Entry> = None;
            let mut all = true;
            for t in &tokens {
                let mut token_best = 0.0;
                for e in &doc.entries {
                    let w = e.field.weight();
                    let s = if e.words.iter().any(|x| x == t) {
                        3.0 * w
                    } else if e.words.iter().any(|x| x.starts_with(t.as_str()))
                        || (t.contains('/')
                            && e.field == Field::Code
                            && e.norm.contains(t.as_str()))
                    {
                        // A word prefix, or part of a symbol ("73/27" in "a/res/73/27").
                        2.0 * w
                    } else {
                        0.0
                    };
                    if s > token_best {
                        token_best = s;
                    }
                    if s > 0.0 && best.is_none_or(|b| e.field.weight() > b.field.weight()) {
                        best = Some(e);
                    }
                }
                if token_best == 0.0 {
                    all = false;
                    break;
                }
                score += token_best;
            }
            if !all {
                continue;
            }
            for e in &doc.entries {
                let n = e.words.join(" ");
                if matches!(e.field, Field::Label | Field::Code) && n == whole {
                    score += 40.0;
                } else if matches!(e.field, Field::Label | Field::Alternative)
                    && n.starts_with(&whole)
                {
                    score += 8.0;
                }
            }
            let label = doc
                .label
                .clone()
                .or_else(|| {
                    doc.entries
                        .iter()
                        .find(|e| e.field == Field::Alternative)
                        .map(|e| e.text.clone())
                })
                .unwrap_or_else(|| doc.iri.as_str().to_owned());
            // Shorter labels first among equals: the name of a thing before texts that cite it.
            score -= label.chars().count() as f64 * 0.001;
            let snippet = best.map(|e| snippet(&e.text, &tokens)).unwrap_or_default();
            hits.push(Hit {
                iri: doc.iri.clone(),
                kind: doc.kind,
                label,
                snippet,
                score,
            });
        }
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.label.cmp(&b.label))
                .then_with(|| a.iri.as_str().cmp(b.iri.as_str()))
        });
        hits.truncate(limit);
        hits
    }
}

/// At most ~160 characters of `text` around the first word that matches a token.
fn snippet(text: &str, tokens: &[String]) -> String {
    const WIDTH: usize = 160;
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= WIDTH {
        return text.to_owned();
    }
    let lower: String = chars.iter().flat_map(|c| c.to_lowercase()).collect();
    // Lower-casing may change lengths for a few scripts: fall back to the start then.
    let at = if lower.chars().count() == chars.len() {
        tokens
            .iter()
            .filter_map(|t| lower.find(t.as_str()))
            .min()
            .map(|byte| lower[..byte].chars().count())
            .unwrap_or(0)
    } else {
        0
    };
    let start = at.saturating_sub(WIDTH / 3);
    let end = (start + WIDTH).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// Hits as a SPARQL-like answer (`?iri ?kind ?label ?snippet ?score`), for the result writers.
pub fn answer(hits: &[Hit]) -> Answer {
    let variables = ["iri", "kind", "label", "snippet", "score"]
        .iter()
        .map(|v| Variable::new_unchecked(*v))
        .collect();
    let rows = hits
        .iter()
        .map(|h| {
            vec![
                Some(Term::NamedNode(h.iri.clone())),
                Some(Literal::new_simple_literal(h.kind.as_str()).into()),
                Some(Literal::new_simple_literal(&h.label).into()),
                Some(Literal::new_simple_literal(&h.snippet).into()),
                Some(Literal::from((h.score * 1000.0).round() / 1000.0).into()),
            ]
        })
        .collect();
    Answer::Solutions { variables, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_keeps_symbols_and_folds_case() {
        assert_eq!(normalize("A/RES/73/27"), "a/res/73/27");
        assert_eq!(
            words(&normalize("Supply-chain integrity")),
            ["supply", "chain", "integrity"]
        );
    }

    #[test]
    fn snippet_centres_on_the_match() {
        let text = format!("{} supply chain {}", "x ".repeat(200), "y ".repeat(200));
        let s = snippet(&text, &["supply".to_owned()]);
        assert!(s.contains("supply chain"), "{s}");
        assert!(s.starts_with('…') && s.ends_with('…'));
    }
}
