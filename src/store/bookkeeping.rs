//! Bookkeeping in the meta graph, written in the same commit as the data it describes: which file
//! is in which graph with its checksum, and whether the derived graph follows the data and rules.

use super::*;

/// Removes a file's graph and the graphs it declared inside it (TriG, N-Quads), and its meta record.
pub(super) fn drop_file_graph(
    tx: &mut Transaction<'_>,
    g: NamedNodeRef<'_>,
) -> Result<(), StorageError> {
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
pub(super) fn rules_checksum(rules: &[(String, String)]) -> String {
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
    format!("sha256:{}", crate::digest::hex(&h.finalize()))
}

pub(super) fn record_rules(tx: &mut Transaction<'_>, sum: &str) -> Result<(), StorageError> {
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
pub(super) fn write_file_record(
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
pub(super) fn sha256_file(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = std::io::Read::read(&mut file, &mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(format!("sha256:{}", crate::digest::hex(&h.finalize())))
}

/// A reader that hashes what passes through it.
pub(super) struct HashingReader<R> {
    pub(super) inner: R,
    pub(super) hasher: std::rc::Rc<std::cell::RefCell<Sha256>>,
}

impl<R: std::io::Read> std::io::Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.borrow_mut().update(&buf[..n]);
        Ok(n)
    }
}
