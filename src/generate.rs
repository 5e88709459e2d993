//! `normgraph generate`: deterministic synthetic graphs in normgraph's own ontology, for benchmarks
//! and for measuring the validator's recall.
//!
//! Everything generated is marked synthetic: states use ISO 3166-1 *user-assigned* alpha-3 codes
//! (`XAA`, `XAB`… — no real country has them) labelled "Synthetic state …", every other key starts
//! with `synth-`, and every source points under `https://example.org/normgraph-synthetic/`.
//!
//! The graph: ~200 states, 30 institutions with memberships (the first, `org/synth-io-01`, has
//! exactly 20 members), then instruments until the requested size is reached — treaties (signed,
//! later ratified by most signers, some accessions, occasional denunciations), resolutions adopted
//! by recorded vote (one vote record per voting state, the tally equal to the records, sponsors),
//! declarations (supported over the years, occasional withdrawals) — each articulating 1–4 norms
//! of its own, with a few states advocating or opposing norms in line with their votes. Dates run
//! from 1995 to 2024 and no event is later than 2025-06-30. Such a graph passes
//! `ontology/shapes.ttl` with no finding at all.
//!
//! With a defect rate, inconsistencies of every kind the validator checks are added on fresh
//! instruments (so they do not disturb one another), and [`Generated::defects`] lists the exact
//! findings each must produce (written as `FILE.defects.json` by the CLI).

use std::io::Write;

use serde::Serialize;

use crate::error::{Error, Result};

use crate::vocab::{ng::NS as NG, ns::DCTERMS as DCT, ID_NS as ID};
use oxigraph::model::vocab::{rdf, rdfs, xsd};

const RDF_TYPE: &str = rdf::TYPE.as_str();
const RDFS_LABEL: &str = rdfs::LABEL.as_str();
const FOAF_PAGE: &str = "http://xmlns.com/foaf/0.1/page";
const PROV_SOURCE: &str = "http://www.w3.org/ns/prov#hadPrimarySource";
const ORG: &str = "http://www.w3.org/ns/org#";
const XSD_DATE: &str = xsd::DATE.as_str();
const XSD_INTEGER: &str = xsd::INTEGER.as_str();
const XSD_BOOLEAN: &str = xsd::BOOLEAN.as_str();
const PAGE_BASE: &str = "https://example.org/normgraph-synthetic/";

/// Number of synthetic states.
pub const STATES: usize = 200;
/// Number of synthetic institutions.
pub const INSTITUTIONS: usize = 30;
/// The institution with exactly 20 members (for the 20-state alignment benchmark).
pub const GROUP_OF_20: &str = "https://w3id.org/normgraph/id/org/synth-io-01";
/// Last day any generated event may fall on (days since 1990-01-01 of 2025-06-30).
const LAST_DAY: i64 = 12_964;
/// 2099-01-01: far enough ahead to stay in the future.
const FUTURE_DAY: i64 = 39_812;
/// First instrument day (1995-01-01) and span (30 years).
const FIRST_DAY: i64 = 1_826;
const SPAN_DAYS: i64 = 10_957;

const THEMES: &[&str] = &[
    "international-law",
    "sovereignty",
    "critical-infrastructure",
    "cybercrime",
    "human-rights",
    "internet-governance",
    "confidence-building",
    "capacity-building",
    "cooperation",
    "incident-response",
    "supply-chain",
    "public-core",
    "election-integrity",
    "information-security",
];
const DEONTIC: &[&str] = &["obligation", "prohibition", "permission", "principle"];

/// Options of a generation.
#[derive(Debug, Clone)]
pub struct Options {
    /// Approximate number of triples wanted (the generator stops after the instrument that
    /// reaches it).
    pub triples: u64,
    /// Seed of the pseudo-random generator: same seed and options, same bytes.
    pub seed: u64,
    /// Fraction of endorsements to turn into defects (0 = a clean graph); at least one defect of
    /// every kind when positive.
    pub defect_rate: f64,
    /// Write N-Quads (one named graph per topic) rather than N-Triples.
    pub quads: bool,
}

/// One finding the validator must produce for an injected defect.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ExpectedFinding {
    /// The kind of defect injected (e.g. `ratified-before-signed`).
    pub kind: String,
    /// `violation`, `warning` or `info`.
    pub severity: String,
    /// The focus node's IRI.
    pub focus: String,
    /// The rule as the validator names it (see [`crate::validate::Finding::rule`]).
    pub rule: String,
}

/// What a generation wrote.
#[derive(Debug, Default, Serialize)]
pub struct Generated {
    /// Triples written.
    pub triples: u64,
    /// Endorsement records written.
    pub endorsements: u64,
    /// Instruments written (defect instruments included).
    pub instruments: u64,
    /// Norms written.
    pub norms: u64,
    /// Defects injected, counted per kind.
    pub defect_counts: std::collections::BTreeMap<String, u64>,
    /// The findings the validator must report, and no other.
    pub defects: Vec<ExpectedFinding>,
}

/// `YYYY-MM-DD` of a day number counted from 1990-01-01 (proleptic Gregorian).
pub fn day_to_date(day: i64) -> String {
    // Day 0 is 1990-01-01, 7,305 days after 1970-01-01.
    let (y, m, d) = crate::dates::civil_from_days(day + 7_305);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The alpha-3 code of synthetic state `i` (`XAA`, `XAB`, …, user-assigned ISO codes).
pub fn state_code(i: usize) -> String {
    let a = (b'A' + (i / 26) as u8) as char;
    let b = (b'A' + (i % 26) as u8) as char;
    format!("X{a}{b}")
}

/// The IRI of synthetic state `i`.
pub fn state_iri(i: usize) -> String {
    format!("{ID}state/{}", state_code(i))
}

/// The IRI of the `k`-th generated norm (1-based).
pub fn norm_iri(k: u64) -> String {
    format!("{ID}norm/synth-n{k:06}")
}

/// A stance record to write.
struct Endorsement<'a> {
    key: String,
    actor: &'a str,
    target: &'a str,
    status: &'a str,
    day: i64,
    source: Option<&'a str>,
}

struct Gen<W: Write> {
    w: Writer<W>,
    rng: Rng,
    states: Vec<String>,
    institutions: Vec<(String, &'static str)>,
    sources: Vec<String>,
    next_norm: u64,
}

impl<W: Write> Gen<W> {
    fn source(&mut self) -> String {
        let i = self.rng.below(self.sources.len() as u64) as usize;
        self.sources[i].clone()
    }

    fn endorsement(&mut self, e: &Endorsement<'_>) -> Result<String> {
        let s = format!("{ID}endorsement/synth-{}", e.key);
        self.w.graph = "endorsements";
        self.w.typed(&s, "Endorsement")?;
        self.w.t(&s, &format!("{NG}actor"), Obj::Iri(e.actor))?;
        self.w.t(&s, &format!("{NG}target"), Obj::Iri(e.target))?;
        self.w.t(
            &s,
            &format!("{NG}status"),
            Obj::Iri(&format!("{ID}status/{}", e.status)),
        )?;
        self.w.t(&s, &format!("{NG}date"), Obj::Date(e.day))?;
        if let Some(src) = e.source {
            self.w.t(&s, PROV_SOURCE, Obj::Iri(src))?;
        }
        self.w.report.endorsements += 1;
        Ok(s)
    }

    /// A stance dated `base` plus `lo..=hi` days, unless that falls after [`LAST_DAY`]: its date.
    #[allow(clippy::too_many_arguments)]
    fn stance_within(
        &mut self,
        ikey: &str,
        actor: &str,
        target: &str,
        status: &str,
        base: i64,
        lo: i64,
        hi: i64,
    ) -> Result<Option<i64>> {
        let day = base + self.rng.range(lo, hi);
        if day > LAST_DAY {
            return Ok(None);
        }
        self.stance(ikey, actor, target, status, day)?;
        Ok(Some(day))
    }

    /// An endorsement with a random source, keyed `{instrument key}-{actor code}-{status}`.
    fn stance(
        &mut self,
        ikey: &str,
        actor: &str,
        target: &str,
        status: &str,
        day: i64,
    ) -> Result<String> {
        let code = actor.rsplit('/').next().unwrap_or(actor).to_owned();
        let src = self.source();
        self.endorsement(&Endorsement {
            key: format!("{ikey}-{code}-{status}"),
            actor,
            target,
            status,
            day,
            source: Some(&src),
        })
    }

    fn base(&mut self) -> Result<()> {
        self.w.graph = "sources";
        for k in 0..self.sources.len() {
            let s = self.sources[k].clone();
            self.w.typed(&s, "Source")?;
            self.w.t(
                &s,
                &format!("{DCT}title"),
                Obj::En(&format!(
                    "Synthetic source {k} (benchmark data, not a real document)"
                )),
            )?;
            self.w
                .t(&s, FOAF_PAGE, Obj::Iri(&format!("{PAGE_BASE}source/{k}")))?;
        }
        self.w.graph = "actors";
        for i in 0..STATES {
            let s = self.states[i].clone();
            let code = state_code(i);
            let src = self.source();
            self.w.typed(&s, "State")?;
            self.w
                .t(&s, RDFS_LABEL, Obj::En(&format!("Synthetic state {code}")))?;
            self.w.t(&s, &format!("{NG}isoAlpha3"), Obj::Str(&code))?;
            self.w.t(&s, PROV_SOURCE, Obj::Iri(&src))?;
        }
        for i in 0..INSTITUTIONS {
            let (s, class) = self.institutions[i].clone();
            let src = self.source();
            self.w.typed(&s, class)?;
            self.w.t(
                &s,
                RDFS_LABEL,
                Obj::En(&format!("Synthetic institution {:02}", i + 1)),
            )?;
            let founded = self.rng.range(-3_650, FIRST_DAY);
            self.w.t(&s, &format!("{NG}founded"), Obj::Date(founded))?;
            self.w.t(&s, PROV_SOURCE, Obj::Iri(&src))?;
            // Members: exactly 20 for the first, all states for the second (the "assembly" that
            // votes on resolutions), 10..120 for the others.
            let members: Vec<usize> = match i {
                0 => (0..20).collect(),
                1 => (0..STATES).collect(),
                _ => {
                    let n = self.rng.range(10, 120) as usize;
                    let start = self.rng.below(STATES as u64) as usize;
                    (0..n)
                        .map(|k| (start + k * 7) % STATES)
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect()
                }
            };
            for m in members {
                let ms = format!("{ID}membership/synth-io-{:02}-{}", i + 1, state_code(m));
                let member = self.states[m].clone();
                let src = self.source();
                self.w
                    .t(&ms, RDF_TYPE, Obj::Iri(&format!("{ORG}Membership")))?;
                self.w.t(&ms, &format!("{ORG}member"), Obj::Iri(&member))?;
                self.w.t(&ms, &format!("{ORG}organization"), Obj::Iri(&s))?;
                self.w.t(&ms, PROV_SOURCE, Obj::Iri(&src))?;
            }
        }
        Ok(())
    }

    /// Writes an instrument's own description; returns its IRI.
    fn instrument(
        &mut self,
        key: &str,
        class: &str,
        day: i64,
        extra: &[(&str, Obj<'_>)],
    ) -> Result<String> {
        let s = format!("{ID}instrument/{key}");
        let src = self.source();
        let by = self.institutions[self.rng.below(INSTITUTIONS as u64) as usize]
            .0
            .clone();
        self.w.graph = "instruments";
        self.w.typed(&s, class)?;
        self.w.t(
            &s,
            &format!("{DCT}title"),
            Obj::En(&format!("Synthetic {} {key}", class.to_lowercase())),
        )?;
        self.w.t(
            &s,
            &format!("{DCT}identifier"),
            Obj::Str(&key.to_uppercase()),
        )?;
        self.w.t(&s, &format!("{DCT}date"), Obj::Date(day))?;
        self.w.t(&s, &format!("{NG}adoptedBy"), Obj::Iri(&by))?;
        self.w
            .t(&s, &format!("{NG}isBinding"), Obj::Bool(class == "Treaty"))?;
        self.w.t(
            &s,
            FOAF_PAGE,
            Obj::Iri(&format!("{PAGE_BASE}instrument/{key}")),
        )?;
        for (p, o) in extra {
            self.w.t(&s, p, *o)?;
        }
        self.w.t(&s, PROV_SOURCE, Obj::Iri(&src))?;
        self.w.report.instruments += 1;
        Ok(s)
    }

    /// Writes `n` norms articulated in `instrument`; returns their IRIs.
    fn norms(&mut self, instrument: &str, n: usize) -> Result<Vec<String>> {
        let mut out = Vec::with_capacity(n);
        self.w.graph = "norms";
        for k in 0..n {
            self.next_norm += 1;
            let s = norm_iri(self.next_norm);
            let src = self.source();
            let theme = THEMES[self.rng.below(THEMES.len() as u64) as usize];
            let deontic = DEONTIC[self.rng.below(DEONTIC.len() as u64) as usize];
            self.w.typed(&s, "Norm")?;
            self.w.t(
                &s,
                RDFS_LABEL,
                Obj::En(&format!("Synthetic norm {}", self.next_norm)),
            )?;
            self.w.t(
                &s,
                &format!("{NG}text"),
                Obj::En(&format!(
                    "States should observe synthetic norm {} (benchmark data).",
                    self.next_norm
                )),
            )?;
            self.w
                .t(&s, &format!("{NG}articulatedIn"), Obj::Iri(instrument))?;
            self.w.t(
                &s,
                &format!("{NG}provision"),
                Obj::Str(&format!("para. {}", k + 1)),
            )?;
            self.w.t(
                &s,
                &format!("{NG}theme"),
                Obj::Iri(&format!("{ID}theme/{theme}")),
            )?;
            self.w.t(
                &s,
                &format!("{NG}deonticType"),
                Obj::Iri(&format!("{ID}deontic/{deontic}")),
            )?;
            self.w.t(&s, PROV_SOURCE, Obj::Iri(&src))?;
            out.push(s);
        }
        self.w.report.norms += n as u64;
        Ok(out)
    }

    fn treaty(&mut self, idx: u64) -> Result<()> {
        let key = format!("synth-treaty-{idx:05}");
        let day = FIRST_DAY + self.rng.below(SPAN_DAYS as u64) as i64;
        let t = self.instrument(&key, "Treaty", day, &[])?;
        let n = 1 + self.rng.below(4) as usize;
        let norms = self.norms(&t, n)?;
        let p_sign = 0.3 + self.rng.below(50) as f64 / 100.0;
        for i in 0..STATES {
            let st = self.states[i].clone();
            if self.rng.chance(p_sign) {
                let Some(signed) = self.stance_within(&key, &st, &t, "signed", day, 0, 365)? else {
                    continue;
                };
                if self.rng.chance(0.7) {
                    let ratified =
                        self.stance_within(&key, &st, &t, "ratified", signed, 60, 1_500)?;
                    if let Some(ratified) = ratified {
                        if self.rng.chance(0.02) {
                            self.stance_within(&key, &st, &t, "denounced", ratified, 200, 3_000)?;
                        }
                    }
                }
                if self.rng.chance(0.04) {
                    let norm = norms[self.rng.below(norms.len() as u64) as usize].clone();
                    let nkey = format!("{key}-{}", norm.rsplit('/').next().unwrap_or(""));
                    self.stance_within(&nkey, &st, &norm, "advocated", signed, 0, 400)?;
                }
            } else if self.rng.chance(0.1) {
                self.stance_within(&key, &st, &t, "acceded", day, 400, 4_000)?;
            }
        }
        Ok(())
    }

    fn resolution(&mut self, idx: u64) -> Result<()> {
        let key = format!("synth-res-{idx:05}");
        let day = FIRST_DAY + self.rng.below(SPAN_DAYS as u64) as i64;
        // Decide the votes first: the tally is written with the resolution.
        let p_for = 0.5 + self.rng.below(40) as f64 / 100.0;
        let mut votes = Vec::with_capacity(STATES);
        let (mut yes, mut no, mut abstain) = (0u64, 0u64, 0u64);
        for _ in 0..STATES {
            let v = if self.rng.chance(0.07) {
                None // absent: no record
            } else if self.rng.chance(p_for) {
                yes += 1;
                Some("voted-for")
            } else if self.rng.chance(0.5) {
                no += 1;
                Some("voted-against")
            } else {
                abstain += 1;
                Some("abstained")
            };
            votes.push(v);
        }
        let method = format!("{ID}adoption-method/recorded-vote");
        let r = self.instrument(
            &key,
            "Resolution",
            day,
            &[
                (&format!("{NG}adoptionMethod"), Obj::Iri(&method)),
                (&format!("{NG}votesFor"), Obj::Int(yes)),
                (&format!("{NG}votesAgainst"), Obj::Int(no)),
                (&format!("{NG}abstentions"), Obj::Int(abstain)),
            ],
        )?;
        let n = 1 + self.rng.below(3) as usize;
        let norms = self.norms(&r, n)?;
        let sponsors = 1 + self.rng.below(3);
        for k in 0..sponsors {
            // Sponsors come from those who voted for it.
            let i = (idx as usize * 13 + k as usize * 31) % STATES;
            if votes[i] == Some("voted-for") {
                let st = self.states[i].clone();
                self.stance(&key, &st, &r, "sponsored", day)?;
            }
        }
        for (i, v) in votes.iter().enumerate() {
            let Some(status) = v else { continue };
            let st = self.states[i].clone();
            self.stance(&key, &st, &r, status, day)?;
            // A few states restate their stance on one norm directly, in line with their vote.
            if self.rng.chance(0.03) {
                let norm = norms[self.rng.below(norms.len() as u64) as usize].clone();
                let d = day + self.rng.range(0, 300);
                let stance = match *status {
                    "voted-for" => "advocated",
                    "voted-against" => "opposed",
                    _ => continue,
                };
                if d <= LAST_DAY {
                    let nkey = format!("{key}-{}", norm.rsplit('/').next().unwrap_or(""));
                    self.stance(&nkey, &st, &norm, stance, d)?;
                }
            }
        }
        Ok(())
    }

    fn declaration(&mut self, idx: u64) -> Result<()> {
        let key = format!("synth-decl-{idx:05}");
        let day = FIRST_DAY + self.rng.below(SPAN_DAYS as u64) as i64;
        let d = self.instrument(&key, "Declaration", day, &[])?;
        let n = 1 + self.rng.below(4) as usize;
        self.norms(&d, n)?;
        let p = 0.2 + self.rng.below(40) as f64 / 100.0;
        for i in 0..STATES {
            if !self.rng.chance(p) {
                continue;
            }
            let st = self.states[i].clone();
            let Some(supported) = self.stance_within(&key, &st, &d, "supported", day, 0, 700)?
            else {
                continue;
            };
            if self.rng.chance(0.03) {
                self.stance_within(&key, &st, &d, "withdrawn", supported, 100, 2_000)?;
            }
        }
        // Some institutions support declarations too.
        if self.rng.chance(0.3) {
            let (inst, _) = self.institutions[self.rng.below(INSTITUTIONS as u64) as usize].clone();
            self.stance_within(&key, &inst, &d, "supported", day, 0, 300)?;
        }
        Ok(())
    }
}

/// Generates a synthetic graph into `out` (N-Triples, or N-Quads when `options.quads`).
pub fn generate(options: &Options, out: impl Write) -> Result<Generated> {
    let mut rng = Rng(options.seed ^ 0x6E6F_726D_6772_6170);
    let n_sources = (options.triples / 2_000).clamp(50, 5_000) as usize;
    let sources = (0..n_sources)
        .map(|k| format!("{ID}source/synth-src-{k:05}"))
        .collect();
    let states = (0..STATES).map(state_iri).collect();
    let institutions = (0..INSTITUTIONS)
        .map(|i| {
            let class = match i {
                0..=19 => "IntergovernmentalOrganization",
                20..=24 => "MultistakeholderBody",
                _ => "Forum",
            };
            (format!("{ID}org/synth-io-{:02}", i + 1), class)
        })
        .collect();
    // Unused draw, kept: removing it would shift every later draw and change every graph.
    let _ = rng.next();
    let mut g = Gen {
        w: Writer {
            out,
            quads: options.quads,
            graph: "actors",
            line: String::with_capacity(256),
            report: Generated::default(),
        },
        rng,
        states,
        institutions,
        sources,
        next_norm: 0,
    };
    g.base()?;
    let mut idx = 0u64;
    while g.w.report.triples < options.triples {
        idx += 1;
        match g.rng.below(10) {
            0..=3 => g.resolution(idx)?,
            4..=6 => g.treaty(idx)?,
            _ => g.declaration(idx)?,
        }
    }
    if options.defect_rate > 0.0 {
        let kinds = DEFECT_KINDS.len() as f64;
        let per_kind =
            ((g.w.report.endorsements as f64 * options.defect_rate / kinds).round() as u64).max(1);
        for k in 0..per_kind {
            for kind in DEFECT_KINDS {
                g.defect(kind, k)?;
            }
        }
    }
    g.w.out.flush().map_err(Error::output)?;
    let mut report = g.w.report;
    report.defects.sort();
    Ok(report)
}

/// The kinds of defect the generator injects, one per validator rule.
pub const DEFECT_KINDS: &[&str] = &[
    "ratified-before-signed",
    "formal-act-before-instrument",
    "stance-before-instrument",
    "status-not-fitting-target",
    "status-not-fitting-actor",
    "missing-source",
    "backs-and-opposes",
    "vote-tally-mismatch",
    "dangling-reference",
    "duplicate",
    "future-date",
];

mod defects;
mod write;

use write::{Obj, Rng, Writer};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(day_to_date(0), "1990-01-01");
        assert_eq!(day_to_date(FIRST_DAY), "1995-01-01");
        assert_eq!(day_to_date(LAST_DAY), "2025-06-30");
        assert_eq!(day_to_date(FUTURE_DAY), "2099-01-01");
    }

    #[test]
    fn state_codes_are_user_assigned() {
        assert_eq!(state_code(0), "XAA");
        assert_eq!(state_code(199), "XHR");
    }
}
