//! The NDJSON loader (import-format.md): one transaction per file, idempotent, every bad line
//! reported with its number and reason. Parsing runs on its own thread so it overlaps with the
//! database writes.

use std::collections::{BTreeSet, HashSet};
use std::io::BufRead;
use std::path::Path;

use serde::Serialize;

use super::db::writes::{ImportTx, PreparedRun, Upserted, BATCH_ROWS};
use super::db::{Store, StoreError};
use crate::domain::logs::LogLine;
use crate::domain::records::{parse_line, LineError, Record};

/// At most this many bad lines are listed; the rest are counted.
pub const MAX_REPORTED_ERRORS: usize = 100;
/// Lines the parser hands to the writer at a time.
const CHUNK_LINES: usize = 1024;

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Commit the valid lines and report the rest, instead of committing nothing.
    pub skip_invalid: bool,
    /// Show a progress bar (on a terminal, for large inputs).
    pub progress: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadLine {
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub lines: u64,
    pub accounts: Upserted,
    pub sites: Upserted,
    pub runs: Upserted,
    pub pipelines: Upserted,
    pub logs: Upserted,
    pub invalid_lines: u64,
    /// The first [`MAX_REPORTED_ERRORS`] bad lines.
    pub errors: Vec<BadLine>,
    pub committed: bool,
}

impl ImportReport {
    fn reject(&mut self, line: u64, reason: String) {
        self.invalid_lines += 1;
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(BadLine { line, reason });
        }
    }

    /// A summary for people: what was loaded, and what was not.
    pub fn summary(&self) -> String {
        let kind =
            |name: &str, u: &Upserted| format!("  {name:<10}{:>9} inserted {:>9} updated\n", u.inserted, u.updated);
        let mut out = format!("{} lines read\n", self.lines);
        out += &kind("accounts", &self.accounts);
        out += &kind("sites", &self.sites);
        out += &kind("runs", &self.runs);
        out += &kind("pipeline", &self.pipelines);
        out += &kind("logs", &self.logs);
        if self.invalid_lines > 0 {
            out += &format!(
                "{} invalid line(s){}\n",
                self.invalid_lines,
                if self.committed { ", skipped" } else { "; nothing was committed" }
            );
        }
        out
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A parsed line; runs come with their JSON columns written.
enum Item {
    Run(Box<PreparedRun>),
    Other(Record),
}

type Parsed = (u64, Result<Item, LineError>);

/// Imports one file.
pub async fn import_file(store: &Store, path: &Path, options: ImportOptions) -> Result<ImportReport, ImportError> {
    let read_err = |source| ImportError::Read { path: path.display().to_string(), source };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let size = file.metadata().map_err(read_err)?.len();
    let progress = progress_bar(options.progress, size, path);
    let reader = std::io::BufReader::with_capacity(1 << 20, ProgressReader { inner: file, bar: progress.clone() });
    let report = import_reader(store, reader, options).await;
    progress.finish_and_clear();
    report
}

struct ProgressReader<R> {
    inner: R,
    bar: indicatif::ProgressBar,
}

impl<R: std::io::Read> std::io::Read for ProgressReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

fn progress_bar(show: bool, size: u64, path: &Path) -> indicatif::ProgressBar {
    // Small files finish before a bar is worth drawing.
    if !show || size < 4 << 20 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(size);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(path.display().to_string());
    bar
}

/// Imports NDJSON from `reader` in one transaction.
pub async fn import_reader<R: BufRead + Send + 'static>(
    store: &Store,
    reader: R,
    options: ImportOptions,
) -> Result<ImportReport, ImportError> {
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<Vec<Parsed>, std::io::Error>>(8);
    let parser = std::thread::spawn(move || parse_lines(reader, sender));

    let (known_accounts, known_sites) = store.known_ids().await?;
    let mut loader = Loader {
        tx: store.begin_import().await?,
        report: ImportReport::default(),
        options,
        known_accounts,
        known_sites,
        seen_runs: HashSet::new(),
        runs: Vec::with_capacity(BATCH_ROWS),
        batch_ids: HashSet::new(),
        logs: Vec::new(),
        orphan_logs: Vec::new(),
    };
    while let Some(chunk) = receiver.recv().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(source) => {
                let _ = parser.join();
                return Err(ImportError::Read { path: "input".into(), source });
            }
        };
        for (line, parsed) in chunk {
            loader.report.lines = line;
            loader.take(line, parsed).await?;
        }
    }
    let _ = parser.join();
    loader.finish(store).await
}

fn parse_lines<R: BufRead>(reader: R, sender: tokio::sync::mpsc::Sender<Result<Vec<Parsed>, std::io::Error>>) {
    let mut chunk = Vec::with_capacity(CHUNK_LINES);
    for (index, line) in reader.lines().enumerate() {
        let number = index as u64 + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                chunk.push((number, Err(LineError("not valid UTF-8".into()))));
                continue;
            }
            Err(e) => {
                let _ = sender.blocking_send(Err(e));
                return;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let item = parse_line(&line).map(|record| match record {
            Record::Run(run) => Item::Run(Box::new(PreparedRun::new(*run))),
            other => Item::Other(other),
        });
        chunk.push((number, item));
        if chunk.len() == CHUNK_LINES && sender.blocking_send(Ok(std::mem::take(&mut chunk))).is_err() {
            return;
        }
    }
    if !chunk.is_empty() {
        let _ = sender.blocking_send(Ok(chunk));
    }
}

struct Loader {
    tx: ImportTx,
    report: ImportReport,
    options: ImportOptions,
    known_accounts: BTreeSet<i64>,
    known_sites: BTreeSet<i64>,
    seen_runs: HashSet<String>,
    runs: Vec<PreparedRun>,
    batch_ids: HashSet<String>,
    logs: Vec<(String, LogLine)>,
    /// Lines of runs not seen yet in this file: checked against the store at the end.
    orphan_logs: Vec<(u64, String, LogLine)>,
}

impl Loader {
    /// Once a line is bad and bad lines are not skipped, nothing will be committed: the rest
    /// is only checked, so every bad line is still reported.
    fn writing(&self) -> bool {
        self.options.skip_invalid || self.report.invalid_lines == 0
    }

    async fn take(&mut self, line: u64, parsed: Result<Item, LineError>) -> Result<(), ImportError> {
        let record = match parsed {
            Ok(Item::Run(prepared)) => return self.take_run(line, *prepared).await,
            Ok(Item::Other(r)) => r,
            Err(e) => {
                self.report.reject(line, e.0);
                return Ok(());
            }
        };
        match record {
            Record::Account(a) => {
                self.known_accounts.insert(a.id);
                if self.writing() {
                    let u = self.tx.upsert_accounts(std::slice::from_ref(&a)).await?;
                    add(&mut self.report.accounts, u);
                }
            }
            Record::Site(s) => {
                if !self.known_accounts.contains(&s.account_id) {
                    self.report.reject(
                        line,
                        format!(
                            "site {}: account {} is not known (its account line must come first)",
                            s.id, s.account_id
                        ),
                    );
                    return Ok(());
                }
                self.known_sites.insert(s.id);
                if self.writing() {
                    let u = self.tx.upsert_sites(std::slice::from_ref(&s)).await?;
                    add(&mut self.report.sites, u);
                }
            }
            // The parsing thread prepares runs; one that was not is prepared here.
            Record::Run(run) => return self.take_run(line, PreparedRun::new(*run)).await,
            Record::Pipeline(p) => {
                if !self.known_sites.contains(&p.site_id) {
                    self.report.reject(
                        line,
                        format!("pipeline: site {} is not known (its site line must come first)", p.site_id),
                    );
                    return Ok(());
                }
                if self.writing() {
                    let u = self.tx.upsert_pipeline(&p).await?;
                    add(&mut self.report.pipelines, u);
                }
            }
            Record::Log(l) => {
                if !self.seen_runs.contains(&l.run_id) {
                    self.orphan_logs.push((line, l.run_id, l.line));
                } else if self.writing() {
                    self.logs.push((l.run_id, l.line));
                    if self.logs.len() >= BATCH_ROWS {
                        self.flush_logs().await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn take_run(&mut self, line: u64, prepared: PreparedRun) -> Result<(), ImportError> {
        let run = &prepared.run;
        if !self.known_sites.contains(&run.site_id) {
            self.report.reject(
                line,
                format!("run {}: site {} is not known (its site line must come first)", run.run_id, run.site_id),
            );
            return Ok(());
        }
        self.seen_runs.insert(run.run_id.clone());
        if self.writing() {
            if !self.batch_ids.insert(run.run_id.clone()) {
                // The same id twice in one statement is an error on PostgreSQL.
                self.flush_runs().await?;
                self.batch_ids.insert(prepared.run.run_id.clone());
            }
            self.runs.push(prepared);
            if self.runs.len() >= BATCH_ROWS {
                self.flush_runs().await?;
            }
        }
        Ok(())
    }

    async fn flush_runs(&mut self) -> Result<(), ImportError> {
        if !self.runs.is_empty() {
            let u = self.tx.upsert_runs(&self.runs).await?;
            add(&mut self.report.runs, u);
            self.runs.clear();
            self.batch_ids.clear();
        }
        Ok(())
    }

    async fn flush_logs(&mut self) -> Result<(), ImportError> {
        // Log lines reference their runs, which must be written first.
        self.flush_runs().await?;
        for chunk in self.logs.chunks(BATCH_ROWS) {
            let u = self.tx.insert_logs(chunk).await?;
            add(&mut self.report.logs, u);
        }
        self.logs.clear();
        Ok(())
    }

    async fn finish(mut self, store: &Store) -> Result<ImportReport, ImportError> {
        let orphans = std::mem::take(&mut self.orphan_logs);
        let unseen: Vec<String> = orphans
            .iter()
            .filter(|(_, id, _)| !self.seen_runs.contains(id))
            .map(|(_, id, _)| id.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let stored = store.existing_run_ids(&unseen).await?;
        for (line, run_id, log) in orphans {
            if self.seen_runs.contains(&run_id) || stored.contains(&run_id) {
                if self.writing() {
                    self.logs.push((run_id, log));
                }
            } else {
                self.report.reject(line, format!("log: run {run_id} is not known"));
            }
        }
        if self.writing() {
            self.flush_logs().await?;
            self.report.errors.sort_by_key(|e| e.line);
            self.tx.commit().await?;
            self.report.committed = true;
        } else {
            // Dropping the transaction rolls it back.
            self.report.errors.sort_by_key(|e| e.line);
            self.report.accounts = Upserted::default();
            self.report.sites = Upserted::default();
            self.report.runs = Upserted::default();
            self.report.pipelines = Upserted::default();
            self.report.logs = Upserted::default();
        }
        Ok(self.report)
    }
}

fn add(total: &mut Upserted, u: Upserted) {
    total.inserted += u.inserted;
    total.updated += u.updated;
}
