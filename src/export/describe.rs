//! Concise bounded descriptions of single resources (`normgraph describe`, the linked-data pages).

use super::*;

/// The concise bounded description of `resource` over every graph but the meta graph (inferred
/// facts included): its triples, recursively those of the blank nodes they reach, plus the
/// `rdfs:label` of every IRI it links to. Sorted; empty when the store says nothing about it.
pub fn describe(kg: &KnowledgeGraph, resource: &NamedNode) -> Result<Vec<Triple>> {
    let store = kg.store();
    let mut out = BTreeSet::new();
    let mut todo: Vec<NamedOrBlankNode> = vec![resource.clone().into()];
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut linked: BTreeSet<NamedNode> = BTreeSet::new();
    while let Some(s) = todo.pop() {
        if !seen.insert(s.to_string()) {
            continue;
        }
        for q in store.quads_for_pattern(Some(s.as_ref()), None, None, None) {
            let q = q?;
            if matches!(&q.graph_name, GraphName::NamedNode(g) if g.as_str() == graph::META) {
                continue;
            }
            match &q.object {
                Term::BlankNode(b) => todo.push(b.clone().into()),
                Term::NamedNode(n) if q.predicate != rdf::TYPE => {
                    linked.insert(n.clone());
                }
                _ => {}
            }
            out.insert(SortedTriple::from(Triple::from(q)));
        }
    }
    for n in linked {
        for q in store.quads_for_pattern(Some(n.as_ref().into()), Some(rdfs::LABEL), None, None) {
            let q = q?;
            if !matches!(&q.graph_name, GraphName::NamedNode(g) if g.as_str() == graph::META) {
                out.insert(SortedTriple::from(Triple::from(q)));
            }
        }
    }
    Ok(out.into_iter().map(|t| t.triple).collect())
}

/// Writes a description (or any triples) in a triple format; JSON-LD is compacted with `kg`'s
/// context.
pub fn write_description(
    kg: &KnowledgeGraph,
    triples: &[Triple],
    format: ExportFormat,
    out: &mut impl Write,
) -> Result<()> {
    match format {
        ExportFormat::JsonLd => write_jsonld(triples, &context(kg)?, out),
        ExportFormat::NTriples => {
            for t in triples {
                writeln!(out, "{t} .").map_err(io_err)?;
            }
            Ok(())
        }
        _ => write_triples(triples, format, out),
    }
}
