//! Reading shapes from a shapes graph.

use std::collections::{HashMap, HashSet};

use oxigraph::model::{GraphNameRef, Literal, NamedNode, NamedNodeRef, Term};
use oxigraph::sparql::Variable;
use oxigraph::store::Store;

use super::{sh, Graph, Path, RDFS_CLASS, RDF_TYPE};
use crate::error::{Error, Result};

/// A target declaration.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    Class(Term),
    Node(Term),
    SubjectsOf(NamedNode),
    ObjectsOf(NamedNode),
}

/// A SPARQL query of a shape: an `sh:sparql` constraint or a constraint component's validator.
#[derive(Debug, Clone)]
pub(crate) struct SparqlQuery {
    /// The query text, `$PATH` already replaced.
    pub text: String,
    /// Prefixes from `sh:prefixes`/`sh:declare`.
    pub prefixes: Vec<(String, String)>,
    /// `sh:message`s of the constraint or validator.
    pub messages: Vec<Literal>,
    /// True for `sh:ask` (validators only).
    pub ask: bool,
}

/// A constraint of a shape.
#[derive(Debug, Clone)]
pub(crate) enum Constraint {
    Class(Term),
    Datatype(NamedNode),
    NodeKind(NamedNode),
    MinCount(u64),
    MaxCount(u64),
    MinExclusive(Term),
    MinInclusive(Term),
    MaxExclusive(Term),
    MaxInclusive(Term),
    MinLength(u64),
    MaxLength(u64),
    Pattern(String, Option<String>),
    LanguageIn(Vec<String>),
    UniqueLang,
    Equals(NamedNode),
    Disjoint(NamedNode),
    LessThan(NamedNode),
    LessThanOrEquals(NamedNode),
    Not(Term),
    And(Vec<Term>),
    Or(Vec<Term>),
    Xone(Vec<Term>),
    Node(Term),
    Property(Term),
    Qualified {
        shape: Term,
        min: Option<u64>,
        max: Option<u64>,
        siblings: Vec<Term>,
    },
    Closed(HashSet<NamedNode>),
    HasValue(Term),
    In(Vec<Term>),
    /// `sh:sparql`: the constraint node and its query.
    Sparql(Term, SparqlQuery),
    /// A SPARQL-based constraint component: its IRI, validator and parameter bindings.
    Component(NamedNode, SparqlQuery, Vec<(Variable, Term)>),
}

impl Constraint {
    /// A short name for traces: the component, or the `sh:sparql` constraint node.
    pub(crate) fn name(&self) -> String {
        match self {
            Constraint::Sparql(node, _) => format!("sh:sparql {node}"),
            Constraint::Component(iri, _, _) => iri.to_string(),
            other => {
                let debug = format!("{other:?}");
                debug
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            }
        }
    }
}

/// A node or property shape.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    pub id: Term,
    pub path: Option<Path>,
    pub targets: Vec<Target>,
    pub deactivated: bool,
    pub severity: NamedNode,
    pub messages: Vec<Literal>,
    pub constraints: Vec<Constraint>,
}

/// A SPARQL-based constraint component definition.
struct ComponentDef {
    iri: NamedNode,
    /// (parameter path, optional).
    params: Vec<(NamedNode, bool)>,
    validator: Option<SparqlQuery>,
    node_validator: Option<SparqlQuery>,
    property_validator: Option<SparqlQuery>,
}

/// The shapes of a shapes graph, ready to validate data.
#[derive(Debug, Clone)]
pub struct Shapes {
    pub(crate) shapes: HashMap<Term, Shape>,
    /// Shapes with targets, in a stable order.
    pub(crate) targeted: Vec<Term>,
    /// The shapes graph's IRI (`$shapesGraph` in SPARQL constraints), when it is a named graph.
    pub(crate) shapes_graph: Option<NamedNode>,
}

impl Shapes {
    /// Reads the shapes of `graph` in `store` (`None`: the union of all its graphs).
    pub fn from_store(store: &Store, graph: Option<GraphNameRef<'_>>) -> Result<Self> {
        let g = Graph::new(store, graph);
        let components = read_components(&g)?;
        let mut todo: Vec<Term> = Vec::new();
        for class in ["NodeShape", "PropertyShape"] {
            todo.extend(g.subjects(RDF_TYPE, &sh(class).into())?);
        }
        for t in [
            "targetClass",
            "targetNode",
            "targetSubjectsOf",
            "targetObjectsOf",
        ] {
            for triple in g.matching(None, Some(sh(t).as_ref()), None)? {
                todo.push(triple.subject.into());
            }
        }
        let mut shapes = HashMap::new();
        let mut targeted = Vec::new();
        let mut order = Vec::new();
        while let Some(id) = todo.pop() {
            if shapes.contains_key(&id) {
                continue;
            }
            let shape = read_shape(&g, &id, &components, &mut todo)?;
            if !shape.targets.is_empty() {
                targeted.push(id.clone());
            }
            order.push(id.clone());
            shapes.insert(id, shape);
        }
        targeted.sort_by_key(|t| t.to_string());
        Ok(Self {
            shapes,
            targeted,
            shapes_graph: match graph {
                Some(GraphNameRef::NamedNode(n)) => Some(n.into_owned()),
                _ => None,
            },
        })
    }

    /// Sets the IRI bound to `$shapesGraph` in SPARQL constraints.
    pub fn with_shapes_graph(mut self, iri: NamedNode) -> Self {
        self.shapes_graph = Some(iri);
        self
    }

    /// How many shapes were read (node and property shapes, targeted or referenced).
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// True when no shape was read.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    pub(crate) fn targeted(&self) -> impl Iterator<Item = &Shape> {
        self.targeted.iter().filter_map(|id| self.shapes.get(id))
    }

    pub(crate) fn get(&self, id: &Term) -> Result<&Shape> {
        self.shapes
            .get(id)
            .ok_or_else(|| Error::Invalid(format!("{id} is not a shape")))
    }
}

fn integer(term: &Term, what: &str) -> Result<u64> {
    match term {
        Term::Literal(l) => l.value().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| Error::Invalid(format!("{what} {term} is not a non-negative integer")))
}

fn named(term: Term, what: &str) -> Result<NamedNode> {
    match term {
        Term::NamedNode(n) => Ok(n),
        t => Err(Error::Invalid(format!("{what} {t} is not an IRI"))),
    }
}

fn is_true(term: &Term) -> bool {
    // Only `true` counts: SHACL does not treat "1"^^xsd:boolean as activating a constraint.
    matches!(term, Term::Literal(l) if l.value() == "true")
}

/// Prefix declarations reachable from a query node's `sh:prefixes`.
fn read_prefixes(g: &Graph<'_>, node: &Term) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut ontologies = Vec::new();
    for start in g.objects(node, sh("prefixes").as_ref())? {
        // The declarations of the ontologies it imports count too.
        let imports = NamedNode::new_unchecked("http://www.w3.org/2002/07/owl#imports");
        for o in g.closure(&start, |g, o| g.objects(o, imports.as_ref()))? {
            if !ontologies.contains(&o) {
                ontologies.push(o);
            }
        }
    }
    for ontology in ontologies {
        for decl in g.objects(&ontology, sh("declare").as_ref())? {
            let prefix = g.object(&decl, sh("prefix").as_ref())?;
            let namespace = g.object(&decl, sh("namespace").as_ref())?;
            if let (Some(Term::Literal(p)), Some(ns)) = (prefix, namespace) {
                let ns = match ns {
                    Term::Literal(l) => l.value().to_owned(),
                    Term::NamedNode(n) => n.into_string(),
                    _ => continue,
                };
                out.push((p.value().to_owned(), ns));
            }
        }
    }
    Ok(out)
}

fn read_query(g: &Graph<'_>, node: &Term) -> Result<Option<SparqlQuery>> {
    let (text, ask) = if let Some(t) = g.object(node, sh("select").as_ref())? {
        (t, false)
    } else if let Some(t) = g.object(node, sh("ask").as_ref())? {
        (t, true)
    } else {
        return Ok(None);
    };
    let Term::Literal(text) = text else {
        return Err(Error::Invalid(format!(
            "{node}: the query is not a literal"
        )));
    };
    Ok(Some(SparqlQuery {
        text: text.value().to_owned(),
        prefixes: read_prefixes(g, node)?,
        messages: literals(g.objects(node, sh("message").as_ref())?),
        ask,
    }))
}

fn literals(terms: Vec<Term>) -> Vec<Literal> {
    terms
        .into_iter()
        .filter_map(|t| match t {
            Term::Literal(l) => Some(l),
            _ => None,
        })
        .collect()
}

fn read_components(g: &Graph<'_>) -> Result<Vec<ComponentDef>> {
    let mut iris = Vec::new();
    for p in ["validator", "nodeValidator", "propertyValidator"] {
        for t in g.matching(None, Some(sh(p).as_ref()), None)? {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = t.subject {
                if !iris.contains(&n) {
                    iris.push(n);
                }
            }
        }
    }
    let mut out = Vec::new();
    for iri in iris {
        let node: Term = iri.clone().into();
        let mut params = Vec::new();
        for param in g.objects(&node, sh("parameter").as_ref())? {
            let Some(Term::NamedNode(path)) = g.object(&param, sh("path").as_ref())? else {
                return Err(Error::Invalid(format!(
                    "{iri}: parameter without an IRI sh:path"
                )));
            };
            let optional = g
                .object(&param, sh("optional").as_ref())?
                .is_some_and(|t| is_true(&t));
            params.push((path, optional));
        }
        let validator = |p: &str| -> Result<Option<SparqlQuery>> {
            match g.object(&node, sh(p).as_ref())? {
                Some(v) => read_query(g, &v),
                None => Ok(None),
            }
        };
        out.push(ComponentDef {
            validator: validator("validator")?,
            node_validator: validator("nodeValidator")?,
            property_validator: validator("propertyValidator")?,
            iri,
            params,
        });
    }
    Ok(out)
}

/// The local name of an IRI (after the last `#` or `/`): a parameter's variable name.
fn local_name(iri: NamedNodeRef<'_>) -> &str {
    let s = iri.as_str();
    s.rsplit(['#', '/']).next().unwrap_or(s)
}

fn read_shape(
    g: &Graph<'_>,
    id: &Term,
    components: &[ComponentDef],
    todo: &mut Vec<Term>,
) -> Result<Shape> {
    let get = |p: &str| g.objects(id, sh(p).as_ref());
    let path = match g.object(id, sh("path").as_ref())? {
        Some(p) => Some(super::paths::read_path(g, &p)?),
        None => None,
    };
    let mut targets = Vec::new();
    for t in get("targetClass")? {
        targets.push(Target::Class(t));
    }
    for t in get("targetNode")? {
        targets.push(Target::Node(t));
    }
    for t in get("targetSubjectsOf")? {
        targets.push(Target::SubjectsOf(named(t, "sh:targetSubjectsOf")?));
    }
    for t in get("targetObjectsOf")? {
        targets.push(Target::ObjectsOf(named(t, "sh:targetObjectsOf")?));
    }
    let class: Term = RDFS_CLASS.into_owned().into();
    if g.is_instance_of(id, &class)? || g.objects(id, RDF_TYPE)?.contains(&class) {
        targets.push(Target::Class(id.clone()));
    }
    let deactivated = get("deactivated")?.first().is_some_and(is_true);
    let severity = match get("severity")?.into_iter().next() {
        Some(s) => named(s, "sh:severity")?,
        None => sh("Violation"),
    };
    let messages = literals(get("message")?);

    let mut c = Vec::new();
    for t in get("class")? {
        c.push(Constraint::Class(t));
    }
    for t in get("datatype")? {
        c.push(Constraint::Datatype(named(t, "sh:datatype")?));
    }
    for t in get("nodeKind")? {
        c.push(Constraint::NodeKind(named(t, "sh:nodeKind")?));
    }
    if path.is_some() {
        for t in get("minCount")? {
            c.push(Constraint::MinCount(integer(&t, "sh:minCount")?));
        }
        for t in get("maxCount")? {
            c.push(Constraint::MaxCount(integer(&t, "sh:maxCount")?));
        }
    }
    for t in get("minExclusive")? {
        c.push(Constraint::MinExclusive(t));
    }
    for t in get("minInclusive")? {
        c.push(Constraint::MinInclusive(t));
    }
    for t in get("maxExclusive")? {
        c.push(Constraint::MaxExclusive(t));
    }
    for t in get("maxInclusive")? {
        c.push(Constraint::MaxInclusive(t));
    }
    for t in get("minLength")? {
        c.push(Constraint::MinLength(integer(&t, "sh:minLength")?));
    }
    for t in get("maxLength")? {
        c.push(Constraint::MaxLength(integer(&t, "sh:maxLength")?));
    }
    let flags = match get("flags")?.into_iter().next() {
        Some(Term::Literal(l)) => Some(l.value().to_owned()),
        _ => None,
    };
    for t in get("pattern")? {
        let Term::Literal(l) = t else {
            return Err(Error::Invalid(format!("{id}: sh:pattern is not a literal")));
        };
        c.push(Constraint::Pattern(l.value().to_owned(), flags.clone()));
    }
    for t in get("languageIn")? {
        let langs = g
            .list(&t)?
            .into_iter()
            .filter_map(|l| match l {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .collect();
        c.push(Constraint::LanguageIn(langs));
    }
    if path.is_some() && get("uniqueLang")?.first().is_some_and(is_true) {
        c.push(Constraint::UniqueLang);
    }
    for (p, f) in [
        ("equals", Constraint::Equals as fn(NamedNode) -> Constraint),
        ("disjoint", Constraint::Disjoint),
        ("lessThan", Constraint::LessThan),
        ("lessThanOrEquals", Constraint::LessThanOrEquals),
    ] {
        for t in get(p)? {
            c.push(f(named(t, p)?));
        }
    }
    for t in get("not")? {
        todo.push(t.clone());
        c.push(Constraint::Not(t));
    }
    for (p, f) in [
        ("and", Constraint::And as fn(Vec<Term>) -> Constraint),
        ("or", Constraint::Or),
        ("xone", Constraint::Xone),
    ] {
        for t in get(p)? {
            let members = g.list(&t)?;
            todo.extend(members.iter().cloned());
            c.push(f(members));
        }
    }
    for t in get("node")? {
        todo.push(t.clone());
        c.push(Constraint::Node(t));
    }
    for t in get("property")? {
        todo.push(t.clone());
        c.push(Constraint::Property(t));
    }
    if path.is_some() {
        for t in get("qualifiedValueShape")? {
            todo.push(t.clone());
            let min = match g.object(id, sh("qualifiedMinCount").as_ref())? {
                Some(m) => Some(integer(&m, "sh:qualifiedMinCount")?),
                None => None,
            };
            let max = match g.object(id, sh("qualifiedMaxCount").as_ref())? {
                Some(m) => Some(integer(&m, "sh:qualifiedMaxCount")?),
                None => None,
            };
            let mut siblings = Vec::new();
            if get("qualifiedValueShapesDisjoint")?
                .first()
                .is_some_and(is_true)
            {
                for parent in g.subjects(sh("property").as_ref(), id)? {
                    for ps in g.objects(&parent, sh("property").as_ref())? {
                        for s in g.objects(&ps, sh("qualifiedValueShape").as_ref())? {
                            if s != t && !siblings.contains(&s) {
                                todo.push(s.clone());
                                siblings.push(s);
                            }
                        }
                    }
                }
            }
            c.push(Constraint::Qualified {
                shape: t,
                min,
                max,
                siblings,
            });
        }
    }
    if get("closed")?.first().is_some_and(is_true) {
        let mut allowed = HashSet::new();
        for ps in get("property")? {
            if let Some(Term::NamedNode(p)) = g.object(&ps, sh("path").as_ref())? {
                allowed.insert(p);
            }
        }
        for list in get("ignoredProperties")? {
            for p in g.list(&list)? {
                if let Term::NamedNode(p) = p {
                    allowed.insert(p);
                }
            }
        }
        c.push(Constraint::Closed(allowed));
    }
    for t in get("hasValue")? {
        c.push(Constraint::HasValue(t));
    }
    for t in get("in")? {
        c.push(Constraint::In(g.list(&t)?));
    }
    for t in get("sparql")? {
        if g.object(&t, sh("deactivated").as_ref())?
            .is_some_and(|d| is_true(&d))
        {
            continue;
        }
        let Some(query) = read_query(g, &t)? else {
            return Err(Error::Invalid(format!(
                "{id}: sh:sparql {t} has no sh:select"
            )));
        };
        if query.ask {
            return Err(Error::Invalid(format!(
                "{id}: sh:sparql {t} must be a SELECT"
            )));
        }
        c.push(Constraint::Sparql(t, query));
    }
    'components: for comp in components {
        let validator = if path.is_some() {
            comp.property_validator.as_ref().or(comp.validator.as_ref())
        } else {
            comp.node_validator.as_ref().or(comp.validator.as_ref())
        };
        let Some(validator) = validator else { continue };
        let mut bindings = Vec::new();
        for (param, optional) in &comp.params {
            match g.object(id, param.as_ref())? {
                Some(v) => bindings.push((Variable::new_unchecked(local_name(param.as_ref())), v)),
                None if *optional => {}
                None => continue 'components,
            }
        }
        if comp.params.is_empty() {
            continue;
        }
        c.push(Constraint::Component(
            comp.iri.clone(),
            validator.clone(),
            bindings,
        ));
    }
    Ok(Shape {
        id: id.clone(),
        path,
        targets,
        deactivated,
        severity,
        messages,
        constraints: c,
    })
}
