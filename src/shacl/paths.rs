//! SHACL property paths read from a shapes graph (§2.3.1): predicates, inverse, sequence,
//! alternative, zero-or-more, one-or-more and zero-or-one paths, with cycles in the path nodes
//! refused.

use oxigraph::model::Term;

use super::{sh, Graph, Path, RDF_FIRST};
use crate::error::{Error, Result};

/// Reads a path node.
pub(crate) fn read_path(g: &Graph<'_>, node: &Term) -> Result<Path> {
    read_path_within(g, node, &mut Vec::new())
}

/// Deepest path expression read (a real path nests a handful of levels).
const MAX_PATH_DEPTH: usize = 64;

/// Reads a path node; `open` holds the nodes being read around it, so that a path that contains
/// itself (`_:p sh:inversePath _:p`, a list holding its own head) is an error, not an endless
/// recursion.
fn read_path_within(g: &Graph<'_>, node: &Term, open: &mut Vec<Term>) -> Result<Path> {
    if let Term::NamedNode(n) = node {
        return Ok(Path::Predicate(n.clone()));
    }
    if open.contains(node) {
        return Err(Error::Invalid(format!(
            "{node} is a cyclic SHACL path: it contains itself"
        )));
    }
    if open.len() >= MAX_PATH_DEPTH {
        return Err(Error::Invalid(format!(
            "{node}: SHACL path nested more than {MAX_PATH_DEPTH} levels deep"
        )));
    }
    open.push(node.clone());
    let path = read_path_node(g, node, open);
    open.pop();
    path
}

fn read_path_node(g: &Graph<'_>, node: &Term, open: &mut Vec<Term>) -> Result<Path> {
    if g.object(node, RDF_FIRST)?.is_some() {
        let items = g.list(node)?;
        return Ok(Path::Sequence(
            items
                .iter()
                .map(|i| read_path_within(g, i, open))
                .collect::<Result<_>>()?,
        ));
    }
    if let Some(list) = g.object(node, sh("alternativePath").as_ref())? {
        let items = g.list(&list)?;
        return Ok(Path::Alternative(
            items
                .iter()
                .map(|i| read_path_within(g, i, open))
                .collect::<Result<_>>()?,
        ));
    }
    for (p, f) in [
        ("inversePath", Path::Inverse as fn(Box<Path>) -> Path),
        ("zeroOrMorePath", Path::ZeroOrMore),
        ("oneOrMorePath", Path::OneOrMore),
        ("zeroOrOnePath", Path::ZeroOrOne),
    ] {
        if let Some(inner) = g.object(node, sh(p).as_ref())? {
            return Ok(f(Box::new(read_path_within(g, &inner, open)?)));
        }
    }
    Err(Error::Invalid(format!("{node} is not a SHACL path")))
}
