//! `normgraph timeline`: How backing of a norm grew: for each date, the actors who began to back it then.

use super::*;

/// The arguments of `normgraph timeline`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The norm: <IRI> or prefix:name (norm:gge2015-13f)
    pub(crate) norm: String,
    /// Output: text or csv
    #[arg(short, long, default_value = "text")]
    pub(crate) format: String,
}

pub(crate) fn run(cli: &Cli, bundle: &Bundle, args: &Args) -> anyhow::Result<ExitCode> {
    let Args { norm, format } = args;
    if !matches!(format.as_str(), "text" | "csv") {
        anyhow::bail!("unknown format {format:?} (text, csv)");
    }
    let norm = iri_args("norm", std::slice::from_ref(norm))?.remove(0);
    let kg = open_for_reading(cli, bundle)?;
    if let Some(iri) = normgraph::query::unknown_iri(&kg, &format!("<{}>", norm.as_str()))? {
        anyhow::bail!("<{iri}> appears in no triple of the store");
    }
    let steps = normgraph::compare::timeline(&kg, &norm)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut total = 0;
    if format == "csv" {
        writeln!(out, "date,added,total,via")?;
    }
    for s in &steps {
        total += s.added;
        if format == "csv" {
            let via = s.via.join("; ").replace('"', "\"\"");
            writeln!(out, "{},{},{total},\"{via}\"", s.date, s.added)?;
        } else {
            writeln!(
                out,
                "{:<10}  +{:<4} {total:>5}  {}",
                s.date,
                s.added,
                s.via.join("; ")
            )?;
        }
    }
    if steps.is_empty() {
        eprintln!("normgraph: nobody backs {} on record", norm.as_str());
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
