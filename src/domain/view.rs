//! The parts that several pages and API documents share: the site they are about, and the
//! server-drawn charts.

use serde::{Deserialize, Serialize};

/// The site a run belongs to, as its pages name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SiteRef {
    pub id: i64,
    pub name: String,
    pub domain: String,
}

/// A chart drawn on the server, once per colour theme; the page shows the matching one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemedSvg {
    pub light: String,
    pub dark: String,
}
