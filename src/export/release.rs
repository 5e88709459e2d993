//! A release folder: every dump, the CSV tables, the context, `void.ttl` (VoID + DCAT, with a
//! subset per data file) and `SHA256SUMS`.

use super::*;

/// One file of a release.
#[derive(Debug, Clone)]
pub struct ReleaseFile {
    /// File name in the release folder.
    pub name: String,
    /// Media type.
    pub media_type: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Lowercase hex SHA-256.
    pub sha256: String,
}

/// What [`release`] wrote.
#[derive(Debug, Clone)]
pub struct Release {
    /// The folder.
    pub dir: PathBuf,
    /// Every file (dumps, tables, context, void.ttl), in `SHA256SUMS` order.
    pub files: Vec<ReleaseFile>,
    /// The canonical dump's SHA-256.
    pub canonical_sha256: String,
    /// Triples in the union of the exported graphs.
    pub triples: usize,
    /// The ontology's `owl:versionInfo`.
    pub version: String,
}

/// The dataset's IRI in VoID.
pub const DATASET: &str = "https://w3id.org/normgraph/dataset";

/// The ontology's `owl:versionInfo` ("unversioned" when absent).
pub fn version(kg: &KnowledgeGraph) -> Result<String> {
    let onto = NamedNodeRef::new_unchecked(ng::ONTOLOGY);
    let info = NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#versionInfo");
    for q in kg
        .store()
        .quads_for_pattern(Some(onto.into()), Some(info), None, None)
    {
        if let Term::Literal(l) = q?.object {
            return Ok(l.value().to_owned());
        }
    }
    Ok("unversioned".to_owned())
}

pub(super) fn write_file(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    media_type: &str,
) -> Result<ReleaseFile> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    Ok(ReleaseFile {
        name: name.to_owned(),
        media_type: media_type.to_owned(),
        bytes: bytes.len() as u64,
        sha256: crate::digest::sha256_hex(bytes),
    })
}

/// Writes a release into `dir` (created if needed): `normgraph.{ttl,nt,nq,trig,rdf,jsonld}`,
/// `normgraph.canonical.nq`, `endorsements.csv`, `norms.csv`, `actors.csv`, `context.jsonld`,
/// `void.ttl` (VoID + DCAT: title, version, licence, counts, class partitions, example
/// resources, sources, the SPARQL endpoint `endpoint`, and one `dcat:Distribution` per file with
/// media type, byte size and SHA-256) and `SHA256SUMS` over all of them (`sha256sum -c` format).
pub fn release(
    kg: &KnowledgeGraph,
    selection: &Selection,
    dir: &Path,
    endpoint: &str,
) -> Result<Release> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    // The union of the selected graphs and the JSON-LD context, read once for the triple
    // formats, the context file and the VoID counts.
    let triples = union_triples(kg, selection)?;
    let context = context(kg)?;
    let mut files = Vec::new();
    for format in ExportFormat::ALL {
        let mut buf = Vec::new();
        match format {
            ExportFormat::Csv => continue,
            ExportFormat::Turtle | ExportFormat::RdfXml => {
                write_triples(&triples, format, &mut buf)?
            }
            ExportFormat::JsonLd => write_jsonld(&triples, &context, &mut buf)?,
            _ => write(kg, selection, format, &mut buf)?,
        }
        files.push(write_file(
            dir,
            &format!("normgraph.{}", format.extension()),
            &buf,
            format.media_type(),
        )?);
    }
    let canon = canonical(kg, selection)?;
    files.push(write_file(
        dir,
        "normgraph.canonical.nq",
        canon.nquads.as_bytes(),
        "application/n-quads",
    )?);
    for table in Table::ALL {
        let mut buf = Vec::new();
        write_table(kg, table, &mut buf)?;
        files.push(write_file(
            dir,
            &format!("{}.csv", table.name()),
            &buf,
            "text/csv",
        )?);
    }
    let ctx = serde_json::to_vec_pretty(&context).map_err(Error::output)?;
    files.push(write_file(
        dir,
        "context.jsonld",
        &ctx,
        "application/ld+json",
    )?);
    let version = version(kg)?;
    let void = void_description(kg, &triples, &files, &version, endpoint)?;
    let mut buf = Vec::new();
    write_triples(&void, ExportFormat::Turtle, &mut buf)?;
    files.push(write_file(dir, "void.ttl", &buf, "text/turtle")?);
    let mut sums = String::new();
    for f in &files {
        // Two spaces: `sha256sum`'s text mode line.
        let _ = writeln!(sums, "{}  {}", f.sha256, f.name);
    }
    let path = dir.join("SHA256SUMS");
    std::fs::write(&path, sums).map_err(|e| Error::io(&path, e))?;
    Ok(Release {
        dir: dir.to_path_buf(),
        files,
        canonical_sha256: canon.sha256,
        triples: triples.len(),
        version,
    })
}

/// The VoID + DCAT description of a release.
/// The VoID subsets of a dataset `parent`: one per data file the data describes as a
/// `void:Dataset` keyed by its graph (`data/datasets.ttl`: what the file covers, as of when, from
/// which sources), with those descriptions and the triples its graph holds now. Both VoID
/// descriptions (the release's `void.ttl`, the server's `/void`) carry them.
pub fn file_subsets(kg: &KnowledgeGraph, parent: &NamedNode) -> Result<Vec<Triple>> {
    use crate::vocab::ns::VOID;
    let text = format!(
        "SELECT ?d ?p ?o WHERE {{ ?d a <{VOID}Dataset> ; ?p ?o . FILTER(STRSTARTS(STR(?d), \"{}\")) }} ORDER BY ?d ?p ?o",
        crate::vocab::graph::NS
    );
    let q = crate::query::NamedQuery::from_text("void-subsets".into(), "void-subsets".into(), text);
    let crate::query::Answer::Solutions { rows, .. } = crate::query::run(kg, &q, &[])? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for row in rows {
        let (Some(Term::NamedNode(d)), Some(Term::NamedNode(p)), Some(o)) =
            (&row[0], &row[1], &row[2])
        else {
            continue;
        };
        if seen.insert(d.clone()) {
            out.push(Triple::new(
                parent.clone(),
                NamedNode::new_unchecked(format!("{VOID}subset")),
                d.clone(),
            ));
            let n = kg
                .store()
                .quads_for_pattern(None, None, None, Some(d.as_ref().into()))
                .count();
            out.push(Triple::new(
                d.clone(),
                NamedNode::new_unchecked(format!("{VOID}triples")),
                Literal::new_typed_literal(n.to_string(), xsd::INTEGER),
            ));
        }
        out.push(Triple::new(d.clone(), p.clone(), o.clone()));
    }
    Ok(out)
}

pub(super) fn void_description(
    kg: &KnowledgeGraph,
    triples: &[Triple],
    files: &[ReleaseFile],
    version: &str,
    endpoint: &str,
) -> Result<Vec<Triple>> {
    use crate::vocab::ns::DCAT;
    use crate::vocab::ns::DCTERMS as DCT;
    use crate::vocab::ns::SPDX;
    use crate::vocab::ns::VOID;
    let iri = |s: String| NamedNode::new_unchecked(s);
    let term = |ns: &str, local: &str| NamedNode::new_unchecked(format!("{ns}{local}"));
    let endpoint = NamedNode::new(endpoint)
        .map_err(|e| Error::Invalid(format!("SPARQL endpoint {endpoint:?}: {e}")))?;
    let ds = iri(format!("{DATASET}/{version}"));
    let mut out = file_subsets(kg, &ds)?;
    let mut add = |s: &NamedNode, p: NamedNode, o: Term| {
        out.push(Triple::new(s.clone(), p, o));
    };
    let nonneg = |n: usize| -> Term {
        Literal::new_typed_literal(n.to_string(), xsd::NON_NEGATIVE_INTEGER).into()
    };
    let integer =
        |n: usize| -> Term { Literal::new_typed_literal(n.to_string(), xsd::INTEGER).into() };
    add(&ds, rdf::TYPE.into_owned(), term(VOID, "Dataset").into());
    add(&ds, rdf::TYPE.into_owned(), term(DCAT, "Dataset").into());
    add(
        &ds,
        term(DCT, "title"),
        Literal::new_language_tagged_literal_unchecked(
            "normgraph: international cyber norms",
            "en",
        )
        .into(),
    );
    add(
        &ds,
        term(DCT, "description"),
        Literal::new_language_tagged_literal_unchecked(
            "Who backs which international cyber norm, since when, how firmly, and on what evidence: norms, the instruments that carry them, the actors who endorse or oppose them, and a source for every claim.",
            "en",
        )
        .into(),
    );
    add(
        &ds,
        term(DCAT, "version"),
        Literal::new_simple_literal(version).into(),
    );
    add(
        &ds,
        NamedNode::new_unchecked("http://www.w3.org/2002/07/owl#versionInfo"),
        Literal::new_simple_literal(version).into(),
    );
    add(
        &ds,
        term(DCT, "license"),
        iri("https://creativecommons.org/licenses/by/4.0/".into()).into(),
    );
    add(&ds, term(VOID, "sparqlEndpoint"), endpoint.into());
    add(
        &ds,
        term(VOID, "uriSpace"),
        Literal::new_simple_literal(vocab::ID_NS).into(),
    );
    add(&ds, term(VOID, "vocabulary"), iri(ng::NS.to_owned()).into());
    add(&ds, term(VOID, "triples"), integer(triples.len()));
    // Entities: IRI subjects in the instance space; classes: asserted and inferred types.
    let mut entities = BTreeSet::new();
    let mut subjects = BTreeSet::new();
    let mut per_class: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in triples {
        subjects.insert(t.subject.to_string());
        if let NamedOrBlankNode::NamedNode(s) = &t.subject {
            if s.as_str().starts_with(vocab::ID_NS) {
                entities.insert(s.as_str().to_owned());
            }
        }
        if t.predicate == rdf::TYPE {
            if let Term::NamedNode(c) = &t.object {
                per_class
                    .entry(c.as_str().to_owned())
                    .or_default()
                    .insert(t.subject.to_string());
            }
        }
    }
    add(&ds, term(VOID, "entities"), integer(entities.len()));
    add(&ds, term(VOID, "distinctSubjects"), integer(subjects.len()));
    for (i, (class, members)) in per_class.iter().enumerate() {
        let part = iri(format!("{DATASET}/{version}/class/{i}"));
        add(&ds, term(VOID, "classPartition"), part.clone().into());
        add(&part, term(VOID, "class"), iri(class.clone()).into());
        add(&part, term(VOID, "entities"), integer(members.len()));
    }
    for example in [
        "norm/gge2015-13f",
        "state/CHN",
        "state/USA",
        "instrument/a-70-174",
        "instrument/ets-185",
    ] {
        let n = iri(format!("{}{example}", vocab::ID_NS));
        if kg
            .store()
            .quads_for_pattern(Some(n.as_ref().into()), None, None, None)
            .next()
            .is_some()
        {
            add(&ds, term(VOID, "exampleResource"), n.into());
        }
    }
    let sources = Lookup { kg }.instances(&format!("{}Source", ng::NS))?;
    for s in &sources {
        add(&ds, term(DCT, "source"), s.clone().into());
    }
    add(
        &ds,
        rdfs::COMMENT.into_owned(),
        Literal::new_language_tagged_literal_unchecked(
            format!(
                "{} sources (ng:Source) are cited as evidence; {} triples in {} files.",
                sources.len(),
                triples.len(),
                files.len()
            ),
            "en",
        )
        .into(),
    );
    for f in files {
        let dist = iri(format!("{DATASET}/{version}/{}", f.name));
        add(&ds, term(DCAT, "distribution"), dist.clone().into());
        add(
            &dist,
            rdf::TYPE.into_owned(),
            term(DCAT, "Distribution").into(),
        );
        add(
            &dist,
            term(DCT, "title"),
            Literal::new_simple_literal(&f.name).into(),
        );
        add(&dist, term(DCAT, "downloadURL"), dist.clone().into());
        add(
            &dist,
            term(DCAT, "mediaType"),
            iri(format!(
                "https://www.iana.org/assignments/media-types/{}",
                f.media_type
            ))
            .into(),
        );
        add(&dist, term(DCAT, "byteSize"), nonneg(f.bytes as usize));
        let sum = iri(format!("{DATASET}/{version}/{}#sha256", f.name));
        add(&dist, term(SPDX, "checksum"), sum.clone().into());
        add(&sum, rdf::TYPE.into_owned(), term(SPDX, "Checksum").into());
        add(
            &sum,
            term(SPDX, "algorithm"),
            term(SPDX, "checksumAlgorithm_sha256").into(),
        );
        add(
            &sum,
            term(SPDX, "checksumValue"),
            Literal::new_typed_literal(&f.sha256, xsd::HEX_BINARY).into(),
        );
    }
    let mut sorted: Vec<SortedTriple> = out.into_iter().map(SortedTriple::from).collect();
    sorted.sort();
    Ok(sorted.into_iter().map(|t| t.triple).collect())
}

/// The data release of the embedded bundle: the SHA-256 of the canonical (RDFC-1.0) N-Quads of its
/// data graphs (ontology and data files, each in its own graph), and the number of quads; what
/// `normgraph export --canonical` prints for a store built from the bundle. Computed once (a few
/// seconds) and kept beside the extracted bundle.
pub fn embedded_release() -> Result<(String, usize)> {
    let dir = crate::embedded::extracted()?;
    let cache = dir.join(".release");
    if let Ok(text) = std::fs::read_to_string(&cache) {
        if let Some((sha, n)) = text.trim().split_once(' ') {
            if let Ok(n) = n.parse() {
                return Ok((sha.to_owned(), n));
            }
        }
    }
    let bundle = crate::store::Bundle::new(&dir);
    let store = oxigraph::store::Store::new()?;
    for f in bundle.files()? {
        let bytes = std::fs::read(&f.path).map_err(|e| Error::io(&f.path, e))?;
        let quads = crate::store::parse_file(&f.path, &bytes, &f.graph)?;
        store.extend(quads)?;
    }
    let c = canonical_of(&crate::sophia::StoreDataset::new(&store))?;
    // Best effort: a read-only cache folder only costs the recomputation.
    let _ = std::fs::write(&cache, format!("{} {}\n", c.sha256, c.quads));
    Ok((c.sha256, c.quads))
}
