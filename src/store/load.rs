//! Loading and unloading files: all-or-nothing commits (transactional or bulk), the check against
//! the shapes before a commit, and the bookkeeping written with the data.

use super::*;

impl KnowledgeGraph {
    /// Loads the given files (each into its own named graph), replacing those whose content changed.
    ///
    /// All-or-nothing: every file is parsed before anything is written; a parse error leaves the
    /// store exactly as it was.
    pub fn load(&self, files: &[SourceFile]) -> Result<LoadReport> {
        self.load_with(files, false, &[], None)
    }

    /// Loads the given files like [`KnowledgeGraph::load`], through the bulk loader when
    /// `options` ask for it or the files are large (see [`LoadOptions::bulk`] for what differs).
    pub fn load_with_options(
        &self,
        files: &[SourceFile],
        options: &LoadOptions,
    ) -> Result<LoadReport> {
        // Documents fetched over HTTP are already in memory: they take the transactional path.
        if files.iter().any(|f| f.remote.is_some()) {
            return self.load_with(files, false, &[], options.check.as_ref());
        }
        let bulk = match options.bulk {
            Some(b) => b,
            None => {
                let mut total = 0u64;
                for f in files {
                    total += std::fs::metadata(&f.path)
                        .map_err(|e| Error::io(&f.path, e))?
                        .len();
                }
                total >= BULK_THRESHOLD_BYTES
            }
        };
        if bulk {
            match self.load_bulk(files, options) {
                // Chosen by size only: a file with a huge term goes the transactional way (the
                // bulk path fails in its parse-only pass, before anything is written).
                Err(Error::Invalid(m)) if options.bulk.is_none() && m.contains(TERM_TOO_LONG) => {
                    self.load_with(files, false, &[], options.check.as_ref())
                }
                other => other,
            }
        } else {
            self.load_with(files, false, &[], options.check.as_ref())
        }
    }

    pub(super) fn load_bulk(
        &self,
        files: &[SourceFile],
        options: &LoadOptions,
    ) -> Result<LoadReport> {
        let start = Instant::now();
        let checksums = self.checksums()?;
        let mut report = LoadReport {
            bulk: true,
            ..LoadReport::default()
        };
        // Files loaded before: skip them when unchanged; otherwise check their syntax before
        // their old graph is dropped, so that a parse error leaves the store as it was.
        let mut todo = Vec::new();
        for file in files {
            if let Some(old) = checksums.get(file.graph.as_str()) {
                let sum = sha256_file(&file.path)?;
                if &sum == old {
                    report.unchanged += 1;
                    continue;
                }
                todo.push((file, true));
            } else {
                todo.push((file, false));
            }
        }
        // Every file is parsed once before anything is dropped or written: a malformed file,
        // new or changed, leaves the store exactly as it was.
        for (file, _) in &todo {
            if format_for_path(&file.path) == Some(RdfFormat::RdfXml) {
                let bytes = std::fs::read(&file.path).map_err(|e| Error::io(&file.path, e))?;
                check_xml_entities(&file.path, &bytes)?;
            }
            for q in stream_file(&file.path, &file.graph)? {
                q?;
            }
            if format_for_path(&file.path) == Some(RdfFormat::RdfXml) {
                check_xml_file_closed(&file.path)?;
            }
        }
        let rules = self.bundle.rules()?;
        let rules_sum = rules_checksum(&rules);
        if todo.is_empty() && checksums.get(graph::INFERRED) == Some(&rules_sum) {
            report.elapsed = start.elapsed();
            return Ok(report);
        }
        // The bulk loader commits on its own, so the load is recorded as progress: one commit drops
        // the graphs (and bookkeeping) of every file about to be written, leftovers of a crashed
        // load included, and marks the derived graph stale. A crash from here on leaves those files
        // recorded as not loaded (the next `load` writes them again, a reading command reloads
        // bundled ones) and the rules to be rerun; no file is ever recorded as loaded while its
        // graph is partial, since its record is written only after the bulk commit.
        {
            let mut tx = self.store.start_transaction()?;
            for (f, _) in &todo {
                drop_file_graph(&mut tx, f.graph.as_ref())?;
            }
            mark_rules_stale(&mut tx)?;
            tx.commit()?;
        }
        let memory = if options.max_memory_mb == 0 {
            512
        } else {
            options.max_memory_mb
        };
        let mut loader = self
            .store
            .bulk_loader()
            .with_max_memory_size_in_megabytes(memory);
        if let Some(progress) = &options.progress {
            let progress = std::sync::Arc::clone(progress);
            loader = loader.on_progress(move |n| progress(n));
        }
        let mut records = Vec::new();
        for (file, _) in &todo {
            let hasher = std::rc::Rc::new(std::cell::RefCell::new(Sha256::new()));
            let counted = std::rc::Rc::new(std::cell::Cell::new(0usize));
            let extra = std::rc::Rc::new(std::cell::RefCell::new(BTreeSet::new()));
            let reader = HashingReader {
                inner: std::fs::File::open(&file.path).map_err(|e| Error::io(&file.path, e))?,
                hasher: std::rc::Rc::clone(&hasher),
            };
            let quads = stream_reader(&file.path, reader, &file.graph)?;
            let (c, x, g) = (
                std::rc::Rc::clone(&counted),
                std::rc::Rc::clone(&extra),
                file.graph.clone(),
            );
            loader.load_ok_quads::<Error, Error>(quads.inspect(move |q| {
                if let Ok(q) = q {
                    c.set(c.get() + 1);
                    if let GraphName::NamedNode(n) = &q.graph_name {
                        if n != &g {
                            x.borrow_mut().insert(n.clone());
                        }
                    }
                }
            }))?;
            let sum = format!(
                "sha256:{}",
                crate::digest::hex(&hasher.replace(Sha256::new()).finalize())
            );
            records.push((*file, sum, extra.take(), counted.get()));
        }
        loader.commit()?;
        let mut tx = self.store.start_transaction()?;
        for (file, sum, extra, n) in records {
            write_file_record(&mut tx, file, &sum, false, &extra);
            report
                .loaded
                .push((file.path.clone(), file.graph.clone(), n));
        }
        tx.commit()?;
        report.load_time = start.elapsed();
        self.run_rules(&rules, &rules_sum, &mut report)?;
        if self.location.is_some() {
            // The bulk loader and the rules leave many unsorted files at RocksDB's top level: each
            // lookup then probes them all (who-backs-norm at 1M: 53 ms before, 20 ms after; the
            // compaction takes ~2 s there).
            let compacting = Instant::now();
            self.store.optimize()?;
            report.compaction_time = compacting.elapsed();
        }
        report.elapsed = start.elapsed();
        Ok(report)
    }

    /// A file's quads may fill its own graph and graphs of its own, never the bookkeeping or
    /// derived graphs or another loaded file's graph.
    pub(super) fn check_graphs_of(
        &self,
        path: &Path,
        own: &NamedNode,
        quads: &[Quad],
    ) -> Result<()> {
        let mut seen = BTreeSet::new();
        let mut mine: Option<BTreeSet<NamedNode>> = None;
        for q in quads {
            if let GraphName::NamedNode(g) = &q.graph_name {
                if g == own || !seen.insert(g.clone()) {
                    continue;
                }
                if mine.is_none() {
                    mine = Some(self.file_graphs(own)?);
                }
                if mine.as_ref().is_some_and(|m| m.contains(g)) {
                    continue;
                }
                if let Some(why) = self.reserved(g)? {
                    return Err(Error::Invalid(format!(
                        "{}: writes into graph {g}, which it may not: {why}",
                        path.display()
                    )));
                }
            }
        }
        Ok(())
    }

    /// The graph of a loaded file and the extra graphs its TriG/N-Quads content wrote.
    pub(super) fn file_graphs(&self, g: &NamedNode) -> Result<BTreeSet<NamedNode>> {
        let meta = NamedNodeRef::new_unchecked(graph::META);
        let mut out = BTreeSet::from([g.clone()]);
        for q in self.store.quads_for_pattern(
            Some(g.as_ref().into()),
            Some(DCTERMS_HAS_PART),
            None,
            Some(meta.into()),
        ) {
            if let Term::NamedNode(n) = q?.object {
                out.insert(n);
            }
        }
        Ok(out)
    }

    /// Reads and parses `files` (all of them, or only those whose content differs from what is
    /// loaded), checking each may write the graphs it names. Nothing is written.
    pub(super) fn parse_files<'f>(
        &self,
        files: &'f [SourceFile],
        checksums: Option<&BTreeMap<String, String>>,
        report: &mut LoadReport,
    ) -> Result<Vec<(&'f SourceFile, String, Vec<Quad>)>> {
        let mut parsed = Vec::new();
        for file in files {
            let owned;
            let bytes: &[u8] = match &file.remote {
                Some(r) => &r.bytes,
                None => {
                    owned = std::fs::read(&file.path).map_err(|e| Error::io(&file.path, e))?;
                    &owned
                }
            };
            let sum = format!("sha256:{}", crate::digest::sha256_hex(bytes));
            if checksums.is_some_and(|c| c.get(file.graph.as_str()) == Some(&sum)) {
                report.unchanged += 1;
                continue;
            }
            let quads = match &file.remote {
                Some(r) => parse_bytes(&file.path, r.format, &r.url, bytes, &file.graph)?,
                None => parse_file(&file.path, bytes, &file.graph)?,
            };
            self.check_graphs_of(&file.path, &file.graph, &quads)?;
            parsed.push((file, sum, quads));
        }
        Ok(parsed)
    }

    /// The graphs a load of `parsed` replaces and `removed` drops (with the graphs their
    /// TriG/N-Quads content wrote).
    pub(super) fn replaced_graphs(
        &self,
        parsed: &[(&SourceFile, String, Vec<Quad>)],
        removed: &[NamedNode],
    ) -> Result<BTreeSet<NamedNode>> {
        let mut skip = BTreeSet::new();
        for g in removed {
            skip.extend(self.file_graphs(g)?);
        }
        for (file, _, _) in parsed {
            skip.extend(self.file_graphs(&file.graph)?);
        }
        Ok(skip)
    }

    /// The knowledge graph as it would be after loading `files` (each replacing the graph of the
    /// same name), in memory, rules applied; the store itself is not touched. `validate FILE`
    /// checks files in the context of the store through this.
    pub fn with_files(&self, files: &[SourceFile]) -> Result<KnowledgeGraph> {
        let mut report = LoadReport::default();
        let parsed = self.parse_files(files, None, &mut report)?;
        let skip = self.replaced_graphs(&parsed, &[])?;
        let add: Vec<&[Quad]> = parsed.iter().map(|(_, _, q)| q.as_slice()).collect();
        let (memory, _, _) = self.infer(&self.bundle.rules()?, &skip, &add)?;
        Ok(self.beside(memory))
    }

    /// Removes loaded files (by their graph) from the store and recomputes the derived graph, in
    /// one commit as a load does. Graphs of the bundled data cannot be unloaded (the next reading
    /// command would load them again): remove the file from the bundle instead.
    pub fn unload(&self, graphs: &[NamedNode], check: Option<&Check>) -> Result<LoadReport> {
        let checksums = self.checksums()?;
        let bundled = self.bundle_graphs()?;
        for g in graphs {
            if bundled.contains(g.as_str()) {
                return Err(Error::Invalid(format!(
                    "{g} holds a file of the bundled data; it is loaded again by every reading command: remove the file from the bundle (or use --home) instead"
                )));
            }
            if g.as_str() == graph::META
                || g.as_str() == graph::INFERRED
                || !checksums.contains_key(g.as_str())
            {
                return Err(Error::Invalid(format!(
                    "{g} is not the graph of a loaded file (see `normgraph stats` for the loaded files)"
                )));
            }
        }
        self.load_with(&[], false, graphs, check)
    }

    pub(super) fn load_with(
        &self,
        files: &[SourceFile],
        bundle: bool,
        removed: &[NamedNode],
        check: Option<&Check>,
    ) -> Result<LoadReport> {
        let start = Instant::now();
        let checksums = self.checksums()?;
        let mut report = LoadReport::default();
        // Parse everything first: nothing is written unless every file is good.
        let parsed = self.parse_files(files, Some(&checksums), &mut report)?;
        let rules = self.bundle.rules()?;
        let rules_sum = rules_checksum(&rules);
        let rules_changed = checksums.get(graph::INFERRED) != Some(&rules_sum);
        if parsed.is_empty() && removed.is_empty() && !rules_changed {
            report.elapsed = start.elapsed();
            return Ok(report);
        }
        // The rules run first, on a memory copy of the data as it will be, so that a failing rule
        // (or a failing check of the result) writes nothing; then one commit writes the files and
        // their bookkeeping and marks the derived graph stale, and `write_inferred` replaces it
        // (readers never see it missing; a crash in between leaves it to be recomputed).
        let skip = self.replaced_graphs(&parsed, removed)?;
        let add: Vec<&[Quad]> = parsed.iter().map(|(_, _, q)| q.as_slice()).collect();
        let (memory, inferred, times) = self.infer(&rules, &skip, &add)?;
        if let Some(check) = check {
            check(self, &self.beside(memory))?;
        } else {
            drop(memory);
        }
        let mut tx = self.store.start_transaction()?;
        for g in removed {
            drop_file_graph(&mut tx, g.as_ref())?;
        }
        for (file, sum, quads) in &parsed {
            drop_file_graph(&mut tx, file.graph.as_ref())?;
            let mut extra_graphs = BTreeSet::new();
            for q in quads {
                if let GraphName::NamedNode(n) = &q.graph_name {
                    if n != &file.graph {
                        extra_graphs.insert(n.clone());
                    }
                }
                tx.insert(q);
            }
            write_file_record(&mut tx, file, sum, bundle, &extra_graphs);
            report
                .loaded
                .push((file.path.clone(), file.graph.clone(), quads.len()));
        }
        report.removed = removed.to_vec();
        mark_rules_stale(&mut tx)?;
        tx.commit()?;
        report.load_time = start.elapsed();
        self.write_inferred(&inferred, &rules_sum)?;
        report.inferred = inferred.len();
        report.rule_times = times;
        report.reasoned = true;
        if self.location.is_some() {
            self.store.flush()?;
        }
        report.elapsed = start.elapsed();
        Ok(report)
    }
}
