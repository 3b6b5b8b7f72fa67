//! The seven pipeline stages and what each one reads and writes (metrics.md, "Stages").

use serde::{Deserialize, Serialize};

/// Static facts about one stage of the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageDef {
    pub number: u8,
    pub name: &'static str,
    /// Field of the stage result that counts the items the stage read.
    pub input_field: &'static str,
    /// Field that counts the items it produced.
    pub output_field: &'static str,
    /// Plural noun of the items read, for labels ("150 keywords").
    pub input_kind: &'static str,
    /// Plural noun of the items produced.
    pub output_kind: &'static str,
    /// Short action name for legends ("Content Generation").
    pub activity: &'static str,
    /// One item read and many, for figures in the stage's own terms ("12.5 keywords per cluster").
    pub input_unit: Noun,
    /// One item produced and many.
    pub output_unit: Noun,
}

/// A unit of count, singular and plural.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Noun {
    pub one: &'static str,
    pub many: &'static str,
}

impl Noun {
    const fn new(one: &'static str, many: &'static str) -> Noun {
        Noun { one, many }
    }

    /// `n` of them, grouped: "1 keyword", "1,250 keywords".
    pub fn count(self, n: u64) -> String {
        format!("{} {}", super::format::thousands(n.into()), self.for_count(n as f64))
    }

    /// The noun that goes with `n`: "1 keyword", "2 keywords", "1.5 keywords".
    pub fn for_count(self, n: f64) -> &'static str {
        if n == 1.0 {
            self.one
        } else {
            self.many
        }
    }
}

/// The unit of every cost.
pub const CREDIT: Noun = Noun::new("credit", "credits");

const KEYWORD: Noun = Noun::new("keyword", "keywords");
const CLUSTER: Noun = Noun::new("cluster", "clusters");
const IDEA: Noun = Noun::new("idea", "ideas");
const TASK: Noun = Noun::new("task", "tasks");
const ARTICLE: Noun = Noun::new("article", "articles");
const PROMPT: Noun = Noun::new("image prompt", "image prompts");
const IMAGE: Noun = Noun::new("image", "images");

pub const STAGE_COUNT: usize = 7;

pub const STAGES: [StageDef; STAGE_COUNT] = [
    StageDef {
        number: 1,
        name: "Keywords → Clusters",
        input_field: "keywords_processed",
        output_field: "clusters_created",
        input_kind: "keywords",
        output_kind: "clusters",
        activity: "Clustering",
        input_unit: KEYWORD,
        output_unit: CLUSTER,
    },
    StageDef {
        number: 2,
        name: "Clusters → Ideas",
        input_field: "clusters_processed",
        output_field: "ideas_created",
        input_kind: "clusters",
        output_kind: "ideas",
        activity: "Idea Generation",
        input_unit: CLUSTER,
        output_unit: IDEA,
    },
    StageDef {
        number: 3,
        name: "Ideas → Tasks",
        input_field: "ideas_processed",
        output_field: "tasks_created",
        input_kind: "ideas",
        output_kind: "tasks",
        activity: "Task Creation",
        input_unit: IDEA,
        output_unit: TASK,
    },
    StageDef {
        number: 4,
        name: "Tasks → Content",
        input_field: "tasks_processed",
        output_field: "content_created",
        input_kind: "tasks",
        output_kind: "content",
        activity: "Content Generation",
        input_unit: TASK,
        output_unit: ARTICLE,
    },
    StageDef {
        number: 5,
        name: "Content → Image Prompts",
        input_field: "content_processed",
        output_field: "prompts_created",
        input_kind: "content",
        output_kind: "prompts",
        activity: "Image Prompts",
        input_unit: ARTICLE,
        output_unit: PROMPT,
    },
    StageDef {
        number: 6,
        name: "Image Prompts → Images",
        input_field: "images_processed",
        output_field: "images_generated",
        input_kind: "prompts",
        output_kind: "images",
        activity: "Image Generation",
        input_unit: PROMPT,
        output_unit: IMAGE,
    },
    StageDef {
        number: 7,
        name: "Review → Approved",
        input_field: "ready_for_review",
        output_field: "ready_for_review",
        input_kind: "for review",
        output_kind: "approved",
        activity: "Review",
        input_unit: Noun::new("item for review", "items for review"),
        output_unit: Noun::new("approved item", "approved items"),
    },
];

/// A stage number that is known to be 1..=7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct StageNumber(u8);

impl StageNumber {
    pub fn get(self) -> u8 {
        self.0
    }

    /// Index into per-stage arrays (0-based).
    pub fn index(self) -> usize {
        usize::from(self.0) - 1
    }

    pub fn def(self) -> &'static StageDef {
        &STAGES[self.index()]
    }

    /// The stage numbered `n`, if there is one.
    pub fn from_u8(n: u8) -> Option<StageNumber> {
        (1..=STAGE_COUNT as u8).contains(&n).then_some(StageNumber(n))
    }

    pub fn all() -> impl Iterator<Item = StageNumber> {
        (1..=STAGE_COUNT as u8).map(StageNumber)
    }
}

impl TryFrom<i64> for StageNumber {
    type Error = String;
    fn try_from(n: i64) -> Result<Self, Self::Error> {
        if (1..=STAGE_COUNT as i64).contains(&n) {
            Ok(StageNumber(n as u8))
        } else {
            Err(format!("stage must be 1 to 7, got {n}"))
        }
    }
}

impl From<StageNumber> for u8 {
    fn from(s: StageNumber) -> u8 {
        s.0
    }
}

impl std::fmt::Display for StageNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_numbers_are_one_to_seven_in_order() {
        let numbers: Vec<u8> = STAGES.iter().map(|s| s.number).collect();
        assert_eq!(numbers, vec![1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(StageNumber::all().count(), 7);
    }

    #[test]
    fn stage_number_rejects_out_of_range() {
        assert!(StageNumber::try_from(0).is_err());
        assert!(StageNumber::try_from(8).is_err());
        assert_eq!(StageNumber::try_from(4).unwrap().def().output_field, "content_created");
    }
}
