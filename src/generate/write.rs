//! The generator's two tools: a deterministic random number generator and an N-Triples/N-Quads
//! line writer that counts what it writes.

use std::fmt::Write as _;
use std::io::Write;

use super::{day_to_date, Generated, NG, RDF_TYPE, XSD_BOOLEAN, XSD_DATE, XSD_INTEGER};
use crate::error::{Error, Result};

/// SplitMix64: small, fast, and the same on every platform (determinism is the point).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// True with probability `p`.
    pub(super) fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    pub(super) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
}

#[derive(Clone, Copy)]
pub(super) enum Obj<'a> {
    Iri(&'a str),
    Date(i64),
    Str(&'a str),
    En(&'a str),
    Int(u64),
    Bool(bool),
}

pub(super) struct Writer<W: Write> {
    pub(super) out: W,
    pub(super) quads: bool,
    pub(super) graph: &'static str,
    pub(super) line: String,
    pub(super) report: Generated,
}

impl<W: Write> Writer<W> {
    pub(super) fn t(&mut self, s: &str, p: &str, o: Obj<'_>) -> Result<()> {
        let line = &mut self.line;
        line.clear();
        // Writing to a String cannot fail.
        let _ = write!(line, "<{s}> <{p}> ");
        let _ = match o {
            Obj::Iri(i) => write!(line, "<{i}>"),
            Obj::Date(d) => write!(line, "\"{}\"^^<{XSD_DATE}>", day_to_date(d)),
            Obj::Str(v) => write!(line, "\"{v}\""),
            Obj::En(v) => write!(line, "\"{v}\"@en"),
            Obj::Int(n) => write!(line, "\"{n}\"^^<{XSD_INTEGER}>"),
            Obj::Bool(b) => write!(line, "\"{b}\"^^<{XSD_BOOLEAN}>"),
        };
        if self.quads {
            let _ = write!(
                line,
                " <https://w3id.org/normgraph/graph/synthetic/{}>",
                self.graph
            );
        }
        line.push_str(" .\n");
        self.out.write_all(line.as_bytes()).map_err(Error::output)?;
        self.report.triples += 1;
        Ok(())
    }

    pub(super) fn typed(&mut self, s: &str, class: &str) -> Result<()> {
        self.t(s, RDF_TYPE, Obj::Iri(&format!("{NG}{class}")))
    }
}
