//! `normgraph generate`: Write a deterministic synthetic graph (benchmarks, validator recall): ~200 synthetic states,

use super::*;

/// The arguments of `normgraph generate`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Approximate number of triples
    #[arg(long, value_name = "N")]
    pub(crate) triples: u64,
    /// Seed of the pseudo-random generator (same seed, same bytes)
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Fraction of endorsements to turn into defects (e.g. 0.01)
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub(crate) defects: f64,
    /// Output file (.nt or .nq)
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: PathBuf,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let Args {
        triples,
        seed,
        defects,
        output,
    } = args;
    let quads = match output.extension().and_then(|e| e.to_str()) {
        Some("nq") => true,
        Some("nt") => false,
        _ => anyhow::bail!("{}: use a .nt or .nq file name", output.display()),
    };
    if !(0.0..1.0).contains(defects) {
        anyhow::bail!("--defects {defects}: expected a rate in [0, 1)");
    }
    let options = normgraph::generate::Options {
        triples: *triples,
        seed: *seed,
        defect_rate: *defects,
        quads,
    };
    let file =
        std::fs::File::create(output).with_context(|| format!("creating {}", output.display()))?;
    let report =
        normgraph::generate::generate(&options, std::io::BufWriter::with_capacity(1 << 20, file))?;
    if *defects > 0.0 {
        let mut sidecar = output.clone().into_os_string();
        sidecar.push(".defects.json");
        std::fs::write(&sidecar, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("writing {}", PathBuf::from(&sidecar).display()))?;
    }
    eprintln!(
        "{}: {} triples, {} instruments, {} norms, {} endorsements, {} expected findings",
        output.display(),
        report.triples,
        report.instruments,
        report.norms,
        report.endorsements,
        report.defects.len()
    );
    Ok(ExitCode::SUCCESS)
}
