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
//!
//! The public API, by what it is for:
//! - the graph: [`KnowledgeGraph`] (open, load, unload, rules) and [`Bundle`] (the ontology,
//!   data and queries it is built from) in [`store`]; [`embedded`] (the bundle inside the binary);
//! - asking: [`query`] (named queries, parameters, results in every format), [`search`],
//!   [`compare`] (actors side by side), [`validate`] (SHACL reports) over the generic engine
//!   [`shacl`];
//! - publishing: [`export`] (dumps, the canonical dump, JSON-LD, CSV tables, releases),
//!   [`sophia`] (a sophia `Dataset` view of the store), [`serve`] (the HTTP server),
//!   [`remote`] (loading from URLs, pushing to SPARQL stores);
//! - the rest: [`vocab`] (every IRI and prefix), [`digest`], [`error`]; and, for the command
//!   line's `generate` and `bench` verbs, [`generate`] (synthetic graphs) and [`bench`](mod@bench).

mod analysis;
pub mod bench;
mod bind;
mod cancel;
pub mod compare;
mod dates;
pub mod digest;
pub mod embedded;
pub mod error;
pub mod export;
mod figures;
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
