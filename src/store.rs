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

/// The bundled ontology, data, rules and queries: a folder holding `ontology/`, `data/`, `queries/`.
#[derive(Debug, Clone)]
pub struct Bundle {
    root: PathBuf,
}

impl Bundle {
    /// The bundle in `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The bundle to use: `NORMGRAPH_HOME` when set (a curator's working copy); else the source
    /// folder this binary was built from, while it still holds the bundle; else the copy embedded
    /// in the binary, written once to a cache folder (see [`crate::embedded`]).
    pub fn default_location() -> Self {
        match std::env::var_os("NORMGRAPH_HOME") {
            Some(home) if !home.is_empty() => Self::new(home),
            _ => {
                let source = Path::new(env!("CARGO_MANIFEST_DIR"));
                // NORMGRAPH_IGNORE_SOURCE=1 behaves as if the source folder were gone (tests).
                if std::env::var_os("NORMGRAPH_IGNORE_SOURCE").is_none()
                    && source.join("ontology").join("normgraph.ttl").is_file()
                {
                    return Self::new(source);
                }
                match crate::embedded::extracted() {
                    Ok(dir) => Self::new(dir),
                    // Unwritable cache: name the source folder; reading it will say what is missing.
                    Err(_) => Self::new(source),
                }
            }
        }
    }

    /// The bundle's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder of named queries.
    pub fn queries_dir(&self) -> PathBuf {
        self.root.join("queries")
    }

    /// The SHACL shapes file.
    pub fn shapes_file(&self) -> PathBuf {
        self.root.join("ontology").join("shapes.ttl")
    }

    /// The published JSON-LD context (`ontology/context.jsonld`): a context, not data.
    pub fn context_file(&self) -> PathBuf {
        self.root.join("ontology").join("context.jsonld")
    }

    /// The RDF files of the bundle's `ontology/` folder only (vocabulary, schemes, shapes), sorted:
    /// what validating or testing a few files on their own needs beside them.
    pub fn ontology_files(&self) -> Result<Vec<SourceFile>> {
        let ontology = self.root.join("ontology");
        Ok(self
            .files()?
            .into_iter()
            .filter(|f| f.path.starts_with(&ontology))
            .collect())
    }

    /// Every RDF file of the bundle (`ontology/` and `data/`, recursively, but not the JSON-LD
    /// context), sorted.
    pub fn files(&self) -> Result<Vec<SourceFile>> {
        let mut files = Vec::new();
        let context = self.context_file();
        for dir in ["ontology", "data"] {
            let dir = self.root.join(dir);
            if dir.is_dir() {
                for path in rdf_files_in(&dir)? {
                    if path == context {
                        continue;
                    }
                    files.push(SourceFile::relative_to(&path, &self.root));
                }
            }
        }
        Ok(files)
    }

    /// The SPARQL UPDATE rules (`ontology/rules/*.ru`), sorted by file name, as (name, text).
    pub fn rules(&self) -> Result<Vec<(String, String)>> {
        let dir = self.root.join("ontology").join("rules");
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        let mut rules = Vec::new();
        let mut paths = list_dir(&dir)?;
        paths.retain(|p| p.extension().is_some_and(|e| e == "ru"));
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            rules.push((path.display().to_string(), text));
        }
        Ok(rules)
    }
}

/// One RDF file to load, and the named graph it goes into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Where the file is (for a document fetched over HTTP: its URL).
    pub path: PathBuf,
    /// The graph's IRI: `https://w3id.org/normgraph/graph/{path relative to the base}`, or the
    /// document's URL.
    pub graph: NamedNode,
    /// The fetched content, for a document retrieved over HTTP (see [`crate::remote`]).
    pub remote: Option<Remote>,
}

/// A document retrieved over HTTP, ready to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    /// The URL asked for.
    pub url: String,
    /// When it was retrieved (`xsd:dateTime`, UTC).
    pub retrieved: String,
    /// The format, from the response's Content-Type (or the URL's extension).
    pub format: RdfFormat,
    /// The body.
    pub bytes: Vec<u8>,
}

impl SourceFile {
    /// A file whose graph IRI is derived from its path relative to `base` (or absolute, outside it).
    pub fn relative_to(path: &Path, base: &Path) -> Self {
        let abs = absolute(path);
        let rel = abs
            .strip_prefix(absolute(base))
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| abs.clone());
        let key: Vec<String> = rel
            .components()
            .filter_map(|c| match c {
                std::path::Component::Normal(s) => Some(encode_segment(&s.to_string_lossy())),
                _ => None,
            })
            .collect();
        let graph = NamedNode::new_unchecked(format!("{}{}", graph::NS, key.join("/")));
        Self {
            path: path.to_path_buf(),
            graph,
            remote: None,
        }
    }
}

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
            return Err(Error::StoreOpen {
                path: path.to_path_buf(),
                message: "it is a file, not a store folder (give --store a folder, new or made by normgraph)".into(),
            });
        }
        std::fs::create_dir_all(path).map_err(|e| Error::StoreOpen {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let store = Store::open(path).map_err(|e| {
            if is_lock_error(&e) {
                Error::StoreInUse {
                    path: path.to_path_buf(),
                }
            } else {
                Error::StoreOpen {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                }
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
        let store = Store::open_read_only(path).map_err(|e| Error::StoreOpen {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
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

    /// Loads the given files (each into its own named graph), replacing those whose content changed.
    ///
    /// All-or-nothing: every file is parsed before anything is written; a parse error leaves the
    /// store exactly as it was.
    pub fn load(&self, files: &[SourceFile]) -> Result<LoadReport> {
        self.load_with(files, false, &[], None)
    }

    /// Loads the given files like [`KnowledgeGraph::load`], through the bulk loader when
    /// `options` ask for it or the files are large (see [`LoadOptions::bulk`] for what differs).
    pub fn load_with_options(
        &self,
        files: &[SourceFile],
        options: &LoadOptions,
    ) -> Result<LoadReport> {
        // Documents fetched over HTTP are already in memory: they take the transactional path.
        if files.iter().any(|f| f.remote.is_some()) {
            return self.load_with(files, false, &[], options.check.as_ref());
        }
        let bulk = match options.bulk {
            Some(b) => b,
            None => {
                let mut total = 0u64;
                for f in files {
                    total += std::fs::metadata(&f.path)
                        .map_err(|e| Error::io(&f.path, e))?
                        .len();
                }
                total >= BULK_THRESHOLD_BYTES
            }
        };
        if bulk {
            match self.load_bulk(files, options) {
                // Chosen by size only: a file with a huge term goes the transactional way (the
                // bulk path fails in its parse-only pass, before anything is written).
                Err(Error::Invalid(m)) if options.bulk.is_none() && m.contains(TERM_TOO_LONG) => {
                    self.load_with(files, false, &[], options.check.as_ref())
                }
                other => other,
            }
        } else {
            self.load_with(files, false, &[], options.check.as_ref())
        }
    }

    fn load_bulk(&self, files: &[SourceFile], options: &LoadOptions) -> Result<LoadReport> {
        let start = Instant::now();
        let checksums = self.checksums()?;
        let mut report = LoadReport {
            bulk: true,
            ..LoadReport::default()
        };
        // Files loaded before: skip them when unchanged; otherwise check their syntax before
        // their old graph is dropped, so that a parse error leaves the store as it was.
        let mut todo = Vec::new();
        for file in files {
            if let Some(old) = checksums.get(file.graph.as_str()) {
                let sum = sha256_file(&file.path)?;
                if &sum == old {
                    report.unchanged += 1;
                    continue;
                }
                todo.push((file, true));
            } else {
                todo.push((file, false));
            }
        }
        // Every file is parsed once before anything is dropped or written: a malformed file,
        // new or changed, leaves the store exactly as it was.
        for (file, _) in &todo {
            if format_for_path(&file.path) == Some(RdfFormat::RdfXml) {
                let bytes = std::fs::read(&file.path).map_err(|e| Error::io(&file.path, e))?;
                check_xml_entities(&file.path, &bytes)?;
            }
            for q in stream_file(&file.path, &file.graph)? {
                q?;
            }
            if format_for_path(&file.path) == Some(RdfFormat::RdfXml) {
                check_xml_file_closed(&file.path)?;
            }
        }
        let rules = self.bundle.rules()?;
        let rules_sum = rules_checksum(&rules);
        if todo.is_empty() && checksums.get(graph::INFERRED) == Some(&rules_sum) {
            report.elapsed = start.elapsed();
            return Ok(report);
        }
        // The bulk loader commits on its own, so the load is recorded as progress: one commit drops
        // the graphs (and bookkeeping) of every file about to be written, leftovers of a crashed
        // load included, and marks the derived graph stale. A crash from here on leaves those files
        // recorded as not loaded (the next `load` writes them again, a reading command reloads
        // bundled ones) and the rules to be rerun; no file is ever recorded as loaded while its
        // graph is partial, since its record is written only after the bulk commit.
        {
            let mut tx = self.store.start_transaction()?;
            for (f, _) in &todo {
                drop_file_graph(&mut tx, f.graph.as_ref())?;
            }
            mark_rules_stale(&mut tx)?;
            tx.commit()?;
        }
        let memory = if options.max_memory_mb == 0 {
            512
        } else {
            options.max_memory_mb
        };
        let mut loader = self
            .store
            .bulk_loader()
            .with_max_memory_size_in_megabytes(memory);
        if let Some(progress) = &options.progress {
            let progress = std::sync::Arc::clone(progress);
            loader = loader.on_progress(move |n| progress(n));
        }
        let mut records = Vec::new();
        for (file, _) in &todo {
            let hasher = std::rc::Rc::new(std::cell::RefCell::new(Sha256::new()));
            let counted = std::rc::Rc::new(std::cell::Cell::new(0usize));
            let extra = std::rc::Rc::new(std::cell::RefCell::new(BTreeSet::new()));
            let reader = HashingReader {
                inner: std::fs::File::open(&file.path).map_err(|e| Error::io(&file.path, e))?,
                hasher: std::rc::Rc::clone(&hasher),
            };
            let quads = stream_reader(&file.path, reader, &file.graph)?;
            let (c, x, g) = (
                std::rc::Rc::clone(&counted),
                std::rc::Rc::clone(&extra),
                file.graph.clone(),
            );
            loader.load_ok_quads::<Error, Error>(quads.inspect(move |q| {
                if let Ok(q) = q {
                    c.set(c.get() + 1);
                    if let GraphName::NamedNode(n) = &q.graph_name {
                        if n != &g {
                            x.borrow_mut().insert(n.clone());
                        }
                    }
                }
            }))?;
            let sum = format!("sha256:{:x}", hasher.replace(Sha256::new()).finalize());
            records.push((*file, sum, extra.take(), counted.get()));
        }
        loader.commit()?;
        let mut tx = self.store.start_transaction()?;
        for (file, sum, extra, n) in records {
            write_file_record(&mut tx, file, &sum, false, &extra);
            report
                .loaded
                .push((file.path.clone(), file.graph.clone(), n));
        }
        tx.commit()?;
        report.load_time = start.elapsed();
        self.run_rules(&rules, &rules_sum, &mut report)?;
        if self.location.is_some() {
            // The bulk loader and the rules leave many unsorted files at RocksDB's top level: each
            // lookup then probes them all (who-backs-norm at 1M: 53 ms before, 20 ms after; the
            // compaction takes ~2 s there).
            let compacting = Instant::now();
            self.store.optimize()?;
            report.compaction_time = compacting.elapsed();
        }
        report.elapsed = start.elapsed();
        Ok(report)
    }

    /// Recomputes the inferred graph: the rules run on an in-memory copy of the data, and the
    /// inferred graph is replaced, with the rules' checksum, in one commit (readers see the old
    /// or the new derived graph, never none).
    fn run_rules(
        &self,
        rules: &[(String, String)],
        rules_sum: &str,
        report: &mut LoadReport,
    ) -> Result<()> {
        let (_, inferred, times) = self.infer(rules, &BTreeSet::new(), &[])?;
        let mut tx = self.store.start_transaction()?;
        mark_rules_stale(&mut tx)?;
        tx.commit()?;
        self.write_inferred(&inferred, rules_sum)?;
        report.inferred = inferred.len();
        report.rule_times = times;
        report.reasoned = true;
        if self.location.is_some() {
            self.store.flush()?;
        }
        Ok(())
    }

    /// Runs the rules over a copy of the store's data in memory: every graph but the inferred and
    /// bookkeeping graphs and those in `skip`, plus the quads of `add` (files about to be written).
    /// Returns the memory copy (data and inferred graph), the inferred quads and the time of each
    /// rule file. Reading back what a rule wrote
    /// through an uncommitted RocksDB transaction is ~20x slower than through a memory store.
    fn infer(
        &self,
        rules: &[(String, String)],
        skip: &BTreeSet<NamedNode>,
        add: &[&[Quad]],
    ) -> Result<(Store, Vec<Quad>, RuleTimes)> {
        let trace = std::env::var_os("NORMGRAPH_RULE_TIMES").is_some();
        let started = Instant::now();
        let inferred = NamedNodeRef::new_unchecked(graph::INFERRED);
        let meta = NamedNodeRef::new_unchecked(graph::META);
        let memory = Store::new()?;
        let mut copy = memory.bulk_loader();
        let kept = self.store.iter().filter(|q| match q {
            Ok(q) => match &q.graph_name {
                GraphName::NamedNode(g) => {
                    g.as_ref() != inferred && g.as_ref() != meta && !skip.contains(g)
                }
                _ => true,
            },
            Err(_) => true,
        });
        copy.load_ok_quads::<StorageError, StorageError>(kept)?;
        for quads in add {
            copy.load_quads(quads.iter().cloned())?;
        }
        copy.commit()?;
        if trace {
            eprintln!("rules: data copied to memory in {:.2?}", started.elapsed());
        }
        let mut times = Vec::new();
        for (name, text) in rules {
            let started = Instant::now();
            SparqlEvaluator::new()
                .parse_update(text)
                .map_err(|e| Error::QuerySyntax {
                    name: name.clone(),
                    message: e.to_string(),
                })?
                .on_store(&memory)
                .execute()
                .map_err(|e| Error::QueryEvaluation {
                    name: name.clone(),
                    message: e.to_string(),
                })?;
            let file = Path::new(name)
                .file_name()
                .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
            times.push((file, started.elapsed()));
        }
        let read = Instant::now();
        let out = memory
            .quads_for_pattern(None, None, None, Some(inferred.into()))
            .collect::<Result<Vec<_>, _>>()?;
        if trace {
            eprintln!(
                "rules: {} inferred quads read back in {:.2?}",
                out.len(),
                read.elapsed()
            );
        }
        Ok((memory, out, times))
    }

    /// Writes a newly computed inferred graph. The bulk loader adds the new quads to the old graph
    /// (so readers see old and new together for a moment, never neither), then one commit removes
    /// the old quads the new graph no longer has and records the rules' checksum. The caller has
    /// marked the derived graph stale in an earlier commit: a crash in between leaves it to be
    /// recomputed by the next load or reading command. Inserting through a RocksDB transaction
    /// costs ~40 us a quad; most of a recomputed graph is unchanged, so the commit stays small.
    fn write_inferred(&self, quads: &[Quad], rules_sum: &str) -> Result<()> {
        let trace = std::env::var_os("NORMGRAPH_RULE_TIMES").is_some();
        let started = Instant::now();
        let inferred = NamedNodeRef::new_unchecked(graph::INFERRED);
        let mut loader = self.store.bulk_loader();
        loader.load_quads(quads.iter().cloned())?;
        loader.commit()?;
        if trace {
            eprintln!(
                "rules: inferred graph bulk-written in {:.2?}",
                started.elapsed()
            );
        }
        let mut stale = Vec::new();
        if self
            .store
            .quads_for_pattern(None, None, None, Some(inferred.into()))
            .nth(quads.len())
            .is_some()
        {
            let new: std::collections::HashSet<&Quad> = quads.iter().collect();
            for q in self
                .store
                .quads_for_pattern(None, None, None, Some(inferred.into()))
            {
                let q = q?;
                if !new.contains(&q) {
                    stale.push(q);
                }
            }
        }
        let mut tx = self.store.start_transaction()?;
        for q in &stale {
            tx.remove(q);
        }
        record_rules(&mut tx, rules_sum)?;
        tx.commit()?;
        Ok(())
    }

    /// A file's quads may fill its own graph and graphs of its own, never the bookkeeping or
    /// derived graphs or another loaded file's graph.
    fn check_graphs_of(&self, path: &Path, own: &NamedNode, quads: &[Quad]) -> Result<()> {
        let mut seen = BTreeSet::new();
        let mut mine: Option<BTreeSet<NamedNode>> = None;
        for q in quads {
            if let GraphName::NamedNode(g) = &q.graph_name {
                if g == own || !seen.insert(g.clone()) {
                    continue;
                }
                if mine.is_none() {
                    mine = Some(self.file_graphs(own)?);
                }
                if mine.as_ref().is_some_and(|m| m.contains(g)) {
                    continue;
                }
                if let Some(why) = self.reserved(g)? {
                    return Err(Error::Invalid(format!(
                        "{}: writes into graph {g}, which it may not: {why}",
                        path.display()
                    )));
                }
            }
        }
        Ok(())
    }

    /// The graph of a loaded file and the extra graphs its TriG/N-Quads content wrote.
    fn file_graphs(&self, g: &NamedNode) -> Result<BTreeSet<NamedNode>> {
        let meta = NamedNodeRef::new_unchecked(graph::META);
        let mut out = BTreeSet::from([g.clone()]);
        for q in self.store.quads_for_pattern(
            Some(g.as_ref().into()),
            Some(DCTERMS_HAS_PART),
            None,
            Some(meta.into()),
        ) {
            if let Term::NamedNode(n) = q?.object {
                out.insert(n);
            }
        }
        Ok(out)
    }

    /// Reads and parses `files` (all of them, or only those whose content differs from what is
    /// loaded), checking each may write the graphs it names. Nothing is written.
    fn parse_files<'f>(
        &self,
        files: &'f [SourceFile],
        checksums: Option<&BTreeMap<String, String>>,
        report: &mut LoadReport,
    ) -> Result<Vec<(&'f SourceFile, String, Vec<Quad>)>> {
        let mut parsed = Vec::new();
        for file in files {
            let owned;
            let bytes: &[u8] = match &file.remote {
                Some(r) => &r.bytes,
                None => {
                    owned = std::fs::read(&file.path).map_err(|e| Error::io(&file.path, e))?;
                    &owned
                }
            };
            let sum = format!("sha256:{:x}", Sha256::digest(bytes));
            if checksums.is_some_and(|c| c.get(file.graph.as_str()) == Some(&sum)) {
                report.unchanged += 1;
                continue;
            }
            let quads = match &file.remote {
                Some(r) => parse_bytes(&file.path, r.format, &r.url, bytes, &file.graph)?,
                None => parse_file(&file.path, bytes, &file.graph)?,
            };
            self.check_graphs_of(&file.path, &file.graph, &quads)?;
            parsed.push((file, sum, quads));
        }
        Ok(parsed)
    }

    /// The graphs a load of `parsed` replaces and `removed` drops (with the graphs their
    /// TriG/N-Quads content wrote).
    fn replaced_graphs(
        &self,
        parsed: &[(&SourceFile, String, Vec<Quad>)],
        removed: &[NamedNode],
    ) -> Result<BTreeSet<NamedNode>> {
        let mut skip = BTreeSet::new();
        for g in removed {
            skip.extend(self.file_graphs(g)?);
        }
        for (file, _, _) in parsed {
            skip.extend(self.file_graphs(&file.graph)?);
        }
        Ok(skip)
    }

    /// The knowledge graph as it would be after loading `files` (each replacing the graph of the
    /// same name), in memory, rules applied; the store itself is not touched. `validate FILE`
    /// checks files in the context of the store through this.
    pub fn with_files(&self, files: &[SourceFile]) -> Result<KnowledgeGraph> {
        let mut report = LoadReport::default();
        let parsed = self.parse_files(files, None, &mut report)?;
        let skip = self.replaced_graphs(&parsed, &[])?;
        let add: Vec<&[Quad]> = parsed.iter().map(|(_, _, q)| q.as_slice()).collect();
        let (memory, _, _) = self.infer(&self.bundle.rules()?, &skip, &add)?;
        Ok(self.beside(memory))
    }

    /// Removes loaded files (by their graph) from the store and recomputes the derived graph, in
    /// one commit as a load does. Graphs of the bundled data cannot be unloaded (the next reading
    /// command would load them again): remove the file from the bundle instead.
    pub fn unload(&self, graphs: &[NamedNode], check: Option<&Check>) -> Result<LoadReport> {
        let checksums = self.checksums()?;
        let bundled = self.bundle_graphs()?;
        for g in graphs {
            if bundled.contains(g.as_str()) {
                return Err(Error::Invalid(format!(
                    "{g} holds a file of the bundled data; it is loaded again by every reading command: remove the file from the bundle (or use --home) instead"
                )));
            }
            if g.as_str() == graph::META
                || g.as_str() == graph::INFERRED
                || !checksums.contains_key(g.as_str())
            {
                return Err(Error::Invalid(format!(
                    "{g} is not the graph of a loaded file (see `normgraph stats` for the loaded files)"
                )));
            }
        }
        self.load_with(&[], false, graphs, check)
    }

    fn load_with(
        &self,
        files: &[SourceFile],
        bundle: bool,
        removed: &[NamedNode],
        check: Option<&Check>,
    ) -> Result<LoadReport> {
        let start = Instant::now();
        let checksums = self.checksums()?;
        let mut report = LoadReport::default();
        // Parse everything first: nothing is written unless every file is good.
        let parsed = self.parse_files(files, Some(&checksums), &mut report)?;
        let rules = self.bundle.rules()?;
        let rules_sum = rules_checksum(&rules);
        let rules_changed = checksums.get(graph::INFERRED) != Some(&rules_sum);
        if parsed.is_empty() && removed.is_empty() && !rules_changed {
            report.elapsed = start.elapsed();
            return Ok(report);
        }
        // The rules run first, on a memory copy of the data as it will be, so that a failing rule
        // (or a failing check of the result) writes nothing; then one commit writes the files and
        // their bookkeeping and marks the derived graph stale, and `write_inferred` replaces it
        // (readers never see it missing; a crash in between leaves it to be recomputed).
        let skip = self.replaced_graphs(&parsed, removed)?;
        let add: Vec<&[Quad]> = parsed.iter().map(|(_, _, q)| q.as_slice()).collect();
        let (memory, inferred, times) = self.infer(&rules, &skip, &add)?;
        if let Some(check) = check {
            check(self, &self.beside(memory))?;
        } else {
            drop(memory);
        }
        let mut tx = self.store.start_transaction()?;
        for g in removed {
            drop_file_graph(&mut tx, g.as_ref())?;
        }
        for (file, sum, quads) in &parsed {
            drop_file_graph(&mut tx, file.graph.as_ref())?;
            let mut extra_graphs = BTreeSet::new();
            for q in quads {
                if let GraphName::NamedNode(n) = &q.graph_name {
                    if n != &file.graph {
                        extra_graphs.insert(n.clone());
                    }
                }
                tx.insert(q);
            }
            write_file_record(&mut tx, file, sum, bundle, &extra_graphs);
            report
                .loaded
                .push((file.path.clone(), file.graph.clone(), quads.len()));
        }
        report.removed = removed.to_vec();
        mark_rules_stale(&mut tx)?;
        tx.commit()?;
        report.load_time = start.elapsed();
        self.write_inferred(&inferred, &rules_sum)?;
        report.inferred = inferred.len();
        report.rule_times = times;
        report.reasoned = true;
        if self.location.is_some() {
            self.store.flush()?;
        }
        report.elapsed = start.elapsed();
        Ok(report)
    }

    /// Marks the derived graph stale in a commit of its own. A write the rules cannot follow in
    /// the same commit (a SPARQL Update) calls this first: a crash after its data commit then
    /// leaves a store whose next opening recomputes the rules, never derived facts taken for
    /// current that the new data contradicts.
    pub fn mark_derived_stale(&self) -> Result<()> {
        let mut tx = self.store.start_transaction()?;
        mark_rules_stale(&mut tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Computes the derived graph from a snapshot of the data, without writing it (the slow part
    /// of [`KnowledgeGraph::reason`]: the data copied to memory and the rules run there).
    pub fn derive(&self) -> Result<Derived> {
        let rules = self.bundle.rules()?;
        let (_, quads, _) = self.infer(&rules, &BTreeSet::new(), &[])?;
        Ok(Derived {
            quads,
            rules_sum: rules_checksum(&rules),
        })
    }

    /// Writes a derived graph computed by [`KnowledgeGraph::derive`] and records it as current.
    /// Readers see the old derived facts until the new ones are in, never neither. The caller
    /// makes sure no data was written since the snapshot it was computed from.
    pub fn write_derived(&self, derived: &Derived) -> Result<()> {
        self.write_inferred(&derived.quads, &derived.rules_sum)?;
        if self.location.is_some() {
            self.store.flush()?;
        }
        Ok(())
    }

    /// Recomputes the inferred graph from scratch (the rules of `ontology/rules/`).
    pub fn reason(&self) -> Result<usize> {
        let rules = self.bundle.rules()?;
        let mut report = LoadReport::default();
        self.run_rules(&rules, &rules_checksum(&rules), &mut report)?;
        Ok(report.inferred)
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
            crate::query::check_cancelled("stats")?;
            let results = SparqlEvaluator::new()
                .parse_query(q)
                .map_err(|e| Error::QuerySyntax {
                    name: "stats".into(),
                    message: e.to_string(),
                })?
                .on_store(&self.store)
                .execute()
                .map_err(|e| Error::QueryEvaluation {
                    name: "stats".into(),
                    message: e.to_string(),
                })?;
            let mut rows = Vec::new();
            if let QueryResults::Solutions(solutions) = results {
                for s in solutions {
                    let s = s.map_err(|e| Error::QueryEvaluation {
                        name: "stats".into(),
                        message: e.to_string(),
                    })?;
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

/// Removes a file's graph and the graphs it declared inside it (TriG, N-Quads), and its meta record.
fn drop_file_graph(tx: &mut Transaction<'_>, g: NamedNodeRef<'_>) -> Result<(), StorageError> {
    let meta = NamedNodeRef::new_unchecked(graph::META);
    let parts: Vec<NamedNode> = tx
        .quads_for_pattern(
            Some(g.into()),
            Some(DCTERMS_HAS_PART),
            None,
            Some(meta.into()),
        )
        .filter_map(|q| match q {
            Ok(Quad {
                object: Term::NamedNode(n),
                ..
            }) => Some(Ok(n)),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<_, _>>()?;
    for part in parts {
        tx.remove_named_graph(part.as_ref())?;
    }
    tx.remove_named_graph(g)?;
    let records: Vec<Quad> = tx
        .quads_for_pattern(Some(g.into()), None, None, Some(meta.into()))
        .collect::<Result<_, _>>()?;
    for q in &records {
        tx.remove(q);
    }
    Ok(())
}

/// A checksum of the rules (names and texts), recorded so that changed rules trigger a recompute.
fn rules_checksum(rules: &[(String, String)]) -> String {
    let mut h = Sha256::new();
    for (name, text) in rules {
        let file = Path::new(name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        h.update(file.as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        h.update([0]);
    }
    format!("sha256:{:x}", h.finalize())
}

fn record_rules(tx: &mut Transaction<'_>, sum: &str) -> Result<(), StorageError> {
    mark_rules_stale(tx)?;
    tx.insert(QuadRef::new(
        NamedNodeRef::new_unchecked(graph::INFERRED),
        DCTERMS_IDENTIFIER,
        &Literal::new_simple_literal(sum),
        NamedNodeRef::new_unchecked(graph::META),
    ));
    Ok(())
}

/// Marks the derived graph stale: its rules checksum goes, in the same commit as a data change, so
/// that a crash before the rules' own commit leaves a store whose next load (or reading command)
/// recomputes them.
pub(crate) fn mark_rules_stale(tx: &mut Transaction<'_>) -> Result<(), StorageError> {
    let meta = NamedNodeRef::new_unchecked(graph::META);
    let inferred = NamedNodeRef::new_unchecked(graph::INFERRED);
    let old: Vec<Quad> = tx
        .quads_for_pattern(
            Some(inferred.into()),
            Some(DCTERMS_IDENTIFIER),
            None,
            Some(meta.into()),
        )
        .collect::<Result<_, _>>()?;
    for q in &old {
        tx.remove(q);
    }
    Ok(())
}

/// Records in the meta graph where a file's graph came from, its checksum and its sub-graphs.
fn write_file_record(
    tx: &mut Transaction<'_>,
    file: &SourceFile,
    sum: &str,
    bundle: bool,
    extra_graphs: &BTreeSet<NamedNode>,
) {
    let meta = NamedNodeRef::new_unchecked(graph::META);
    let g = file.graph.as_ref();
    let path_lit = Literal::new_simple_literal(file.path.display().to_string());
    tx.insert(QuadRef::new(g, DCTERMS_SOURCE, &path_lit, meta));
    tx.insert(QuadRef::new(
        g,
        DCTERMS_IDENTIFIER,
        &Literal::new_simple_literal(sum),
        meta,
    ));
    if bundle {
        tx.insert(QuadRef::new(g, DCTERMS_IS_PART_OF, BUNDLE, meta));
    }
    for n in extra_graphs {
        tx.insert(QuadRef::new(g, DCTERMS_HAS_PART, n, meta));
    }
    if let Some(r) = &file.remote {
        // PROV: where and when the graph was retrieved (the URL was parsed by the HTTP client).
        let url = NamedNode::new_unchecked(r.url.as_str());
        let at = Literal::new_typed_literal(r.retrieved.as_str(), xsd::DATE_TIME);
        tx.insert(QuadRef::new(g, PROV_WAS_DERIVED_FROM, &url, meta));
        tx.insert(QuadRef::new(g, PROV_GENERATED_AT_TIME, &at, meta));
    }
}

/// `sha256:{hex}` of a file's bytes, read in chunks.
fn sha256_file(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut h = Sha256::new();
    std::io::copy(&mut file, &mut h).map_err(|e| Error::io(path, e))?;
    Ok(format!("sha256:{:x}", h.finalize()))
}

/// A reader that hashes what passes through it.
struct HashingReader<R> {
    inner: R,
    hasher: std::rc::Rc<std::cell::RefCell<Sha256>>,
}

impl<R: std::io::Read> std::io::Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.borrow_mut().update(&buf[..n]);
        Ok(n)
    }
}

fn stream_file(path: &Path, graph: &NamedNode) -> Result<impl Iterator<Item = Result<Quad>>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    stream_reader(path, file, graph)
}

/// Parses a file as a stream of quads, blank nodes renamed as [`parse_file`] does.
fn stream_reader<R: std::io::Read>(
    path: &Path,
    reader: R,
    graph: &NamedNode,
) -> Result<impl Iterator<Item = Result<Quad>>> {
    let format = format_for_path(path).ok_or_else(|| Error::UnknownFormat {
        path: path.to_path_buf(),
    })?;
    let base = file_iri(path);
    let parser = RdfParser::from_format(format)
        .with_base_iri(base)
        .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?
        .with_default_graph(graph.clone());
    let mut renamer = BlankRenamer::new(graph);
    let path = path.to_path_buf();
    Ok(parser
        .for_reader(std::io::BufReader::with_capacity(1 << 20, reader))
        .map(move |q| match q {
            Ok(q) => check_iris(&path, &q).map(|()| renamer.rename(q)),
            Err(e) => Err(match e {
                oxigraph::io::RdfParseError::Syntax(e) => parse_error(&path, e),
                // The streaming parsers hold at most 16 MiB of one token (a huge literal).
                oxigraph::io::RdfParseError::Io(e) if e.to_string().contains("buffer maximal size") => {
                    Error::Invalid(format!(
                        "{}: {TERM_TOO_LONG}; load it without --bulk (it is then read whole into memory)",
                        path.display()
                    ))
                }
                oxigraph::io::RdfParseError::Io(e) => Error::io(&path, e),
            }),
        }))
}

/// Part of the error for a term the streaming (bulk) parser cannot hold.
const TERM_TOO_LONG: &str =
    "a single RDF term is longer than the 16 MiB the streaming (bulk) parser holds";

/// Refuses an IRI holding a control character or a space (not allowed in IRIs, RFC 3987; some
/// parsers let a NUL byte through in Turtle and TriG).
fn check_iris(path: &Path, q: &Quad) -> Result<()> {
    let mut iris = vec![q.predicate.as_str()];
    if let NamedOrBlankNode::NamedNode(n) = &q.subject {
        iris.push(n.as_str());
    }
    if let Term::NamedNode(n) = &q.object {
        iris.push(n.as_str());
    }
    if let GraphName::NamedNode(n) = &q.graph_name {
        iris.push(n.as_str());
    }
    for iri in iris {
        if let Some(c) = iri.chars().find(|c| c.is_control() || *c == ' ') {
            return Err(Error::Parse {
                path: path.to_path_buf(),
                line: 0,
                column: 0,
                message: format!(
                    "IRI {iri:?} holds the character U+{:04X}, which IRIs may not contain",
                    u32::from(c)
                ),
            });
        }
    }
    Ok(())
}

/// Renames blank nodes `b{graph hash}x{n}` in order of first appearance (see [`parse_file`]).
struct BlankRenamer {
    prefix: String,
    names: std::collections::HashMap<oxigraph::model::BlankNode, oxigraph::model::BlankNode>,
}

impl BlankRenamer {
    fn new(graph: &NamedNode) -> Self {
        Self {
            prefix: format!("{:x}", Sha256::digest(graph.as_str().as_bytes()))
                .chars()
                .take(12)
                .collect(),
            names: std::collections::HashMap::new(),
        }
    }

    fn node(&mut self, b: oxigraph::model::BlankNode) -> oxigraph::model::BlankNode {
        let next = self.names.len();
        let prefix = &self.prefix;
        self.names
            .entry(b)
            .or_insert_with(|| {
                oxigraph::model::BlankNode::new_unchecked(format!("b{prefix}x{next}"))
            })
            .clone()
    }

    fn rename(&mut self, mut q: Quad) -> Quad {
        if let NamedOrBlankNode::BlankNode(b) = q.subject {
            q.subject = self.node(b).into();
        }
        if let Term::BlankNode(b) = q.object {
            q.object = self.node(b).into();
        }
        if let GraphName::BlankNode(b) = q.graph_name {
            q.graph_name = self.node(b).into();
        }
        q
    }
}

/// The RDF format named by a file's extension.
pub fn format_for_path(path: &Path) -> Option<RdfFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "ttl" | "turtle" => RdfFormat::Turtle,
        "trig" => RdfFormat::TriG,
        "nt" => RdfFormat::NTriples,
        "nq" => RdfFormat::NQuads,
        "rdf" | "owl" | "xml" => RdfFormat::RdfXml,
        "jsonld" | "json" => RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        },
        _ => return None,
    })
}

/// Parses one file; triples go into `graph`, named graphs of quad formats keep their names.
///
/// Blank nodes are renamed deterministically, `{graph hash}x{n}` in order of first appearance, so
/// that two files never share a blank node and the same file always gives the same labels (dumps
/// are then reproducible byte for byte across loads and machines).
pub fn parse_file(path: &Path, bytes: &[u8], graph: &NamedNode) -> Result<Vec<Quad>> {
    let format = format_for_path(path).ok_or_else(|| Error::UnknownFormat {
        path: path.to_path_buf(),
    })?;
    let base = file_iri(path);
    parse_bytes(path, format, &base, bytes, graph)
}

/// Parses `bytes` in `format` with `base` as base IRI; errors name `name` (a path or URL).
pub fn parse_bytes(
    name: &Path,
    format: RdfFormat,
    base: &str,
    bytes: &[u8],
    graph: &NamedNode,
) -> Result<Vec<Quad>> {
    let path = name;
    if format == RdfFormat::RdfXml {
        check_xml_entities(path, bytes)?;
    }
    let parser = RdfParser::from_format(format)
        .with_base_iri(base)
        .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?
        .with_default_graph(graph.clone());
    let mut renamer = BlankRenamer::new(graph);
    let mut quads = Vec::new();
    for q in parser.for_slice(bytes) {
        let q = q.map_err(|e| parse_error(path, e))?;
        check_iris(path, &q)?;
        quads.push(renamer.rename(q));
    }
    if format == RdfFormat::RdfXml {
        check_xml_closed(path, bytes, bytes)?;
    }
    Ok(quads)
}

/// The RDF/XML parser stops quietly at the end of input, so a file cut after some complete
/// elements would load part of its triples: the document must end by closing its root element.
/// `head` and `tail` are the file's first and last bytes (64 KiB of each suffice).
fn check_xml_closed(path: &Path, head: &[u8], tail: &[u8]) -> Result<()> {
    let text = String::from_utf8_lossy(head);
    let mut rest = text.as_ref();
    let root = loop {
        let Some(i) = rest.find('<') else {
            break None;
        };
        rest = &rest[i + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
        let tag_end = rest.find('>').unwrap_or(rest.len());
        break Some((name, rest[..tag_end].ends_with('/')));
    };
    let Some((name, self_closing)) = root else {
        return Ok(()); // no element at all: the parser has already said what it found
    };
    if self_closing {
        return Ok(());
    }
    let tail_text = String::from_utf8_lossy(tail);
    let mut end = tail_text.trim_end();
    while end.ends_with("-->") {
        match end.rfind("<!--") {
            Some(i) => end = end[..i].trim_end(),
            None => break,
        }
    }
    let closed = end
        .strip_suffix('>')
        .map(str::trim_end)
        .and_then(|e| e.strip_suffix(name.as_str()))
        .is_some_and(|e| e.ends_with("</"));
    if closed {
        return Ok(());
    }
    let line = tail_text.lines().count().max(1) as u64;
    Err(Error::Parse {
        path: path.to_path_buf(),
        line: if std::ptr::eq(head, tail) { line } else { 0 },
        column: 0,
        message: format!(
            "unexpected end of file: the root element <{name}> is never closed (a truncated RDF/XML file?)"
        ),
    })
}

/// Largest total text that entity references of an RDF/XML document may expand to.
const MAX_ENTITY_EXPANSION: u64 = 16 << 20;

/// Refuses RDF/XML whose DTD entities would expand beyond [`MAX_ENTITY_EXPANSION`] (a "billion
/// laughs" file nests entities; a quadratic blow-up repeats a large one): the parser expands
/// them in memory. Each entity's expanded size is computed through its references (a cycle or
/// more than 16 levels is refused), then multiplied by the references in the document.
pub(crate) fn check_xml_entities(path: &Path, bytes: &[u8]) -> Result<()> {
    check_xml_depth(path, bytes)?;
    let text = String::from_utf8_lossy(bytes);
    let Some(start) = text.find("<!ENTITY") else {
        return Ok(());
    };
    let refuse = |message: String| Error::Parse {
        path: path.to_path_buf(),
        line: 0,
        column: 0,
        message,
    };
    // <!ENTITY name "value"> or 'value'; parameter entities (%) and external ones (SYSTEM/PUBLIC)
    // are refused outright.
    let mut entities: BTreeMap<String, String> = BTreeMap::new();
    let mut rest = &text[start..];
    while let Some(i) = rest.find("<!ENTITY") {
        rest = rest[i + 8..].trim_start();
        if rest.starts_with('%') {
            return Err(refuse(
                "parameter entities are not accepted in RDF/XML".into(),
            ));
        }
        let name: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
        rest = rest[name.len()..].trim_start();
        let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            return Err(refuse(format!(
                "entity {name}: external entities (SYSTEM/PUBLIC) are not accepted"
            )));
        };
        let Some(end) = rest[1..].find(q) else {
            break;
        };
        entities.insert(name, rest[1..1 + end].to_owned());
        rest = &rest[1 + end..];
    }
    fn size(
        name: &str,
        entities: &BTreeMap<String, String>,
        depth: usize,
        memo: &mut BTreeMap<String, u64>,
    ) -> std::result::Result<u64, String> {
        if let Some(n) = memo.get(name) {
            return Ok(*n);
        }
        if depth > 16 {
            return Err(format!(
                "entity {name} nests more than 16 levels (or refers to itself)"
            ));
        }
        let Some(value) = entities.get(name) else {
            return Ok(name.len() as u64 + 2);
        };
        let mut total = 0u64;
        let mut v = value.as_str();
        while let Some(i) = v.find('&') {
            total += i as u64;
            v = &v[i + 1..];
            match v.find(';') {
                Some(j) => {
                    total = total.saturating_add(size(&v[..j], entities, depth + 1, memo)?);
                    v = &v[j + 1..];
                }
                None => break,
            }
        }
        total += v.len() as u64;
        memo.insert(name.to_owned(), total);
        Ok(total)
    }
    let mut memo = BTreeMap::new();
    let body = text.rfind("]>").map_or(text.as_ref(), |i| &text[i..]);
    let mut expanded = 0u64;
    for name in entities.keys() {
        let refs = body.matches(&format!("&{name};")).count() as u64;
        if refs == 0 {
            continue;
        }
        let each = size(name, &entities, 0, &mut memo).map_err(refuse)?;
        expanded = expanded.saturating_add(refs.saturating_mul(each));
    }
    if expanded > MAX_ENTITY_EXPANSION {
        return Err(refuse(format!(
            "XML entities would expand to {expanded} bytes (limit {MAX_ENTITY_EXPANSION}): refused"
        )));
    }
    Ok(())
}

/// [`check_xml_closed`] on a file: its first and last 64 KiB.
/// Deepest element nesting accepted in RDF/XML. The RDF/XML parser's time grows with the square
/// of the depth (64k levels: 17 s, 200k: over 300 s); real documents stay under a few dozen.
pub const MAX_XML_DEPTH: usize = 4096;

/// Refuses RDF/XML nested deeper than [`MAX_XML_DEPTH`], in one linear pass.
fn check_xml_depth(path: &Path, bytes: &[u8]) -> Result<()> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(_)) => {
                depth += 1;
                if depth > MAX_XML_DEPTH {
                    let offset = reader.buffer_position();
                    let line = bytes[..(offset as usize).min(bytes.len())]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count()
                        + 1;
                    return Err(Error::Parse {
                        path: path.to_path_buf(),
                        line: line as u64,
                        column: 0,
                        message: format!(
                            "elements nested deeper than {MAX_XML_DEPTH} levels (not accepted in RDF/XML)"
                        ),
                    });
                }
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            // Malformed XML is the RDF/XML parser's to report, with its position.
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
        buf.clear();
    }
}

fn check_xml_file_closed(path: &Path) -> Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let len = f.metadata().map_err(|e| Error::io(path, e))?.len();
    let mut head = vec![0; len.min(65_536) as usize];
    f.read_exact(&mut head).map_err(|e| Error::io(path, e))?;
    let mut tail = vec![0; len.min(65_536) as usize];
    f.seek(SeekFrom::Start(len - tail.len() as u64))
        .map_err(|e| Error::io(path, e))?;
    f.read_exact(&mut tail).map_err(|e| Error::io(path, e))?;
    check_xml_closed(path, &head, &tail)
}

fn parse_error(path: &Path, e: RdfSyntaxError) -> Error {
    let (line, column) = match e.location() {
        Some(r) => (r.start.line + 1, r.start.column + 1),
        None => (0, 0),
    };
    let text = e.to_string();
    // Oxigraph's message repeats the position ("Parser error at line 3 column 5: ..."): keep the cause.
    let message = match text.strip_prefix("Parser error at ") {
        Some(rest) => rest
            .split_once(": ")
            .map_or(text.clone(), |(_, m)| m.to_owned()),
        None => text,
    };
    Error::Parse {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// Every RDF file under `path` (a file, or a folder searched recursively), sorted.
pub fn rdf_files_in(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.exists() {
        let cause = if std::fs::symlink_metadata(path).is_ok() {
            "a symbolic link that leads nowhere (or into a loop)"
        } else {
            "no such file or folder"
        };
        return Err(Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, cause),
        ));
    }
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    collect_rdf_files(path, &mut seen, &mut out)?;
    out.sort();
    Ok(out)
}

/// Walks a folder once per real folder (a symbolic link back to a folder being walked is not
/// followed again), keeping each real file once.
fn collect_rdf_files(
    dir: &Path,
    seen: &mut std::collections::HashSet<PathBuf>,
    out: &mut Vec<PathBuf>,
) -> Result<()> {
    let real = std::fs::canonicalize(dir).map_err(|e| Error::io(dir, e))?;
    if !seen.insert(real) {
        return Ok(());
    }
    for entry in list_dir(dir)? {
        if entry.is_dir() {
            collect_rdf_files(&entry, seen, out)?;
        } else if format_for_path(&entry).is_some() && !is_hidden(&entry) {
            let real = std::fs::canonicalize(&entry).map_err(|e| Error::io(&entry, e))?;
            if seen.insert(real) {
                out.push(entry);
            }
        }
    }
    Ok(())
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

fn list_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        out.push(entry.map_err(|e| Error::io(dir, e))?.path());
    }
    out.sort();
    Ok(out)
}

/// The `file:` IRI of a path, percent-encoded (a folder name with a space or `#` is a valid path
/// but not a valid IRI as it is).
fn file_iri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in absolute(path).to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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
