//! The run detail (metrics.md, "Run detail") of the plan's example run and of runs built to
//! hit the edge cases: inputs of 0, no credits, comparisons with earlier runs only.

use automation_runs::server::db::Store;
use chrono::Duration;
use serde_json::Value;

use crate::data::*;
use crate::harness::*;
use crate::oracle;

backends_test!(plan_example_run_detail, |store: Store| async move {
    import_ok(&store, &plan_lines()).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let d = app.detail(PLAN_RUN_ID).await;

    let run = &d["run"];
    assert_eq!(run["run_id"], PLAN_RUN_ID);
    assert_eq!(run["run_number"], 1);
    assert_eq!(run["run_title"], "techblog.com #1");
    assert_eq!((run["site_id"].as_i64(), run["site_domain"].as_str()), (Some(123), Some("techblog.com")));
    assert_eq!(run["status"], "completed");
    assert_eq!(run["trigger_type"], "manual");
    assert_eq!(run["duration_seconds"], 2301);
    assert_eq!(run["total_credits_used"], 569);

    let m = &d["metrics"];
    assert_eq!(m["stage_credits_total"], 569);
    assert_eq!(m["items_processed"], 263);
    assert_eq!(m["items_created"], 243, "Σ outputs of stages 1 to 6: 12+87+50+25+45+24");
    assert_eq!(m["total_initial_items"], 263);
    assert_eq!(m["queue_processed_percent"], 100.0);
    assert_eq!(m["duration_seconds"], 2301);
    assert_eq!((m["stages_completed"].as_u64(), m["stages_failed"].as_u64()), (Some(7), Some(0)));

    let shares: Vec<(u64, Option<f64>, bool)> = m["credit_shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["stage"].as_u64().unwrap(), as_f64(&s["share_percent"]), s["is_free"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        shares,
        vec![
            (1, Some(7.9), false),
            (2, Some(21.1), false),
            (3, Some(0.0), true),
            (4, Some(54.5), false),
            (5, Some(3.9), false),
            (6, Some(12.7), false),
            (7, Some(0.0), true),
        ]
    );
    let credits: Vec<u64> = (1..=7).map(|n| m["credits_by_stage"][format!("stage_{n}")].as_u64().unwrap()).collect();
    assert_eq!(credits, vec![45, 120, 0, 310, 22, 72, 0]);
    let times: Vec<u64> = (1..=7).map(|n| m["time_by_stage"][format!("stage_{n}")].as_u64().unwrap()).collect();
    assert_eq!(times, vec![204, 495, 12, 1122, 135, 330, 3]);

    // Stages: results, efficiency, extras.
    let stages = d["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 7);
    let s1 = &stages[0];
    assert_eq!(s1["status"], "completed");
    assert_eq!(s1["is_enabled"], true);
    assert_eq!((s1["result"]["input_count"].as_u64(), s1["result"]["output_count"].as_u64()), (Some(150), Some(12)));
    assert_eq!(s1["result"]["time_elapsed"], "00:03:24");
    assert_eq!(s1["result"]["time_elapsed_seconds"], 204);
    assert_eq!(s1["result"]["batches"], 3);
    assert_close(as_f64(&s1["efficiency"]["cost_per_input"]), Some(0.3), "stage 1 cost per input");
    assert_close(as_f64(&s1["efficiency"]["cost_per_output"]), Some(45.0 / 12.0), "stage 1 cost per output");
    assert_close(as_f64(&s1["efficiency"]["output_ratio"]), Some(12.0 / 150.0), "stage 1 output ratio");
    assert_close(as_f64(&s1["efficiency"]["processing_rate"]), Some(150.0 / (204.0 / 60.0)), "stage 1 rate");
    assert_eq!(stages[3]["result"]["total_words"], 15450);
    let s7 = &stages[6];
    assert_eq!((s7["result"]["input_count"].as_u64(), s7["result"]["output_count"].as_u64()), (Some(5), Some(5)));
    assert_close(as_f64(&s7["efficiency"]["cost_per_input"]), Some(0.0), "stage 7 is free");
    // No earlier runs: nothing to compare with.
    assert_eq!(d["comparison_runs"], 0);
    assert!(stages.iter().all(|s| s["comparison"].is_null()));

    // Timeline: stage starts are offsets of the stage times before them.
    let events: Vec<(String, Option<u64>, i64)> = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap().to_string(), e["stage"].as_u64(), e["offset_seconds"].as_i64().unwrap()))
        .collect();
    let stage_starts: Vec<(Option<u64>, i64)> =
        events.iter().filter(|e| e.0 == "stage_started").map(|e| (e.1, e.2)).collect();
    assert_eq!(
        stage_starts,
        vec![(Some(2), 204), (Some(3), 699), (Some(4), 711), (Some(5), 1833), (Some(6), 1968), (Some(7), 2298)]
    );
    assert_eq!(events.first().map(|e| (e.0.as_str(), e.2)), Some(("started", 0)));
    assert_eq!(events.last().map(|e| (e.0.as_str(), e.2)), Some(("completed", 2301)));
    let completed_at = d["timeline"].as_array().unwrap().last().unwrap()["at"].as_str().unwrap().to_string();
    assert_eq!(ts(&completed_at), ts("2026-01-17T14:43:44Z"));
});

backends_test!(zero_inputs_and_zero_credits_give_nulls, |store: Store| async move {
    let t = ts("2026-01-20T10:00:00Z");
    // Stage 2 read nothing; stage 5 produced nothing from 4 inputs; stage 3 took 0 s.
    let mut edge = TestRun::completed(
        123,
        "run_edge",
        t,
        100,
        [
            Some(st(10, 2, 5, 60)),
            Some(st(0, 0, 0, 0)),
            Some(st(3, 3, 0, 0)),
            Some(st(2, 2, 20, 120)),
            Some(st(4, 0, 8, 30)),
            None,
            Some(st(0, 0, 0, 0)),
        ],
    );
    edge.total_credits = 33;
    let free = TestRun::completed(123, "run_free", t + Duration::hours(1), 10, [Some(st(5, 5, 0, 5)); 7]);
    let mut lines = vec![PLAN_ACCOUNT.to_string(), PLAN_SITE.to_string()];
    lines.push(edge.line());
    lines.push(free.line());
    import_ok(&store, &lines).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;

    let d = app.detail("run_edge").await;
    let stages = d["stages"].as_array().unwrap();
    let eff = |n: usize| &stages[n - 1]["efficiency"];
    for key in ["cost_per_input", "cost_per_output", "output_ratio", "processing_rate"] {
        assert!(eff(2)[key].is_null(), "stage 2 {key} with 0 inputs must be null: {}", eff(2));
        assert!(eff(7)[key].is_null(), "stage 7 {key} with 0 inputs must be null: {}", eff(7));
    }
    assert!(eff(3)["processing_rate"].is_null(), "0 s of time_elapsed: rate is null: {}", eff(3));
    assert_close(as_f64(&eff(3)["output_ratio"]), Some(1.0), "stage 3 output ratio");
    assert!(eff(5)["cost_per_output"].is_null(), "no output: cost per output is null: {}", eff(5));
    assert_close(as_f64(&eff(5)["cost_per_input"]), Some(2.0), "stage 5 cost per input");
    assert_close(as_f64(&eff(5)["output_ratio"]), Some(0.0), "stage 5 output ratio");
    assert!(stages[5]["result"].is_null() && stages[5]["efficiency"].is_null());
    assert_eq!(stages[5]["status"], "skipped");
    assert_eq!(stages[5]["is_enabled"], false);
    assert_eq!(d["metrics"]["items_processed"], 19);
    assert_eq!(d["metrics"]["items_created"], 7);
    // total_initial_items is Σ inputs here (19): 100 %.
    assert_eq!(d["metrics"]["queue_processed_percent"], 100.0);

    let f = app.detail("run_free").await;
    assert_eq!(f["metrics"]["stage_credits_total"], 0);
    for s in f["metrics"]["credit_shares"].as_array().unwrap() {
        assert!(s["share_percent"].is_null(), "a run without credits has null shares: {s}");
        assert_eq!(s["is_free"], true);
    }
});

fn comparison_stages(n: u64) -> [Option<Stage>; 7] {
    [
        Some(st(100 + n, 10 + n, 30 + 3 * n, 100)),
        Some(st(10, 50 + n, 100 + 7 * n, 300)),
        Some(st(40, 40, 0, 10)),
        Some(st(20, 20, 250 + 11 * n, 900)),
        Some(st(12, 36, 20, 100)),
        Some(st(6, 18, 60 + n, 200)),
        Some(st(4, 4, 0, 3)),
    ]
}

fn assert_comparison(d: &Value, runs: &[TestRun], target: &TestRun) {
    let (count, expected) = oracle::comparison(runs, target);
    assert_eq!(d["comparison_runs"].as_u64(), Some(count as u64), "comparison_runs of {}", target.run_id);
    let stages = d["stages"].as_array().unwrap();
    match expected {
        None => {
            for s in stages {
                assert!(s["comparison"].is_null(), "{}: fewer than 3 earlier completed runs: {s}", target.run_id);
            }
        }
        Some(expected) => {
            for (i, (s, e)) in stages.iter().zip(expected).enumerate() {
                let c = &s["comparison"];
                let Some(e) = e else {
                    assert!(c.is_null(), "stage {} has no result: {c}", i + 1);
                    continue;
                };
                let what = format!("{} stage {}", target.run_id, i + 1);
                assert_close(
                    as_f64(&c["avg_credits"]),
                    Some(oracle::round1(e.avg_credits)),
                    &format!("{what} avg_credits"),
                );
                assert_close(
                    as_f64(&c["avg_output"]),
                    Some(oracle::round1(e.avg_output)),
                    &format!("{what} avg_output"),
                );
                assert_eq!(as_f64(&c["credits_diff_percent"]), e.credits_diff_percent, "{what} credits_diff_percent");
                assert_eq!(as_f64(&c["output_diff_percent"]), e.output_diff_percent, "{what} output_diff_percent");
            }
        }
    }
}

backends_test!(comparison_uses_only_earlier_completed_runs, |store: Store| async move {
    let t = ts("2026-01-01T00:00:00Z");
    let day = |d: i64| t + Duration::days(d);
    let mut runs = vec![
        TestRun::completed(70, "c01", day(1), 2000, comparison_stages(1)),
        TestRun::completed(70, "c02", day(2), 2000, comparison_stages(2)),
        // Two completed runs before: not enough.
        TestRun::completed(70, "t_early", day(3), 2000, comparison_stages(9)),
    ];
    let mut failed = TestRun::unfinished(70, "f_between", "failed", 4, day(4));
    failed.stages[0] = Some(st(1000, 1000, 1000, 10));
    runs.push(failed);
    for i in 5..18 {
        runs.push(TestRun::completed(70, &format!("c{i:02}"), day(i), 2000, comparison_stages(i as u64)));
    }
    runs.push(TestRun::completed(70, "t_late", day(18), 2000, comparison_stages(4)));
    // Completed after the target, and another site's runs: never compared.
    runs.push(TestRun::completed(70, "c_after", day(19), 2000, comparison_stages(500)));
    for i in 0..4 {
        runs.push(TestRun::completed(71, &format!("other{i}"), day(10 + i), 2000, comparison_stages(900)));
    }
    let mut lines =
        vec![account(7, "Compare", 10), site(70, 7, "Compare", "compare.example"), site(71, 7, "Other", "o.example")];
    lines.extend(runs.iter().rev().map(TestRun::line));
    import_ok(&store, &lines).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;

    let find = |runs: &[TestRun], id: &str| runs.iter().find(|r| r.run_id == id).unwrap().clone();
    let target = |id: &str| find(&runs, id);
    let early = app.detail("t_early").await;
    assert_eq!(early["comparison_runs"], 2);
    assert_comparison(&early, &runs, &target("t_early"));

    let late = app.detail("t_late").await;
    let (count, _) = oracle::comparison(&runs, &target("t_late"));
    assert_eq!(count, 10, "the 10 latest of the 14 earlier completed runs");
    assert_comparison(&late, &runs, &target("t_late"));

    // A new earlier completed run (a later file) changes the comparison: nothing stale is served.
    let added = TestRun::completed(70, "c_new", day(17) + Duration::hours(1), 2000, comparison_stages(77));
    import_ok(&store, &[added.line()]).await;
    runs.push(added);
    let late_again = app.detail("t_late").await;
    assert_comparison(&late_again, &runs, &find(&runs, "t_late"));
    assert_ne!(late_again["stages"][0]["comparison"], late["stages"][0]["comparison"]);
    assert_eq!(late_again["run"]["run_number"], late["run"]["run_number"].as_i64().unwrap() + 1);
});

backends_test!(comparison_leaves_out_runs_started_at_the_same_time, |store: Store| async move {
    let t = ts("2026-01-01T00:00:00Z");
    let runs = vec![
        TestRun::completed(70, "c1", t, 100, comparison_stages(1)),
        TestRun::completed(70, "c2", t + Duration::hours(1), 100, comparison_stages(2)),
        TestRun::completed(70, "c3", t + Duration::hours(2), 100, comparison_stages(3)),
        // Same start as the target, smaller run_id: numbered before it, but it did not start
        // before it.
        TestRun::completed(70, "a_same", t + Duration::hours(3), 100, comparison_stages(300)),
        TestRun::completed(70, "b_target", t + Duration::hours(3), 100, comparison_stages(4)),
    ];
    let mut lines = vec![account(7, "Compare", 10), site(70, 7, "Compare", "compare.example")];
    lines.extend(runs.iter().map(TestRun::line));
    import_ok(&store, &lines).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let d = app.detail("b_target").await;
    assert_eq!(d["comparison_runs"], 3, "only c1, c2, c3 started before b_target");
    assert_comparison(&d, &runs, &runs[4]);
});

backends_test!(every_field_of_the_record_is_in_the_result, |store: Store| async move {
    let run = one_line(PLAN_RUN).replace(
        "\"clusters_processed\":10,",
        "\"clusters_processed\":10,\"model\":\"gpt-x\",\"retries\":{\"count\":2},",
    );
    let record: Value = serde_json::from_str(&run).unwrap();
    import_ok(&store, &[one_line(PLAN_ACCOUNT), one_line(PLAN_SITE), run]).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let d = app.detail(PLAN_RUN_ID).await;
    for n in 1..=7 {
        let imported = record[format!("stage_{n}_result")].as_object().unwrap();
        let result = d["stages"][n - 1]["result"].as_object().unwrap();
        for (key, value) in imported {
            assert_eq!(result.get(key), Some(value), "stage {n}: {key} of the record, flat in {result:?}");
        }
        assert!(result.get("extra_fields").is_none(), "no nested object: {result:?}");
    }
    let s2 = &d["stages"][1]["result"];
    assert_eq!((s2["model"].as_str(), s2["retries"]["count"].as_u64()), (Some("gpt-x"), Some(2)));
    assert_eq!((s2["input_count"].as_u64(), s2["ideas_created"].as_u64()), (Some(10), Some(87)));
});
