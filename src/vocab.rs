//! IRIs of the normgraph ontology, its instance space, its named graphs and the reused vocabularies.

/// The normgraph ontology namespace (`ng:`).
pub mod ng {
    /// Namespace IRI.
    pub const NS: &str = "https://w3id.org/normgraph/ontology#";
    /// The ontology IRI.
    pub const ONTOLOGY: &str = "https://w3id.org/normgraph/ontology";
    /// `ng:Norm`.
    pub const NORM: &str = "https://w3id.org/normgraph/ontology#Norm";
    /// `ng:Actor`.
    pub const ACTOR: &str = "https://w3id.org/normgraph/ontology#Actor";
    /// `ng:Instrument`.
    pub const INSTRUMENT: &str = "https://w3id.org/normgraph/ontology#Instrument";
    /// `ng:Endorsement`.
    pub const ENDORSEMENT: &str = "https://w3id.org/normgraph/ontology#Endorsement";
}

/// Namespaces of the reused vocabularies, for the code that builds their IRIs (the same as in
/// [`PREFIXES`]).
pub mod ns {
    /// DCMI terms.
    pub const DCTERMS: &str = "http://purl.org/dc/terms/";
    /// DCAT.
    pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
    /// VoID.
    pub const VOID: &str = "http://rdfs.org/ns/void#";
    /// SPDX (checksums).
    pub const SPDX: &str = "http://spdx.org/rdf/terms#";
    /// SPARQL 1.1 Service Description.
    pub const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
    /// OWL.
    pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
}

/// Instance IRIs: `https://w3id.org/normgraph/id/{kind}/{key}`.
pub const ID_NS: &str = "https://w3id.org/normgraph/id/";

/// Named graphs the store uses.
pub mod graph {
    /// Prefix of the graph holding one loaded file: `{NS}{relative path}`.
    pub const NS: &str = "https://w3id.org/normgraph/graph/";
    /// Derived facts written by the rules in `ontology/rules/`.
    pub const INFERRED: &str = "https://w3id.org/normgraph/graph/inferred";
    /// Bookkeeping: which file is in which graph, with its checksum.
    pub const META: &str = "https://w3id.org/normgraph/graph/meta";
}

/// Prefixes known to the CLI (parameter values, compact output) and to the exports.
///
/// Order matters for compaction: longer namespaces first where one is a prefix of another.
pub const PREFIXES: &[(&str, &str)] = &[
    ("ng", "https://w3id.org/normgraph/ontology#"),
    ("state", "https://w3id.org/normgraph/id/state/"),
    ("inst", "https://w3id.org/normgraph/id/org/"),
    ("person", "https://w3id.org/normgraph/id/person/"),
    ("instr", "https://w3id.org/normgraph/id/instrument/"),
    ("norm", "https://w3id.org/normgraph/id/norm/"),
    ("end", "https://w3id.org/normgraph/id/endorsement/"),
    ("mem", "https://w3id.org/normgraph/id/membership/"),
    ("src", "https://w3id.org/normgraph/id/source/"),
    ("dlg", "https://w3id.org/normgraph/id/dialogue/"),
    ("event", "https://w3id.org/normgraph/id/event/"),
    ("concept", "https://w3id.org/normgraph/id/concept/"),
    ("def", "https://w3id.org/normgraph/id/definition/"),
    ("assess", "https://w3id.org/normgraph/id/assessment/"),
    ("status", "https://w3id.org/normgraph/id/status/"),
    ("theme", "https://w3id.org/normgraph/id/theme/"),
    ("deontic", "https://w3id.org/normgraph/id/deontic/"),
    ("element", "https://w3id.org/normgraph/id/regime-element/"),
    ("track", "https://w3id.org/normgraph/id/track/"),
    ("level", "https://w3id.org/normgraph/id/path-level/"),
    ("gov", "https://w3id.org/normgraph/id/governance-model/"),
    ("method", "https://w3id.org/normgraph/id/adoption-method/"),
    ("unstatus", "https://w3id.org/normgraph/id/un-status/"),
    ("id", "https://w3id.org/normgraph/id/"),
    ("graph", "https://w3id.org/normgraph/graph/"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("org", "http://www.w3.org/ns/org#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("sh", "http://www.w3.org/ns/shacl#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("time", "http://www.w3.org/2006/time#"),
    ("vann", "http://purl.org/vocab/vann/"),
    ("wd", "http://www.wikidata.org/entity/"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// Expands `prefix:local` with [`PREFIXES`]; `None` when the prefix is unknown.
pub fn expand(prefixed: &str) -> Option<String> {
    let (prefix, local) = prefixed.split_once(':')?;
    PREFIXES
        .iter()
        .find(|(p, _)| *p == prefix)
        .map(|(_, ns)| format!("{ns}{local}"))
}

/// Shortens an IRI to `prefix:local` when a known namespace matches and the rest is a plain key.
pub fn compact(iri: &str) -> Option<String> {
    PREFIXES.iter().find_map(|(p, ns)| {
        let local = iri.strip_prefix(ns)?;
        let plain = local
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && !local.ends_with('.');
        plain.then(|| format!("{p}:{local}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_and_compact_round_trip() {
        let iri = expand("state:CHN").unwrap();
        assert_eq!(iri, "https://w3id.org/normgraph/id/state/CHN");
        assert_eq!(compact(&iri).as_deref(), Some("state:CHN"));
        assert_eq!(
            expand("id:norm/gge2015-13f").as_deref(),
            Some("https://w3id.org/normgraph/id/norm/gge2015-13f")
        );
        assert_eq!(expand("nope:x"), None);
        // A local part with a slash is not compacted with `id:` but with the kind prefix.
        assert_eq!(
            compact("https://w3id.org/normgraph/id/norm/gge2015-13f").as_deref(),
            Some("norm:gge2015-13f")
        );
        assert_eq!(compact("http://example.org/x"), None);
    }
}
