//! `normgraph search`: Search norms, actors and instruments by label, text, symbol ("A/70/174") or ISO code.

use super::*;

/// The arguments of `normgraph search`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Words to look for (all must match)
    #[arg(required = true)]
    pub(crate) text: Vec<String>,
    /// Only this kind: norm, actor or instrument
    #[arg(short, long)]
    pub(crate) kind: Option<String>,
    /// Most hits shown
    #[arg(short = 'n', long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub(crate) limit: u64,
    /// Output: table, markdown, csv, tsv, json, xml [default: table on a terminal, csv otherwise]
    #[arg(short, long)]
    pub(crate) format: Option<String>,
}

pub(crate) fn run(cli: &Cli, bundle: &Bundle, args: &Args) -> anyhow::Result<ExitCode> {
    let Args {
        text,
        kind,
        limit,
        format,
    } = args;
    let kind: Option<normgraph::search::Kind> = kind.as_deref().map(str::parse).transpose()?;
    let format: Option<Format> = format.as_deref().map(str::parse).transpose()?;
    if matches!(
        format,
        Some(Format::Turtle | Format::NTriples | Format::JsonLd | Format::RdfXml)
    ) {
        anyhow::bail!("search answers are tables: use table, markdown, csv, tsv, json or xml");
    }
    let kg = open_for_reading(cli, bundle)?;
    let index = normgraph::search::Index::build(&kg)?;
    let hits = index.search(&text.join(" "), kind, *limit as usize);
    if hits.is_empty() {
        eprintln!(
            "normgraph: no norm, actor or instrument matches {:?}",
            text.join(" ")
        );
    }
    let format = format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Csv
    });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    normgraph::query::render(&kg, &normgraph::search::answer(&hits), format, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
