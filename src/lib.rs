//! # normgraph
//!
//! A knowledge graph of international cyber norms and the actors who back them: an OWL ontology,
//! a curated and sourced RDF dataset, an embedded Oxigraph store, named SPARQL queries and
//! consistency validation, and an HTTP server (SPARQL 1.1 Protocol, Graph Store Protocol, linked
//! data) over it ([`serve`]).
//!
//! ```no_run
//! use normgraph::{Bundle, KnowledgeGraph, query};
//!
//! let bundle = Bundle::default_location();
//! let kg = KnowledgeGraph::in_memory(bundle.clone())?;
//! kg.sync_bundle()?;
//! let q = query::resolve(&bundle.queries_dir(), "who-backs-norm")?;
//! let answer = query::run(&kg, &q, &[("norm".into(), "norm:gge2015-13f".into())])?;
//! println!("{} backers", answer.len());
//! # Ok::<(), normgraph::Error>(())
//! ```

pub mod analysis;
pub mod bench;
pub mod bind;
mod cancel;
pub mod compare;
mod dates;
pub mod digest;
pub mod embedded;
pub mod error;
pub mod export;
pub mod figures;
pub mod generate;
mod intern;
mod plans;
pub mod query;
pub mod remote;
pub mod search;
pub mod serve;
pub mod shacl;
pub mod sophia;
pub mod store;
pub mod validate;
pub mod vocab;

pub use error::{Error, Result};
pub use store::{Bundle, KnowledgeGraph, LoadReport, SourceFile, Stats};
