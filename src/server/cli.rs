//! The command line: serve (the default), import, demo, generate, user, token, budget, alerts,
//! simulate.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use super::auth::Auth;
use super::auth::COMMAND_LINE;
use super::config::{Settings, ENV_DATABASE_URL};
use super::dataset;
use super::db::{Store, StoreError};
use super::import::{import_file, import_reader, ImportOptions, ImportReport};
use super::service::{system_clock, Service};
use super::simulate::{self, Speed};
use super::startup::{shutdown_signal, Application};
use crate::domain::budget::MonthlyBudget;
use crate::domain::team::Role;
use crate::domain::team::TokenScope;

#[derive(Debug, Parser)]
#[command(
    name = "automation-runs",
    version,
    about = "Analytics for the runs of a 7-stage content-automation pipeline.",
    long_about = "Analytics for the runs of a 7-stage content-automation pipeline: what every run did, \
                  where the credits went, and what the next run will cost.\n\n\
                  Settings come from Leptos.toml in the working folder, overridden by environment \
                  variables (DATABASE_URL, LEPTOS_SITE_ADDR, LEPTOS_SITE_ROOT, …). The database is \
                  SQLite at sqlite://data/automation-runs.db unless DATABASE_URL names another \
                  (sqlite://… or postgres://…); migrations are applied at start."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web app and the JSON API (the default command).
    ///
    /// Listens on LEPTOS_SITE_ADDR (default 127.0.0.1:3000) and serves the built front end
    /// from LEPTOS_SITE_ROOT (default target/site).
    Serve {
        /// Load the demo data first when the database holds no runs, create a user for each
        /// demo account, print their credentials, and show them on the sign-in page.
        #[arg(long)]
        demo: bool,
        /// With --demo: leave the demo's runs as loaded, without the engine simulator that
        /// otherwise moves them (for tests that need the data to stay put).
        #[arg(long, env = "AUTOMATION_RUNS_NO_SIMULATOR", value_parser = clap::builder::BoolishValueParser::new())]
        no_simulator: bool,
    },
    /// Act as the automation engine against a server: claim run requests, start scheduled
    /// runs, and report each run stage by stage through the API.
    ///
    /// Counts, credits and times are drawn from each site's own last completed runs. A running
    /// run of the account's sites is carried on from its current stage, so a simulator stopped
    /// (Ctrl-C) and started again finishes the runs it left. Run one per site.
    Simulate {
        /// The server's address, e.g. http://127.0.0.1:3000
        #[arg(long)]
        url: String,
        /// An ingest token of the account (`token create --scope ingest`).
        #[arg(long, env = "AUTOMATION_RUNS_ENGINE_TOKEN", hide_env_values = true)]
        token: String,
        /// How many times faster than the engine's real pace runs go (20: a 40-minute run in 2).
        #[arg(long, default_value = "1")]
        speed: Speed,
        /// Only this site's requests, scheduled and running runs (repeat for more; default:
        /// every site of the account).
        #[arg(long = "site")]
        sites: Vec<i64>,
        /// Start a scheduled run of each site this often (e.g. 30s, 4m, 1h), unless the site
        /// has a run going or a request on its way.
        #[arg(long, value_parser = simulate::parse_duration)]
        schedule_every: Option<std::time::Duration>,
        /// Every run completes (by default runs fail as often as the site's recent runs did).
        #[arg(long)]
        no_failures: bool,
    },
    /// Manage the users who sign in to the web app.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens, for scripts and the engine (`Authorization: Bearer <token>`).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Set or remove an account's monthly credit budget (calendar months, UTC).
    Budget {
        #[command(subcommand)]
        command: BudgetCommand,
    },
    /// Set or remove an account's alert webhook.
    Alerts {
        #[command(subcommand)]
        command: AlertsCommand,
    },
    /// Load run history from NDJSON files (see spec/import-format.md).
    ///
    /// Each file is one transaction: when a line is bad, every bad line is reported with its
    /// number and reason and nothing from that file is committed. Loading a file twice
    /// changes nothing. Use "-" to read standard input.
    Import {
        /// NDJSON files to load, in order.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Commit the valid lines and report the bad ones, instead of committing nothing.
        #[arg(long)]
        skip_invalid: bool,
        /// SQLite's page cache for the import, in MiB (default 48): more is faster on large
        /// files, and is most of the import's memory.
        #[arg(long, value_name = "MIB")]
        cache_mib: Option<u32>,
    },
    /// Load the demo data: 2 accounts, 4 sites, six months of runs ending now.
    ///
    /// The data is deterministic for a given anchor time; --print writes it as NDJSON
    /// instead of loading it.
    Demo {
        /// Write the NDJSON to standard output instead of loading it.
        #[arg(long)]
        print: bool,
        /// The end of the demo's six months (RFC 3339; default: now, to the hour).
        #[arg(long)]
        anchor: Option<DateTime<Utc>>,
    },
    /// Print synthetic run history as NDJSON, for scale tests.
    Generate {
        /// Number of sites (spread over one account per 10 sites).
        #[arg(long, default_value_t = 10)]
        sites: u32,
        /// Runs per site.
        #[arg(long, default_value_t = 100)]
        runs_per_site: u32,
        /// Seed of the generator: the same seed and anchor give the same output.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The time of the last runs (RFC 3339; default: now, to the hour).
        #[arg(long)]
        anchor: Option<DateTime<Utc>>,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a user to an account. The password is asked for, or read from the first line of
    /// standard input when that is not a terminal.
    Add {
        /// The account the user belongs to.
        #[arg(long)]
        account: i64,
        /// The email the user signs in with.
        #[arg(long)]
        email: String,
        /// owner: everything, including users, tokens, budget and alerts; member: reads, and
        /// starts, re-runs and retries runs; viewer: reads only. Default: owner for the
        /// account's first user, member after.
        #[arg(long, value_parser = parse_role)]
        role: Option<Role>,
    },
    /// Invite someone to an account: prints a one-time link, valid for 7 days, on which they
    /// set their password (the same link the settings page makes).
    Invite {
        #[arg(long)]
        account: i64,
        /// The invitee's email; they sign in with it.
        #[arg(long)]
        email: String,
        /// owner, member or viewer.
        #[arg(long, default_value = "member", value_parser = parse_role)]
        role: Role,
        /// Where users reach this server (default: http://LEPTOS_SITE_ADDR).
        #[arg(long)]
        base_url: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a token for an account. It is printed once, alone on the last line; only its
    /// hash is stored.
    Create {
        #[arg(long)]
        account: i64,
        /// What the token is for.
        #[arg(long, default_value = "api")]
        name: String,
        /// read: every GET of the JSON API; ingest: also POST /api/v1/ingest and the engine
        /// endpoints (the automation engine's token).
        #[arg(long, default_value = "read", value_parser = parse_scope)]
        scope: TokenScope,
    },
    /// List tokens (never their secrets).
    List {
        /// Only this account's tokens.
        #[arg(long)]
        account: Option<i64>,
    },
    /// Revoke a token by id; requests with it get 401 from then on.
    Revoke { id: i64 },
}

#[derive(Debug, Subcommand)]
enum BudgetCommand {
    /// Set the budget (--monthly N, 0 to 1,000,000,000 credits) or remove it (--clear); prints
    /// the month's spend against it.
    Set {
        #[arg(long)]
        account: i64,
        /// Credits a calendar month may cost.
        #[arg(long, allow_hyphen_values = true, value_parser = parse_budget, required_unless_present = "clear", conflicts_with = "clear")]
        monthly: Option<MonthlyBudget>,
        /// Remove the budget.
        #[arg(long)]
        clear: bool,
    },
}

#[derive(Debug, Subcommand)]
enum AlertsCommand {
    /// Point the account's alerts at an http(s) URL (--webhook URL) and print the new signing
    /// secret, shown only now; or remove the webhook (--clear). Hosts outside
    /// AUTOMATION_RUNS_WEBHOOK_ALLOW (when set) are refused.
    Set {
        #[arg(long)]
        account: i64,
        #[arg(long, required_unless_present = "clear", conflicts_with = "clear")]
        webhook: Option<String>,
        /// Remove the webhook.
        #[arg(long)]
        clear: bool,
    },
}

fn parse_budget(s: &str) -> Result<MonthlyBudget, String> {
    match MonthlyBudget::from_form(s) {
        Ok(Some(budget)) => Ok(budget),
        Ok(None) => Err("give a number of credits, or --clear".into()),
        Err(e) => Err(e.to_string()),
    }
}

fn parse_scope(s: &str) -> Result<TokenScope, String> {
    s.parse()
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Now, truncated to the hour: the demo stays the same for an hour of restarts.
fn default_anchor() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp(now.timestamp() - now.timestamp() % 3600, 0).unwrap_or(now)
}

pub async fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::Serve { demo: false, no_simulator: false })).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn connect(settings: &Settings) -> anyhow::Result<Store> {
    Store::connect(&settings.database_url, settings.database_max_connections)
        .await
        .map_err(|e| cannot_open(settings, e))
}

fn cannot_open(settings: &Settings, e: StoreError) -> anyhow::Error {
    anyhow::anyhow!("cannot open the database ({ENV_DATABASE_URL}={}): {e}", settings.database_url)
}

async fn connect_auth(settings: &Settings) -> anyhow::Result<(Store, Auth)> {
    let store = connect(settings).await?;
    let auth = Auth::new(store.clone(), system_clock(), settings.session_idle_secs, Vec::new())?;
    Ok((store, auth))
}

/// The new user's password: asked twice at a terminal, else the first line of standard input.
fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Password again: ")?;
        anyhow::ensure!(first == again, "the two passwords differ");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

/// Loads the demo data, anchored at `anchor`.
pub async fn load_demo(store: &Store, anchor: DateTime<Utc>) -> anyhow::Result<ImportReport> {
    let text = dataset::demo_lines(anchor).join("\n");
    let report = import_reader(store, std::io::Cursor::new(text.into_bytes()), ImportOptions::default()).await?;
    anyhow::ensure!(report.committed, "the demo data did not load: {:?}", report.errors);
    Ok(report)
}

async fn run(command: Command) -> anyhow::Result<ExitCode> {
    let settings = Settings::load(&std::env::current_dir()?)?;
    match command {
        Command::Serve { demo, no_simulator } => serve(settings, demo, no_simulator).await,
        Command::Import { files, skip_invalid, cache_mib } => {
            import_files(&settings, files, skip_invalid, cache_mib).await
        }
        Command::Demo { print, anchor } => demo(&settings, print, anchor).await,
        Command::User { command: UserCommand::Add { account, email, role } } => {
            user_add(&settings, account, email, role).await
        }
        Command::User { command: UserCommand::Invite { account, email, role, base_url } } => {
            user_invite(&settings, account, email, role, base_url).await
        }
        Command::Token { command } => token(&settings, command).await,
        Command::Budget { command: BudgetCommand::Set { account, monthly, clear: _ } } => {
            budget_set(&settings, account, monthly).await
        }
        Command::Alerts { command: AlertsCommand::Set { account, webhook, clear: _ } } => {
            alerts_set(&settings, account, webhook).await
        }
        Command::Simulate { url, token, speed, sites, schedule_every, no_failures } => {
            let options = simulate::Options { url, token, speed, sites, schedule_every, failures: !no_failures };
            simulate::spawn(options)?.run_until(shutdown_signal()).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate { sites, runs_per_site, seed, anchor } => generate(sites, runs_per_site, seed, anchor),
    }
}

/// Starts the server; with `demo`, on the demo data, with its users and simulated engines.
async fn serve(settings: Settings, demo: bool, no_simulator: bool) -> anyhow::Result<ExitCode> {
    let settings = Settings { demo: demo || settings.demo, ..settings };
    let store = connect(&settings).await?;
    if settings.demo && store.sites(crate::domain::scope::Scope::Installation).await?.is_empty() {
        let report = load_demo(&store, default_anchor()).await?;
        tracing::info!(runs = report.runs.inserted, "loaded the demo data");
    }
    let app = Application::with_store(&settings, store, system_clock()).await?;
    let addr = app.local_addr();
    tracing::info!(%addr, "serving");
    println!("automation-runs is serving http://{addr}/automation/overview");
    let mut engines = None;
    if settings.demo {
        app.auth().ensure_demo_users().await?;
        println!("Demo sign-ins (shown on the sign-in page in demo mode only):");
        for user in app.auth().demo_users() {
            println!("  {:<22} {}  password: {}", user.account_name, user.email, user.password);
        }
        if !no_simulator {
            engines = Some(simulate::demo::start(app.auth(), addr).await?);
        }
    }
    // The simulators stop first, while the server still answers their last calls.
    app.run_until(async move {
        shutdown_signal().await;
        if let Some(engines) = engines {
            engines.stop().await;
        }
    })
    .await?;
    Ok(ExitCode::SUCCESS)
}

/// Imports each file in one transaction, then queues the alerts the new history calls for.
async fn import_files(
    settings: &Settings,
    files: Vec<std::path::PathBuf>,
    skip_invalid: bool,
    cache_mib: Option<u32>,
) -> anyhow::Result<ExitCode> {
    let store = Store::connect_unmapped(&settings.database_url, settings.database_max_connections)
        .await
        .map_err(|e| cannot_open(settings, e))?;
    let options = ImportOptions { skip_invalid, progress: true, account: None, cache_mib };
    let mut failed = false;
    for file in files {
        let report = if file.as_os_str() == "-" {
            import_reader(&store, std::io::BufReader::new(std::io::stdin()), options).await?
        } else {
            import_file(&store, &file, options).await?
        };
        println!("{}:", file.display());
        print!("{}", report.summary());
        for bad in &report.errors {
            eprintln!("{}:{}: {}", file.display(), bad.line, bad.reason);
        }
        if report.invalid_lines > report.errors.len() as u64 {
            eprintln!("… and {} more bad lines", report.invalid_lines - report.errors.len() as u64);
        }
        failed |= !report.committed;
    }
    // Alerts the new history calls for, queued for the server's delivery task. A service per
    // account: the figures it caches serve that account's checks only, so the command's memory
    // does not grow with the number of sites.
    let mut accounts: Vec<i64> =
        store.sites(crate::domain::scope::Scope::Installation).await?.iter().map(|s| s.row().account_id).collect();
    accounts.sort_unstable();
    accounts.dedup();
    for account in accounts {
        let service = Service::new(store.clone(), system_clock(), 1);
        service.detect_alerts(account).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    store.close().await;
    Ok(if failed { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// Prints the demo data, or loads it.
async fn demo(settings: &Settings, print: bool, anchor: Option<DateTime<Utc>>) -> anyhow::Result<ExitCode> {
    let anchor = anchor.unwrap_or_else(default_anchor);
    if print {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for line in dataset::demo_lines(anchor) {
            writeln!(out, "{line}")?;
        }
        out.flush()?;
    } else {
        let store = connect(settings).await?;
        let report = load_demo(&store, anchor).await?;
        print!("{}", report.summary());
        store.close().await;
    }
    Ok(ExitCode::SUCCESS)
}

async fn user_add(settings: &Settings, account: i64, email: String, role: Option<Role>) -> anyhow::Result<ExitCode> {
    let password = read_password()?;
    let (store, auth) = connect_auth(settings).await?;
    let (id, role) = auth.add_user(account, &email, &password, role).await?;
    println!(
        "added user {id} ({}) to account {account} as {}",
        crate::domain::auth::normalize_email(&email),
        role.as_str()
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn user_invite(
    settings: &Settings,
    account: i64,
    email: String,
    role: Role,
    base_url: Option<String>,
) -> anyhow::Result<ExitCode> {
    let (store, auth) = connect_auth(settings).await?;
    let token = auth.invite(account, &email, role, COMMAND_LINE).await;
    store.close().await;
    let base = base_url.unwrap_or_else(|| format!("http://{}", settings.site_addr));
    let link = super::team::invitations::invitation_link(&base, &token?);
    println!(
        "invited {} to account {account} as {}; the link works once, for 7 days:",
        crate::domain::auth::normalize_email(&email),
        role.as_str()
    );
    println!("{link}");
    Ok(ExitCode::SUCCESS)
}

async fn token(settings: &Settings, command: TokenCommand) -> anyhow::Result<ExitCode> {
    let (store, auth) = connect_auth(settings).await?;
    match command {
        TokenCommand::Create { account, name, scope } => {
            let (id, token) = auth.create_token(account, &name, scope, COMMAND_LINE).await?;
            println!(
                "created {} token {id} ({}) for account {account}; it is shown only now:",
                scope.as_str(),
                name.trim()
            );
            println!("{token}");
        }
        TokenCommand::List { account } => {
            let tokens = auth.tokens(account).await?;
            println!(
                "{:>5}  {:>7}  {:<24}  {:<6}  {:<20}  {:<20}  status",
                "id", "account", "name", "scope", "created", "last used"
            );
            for t in tokens {
                let time = |t: Option<i64>| {
                    t.and_then(|s| DateTime::from_timestamp(s, 0))
                        .map_or_else(|| "never".to_string(), |d| d.format("%Y-%m-%d %H:%M UTC").to_string())
                };
                let status = if t.revoked_at.is_some() { "revoked" } else { "live" };
                println!(
                    "{:>5}  {:>7}  {:<24}  {:<6}  {:<20}  {:<20}  {status}",
                    t.id,
                    t.account_id,
                    t.name,
                    t.scope,
                    time(Some(t.created_at)),
                    time(t.last_used_at)
                );
            }
        }
        TokenCommand::Revoke { id } => {
            auth.revoke_token(id, None, COMMAND_LINE).await?;
            println!("revoked token {id}");
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn budget_set(settings: &Settings, account: i64, monthly: Option<MonthlyBudget>) -> anyhow::Result<ExitCode> {
    let store = connect(settings).await?;
    let service = Service::new(store.clone(), system_clock(), 1);
    let view = service.set_budget(crate::domain::scope::Scope::Account(account), monthly, COMMAND_LINE).await;
    store.close().await;
    let view = view.map_err(|e| anyhow::anyhow!("{e}"))?;
    match view.monthly_budget {
        Some(budget) => println!("account {account}: monthly budget {budget} credits"),
        None => println!("account {account}: no monthly budget"),
    }
    println!(
        "this month: {} credits so far, {} projected, status {}",
        view.month_to_date,
        view.projected_month_end.map_or_else(|| "none".to_string(), |p| p.to_string()),
        view.status.as_str()
    );
    Ok(ExitCode::SUCCESS)
}

async fn alerts_set(settings: &Settings, account: i64, webhook: Option<String>) -> anyhow::Result<ExitCode> {
    let store = connect(settings).await?;
    let service = Service::new(store.clone(), system_clock(), 1).with_webhook_allow(settings.webhook_allow.clone());
    let set =
        service.set_webhook(crate::domain::scope::Scope::Account(account), webhook.as_deref(), COMMAND_LINE).await;
    store.close().await;
    let set = set.map_err(|e| anyhow::anyhow!("{e}"))?;
    match (set.webhook_url, set.secret) {
        (Some(url), Some(secret)) => {
            println!("account {account}: alerts go to {url}");
            println!("signing secret (X-Automation-Signature: sha256=HMAC-SHA256 of the body), shown only now:");
            println!("{secret}");
        }
        _ => println!("account {account}: no webhook"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes scale data to standard output.
fn generate(sites: u32, runs_per_site: u32, seed: u64, anchor: Option<DateTime<Utc>>) -> anyhow::Result<ExitCode> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    for line in dataset::generate_lines(sites, runs_per_site, seed, anchor.unwrap_or_else(default_anchor)) {
        if let Err(e) = writeln!(out, "{line}") {
            // A closed pipe (`| head`) is a normal end.
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(ExitCode::SUCCESS);
            }
            return Err(e.into());
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
