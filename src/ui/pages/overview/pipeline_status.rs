use leptos::prelude::*;

use crate::domain::format::thousands;
use crate::domain::pipeline::PipelineSnapshot;
use crate::ui::components::local_time::LocalTime;
use crate::ui::components::phone_collapsible::PhoneCollapsible;

/// One kind of item with its count per status.
#[component]
fn PipelineCard(title: &'static str, counts: Vec<(&'static str, u64)>) -> impl IntoView {
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    view! {
        <article class="pipeline-card" aria-label=title>
            <h3>{title}</h3>
            <p class="pipeline-total">{thousands(total.into())}</p>
            <dl class="count-list">
                {counts
                    .into_iter()
                    .map(|(label, n)| {
                        view! {
                            <div>
                                <dt>{label}</dt>
                                <dd>{thousands(n.into())}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </article>
    }
}

/// Items waiting in the pipeline, by kind and status, as of the engine's last record: one card
/// for each stage's input, so every pending count of the prediction is shown here too.
#[component]
pub fn PipelineStatus(pipeline: Option<PipelineSnapshot>) -> impl IntoView {
    let Some(p) = pipeline else {
        return view! {
            <section class="card" aria-labelledby="pipeline-title">
                <h2 id="pipeline-title">"Pipeline status"</h2>
                <p class="notice">
                    "No pipeline record yet. Import one (kind \"pipeline\") to see pending work and estimates."
                </p>
            </section>
        }
        .into_any();
    };
    let c = p.counts;
    view! {
        <section class="card" aria-labelledby="pipeline-title">
            <div class="section-header">
                <h2 id="pipeline-title">"Pipeline status"</h2>
                <p class="as-of muted">"As of " <LocalTime at=p.as_of /></p>
            </div>
            <PhoneCollapsible heading_id="pipeline-title" title="Pipeline status">
                <div class="pipeline-grid">
                    <PipelineCard
                        title="Keywords"
                        counts=vec![("New", c.keywords.new), ("Mapped", c.keywords.mapped), ("Skipped", c.keywords.skipped)]
                    />
                    <PipelineCard
                        title="Clusters"
                        counts=vec![("New", c.clusters.new), ("Mapped", c.clusters.mapped), ("Skipped", c.clusters.skipped)]
                    />
                    <PipelineCard
                        title="Ideas"
                        counts=vec![
                            ("New", c.ideas.new),
                            ("Queued", c.ideas.queued),
                            ("Done", c.ideas.done),
                            ("Skipped", c.ideas.skipped),
                        ]
                    />
                    <PipelineCard title="Tasks" counts=vec![("Queued", c.tasks.queued), ("Done", c.tasks.done)] />
                    <PipelineCard
                        title="Content"
                        counts=vec![
                            ("Draft", c.content.draft),
                            ("Review", c.content.review),
                            ("Published", c.content.published),
                            ("Failed", c.content.failed),
                        ]
                    />
                    <PipelineCard
                        title="Image prompts"
                        counts=vec![("Pending", c.image_prompts.pending), ("Done", c.image_prompts.done)]
                    />
                    <PipelineCard
                        title="Images"
                        counts=vec![("Pending", c.images.pending), ("Generated", c.images.generated), ("Failed", c.images.failed)]
                    />
                </div>
            </PhoneCollapsible>
        </section>
    }
    .into_any()
}
