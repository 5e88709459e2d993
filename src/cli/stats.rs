//! `normgraph stats`: Print triples per named graph and instances per class.

use super::*;

pub(crate) fn run(cli: &Cli, bundle: &Bundle) -> anyhow::Result<ExitCode> {
    let kg = open_for_reading(cli, bundle)?;
    let stats = kg.stats()?;
    out!("{:>9}  named graph (file path for loaded files)", "quads");
    for (g, n) in &stats.graphs {
        let name = if g.is_empty() {
            "(default graph)".to_owned()
        } else {
            g.strip_prefix(normgraph::vocab::graph::NS)
                .map_or_else(|| format!("<{g}>"), str::to_owned)
        };
        out!("{n:>9}  {name}");
    }
    out!("{:>9}  total\n", stats.total);
    out!("{:>9}  class", "instances");
    for (c, n) in &stats.classes {
        out!(
            "{n:>9}  {}",
            normgraph::vocab::compact(c).unwrap_or_else(|| c.clone())
        );
    }
    Ok(ExitCode::SUCCESS)
}
