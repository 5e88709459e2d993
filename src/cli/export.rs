//! `normgraph export`: Export the graph: RDF dumps, a canonical checksummed dump, JSON-LD, CSV tables, a release.

use super::*;

/// The arguments of `normgraph export`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// ttl, nt, nq, trig, rdfxml, jsonld or csv [default: from -o's extension, else ttl]
    #[arg(
        short,
        long,
        value_enum,
        ignore_case = true,
        hide_possible_values = true
    )]
    pub(crate) format: Option<ExportFormat>,
    /// Export only this named graph (<IRI> or prefix:name; repeatable)
    #[arg(short, long, value_name = "IRI")]
    pub(crate) graph: Vec<String>,
    /// Canonical RDFC-1.0 N-Quads (sorted); its SHA-256 is printed on stderr
    #[arg(long, conflicts_with_all = ["format", "table"])]
    pub(crate) canonical: bool,
    /// Add the derived graph (rules of ontology/rules/) to the export
    #[arg(long)]
    pub(crate) include_inferred: bool,
    /// CSV table: endorsements, norms or actors
    #[arg(long, value_enum, ignore_case = true)]
    pub(crate) table: Option<Table>,
    /// Write to FILE instead of stdout
    #[arg(short, long, value_name = "FILE", conflicts_with = "release")]
    pub(crate) output: Option<PathBuf>,
    /// Write every dump, the CSV tables, context.jsonld, void.ttl and SHA256SUMS into DIR
    #[arg(long, value_name = "DIR", conflicts_with_all = ["format", "table", "canonical"])]
    pub(crate) release: Option<PathBuf>,
    /// SPARQL endpoint announced in void.ttl (with --release)
    #[arg(
        long,
        value_name = "URL",
        default_value = "http://127.0.0.1:7878/sparql"
    )]
    pub(crate) base: String,
}

pub(crate) fn run(cli: &Cli, bundle: &Bundle, args: &Args) -> anyhow::Result<ExitCode> {
    let Args {
        format,
        graph,
        canonical,
        include_inferred,
        table,
        output,
        release,
        base,
    } = args;
    let format: Option<ExportFormat> =
        format.or_else(|| output.as_deref().and_then(ExportFormat::from_path));
    let table: Option<Table> = *table;
    let graphs = graph_args(graph)?;
    let selection = normgraph::export::Selection {
        graphs: (!graphs.is_empty()).then_some(graphs),
        include_inferred: *include_inferred,
    };
    let kg = open_for_reading(cli, bundle)?;
    if let Some(dir) = release {
        let r = normgraph::export::release(&kg, &selection, dir, base)?;
        for f in &r.files {
            eprintln!("{:>10} bytes  {}", f.bytes, dir.join(&f.name).display());
        }
        eprintln!(
            "release {} of {} triples in {}; canonical sha256:{}",
            r.version,
            r.triples,
            dir.display(),
            r.canonical_sha256
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut out: Box<dyn Write> = match output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    if *canonical {
        let c = normgraph::export::canonical(&kg, &selection)?;
        out.write_all(c.nquads.as_bytes())?;
        eprintln!("sha256:{}  ({} quads)", c.sha256, c.quads);
    } else if format == Some(ExportFormat::Csv) || table.is_some() {
        let table = table.ok_or_else(|| {
            anyhow::anyhow!(
                "--format csv needs --table endorsements|norms|actors (or use --release)"
            )
        })?;
        normgraph::export::write_table(&kg, table, &mut out)?;
    } else {
        normgraph::export::write(
            &kg,
            &selection,
            format.unwrap_or(ExportFormat::Turtle),
            &mut out,
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
