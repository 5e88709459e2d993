//! Linked-data export: every standard RDF format, canonical (RDFC-1.0) checksummed dumps, compacted
//! JSON-LD with the project's context, CSV tables for spreadsheets, concise bounded descriptions of
//! single resources, and a release folder with `SHA256SUMS` and a VoID + DCAT description.
//!
//! What is exported: by default every named graph of the store (the ontology and data files) except
//! the bookkeeping graph [`graph::META`], and except the derived graph [`graph::INFERRED`] unless
//! asked for ([`Selection`]). Triple formats (Turtle, N-Triples, RDF/XML, JSON-LD) write the union of
//! the selected graphs (each triple once); quad formats (N-Quads, TriG) keep graph names.
//! N-Triples and N-Quads are streamed from the store; the other formats sort their output so that
//! the same data always gives the same bytes.
//!
//! ```no_run
//! use normgraph::{export, Bundle, KnowledgeGraph};
//!
//! let kg = KnowledgeGraph::in_memory(Bundle::default_location())?;
//! kg.sync_bundle()?;
//! let canonical = export::canonical(&kg, &export::Selection::default())?;
//! println!("sha256:{}", canonical.sha256);
//! # Ok::<(), normgraph::Error>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, Term, TermRef, Triple,
};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::store::KnowledgeGraph;
use crate::vocab::{self, graph, ng};

mod describe;
mod jsonld;
mod release;
mod tables;

pub use describe::*;
pub use jsonld::*;
pub use release::*;
pub use tables::*;

/// The export formats. Their names and aliases are those of `export --format` (a clap
/// `ValueEnum`), which [`FromStr`] reads too, case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum ExportFormat {
    /// Turtle, pretty-printed with the project's prefixes (union of the graphs).
    #[value(name = "ttl", alias = "turtle")]
    Turtle,
    /// N-Triples, streamed (union of the graphs).
    #[value(name = "nt", aliases = ["ntriples", "n-triples"])]
    NTriples,
    /// N-Quads, streamed (graph names kept).
    #[value(name = "nq", aliases = ["nquads", "n-quads"])]
    NQuads,
    /// TriG, pretty-printed with the project's prefixes (graph names kept).
    #[value(name = "trig")]
    TriG,
    /// RDF/XML (union of the graphs).
    #[value(name = "rdfxml", aliases = ["rdf", "rdf/xml", "owl", "xml"])]
    RdfXml,
    /// JSON-LD compacted with the project's context (union of the graphs).
    #[value(name = "jsonld", aliases = ["json-ld", "json"])]
    JsonLd,
    /// CSV tables for spreadsheets (see [`Table`]).
    Csv,
}

impl ExportFormat {
    /// Every format, in the order a release writes them.
    pub const ALL: [ExportFormat; 7] = [
        ExportFormat::Turtle,
        ExportFormat::NTriples,
        ExportFormat::NQuads,
        ExportFormat::TriG,
        ExportFormat::RdfXml,
        ExportFormat::JsonLd,
        ExportFormat::Csv,
    ];

    /// The format a file name's extension names (`.ttl`, `.nt`, `.nq`, `.trig`, `.rdf`/`.owl`/`.xml`,
    /// `.jsonld`/`.json`, `.csv`).
    pub fn from_path(path: &Path) -> Option<Self> {
        path.extension()?.to_str()?.parse().ok()
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Turtle => "ttl",
            ExportFormat::NTriples => "nt",
            ExportFormat::NQuads => "nq",
            ExportFormat::TriG => "trig",
            ExportFormat::RdfXml => "rdf",
            ExportFormat::JsonLd => "jsonld",
            ExportFormat::Csv => "csv",
        }
    }

    /// The IANA media type.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::Turtle => "text/turtle",
            ExportFormat::NTriples => "application/n-triples",
            ExportFormat::NQuads => "application/n-quads",
            ExportFormat::TriG => "application/trig",
            ExportFormat::RdfXml => "application/rdf+xml",
            ExportFormat::JsonLd => "application/ld+json",
            ExportFormat::Csv => "text/csv",
        }
    }

    /// Does the format keep graph names?
    pub fn keeps_graphs(self) -> bool {
        matches!(self, ExportFormat::NQuads | ExportFormat::TriG)
    }

    fn rdf_format(self) -> Option<RdfFormat> {
        Some(match self {
            ExportFormat::Turtle => RdfFormat::Turtle,
            ExportFormat::NTriples => RdfFormat::NTriples,
            ExportFormat::NQuads => RdfFormat::NQuads,
            ExportFormat::TriG => RdfFormat::TriG,
            ExportFormat::RdfXml => RdfFormat::RdfXml,
            ExportFormat::JsonLd => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
            ExportFormat::Csv => return None,
        })
    }
}

impl FromStr for ExportFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        <Self as clap::ValueEnum>::from_str(s, true).map_err(|_| {
            Error::Invalid(format!(
                "unknown export format {s:?} (ttl, nt, nq, trig, rdfxml, jsonld, csv)"
            ))
        })
    }
}

/// Which graphs an export reads.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only these named graphs (`None`: every data graph of the store).
    pub graphs: Option<Vec<NamedNode>>,
    /// Add the derived graph [`graph::INFERRED`] to the default selection.
    pub include_inferred: bool,
}

impl Selection {
    /// The graphs to read, sorted by IRI (the default graph first when it holds data and no
    /// explicit list is given). The meta graph is never selected by default.
    pub fn graphs(&self, kg: &KnowledgeGraph) -> Result<Vec<GraphName>> {
        let store = kg.store();
        if let Some(list) = &self.graphs {
            let mut out = Vec::new();
            for g in list {
                if !store.contains_named_graph(g)? {
                    return Err(Error::Invalid(format!(
                        "the store has no graph <{}> (see `normgraph stats`)",
                        g.as_str()
                    )));
                }
                out.push(GraphName::NamedNode(g.clone()));
            }
            out.sort_by_key(|g| g.to_string());
            out.dedup();
            return Ok(out);
        }
        let mut names = Vec::new();
        for g in store.named_graphs() {
            match g? {
                NamedOrBlankNode::NamedNode(n) => {
                    if n.as_str() == graph::META
                        || (n.as_str() == graph::INFERRED && !self.include_inferred)
                    {
                        continue;
                    }
                    names.push(n);
                }
                NamedOrBlankNode::BlankNode(_) => {}
            }
        }
        names.sort();
        let mut out = Vec::new();
        if store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
            .next()
            .is_some()
        {
            out.push(GraphName::DefaultGraph);
        }
        out.extend(names.into_iter().map(GraphName::NamedNode));
        Ok(out)
    }
}

fn io_err(e: std::io::Error) -> Error {
    Error::output(e)
}

/// A serializer configured with the project's prefixes (used by Turtle, TriG and RDF/XML).
pub(crate) fn serializer(format: RdfFormat) -> Result<RdfSerializer> {
    // `id:` and `graph:` would only give names with slashes (`id:norm\/x`, escaped by
    // Oxigraph): valid but unreadable, so those IRIs stay in full.
    serializer_with(
        format,
        vocab::PREFIXES
            .iter()
            .copied()
            .filter(|(p, _)| *p != "id" && *p != "graph"),
    )
}

/// A serializer declaring `prefixes` where the format has prefixes (Turtle, TriG, RDF/XML).
pub(crate) fn serializer_with<'a>(
    format: RdfFormat,
    prefixes: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<RdfSerializer> {
    let mut ser = RdfSerializer::from_format(format);
    if matches!(
        format,
        RdfFormat::Turtle | RdfFormat::TriG | RdfFormat::RdfXml
    ) {
        for (p, ns) in prefixes {
            ser = ser
                .with_prefix(p, ns)
                .map_err(|e| Error::output(format!("prefix {p}: {e}")))?;
        }
    }
    Ok(ser)
}

/// The distinct triples of the selected graphs, sorted (subject, predicate, object).
pub fn union_triples(kg: &KnowledgeGraph, selection: &Selection) -> Result<Vec<Triple>> {
    let mut set = BTreeSet::new();
    for g in selection.graphs(kg)? {
        for q in kg
            .store()
            .quads_for_pattern(None, None, None, Some(g.as_ref()))
        {
            set.insert(SortedTriple::from(Triple::from(q?)));
        }
    }
    Ok(set.into_iter().map(|t| t.triple).collect())
}

/// A triple ordered by the N-Triples form of its subject, predicate (`rdf:type` first) and object.
#[derive(PartialEq, Eq)]
struct SortedTriple {
    key: (String, String, String),
    triple: Triple,
}

impl From<Triple> for SortedTriple {
    fn from(triple: Triple) -> Self {
        Self {
            key: (
                triple.subject.to_string(),
                // `rdf:type` first, as people write Turtle (`x a ng:Norm ; ...`).
                if triple.predicate == rdf::TYPE {
                    String::new()
                } else {
                    triple.predicate.to_string()
                },
                triple.object.to_string(),
            ),
            triple,
        }
    }
}

impl PartialOrd for SortedTriple {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SortedTriple {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

/// Writes the selected graphs in an RDF format (not [`ExportFormat::Csv`]: see [`write_table`]).
pub fn write(
    kg: &KnowledgeGraph,
    selection: &Selection,
    format: ExportFormat,
    out: &mut impl Write,
) -> Result<()> {
    match format {
        ExportFormat::NTriples => stream_ntriples(kg, selection, out),
        ExportFormat::NQuads => stream_nquads(kg, selection, out),
        ExportFormat::JsonLd => {
            let triples = union_triples(kg, selection)?;
            let ctx = context(kg)?;
            write_jsonld(&triples, &ctx, out)
        }
        ExportFormat::TriG => {
            let mut w = serializer(RdfFormat::TriG)?.for_writer(&mut *out);
            for g in selection.graphs(kg)? {
                let mut triples = BTreeSet::new();
                for q in kg
                    .store()
                    .quads_for_pattern(None, None, None, Some(g.as_ref()))
                {
                    triples.insert(SortedTriple::from(Triple::from(q?)));
                }
                for t in triples {
                    w.serialize_quad(t.triple.as_ref().in_graph(g.as_ref()))
                        .map_err(io_err)?;
                }
            }
            w.finish().map_err(io_err)?;
            Ok(())
        }
        ExportFormat::Turtle | ExportFormat::RdfXml => {
            let triples = union_triples(kg, selection)?;
            write_triples(&triples, format, out)
        }
        ExportFormat::Csv => Err(Error::Invalid(
            "CSV is written table by table: use write_table".into(),
        )),
    }
}

/// Writes triples in a triple format (Turtle and RDF/XML with the project's prefixes; JSON-LD
/// compacted with the context built from `kg`'s ontology is [`write()`]'s job).
pub fn write_triples(triples: &[Triple], format: ExportFormat, out: &mut impl Write) -> Result<()> {
    let rdf = match format.rdf_format() {
        Some(f) if !format.keeps_graphs() => f,
        _ => {
            return Err(Error::Invalid(format!(
                "{format:?} is not a triple format (ttl, nt, rdfxml, jsonld)"
            )))
        }
    };
    let mut w = serializer(rdf)?.for_writer(&mut *out);
    for t in triples {
        w.serialize_triple(t).map_err(io_err)?;
    }
    w.finish().map_err(io_err)?;
    Ok(())
}

/// N-Triples of the union, streamed: a triple is written from the first selected graph (in
/// [`Selection::graphs`] order) that holds it, found with one index lookup, so nothing is held in
/// memory.
fn stream_ntriples(kg: &KnowledgeGraph, selection: &Selection, out: &mut impl Write) -> Result<()> {
    let graphs = selection.graphs(kg)?;
    let rank: BTreeMap<String, usize> = graphs
        .iter()
        .enumerate()
        .map(|(i, g)| (g.to_string(), i))
        .collect();
    let store = kg.store();
    for (i, g) in graphs.iter().enumerate() {
        for q in store.quads_for_pattern(None, None, None, Some(g.as_ref())) {
            let q = q?;
            if i > 0 {
                let mut first = i;
                for other in store.quads_for_pattern(
                    Some(q.subject.as_ref()),
                    Some(q.predicate.as_ref()),
                    Some(q.object.as_ref()),
                    None,
                ) {
                    if let Some(r) = rank.get(&other?.graph_name.to_string()) {
                        first = first.min(*r);
                    }
                }
                if first < i {
                    continue;
                }
            }
            writeln!(out, "{} {} {} .", q.subject, q.predicate, q.object).map_err(io_err)?;
        }
    }
    Ok(())
}

/// N-Quads of the selected graphs, streamed.
fn stream_nquads(kg: &KnowledgeGraph, selection: &Selection, out: &mut impl Write) -> Result<()> {
    for g in selection.graphs(kg)? {
        for q in kg
            .store()
            .quads_for_pattern(None, None, None, Some(g.as_ref()))
        {
            writeln!(out, "{} .", q?).map_err(io_err)?;
        }
    }
    Ok(())
}

/// A canonical dump: RDFC-1.0 N-Quads (SHA-256 hashing), lines sorted, with its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canonical {
    /// The canonical N-Quads document.
    pub nquads: String,
    /// Lowercase hex SHA-256 of [`Canonical::nquads`].
    pub sha256: String,
    /// Number of quads.
    pub quads: usize,
}

/// The canonical form of the selected graphs (graph names kept): the same data gives the same
/// bytes whatever the load order or the blank node labels.
pub fn canonical(kg: &KnowledgeGraph, selection: &Selection) -> Result<Canonical> {
    let graphs = selection.graphs(kg)?;
    canonical_of(&crate::sophia::StoreDataset::graphs(kg.store(), &graphs))
}

/// The canonical form (RDFC-1.0, SHA-256) of a dataset, by sophia_c14n: its safeguards (a bound
/// on the recursion depth and on the permutations of blank nodes that hash alike) turn a
/// blank-node structure built to make canonicalization exponential — data from a URL can hold
/// one — into an error instead of a hang.
pub fn canonical_of<D>(dataset: &D) -> Result<Canonical>
where
    D: sophia_api::dataset::SetDataset,
    Error: From<D::Error>,
{
    use sophia_c14n::C14nError;
    let mut out = Vec::new();
    sophia_c14n::rdfc10::normalize(dataset, &mut out).map_err(|e| match e {
        C14nError::Dataset(e) => Error::from(e),
        C14nError::Io(e) => Error::output(e),
        C14nError::ToxicGraph(m) | C14nError::Unsupported(m) => {
            Error::Invalid(format!("the data cannot be canonicalized (RDFC-1.0): {m}"))
        }
    })?;
    let nquads = String::from_utf8(out).map_err(Error::output)?;
    let sha256 = crate::digest::sha256_hex(nquads.as_bytes());
    Ok(Canonical {
        quads: nquads.lines().count(),
        nquads,
        sha256,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_name_extensions() {
        for f in ExportFormat::ALL {
            assert_eq!(f.extension().parse::<ExportFormat>().unwrap(), f);
        }
        assert_eq!(
            ExportFormat::from_path(Path::new("x/out.jsonld")),
            Some(ExportFormat::JsonLd)
        );
        assert!("yaml".parse::<ExportFormat>().is_err());
    }

    #[test]
    fn csv_fields_are_quoted_per_rfc4180() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn colliding_prefixes_are_renamed() {
        let terms: BTreeSet<String> = ["status".to_owned()].into();
        assert_eq!(jsonld_prefix_name("status", &terms), "statuses");
        assert_eq!(jsonld_prefix_name("norm", &terms), "norm");
    }
}
