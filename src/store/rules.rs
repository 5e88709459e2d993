//! The rules: the derived graph computed from a memory copy of the data and written beside the old
//! one (readers never see neither), marked stale in the commit that changes the data.

use super::*;

impl KnowledgeGraph {
    /// Recomputes the inferred graph: the rules run on an in-memory copy of the data, and the
    /// inferred graph is replaced, with the rules' checksum, in one commit (readers see the old
    /// or the new derived graph, never none).
    pub(super) fn run_rules(
        &self,
        rules: &[(String, String)],
        rules_sum: &str,
        report: &mut LoadReport,
    ) -> Result<()> {
        let (_, inferred, times) = self.infer(rules, &BTreeSet::new(), &[])?;
        let mut tx = self.store.start_transaction()?;
        mark_rules_stale(&mut tx)?;
        tx.commit()?;
        self.write_inferred(&inferred, rules_sum)?;
        report.inferred = inferred.len();
        report.rule_times = times;
        report.reasoned = true;
        if self.location.is_some() {
            self.store.flush()?;
        }
        Ok(())
    }

    /// Runs the rules over a copy of the store's data in memory: every graph but the inferred and
    /// bookkeeping graphs and those in `skip`, plus the quads of `add` (files about to be written).
    /// Returns the memory copy (data and inferred graph), the inferred quads and the time of each
    /// rule file. Reading back what a rule wrote
    /// through an uncommitted RocksDB transaction is ~20x slower than through a memory store.
    pub(super) fn infer(
        &self,
        rules: &[(String, String)],
        skip: &BTreeSet<NamedNode>,
        add: &[&[Quad]],
    ) -> Result<(Store, Vec<Quad>, RuleTimes)> {
        let trace = std::env::var_os("NORMGRAPH_RULE_TIMES").is_some();
        let started = Instant::now();
        let inferred = NamedNodeRef::new_unchecked(graph::INFERRED);
        let meta = NamedNodeRef::new_unchecked(graph::META);
        let memory = Store::new()?;
        let mut copy = memory.bulk_loader();
        let kept = self.store.iter().filter(|q| match q {
            Ok(q) => match &q.graph_name {
                GraphName::NamedNode(g) => {
                    g.as_ref() != inferred && g.as_ref() != meta && !skip.contains(g)
                }
                _ => true,
            },
            Err(_) => true,
        });
        copy.load_ok_quads::<StorageError, StorageError>(kept)?;
        for quads in add {
            copy.load_quads(quads.iter().cloned())?;
        }
        copy.commit()?;
        if trace {
            eprintln!("rules: data copied to memory in {:.2?}", started.elapsed());
        }
        let mut times = Vec::new();
        for (name, text) in rules {
            let started = Instant::now();
            SparqlEvaluator::new()
                .parse_update(text)
                .map_err(|e| Error::QuerySyntax {
                    name: name.clone(),
                    message: e.to_string(),
                })?
                .on_store(&memory)
                .execute()
                .map_err(|e| Error::query_failed(name.clone(), e))?;
            let file = Path::new(name)
                .file_name()
                .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
            times.push((file, started.elapsed()));
        }
        let read = Instant::now();
        let out = memory
            .quads_for_pattern(None, None, None, Some(inferred.into()))
            .collect::<Result<Vec<_>, _>>()?;
        if trace {
            eprintln!(
                "rules: {} inferred quads read back in {:.2?}",
                out.len(),
                read.elapsed()
            );
        }
        Ok((memory, out, times))
    }

    /// Writes a newly computed inferred graph. The bulk loader adds the new quads to the old graph
    /// (so readers see old and new together for a moment, never neither), then one commit removes
    /// the old quads the new graph no longer has and records the rules' checksum. The caller has
    /// marked the derived graph stale in an earlier commit: a crash in between leaves it to be
    /// recomputed by the next load or reading command. Inserting through a RocksDB transaction
    /// costs ~40 us a quad; most of a recomputed graph is unchanged, so the commit stays small.
    pub(super) fn write_inferred(&self, quads: &[Quad], rules_sum: &str) -> Result<()> {
        let trace = std::env::var_os("NORMGRAPH_RULE_TIMES").is_some();
        let started = Instant::now();
        let inferred = NamedNodeRef::new_unchecked(graph::INFERRED);
        let mut loader = self.store.bulk_loader();
        loader.load_quads(quads.iter().cloned())?;
        loader.commit()?;
        if trace {
            eprintln!(
                "rules: inferred graph bulk-written in {:.2?}",
                started.elapsed()
            );
        }
        let mut stale = Vec::new();
        if self
            .store
            .quads_for_pattern(None, None, None, Some(inferred.into()))
            .nth(quads.len())
            .is_some()
        {
            let new: std::collections::HashSet<&Quad> = quads.iter().collect();
            for q in self
                .store
                .quads_for_pattern(None, None, None, Some(inferred.into()))
            {
                let q = q?;
                if !new.contains(&q) {
                    stale.push(q);
                }
            }
        }
        let mut tx = self.store.start_transaction()?;
        for q in &stale {
            tx.remove(q);
        }
        record_rules(&mut tx, rules_sum)?;
        tx.commit()?;
        Ok(())
    }

    /// Marks the derived graph stale in a commit of its own. A write the rules cannot follow in
    /// the same commit (a SPARQL Update) calls this first: a crash after its data commit then
    /// leaves a store whose next opening recomputes the rules, never derived facts taken for
    /// current that the new data contradicts.
    pub fn mark_derived_stale(&self) -> Result<()> {
        let mut tx = self.store.start_transaction()?;
        mark_rules_stale(&mut tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Computes the derived graph from a snapshot of the data, without writing it (the slow part
    /// of [`KnowledgeGraph::reason`]: the data copied to memory and the rules run there).
    pub fn derive(&self) -> Result<Derived> {
        let rules = self.bundle.rules()?;
        let (_, quads, _) = self.infer(&rules, &BTreeSet::new(), &[])?;
        Ok(Derived {
            quads,
            rules_sum: rules_checksum(&rules),
        })
    }

    /// Writes a derived graph computed by [`KnowledgeGraph::derive`] and records it as current.
    /// Readers see the old derived facts until the new ones are in, never neither. The caller
    /// makes sure no data was written since the snapshot it was computed from.
    pub fn write_derived(&self, derived: &Derived) -> Result<()> {
        self.write_inferred(&derived.quads, &derived.rules_sum)?;
        if self.location.is_some() {
            self.store.flush()?;
        }
        Ok(())
    }

    /// Recomputes the inferred graph from scratch (the rules of `ontology/rules/`).
    pub fn reason(&self) -> Result<usize> {
        let rules = self.bundle.rules()?;
        let mut report = LoadReport::default();
        self.run_rules(&rules, &rules_checksum(&rules), &mut report)?;
        Ok(report.inferred)
    }
}
