//! The bundle (the ontology, data, queries and rules a store is built from) and the files to
//! load: their graph IRIs from their paths, and the RDF files under a folder.

use super::*;

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
pub(super) fn collect_rdf_files(
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

pub(super) fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

pub(super) fn list_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        out.push(entry.map_err(|e| Error::io(dir, e))?.path());
    }
    out.sort();
    Ok(out)
}

/// The `file:` IRI of a path, percent-encoded (a folder name with a space or `#` is a valid path
/// but not a valid IRI as it is).
pub(super) fn file_iri(path: &Path) -> String {
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

pub(super) fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

pub(super) fn encode_segment(s: &str) -> String {
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
