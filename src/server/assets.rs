//! The front end's files: `scripts/build.sh` names the script, the WebAssembly and the
//! stylesheet after a hash of their content (`automation-runs.<hash>.js`, `.wasm`, `.css`) and
//! compresses each once, to `.br` and `.gz` beside it. So `/pkg/` is served as it lies on disk,
//! with the encoding the browser accepts and cached for a year: a new build has new names.
//! Pages are revalidated on every visit, so they always point at the current names.

use crate::paths;
use std::path::Path;

use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, VARY};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tower_http::services::ServeDir;

use super::auth::middleware::{area, Area};

/// The name of the front end's files without extension when no hashed build is found (a
/// `cargo leptos watch` build, or tests that render pages without one).
pub const OUTPUT_NAME: &str = "automation-runs";
/// Where the front end's files are served from, under the site root.
pub const PKG_DIR: &str = "pkg";

/// Hashed files: a new build has new names, so they never need asking for again.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Pages, and the few unhashed files (the favicon, the theme script): asked again on each
/// use, answered with 304 while unchanged.
const REVALIDATE: &str = "no-cache";

/// The output name of the hashed build in `site_root/pkg` (`automation-runs.<hash>`), the one
/// whose script, WebAssembly and stylesheet are all there; [`OUTPUT_NAME`] when there is none.
pub fn output_name(site_root: &Path) -> String {
    let pkg = site_root.join(PKG_DIR);
    let Ok(entries) = std::fs::read_dir(&pkg) else { return OUTPUT_NAME.to_string() };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|file| file.strip_suffix(".js").map(str::to_string))
        .filter(|stem| is_hashed(stem))
        .filter(|stem| ["wasm", "css"].iter().all(|ext| pkg.join(format!("{stem}.{ext}")).is_file()))
        .collect();
    names.sort();
    match names.as_slice() {
        [one] => one.clone(),
        [] => OUTPUT_NAME.to_string(),
        several => {
            // build.sh empties the folder first; several builds side by side are a copy gone wrong.
            tracing::warn!(?several, "several front-end builds in {}; serving the last by name", pkg.display());
            several.last().cloned().unwrap_or_else(|| OUTPUT_NAME.to_string())
        }
    }
}

/// `automation-runs.<16 hex digits>`.
fn is_hashed(stem: &str) -> bool {
    stem.strip_prefix(OUTPUT_NAME)
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `/pkg/`: the files as they lie, in the precompressed encoding the browser accepts.
pub fn pkg_service(site_root: &Path) -> ServeDir {
    ServeDir::new(site_root.join(PKG_DIR)).precompressed_br().precompressed_gzip()
}

/// Sets each answer's caching: a year for hashed files, revalidation for pages and the
/// unhashed files; API answers keep their own.
pub async fn cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let hashed = path
        .strip_prefix(paths::PKG)
        .and_then(|p| p.strip_prefix('/'))
        .and_then(|file| file.rsplit_once('.'))
        .is_some_and(|(stem, _)| is_hashed(stem));
    let static_file = area(path) == Area::Static;
    let mut response = next.run(request).await;
    if response.headers().contains_key(CACHE_CONTROL) || !response.status().is_success() {
        return response;
    }
    let html =
        response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    let value = if hashed {
        IMMUTABLE
    } else if html || static_file {
        REVALIDATE
    } else {
        return response;
    };
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(value));
    if hashed {
        // The same name is sent as br, gzip or plain: a shared cache must keep them apart.
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        assert!(is_hashed("automation-runs.0123456789abcdef"));
        assert!(!is_hashed("automation-runs"));
        assert!(!is_hashed("automation-runs.0123"));
        assert!(!is_hashed("automation-runs.0123456789abcdeg"));
        assert!(!is_hashed("other.0123456789abcdef"));
    }

    #[test]
    fn the_complete_hashed_build_is_found() {
        let dir = std::env::temp_dir().join(format!("assets-test-{}", std::process::id()));
        let pkg = dir.join(PKG_DIR);
        std::fs::create_dir_all(&pkg).unwrap();
        assert_eq!(output_name(&dir), OUTPUT_NAME);
        let stem = "automation-runs.00112233aabbccdd";
        for ext in ["js", "wasm"] {
            std::fs::write(pkg.join(format!("{stem}.{ext}")), b"x").unwrap();
        }
        assert_eq!(output_name(&dir), OUTPUT_NAME, "no stylesheet yet: not a whole build");
        std::fs::write(pkg.join(format!("{stem}.css")), b"x").unwrap();
        assert_eq!(output_name(&dir), stem);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
