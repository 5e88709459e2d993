//! Named SPARQL queries (`queries/*.rq`), parameter binding and result rendering.
//!
//! A query file opens with a header of comment lines:
//! ```text
//! # Who backs a norm, how firmly, since when, and on what evidence?
//! # Parameters: ?norm  IRI of a ng:Norm
//! # Example: ?norm = <https://w3id.org/normgraph/id/norm/gge2015-13f>
//! # Returns: ?actor ?actorLabel ?status ?date ?source, strongest first
//! ```
//! Parameters are bound as RDF terms with Oxigraph's `substitute_variable`, never spliced into text.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Literal, NamedNode, Term, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, QuerySolution, SparqlEvaluator};

use crate::error::{Error, Result};
use crate::store::KnowledgeGraph;
use crate::vocab;

mod limits;
mod render;
mod run;

pub use limits::*;
pub use render::*;
pub use run::*;

/// A parameter a named query declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Variable name without `?`.
    pub name: String,
    /// What to pass.
    pub doc: String,
}

/// A query of the library, with its header.
#[derive(Debug, Clone)]
pub struct NamedQuery {
    /// File stem (`who-backs-norm`).
    pub name: String,
    /// Where it is.
    pub path: PathBuf,
    /// First header line: the question it answers.
    pub description: String,
    /// Declared parameters.
    pub params: Vec<Param>,
    /// Example bindings from `# Example:` lines (name, value as written).
    pub examples: Vec<(String, String)>,
    /// The `# Returns:` line.
    pub returns: String,
    /// The whole text.
    pub text: String,
}

impl NamedQuery {
    /// The error for a parameter name this query does not declare, listing the ones it takes.
    pub fn no_such_parameter(&self, name: &str) -> Error {
        let known: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
        Error::Parameter {
            name: name.to_owned(),
            message: format!(
                "{} has no such parameter (it takes: {})",
                self.name,
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ),
        }
    }

    /// Reads and parses the header of a query file.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Self::from_text(name, path.to_path_buf(), text))
    }

    /// Parses the header of a query text.
    pub fn from_text(name: String, path: PathBuf, text: String) -> Self {
        let mut q = NamedQuery {
            name,
            path,
            description: String::new(),
            params: Vec::new(),
            examples: Vec::new(),
            returns: String::new(),
            text: String::new(),
        };
        let mut section = "";
        for line in text.lines() {
            let Some(comment) = line.trim_start().strip_prefix('#') else {
                if line.trim().is_empty() {
                    continue;
                }
                break;
            };
            let comment = comment.trim();
            if let Some(rest) = comment.strip_prefix("Parameters:") {
                section = "params";
                q.params.extend(parse_param_decl(rest));
            } else if let Some(rest) = comment.strip_prefix("Example:") {
                section = "example";
                q.examples.extend(parse_example(rest));
            } else if let Some(rest) = comment.strip_prefix("Returns:") {
                section = "";
                q.returns = rest.trim().to_owned();
            } else if q.description.is_empty() {
                q.description = comment.to_owned();
            } else if section == "params" && comment.starts_with('?') {
                q.params.extend(parse_param_decl(comment));
            } else if section == "example" && comment.starts_with('?') {
                q.examples.extend(parse_example(comment));
            }
        }
        q.text = text;
        q
    }
}

fn parse_param_decl(s: &str) -> Option<Param> {
    let s = s.trim();
    let rest = s.strip_prefix('?')?;
    let (name, doc) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    (!name.is_empty()).then(|| Param {
        name: name.to_owned(),
        doc: doc.trim().to_owned(),
    })
}

fn parse_example(s: &str) -> Vec<(String, String)> {
    // `?a = <x>, ?b = "y"` or one per line.
    let mut out = Vec::new();
    for part in s.split(", ?") {
        let part = part.trim().trim_start_matches('?');
        if let Some((name, value)) = part.split_once('=') {
            out.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    out
}

/// The named queries of a folder (`*.rq`, not recursive), sorted by name.
pub fn library(dir: &Path) -> Result<Vec<NamedQuery>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    paths.sort();
    for p in paths {
        out.push(NamedQuery::from_file(&p)?);
    }
    Ok(out)
}

/// Finds a query by name in `dir`, or reads it from a `.rq` path, or from stdin for `-`.
pub fn resolve(dir: &Path, name_or_path: &str) -> Result<NamedQuery> {
    if name_or_path == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        return Ok(NamedQuery::from_text(
            "<stdin>".into(),
            PathBuf::from("-"),
            text,
        ));
    }
    let as_path = Path::new(name_or_path);
    if name_or_path.ends_with(".rq") || name_or_path.contains('/') {
        if as_path.is_file() {
            return NamedQuery::from_file(as_path);
        }
        return Err(Error::io(
            as_path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such query file"),
        ));
    }
    let valid = !name_or_path.is_empty()
        && name_or_path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let path = dir.join(format!("{name_or_path}.rq"));
    if valid && path.is_file() {
        NamedQuery::from_file(&path)
    } else {
        Err(Error::UnknownQuery {
            name: name_or_path.to_owned(),
        })
    }
}

/// Parses a parameter value as an RDF term.
///
/// Accepts `<IRI>`, a prefixed name with a known prefix (`state:CHN`, `id:norm/gge2015-13f`), a
/// literal in N-Triples/Turtle form (`"text"`, `"text"@en`, `"2015-09-25"^^xsd:date`), a bare
/// date (`2015-09-25` → `xsd:date`), integer, decimal, or `true`/`false`.
pub fn parse_value(name: &str, value: &str) -> Result<Term> {
    let err = |message: String| Error::Parameter {
        name: name.to_owned(),
        message,
    };
    let v = value.trim();
    if v.is_empty() {
        return Err(err("empty value".into()));
    }
    if v.starts_with('<') {
        return match Term::from_str(v) {
            Ok(t @ Term::NamedNode(_)) => Ok(t),
            _ => Err(err(format!("{v} is not a valid IRI"))),
        };
    }
    if v.starts_with("http://") || v.starts_with("https://") || v.starts_with("urn:") {
        // A full IRI without angle brackets.
        return NamedNode::new(v)
            .map(Term::from)
            .map_err(|e| err(format!("{v} is not a valid IRI: {e}")));
    }
    if v.starts_with('"') {
        // Allow a prefixed datatype: "..."^^xsd:date
        let expanded = match v.rsplit_once("^^") {
            Some((lex, dt)) if !dt.starts_with('<') => {
                let iri = vocab::expand(dt)
                    .ok_or_else(|| err(format!("unknown datatype prefix in {dt}")))?;
                format!("{lex}^^<{iri}>")
            }
            _ => v.to_owned(),
        };
        return match Term::from_str(&expanded) {
            Ok(t @ Term::Literal(_)) => Ok(t),
            _ => Err(err(format!("{v} is not a valid literal"))),
        };
    }
    if is_date(v) {
        return Ok(Literal::new_typed_literal(
            v,
            NamedNode::new_unchecked("http://www.w3.org/2001/XMLSchema#date"),
        )
        .into());
    }
    if v == "true" || v == "false" {
        return Ok(Literal::from(v == "true").into());
    }
    if v.parse::<i64>().is_ok() {
        return Ok(Literal::new_typed_literal(
            v,
            NamedNode::new_unchecked("http://www.w3.org/2001/XMLSchema#integer"),
        )
        .into());
    }
    if v.contains(':') {
        let iri = vocab::expand(v).ok_or_else(|| {
            err(format!(
                "unknown prefix in {v} (known: {})",
                vocab::PREFIXES
                    .iter()
                    .map(|(p, _)| *p)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        return NamedNode::new(iri)
            .map(Term::from)
            .map_err(|e| err(format!("{v} does not expand to a valid IRI: {e}")));
    }
    Err(err(format!(
        "cannot read {v:?} as an RDF term: write <IRI>, prefix:name, \"literal\", a date YYYY-MM-DD or a number"
    )))
}

fn is_date(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The results of a query, materialised.
#[derive(Debug)]
pub enum Answer {
    /// SELECT: variables and rows.
    Solutions {
        /// Column names.
        variables: Vec<Variable>,
        /// Rows, one value per column (unbound = `None`).
        rows: Vec<Vec<Option<Term>>>,
    },
    /// ASK.
    Boolean(bool),
    /// CONSTRUCT or DESCRIBE.
    Graph(Vec<oxigraph::model::Triple>),
}

impl Answer {
    /// Number of rows, triples, or 1 for a boolean.
    pub fn len(&self) -> usize {
        match self {
            Answer::Solutions { rows, .. } => rows.len(),
            Answer::Boolean(_) => 1,
            Answer::Graph(t) => t.len(),
        }
    }

    /// True when there are no rows or triples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_parsed() {
        let q = NamedQuery::from_text(
            "x".into(),
            PathBuf::new(),
            "# Who?\n# Parameters: ?norm  IRI of a norm\n#   ?date  a date\n# Example: ?norm = <http://a>\n# Returns: ?actor\nSELECT * {}".into(),
        );
        assert_eq!(q.description, "Who?");
        assert_eq!(q.params.len(), 2);
        assert_eq!(q.params[1].name, "date");
        assert_eq!(
            q.examples,
            vec![("norm".to_owned(), "<http://a>".to_owned())]
        );
        assert_eq!(q.returns, "?actor");
    }

    #[test]
    fn values_parse_as_terms() {
        assert!(
            matches!(parse_value("a", "state:CHN").unwrap(), Term::NamedNode(n) if n.as_str().ends_with("/state/CHN"))
        );
        assert!(
            matches!(parse_value("a", "2015-09-25").unwrap(), Term::Literal(l) if l.datatype().as_str().ends_with("#date"))
        );
        assert!(
            matches!(parse_value("a", "\"2015-09-25\"^^xsd:date").unwrap(), Term::Literal(l) if l.datatype().as_str().ends_with("#date"))
        );
        assert!(
            matches!(parse_value("a", "\"x\"@en").unwrap(), Term::Literal(l) if l.language() == Some("en"))
        );
        assert!(parse_value("a", "nope:x").is_err());
        assert!(parse_value("a", "<not an iri>").is_err());
        assert!(parse_value("a", "} DROP ALL {").is_err());
        assert!(parse_value("a", "").is_err());
    }
}
