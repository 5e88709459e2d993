//! Writing answers: SPARQL JSON, XML, CSV, TSV, Markdown, graphs in RDF formats, and aligned tables
//! with labels for people (never cutting a prefixed name).

use super::*;

/// Output formats for query answers.
///
/// The names (and aliases) are those of the command line's `--format` (a clap `ValueEnum`) and of
/// [`FromStr`], which reads them through it, case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text with labels (for people).
    #[value(alias = "text")]
    Table,
    /// A Markdown table of lexical values (for reports and READMEs).
    #[value(alias = "md")]
    Markdown,
    /// SPARQL 1.1 CSV.
    Csv,
    /// SPARQL 1.1 TSV.
    Tsv,
    /// SPARQL 1.1 JSON results.
    #[value(alias = "srj")]
    Json,
    /// SPARQL 1.1 XML results.
    #[value(alias = "srx")]
    Xml,
    /// Turtle (graphs).
    #[value(name = "ttl", alias = "turtle")]
    Turtle,
    /// N-Triples (graphs).
    #[value(name = "nt", aliases = ["ntriples", "n-triples"])]
    NTriples,
    /// JSON-LD (graphs).
    #[value(name = "jsonld", alias = "json-ld")]
    JsonLd,
    /// RDF/XML (graphs).
    #[value(name = "rdfxml", aliases = ["rdf", "rdf/xml"])]
    RdfXml,
}

impl FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        <Self as clap::ValueEnum>::from_str(s, true).map_err(|_| {
            Error::Invalid(format!(
                "unknown format {s:?} (table, markdown, csv, tsv, json, xml for results; ttl, nt, jsonld, rdfxml for graphs)"
            ))
        })
    }
}

/// Writes an answer in `format`. Labels for the table come from `kg`.
pub fn render(
    kg: &KnowledgeGraph,
    answer: &Answer,
    format: Format,
    out: &mut impl Write,
) -> Result<()> {
    let io = |e: std::io::Error| Error::output(e);
    match answer {
        Answer::Solutions { variables, rows } => {
            let rformat = match format {
                Format::Table => return write_table(kg, variables, rows, out),
                Format::Markdown => return write_markdown(variables, rows, out),
                Format::Csv => QueryResultsFormat::Csv,
                Format::Tsv => QueryResultsFormat::Tsv,
                Format::Json => QueryResultsFormat::Json,
                Format::Xml => QueryResultsFormat::Xml,
                _ => return Err(Error::Invalid(format!("{format:?} is a graph format; a SELECT query gives table, csv, tsv, json or xml"))),
            };
            let mut ser = QueryResultsSerializer::from_format(rformat)
                .serialize_solutions_to_writer(&mut *out, variables.clone())
                .map_err(io)?;
            for row in rows {
                ser.serialize(
                    variables
                        .iter()
                        .zip(row)
                        .filter_map(|(v, t)| t.as_ref().map(|t| (v.as_ref(), t.as_ref()))),
                )
                .map_err(io)?;
            }
            ser.finish().map_err(io)?;
        }
        Answer::Boolean(b) => {
            let rformat = match format {
                Format::Table => {
                    writeln!(out, "{b}").map_err(io)?;
                    return Ok(());
                }
                Format::Csv => QueryResultsFormat::Csv,
                Format::Tsv => QueryResultsFormat::Tsv,
                Format::Json => QueryResultsFormat::Json,
                Format::Xml => QueryResultsFormat::Xml,
                _ => {
                    return Err(Error::Invalid(format!(
                    "{format:?} is a graph format; an ASK query gives table, csv, tsv, json or xml"
                )))
                }
            };
            QueryResultsSerializer::from_format(rformat)
                .serialize_boolean_to_writer(&mut *out, *b)
                .map_err(io)?;
        }
        Answer::Graph(triples) => {
            let rdf = match format {
                Format::Turtle | Format::Table => RdfFormat::Turtle,
                Format::NTriples => RdfFormat::NTriples,
                Format::JsonLd => RdfFormat::JsonLd { profile: oxigraph::io::JsonLdProfileSet::empty() },
                Format::RdfXml => RdfFormat::RdfXml,
                _ => return Err(Error::Invalid(format!("{format:?} is a results format; a CONSTRUCT or DESCRIBE query gives ttl, nt, jsonld or rdfxml"))),
            };
            let mut ser = RdfSerializer::from_format(rdf);
            if matches!(rdf, RdfFormat::Turtle | RdfFormat::RdfXml) {
                for (p, ns) in vocab::PREFIXES {
                    if *p != "id" && *p != "graph" {
                        ser = ser.with_prefix(*p, *ns).map_err(Error::output)?;
                    }
                }
            }
            let mut w = ser.for_writer(&mut *out);
            for t in triples {
                w.serialize_triple(t).map_err(io)?;
            }
            w.finish().map_err(io)?;
        }
    }
    Ok(())
}

/// Text shown for a term in a table: labels for IRIs, lexical forms for literals.
pub(super) fn cell(
    kg: &KnowledgeGraph,
    term: &Term,
    labels: &mut std::collections::HashMap<String, Option<String>>,
) -> String {
    match term {
        Term::NamedNode(n) => {
            let short = vocab::compact(n.as_str()).unwrap_or_else(|| format!("<{}>", n.as_str()));
            let label = labels
                .entry(n.as_str().to_owned())
                .or_insert_with(|| label_of(kg, n))
                .clone();
            match label {
                Some(l) if !short.starts_with("src:") && !short.starts_with("end:") => {
                    format!("{l} ({short})")
                }
                _ => short,
            }
        }
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => l.value().to_owned(),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// The English (or any) `rdfs:label` / `skos:prefLabel` of a resource.
pub fn label_of(kg: &KnowledgeGraph, node: &NamedNode) -> Option<String> {
    let mut best: Option<(u8, String)> = None;
    for pred in [
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
    ] {
        let p = NamedNode::new_unchecked(pred);
        for q in kg
            .store()
            .quads_for_pattern(Some(node.as_ref().into()), Some(p.as_ref()), None, None)
            .flatten()
        {
            if let Term::Literal(l) = q.object {
                let rank = match l.language() {
                    Some("en") => 0,
                    None => 1,
                    Some(_) => 2,
                };
                if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                    best = Some((rank, l.value().to_owned()));
                }
            }
        }
    }
    best.map(|(_, l)| l)
}

/// A Markdown table: IRIs compacted with the known prefixes, literals as their lexical form.
pub(super) fn write_markdown(
    variables: &[Variable],
    rows: &[Vec<Option<Term>>],
    out: &mut impl Write,
) -> Result<()> {
    let io = |e: std::io::Error| Error::output(e);
    let text = |t: &Option<Term>| -> String {
        let s = match t {
            Some(Term::NamedNode(n)) => {
                vocab::compact(n.as_str()).unwrap_or_else(|| n.as_str().to_owned())
            }
            Some(Term::Literal(l)) => l.value().to_owned(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        s.replace('|', "\\|").replace('\n', " ")
    };
    writeln!(
        out,
        "| {} |",
        variables
            .iter()
            .map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    )
    .map_err(io)?;
    writeln!(out, "|{}", " --- |".repeat(variables.len())).map_err(io)?;
    for r in rows {
        writeln!(
            out,
            "| {} |",
            r.iter().map(text).collect::<Vec<_>>().join(" | ")
        )
        .map_err(io)?;
    }
    Ok(())
}

/// Widest cell of the terminal table before its label is shortened (never its IRI).
pub(super) const MAX_CELL: usize = 80;

pub(super) fn write_table(
    kg: &KnowledgeGraph,
    variables: &[Variable],
    rows: &[Vec<Option<Term>>],
    out: &mut impl Write,
) -> Result<()> {
    let io = |e: std::io::Error| Error::output(e);
    let mut labels = std::collections::HashMap::new();
    let header: Vec<String> = variables.iter().map(|v| v.as_str().to_owned()).collect();
    // Each cell with the length of its tail that is never cut: an IRI's prefixed name (or the
    // whole IRI) stays whole however long the label before it.
    let body: Vec<Vec<(String, usize)>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|t| match t {
                    Some(t @ Term::NamedNode(n)) => {
                        let text = cell(kg, t, &mut labels);
                        let short = vocab::compact(n.as_str())
                            .unwrap_or_else(|| format!("<{}>", n.as_str()));
                        let keep = if text == short {
                            short.chars().count()
                        } else {
                            short.chars().count() + 3
                        };
                        (text, keep)
                    }
                    Some(t) => (cell(kg, t, &mut labels), 0),
                    None => (String::new(), 0),
                })
                .collect()
        })
        .collect();
    let fit = |(c, keep): &(String, usize)| -> String {
        let n = c.chars().count();
        if n <= MAX_CELL || *keep + 1 >= MAX_CELL {
            return c.clone();
        }
        let head: String = c.chars().take(MAX_CELL - keep - 1).collect();
        let tail: String = c.chars().skip(n - keep).collect();
        format!("{head}…{tail}")
    };
    let body: Vec<Vec<String>> = body.iter().map(|r| r.iter().map(fit).collect()).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &body {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: &[String]| -> String {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect::<Vec<_>>()
            .join(" | ")
            .trim_end()
            .to_owned()
    };
    writeln!(out, "{}", line(&header)).map_err(io)?;
    writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-")
    )
    .map_err(io)?;
    for r in &body {
        writeln!(out, "{}", line(r)).map_err(io)?;
    }
    writeln!(
        out,
        "({} row{})",
        body.len(),
        if body.len() == 1 { "" } else { "s" }
    )
    .map_err(io)?;
    Ok(())
}
