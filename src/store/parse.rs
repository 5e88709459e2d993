//! Parsing files: every RDF format by extension, streamed or whole, with the checks that make a
//! hostile file a clear error (truncated RDF/XML, entity expansion, nesting depth, IRIs, huge terms).

use super::*;

pub(super) fn stream_file(
    path: &Path,
    graph: &NamedNode,
) -> Result<impl Iterator<Item = Result<Quad>>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    stream_reader(path, file, graph)
}

/// Parses a file as a stream of quads, blank nodes renamed as [`parse_file`] does.
pub(super) fn stream_reader<R: std::io::Read>(
    path: &Path,
    reader: R,
    graph: &NamedNode,
) -> Result<impl Iterator<Item = Result<Quad>>> {
    let format = format_for_path(path).ok_or_else(|| Error::UnknownFormat {
        path: path.to_path_buf(),
    })?;
    let base = file_iri(path);
    let parser = RdfParser::from_format(format)
        .with_base_iri(base)
        .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?
        .with_default_graph(graph.clone());
    let mut renamer = BlankRenamer::new(graph);
    let path = path.to_path_buf();
    Ok(parser
        .for_reader(std::io::BufReader::with_capacity(1 << 20, reader))
        .map(move |q| match q {
            Ok(q) => check_iris(&path, &q).map(|()| renamer.rename(q)),
            Err(e) => Err(match e {
                oxigraph::io::RdfParseError::Syntax(e) => parse_error(&path, e),
                // The streaming parsers hold at most 16 MiB of one token (a huge literal).
                oxigraph::io::RdfParseError::Io(e) if e.to_string().contains("buffer maximal size") => {
                    Error::Invalid(format!(
                        "{}: {TERM_TOO_LONG}; load it without --bulk (it is then read whole into memory)",
                        path.display()
                    ))
                }
                oxigraph::io::RdfParseError::Io(e) => Error::io(&path, e),
            }),
        }))
}

/// Part of the error for a term the streaming (bulk) parser cannot hold.
pub(super) const TERM_TOO_LONG: &str =
    "a single RDF term is longer than the 16 MiB the streaming (bulk) parser holds";

/// Refuses an IRI holding a control character or a space (not allowed in IRIs, RFC 3987; some
/// parsers let a NUL byte through in Turtle and TriG).
pub(super) fn check_iris(path: &Path, q: &Quad) -> Result<()> {
    let mut iris = vec![q.predicate.as_str()];
    if let NamedOrBlankNode::NamedNode(n) = &q.subject {
        iris.push(n.as_str());
    }
    if let Term::NamedNode(n) = &q.object {
        iris.push(n.as_str());
    }
    if let GraphName::NamedNode(n) = &q.graph_name {
        iris.push(n.as_str());
    }
    for iri in iris {
        if let Some(c) = iri.chars().find(|c| c.is_control() || *c == ' ') {
            return Err(Error::Parse {
                path: path.to_path_buf(),
                line: 0,
                column: 0,
                message: format!(
                    "IRI {iri:?} holds the character U+{:04X}, which IRIs may not contain",
                    u32::from(c)
                ),
            });
        }
    }
    Ok(())
}

/// Renames blank nodes `b{graph hash}x{n}` in order of first appearance (see [`parse_file`]).
pub(super) struct BlankRenamer {
    pub(super) prefix: String,
    pub(super) names:
        std::collections::HashMap<oxigraph::model::BlankNode, oxigraph::model::BlankNode>,
}

impl BlankRenamer {
    pub(super) fn new(graph: &NamedNode) -> Self {
        Self {
            prefix: crate::digest::sha256_hex(graph.as_str().as_bytes())
                .chars()
                .take(12)
                .collect(),
            names: std::collections::HashMap::new(),
        }
    }

    pub(super) fn node(&mut self, b: oxigraph::model::BlankNode) -> oxigraph::model::BlankNode {
        let next = self.names.len();
        let prefix = &self.prefix;
        self.names
            .entry(b)
            .or_insert_with(|| {
                oxigraph::model::BlankNode::new_unchecked(format!("b{prefix}x{next}"))
            })
            .clone()
    }

    pub(super) fn rename(&mut self, mut q: Quad) -> Quad {
        if let NamedOrBlankNode::BlankNode(b) = q.subject {
            q.subject = self.node(b).into();
        }
        if let Term::BlankNode(b) = q.object {
            q.object = self.node(b).into();
        }
        if let GraphName::BlankNode(b) = q.graph_name {
            q.graph_name = self.node(b).into();
        }
        q
    }
}

/// The RDF format named by a file's extension.
pub fn format_for_path(path: &Path) -> Option<RdfFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "ttl" | "turtle" => RdfFormat::Turtle,
        "trig" => RdfFormat::TriG,
        "nt" => RdfFormat::NTriples,
        "nq" => RdfFormat::NQuads,
        "rdf" | "owl" | "xml" => RdfFormat::RdfXml,
        "jsonld" | "json" => RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        },
        _ => return None,
    })
}

/// Parses one file; triples go into `graph`, named graphs of quad formats keep their names.
///
/// Blank nodes are renamed deterministically, `{graph hash}x{n}` in order of first appearance, so
/// that two files never share a blank node and the same file always gives the same labels (dumps
/// are then reproducible byte for byte across loads and machines).
pub fn parse_file(path: &Path, bytes: &[u8], graph: &NamedNode) -> Result<Vec<Quad>> {
    let format = format_for_path(path).ok_or_else(|| Error::UnknownFormat {
        path: path.to_path_buf(),
    })?;
    let base = file_iri(path);
    parse_bytes(path, format, &base, bytes, graph)
}

/// Parses `bytes` in `format` with `base` as base IRI; errors name `name` (a path or URL).
pub fn parse_bytes(
    name: &Path,
    format: RdfFormat,
    base: &str,
    bytes: &[u8],
    graph: &NamedNode,
) -> Result<Vec<Quad>> {
    let path = name;
    if format == RdfFormat::RdfXml {
        check_xml_entities(path, bytes)?;
    }
    let parser = RdfParser::from_format(format)
        .with_base_iri(base)
        .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?
        .with_default_graph(graph.clone());
    let mut renamer = BlankRenamer::new(graph);
    let mut quads = Vec::new();
    for q in parser.for_slice(bytes) {
        let q = q.map_err(|e| parse_error(path, e))?;
        check_iris(path, &q)?;
        quads.push(renamer.rename(q));
    }
    if format == RdfFormat::RdfXml {
        check_xml_closed(path, bytes, bytes)?;
    }
    Ok(quads)
}

/// The RDF/XML parser stops quietly at the end of input, so a file cut after some complete
/// elements would load part of its triples: the document must end by closing its root element.
/// `head` and `tail` are the file's first and last bytes (64 KiB of each suffice).
pub(super) fn check_xml_closed(path: &Path, head: &[u8], tail: &[u8]) -> Result<()> {
    let text = String::from_utf8_lossy(head);
    let mut rest = text.as_ref();
    let root = loop {
        let Some(i) = rest.find('<') else {
            break None;
        };
        rest = &rest[i + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
        let tag_end = rest.find('>').unwrap_or(rest.len());
        break Some((name, rest[..tag_end].ends_with('/')));
    };
    let Some((name, self_closing)) = root else {
        return Ok(()); // no element at all: the parser has already said what it found
    };
    if self_closing {
        return Ok(());
    }
    let tail_text = String::from_utf8_lossy(tail);
    let mut end = tail_text.trim_end();
    while end.ends_with("-->") {
        match end.rfind("<!--") {
            Some(i) => end = end[..i].trim_end(),
            None => break,
        }
    }
    let closed = end
        .strip_suffix('>')
        .map(str::trim_end)
        .and_then(|e| e.strip_suffix(name.as_str()))
        .is_some_and(|e| e.ends_with("</"));
    if closed {
        return Ok(());
    }
    let line = tail_text.lines().count().max(1) as u64;
    Err(Error::Parse {
        path: path.to_path_buf(),
        line: if std::ptr::eq(head, tail) { line } else { 0 },
        column: 0,
        message: format!(
            "unexpected end of file: the root element <{name}> is never closed (a truncated RDF/XML file?)"
        ),
    })
}

/// Largest total text that entity references of an RDF/XML document may expand to.
pub(super) const MAX_ENTITY_EXPANSION: u64 = 16 << 20;

/// Refuses RDF/XML whose DTD entities would expand beyond [`MAX_ENTITY_EXPANSION`] (a "billion
/// laughs" file nests entities; a quadratic blow-up repeats a large one): the parser expands
/// them in memory. Each entity's expanded size is computed through its references (a cycle or
/// more than 16 levels is refused), then multiplied by the references in the document.
pub(crate) fn check_xml_entities(path: &Path, bytes: &[u8]) -> Result<()> {
    check_xml_depth(path, bytes)?;
    let text = String::from_utf8_lossy(bytes);
    let Some(start) = text.find("<!ENTITY") else {
        return Ok(());
    };
    let refuse = |message: String| Error::Parse {
        path: path.to_path_buf(),
        line: 0,
        column: 0,
        message,
    };
    // <!ENTITY name "value"> or 'value'; parameter entities (%) and external ones (SYSTEM/PUBLIC)
    // are refused outright.
    let mut entities: BTreeMap<String, String> = BTreeMap::new();
    let mut rest = &text[start..];
    while let Some(i) = rest.find("<!ENTITY") {
        rest = rest[i + 8..].trim_start();
        if rest.starts_with('%') {
            return Err(refuse(
                "parameter entities are not accepted in RDF/XML".into(),
            ));
        }
        let name: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
        rest = rest[name.len()..].trim_start();
        let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            return Err(refuse(format!(
                "entity {name}: external entities (SYSTEM/PUBLIC) are not accepted"
            )));
        };
        let Some(end) = rest[1..].find(q) else {
            break;
        };
        entities.insert(name, rest[1..1 + end].to_owned());
        rest = &rest[1 + end..];
    }
    fn size(
        name: &str,
        entities: &BTreeMap<String, String>,
        depth: usize,
        memo: &mut BTreeMap<String, u64>,
    ) -> std::result::Result<u64, String> {
        if let Some(n) = memo.get(name) {
            return Ok(*n);
        }
        if depth > 16 {
            return Err(format!(
                "entity {name} nests more than 16 levels (or refers to itself)"
            ));
        }
        let Some(value) = entities.get(name) else {
            return Ok(name.len() as u64 + 2);
        };
        let mut total = 0u64;
        let mut v = value.as_str();
        while let Some(i) = v.find('&') {
            total += i as u64;
            v = &v[i + 1..];
            match v.find(';') {
                Some(j) => {
                    total = total.saturating_add(size(&v[..j], entities, depth + 1, memo)?);
                    v = &v[j + 1..];
                }
                None => break,
            }
        }
        total += v.len() as u64;
        memo.insert(name.to_owned(), total);
        Ok(total)
    }
    let mut memo = BTreeMap::new();
    let body = text.rfind("]>").map_or(text.as_ref(), |i| &text[i..]);
    let mut expanded = 0u64;
    for name in entities.keys() {
        let refs = body.matches(&format!("&{name};")).count() as u64;
        if refs == 0 {
            continue;
        }
        let each = size(name, &entities, 0, &mut memo).map_err(refuse)?;
        expanded = expanded.saturating_add(refs.saturating_mul(each));
    }
    if expanded > MAX_ENTITY_EXPANSION {
        return Err(refuse(format!(
            "XML entities would expand to {expanded} bytes (limit {MAX_ENTITY_EXPANSION}): refused"
        )));
    }
    Ok(())
}

/// `check_xml_closed` on a file: its first and last 64 KiB.
/// Deepest element nesting accepted in RDF/XML. The RDF/XML parser's time grows with the square
/// of the depth (64k levels: 17 s, 200k: over 300 s); real documents stay under a few dozen.
pub const MAX_XML_DEPTH: usize = 4096;

/// Refuses RDF/XML nested deeper than [`MAX_XML_DEPTH`], in one linear pass.
pub(super) fn check_xml_depth(path: &Path, bytes: &[u8]) -> Result<()> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(_)) => {
                depth += 1;
                if depth > MAX_XML_DEPTH {
                    let offset = reader.buffer_position();
                    let line = bytes[..(offset as usize).min(bytes.len())]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count()
                        + 1;
                    return Err(Error::Parse {
                        path: path.to_path_buf(),
                        line: line as u64,
                        column: 0,
                        message: format!(
                            "elements nested deeper than {MAX_XML_DEPTH} levels (not accepted in RDF/XML)"
                        ),
                    });
                }
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            // Malformed XML is the RDF/XML parser's to report, with its position.
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
        buf.clear();
    }
}

pub(super) fn check_xml_file_closed(path: &Path) -> Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let len = f.metadata().map_err(|e| Error::io(path, e))?.len();
    let mut head = vec![0; len.min(65_536) as usize];
    f.read_exact(&mut head).map_err(|e| Error::io(path, e))?;
    let mut tail = vec![0; len.min(65_536) as usize];
    f.seek(SeekFrom::Start(len - tail.len() as u64))
        .map_err(|e| Error::io(path, e))?;
    f.read_exact(&mut tail).map_err(|e| Error::io(path, e))?;
    check_xml_closed(path, &head, &tail)
}

pub(super) fn parse_error(path: &Path, e: RdfSyntaxError) -> Error {
    let (line, column) = match e.location() {
        Some(r) => (r.start.line + 1, r.start.column + 1),
        None => (0, 0),
    };
    let text = e.to_string();
    // Oxigraph's message repeats the position ("Parser error at line 3 column 5: ..."): keep the cause.
    let message = match text.strip_prefix("Parser error at ") {
        Some(rest) => rest
            .split_once(": ")
            .map_or(text.clone(), |(_, m)| m.to_owned()),
        None => text,
    };
    Error::Parse {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}
