//! JSON-LD: the project's context (`context`), and compaction of a graph with it (`compact_jsonld`,
//! `write_jsonld`), reusing well-known terms and prefixes.

use super::*;

/// Extra terms of the context for the reused vocabularies: (term, IRI, is the value an IRI?).
pub(super) const REUSED_TERMS: &[(&str, &str, bool)] = &[
    ("label", "http://www.w3.org/2000/01/rdf-schema#label", false),
    (
        "comment",
        "http://www.w3.org/2000/01/rdf-schema#comment",
        false,
    ),
    (
        "prefLabel",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        false,
    ),
    ("title", "http://purl.org/dc/terms/title", false),
    ("identifier", "http://purl.org/dc/terms/identifier", false),
    ("description", "http://purl.org/dc/terms/description", false),
    ("page", "http://xmlns.com/foaf/0.1/page", true),
    ("sameAs", "http://www.w3.org/2002/07/owl#sameAs", true),
    (
        "primarySource",
        "http://www.w3.org/ns/prov#hadPrimarySource",
        true,
    ),
    ("member", "http://www.w3.org/ns/org#member", true),
    (
        "organization",
        "http://www.w3.org/ns/org#organization",
        true,
    ),
    ("memberOf", "http://www.w3.org/ns/org#memberOf", true),
    (
        "subOrganizationOf",
        "http://www.w3.org/ns/org#subOrganizationOf",
        true,
    ),
];

/// The JSON-LD context name of a prefix: the prefix itself, unless a term of the context has that
/// name (`status`, `theme`, `track` are properties), then its plural (`statuses:ratified`).
pub(super) fn jsonld_prefix_name(prefix: &str, terms: &BTreeSet<String>) -> String {
    if terms.contains(prefix) {
        if prefix.ends_with('s') {
            format!("{prefix}es")
        } else {
            format!("{prefix}s")
        }
    } else {
        prefix.to_owned()
    }
}

/// The project's JSON-LD context (published as `ontology/context.jsonld`), built from the
/// ontology in `kg`: a term for every `ng:` class and property (local name), `@type: @id` for
/// object properties, `@type` set to the declared range for date and date-time properties, the
/// reused terms (`rdfs:label` as `label`, `prov:hadPrimarySource` as `primarySource`...), every prefix of [`vocab::PREFIXES`] (renamed when a term has
/// its name) and `@language: en` as the default language.
pub fn context(kg: &KnowledgeGraph) -> Result<Value> {
    let store = kg.store();
    let owl_class = NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#Class");
    let object_property =
        NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#ObjectProperty");
    let datatype_property =
        NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#DatatypeProperty");
    let mut defs: BTreeMap<String, Value> = BTreeMap::new();
    for (kind, coerce) in [
        (owl_class, None),
        (object_property, Some("@id")),
        (datatype_property, Some("")),
    ] {
        for q in store.quads_for_pattern(None, Some(rdf::TYPE), Some(kind.into()), None) {
            let q = q?;
            let NamedOrBlankNode::NamedNode(n) = q.subject else {
                continue;
            };
            let Some(local) = n.as_str().strip_prefix(ng::NS) else {
                continue;
            };
            let curie = format!("ng:{local}");
            let def = match coerce {
                None => Value::String(curie),
                Some("@id") => serde_json::json!({"@id": curie, "@type": "@id"}),
                Some(_) => {
                    let range = store
                        .quads_for_pattern(Some(n.as_ref().into()), Some(rdfs::RANGE), None, None)
                        .filter_map(|q| q.ok())
                        .find_map(|q| match q.object {
                            Term::NamedNode(r) => Some(r),
                            _ => None,
                        });
                    match range {
                        Some(r) if r == xsd::DATE || r == xsd::DATE_TIME => {
                            let short =
                                vocab::compact(r.as_str()).unwrap_or_else(|| r.as_str().to_owned());
                            serde_json::json!({"@id": curie, "@type": short})
                        }
                        // Codes and locators are plain strings, not English text.
                        Some(r) if r == xsd::STRING => {
                            serde_json::json!({"@id": curie, "@language": null})
                        }
                        _ => Value::String(curie),
                    }
                }
            };
            defs.insert(local.to_owned(), def);
        }
    }
    for (term, iri, is_iri) in REUSED_TERMS {
        let curie = vocab::compact(iri).unwrap_or_else(|| (*iri).to_owned());
        let def = if *is_iri {
            serde_json::json!({"@id": curie, "@type": "@id"})
        } else {
            Value::String(curie)
        };
        defs.entry((*term).to_owned()).or_insert(def);
    }
    let names: BTreeSet<String> = defs.keys().cloned().collect();
    let mut ctx = Map::new();
    ctx.insert("@version".into(), serde_json::json!(1.1));
    ctx.insert("@language".into(), "en".into());
    for (p, ns) in vocab::PREFIXES {
        ctx.insert(jsonld_prefix_name(p, &names), Value::String((*ns).into()));
    }
    for (k, v) in defs {
        ctx.insert(k, v);
    }
    let mut doc = Map::new();
    doc.insert("@context".into(), Value::Object(ctx));
    Ok(Value::Object(doc))
}

/// How a context term maps back: its IRI and its type coercion.
#[derive(Debug, Clone)]
pub(super) struct TermDef {
    name: String,
    /// `Some("@id")`, `Some(datatype IRI)` or `None`.
    coerce: Option<String>,
    /// The term's own default language (`Some(None)`: `"@language": null`), else the context's.
    language: Option<Option<String>>,
}

/// The compaction tables read from a context of the shape [`context`] builds.
pub(super) struct Compactor {
    /// Prefixes (name, namespace), longest namespace first.
    prefixes: Vec<(String, String)>,
    /// Term by IRI.
    terms: BTreeMap<String, TermDef>,
    /// Names of all terms and prefixes (a full IRI whose scheme is one of them must not be written
    /// as is).
    names: BTreeSet<String>,
    /// The default language.
    language: Option<String>,
}

impl Compactor {
    pub(super) fn new(ctx: &Value) -> Result<Self> {
        let bad = |m: &str| Error::Invalid(format!("JSON-LD context: {m}"));
        let map = ctx
            .get("@context")
            .and_then(Value::as_object)
            .ok_or_else(|| bad("no @context object"))?;
        let mut prefixes = Vec::new();
        let mut raw_terms = Vec::new();
        let mut language = None;
        let mut names = BTreeSet::new();
        for (k, v) in map {
            if k == "@language" {
                language = v.as_str().map(str::to_owned);
                continue;
            }
            if k.starts_with('@') {
                continue;
            }
            names.insert(k.clone());
            match v {
                Value::String(s) if s.ends_with('/') || s.ends_with('#') => {
                    prefixes.push((k.clone(), s.clone()))
                }
                Value::String(s) => raw_terms.push((k.clone(), s.clone(), None, None)),
                Value::Object(o) => {
                    let id = o
                        .get("@id")
                        .and_then(Value::as_str)
                        .ok_or_else(|| bad(&format!("term {k} has no @id")))?;
                    let coerce = o.get("@type").and_then(Value::as_str).map(str::to_owned);
                    let language = o.get("@language").map(|l| l.as_str().map(str::to_owned));
                    raw_terms.push((k.clone(), id.to_owned(), coerce, language));
                }
                _ => return Err(bad(&format!("term {k} is neither a string nor an object"))),
            }
        }
        prefixes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        let mut c = Compactor {
            prefixes,
            terms: BTreeMap::new(),
            names,
            language,
        };
        for (name, id, coerce, language) in raw_terms {
            let iri = c.expand(&id);
            let coerce = coerce.map(|t| if t == "@id" { t } else { c.expand(&t) });
            c.terms.entry(iri).or_insert(TermDef {
                name,
                coerce,
                language,
            });
        }
        Ok(c)
    }

    pub(super) fn expand(&self, curie: &str) -> String {
        if let Some((p, local)) = curie.split_once(':') {
            if let Some((_, ns)) = self.prefixes.iter().find(|(n, _)| n == p) {
                return format!("{ns}{local}");
            }
        }
        curie.to_owned()
    }

    /// An IRI as a compact IRI (`prefix:local`, the longest namespace) or as is. A compact IRI is
    /// only used when its local part cannot be mistaken for an IRI (`//` after the colon).
    pub(super) fn compact_iri(&self, iri: &str) -> Result<String> {
        for (p, ns) in &self.prefixes {
            if let Some(local) = iri.strip_prefix(ns.as_str()) {
                if !local.starts_with("//") {
                    return Ok(format!("{p}:{local}"));
                }
            }
        }
        if let Some((scheme, _)) = iri.split_once(':') {
            if self.names.contains(scheme) || scheme == "_" {
                return Err(Error::output(format!(
                    "<{iri}>: its scheme is a term of the JSON-LD context, it cannot be written compacted"
                )));
            }
        }
        Ok(iri.to_owned())
    }

    /// A key or `@type` value: a term when one maps the IRI (and `fits`), else a compact IRI.
    pub(super) fn compact_vocab(&self, iri: &str) -> Result<String> {
        match self.terms.get(iri) {
            Some(t) => Ok(t.name.clone()),
            None => self.compact_iri(iri),
        }
    }

    pub(super) fn node_id(&self, node: NamedOrBlankNodeRef<'_>) -> Result<String> {
        match node {
            NamedOrBlankNodeRef::NamedNode(n) => self.compact_iri(n.as_str()),
            NamedOrBlankNodeRef::BlankNode(b) => Ok(format!("_:{}", b.as_str())),
        }
    }

    /// The value of `object` under a term with coercion `coerce` (`None` when the term is not
    /// coerced); `Ok(None)` when the value does not fit the term and needs the plain IRI key.
    pub(super) fn value(
        &self,
        object: TermRef<'_>,
        coerce: Option<&str>,
        language: Option<&str>,
    ) -> Result<Option<Value>> {
        Ok(match (object, coerce) {
            (TermRef::NamedNode(n), Some("@id")) => Some(self.compact_iri(n.as_str())?.into()),
            (TermRef::BlankNode(b), Some("@id")) => Some(format!("_:{}", b.as_str()).into()),
            (TermRef::NamedNode(n), None) => {
                Some(serde_json::json!({"@id": self.compact_iri(n.as_str())?}))
            }
            (TermRef::BlankNode(b), None) => {
                Some(serde_json::json!({"@id": format!("_:{}", b.as_str())}))
            }
            (TermRef::Literal(l), Some(dt)) if dt != "@id" => (l.language().is_none()
                && l.datatype().as_str() == dt)
                .then(|| Value::String(l.value().to_owned())),
            (TermRef::Literal(l), None) => Some(self.literal(l, language)?),
            _ => None,
        })
    }

    /// A literal under a key whose default language is `language`.
    pub(super) fn literal(
        &self,
        l: oxigraph::model::LiteralRef<'_>,
        language: Option<&str>,
    ) -> Result<Value> {
        if let Some(lang) = l.language() {
            return Ok(if Some(lang) == language {
                Value::String(l.value().to_owned())
            } else {
                serde_json::json!({"@value": l.value(), "@language": lang})
            });
        }
        let dt = l.datatype();
        let v = l.value();
        if dt == xsd::STRING {
            return Ok(if language.is_some() {
                serde_json::json!({ "@value": v })
            } else {
                Value::String(v.to_owned())
            });
        }
        if dt == xsd::BOOLEAN && (v == "true" || v == "false") {
            return Ok(Value::Bool(v == "true"));
        }
        if dt == xsd::INTEGER {
            // Native numbers only for the canonical lexical form: `007` stays a typed string.
            if let Ok(n) = v.parse::<i64>() {
                if n.to_string() == v {
                    return Ok(Value::from(n));
                }
            }
        }
        Ok(serde_json::json!({"@value": v, "@type": self.compact_vocab(dt.as_str())?}))
    }
}

/// Writes triples as compacted JSON-LD: `{"@context": ..., "@graph": [node objects]}`.
///
/// The compaction is the JSON-LD 1.1 algorithm specialised to a flat graph (what `fromRdf` gives:
/// one node object per subject, sorted by subject, no embedding):
/// - `@id` values are compact IRIs (longest prefix of the context) or blank node labels;
/// - `rdf:type` IRIs go to `@type`, as class terms (`Endorsement`) or compact IRIs;
/// - a predicate is written with its term when the context has one and each value fits the
///   term's coercion (`@type: @id` takes IRIs and blank nodes as strings; a datatype takes
///   literals of exactly that datatype as strings); values that do not fit go under the compact IRI
///   of the predicate, as full value objects;
/// - literals: in the key's default language (the term's `@language`, else the context's) as
///   plain strings, other languages and `xsd:string` under a default language as value objects, canonical `xsd:integer` and `xsd:boolean` as JSON numbers and
///   booleans, anything else `{"@value", "@type"}`;
/// - one value is a scalar, several are an array, in the order of their N-Triples form.
///
/// The output expands back to the same graph: `tests/export.rs` parses it with Oxigraph's JSON-LD
/// parser and compares canonical forms.
pub fn write_jsonld(triples: &[Triple], ctx: &Value, out: &mut impl Write) -> Result<()> {
    let doc = compact_jsonld(triples, ctx)?;
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(Error::json_output)?;
    writeln!(out).map_err(io_err)?;
    Ok(())
}

/// The compacted JSON-LD document of `triples` (see [`write_jsonld`]).
pub fn compact_jsonld(triples: &[Triple], ctx: &Value) -> Result<Value> {
    let c = Compactor::new(ctx)?;
    // Subject -> key -> values, in the triples' (sorted) order.
    let mut nodes: BTreeMap<String, BTreeMap<String, Vec<Value>>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for t in triples {
        let id = c.node_id(t.subject.as_ref())?;
        let node = nodes.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            BTreeMap::new()
        });
        let (key, value) = if t.predicate == rdf::TYPE && !t.object.is_literal() {
            let v = match &t.object {
                Term::NamedNode(n) => c.compact_vocab(n.as_str())?,
                Term::BlankNode(b) => format!("_:{}", b.as_str()),
                #[allow(unreachable_patterns)]
                _ => continue,
            };
            ("@type".to_owned(), Value::String(v))
        } else {
            let term = c.terms.get(t.predicate.as_str());
            let fitted = match term {
                Some(def) => {
                    let language = match &def.language {
                        Some(l) => l.as_deref(),
                        None => c.language.as_deref(),
                    };
                    c.value(t.object.as_ref(), def.coerce.as_deref(), language)?
                        .map(|v| (def.name.clone(), v))
                }
                None => None,
            };
            match fitted {
                Some(kv) => kv,
                None => {
                    let key = c.compact_iri(t.predicate.as_str())?;
                    let value = c
                        .value(t.object.as_ref(), None, c.language.as_deref())?
                        .ok_or_else(|| Error::output(format!("cannot write {}", t.object)))?;
                    (key, value)
                }
            }
        };
        node.entry(key).or_default().push(value);
    }
    let mut graph = Vec::new();
    for id in order {
        let mut obj = Map::new();
        obj.insert("@id".into(), Value::String(id.clone()));
        if let Some(props) = nodes.remove(&id) {
            for (k, mut vs) in props {
                let v = if vs.len() == 1 {
                    vs.remove(0)
                } else {
                    Value::Array(vs)
                };
                obj.insert(k, v);
            }
        }
        graph.push(Value::Object(obj));
    }
    let mut doc = Map::new();
    doc.insert(
        "@context".into(),
        ctx.get("@context").cloned().unwrap_or(Value::Null),
    );
    doc.insert("@graph".into(), Value::Array(graph));
    Ok(Value::Object(doc))
}
