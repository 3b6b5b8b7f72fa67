use leptos::prelude::*;

use crate::domain::format::duration_short;
use crate::domain::timeline::TimelineEvent;
use crate::ui::pages::run_detail::run_timeline::describe;

/// Both runs' events on one axis, time since each run's start: a table, so it reads the same
/// with a screen reader and without JavaScript.
#[component]
pub fn Timelines(a: Vec<TimelineEvent>, b: Vec<TimelineEvent>) -> impl IntoView {
    let mut rows: Vec<(i64, Option<String>, Option<String>)> = a
        .iter()
        .map(|e| (e.offset_seconds, Some(describe(e)), None))
        .chain(b.iter().map(|e| (e.offset_seconds, None, Some(describe(e)))))
        .collect();
    // Stable: at the same offset, a's event before b's.
    rows.sort_by_key(|r| r.0);
    let cell = |text: Option<String>| text.unwrap_or_default();
    view! {
        <section class="card" aria-labelledby="compare-timelines-title">
            <h2 id="compare-timelines-title">"Timelines"</h2>
            <div class="table-scroll">
                <table class="compare-timelines">
                    <caption class="visually-hidden">"Both runs' events by time since each run started"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Since start"</th>
                            <th scope="col">"Run A"</th>
                            <th scope="col">"Run B"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(offset, ea, eb)| {
                                view! {
                                    <tr>
                                        <th scope="row">{format!("+{}", duration_short(Some(offset)))}</th>
                                        <td>{cell(ea)}</td>
                                        <td>{cell(eb)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
