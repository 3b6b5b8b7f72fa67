use leptos::prelude::*;

use crate::domain::format::thousands;
use crate::domain::history::HistoryRun;
use crate::paths;

/// Two selects of the site's newest runs in a plain GET form, so another pair is picked
/// without JavaScript too. The shown runs stay choosable even when older than the list.
#[component]
pub fn RunPicker(runs: Vec<HistoryRun>, a: (String, String), b: (String, String)) -> impl IntoView {
    let select = move |name: &'static str, label: &'static str, (current, title): (String, String)| {
        let id = format!("compare-{name}");
        let known = runs.iter().any(|r| r.run_id == current);
        let options = runs
            .iter()
            .map(|r| {
                let selected = r.run_id == current;
                let text =
                    format!("{} · {} · {} cr", r.run_title, r.status.label(), thousands(r.total_credits_used.into()));
                view! { <option value=r.run_id.clone() selected=selected>{text}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <select id=id name=name>
                    {(!known).then(|| view! { <option value=current.clone() selected=true>{title}</option> })}
                    {options}
                </select>
            </div>
        }
    };
    let (first, second) = (select("a", "Run A", a), select("b", "Run B", b.clone()));
    view! {
        <form class="card run-picker" method="get" action=paths::COMPARE aria-label="Pick two runs">
            {first}
            {second}
            <button type="submit" class="button secondary">"Compare"</button>
        </form>
    }
}
