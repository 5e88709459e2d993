//! Defects injected on fresh instruments (`--defects RATE`), one kind at a time, each with the
//! finding it must raise (see [`super::ExpectedFinding`]).

use super::*;

fn compact(iri: &str) -> String {
    crate::vocab::compact(iri).unwrap_or_else(|| format!("<{iri}>"))
}

impl<W: Write> Gen<W> {
    fn expect(&mut self, kind: &str, severity: &str, focus: &str, rule: &str) {
        self.w.report.defects.push(ExpectedFinding {
            kind: kind.to_owned(),
            severity: severity.to_owned(),
            focus: compact(focus),
            rule: rule.to_owned(),
        });
    }

    /// Injects defect number `k` of `kind` on a fresh instrument, and records what it must raise.
    pub(super) fn defect(&mut self, kind: &str, k: u64) -> Result<()> {
        *self
            .w
            .report
            .defect_counts
            .entry(kind.to_owned())
            .or_insert(0) += 1;
        let key = format!("synth-defect-{kind}-{k:04}");
        let day = FIRST_DAY + self.rng.below(SPAN_DAYS as u64 - 3_000) as i64;
        let state = self.states[(k as usize * 7 + kind.len()) % STATES].clone();
        // Drawn for every kind (only "duplicate" uses it): the draws must not depend on the kind.
        let src = self.source();
        match kind {
            "ratified-before-signed" => {
                let t = self.instrument(&key, "Treaty", day, &[])?;
                self.stance(&key, &state, &t, "signed", day + 200)?;
                let r = self.stance(&key, &state, &t, "ratified", day + 100)?;
                self.expect(kind, "violation", &r, "ratification dated before signature");
            }
            "formal-act-before-instrument" => {
                let t = self.instrument(&key, "Treaty", day, &[])?;
                let e = self.stance(&key, &state, &t, "signed", day - 50)?;
                self.expect(
                    kind,
                    "violation",
                    &e,
                    "formal act dated before its instrument exists",
                );
            }
            "stance-before-instrument" => {
                let t = self.instrument(&key, "Declaration", day, &[])?;
                let e = self.stance(&key, &state, &t, "supported", day - 50)?;
                self.expect(kind, "warning", &e, "stance dated before its instrument");
            }
            "status-not-fitting-target" => {
                let t = self.instrument(&key, "Treaty", day, &[])?;
                let e = self.stance(&key, &state, &t, "voted-for", day + 10)?;
                self.expect(kind, "violation", &e, "status does not fit the target");
            }
            "status-not-fitting-actor" => {
                let t = self.instrument(&key, "Treaty", day, &[])?;
                // Institutions 21..30 are multistakeholder bodies and forums: they cannot sign.
                let inst = self.institutions[20 + (k as usize % 10)].0.clone();
                let e = self.stance(&key, &inst, &t, "signed", day + 10)?;
                self.expect(kind, "violation", &e, "status does not fit the actor");
            }
            "missing-source" => {
                let t = self.instrument(&key, "Declaration", day, &[])?;
                let e = self.endorsement(&Endorsement {
                    key: format!("{key}-nosource"),
                    actor: &state,
                    target: &t,
                    status: "supported",
                    day: day + 10,
                    source: None,
                })?;
                self.expect(
                    kind,
                    "violation",
                    &e,
                    "endorsement: minCount prov:hadPrimarySource",
                );
            }
            "backs-and-opposes" => {
                let t = self.instrument(&key, "Declaration", day, &[])?;
                let norms = self.norms(&t, 1)?;
                // A state of its own per defect, so that each defect has its own focus node.
                let actor = self.states[(k as usize) % STATES].clone();
                self.stance(&key, &actor, &t, "supported", day + 10)?;
                let nkey = format!("{key}-norm");
                self.stance(&nkey, &actor, &norms[0], "opposed", day + 20)?;
                // The focus is the state; with several defects on one state the finding is the
                // same (focus, rule) pair once per norm.
                self.expect(kind, "violation", &actor, "backs and opposes the same norm");
            }
            "vote-tally-mismatch" => {
                let method = format!("{ID}adoption-method/recorded-vote");
                let r = self.instrument(
                    &key,
                    "Resolution",
                    day,
                    &[
                        (&format!("{NG}adoptionMethod"), Obj::Iri(&method)),
                        (&format!("{NG}votesFor"), Obj::Int(4)),
                        (&format!("{NG}votesAgainst"), Obj::Int(0)),
                        (&format!("{NG}abstentions"), Obj::Int(0)),
                    ],
                )?;
                for j in 0..3 {
                    let st = self.states[(k as usize * 3 + j) % STATES].clone();
                    self.stance(&key, &st, &r, "voted-for", day)?;
                }
                self.expect(
                    kind,
                    "violation",
                    &r,
                    "recorded votes do not add up to the tally",
                );
            }
            "dangling-reference" => {
                let t = self.instrument(&key, "Declaration", day, &[])?;
                let missing = format!("{ID}source/synth-missing-{k:04}");
                let e = self.endorsement(&Endorsement {
                    key: format!("{key}-dangling"),
                    actor: &state,
                    target: &t,
                    status: "supported",
                    day: day + 10,
                    source: Some(&missing),
                })?;
                self.expect(
                    kind,
                    "violation",
                    &missing,
                    "referenced resource: minCount rdf:type",
                );
                self.expect(
                    kind,
                    "violation",
                    &e,
                    "endorsement: class prov:hadPrimarySource",
                );
            }
            "duplicate" => {
                let t = self.instrument(&key, "Declaration", day, &[])?;
                for copy in ["a", "b"] {
                    let e = self.endorsement(&Endorsement {
                        key: format!("{key}-{copy}"),
                        actor: &state,
                        target: &t,
                        status: "supported",
                        day: day + 10,
                        source: Some(&src),
                    })?;
                    self.expect(kind, "warning", &e, "duplicate endorsement");
                }
            }
            "future-date" => {
                let t = self.instrument(&key, "Declaration", day, &[])?;
                // 2099-01-01: far enough ahead to stay in the future.
                let e = self.stance(&key, &state, &t, "supported", FUTURE_DAY)?;
                self.expect(kind, "violation", &e, "date in the future");
            }
            other => return Err(Error::Invalid(format!("unknown defect kind {other:?}"))),
        }
        Ok(())
    }
}
