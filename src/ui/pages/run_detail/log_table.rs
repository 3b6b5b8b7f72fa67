use leptos::prelude::*;

use crate::domain::logs::LogLine;
use crate::ui::components::local_time::LocalTime;
use crate::ui::components::scroll_region::ScrollRegion;

/// One page of log lines: time, stage, level and message.
#[component]
pub fn LogTable(lines: Vec<LogLine>) -> impl IntoView {
    view! {
        <ScrollRegion label="Log lines">
            <table class="log-table stack-table">
                <thead>
                    <tr>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Stage"</th>
                        <th scope="col">"Level"</th>
                        <th scope="col">"Message"</th>
                    </tr>
                </thead>
                <tbody>
                    {lines
                        .into_iter()
                        .map(|l| {
                            view! {
                                <tr class=format!("level-{}", l.level.as_str())>
                                    <td data-label="Time">
                                        <LocalTime at=l.at seconds=true />
                                    </td>
                                    <td data-label="Stage">
                                        {l.stage.map_or_else(|| "Run".to_string(), |s| s.to_string())}
                                    </td>
                                    <td data-label="Level">{l.level.as_str()}</td>
                                    <td class="log-message">{l.message}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </ScrollRegion>
    }
}
