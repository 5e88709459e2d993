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
    #[error("cannot open the store at {}: {source}", .path.display())]
    StoreOpen {
        /// The store folder.
        path: PathBuf,
        /// Why (not a folder, not writable, a storage error...).
        #[source]
        source: Cause,
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
    #[error("{name}: query failed: {source}")]
    QueryEvaluation {
        /// The query's name or file.
        name: String,
        /// The evaluator's error (an `oxigraph::sparql::QueryEvaluationError`, whose own source
        /// may be a storage error), or what stopped the query (its time limit).
        #[source]
        source: Cause,
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
    #[error("cannot write output: {source}")]
    Output {
        /// The writer's error: a `std::io::Error` when the output itself failed (a closed pipe,
        /// a full disk), else the serializer's.
        #[source]
        source: Cause,
    },
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

/// What cannot fail (an in-memory sophia dataset's error type) converts to any error.
impl From<std::convert::Infallible> for Error {
    fn from(e: std::convert::Infallible) -> Self {
        match e {}
    }
}

/// The cause an error keeps as its source: the underlying error as it came, so a caller can
/// downcast it (`std::io::Error`, `oxigraph::store::StorageError`...), or a message.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

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

    /// Builds a [`Error::Output`] from the writer's error.
    pub fn output(source: impl Into<Cause>) -> Self {
        Self::Output {
            source: source.into(),
        }
    }

    /// Builds a [`Error::Output`] from a JSON writer's error, keeping an I/O failure as a
    /// `std::io::Error` (serde_json's own error does not expose it as its source).
    pub fn json_output(e: serde_json::Error) -> Self {
        match e.io_error_kind() {
            Some(kind) => Self::output(std::io::Error::new(kind, e)),
            None => Self::output(e),
        }
    }

    /// Builds a [`Error::QueryEvaluation`] for the query `name`.
    pub fn query_failed(name: impl Into<String>, source: impl Into<Cause>) -> Self {
        Self::QueryEvaluation {
            name: name.into(),
            source: source.into(),
        }
    }

    /// Builds a [`Error::StoreOpen`] for the store at `path`.
    pub fn store_open(path: impl Into<PathBuf>, source: impl Into<Cause>) -> Self {
        Self::StoreOpen {
            path: path.into(),
            source: source.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a closed output (`EPIPE`) is among the error's sources, as the CLI looks for it
    /// (`cli::is_broken_pipe`, over the same chain).
    fn broken_pipe(e: &Error) -> bool {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(c) = cause {
            if c.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return true;
            }
            cause = c.source();
        }
        false
    }

    #[test]
    fn sources_keep_their_type() {
        let pipe = Error::output(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(broken_pipe(&pipe));
        let source = std::error::Error::source(&pipe).unwrap();
        assert!(source.downcast_ref::<std::io::Error>().is_some());
        // A JSON writer's I/O failure stays an I/O error.
        struct Closed;
        impl std::io::Write for Closed {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let e = serde_json::to_writer(Closed, &[1, 2, 3]).unwrap_err();
        assert!(broken_pipe(&Error::json_output(e)));
        // Other output failures are not a closed reader.
        assert!(!broken_pipe(&Error::output("prefix x: bad IRI")));
        let storage = Error::store_open(
            "/x",
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert!(!broken_pipe(&storage));
        assert_eq!(
            storage.to_string(),
            "cannot open the store at /x: permission denied"
        );
        let failed = Error::query_failed("q", "cancelled: the request's time limit has passed");
        assert_eq!(
            failed.to_string(),
            "q: query failed: cancelled: the request's time limit has passed"
        );
    }
}
