use leptos::prelude::*;

/// Pages shown around the current one; the first and last are always shown.
const WINDOW: u32 = 2;

/// Page links: previous, numbers (with gaps), next. Plain links, so they work before
/// hydration; after it, the router follows them without reloading the page.
#[component]
pub fn Pagination(page: u32, total_pages: u32, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    if total_pages <= 1 {
        return ().into_any();
    }
    let mut numbers: Vec<Option<u32>> = Vec::new();
    for n in 1..=total_pages {
        if n == 1 || n == total_pages || n.abs_diff(page) <= WINDOW {
            numbers.push(Some(n));
        } else if numbers.last().is_some_and(|last| last.is_some()) {
            numbers.push(None);
        }
    }
    let edge = |target: Option<u32>, label: &'static str, rel: &'static str| match target {
        Some(n) => view! { <a href=href(n) rel=rel>{label}</a> }.into_any(),
        None => view! { <span aria-disabled="true" class="disabled">{label}</span> }.into_any(),
    };
    let previous = edge((page > 1).then(|| page - 1), "← Previous", "prev");
    let next = edge((page < total_pages).then(|| page + 1), "Next →", "next");
    view! {
        <nav class="pagination" aria-label="Pages">
            <ol>
                <li>{previous}</li>
                {numbers
                    .into_iter()
                    .map(|n| match n {
                        Some(n) if n == page => {
                            view! {
                                <li>
                                    <a href=href(n) aria-current="page" class="current">
                                        <span class="visually-hidden">"Page "</span>
                                        {n}
                                    </a>
                                </li>
                            }
                                .into_any()
                        }
                        Some(n) => {
                            view! {
                                <li>
                                    <a href=href(n)>
                                        <span class="visually-hidden">"Page "</span>
                                        {n}
                                    </a>
                                </li>
                            }
                                .into_any()
                        }
                        None => view! { <li aria-hidden="true">"…"</li> }.into_any(),
                    })
                    .collect_view()}
                <li>{next}</li>
            </ol>
        </nav>
    }
    .into_any()
}
