//! Runtime settings: `Leptos.toml` in the working folder, each key overridable by an
//! environment variable.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::alerts::WebhookAllow;
use crate::domain::proxy::TrustedProxies;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/automation-runs.db";

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub site_addr: SocketAddr,
    pub site_root: PathBuf,
    pub database_url: String,
    pub database_max_connections: u32,
    pub demo: bool,
    pub run_detail_cache_entries: u64,
    /// Seconds without a request after which a session ends.
    pub session_idle_secs: i64,
    /// Proxies (load balancers, TLS terminators) whose `X-Forwarded-For` and
    /// `X-Forwarded-Proto` are believed; empty: none.
    pub trusted_proxies: TrustedProxies,
    /// Hosts alert webhooks may point at; empty: any (see README, "Alerts").
    pub webhook_allow: WebhookAllow,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    site_addr: Option<String>,
    site_root: Option<String>,
    database_url: Option<String>,
    database_max_connections: Option<u32>,
    demo: Option<bool>,
    run_detail_cache_entries: Option<u64>,
    session_idle_secs: Option<i64>,
    trusted_proxies: Option<ListSetting>,
    webhook_allow: Option<ListSetting>,
}

/// A list in `Leptos.toml`: one comma-separated string, as the environment variable has it, or
/// an array of strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ListSetting {
    Joined(String),
    Items(Vec<String>),
}

impl ListSetting {
    fn joined(self) -> String {
        match self {
            ListSetting::Joined(s) => s,
            ListSetting::Items(items) => items.join(","),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path} is not valid: {source}")]
    Parse { path: String, source: Box<toml::de::Error> },
    #[error("{name}={value:?} is not valid: {reason}")]
    Env { name: &'static str, value: String, reason: String },
    #[error("the setting {name} is not valid: {reason}")]
    Value { name: &'static str, reason: String },
}

/// Environment variables that override the file, by setting.
pub const ENV_SITE_ADDR: &str = "LEPTOS_SITE_ADDR";
pub const ENV_SITE_ROOT: &str = "LEPTOS_SITE_ROOT";
pub const ENV_DATABASE_URL: &str = "DATABASE_URL";
pub const ENV_MAX_CONNECTIONS: &str = "DATABASE_MAX_CONNECTIONS";
pub const ENV_DEMO: &str = "AUTOMATION_RUNS_DEMO";
pub const ENV_CACHE_ENTRIES: &str = "AUTOMATION_RUNS_CACHE_ENTRIES";
pub const ENV_SESSION_IDLE_SECS: &str = "AUTOMATION_RUNS_SESSION_IDLE_SECS";
pub const ENV_TRUSTED_PROXIES: &str = "AUTOMATION_RUNS_TRUSTED_PROXIES";
pub const ENV_WEBHOOK_ALLOW: &str = "AUTOMATION_RUNS_WEBHOOK_ALLOW";

impl Settings {
    /// `Leptos.toml` (when present) under `dir`, then the environment.
    pub fn load(dir: &Path) -> Result<Settings, ConfigError> {
        let path = dir.join("Leptos.toml");
        let file = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str::<FileSettings>(&text)
                .map_err(|e| ConfigError::Parse { path: path.display().to_string(), source: Box::new(e) })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileSettings::default(),
            Err(source) => return Err(ConfigError::Read { path: path.display().to_string(), source }),
        };
        Self::resolve(file, |name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    fn resolve(file: FileSettings, env: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        fn parsed<T: std::str::FromStr>(
            name: &'static str,
            value: Option<String>,
            reason: &str,
        ) -> Result<Option<T>, ConfigError> {
            value
                .map(|v| v.parse::<T>().map_err(|_| ConfigError::Env { name, value: v, reason: reason.into() }))
                .transpose()
        }
        let trusted_proxies = match env(ENV_TRUSTED_PROXIES) {
            Some(value) => TrustedProxies::parse(&value).map_err(|reason| ConfigError::Env {
                name: ENV_TRUSTED_PROXIES,
                value,
                reason,
            })?,
            None => file
                .trusted_proxies
                .map(|list| TrustedProxies::parse(&list.joined()))
                .transpose()
                .map_err(|reason| ConfigError::Value { name: "trusted_proxies", reason })?
                .unwrap_or_default(),
        };
        let addr = env(ENV_SITE_ADDR).or(file.site_addr).unwrap_or_else(|| "127.0.0.1:3000".into());
        Ok(Settings {
            site_addr: parsed(ENV_SITE_ADDR, Some(addr), "expected host:port, e.g. 127.0.0.1:3000")?.expect("present"),
            site_root: env(ENV_SITE_ROOT).or(file.site_root).unwrap_or_else(|| "target/site".into()).into(),
            database_url: env(ENV_DATABASE_URL).or(file.database_url).unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            database_max_connections: parsed(
                ENV_MAX_CONNECTIONS,
                env(ENV_MAX_CONNECTIONS),
                "expected a positive integer",
            )?
            .or(file.database_max_connections)
            .unwrap_or(8)
            .max(1),
            demo: parsed(ENV_DEMO, env(ENV_DEMO), "expected true or false")?.or(file.demo).unwrap_or(false),
            run_detail_cache_entries: parsed(ENV_CACHE_ENTRIES, env(ENV_CACHE_ENTRIES), "expected an integer")?
                .or(file.run_detail_cache_entries)
                .unwrap_or(10_000),
            session_idle_secs: parsed(
                ENV_SESSION_IDLE_SECS,
                env(ENV_SESSION_IDLE_SECS),
                "expected seconds, at least 1",
            )?
            .or(file.session_idle_secs)
            .unwrap_or(crate::server::auth::DEFAULT_SESSION_IDLE_SECS)
            .max(1),
            trusted_proxies,
            webhook_allow: WebhookAllow::parse(
                &env(ENV_WEBHOOK_ALLOW).or_else(|| file.webhook_allow.map(ListSetting::joined)).unwrap_or_default(),
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_the_file() {
        let file = FileSettings { site_addr: Some("0.0.0.0:8080".into()), demo: Some(true), ..Default::default() };
        let s = Settings::resolve(file, |name| (name == ENV_SITE_ADDR).then(|| "127.0.0.1:9999".into())).unwrap();
        assert_eq!(s.site_addr.port(), 9999);
        assert!(s.demo);
        assert_eq!(s.database_url, DEFAULT_DATABASE_URL);
    }

    #[test]
    fn trusted_proxies_from_the_file_or_the_environment() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        let none = Settings::resolve(FileSettings::default(), |_| None).unwrap();
        assert!(none.trusted_proxies.is_empty(), "nobody is trusted by default");

        let file: FileSettings = toml::from_str("trusted_proxies = \"10.0.0.0/8, 127.0.0.1\"").unwrap();
        let s = Settings::resolve(file, |_| None).unwrap();
        assert!(s.trusted_proxies.trusts(ip("10.9.9.9")) && s.trusted_proxies.trusts(ip("127.0.0.1")));

        let file: FileSettings = toml::from_str("trusted_proxies = [\"10.0.0.0/8\", \"::1\"]").unwrap();
        let s = Settings::resolve(file, |name| (name == ENV_TRUSTED_PROXIES).then(|| "192.0.2.1".into())).unwrap();
        assert!(s.trusted_proxies.trusts(ip("192.0.2.1")) && !s.trusted_proxies.trusts(ip("10.9.9.9")));

        let e = Settings::resolve(FileSettings::default(), |name| {
            (name == ENV_TRUSTED_PROXIES).then(|| "10.0.0.0/99".into())
        });
        assert!(e.unwrap_err().to_string().contains(ENV_TRUSTED_PROXIES));
        let file: FileSettings = toml::from_str("trusted_proxies = \"proxy.example\"").unwrap();
        assert!(Settings::resolve(file, |_| None).unwrap_err().to_string().contains("trusted_proxies"));
    }

    #[test]
    fn bad_environment_value_is_an_error() {
        let e = Settings::resolve(FileSettings::default(), |name| (name == ENV_SITE_ADDR).then(|| "nope".into()));
        assert!(e.unwrap_err().to_string().contains(ENV_SITE_ADDR));
    }
}
