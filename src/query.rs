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

/// Deepest nesting of brackets (`( { [`) a query or update may have.
pub const MAX_NESTING: usize = 256;
/// Most `UNION` keywords a query or update may have.
pub const MAX_UNIONS: usize = 512;
/// Most binary operators (`|| && | / + - *`) a query or update may have.
pub const MAX_OPERATORS: usize = 4096;

/// Refuses a SPARQL text whose shape would exhaust the parser's or the evaluator's stack (they
/// recurse once per nesting level and per chained operator: 5,000 nested parentheses or a
/// 5,000-branch UNION overflow an 8 MiB stack and abort the process). A lexical scan, before any
/// parsing: strings, IRIs and comments are skipped. The limits are far above hand-written or
/// generated queries (the shipped ones nest at most 6 deep).
pub fn check_complexity(text: &str) -> std::result::Result<(), String> {
    let b = text.as_bytes();
    let (mut i, mut depth, mut max_depth, mut unions, mut operators) = (0, 0usize, 0usize, 0, 0);
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                let long = b[i..].starts_with(if q == b'"' { b"\"\"\"" } else { b"'''" });
                i += if long { 3 } else { 1 };
                while i < b.len() {
                    if b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == q
                        && (!long || b[i..].starts_with(if q == b'"' { b"\"\"\"" } else { b"'''" }))
                    {
                        i += if long { 3 } else { 1 };
                        break;
                    }
                    if !long && b[i] == b'\n' {
                        break;
                    }
                    i += 1;
                }
                continue;
            }
            b'<' => {
                // An IRI reference runs to '>' without spaces or brackets; otherwise '<' is an operator.
                let end = b[i + 1..].iter().position(|&c| {
                    matches!(
                        c,
                        b'>' | b' ' | b'\n' | b'\t' | b'\r' | b'<' | b'{' | b'}' | b'"'
                    )
                });
                if let Some(n) = end {
                    if b[i + 1 + n] == b'>' {
                        i += n + 2;
                        continue;
                    }
                }
            }
            b'(' | b'{' | b'[' => {
                depth += 1;
                max_depth = max_depth.max(depth);
            }
            b')' | b'}' | b']' => depth = depth.saturating_sub(1),
            b'|' | b'&' | b'/' | b'+' | b'-' | b'*' => operators += 1,
            b'U' | b'u' if b.len() >= i + 5 && b[i..i + 5].eq_ignore_ascii_case(b"UNION") => {
                let before = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
                let after = b
                    .get(i + 5)
                    .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'));
                if before && after {
                    unions += 1;
                }
                i += 5;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if max_depth > MAX_NESTING {
        return Err(format!(
            "nested {max_depth} levels deep (brackets): the limit is {MAX_NESTING}"
        ));
    }
    if unions > MAX_UNIONS {
        return Err(format!(
            "{unions} UNION branches: the limit is {MAX_UNIONS} (use VALUES for long alternatives)"
        ));
    }
    if operators > MAX_OPERATORS {
        return Err(format!(
            "{operators} operators: the limit is {MAX_OPERATORS}"
        ));
    }
    Ok(())
}

/// Parses a query text, naming `name` in the error (with the parser's line and column).
pub fn parse(name: &str, text: &str) -> Result<spargebra::Query> {
    check_complexity(text).map_err(|message| Error::QuerySyntax {
        name: name.to_owned(),
        message,
    })?;
    spargebra::SparqlParser::new()
        .parse_query(text)
        .map_err(|e| Error::QuerySyntax {
            name: name.to_owned(),
            message: e.to_string(),
        })
}

/// When `value` is an IRI (as a parameter value) that occurs in no triple of the store, returns it.
pub fn unknown_iri(kg: &KnowledgeGraph, value: &str) -> Result<Option<String>> {
    let Ok(Term::NamedNode(n)) = parse_value("value", value) else {
        return Ok(None);
    };
    let store = kg.store();
    let used = store
        .quads_for_pattern(Some(n.as_ref().into()), None, None, None)
        .next()
        .is_some()
        || store
            .quads_for_pattern(None, None, Some(n.as_ref().into()), None)
            .next()
            .is_some();
    Ok((!used).then(|| n.into_string()))
}

/// Parses `query` and binds `bindings` (name, value) as RDF terms in its algebra.
///
/// A name the query does not declare (in its `# Parameters:` header, or anywhere in its text when
/// it has no header), or a malformed value, is an error.
pub fn prepare(query: &NamedQuery, bindings: &[(String, String)]) -> Result<spargebra::Query> {
    let mut parsed = parse(&query.name, &query.text)?;
    for (name, value) in bindings {
        let declared = query.params.is_empty() || query.params.iter().any(|p| &p.name == name);
        let no_such = || query.no_such_parameter(name);
        if !declared {
            return Err(no_such());
        }
        let term = parse_value(name, value)?;
        let var = Variable::new(name.as_str()).map_err(|e| Error::Parameter {
            name: name.clone(),
            message: e.to_string(),
        })?;
        if !crate::bind::substitute(&mut parsed, &var, &term) {
            return Err(no_such());
        }
    }
    Ok(parsed)
}

thread_local! {
    /// The cancellation token of the request the current thread works for (see [`cancellable`]).
    static CANCEL: std::cell::RefCell<Option<oxigraph::sparql::CancellationToken>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `work` with `token` as the cancellation token of the library's queries on this thread:
/// once it is cancelled, every query that starts ([`run_parsed_with`], statistics) fails at once
/// with "cancelled", and a running one stops between rows. The server runs each request's work
/// so: a page cut at its time limit stops instead of holding its query slot. (The token is not
/// handed to Oxigraph's evaluator for these queries: an aggregate cancelled in the middle was
/// measured to run on for seconds, 7.4 s for a norm page whose queries take 130 ms in all.)
pub fn cancellable<T>(token: &oxigraph::sparql::CancellationToken, work: impl FnOnce() -> T) -> T {
    CANCEL.with(|c| *c.borrow_mut() = Some(token.clone()));
    let out = work();
    CANCEL.with(|c| *c.borrow_mut() = None);
    out
}

/// Fails with "cancelled" when the current request's token (see [`cancellable`]) is cancelled.
pub fn check_cancelled(name: &str) -> Result<()> {
    if CANCEL.with(|c| c.borrow().as_ref().is_some_and(|t| t.is_cancelled())) {
        return Err(Error::QueryEvaluation {
            name: name.to_owned(),
            message: "cancelled: the request's time limit has passed".into(),
        });
    }
    Ok(())
}

/// Runs `query` with `bindings` (name, value) over the union of all graphs (unless it names its
/// own dataset with FROM / FROM NAMED). `SERVICE` calls are refused (see [`run_with`]).
pub fn run(
    kg: &KnowledgeGraph,
    query: &NamedQuery,
    bindings: &[(String, String)],
) -> Result<Answer> {
    run_with(kg, query, bindings, SparqlEvaluator::new())
}

/// Like [`run`], with an evaluator of the caller's (e.g. with an allowlisted `SERVICE` handler:
/// [`crate::remote::HttpServiceHandler`]). Every named query runs as SPARQL under Oxigraph's
/// evaluator: the derived stance records make them short star patterns.
pub fn run_with(
    kg: &KnowledgeGraph,
    query: &NamedQuery,
    bindings: &[(String, String)],
    evaluator: SparqlEvaluator,
) -> Result<Answer> {
    run_parsed_with(kg, &query.name, prepare(query, bindings)?, evaluator)
}

/// Runs an already parsed (and bound) query.
pub fn run_parsed(kg: &KnowledgeGraph, name: &str, parsed: spargebra::Query) -> Result<Answer> {
    run_parsed_with(kg, name, parsed, SparqlEvaluator::new())
}

/// Runs an already parsed (and bound) query with the given evaluator.
pub fn run_parsed_with(
    kg: &KnowledgeGraph,
    name: &str,
    parsed: spargebra::Query,
    evaluator: SparqlEvaluator,
) -> Result<Answer> {
    check_cancelled(name)?;
    let own_dataset = parsed.dataset().is_some();
    let mut prepared = evaluator.for_query(parsed);
    if !own_dataset {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    let eval_err = |e: oxigraph::sparql::QueryEvaluationError| {
        Error::QueryEvaluation {
        name: name.to_owned(),
        message: match e {
            oxigraph::sparql::QueryEvaluationError::UnsupportedService(s) => format!(
                "SERVICE <{}> refused: federated queries need its host on the allowlist (--allow-service HOST[:PORT])",
                s.as_str()
            ),
            oxigraph::sparql::QueryEvaluationError::Service(e) => e.to_string(),
            other => other.to_string(),
        },
    }
    };
    Ok(
        match prepared.on_store(kg.store()).execute().map_err(eval_err)? {
            QueryResults::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                let mut rows = Vec::new();
                for (i, s) in solutions.enumerate() {
                    if i % 1024 == 1023 {
                        check_cancelled(name)?;
                    }
                    let s: QuerySolution = s.map_err(eval_err)?;
                    rows.push(variables.iter().map(|v| s.get(v).cloned()).collect());
                }
                Answer::Solutions { variables, rows }
            }
            QueryResults::Boolean(b) => Answer::Boolean(b),
            QueryResults::Graph(triples) => {
                Answer::Graph(triples.collect::<Result<_, _>>().map_err(eval_err)?)
            }
        },
    )
}

/// Output formats for query answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned text with labels (for people).
    Table,
    /// A Markdown table of lexical values (for reports and READMEs).
    Markdown,
    /// SPARQL 1.1 CSV.
    Csv,
    /// SPARQL 1.1 TSV.
    Tsv,
    /// SPARQL 1.1 JSON results.
    Json,
    /// SPARQL 1.1 XML results.
    Xml,
    /// Turtle (graphs).
    Turtle,
    /// N-Triples (graphs).
    NTriples,
    /// JSON-LD (graphs).
    JsonLd,
    /// RDF/XML (graphs).
    RdfXml,
}

impl FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "table" | "text" => Format::Table,
            "md" | "markdown" => Format::Markdown,
            "csv" => Format::Csv,
            "tsv" => Format::Tsv,
            "json" | "srj" => Format::Json,
            "xml" | "srx" => Format::Xml,
            "ttl" | "turtle" => Format::Turtle,
            "nt" | "ntriples" | "n-triples" => Format::NTriples,
            "jsonld" | "json-ld" => Format::JsonLd,
            "rdfxml" | "rdf" | "rdf/xml" => Format::RdfXml,
            other => {
                return Err(Error::Invalid(format!(
                    "unknown format {other:?} (table, markdown, csv, tsv, json, xml for results; ttl, nt, jsonld, rdfxml for graphs)"
                )))
            }
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
    let io = |e: std::io::Error| Error::Output(e.to_string());
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
                        ser = ser
                            .with_prefix(*p, *ns)
                            .map_err(|e| Error::Output(e.to_string()))?;
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
fn cell(
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
fn write_markdown(
    variables: &[Variable],
    rows: &[Vec<Option<Term>>],
    out: &mut impl Write,
) -> Result<()> {
    let io = |e: std::io::Error| Error::Output(e.to_string());
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
const MAX_CELL: usize = 80;

fn write_table(
    kg: &KnowledgeGraph,
    variables: &[Variable],
    rows: &[Vec<Option<Term>>],
    out: &mut impl Write,
) -> Result<()> {
    let io = |e: std::io::Error| Error::Output(e.to_string());
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
