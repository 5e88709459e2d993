//! `normgraph describe`: Describe a resource: its triples (through blank nodes) and the labels of what it links to.

use super::*;

/// The arguments of `normgraph describe`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The resource: <IRI> or prefix:name (state:CHN, norm:gge2015-13f)
    pub(crate) iri: String,
    /// ttl, nt, rdfxml or jsonld [default: ttl]
    #[arg(short, long)]
    pub(crate) format: Option<String>,
}

pub(crate) fn run(cli: &Cli, bundle: &Bundle, args: &Args) -> anyhow::Result<ExitCode> {
    let Args { iri, format } = args;
    let format: ExportFormat = format.as_deref().unwrap_or("ttl").parse()?;
    let node = match normgraph::query::parse_value("iri", iri)? {
        oxigraph::model::Term::NamedNode(n) => n,
        _ => anyhow::bail!("{iri}: not an IRI"),
    };
    let kg = open_for_reading(cli, bundle)?;
    let triples = normgraph::export::describe(&kg, &node)?;
    if triples.is_empty() {
        anyhow::bail!("the store says nothing about <{}>", node.as_str());
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    normgraph::export::write_description(&kg, &triples, format, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
