//! A read-only [sophia](https://docs.rs/sophia_api) view of the store, so that sophia's
//! algorithms run on normgraph's data directly: its RDFC-1.0 canonicalization (with its safeguards
//! against blank-node structures that make canonicalization exponential), its isomorphism check,
//! its serializers.
//!
//! ```
//! use normgraph::sophia::StoreDataset;
//! use sophia_api::dataset::Dataset;
//!
//! let store = oxigraph::store::Store::new()?;
//! store.load_from_slice(
//!     oxigraph::io::RdfFormat::NQuads,
//!     "<http://a> <http://b> _:x <http://g> .".as_bytes(),
//! )?;
//! let view = StoreDataset::new(&store);
//! assert_eq!(view.quads().count(), 1);
//! let mut canonical = Vec::new();
//! sophia_c14n::rdfc10::normalize(&view, &mut canonical)?;
//! assert_eq!(
//!     String::from_utf8(canonical)?,
//!     "<http://a> <http://b> _:c14n0 <http://g> .\n"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use oxigraph::model::{GraphName, GraphNameRef, QuadRef, TermRef};
use oxigraph::store::{StorageError, Store};
use sophia_api::dataset::{DResult, Dataset, SetDataset};
use sophia_api::quad::Spog;
use sophia_api::term::{BnodeId, IriRef, LanguageTag, SimpleTerm};

/// The quads of a store (all of them, or those of some graphs) as a sophia dataset. Each quad is
/// converted as it is read; nothing is copied up front.
#[derive(Clone, Copy)]
pub struct StoreDataset<'a> {
    store: &'a Store,
    graphs: Option<&'a [GraphName]>,
}

impl<'a> StoreDataset<'a> {
    /// Every quad of `store`, in every graph.
    pub fn new(store: &'a Store) -> Self {
        Self {
            store,
            graphs: None,
        }
    }

    /// The quads of `graphs` of `store` only (named graphs or the default graph).
    pub fn graphs(store: &'a Store, graphs: &'a [GraphName]) -> Self {
        Self {
            store,
            graphs: Some(graphs),
        }
    }
}

/// An Oxigraph term as a sophia term.
pub fn term(t: TermRef<'_>) -> SimpleTerm<'static> {
    match t {
        TermRef::NamedNode(n) => {
            SimpleTerm::Iri(IriRef::new_unchecked(n.as_str().to_owned().into()))
        }
        TermRef::BlankNode(b) => {
            SimpleTerm::BlankNode(BnodeId::new_unchecked(b.as_str().to_owned().into()))
        }
        TermRef::Literal(l) => match l.language() {
            Some(lang) => SimpleTerm::LiteralLanguage(
                l.value().to_owned().into(),
                LanguageTag::new_unchecked(lang.to_owned().into()),
                None,
            ),
            None => SimpleTerm::LiteralDatatype(
                l.value().to_owned().into(),
                IriRef::new_unchecked(l.datatype().as_str().to_owned().into()),
            ),
        },
    }
}

/// An Oxigraph quad as a sophia quad (the default graph is `None`).
pub fn quad(q: QuadRef<'_>) -> Spog<SimpleTerm<'static>> {
    let g = match q.graph_name {
        GraphNameRef::DefaultGraph => None,
        GraphNameRef::NamedNode(n) => Some(term(n.into())),
        GraphNameRef::BlankNode(b) => Some(term(b.into())),
    };
    (
        [
            term(q.subject.into()),
            term(q.predicate.into()),
            term(q.object),
        ],
        g,
    )
}

impl Dataset for StoreDataset<'_> {
    type Quad<'x>
        = Spog<SimpleTerm<'static>>
    where
        Self: 'x;
    type Error = StorageError;

    fn quads(&self) -> impl Iterator<Item = DResult<Self, Self::Quad<'_>>> + '_ {
        let all: Box<dyn Iterator<Item = Result<oxigraph::model::Quad, StorageError>>> =
            match self.graphs {
                None => Box::new(self.store.iter()),
                Some(graphs) => Box::new(graphs.iter().flat_map(|g| {
                    self.store
                        .quads_for_pattern(None, None, None, Some(g.as_ref()))
                })),
            };
        all.map(|q| q.map(|q| quad(q.as_ref())))
    }
}

/// The store is a set of quads, and so is any selection of its graphs.
impl SetDataset for StoreDataset<'_> {}
