//! A site's current item counts by status (import-format.md, "pipeline").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::stage::STAGE_COUNT;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KeywordCounts {
    #[serde(default)]
    pub new: u64,
    #[serde(default)]
    pub mapped: u64,
    #[serde(default)]
    pub skipped: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IdeaCounts {
    #[serde(default)]
    pub new: u64,
    #[serde(default)]
    pub queued: u64,
    #[serde(default)]
    pub done: u64,
    #[serde(default)]
    pub skipped: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskCounts {
    #[serde(default)]
    pub queued: u64,
    #[serde(default)]
    pub done: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContentCounts {
    #[serde(default)]
    pub draft: u64,
    #[serde(default)]
    pub review: u64,
    #[serde(default)]
    pub published: u64,
    #[serde(default)]
    pub failed: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PromptCounts {
    #[serde(default)]
    pub pending: u64,
    #[serde(default)]
    pub done: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImageCounts {
    #[serde(default)]
    pub pending: u64,
    #[serde(default)]
    pub generated: u64,
    #[serde(default)]
    pub failed: u64,
}

/// Item counts by status, as of a time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PipelineCounts {
    #[serde(default)]
    pub keywords: KeywordCounts,
    #[serde(default)]
    pub clusters: KeywordCounts,
    #[serde(default)]
    pub ideas: IdeaCounts,
    #[serde(default)]
    pub tasks: TaskCounts,
    #[serde(default)]
    pub content: ContentCounts,
    #[serde(default)]
    pub image_prompts: PromptCounts,
    #[serde(default)]
    pub images: ImageCounts,
}

/// Pending work per stage, index 0 = stage 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PendingCounts(pub [u64; STAGE_COUNT]);

impl PipelineCounts {
    pub fn pending(&self) -> PendingCounts {
        PendingCounts([
            self.keywords.new,
            self.clusters.new,
            self.ideas.new,
            self.tasks.queued,
            self.content.draft,
            self.image_prompts.pending,
            self.content.review,
        ])
    }

    pub fn attention(&self) -> AttentionItems {
        AttentionItems::new(self.ideas.skipped, self.content.failed, self.images.failed)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttentionItems {
    pub skipped_ideas: u64,
    pub failed_content: u64,
    pub failed_images: u64,
    /// The plan's sum of the three counts above (anomalies are listed apart).
    pub total_attention_needed: u64,
    /// The latest anomalies of the site's completed runs started in the last 90 days, newest
    /// first (at most 5), each naming its run.
    #[serde(default)]
    pub anomalies: Vec<super::trends::Anomaly>,
}

impl AttentionItems {
    pub fn new(skipped_ideas: u64, failed_content: u64, failed_images: u64) -> Self {
        AttentionItems {
            skipped_ideas,
            failed_content,
            failed_images,
            total_attention_needed: skipped_ideas.saturating_add(failed_content).saturating_add(failed_images),
            anomalies: Vec::new(),
        }
    }
}

/// The pipeline record of a site, with its time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PipelineSnapshot {
    pub as_of: DateTime<Utc>,
    #[serde(flatten)]
    pub counts: PipelineCounts,
}
