//! The run report as CSV: one row per stage, the same figures as the run page.

use super::detail::RunDetail;
use super::format::csv_field;

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

pub const CSV_HEADER: &str = "run_id,run_title,stage,name,status,input,output,credits,credit_share_percent,seconds,\
cost_per_input,cost_per_output,output_ratio,items_per_minute,avg_credits,credits_diff_percent,avg_output,output_diff_percent";

/// The report: a header line, then one line per stage; empty cells where a figure is null.
pub fn stages_csv(detail: &RunDetail) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for (stage, share) in detail.stages.iter().zip(&detail.metrics.credit_shares) {
        let result = stage.result.as_ref();
        let eff = stage.efficiency;
        let cmp = stage.comparison;
        let cells = [
            csv_field(&detail.run.run_id),
            csv_field(&detail.run.run_title),
            stage.number.to_string(),
            csv_field(&stage.name),
            stage.status.as_str().to_string(),
            opt(result.map(|r| r.input_count)),
            opt(result.map(|r| r.output_count)),
            opt(result.map(|r| r.credits_used)),
            opt(share.share_percent),
            opt(result.map(|r| r.time_elapsed_seconds)),
            opt(eff.and_then(|e| e.cost_per_input)),
            opt(eff.and_then(|e| e.cost_per_output)),
            opt(eff.and_then(|e| e.output_ratio)),
            opt(eff.and_then(|e| e.processing_rate)),
            opt(cmp.and_then(|c| c.avg_credits)),
            opt(cmp.and_then(|c| c.credits_diff_percent)),
            opt(cmp.and_then(|c| c.avg_output)),
            opt(cmp.and_then(|c| c.output_diff_percent)),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::detail::run_detail;
    use crate::domain::fixtures::plan_run;
    use crate::domain::view::SiteRef;

    #[test]
    fn one_row_per_stage_with_the_runs_figures() {
        let run = plan_run();
        let site = SiteRef { id: 1, name: "TechBlog".into(), domain: "tech,blog.com".into() };
        let csv = stages_csv(&run_detail(&run, &site, None, 0, run.started_at));
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 8);
        assert_eq!(lines[0], CSV_HEADER);
        // The title holds a comma, so it is quoted.
        assert!(lines[4].starts_with(
            "run_20260117_140523_manual,\"tech,blog.com #47\",4,Tasks → Content,completed,25,25,310,54.5,1122,"
        ));
        assert!(lines[3].contains(",0,0,"), "stage 3 is free: {}", lines[3]);
    }
}
