//! The knowledge graph: an Oxigraph store (on disk or in memory), loaded file by file into named
//! graphs, all-or-nothing, with the rules of `ontology/rules/` applied after every load.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use oxigraph::io::{RdfFormat, RdfParser, RdfSyntaxError};
use oxigraph::model::vocab::xsd;
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, QuadRef,
    Term,
};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::{StorageError, Store, Transaction};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::vocab::graph;

mod bookkeeping;
mod bundle;
mod load;
mod parse;
mod rules;

pub(crate) use bookkeeping::*;
pub use bundle::*;
pub use parse::*;

const DCTERMS_SOURCE: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/source");
const DCTERMS_IDENTIFIER: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/identifier");
const DCTERMS_HAS_PART: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/hasPart");
const DCTERMS_IS_PART_OF: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/isPartOf");
const PROV_WAS_DERIVED_FROM: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/prov#wasDerivedFrom");
const PROV_GENERATED_AT_TIME: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/prov#generatedAtTime");
/// Marks, in the meta graph, the graphs that came from the bundled ontology and data.
const BUNDLE: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("https://w3id.org/normgraph/graph/bundle");

/// How long each rule file took, by file name.
type RuleTimes = Vec<(String, Duration)>;

/// A derived graph computed from a snapshot of the data and not yet written
/// ([`KnowledgeGraph::derive`], [`KnowledgeGraph::write_derived`]).
#[derive(Debug)]
pub struct Derived {
    quads: Vec<Quad>,
    rules_sum: String,
}

impl Derived {
    /// The number of derived quads.
    pub fn len(&self) -> usize {
        self.quads.len()
    }

    /// Whether the rules derived nothing.
    pub fn is_empty(&self) -> bool {
        self.quads.is_empty()
    }
}

/// What a load did.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// Files parsed and written: (path, graph, quads).
    pub loaded: Vec<(PathBuf, NamedNode, usize)>,
    /// Files skipped because their content had not changed.
    pub unchanged: usize,
    /// Graphs dropped because their bundled file is gone.
    pub removed: Vec<NamedNode>,
    /// Triples in the inferred graph after the rules ran.
    pub inferred: usize,
    /// Did the rules run (data or rules changed)?
    pub reasoned: bool,
    /// Were the files written by Oxigraph's bulk loader (see [`LoadOptions`])?
    pub bulk: bool,
    /// Time spent writing the data (parse + store), without the rules.
    pub load_time: Duration,
    /// Time each rule took (file name, wall time), in the order they ran.
    pub rule_times: Vec<(String, Duration)>,
    /// Time spent compacting the on-disk store after a bulk load (zero otherwise).
    pub compaction_time: Duration,
    /// Wall time.
    pub elapsed: Duration,
}

impl LoadReport {
    /// Did the load change anything?
    pub fn changed(&self) -> bool {
        !self.loaded.is_empty() || !self.removed.is_empty() || self.reasoned
    }
}

/// Counts per named graph and per class.
#[derive(Debug, Default)]
pub struct Stats {
    /// Quads per named graph (IRI → count), the default graph under `""`.
    pub graphs: BTreeMap<String, usize>,
    /// Distinct instances per class over all graphs, inferred types included.
    pub classes: BTreeMap<String, usize>,
    /// All quads.
    pub total: usize,
}

/// Inputs at least this large (all files together) go through the bulk loader by default.
pub const BULK_THRESHOLD_BYTES: u64 = 8 * 1024 * 1024;

/// A callback told, from time to time, how many quads a bulk load has written so far.
pub type Progress = std::sync::Arc<dyn Fn(u64) + Send + Sync>;

/// How to load files.
#[derive(Clone, Default)]
pub struct LoadOptions {
    /// Use Oxigraph's bulk loader: `Some(true)` always, `Some(false)` never, `None` when the
    /// files together reach [`BULK_THRESHOLD_BYTES`] (8 MiB, some 45k triples of N-Triples: the
    /// bundled data files stay on the transactional path).
    ///
    /// The bulk loader streams (memory bounded by [`LoadOptions::max_memory_mb`]) and commits all
    /// files at once, atomically. What differs from the transactional path: a *changed* file that
    /// was loaded before is first checked by a parse-only pass, then its old graph is removed in a
    /// transaction of its own before the new content is written; a failure of the store itself
    /// (disk full) after that point leaves the graph empty rather than at its old version. The
    /// bookkeeping records and the rules are written in transactions after the bulk commit.
    pub bulk: Option<bool>,
    /// Memory budget of the bulk loader in MiB (Oxigraph's default is ~2 GiB per thread);
    /// 0 means 512.
    pub max_memory_mb: usize,
    /// Called with the number of quads written so far (bulk loads only).
    pub progress: Option<Progress>,
    /// Called before anything is written (transactional path only) with the graph as it is and
    /// the graph as it would be after the load (in memory, rules applied); an error refuses the
    /// load. `normgraph load` checks the shapes here (see `validate::gate`).
    pub check: Option<Check>,
}

/// A check of a load before it is committed: `(before, after)`; an error refuses the load.
pub type Check =
    std::sync::Arc<dyn Fn(&KnowledgeGraph, &KnowledgeGraph) -> Result<()> + Send + Sync>;

impl std::fmt::Debug for LoadOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadOptions")
            .field("bulk", &self.bulk)
            .field("max_memory_mb", &self.max_memory_mb)
            .field("progress", &self.progress.is_some())
            .field("check", &self.check.is_some())
            .finish()
    }
}

/// The normgraph knowledge graph over an Oxigraph store.
pub struct KnowledgeGraph {
    store: Store,
    location: Option<PathBuf>,
    bundle: Bundle,
    read_only: bool,
}

impl KnowledgeGraph {
    /// Opens (or creates) the on-disk store at `path`.
    pub fn open(path: impl AsRef<Path>, bundle: Bundle) -> Result<Self> {
        let path = path.as_ref();
        if path.exists() && !path.is_dir() {
            return Err(Error::store_open(
                path,
                "it is a file, not a store folder (give --store a folder, new or made by normgraph)",
            ));
        }
        std::fs::create_dir_all(path).map_err(|e| Error::store_open(path, e))?;
        let store = Store::open(path).map_err(|e| {
            if is_lock_error(&e) {
                Error::StoreInUse {
                    path: path.to_path_buf(),
                }
            } else {
                Error::store_open(path, e)
            }
        })?;
        Ok(Self {
            store,
            location: Some(path.to_path_buf()),
            bundle,
            read_only: false,
        })
    }

    /// Opens an existing on-disk store read-only, as reading commands do while another process
    /// (e.g. `normgraph serve`) holds it: what that process commits afterwards is not seen, and
    /// nothing can be written (the bundle is not synchronised).
    pub fn open_read_only(path: impl AsRef<Path>, bundle: Bundle) -> Result<Self> {
        let path = path.as_ref();
        let store = Store::open_read_only(path).map_err(|e| Error::store_open(path, e))?;
        Ok(Self {
            store,
            location: Some(path.to_path_buf()),
            bundle,
            read_only: true,
        })
    }

    /// A graph over `memory` with this graph's bundle (a copy the rules ran on).
    fn beside(&self, memory: Store) -> KnowledgeGraph {
        KnowledgeGraph {
            store: memory,
            location: None,
            bundle: self.bundle.clone(),
            read_only: false,
        }
    }

    /// Was the store opened read-only?
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// An empty in-memory store.
    pub fn in_memory(bundle: Bundle) -> Result<Self> {
        Ok(Self {
            store: Store::new()?,
            location: None,
            bundle,
            read_only: false,
        })
    }

    /// The underlying Oxigraph store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Where the store lives on disk (`None` in memory).
    pub fn location(&self) -> Option<&Path> {
        self.location.as_deref()
    }

    /// The bundle this graph takes its rules, queries and default data from.
    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }

    /// Brings the bundled ontology and data in: loads files that are new or changed, drops graphs of
    /// bundled files that are gone. Returns `None` when everything was already up to date.
    pub fn sync_bundle(&self) -> Result<Option<LoadReport>> {
        if self.read_only {
            return Ok(None);
        }
        let files = self.bundle.files()?;
        let known = self.bundle_graphs()?;
        let present: BTreeSet<String> = files.iter().map(|f| f.graph.as_str().to_owned()).collect();
        let removed: Vec<NamedNode> = known
            .iter()
            .filter(|g| !present.contains(*g))
            .map(|g| NamedNode::new_unchecked(g.clone()))
            .collect();
        let report = self.load_with(&files, true, &removed, None)?;
        Ok(report.changed().then_some(report))
    }

    /// File graphs recorded in the meta graph, with their checksums.
    fn checksums(&self) -> Result<BTreeMap<String, String>> {
        let meta = NamedNodeRef::new_unchecked(graph::META);
        let mut out = BTreeMap::new();
        for q in
            self.store
                .quads_for_pattern(None, Some(DCTERMS_IDENTIFIER), None, Some(meta.into()))
        {
            let q = q?;
            if let (NamedOrBlankNode::NamedNode(g), Term::Literal(l)) = (q.subject, q.object) {
                out.insert(g.into_string(), l.value().to_owned());
            }
        }
        Ok(out)
    }

    /// Graphs loaded from the bundle.
    fn bundle_graphs(&self) -> Result<BTreeSet<String>> {
        let meta = NamedNodeRef::new_unchecked(graph::META);
        let mut out = BTreeSet::new();
        for q in self.store.quads_for_pattern(
            None,
            Some(DCTERMS_IS_PART_OF),
            Some(BUNDLE.into()),
            Some(meta.into()),
        ) {
            if let NamedOrBlankNode::NamedNode(g) = q?.subject {
                out.insert(g.into_string());
            }
        }
        Ok(out)
    }

    /// Why a graph may not be written except by `load`: the bookkeeping and derived graphs, and
    /// every graph a loaded file (or its TriG/N-Quads content) filled. `None` when it is free.
    pub fn reserved(&self, g: &NamedNode) -> Result<Option<String>> {
        if g.as_str() == graph::META {
            return Ok(Some(
                "the bookkeeping graph is written by `normgraph load` only".into(),
            ));
        }
        if g.as_str() == graph::INFERRED {
            return Ok(Some(
                "the derived graph is written by the rules only".into(),
            ));
        }
        let meta = NamedNodeRef::new_unchecked(graph::META);
        if self
            .store
            .quads_for_pattern(
                Some(g.as_ref().into()),
                Some(DCTERMS_IDENTIFIER),
                None,
                Some(meta.into()),
            )
            .next()
            .is_some()
            || self
                .store
                .quads_for_pattern(
                    None,
                    Some(DCTERMS_HAS_PART),
                    Some(g.as_ref().into()),
                    Some(meta.into()),
                )
                .next()
                .is_some()
        {
            return Ok(Some(format!(
                "{g} holds a loaded file: change the file and run `normgraph load`, or `normgraph load` another file"
            )));
        }
        Ok(None)
    }

    /// Is the store empty of data (no file loaded yet)?
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.checksums()?.keys().all(|g| g == graph::INFERRED))
    }

    /// Triples per named graph and instances per class.
    pub fn stats(&self) -> Result<Stats> {
        let mut stats = Stats::default();
        let run = |q: &str| -> Result<Vec<(String, usize)>> {
            crate::cancel::check_cancelled("stats")?;
            let results = SparqlEvaluator::new()
                .parse_query(q)
                .map_err(|e| Error::QuerySyntax {
                    name: "stats".into(),
                    message: e.to_string(),
                })?
                .on_store(&self.store)
                .execute()
                .map_err(|e| Error::query_failed("stats", e))?;
            let mut rows = Vec::new();
            if let QueryResults::Solutions(solutions) = results {
                for s in solutions {
                    let s = s.map_err(|e| Error::query_failed("stats", e))?;
                    let key = match s.get("k") {
                        Some(Term::NamedNode(n)) => n.as_str().to_owned(),
                        Some(t) => t.to_string(),
                        None => String::new(),
                    };
                    let n = match s.get("n") {
                        Some(Term::Literal(l)) => l.value().parse().unwrap_or(0),
                        _ => 0,
                    };
                    rows.push((key, n));
                }
            }
            Ok(rows)
        };
        stats.graphs =
            run("SELECT ?k (COUNT(*) AS ?n) WHERE { GRAPH ?k { ?s ?p ?o } } GROUP BY ?k")?
                .into_iter()
                .collect();
        let default = self
            .store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
            .count();
        if default > 0 {
            stats.graphs.insert(String::new(), default);
        }
        stats.classes =
            run("SELECT ?k (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?k } } GROUP BY ?k")?
                .into_iter()
                .collect();
        stats.total = self.store.len()?;
        Ok(stats)
    }
}

fn is_lock_error(e: &StorageError) -> bool {
    let text = e.to_string();
    text.contains("LOCK") || text.contains("lock")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_iri_is_relative_and_encoded() {
        let f = SourceFile::relative_to(Path::new("/x/data/a b.ttl"), Path::new("/x"));
        assert_eq!(
            f.graph.as_str(),
            "https://w3id.org/normgraph/graph/data/a%20b.ttl"
        );
    }

    #[test]
    fn parse_error_has_line_and_column() {
        let g = NamedNode::new_unchecked("http://g");
        let err =
            parse_file(Path::new("bad.ttl"), b"<a> <b> <c> .\n<a> <b> \"x .\n", &g).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("bad.ttl:2:"), "{msg}");
    }
}
