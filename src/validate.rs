//! `normgraph validate`: the SHACL shapes of `ontology/shapes.ttl` (SHACL Core + SHACL-SPARQL) run by
//! [`crate::shacl`] over the store, with findings named by rule, labelled and traced to their file.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, Term};
use oxigraph::store::Store;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::shacl::{self, Shapes, ValidationResult, SH};
use crate::store::{parse_file, rdf_files_in, Bundle, KnowledgeGraph, SourceFile};
use crate::vocab::{self, graph};

/// Severity of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// `sh:Info`: incomplete, worth knowing.
    Info,
    /// `sh:Warning`: suspicious, check it.
    Warning,
    /// `sh:Violation`: wrong or unsourced; fails the validation.
    Violation,
}

impl Severity {
    fn of(iri: NamedNodeRef<'_>) -> Self {
        match iri.as_str().strip_prefix(SH) {
            Some("Info") => Severity::Info,
            Some("Warning") => Severity::Warning,
            _ => Severity::Violation,
        }
    }
}

impl std::str::FromStr for Severity {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        <Self as clap::ValueEnum>::from_str(s, true).map_err(|_| {
            Error::Invalid(format!("unknown severity {s:?} (info, warning, violation)"))
        })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Violation => "violation",
        })
    }
}

/// One validation result, with what a curator needs to find and fix it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// How serious.
    pub severity: Severity,
    /// The rule: the label of the SPARQL constraint, or the shape's label with the constraint
    /// component and path (e.g. `endorsement: minCount prov:hadPrimarySource`).
    pub rule: String,
    /// The focus node (IRI or blank node, N-Triples syntax).
    pub focus: String,
    /// Its label, if it has one.
    pub focus_label: Option<String>,
    /// The file (named graph, relative path) that describes the focus node.
    pub file: Option<String>,
    /// The property path, SPARQL syntax.
    pub path: Option<String>,
    /// The offending value.
    pub value: Option<String>,
    /// The message of the shape.
    pub message: Option<String>,
    /// The source shape.
    pub shape: String,
    /// The constraint component (local name in `sh:`).
    pub component: String,
    /// The raw SHACL result (for the W3C report).
    #[serde(skip)]
    pub result: ValidationResult,
}

/// The outcome of `validate`.
#[derive(Debug)]
pub struct Outcome {
    /// The findings, sorted by severity (worst first), rule, focus.
    pub findings: Vec<Finding>,
    /// Focus nodes checked per shape are not counted; this is the number of shapes applied.
    pub shapes: usize,
    /// Wall time of the validation itself.
    pub elapsed: Duration,
}

impl Outcome {
    /// No violation: warnings and infos do not fail a validation (the exit code of `validate`).
    pub fn passes(&self) -> bool {
        !self
            .findings
            .iter()
            .any(|f| f.severity == Severity::Violation)
    }

    /// No finding at all, whatever its severity: `sh:conforms` of the W3C report.
    pub fn conforms(&self) -> bool {
        self.findings.is_empty()
    }

    /// Keeps the findings at or above `min`.
    pub fn at_least(mut self, min: Severity) -> Self {
        self.findings.retain(|f| f.severity >= min);
        self
    }

    /// Counts per severity.
    pub fn counts(&self) -> BTreeMap<Severity, usize> {
        let mut c = BTreeMap::new();
        for f in &self.findings {
            *c.entry(f.severity).or_insert(0) += 1;
        }
        c
    }

    /// The W3C `sh:ValidationReport` of these findings.
    pub fn report(&self) -> shacl::Report {
        shacl::Report {
            results: self.findings.iter().map(|f| f.result.clone()).collect(),
        }
    }

    /// Writes the report as Turtle or JSON-LD (`sh:ValidationReport`).
    pub fn write_rdf(&self, format: RdfFormat, out: &mut impl std::io::Write) -> Result<()> {
        let io = |e: std::io::Error| Error::output(e);
        let mut ser = RdfSerializer::from_format(format);
        if format == RdfFormat::Turtle {
            for (p, ns) in vocab::PREFIXES {
                if !matches!(*p, "id" | "graph") {
                    ser = ser.with_prefix(*p, *ns).map_err(Error::output)?;
                }
            }
            ser = ser
                .with_prefix("ngsh", "https://w3id.org/normgraph/shapes#")
                .map_err(Error::output)?;
        }
        let mut w = ser.for_writer(out);
        for t in self.report().to_graph() {
            w.serialize_triple(&t).map_err(io)?;
        }
        w.finish().map_err(io)?;
        Ok(())
    }

    /// The findings as JSON (`{"conforms", "passes", "counts", "findings": [...]}`): `conforms`
    /// as in the W3C report (no finding at all), `passes` when no finding is a violation.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "conforms": self.conforms(),
            "passes": self.passes(),
            "counts": self.counts().iter().map(|(k, v)| (k.to_string(), *v)).collect::<BTreeMap<_, _>>(),
            "findings": self.findings,
        })
    }
}

impl fmt::Display for Outcome {
    /// Human text: findings grouped by rule, each naming the focus node, its label and file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut groups: BTreeMap<(std::cmp::Reverse<Severity>, &str), Vec<&Finding>> =
            BTreeMap::new();
        for x in &self.findings {
            groups
                .entry((std::cmp::Reverse(x.severity), x.rule.as_str()))
                .or_default()
                .push(x);
        }
        for ((sev, rule), items) in &groups {
            writeln!(
                f,
                "{} — {rule} ({} finding{})",
                sev.0,
                items.len(),
                if items.len() == 1 { "" } else { "s" }
            )?;
            if let Some(m) = items.first().and_then(|i| i.message.as_deref()) {
                writeln!(f, "  {m}")?;
            }
            for i in items {
                let label = i
                    .focus_label
                    .as_deref()
                    .map(|l| format!(" \"{l}\""))
                    .unwrap_or_default();
                let file = i
                    .file
                    .as_deref()
                    .map(|p| format!("  [{p}]"))
                    .unwrap_or_default();
                let value = i
                    .value
                    .as_deref()
                    .map(|v| format!("  value: {v}"))
                    .unwrap_or_default();
                writeln!(f, "  - {}{label}{value}{file}", i.focus)?;
            }
            writeln!(f)?;
        }
        let counts = self.counts();
        let n = |s| counts.get(&s).copied().unwrap_or(0);
        writeln!(
            f,
            "{}: {} violation(s), {} warning(s), {} info(s); {} shapes in {:.2?}",
            if self.conforms() {
                "conforms"
            } else if self.passes() {
                "passes (no violation; sh:conforms false)"
            } else {
                "does not conform"
            },
            n(Severity::Violation),
            n(Severity::Warning),
            n(Severity::Info),
            self.shapes,
            self.elapsed
        )
    }
}

/// Reads shapes from a SHACL file (Turtle or any RDF format by extension).
pub fn load_shapes(path: &Path) -> Result<(Store, Shapes)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let g = NamedNode::new_unchecked("https://w3id.org/normgraph/graph/shapes");
    let quads = parse_file(path, &bytes, &g)?;
    let store = Store::new()?;
    store.extend(quads)?;
    let shapes = Shapes::from_store(&store, Some(GraphNameRef::NamedNode(g.as_ref())))?;
    Ok((store, shapes))
}

/// Validates the whole knowledge graph (union of its graphs, inferred graph included).
pub fn validate_graph(kg: &KnowledgeGraph, shapes_file: Option<&Path>) -> Result<Outcome> {
    let default = kg.bundle().shapes_file();
    let (shapes_store, shapes) = load_shapes(shapes_file.unwrap_or(&default))?;
    let start = Instant::now();
    let report = crate::plans::validate(kg.store(), true, &shapes)?;
    let elapsed = start.elapsed();
    Ok(Outcome {
        findings: describe(kg, &shapes_store, report.results),
        shapes: shapes.len(),
        elapsed,
    })
}

/// What loading files does to the findings of a graph.
#[derive(Debug)]
pub struct Delta {
    /// The findings the files bring (absent before them).
    pub new: Outcome,
    /// Findings present before and after (not the files' doing).
    pub kept: usize,
    /// Findings present before that the files make go away.
    pub resolved: usize,
}

impl fmt::Display for Delta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.new)?;
        writeln!(
            f,
            "in the context of the store: the findings above are those the files bring; {} finding(s) of the store are not theirs (see `normgraph validate`), {} are resolved by them",
            self.kept, self.resolved
        )
    }
}

type FindingKey = (
    Severity,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
);

fn key(f: &Finding) -> FindingKey {
    (
        f.severity,
        f.rule.clone(),
        f.focus.clone(),
        f.path.clone(),
        f.value.clone(),
        f.shape.clone(),
    )
}

fn findings_of(kg: &KnowledgeGraph, shapes_store: &Store, shapes: &Shapes) -> Result<Vec<Finding>> {
    let report = crate::plans::validate(kg.store(), true, shapes)?;
    Ok(describe(kg, shapes_store, report.results))
}

/// Compares the findings of `after` (a graph with files loaded, e.g. from
/// [`KnowledgeGraph::with_files`]) with those of `before`: the findings the files bring, and how
/// many were there already or went away.
pub fn compare(
    before: &KnowledgeGraph,
    after: &KnowledgeGraph,
    shapes_file: Option<&Path>,
) -> Result<Delta> {
    let default = before.bundle().shapes_file();
    let (shapes_store, shapes) = load_shapes(shapes_file.unwrap_or(&default))?;
    let start = Instant::now();
    let after_findings = findings_of(after, &shapes_store, &shapes)?;
    let before_findings = findings_of(before, &shapes_store, &shapes)?;
    Ok(delta(
        before_findings,
        after_findings,
        shapes.len(),
        start.elapsed(),
    ))
}

fn delta(before: Vec<Finding>, after: Vec<Finding>, shapes: usize, elapsed: Duration) -> Delta {
    let old: std::collections::HashSet<FindingKey> = before.iter().map(key).collect();
    let now: std::collections::HashSet<FindingKey> = after.iter().map(key).collect();
    let resolved = old.iter().filter(|k| !now.contains(*k)).count();
    let (new, kept): (Vec<Finding>, Vec<Finding>) =
        after.into_iter().partition(|f| !old.contains(&key(f)));
    Delta {
        new: Outcome {
            findings: new,
            shapes,
            elapsed,
        },
        kept: kept.len(),
        resolved,
    }
}

/// The check `normgraph load` runs before it commits (see [`crate::store::LoadOptions::check`]):
/// refuses a load whose result has a violation the store did not have, naming the first one.
pub fn gate(shapes_file: Option<std::path::PathBuf>) -> crate::store::Check {
    std::sync::Arc::new(move |before: &KnowledgeGraph, after: &KnowledgeGraph| {
        let default = before.bundle().shapes_file();
        let (shapes_store, shapes) = load_shapes(shapes_file.as_deref().unwrap_or(&default))?;
        let start = Instant::now();
        let after_findings = findings_of(after, &shapes_store, &shapes)?;
        if !after_findings
            .iter()
            .any(|f| f.severity == Severity::Violation)
        {
            return Ok(());
        }
        let before_findings = findings_of(before, &shapes_store, &shapes)?;
        let d = delta(
            before_findings,
            after_findings,
            shapes.len(),
            start.elapsed(),
        );
        let violations: Vec<&Finding> = d
            .new
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Violation)
            .collect();
        let Some(first) = violations.first() else {
            return Ok(());
        };
        let file = first
            .file
            .as_deref()
            .map(|f| format!("{f}: "))
            .unwrap_or_default();
        let value = first
            .value
            .as_deref()
            .map(|v| format!(" (value {v})"))
            .unwrap_or_default();
        Err(Error::Refused(format!(
            "{file}load refused: {} violation(s) of the shapes would come with it, the first: {} — {}{value}; nothing was written (see all with `normgraph validate FILE...`; load anyway with --force)",
            violations.len(),
            first.focus,
            first.message.as_deref().unwrap_or(&first.rule),
        )))
    })
}

/// Validates files on their own (`validate --alone`): loads the bundle's ontology (vocabularies
/// and rules) and the files into a fresh in-memory graph, applies the rules, validates. Files that
/// refer to actors or instruments of the data get findings they would not have in the store: see
/// [`compare`] for the check in context.
pub fn validate_files(
    bundle: &Bundle,
    paths: &[std::path::PathBuf],
    shapes_file: Option<&Path>,
) -> Result<Outcome> {
    let kg = KnowledgeGraph::in_memory(bundle.clone())?;
    let mut files = bundle.ontology_files()?;
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    for p in paths {
        for f in rdf_files_in(p)? {
            files.push(SourceFile::relative_to(&f, &cwd));
        }
    }
    kg.load(&files)?;
    validate_graph(&kg, shapes_file)
}

/// Turns raw results into findings: rule names, labels, files; sorted.
fn describe(kg: &KnowledgeGraph, shapes: &Store, results: Vec<ValidationResult>) -> Vec<Finding> {
    let label_in = |store: &Store, t: &Term| -> Option<String> {
        let Term::NamedNode(n) = t else { return None };
        let p = oxigraph::model::vocab::rdfs::LABEL;
        store
            .quads_for_pattern(Some(n.as_ref().into()), Some(p), None, None)
            .flatten()
            .find_map(|q| match q.object {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
    };
    let mut findings: Vec<Finding> = results
        .into_iter()
        .map(|r| {
            let component = r
                .source_constraint_component
                .as_str()
                .strip_prefix(SH)
                .unwrap_or(r.source_constraint_component.as_str())
                .trim_end_matches("ConstraintComponent")
                .to_owned();
            let component = lower_first(&component);
            let path = r.result_path.as_ref().map(|p| compact_text(&p.to_string()));
            let rule = match r
                .source_constraint
                .as_ref()
                .and_then(|c| label_in(shapes, c))
            {
                Some(l) => l,
                None => {
                    let shape = label_in(shapes, &r.source_shape)
                        .or_else(|| parent_shape_label(shapes, &r.source_shape))
                        .unwrap_or_else(|| compact_text(&r.source_shape.to_string()));
                    match &path {
                        Some(p) => format!("{shape}: {component} {p}"),
                        None => format!("{shape}: {component}"),
                    }
                }
            };
            let focus_label = match &r.focus_node {
                Term::NamedNode(n) => crate::query::label_of(kg, n),
                _ => None,
            };
            Finding {
                severity: Severity::of(r.severity.as_ref()),
                rule,
                focus: compact_text(&r.focus_node.to_string()),
                focus_label,
                file: file_of(kg, &r.focus_node),
                path,
                value: r.value.as_ref().map(|v| compact_text(&v.to_string())),
                message: r.messages.first().map(|m| m.value().to_owned()),
                shape: compact_text(&r.source_shape.to_string()),
                component,
                result: r,
            }
        })
        .collect();
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.focus.cmp(&b.focus))
            .then_with(|| a.value.cmp(&b.value))
    });
    findings
}

/// "MinCount" → "minCount"; an acronym ("SPARQL") stays as it is.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some(_), Some(second)) if second.is_uppercase() => s.to_owned(),
        _ => {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_lowercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}

/// The label of the node shape that holds a (blank) property shape.
fn parent_shape_label(shapes: &Store, shape: &Term) -> Option<String> {
    let prop = NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#property");
    let label = oxigraph::model::vocab::rdfs::LABEL;
    let parent = shapes
        .quads_for_pattern(None, Some(prop), Some(shape.as_ref()), None)
        .flatten()
        .next()?
        .subject;
    shapes
        .quads_for_pattern(Some(parent.as_ref()), Some(label), None, None)
        .flatten()
        .find_map(|q| match q.object {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
}

/// `<https://w3id.org/normgraph/id/state/CHN>` → `state:CHN` inside a text (terms and paths).
fn compact_text(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        match rest[start..].find('>') {
            Some(end) => {
                let iri = &rest[start + 1..start + end];
                match vocab::compact(iri) {
                    Some(c) => out.push_str(&c),
                    None => out.push_str(&rest[start..=start + end]),
                }
                rest = &rest[start + end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The data file (relative path of its named graph) that describes `node`.
fn file_of(kg: &KnowledgeGraph, node: &Term) -> Option<String> {
    let subject = match node {
        Term::NamedNode(n) => oxigraph::model::NamedOrBlankNodeRef::from(n.as_ref()),
        Term::BlankNode(b) => b.as_ref().into(),
        _ => return None,
    };
    let mut graphs: Vec<String> = kg
        .store()
        .quads_for_pattern(Some(subject), None, None, None)
        .flatten()
        .filter_map(|q| match q.graph_name {
            oxigraph::model::GraphName::NamedNode(g)
                if g.as_str() != graph::INFERRED && g.as_str() != graph::META =>
            {
                Some(
                    g.as_str()
                        .strip_prefix(graph::NS)
                        .unwrap_or(g.as_str())
                        .to_owned(),
                )
            }
            _ => None,
        })
        .collect();
    graphs.sort();
    graphs.dedup();
    (!graphs.is_empty()).then(|| graphs.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacts_iris_inside_text() {
        assert_eq!(
            compact_text("<https://w3id.org/normgraph/id/state/CHN> / ^<http://x.org/p>"),
            "state:CHN / ^<http://x.org/p>"
        );
        assert_eq!(lower_first("MinCount"), "minCount");
    }
}
