use crate::paths;
use leptos::prelude::*;

/// The ranges the page offers, in days.
pub const RANGES: [u32; 3] = [30, 90, 365];

/// 30, 90 or 365 days as plain links, so the range changes without JavaScript too; the shown
/// one is marked as current. Beside it, the CSV of the same rows.
#[component]
pub fn RangeSwitcher(site_id: i64, days: u32) -> impl IntoView {
    view! {
        <nav class="range-switcher" aria-label="Range">
            <ul class="segmented">
                {RANGES
                    .into_iter()
                    .map(|d| {
                        let current = (d == days).then_some("page");
                        view! {
                            <li>
                                <a
                                    href=format!("{}&days={d}", paths::trends_path(site_id))
                                    aria-current=current
                                >
                                    {format!("{d} days")}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <a
                class="button secondary"
                href=format!("{}?site_id={site_id}&days={days}", paths::api::TRENDS_CSV)
                download=""
            >
                "Download CSV"
            </a>
        </nav>
    }
}
