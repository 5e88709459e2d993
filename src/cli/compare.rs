//! `normgraph compare`: Put actors side by side: every norm one of them has a stance on, each actor's strongest

use super::*;

/// The arguments of `normgraph compare`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Actors: <IRI> or prefix:name (state:CHN state:USA state:RUS ...)
    #[arg(required = true, num_args = 1..)]
    pub(crate) actors: Vec<String>,
    /// Output: text (one block per norm) or csv (one row per actor, norm and stance)
    #[arg(short, long, default_value = "text")]
    pub(crate) format: String,
}

pub(crate) fn run(cli: &Cli, bundle: &Bundle, args: &Args) -> anyhow::Result<ExitCode> {
    let Args { actors, format } = args;
    if !matches!(format.as_str(), "text" | "csv") {
        anyhow::bail!("unknown format {format:?} (text, csv)");
    }
    let actors = iri_args("actor", actors)?;
    let kg = open_for_reading(cli, bundle)?;
    let cmp = normgraph::compare::compare(&kg, &actors)?;
    let text = if format == "csv" {
        cmp.to_csv()
    } else {
        cmp.to_text()
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
