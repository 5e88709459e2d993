//! The library's error type.

use std::path::PathBuf;

/// Errors raised by the normgraph library.
///
/// Violations found by validation are data (a report), not errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A data, ontology or query file could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An RDF file is malformed; `line` and `column` are 1-based when known.
    #[error("{}:{}:{}: {message}", .path.display(), .line, .column)]
    Parse {
        /// The file.
        path: PathBuf,
        /// Line of the error (1-based, 0 when unknown).
        line: u64,
        /// Column of the error (1-based, 0 when unknown).
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// A file's extension names no RDF format normgraph reads.
    #[error("{}: unknown RDF format (use .ttl, .trig, .nt, .nq, .rdf, .owl or .jsonld)", .path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// The on-disk store could not be opened.
    #[error("cannot open the store at {}: {message}", .path.display())]
    StoreOpen {
        /// The store folder.
        path: PathBuf,
        /// Why (locked by another process, not writable...).
        message: String,
    },
    /// Another process holds the on-disk store for writing.
    #[error("cannot open the store at {} for writing: it is in use by another normgraph process (close it, or use --store elsewhere); reading commands open it read-only meanwhile", .path.display())]
    StoreInUse {
        /// The store folder.
        path: PathBuf,
    },
    /// A load was refused because the result breaks the shapes (and `--force` was not given).
    #[error("{0}")]
    Refused(String),
    /// The store failed to read or write.
    #[error("storage error: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    /// A SPARQL query or update text is malformed.
    #[error("{name}: {message}")]
    QuerySyntax {
        /// The query's name or file.
        name: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A SPARQL query failed while running.
    #[error("{name}: query failed: {message}")]
    QueryEvaluation {
        /// The query's name or file.
        name: String,
        /// The evaluator's message.
        message: String,
    },
    /// No query of that name is in the query library.
    #[error("unknown query {name:?} (see `normgraph query --list`)")]
    UnknownQuery {
        /// The name asked for.
        name: String,
    },
    /// A query parameter is not declared by the query, or its value is malformed.
    #[error("parameter {name:?}: {message}")]
    Parameter {
        /// The parameter's name.
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// Results or a graph could not be written out.
    #[error("cannot write output: {0}")]
    Output(String),
    /// A request or argument is invalid.
    #[error("{0}")]
    Invalid(String),
    /// The HTTP server could not start or stopped with an error.
    #[error("server: {message}")]
    Server {
        /// What failed (binding the address, the runtime...).
        message: String,
    },
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Builds a [`Error::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
