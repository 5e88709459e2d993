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
use oxigraph::model::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    Dataset, GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, Quad, Term, TermRef, Triple,
};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::store::KnowledgeGraph;
use crate::vocab::{self, graph, ng};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// Turtle, pretty-printed with the project's prefixes (union of the graphs).
    Turtle,
    /// N-Triples, streamed (union of the graphs).
    NTriples,
    /// N-Quads, streamed (graph names kept).
    NQuads,
    /// TriG, pretty-printed with the project's prefixes (graph names kept).
    TriG,
    /// RDF/XML (union of the graphs).
    RdfXml,
    /// JSON-LD compacted with the project's context (union of the graphs).
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
        Ok(match s.to_ascii_lowercase().as_str() {
            "ttl" | "turtle" => ExportFormat::Turtle,
            "nt" | "ntriples" | "n-triples" => ExportFormat::NTriples,
            "nq" | "nquads" | "n-quads" => ExportFormat::NQuads,
            "trig" => ExportFormat::TriG,
            "rdf" | "rdfxml" | "rdf/xml" | "owl" | "xml" => ExportFormat::RdfXml,
            "jsonld" | "json-ld" | "json" => ExportFormat::JsonLd,
            "csv" => ExportFormat::Csv,
            other => {
                return Err(Error::Invalid(format!(
                    "unknown export format {other:?} (ttl, nt, nq, trig, rdfxml, jsonld, csv)"
                )))
            }
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
    Error::Output(e.to_string())
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
                .map_err(|e| Error::Output(format!("prefix {p}: {e}")))?;
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
/// compacted with the context built from `kg`'s ontology is [`write`]'s job).
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
    let mut dataset = Dataset::new();
    for g in selection.graphs(kg)? {
        for q in kg
            .store()
            .quads_for_pattern(None, None, None, Some(g.as_ref()))
        {
            dataset.insert(&q?);
        }
    }
    Ok(canonicalize(dataset))
}

/// The canonical form (RDFC-1.0, SHA-256) of any set of quads.
pub fn canonicalize(mut dataset: Dataset) -> Canonical {
    dataset.canonicalize(CanonicalizationAlgorithm::Rdfc10 {
        hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
    });
    let mut lines: Vec<String> = dataset.iter().map(|q| format!("{q} .\n")).collect();
    // Code point order of the lines = byte order of their UTF-8.
    lines.sort_unstable();
    let nquads: String = lines.concat();
    let sha256 = format!("{:x}", Sha256::digest(nquads.as_bytes()));
    Canonical {
        quads: lines.len(),
        nquads,
        sha256,
    }
}

// ---------------------------------------------------------------------------------------------
// JSON-LD
// ---------------------------------------------------------------------------------------------

/// Extra terms of the context for the reused vocabularies: (term, IRI, is the value an IRI?).
const REUSED_TERMS: &[(&str, &str, bool)] = &[
    ("label", "http://www.w3.org/2000/01/rdf-schema#label", false),
    (
        "comment",
        "http://www.w3.org/2000/01/rdf-schema#comment",
        false,
    ),
    (
        "prefLabel",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        false,
    ),
    ("title", "http://purl.org/dc/terms/title", false),
    ("identifier", "http://purl.org/dc/terms/identifier", false),
    ("description", "http://purl.org/dc/terms/description", false),
    ("page", "http://xmlns.com/foaf/0.1/page", true),
    ("sameAs", "http://www.w3.org/2002/07/owl#sameAs", true),
    (
        "primarySource",
        "http://www.w3.org/ns/prov#hadPrimarySource",
        true,
    ),
    ("member", "http://www.w3.org/ns/org#member", true),
    (
        "organization",
        "http://www.w3.org/ns/org#organization",
        true,
    ),
    ("memberOf", "http://www.w3.org/ns/org#memberOf", true),
    (
        "subOrganizationOf",
        "http://www.w3.org/ns/org#subOrganizationOf",
        true,
    ),
];

/// The JSON-LD context name of a prefix: the prefix itself, unless a term of the context has that
/// name (`status`, `theme`, `track` are properties), then its plural (`statuses:ratified`).
fn jsonld_prefix_name(prefix: &str, terms: &BTreeSet<String>) -> String {
    if terms.contains(prefix) {
        if prefix.ends_with('s') {
            format!("{prefix}es")
        } else {
            format!("{prefix}s")
        }
    } else {
        prefix.to_owned()
    }
}

/// The project's JSON-LD context (published as `ontology/context.jsonld`), built from the
/// ontology in `kg`: a term for every `ng:` class and property (local name), `@type: @id` for
/// object properties, `@type` set to the declared range for date and date-time properties, the
/// reused terms (`rdfs:label` as `label`, `prov:hadPrimarySource` as `primarySource`...), every prefix of [`vocab::PREFIXES`] (renamed when a term has
/// its name) and `@language: en` as the default language.
pub fn context(kg: &KnowledgeGraph) -> Result<Value> {
    let store = kg.store();
    let owl_class = NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#Class");
    let object_property =
        NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#ObjectProperty");
    let datatype_property =
        NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#DatatypeProperty");
    let mut defs: BTreeMap<String, Value> = BTreeMap::new();
    for (kind, coerce) in [
        (owl_class, None),
        (object_property, Some("@id")),
        (datatype_property, Some("")),
    ] {
        for q in store.quads_for_pattern(None, Some(rdf::TYPE), Some(kind.into()), None) {
            let q = q?;
            let NamedOrBlankNode::NamedNode(n) = q.subject else {
                continue;
            };
            let Some(local) = n.as_str().strip_prefix(ng::NS) else {
                continue;
            };
            let curie = format!("ng:{local}");
            let def = match coerce {
                None => Value::String(curie),
                Some("@id") => serde_json::json!({"@id": curie, "@type": "@id"}),
                Some(_) => {
                    let range = store
                        .quads_for_pattern(Some(n.as_ref().into()), Some(rdfs::RANGE), None, None)
                        .filter_map(|q| q.ok())
                        .find_map(|q| match q.object {
                            Term::NamedNode(r) => Some(r),
                            _ => None,
                        });
                    match range {
                        Some(r) if r == xsd::DATE || r == xsd::DATE_TIME => {
                            let short =
                                vocab::compact(r.as_str()).unwrap_or_else(|| r.as_str().to_owned());
                            serde_json::json!({"@id": curie, "@type": short})
                        }
                        // Codes and locators are plain strings, not English text.
                        Some(r) if r == xsd::STRING => {
                            serde_json::json!({"@id": curie, "@language": null})
                        }
                        _ => Value::String(curie),
                    }
                }
            };
            defs.insert(local.to_owned(), def);
        }
    }
    for (term, iri, is_iri) in REUSED_TERMS {
        let curie = vocab::compact(iri).unwrap_or_else(|| (*iri).to_owned());
        let def = if *is_iri {
            serde_json::json!({"@id": curie, "@type": "@id"})
        } else {
            Value::String(curie)
        };
        defs.entry((*term).to_owned()).or_insert(def);
    }
    let names: BTreeSet<String> = defs.keys().cloned().collect();
    let mut ctx = Map::new();
    ctx.insert("@version".into(), serde_json::json!(1.1));
    ctx.insert("@language".into(), "en".into());
    for (p, ns) in vocab::PREFIXES {
        ctx.insert(jsonld_prefix_name(p, &names), Value::String((*ns).into()));
    }
    for (k, v) in defs {
        ctx.insert(k, v);
    }
    let mut doc = Map::new();
    doc.insert("@context".into(), Value::Object(ctx));
    Ok(Value::Object(doc))
}

/// How a context term maps back: its IRI and its type coercion.
#[derive(Debug, Clone)]
struct TermDef {
    name: String,
    /// `Some("@id")`, `Some(datatype IRI)` or `None`.
    coerce: Option<String>,
    /// The term's own default language (`Some(None)`: `"@language": null`), else the context's.
    language: Option<Option<String>>,
}

/// The compaction tables read from a context of the shape [`context`] builds.
struct Compactor {
    /// Prefixes (name, namespace), longest namespace first.
    prefixes: Vec<(String, String)>,
    /// Term by IRI.
    terms: BTreeMap<String, TermDef>,
    /// Names of all terms and prefixes (a full IRI whose scheme is one of them must not be written
    /// as is).
    names: BTreeSet<String>,
    /// The default language.
    language: Option<String>,
}

impl Compactor {
    fn new(ctx: &Value) -> Result<Self> {
        let bad = |m: &str| Error::Invalid(format!("JSON-LD context: {m}"));
        let map = ctx
            .get("@context")
            .and_then(Value::as_object)
            .ok_or_else(|| bad("no @context object"))?;
        let mut prefixes = Vec::new();
        let mut raw_terms = Vec::new();
        let mut language = None;
        let mut names = BTreeSet::new();
        for (k, v) in map {
            if k == "@language" {
                language = v.as_str().map(str::to_owned);
                continue;
            }
            if k.starts_with('@') {
                continue;
            }
            names.insert(k.clone());
            match v {
                Value::String(s) if s.ends_with('/') || s.ends_with('#') => {
                    prefixes.push((k.clone(), s.clone()))
                }
                Value::String(s) => raw_terms.push((k.clone(), s.clone(), None, None)),
                Value::Object(o) => {
                    let id = o
                        .get("@id")
                        .and_then(Value::as_str)
                        .ok_or_else(|| bad(&format!("term {k} has no @id")))?;
                    let coerce = o.get("@type").and_then(Value::as_str).map(str::to_owned);
                    let language = o.get("@language").map(|l| l.as_str().map(str::to_owned));
                    raw_terms.push((k.clone(), id.to_owned(), coerce, language));
                }
                _ => return Err(bad(&format!("term {k} is neither a string nor an object"))),
            }
        }
        prefixes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        let mut c = Compactor {
            prefixes,
            terms: BTreeMap::new(),
            names,
            language,
        };
        for (name, id, coerce, language) in raw_terms {
            let iri = c.expand(&id);
            let coerce = coerce.map(|t| if t == "@id" { t } else { c.expand(&t) });
            c.terms.entry(iri).or_insert(TermDef {
                name,
                coerce,
                language,
            });
        }
        Ok(c)
    }

    fn expand(&self, curie: &str) -> String {
        if let Some((p, local)) = curie.split_once(':') {
            if let Some((_, ns)) = self.prefixes.iter().find(|(n, _)| n == p) {
                return format!("{ns}{local}");
            }
        }
        curie.to_owned()
    }

    /// An IRI as a compact IRI (`prefix:local`, the longest namespace) or as is. A compact IRI is
    /// only used when its local part cannot be mistaken for an IRI (`//` after the colon).
    fn compact_iri(&self, iri: &str) -> Result<String> {
        for (p, ns) in &self.prefixes {
            if let Some(local) = iri.strip_prefix(ns.as_str()) {
                if !local.starts_with("//") {
                    return Ok(format!("{p}:{local}"));
                }
            }
        }
        if let Some((scheme, _)) = iri.split_once(':') {
            if self.names.contains(scheme) || scheme == "_" {
                return Err(Error::Output(format!(
                    "<{iri}>: its scheme is a term of the JSON-LD context, it cannot be written compacted"
                )));
            }
        }
        Ok(iri.to_owned())
    }

    /// A key or `@type` value: a term when one maps the IRI (and `fits`), else a compact IRI.
    fn compact_vocab(&self, iri: &str) -> Result<String> {
        match self.terms.get(iri) {
            Some(t) => Ok(t.name.clone()),
            None => self.compact_iri(iri),
        }
    }

    fn node_id(&self, node: NamedOrBlankNodeRef<'_>) -> Result<String> {
        match node {
            NamedOrBlankNodeRef::NamedNode(n) => self.compact_iri(n.as_str()),
            NamedOrBlankNodeRef::BlankNode(b) => Ok(format!("_:{}", b.as_str())),
        }
    }

    /// The value of `object` under a term with coercion `coerce` (`None` when the term is not
    /// coerced); `Ok(None)` when the value does not fit the term and needs the plain IRI key.
    fn value(
        &self,
        object: TermRef<'_>,
        coerce: Option<&str>,
        language: Option<&str>,
    ) -> Result<Option<Value>> {
        Ok(match (object, coerce) {
            (TermRef::NamedNode(n), Some("@id")) => Some(self.compact_iri(n.as_str())?.into()),
            (TermRef::BlankNode(b), Some("@id")) => Some(format!("_:{}", b.as_str()).into()),
            (TermRef::NamedNode(n), None) => {
                Some(serde_json::json!({"@id": self.compact_iri(n.as_str())?}))
            }
            (TermRef::BlankNode(b), None) => {
                Some(serde_json::json!({"@id": format!("_:{}", b.as_str())}))
            }
            (TermRef::Literal(l), Some(dt)) if dt != "@id" => (l.language().is_none()
                && l.datatype().as_str() == dt)
                .then(|| Value::String(l.value().to_owned())),
            (TermRef::Literal(l), None) => Some(self.literal(l, language)?),
            _ => None,
        })
    }

    /// A literal under a key whose default language is `language`.
    fn literal(&self, l: oxigraph::model::LiteralRef<'_>, language: Option<&str>) -> Result<Value> {
        if let Some(lang) = l.language() {
            return Ok(if Some(lang) == language {
                Value::String(l.value().to_owned())
            } else {
                serde_json::json!({"@value": l.value(), "@language": lang})
            });
        }
        let dt = l.datatype();
        let v = l.value();
        if dt == xsd::STRING {
            return Ok(if language.is_some() {
                serde_json::json!({ "@value": v })
            } else {
                Value::String(v.to_owned())
            });
        }
        if dt == xsd::BOOLEAN && (v == "true" || v == "false") {
            return Ok(Value::Bool(v == "true"));
        }
        if dt == xsd::INTEGER {
            // Native numbers only for the canonical lexical form: `007` stays a typed string.
            if let Ok(n) = v.parse::<i64>() {
                if n.to_string() == v {
                    return Ok(Value::from(n));
                }
            }
        }
        Ok(serde_json::json!({"@value": v, "@type": self.compact_vocab(dt.as_str())?}))
    }
}

/// Writes triples as compacted JSON-LD: `{"@context": ..., "@graph": [node objects]}`.
///
/// The compaction is the JSON-LD 1.1 algorithm specialised to a flat graph (what `fromRdf` gives:
/// one node object per subject, sorted by subject, no embedding):
/// - `@id` values are compact IRIs (longest prefix of the context) or blank node labels;
/// - `rdf:type` IRIs go to `@type`, as class terms (`Endorsement`) or compact IRIs;
/// - a predicate is written with its term when the context has one and each value fits the
///   term's coercion (`@type: @id` takes IRIs and blank nodes as strings; a datatype takes
///   literals of exactly that datatype as strings); values that do not fit go under the compact IRI
///   of the predicate, as full value objects;
/// - literals: in the key's default language (the term's `@language`, else the context's) as
///   plain strings, other languages and `xsd:string` under a default language as value objects, canonical `xsd:integer` and `xsd:boolean` as JSON numbers and
///   booleans, anything else `{"@value", "@type"}`;
/// - one value is a scalar, several are an array, in the order of their N-Triples form.
///
/// The output expands back to the same graph: `tests/export.rs` parses it with Oxigraph's JSON-LD
/// parser and compares canonical forms.
pub fn write_jsonld(triples: &[Triple], ctx: &Value, out: &mut impl Write) -> Result<()> {
    let doc = compact_jsonld(triples, ctx)?;
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(|e| Error::Output(e.to_string()))?;
    writeln!(out).map_err(io_err)?;
    Ok(())
}

/// The compacted JSON-LD document of `triples` (see [`write_jsonld`]).
pub fn compact_jsonld(triples: &[Triple], ctx: &Value) -> Result<Value> {
    let c = Compactor::new(ctx)?;
    // Subject -> key -> values, in the triples' (sorted) order.
    let mut nodes: BTreeMap<String, BTreeMap<String, Vec<Value>>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for t in triples {
        let id = c.node_id(t.subject.as_ref())?;
        let node = nodes.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            BTreeMap::new()
        });
        let (key, value) = if t.predicate == rdf::TYPE && !t.object.is_literal() {
            let v = match &t.object {
                Term::NamedNode(n) => c.compact_vocab(n.as_str())?,
                Term::BlankNode(b) => format!("_:{}", b.as_str()),
                #[allow(unreachable_patterns)]
                _ => continue,
            };
            ("@type".to_owned(), Value::String(v))
        } else {
            let term = c.terms.get(t.predicate.as_str());
            let fitted = match term {
                Some(def) => {
                    let language = match &def.language {
                        Some(l) => l.as_deref(),
                        None => c.language.as_deref(),
                    };
                    c.value(t.object.as_ref(), def.coerce.as_deref(), language)?
                        .map(|v| (def.name.clone(), v))
                }
                None => None,
            };
            match fitted {
                Some(kv) => kv,
                None => {
                    let key = c.compact_iri(t.predicate.as_str())?;
                    let value = c
                        .value(t.object.as_ref(), None, c.language.as_deref())?
                        .ok_or_else(|| Error::Output(format!("cannot write {}", t.object)))?;
                    (key, value)
                }
            }
        };
        node.entry(key).or_default().push(value);
    }
    let mut graph = Vec::new();
    for id in order {
        let mut obj = Map::new();
        obj.insert("@id".into(), Value::String(id.clone()));
        if let Some(props) = nodes.remove(&id) {
            for (k, mut vs) in props {
                let v = if vs.len() == 1 {
                    vs.remove(0)
                } else {
                    Value::Array(vs)
                };
                obj.insert(k, v);
            }
        }
        graph.push(Value::Object(obj));
    }
    let mut doc = Map::new();
    doc.insert(
        "@context".into(),
        ctx.get("@context").cloned().unwrap_or(Value::Null),
    );
    doc.insert("@graph".into(), Value::Array(graph));
    Ok(Value::Object(doc))
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

/// The CSV tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// One row per `ng:Endorsement`.
    Endorsements,
    /// One row per `ng:Norm`.
    Norms,
    /// One row per `ng:Actor` (any subclass).
    Actors,
}

impl Table {
    /// Every table.
    pub const ALL: [Table; 3] = [Table::Endorsements, Table::Norms, Table::Actors];

    /// The table's name (and file stem in a release).
    pub fn name(self) -> &'static str {
        match self {
            Table::Endorsements => "endorsements",
            Table::Norms => "norms",
            Table::Actors => "actors",
        }
    }
}

impl FromStr for Table {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Table::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| {
                Error::Invalid(format!("unknown table {s:?} (endorsements, norms, actors)"))
            })
    }
}

/// Separator of several values in one CSV cell.
pub const CELL_SEPARATOR: &str = " | ";

const NG_ENDORSEMENT: &str = "https://w3id.org/normgraph/ontology#Endorsement";
const NG_NORM: &str = "https://w3id.org/normgraph/ontology#Norm";
const NG_ACTOR: &str = "https://w3id.org/normgraph/ontology#Actor";
const NG_INSTRUMENT: &str = "https://w3id.org/normgraph/ontology#Instrument";

/// Reads property values over every graph but the meta graph.
struct Lookup<'a> {
    kg: &'a KnowledgeGraph,
}

impl Lookup<'_> {
    fn objects(&self, s: &NamedNode, p: &str) -> Result<Vec<Term>> {
        let p = NamedNodeRef::new_unchecked(p);
        let mut out = BTreeSet::new();
        for q in self
            .kg
            .store()
            .quads_for_pattern(Some(s.as_ref().into()), Some(p), None, None)
        {
            let q = q?;
            if !matches!(&q.graph_name, GraphName::NamedNode(g) if g.as_str() == graph::META) {
                out.insert(SortedTerm(q.object));
            }
        }
        Ok(out.into_iter().map(|t| t.0).collect())
    }

    fn iris(&self, s: &NamedNode, p: &str) -> Result<Vec<NamedNode>> {
        Ok(self
            .objects(s, p)?
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n),
                _ => None,
            })
            .collect())
    }

    fn values(&self, s: &NamedNode, p: &str) -> Result<Vec<String>> {
        Ok(self
            .objects(s, p)?
            .into_iter()
            .map(|t| match t {
                Term::NamedNode(n) => n.into_string(),
                Term::Literal(l) => l.value().to_owned(),
                other => other.to_string(),
            })
            .collect())
    }

    fn label(&self, s: &NamedNode) -> String {
        crate::query::label_of(self.kg, s).unwrap_or_default()
    }

    /// Instances of `class` or of any of its subclasses (asserted types; the inferred graph may be
    /// absent), sorted by IRI.
    fn instances(&self, class: &str) -> Result<Vec<NamedNode>> {
        let store = self.kg.store();
        let mut classes = vec![NamedNode::new_unchecked(class)];
        let mut seen: BTreeSet<NamedNode> = classes.iter().cloned().collect();
        let mut i = 0;
        while i < classes.len() {
            for q in store.quads_for_pattern(
                None,
                Some(rdfs::SUB_CLASS_OF),
                Some(classes[i].as_ref().into()),
                None,
            ) {
                if let NamedOrBlankNode::NamedNode(n) = q?.subject {
                    if seen.insert(n.clone()) {
                        classes.push(n);
                    }
                }
            }
            i += 1;
        }
        let mut out = BTreeSet::new();
        for c in &classes {
            for q in store.quads_for_pattern(None, Some(rdf::TYPE), Some(c.as_ref().into()), None) {
                if let NamedOrBlankNode::NamedNode(n) = q?.subject {
                    out.insert(n);
                }
            }
        }
        Ok(out.into_iter().collect())
    }
}

/// A term ordered by its N-Triples form.
#[derive(PartialEq, Eq)]
struct SortedTerm(Term);

impl PartialOrd for SortedTerm {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SortedTerm {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.to_string().cmp(&other.0.to_string())
    }
}

/// The last path segment of an IRI (`status:ratified` -> `ratified`).
fn key_of(n: &NamedNode) -> String {
    let s = n.as_str();
    s.rsplit(['/', '#']).next().unwrap_or(s).to_owned()
}

fn join<I: IntoIterator<Item = String>>(values: I) -> String {
    values.into_iter().collect::<Vec<_>>().join(CELL_SEPARATOR)
}

/// The rows of a table, header first. Rows are sorted by their first column (an IRI).
pub fn table_rows(kg: &KnowledgeGraph, table: Table) -> Result<Vec<Vec<String>>> {
    let l = Lookup { kg };
    let ng = |local: &str| format!("{}{local}", ng::NS);
    let mut rows = Vec::new();
    match table {
        Table::Endorsements => {
            rows.push(
                [
                    "endorsement",
                    "actor",
                    "actor_label",
                    "actor_iso3",
                    "target",
                    "target_label",
                    "norms",
                    "instrument",
                    "status",
                    "date",
                    "not_before",
                    "no_later_than",
                    "sources",
                    "source_urls",
                ]
                .map(str::to_owned)
                .to_vec(),
            );
            let instruments: BTreeSet<NamedNode> =
                l.instances(NG_INSTRUMENT)?.into_iter().collect();
            for e in l.instances(NG_ENDORSEMENT)? {
                let actors = l.iris(&e, &ng("actor"))?;
                let targets = l.iris(&e, &ng("target"))?;
                let mut instrument = BTreeSet::new();
                for t in &targets {
                    if instruments.contains(t) {
                        instrument.insert(t.as_str().to_owned());
                    } else {
                        for i in l.iris(t, &ng("articulatedIn"))? {
                            instrument.insert(i.into_string());
                        }
                    }
                }
                let sources = l.iris(&e, "http://www.w3.org/ns/prov#hadPrimarySource")?;
                let mut urls = BTreeSet::new();
                for s in &sources {
                    urls.extend(l.values(s, "http://xmlns.com/foaf/0.1/page")?);
                }
                rows.push(vec![
                    e.as_str().to_owned(),
                    join(actors.iter().map(|a| a.as_str().to_owned())),
                    join(actors.iter().map(|a| l.label(a))),
                    join(
                        actors
                            .iter()
                            .map(|a| l.values(a, &ng("isoAlpha3")).map(join))
                            .collect::<Result<Vec<_>>>()?,
                    ),
                    join(targets.iter().map(|t| t.as_str().to_owned())),
                    join(targets.iter().map(|t| l.label(t))),
                    join(l.values(&e, &ng("bearsOn"))?),
                    join(instrument),
                    join(l.iris(&e, &ng("status"))?.iter().map(key_of)),
                    join(l.values(&e, &ng("date"))?),
                    join(l.values(&e, &ng("notBefore"))?),
                    join(l.values(&e, &ng("notAfter"))?),
                    join(sources.iter().map(|s| s.as_str().to_owned())),
                    join(urls),
                ]);
            }
        }
        Table::Norms => {
            rows.push(
                [
                    "norm",
                    "short_name",
                    "instrument",
                    "provision",
                    "themes",
                    "deontic_type",
                ]
                .map(str::to_owned)
                .to_vec(),
            );
            for n in l.instances(NG_NORM)? {
                rows.push(vec![
                    n.as_str().to_owned(),
                    l.label(&n),
                    join(l.values(&n, &ng("articulatedIn"))?),
                    join(l.values(&n, &ng("provision"))?),
                    join(l.iris(&n, &ng("theme"))?.iter().map(key_of)),
                    join(l.iris(&n, &ng("deonticType"))?.iter().map(key_of)),
                ]);
            }
        }
        Table::Actors => {
            rows.push(
                ["actor", "label", "type", "iso_alpha2", "iso_alpha3"]
                    .map(str::to_owned)
                    .to_vec(),
            );
            for a in l.instances(NG_ACTOR)? {
                // The asserted ng: classes (not the inferred superclasses).
                let mut types = BTreeSet::new();
                for q in kg.store().quads_for_pattern(
                    Some(a.as_ref().into()),
                    Some(rdf::TYPE),
                    None,
                    None,
                ) {
                    let q = q?;
                    let inferred_or_meta = matches!(&q.graph_name,
                        GraphName::NamedNode(g) if g.as_str() == graph::INFERRED || g.as_str() == graph::META);
                    if let (false, Term::NamedNode(t)) = (inferred_or_meta, &q.object) {
                        if let Some(local) = t.as_str().strip_prefix(ng::NS) {
                            types.insert(local.to_owned());
                        }
                    }
                }
                rows.push(vec![
                    a.as_str().to_owned(),
                    l.label(&a),
                    join(types),
                    join(l.values(&a, &ng("isoAlpha2"))?),
                    join(l.values(&a, &ng("isoAlpha3"))?),
                ]);
            }
        }
    }
    Ok(rows)
}

/// Writes a table as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a
/// comma, a quote, CR or LF, quotes doubled; UTF-8 without BOM; a header row).
pub fn write_table(kg: &KnowledgeGraph, table: Table, out: &mut impl Write) -> Result<()> {
    for row in table_rows(kg, table)? {
        let line: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        write!(out, "{}\r\n", line.join(",")).map_err(io_err)?;
    }
    Ok(())
}

fn csv_field(f: &str) -> String {
    if f.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f.to_owned()
    }
}

// ---------------------------------------------------------------------------------------------
// Describe
// ---------------------------------------------------------------------------------------------

/// The concise bounded description of `resource` over every graph but the meta graph (inferred
/// facts included): its triples, recursively those of the blank nodes they reach, plus the
/// `rdfs:label` of every IRI it links to. Sorted; empty when the store says nothing about it.
pub fn describe(kg: &KnowledgeGraph, resource: &NamedNode) -> Result<Vec<Triple>> {
    let store = kg.store();
    let mut out = BTreeSet::new();
    let mut todo: Vec<NamedOrBlankNode> = vec![resource.clone().into()];
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut linked: BTreeSet<NamedNode> = BTreeSet::new();
    while let Some(s) = todo.pop() {
        if !seen.insert(s.to_string()) {
            continue;
        }
        for q in store.quads_for_pattern(Some(s.as_ref()), None, None, None) {
            let q = q?;
            if matches!(&q.graph_name, GraphName::NamedNode(g) if g.as_str() == graph::META) {
                continue;
            }
            match &q.object {
                Term::BlankNode(b) => todo.push(b.clone().into()),
                Term::NamedNode(n) if q.predicate != rdf::TYPE => {
                    linked.insert(n.clone());
                }
                _ => {}
            }
            out.insert(SortedTriple::from(Triple::from(q)));
        }
    }
    for n in linked {
        for q in store.quads_for_pattern(Some(n.as_ref().into()), Some(rdfs::LABEL), None, None) {
            let q = q?;
            if !matches!(&q.graph_name, GraphName::NamedNode(g) if g.as_str() == graph::META) {
                out.insert(SortedTriple::from(Triple::from(q)));
            }
        }
    }
    Ok(out.into_iter().map(|t| t.triple).collect())
}

/// Writes a description (or any triples) in a triple format; JSON-LD is compacted with `kg`'s
/// context.
pub fn write_description(
    kg: &KnowledgeGraph,
    triples: &[Triple],
    format: ExportFormat,
    out: &mut impl Write,
) -> Result<()> {
    match format {
        ExportFormat::JsonLd => write_jsonld(triples, &context(kg)?, out),
        ExportFormat::NTriples => {
            for t in triples {
                writeln!(out, "{t} .").map_err(io_err)?;
            }
            Ok(())
        }
        _ => write_triples(triples, format, out),
    }
}

// ---------------------------------------------------------------------------------------------
// Release
// ---------------------------------------------------------------------------------------------

/// One file of a release.
#[derive(Debug, Clone)]
pub struct ReleaseFile {
    /// File name in the release folder.
    pub name: String,
    /// Media type.
    pub media_type: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Lowercase hex SHA-256.
    pub sha256: String,
}

/// What [`release`] wrote.
#[derive(Debug, Clone)]
pub struct Release {
    /// The folder.
    pub dir: PathBuf,
    /// Every file (dumps, tables, context, void.ttl), in `SHA256SUMS` order.
    pub files: Vec<ReleaseFile>,
    /// The canonical dump's SHA-256.
    pub canonical_sha256: String,
    /// Triples in the union of the exported graphs.
    pub triples: usize,
    /// The ontology's `owl:versionInfo`.
    pub version: String,
}

/// The dataset's IRI in VoID.
pub const DATASET: &str = "https://w3id.org/normgraph/dataset";

/// The ontology's `owl:versionInfo` ("unversioned" when absent).
pub fn version(kg: &KnowledgeGraph) -> Result<String> {
    let onto = NamedNodeRef::new_unchecked(ng::ONTOLOGY);
    let info = NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#versionInfo");
    for q in kg
        .store()
        .quads_for_pattern(Some(onto.into()), Some(info), None, None)
    {
        if let Term::Literal(l) = q?.object {
            return Ok(l.value().to_owned());
        }
    }
    Ok("unversioned".to_owned())
}

fn write_file(dir: &Path, name: &str, bytes: &[u8], media_type: &str) -> Result<ReleaseFile> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    Ok(ReleaseFile {
        name: name.to_owned(),
        media_type: media_type.to_owned(),
        bytes: bytes.len() as u64,
        sha256: format!("{:x}", Sha256::digest(bytes)),
    })
}

/// Writes a release into `dir` (created if needed): `normgraph.{ttl,nt,nq,trig,rdf,jsonld}`,
/// `normgraph.canonical.nq`, `endorsements.csv`, `norms.csv`, `actors.csv`, `context.jsonld`,
/// `void.ttl` (VoID + DCAT: title, version, licence, counts, class partitions, example
/// resources, sources, the SPARQL endpoint `endpoint`, and one `dcat:Distribution` per file with
/// media type, byte size and SHA-256) and `SHA256SUMS` over all of them (`sha256sum -c` format).
pub fn release(
    kg: &KnowledgeGraph,
    selection: &Selection,
    dir: &Path,
    endpoint: &str,
) -> Result<Release> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    // The union of the selected graphs and the JSON-LD context, read once for the triple
    // formats, the context file and the VoID counts.
    let triples = union_triples(kg, selection)?;
    let context = context(kg)?;
    let mut files = Vec::new();
    for format in ExportFormat::ALL {
        let mut buf = Vec::new();
        match format {
            ExportFormat::Csv => continue,
            ExportFormat::Turtle | ExportFormat::RdfXml => {
                write_triples(&triples, format, &mut buf)?
            }
            ExportFormat::JsonLd => write_jsonld(&triples, &context, &mut buf)?,
            _ => write(kg, selection, format, &mut buf)?,
        }
        files.push(write_file(
            dir,
            &format!("normgraph.{}", format.extension()),
            &buf,
            format.media_type(),
        )?);
    }
    let canon = canonical(kg, selection)?;
    files.push(write_file(
        dir,
        "normgraph.canonical.nq",
        canon.nquads.as_bytes(),
        "application/n-quads",
    )?);
    for table in Table::ALL {
        let mut buf = Vec::new();
        write_table(kg, table, &mut buf)?;
        files.push(write_file(
            dir,
            &format!("{}.csv", table.name()),
            &buf,
            "text/csv",
        )?);
    }
    let ctx = serde_json::to_vec_pretty(&context).map_err(|e| Error::Output(e.to_string()))?;
    files.push(write_file(
        dir,
        "context.jsonld",
        &ctx,
        "application/ld+json",
    )?);
    let version = version(kg)?;
    let void = void_description(kg, &triples, &files, &version, endpoint)?;
    let mut buf = Vec::new();
    write_triples(&void, ExportFormat::Turtle, &mut buf)?;
    files.push(write_file(dir, "void.ttl", &buf, "text/turtle")?);
    let mut sums = String::new();
    for f in &files {
        // Two spaces: `sha256sum`'s text mode line.
        let _ = writeln!(sums, "{}  {}", f.sha256, f.name);
    }
    let path = dir.join("SHA256SUMS");
    std::fs::write(&path, sums).map_err(|e| Error::io(&path, e))?;
    Ok(Release {
        dir: dir.to_path_buf(),
        files,
        canonical_sha256: canon.sha256,
        triples: triples.len(),
        version,
    })
}

/// The VoID + DCAT description of a release.
/// The VoID subsets of a dataset `parent`: one per data file the data describes as a
/// `void:Dataset` keyed by its graph (`data/datasets.ttl`: what the file covers, as of when, from
/// which sources), with those descriptions and the triples its graph holds now. Both VoID
/// descriptions (the release's `void.ttl`, the server's `/void`) carry them.
pub fn file_subsets(kg: &KnowledgeGraph, parent: &NamedNode) -> Result<Vec<Triple>> {
    const VOID: &str = "http://rdfs.org/ns/void#";
    let text = format!(
        "SELECT ?d ?p ?o WHERE {{ ?d a <{VOID}Dataset> ; ?p ?o . FILTER(STRSTARTS(STR(?d), \"{}\")) }} ORDER BY ?d ?p ?o",
        crate::vocab::graph::NS
    );
    let q = crate::query::NamedQuery::from_text("void-subsets".into(), "void-subsets".into(), text);
    let crate::query::Answer::Solutions { rows, .. } = crate::query::run(kg, &q, &[])? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for row in rows {
        let (Some(Term::NamedNode(d)), Some(Term::NamedNode(p)), Some(o)) =
            (&row[0], &row[1], &row[2])
        else {
            continue;
        };
        if seen.insert(d.clone()) {
            out.push(Triple::new(
                parent.clone(),
                NamedNode::new_unchecked(format!("{VOID}subset")),
                d.clone(),
            ));
            let n = kg
                .store()
                .quads_for_pattern(None, None, None, Some(d.as_ref().into()))
                .count();
            out.push(Triple::new(
                d.clone(),
                NamedNode::new_unchecked(format!("{VOID}triples")),
                Literal::new_typed_literal(n.to_string(), xsd::INTEGER),
            ));
        }
        out.push(Triple::new(d.clone(), p.clone(), o.clone()));
    }
    Ok(out)
}

fn void_description(
    kg: &KnowledgeGraph,
    triples: &[Triple],
    files: &[ReleaseFile],
    version: &str,
    endpoint: &str,
) -> Result<Vec<Triple>> {
    const VOID: &str = "http://rdfs.org/ns/void#";
    const DCAT: &str = "http://www.w3.org/ns/dcat#";
    const DCT: &str = "http://purl.org/dc/terms/";
    const SPDX: &str = "http://spdx.org/rdf/terms#";
    let iri = |s: String| NamedNode::new_unchecked(s);
    let term = |ns: &str, local: &str| NamedNode::new_unchecked(format!("{ns}{local}"));
    let endpoint = NamedNode::new(endpoint)
        .map_err(|e| Error::Invalid(format!("SPARQL endpoint {endpoint:?}: {e}")))?;
    let ds = iri(format!("{DATASET}/{version}"));
    let mut out = file_subsets(kg, &ds)?;
    let mut add = |s: &NamedNode, p: NamedNode, o: Term| {
        out.push(Triple::new(s.clone(), p, o));
    };
    let nonneg = |n: usize| -> Term {
        Literal::new_typed_literal(n.to_string(), xsd::NON_NEGATIVE_INTEGER).into()
    };
    let integer =
        |n: usize| -> Term { Literal::new_typed_literal(n.to_string(), xsd::INTEGER).into() };
    add(&ds, rdf::TYPE.into_owned(), term(VOID, "Dataset").into());
    add(&ds, rdf::TYPE.into_owned(), term(DCAT, "Dataset").into());
    add(
        &ds,
        term(DCT, "title"),
        Literal::new_language_tagged_literal_unchecked(
            "normgraph: international cyber norms",
            "en",
        )
        .into(),
    );
    add(
        &ds,
        term(DCT, "description"),
        Literal::new_language_tagged_literal_unchecked(
            "Who backs which international cyber norm, since when, how firmly, and on what evidence: norms, the instruments that carry them, the actors who endorse or oppose them, and a source for every claim.",
            "en",
        )
        .into(),
    );
    add(
        &ds,
        term(DCAT, "version"),
        Literal::new_simple_literal(version).into(),
    );
    add(
        &ds,
        NamedNode::new_unchecked("http://www.w3.org/2002/07/owl#versionInfo"),
        Literal::new_simple_literal(version).into(),
    );
    add(
        &ds,
        term(DCT, "license"),
        iri("https://creativecommons.org/licenses/by/4.0/".into()).into(),
    );
    add(&ds, term(VOID, "sparqlEndpoint"), endpoint.into());
    add(
        &ds,
        term(VOID, "uriSpace"),
        Literal::new_simple_literal(vocab::ID_NS).into(),
    );
    add(&ds, term(VOID, "vocabulary"), iri(ng::NS.to_owned()).into());
    add(&ds, term(VOID, "triples"), integer(triples.len()));
    // Entities: IRI subjects in the instance space; classes: asserted and inferred types.
    let mut entities = BTreeSet::new();
    let mut subjects = BTreeSet::new();
    let mut per_class: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in triples {
        subjects.insert(t.subject.to_string());
        if let NamedOrBlankNode::NamedNode(s) = &t.subject {
            if s.as_str().starts_with(vocab::ID_NS) {
                entities.insert(s.as_str().to_owned());
            }
        }
        if t.predicate == rdf::TYPE {
            if let Term::NamedNode(c) = &t.object {
                per_class
                    .entry(c.as_str().to_owned())
                    .or_default()
                    .insert(t.subject.to_string());
            }
        }
    }
    add(&ds, term(VOID, "entities"), integer(entities.len()));
    add(&ds, term(VOID, "distinctSubjects"), integer(subjects.len()));
    for (i, (class, members)) in per_class.iter().enumerate() {
        let part = iri(format!("{DATASET}/{version}/class/{i}"));
        add(&ds, term(VOID, "classPartition"), part.clone().into());
        add(&part, term(VOID, "class"), iri(class.clone()).into());
        add(&part, term(VOID, "entities"), integer(members.len()));
    }
    for example in [
        "norm/gge2015-13f",
        "state/CHN",
        "state/USA",
        "instrument/a-70-174",
        "instrument/ets-185",
    ] {
        let n = iri(format!("{}{example}", vocab::ID_NS));
        if kg
            .store()
            .quads_for_pattern(Some(n.as_ref().into()), None, None, None)
            .next()
            .is_some()
        {
            add(&ds, term(VOID, "exampleResource"), n.into());
        }
    }
    let sources = Lookup { kg }.instances(&format!("{}Source", ng::NS))?;
    for s in &sources {
        add(&ds, term(DCT, "source"), s.clone().into());
    }
    add(
        &ds,
        rdfs::COMMENT.into_owned(),
        Literal::new_language_tagged_literal_unchecked(
            format!(
                "{} sources (ng:Source) are cited as evidence; {} triples in {} files.",
                sources.len(),
                triples.len(),
                files.len()
            ),
            "en",
        )
        .into(),
    );
    for f in files {
        let dist = iri(format!("{DATASET}/{version}/{}", f.name));
        add(&ds, term(DCAT, "distribution"), dist.clone().into());
        add(
            &dist,
            rdf::TYPE.into_owned(),
            term(DCAT, "Distribution").into(),
        );
        add(
            &dist,
            term(DCT, "title"),
            Literal::new_simple_literal(&f.name).into(),
        );
        add(&dist, term(DCAT, "downloadURL"), dist.clone().into());
        add(
            &dist,
            term(DCAT, "mediaType"),
            iri(format!(
                "https://www.iana.org/assignments/media-types/{}",
                f.media_type
            ))
            .into(),
        );
        add(&dist, term(DCAT, "byteSize"), nonneg(f.bytes as usize));
        let sum = iri(format!("{DATASET}/{version}/{}#sha256", f.name));
        add(&dist, term(SPDX, "checksum"), sum.clone().into());
        add(&sum, rdf::TYPE.into_owned(), term(SPDX, "Checksum").into());
        add(
            &sum,
            term(SPDX, "algorithm"),
            term(SPDX, "checksumAlgorithm_sha256").into(),
        );
        add(
            &sum,
            term(SPDX, "checksumValue"),
            Literal::new_typed_literal(&f.sha256, xsd::HEX_BINARY).into(),
        );
    }
    let mut sorted: Vec<SortedTriple> = out.into_iter().map(SortedTriple::from).collect();
    sorted.sort();
    Ok(sorted.into_iter().map(|t| t.triple).collect())
}

/// Quads of the selected graphs, for tests and oracles.
pub fn quads(kg: &KnowledgeGraph, selection: &Selection) -> Result<Vec<Quad>> {
    let mut out = Vec::new();
    for g in selection.graphs(kg)? {
        for q in kg
            .store()
            .quads_for_pattern(None, None, None, Some(g.as_ref()))
        {
            out.push(q?);
        }
    }
    Ok(out)
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
