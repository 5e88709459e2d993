//! `normgraph validate`: Check the store (or the given files) against the SHACL shapes and consistency rules.

use super::*;

/// The arguments of `normgraph validate`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Validate these files or folders in the context of the store (or of the bundled data
    /// with --memory): shows the findings they bring, as if they were loaded
    pub(crate) paths: Vec<PathBuf>,
    /// Validate the files on their own, with the bundled ontology only
    #[arg(long, requires = "paths")]
    pub(crate) alone: bool,
    /// SHACL shapes file [default: the bundle's ontology/shapes.ttl]
    #[arg(long, value_name = "FILE")]
    pub(crate) shapes: Option<PathBuf>,
    /// Output: text (grouped by rule), ttl or jsonld (W3C sh:ValidationReport), json
    #[arg(short, long, value_enum, ignore_case = true, default_value = "text")]
    pub(crate) format: ReportFormat,
    /// Show only findings at least this severe: info, warning, violation
    #[arg(
        long,
        value_enum,
        ignore_case = true,
        default_value = "info",
        value_name = "S"
    )]
    pub(crate) min_severity: Severity,
}

/// How `validate` writes its report.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    /// Findings grouped by rule, for people.
    Text,
    /// The W3C `sh:ValidationReport` as Turtle.
    #[value(alias = "turtle")]
    Ttl,
    /// The W3C `sh:ValidationReport` as JSON-LD.
    #[value(alias = "json-ld")]
    Jsonld,
    /// The findings as JSON.
    Json,
}

pub(crate) fn run(cli: &Cli, bundle: &Bundle, args: &Args) -> anyhow::Result<ExitCode> {
    let Args {
        paths,
        alone,
        shapes,
        format,
        min_severity,
    } = args;
    let min: Severity = *min_severity;
    let mut context = None;
    let outcome = if paths.is_empty() {
        let kg = open_for_reading(cli, bundle)?;
        normgraph::validate::validate_graph(&kg, shapes.as_deref())?
    } else if *alone {
        normgraph::validate::validate_files(bundle, paths, shapes.as_deref())?
    } else {
        let cwd = std::env::current_dir().context("reading the current folder")?;
        let mut files = Vec::new();
        for p in paths {
            for f in rdf_files_in(p)? {
                files.push(SourceFile::relative_to(&f, &cwd));
            }
        }
        if files.is_empty() {
            anyhow::bail!("no RDF files found in the given paths");
        }
        let kg = open_for_reading(cli, bundle)?;
        let after = kg.with_files(&files)?;
        let delta = normgraph::validate::compare(&kg, &after, shapes.as_deref())?;
        context = Some((delta.kept, delta.resolved));
        delta.new
    };
    let outcome = outcome.at_least(min);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        ReportFormat::Ttl => outcome.write_rdf(oxigraph::io::RdfFormat::Turtle, &mut out)?,
        ReportFormat::Jsonld => outcome.write_rdf(
            oxigraph::io::RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
            &mut out,
        )?,
        ReportFormat::Json => {
            writeln!(out, "{}", serde_json::to_string_pretty(&outcome.to_json())?)?
        }
        ReportFormat::Text => write!(out, "{outcome}")?,
    }
    out.flush()?;
    if let Some((kept, resolved)) = context {
        eprintln!(
                "normgraph: validated in the context of the store: the findings shown are those the files bring; {kept} finding(s) of the store are not theirs (see `normgraph validate`), {resolved} are resolved by them"
            );
    }
    Ok(if outcome.passes() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
