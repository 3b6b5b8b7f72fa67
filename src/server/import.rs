//! The NDJSON loader (import-format.md): one transaction per file, idempotent, every bad line
//! reported with its number and reason. Parsing runs on its own thread so it overlaps with the
//! database writes. Memory does not grow with the file: lines stream through in batches, and
//! what the loader must remember of earlier lines (which runs it wrote) it asks the store.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{BufRead, Seek, Write};
use std::path::Path;

use serde::Serialize;

use super::db::writes::{ImportTx, PreparedRun, Upserted, BATCH_ROWS, DEFAULT_IMPORT_CACHE_MIB};
use super::db::{Store, StoreError};
use crate::domain::logs::LogLine;
use crate::domain::records::{parse_line, LineError, Record};

/// At most this many bad lines are listed; the rest are counted.
pub const MAX_REPORTED_ERRORS: usize = 100;
/// Lines the parser hands to the writer at a time.
const CHUNK_LINES: usize = 512;
/// Chunks parsed ahead of the writer: enough to keep both busy, few enough that parsed lines
/// hold a few megabytes, not the file.
const CHUNKS_AHEAD: usize = 4;

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Commit the valid lines and report the rest, instead of committing nothing.
    pub skip_invalid: bool,
    /// Show a progress bar (on a terminal, for large inputs).
    pub progress: bool,
    /// Write only into this account (ingest with its token), instead of the installation.
    pub account: Option<i64>,
    /// SQLite's page cache for the import, in MiB, instead of [`DEFAULT_IMPORT_CACHE_MIB`]: more
    /// is faster on large files, and the cache is most of an import's memory.
    pub cache_mib: Option<u32>,
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
        let kind = |name: &str, u: &Upserted| {
            format!("  {name:<10}{:>9} inserted {:>9} updated {:>9} unchanged\n", u.inserted, u.updated, u.unchanged)
        };
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
    /// A record of another account (ingest): nothing is written.
    #[error("{0} not found")]
    NotFound(String),
    /// An account record for another account than the token's (ingest): nothing is written.
    #[error("{0}")]
    Forbidden(String),
    /// The temporary file that holds log lines until their run is read failed.
    #[error("cannot keep log lines aside until their run is read: {0}")]
    Deferred(std::io::Error),
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
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<Vec<Parsed>, std::io::Error>>(CHUNKS_AHEAD);
    let parser = std::thread::spawn(move || parse_lines(reader, sender));

    let mut loader = Loader {
        tx: store.begin_import_with(options.cache_mib.unwrap_or(DEFAULT_IMPORT_CACHE_MIB)).await?,
        report: ImportReport::default(),
        options,
        known_accounts: BTreeSet::new(),
        known_sites: HashMap::new(),
        runs: Vec::with_capacity(BATCH_ROWS),
        batch_ids: HashSet::new(),
        logs: Vec::new(),
        deferred: None,
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
    loader.finish().await
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
            Record::Run(run) => Item::Run(Box::new(PreparedRun::new(*run, number))),
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
    /// Accounts and sites (with their account) found so far, in the file or the store.
    known_accounts: BTreeSet<i64>,
    known_sites: HashMap<i64, i64>,
    runs: Vec<PreparedRun>,
    batch_ids: HashSet<String>,
    /// Log lines waiting for their batch, with their input line.
    logs: Vec<Pending>,
    /// Log lines whose run was not stored when their batch was written: it may still come later
    /// in the file. The store, not memory, tells which runs the file has written so far.
    deferred: Option<Deferred>,
}

/// A log line with its input line.
type Pending = (u64, String, LogLine);

/// Log lines put aside until the end of the file, in a temporary file, so memory does not
/// grow with the file whatever order its lines come in.
struct Deferred {
    file: std::io::BufWriter<std::fs::File>,
}

impl Deferred {
    fn new() -> std::io::Result<Deferred> {
        Ok(Deferred { file: std::io::BufWriter::new(tempfile::tempfile()?) })
    }

    fn push(&mut self, pending: &Pending) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.file, pending)?;
        self.file.write_all(b"\n")
    }

    /// The lines put aside, from the first.
    fn reread(self) -> std::io::Result<impl Iterator<Item = std::io::Result<Pending>>> {
        let mut file = self.file.into_inner().map_err(std::io::IntoInnerError::into_error)?;
        file.seek(std::io::SeekFrom::Start(0))?;
        Ok(std::io::BufReader::new(file)
            .lines()
            .map(|line| -> std::io::Result<Pending> { Ok(serde_json::from_str(&line?)?) }))
    }
}

impl Loader {
    #[expect(clippy::too_many_lines, reason = "one arm per record kind of import-format.md, each a few lines")]
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
                if self.options.account.is_some_and(|own| own != a.id) {
                    return Err(ImportError::Forbidden(format!(
                        "line {line}: account {} is not the token's account; only its own balance can be reported",
                        a.id
                    )));
                }
                self.known_accounts.insert(a.id);
                let u = self.tx.upsert_accounts(std::slice::from_ref(&a)).await?;
                add(&mut self.report.accounts, u);
            }
            Record::Site(s) => {
                if let Some(own) = self.options.account {
                    let stored = self.site_account(s.id).await?;
                    if s.account_id != own || stored.is_some_and(|a| a != own) {
                        return Err(ImportError::NotFound(format!("Site {}", s.id)));
                    }
                }
                if !self.account_known(s.account_id).await? {
                    self.report.reject(
                        line,
                        format!(
                            "site {}: account {} is not known (its account line must come first)",
                            s.id, s.account_id
                        ),
                    );
                    return Ok(());
                }
                self.known_sites.insert(s.id, s.account_id);
                let u = self.tx.upsert_sites(std::slice::from_ref(&s)).await?;
                add(&mut self.report.sites, u);
            }
            // The parsing thread prepares runs; one that was not is prepared here.
            Record::Run(run) => return self.take_run(line, PreparedRun::new(*run, line)).await,
            Record::Pipeline(p) => {
                if !self.site_known(p.site_id).await? {
                    self.report.reject(
                        line,
                        format!("pipeline: site {} is not known (its site line must come first)", p.site_id),
                    );
                    return Ok(());
                }
                let u = self.tx.upsert_pipeline(&p).await?;
                add(&mut self.report.pipelines, u);
            }
            Record::Log(l) => {
                self.logs.push((line, l.run_id, l.line));
                if self.logs.len() >= BATCH_ROWS {
                    self.flush_logs().await?;
                }
            }
        }
        Ok(())
    }

    async fn take_run(&mut self, line: u64, prepared: PreparedRun) -> Result<(), ImportError> {
        let run = &prepared.run;
        if !self.site_known(run.site_id).await? {
            self.report.reject(
                line,
                format!("run {}: site {} is not known (its site line must come first)", run.run_id, run.site_id),
            );
            return Ok(());
        }
        if !self.batch_ids.insert(run.run_id.clone()) {
            // The same id twice in one statement is an error on PostgreSQL.
            self.flush_runs().await?;
            self.batch_ids.insert(prepared.run.run_id.clone());
        }
        self.runs.push(prepared);
        if self.runs.len() >= BATCH_ROWS {
            self.flush_runs().await?;
        }
        Ok(())
    }

    /// The site's account, from the file so far or the store.
    async fn site_account(&mut self, site_id: i64) -> Result<Option<i64>, ImportError> {
        if let Some(&account) = self.known_sites.get(&site_id) {
            return Ok(Some(account));
        }
        let account = self.tx.site_account(site_id).await?;
        if let Some(a) = account {
            self.known_sites.insert(site_id, a);
        }
        Ok(account)
    }

    /// Whether the site exists and the import may write into it: with ingest, a site of
    /// another account is refused as if it did not exist, and the whole request with it.
    async fn site_known(&mut self, site_id: i64) -> Result<bool, ImportError> {
        match (self.site_account(site_id).await?, self.options.account) {
            (None, _) => Ok(false),
            (Some(a), Some(own)) if a != own => Err(ImportError::NotFound(format!("Site {site_id}"))),
            _ => Ok(true),
        }
    }

    async fn account_known(&mut self, account_id: i64) -> Result<bool, ImportError> {
        if self.known_accounts.contains(&account_id) {
            return Ok(true);
        }
        let exists = self.tx.account_exists(account_id).await?;
        if exists {
            self.known_accounts.insert(account_id);
        }
        Ok(exists)
    }

    /// With ingest, a run keeps its site and its account: the batch's stored runs are checked
    /// before it is written, and a run that would move is rejected and left out.
    async fn check_run_owners(&mut self) -> Result<(), ImportError> {
        let Some(own) = self.options.account else { return Ok(()) };
        let ids: Vec<&str> = self.runs.iter().map(|p| p.run.run_id.as_str()).collect();
        let stored = self.tx.stored_runs(&ids).await?;
        let sent: Vec<(u64, String, i64)> =
            self.runs.iter().map(|p| (p.line, p.run.run_id.clone(), p.run.site_id)).collect();
        let mut moved = HashSet::new();
        for (line, run_id, site_id) in sent {
            let Some(old) = stored.get(&run_id) else { continue };
            if self.site_account(old.site_id).await? != Some(own) {
                return Err(ImportError::NotFound(format!("Run {run_id}")));
            }
            if old.site_id != site_id {
                let reason = format!(
                    "run {run_id}: belongs to site {}; a record may not move it to site {site_id}",
                    old.site_id
                );
                self.report.reject(line, reason);
                moved.insert(line);
            }
        }
        self.runs.retain(|p| !moved.contains(&p.line));
        Ok(())
    }

    async fn flush_runs(&mut self) -> Result<(), ImportError> {
        if !self.runs.is_empty() {
            self.check_run_owners().await?;
            let u = self.tx.upsert_runs(&self.runs).await?;
            add(&mut self.report.runs, u);
            self.runs.clear();
            self.batch_ids.clear();
        }
        Ok(())
    }

    /// Writes the waiting log lines whose run is stored, and puts the others aside.
    async fn flush_logs(&mut self) -> Result<(), ImportError> {
        // Runs earlier in the file must be stored first: the store is what tells them apart.
        self.flush_runs().await?;
        let waiting = std::mem::take(&mut self.logs);
        let (found, missing) = self.resolve_logs(waiting).await?;
        if !missing.is_empty() && self.deferred.is_none() {
            self.deferred = Some(Deferred::new().map_err(ImportError::Deferred)?);
        }
        if let Some(deferred) = &mut self.deferred {
            for pending in &missing {
                deferred.push(pending).map_err(ImportError::Deferred)?;
            }
        }
        self.write_logs(found).await
    }

    /// Splits log lines into those whose run is stored (before or by this file) and the rest.
    async fn resolve_logs(&mut self, batch: Vec<Pending>) -> Result<(Vec<Pending>, Vec<Pending>), ImportError> {
        if batch.is_empty() {
            return Ok((batch, Vec::new()));
        }
        let ids: BTreeSet<&str> = batch.iter().map(|(_, id, _)| id.as_str()).collect();
        let stored = self.tx.stored_runs(&ids.into_iter().collect::<Vec<_>>()).await?;
        for (id, run) in &stored {
            // With ingest, log lines may only be added to the account's own runs.
            if self.options.account.is_some() && !self.site_known(run.site_id).await? {
                return Err(ImportError::NotFound(format!("Run {id}")));
            }
        }
        Ok(batch.into_iter().partition(|(_, id, _)| stored.contains_key(id)))
    }

    async fn write_logs(&mut self, lines: Vec<Pending>) -> Result<(), ImportError> {
        let lines: Vec<(String, LogLine)> = lines.into_iter().map(|(_, id, log)| (id, log)).collect();
        let u = self.tx.insert_logs(&lines).await?;
        add(&mut self.report.logs, u);
        Ok(())
    }

    /// The lines put aside whose run the file brought later are written; the rest are rejected.
    async fn settle_deferred(&mut self) -> Result<(), ImportError> {
        let Some(deferred) = self.deferred.take() else { return Ok(()) };
        let mut lines = deferred.reread().map_err(ImportError::Deferred)?.peekable();
        while lines.peek().is_some() {
            let batch =
                lines.by_ref().take(BATCH_ROWS).collect::<Result<Vec<_>, _>>().map_err(ImportError::Deferred)?;
            let (found, missing) = self.resolve_logs(batch).await?;
            for (line, run_id, _) in missing {
                self.report.reject(line, format!("log: run {run_id} is not known"));
            }
            self.write_logs(found).await?;
        }
        Ok(())
    }

    /// Every line was written into the transaction as it came; it is committed only when no
    /// line was bad, or bad lines are skipped.
    async fn finish(mut self) -> Result<ImportReport, ImportError> {
        self.flush_logs().await?;
        self.settle_deferred().await?;
        self.report.errors.sort_by_key(|e| e.line);
        if self.options.skip_invalid || self.report.invalid_lines == 0 {
            self.tx.commit().await?;
            self.report.committed = true;
        } else {
            self.tx.rollback().await?;
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
    total.unchanged += u.unchanged;
}
