//! CSV tables for spreadsheets (`--table endorsements|norms|actors`): one row per resource, labels
//! resolved, multiple values joined with [`CELL_SEPARATOR`], RFC 4180 quoting.

use super::*;

/// The CSV tables (`export --table`, a clap `ValueEnum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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

pub(super) use crate::vocab::ng::{
    ACTOR as NG_ACTOR, ENDORSEMENT as NG_ENDORSEMENT, INSTRUMENT as NG_INSTRUMENT, NORM as NG_NORM,
};

/// Reads property values over every graph but the meta graph.
pub(super) struct Lookup<'a> {
    pub(super) kg: &'a KnowledgeGraph,
}

impl Lookup<'_> {
    pub(super) fn objects(&self, s: &NamedNode, p: &str) -> Result<Vec<Term>> {
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

    pub(super) fn iris(&self, s: &NamedNode, p: &str) -> Result<Vec<NamedNode>> {
        Ok(self
            .objects(s, p)?
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n),
                _ => None,
            })
            .collect())
    }

    pub(super) fn values(&self, s: &NamedNode, p: &str) -> Result<Vec<String>> {
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

    pub(super) fn label(&self, s: &NamedNode) -> String {
        crate::query::label_of(self.kg, s).unwrap_or_default()
    }

    /// Instances of `class` or of any of its subclasses (asserted types; the inferred graph may be
    /// absent), sorted by IRI.
    pub(super) fn instances(&self, class: &str) -> Result<Vec<NamedNode>> {
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
pub(super) struct SortedTerm(Term);

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
pub(super) fn key_of(n: &NamedNode) -> String {
    let s = n.as_str();
    s.rsplit(['/', '#']).next().unwrap_or(s).to_owned()
}

pub(super) fn join<I: IntoIterator<Item = String>>(values: I) -> String {
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

pub(super) fn csv_field(f: &str) -> String {
    if f.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f.to_owned()
    }
}
