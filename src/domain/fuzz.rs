//! Fuzzing of everything that parses outside input: import lines (import-format.md) and query
//! parameters. Proptests rather than cargo-fuzz, so that every `cargo test` is a smoke run of
//! them on the stable toolchain. Whatever the input, a parser must not panic, must keep its
//! rules when it accepts, and must say why when it refuses.

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::{json, Map, Value};

use super::fixtures::PLAN_RUN;
use super::host_name::check_host_name;
use super::logs::LogLevel;
use super::params::{parse_id, parse_run_id, HistoryFilter, PageRequest, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use super::records::{parse_line, Record, MAX_ID_LEN, MAX_TEXT_LEN};
use super::run::{format_hms, parse_hms, RunStatus, TriggerType};
use super::stage::{StageNumber, STAGES};

const KINDS: [&str; 5] = ["account", "site", "run", "pipeline", "log"];

/// One valid line of each shape the format allows, as the spec writes them.
fn templates() -> Vec<Value> {
    vec![
        json!({"kind":"account","id":1,"name":"Acme Media","credit_balance":1250}),
        json!({"kind":"site","id":123,"account_id":1,"name":"TechBlog","domain":"techblog.com"}),
        serde_json::from_str(PLAN_RUN).expect("the plan's run is JSON"),
        // The fewest fields a run may have, and a stage that did not run written as null.
        json!({"kind":"run","site_id":123,"run_id":"run_20260118_090000_scheduled","status":"failed",
            "trigger_type":"scheduled","current_stage":3,"started_at":"2026-01-18T09:00:00Z",
            "total_credits_used":165,"error_message":"Stage 3: model unavailable",
            "stage_1_result":{"keywords_processed":150,"clusters_created":12,"credits_used":45,"time_elapsed":"00:03:24"},
            "stage_2_result":{"clusters_processed":10,"ideas_created":87,"credits_used":120,"time_elapsed":"100:08:15"},
            "stage_3_result":null}),
        json!({"kind":"pipeline","site_id":123,"as_of":"2026-01-17T15:00:00Z",
            "keywords":{"new":120,"mapped":30,"skipped":0},
            "clusters":{"new":8,"mapped":15,"skipped":0},
            "ideas":{"new":32,"queued":20,"done":35,"skipped":3},
            "tasks":{"queued":20,"done":22},
            "content":{"draft":15,"review":12,"published":15,"failed":2},
            "image_prompts":{"pending":24,"done":132},
            "images":{"pending":24,"generated":132,"failed":5}}),
        json!({"kind":"log","run_id":"run_20260117_140523_manual","stage":4,"at":"2026-01-17T14:20:01Z",
            "level":"warn","message":"Task 17: model timeout, retried (attempt 2 of 3)"}),
        json!({"kind":"log","run_id":"run_20260117_140523_manual","stage":null,"at":"2026-01-17T14:05:23Z",
            "level":"info","message":""}),
    ]
}

/// Every field name of the format, so that junk objects reach the typed fields, not only
/// unknown keys that serde skips.
fn known_keys() -> Vec<String> {
    fn collect(value: &Value, keys: &mut Vec<String>) {
        if let Value::Object(map) = value {
            for (k, v) in map {
                keys.push(k.clone());
                collect(v, keys);
            }
        }
    }
    let mut keys = Vec::new();
    templates().iter().for_each(|t| collect(t, &mut keys));
    keys.sort();
    keys.dedup();
    keys
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![3 => select(known_keys()), 1 => "[a-z_0-9]{0,12}", 1 => any::<String>()]
}

fn edge_string() -> impl Strategy<Value = String> {
    let fixed = select(vec![
        "",
        " ",
        "\t\n",
        "NaN",
        "-Infinity",
        "1e400",
        "-1",
        "0",
        "null",
        "00:00:00",
        "99:59:59",
        "00:60:00",
        "1:2:3",
        "-1:00:00",
        "00:00:00:00",
        "18446744073709551615:00:00",
        "5124095576030431:00:15",
        "2026-01-17T14:05:23Z",
        "2026-01-17T14:05:22Z",
        "1970-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
        "+262143-12-31T23:59:59Z",
        "2026-02-30T00:00:00Z",
        "2026-12-31T23:59:60Z",
        "2026-01-17T14:05:23+23:59",
        "2026-01-17T14:05:23-23:59",
        "2026-01-17 14:05:23",
        "running",
        "Completed",
        "scheduled",
        "warn",
        "WARN",
        "account",
        "run ",
        "🦀",
        "\u{0}",
        "\u{feff}",
        "\u{202e}x",
        "\u{a0}",
    ])
    .prop_map(String::from);
    let long =
        (select(vec![MAX_ID_LEN, MAX_ID_LEN + 1, MAX_TEXT_LEN, MAX_TEXT_LEN + 1]), select(vec!['a', 'é', '🦀', ' ']))
            .prop_map(|(n, c)| c.to_string().repeat(n));
    prop_oneof![fixed, long, any::<String>(), "[ -~]{0,24}"]
}

fn edge_number() -> impl Strategy<Value = Value> {
    select(vec![
        json!(0),
        json!(-1),
        json!(1),
        json!(7),
        json!(8),
        json!(i64::MAX),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(-0.0),
        json!(0.5),
        json!(1.0),
        json!(1e308),
        json!(-1e308),
        json!(f64::MIN_POSITIVE),
    ])
}

/// Any JSON value, with the edge numbers and strings the format's rules turn on.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // NaN and infinities become null, as serde_json writes them.
        any::<f64>().prop_map(Value::from),
        edge_number(),
        edge_string().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// JSON text that no `serde_json::Value` serialises to.
fn raw_tokens() -> Vec<String> {
    let fixed = [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e400",
        "-1e400",
        "18446744073709551616",
        "-9223372036854775809",
        "99999999999999999999999999",
        "-0",
        "1E2",
        "1e-400",
        "01",
        "+1",
        ".5",
        "1.",
        "0x10",
        "'a'",
        "\"\\ud800\"",
        "\"\\u0000\"",
        "\"\\x\"",
        "undefined",
    ];
    let deep = |open: &str, leaf: &str, close: &str| format!("{}{leaf}{}", open.repeat(300), close.repeat(300));
    fixed.into_iter().map(String::from).chain([deep("[", "", "]"), deep("{\"a\":", "1", "}")]).collect()
}

#[derive(Debug, Clone)]
enum Junk {
    Json(Value),
    Raw(String),
}

fn junk() -> impl Strategy<Value = Junk> {
    prop_oneof![3 => json_value().prop_map(Junk::Json), 1 => select(raw_tokens()).prop_map(Junk::Raw)]
}

/// A change to one field of a record, anywhere in its nesting.
#[derive(Debug, Clone)]
enum Edit {
    Remove(Index),
    Replace(Index, Junk),
    /// Adds a key beside the chosen field.
    Insert(Index, String, Junk),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<Index>().prop_map(Edit::Remove),
        (any::<Index>(), junk()).prop_map(|(i, j)| Edit::Replace(i, j)),
        (any::<Index>(), key(), junk()).prop_map(|(i, k, j)| Edit::Insert(i, k, j)),
    ]
}

/// A change to the text of a line, to reach the JSON reader's error paths from a valid start.
#[derive(Debug, Clone)]
enum TextEdit {
    Truncate(Index),
    InsertChar(Index, char),
    RemoveRange(Index, usize),
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    let c = prop_oneof![select(vec!['{', '}', '[', ']', '"', ':', ',', '\\', '-', '0', 'e', '.', ' ']), any::<char>()];
    prop_oneof![
        any::<Index>().prop_map(TextEdit::Truncate),
        (any::<Index>(), c).prop_map(|(i, c)| TextEdit::InsertChar(i, c)),
        (any::<Index>(), 1usize..40).prop_map(|(i, n)| TextEdit::RemoveRange(i, n)),
    ]
}

fn field_paths(value: &Value) -> Vec<Vec<String>> {
    let Value::Object(map) = value else { return Vec::new() };
    map.iter()
        .flat_map(|(k, v)| {
            let nested = field_paths(v).into_iter().map(move |mut p| {
                p.insert(0, k.clone());
                p
            });
            std::iter::once(vec![k.clone()]).chain(nested)
        })
        .collect()
}

fn parent_mut<'a>(root: &'a mut Value, path: &[String]) -> Option<&'a mut Map<String, Value>> {
    let (_, parents) = path.split_last()?;
    parents.iter().try_fold(root, |v, k| v.get_mut(k))?.as_object_mut()
}

/// The template with its edits applied, as one line of text.
fn mutate(mut record: Value, edits: &[Edit], text_edits: &[TextEdit]) -> String {
    let mut raws = Vec::new();
    // Raw tokens ride through serialisation as placeholder strings and are spliced in after.
    let mut place = |junk: &Junk| match junk {
        Junk::Json(v) => v.clone(),
        Junk::Raw(text) => {
            raws.push(text.clone());
            Value::from(format!("@@raw{}@@", raws.len() - 1))
        }
    };
    for e in edits {
        let paths = field_paths(&record);
        let (Edit::Remove(i) | Edit::Replace(i, _) | Edit::Insert(i, _, _)) = e;
        if paths.is_empty() {
            break;
        }
        let path = i.get(&paths);
        let Some(parent) = parent_mut(&mut record, path) else { continue };
        let last = path.last().expect("paths are not empty");
        match e {
            Edit::Remove(_) => {
                parent.shift_remove(last);
            }
            Edit::Replace(_, junk) => {
                parent.insert(last.clone(), place(junk));
            }
            Edit::Insert(_, key, junk) => {
                parent.insert(key.clone(), place(junk));
            }
        }
    }
    let mut line = record.to_string();
    for (n, raw) in raws.iter().enumerate() {
        line = line.replace(&format!("\"@@raw{n}@@\""), raw);
    }
    for e in text_edits {
        let bounds: Vec<usize> = line.char_indices().map(|(i, _)| i).chain([line.len()]).collect();
        match e {
            TextEdit::Truncate(i) => line.truncate(*i.get(&bounds)),
            TextEdit::InsertChar(i, c) => line.insert(*i.get(&bounds), *c),
            TextEdit::RemoveRange(i, n) => {
                let start = i.index(bounds.len());
                let end = (start + n).min(bounds.len() - 1);
                line.replace_range(bounds[start]..bounds[end], "");
            }
        }
    }
    line
}

fn near_valid_line() -> impl Strategy<Value = String> {
    (select(templates()), prop::collection::vec(edit(), 0..4), prop::collection::vec(text_edit(), 0..2))
        .prop_map(|(t, edits, text_edits)| mutate(t, &edits, &text_edits))
}

/// The kind of a line that is a JSON object of a known kind: its errors must name that kind.
fn known_kind(line: &str) -> Option<&'static str> {
    let value: Value = serde_json::from_str(line).ok()?;
    let kind = value.get("kind")?.as_str()?;
    KINDS.into_iter().find(|k| *k == kind)
}

fn check_text(field: &str, value: &str, max: usize) -> Result<(), TestCaseError> {
    prop_assert!(!value.trim().is_empty(), "blank {} accepted", field);
    prop_assert!(value.chars().count() <= max, "{} longer than {} accepted", field, max);
    Ok(())
}

/// The rules of import-format.md that an accepted record must keep.
fn check_record(record: &Record) -> Result<(), TestCaseError> {
    match record {
        Record::Account(a) => check_text("account name", &a.name, MAX_ID_LEN),
        Record::Site(s) => {
            check_text("site name", &s.name, MAX_ID_LEN)?;
            prop_assert!(check_host_name(&s.domain).is_ok(), "site domain {:?} is not a host name", s.domain);
            Ok(())
        }
        Record::Run(run) => {
            check_text("run_id", &run.run_id, MAX_ID_LEN)?;
            prop_assert_eq!(run.run_number, 0);
            for at in [run.completed_at, run.paused_at, run.resumed_at, run.cancelled_at].into_iter().flatten() {
                prop_assert!(at >= run.started_at, "an event before started_at accepted");
            }
            prop_assert!(run.error_message.as_ref().is_none_or(|m| m.chars().count() <= MAX_TEXT_LEN));
            for result in run.stages.iter().flatten() {
                for (key, value) in result.fields() {
                    prop_assert!(value.as_f64().is_none_or(|n| n >= 0.0), "negative {} accepted", key);
                }
            }
            Ok(())
        }
        Record::Pipeline(_) => Ok(()),
        Record::Log(l) => {
            check_text("log run_id", &l.run_id, MAX_ID_LEN)?;
            prop_assert!(l.line.message.chars().count() <= MAX_TEXT_LEN);
            prop_assert!(l.line.stage.is_none_or(|s| (1..=7).contains(&s)));
            Ok(())
        }
    }
}

/// What any outcome of `parse_line` must satisfy.
fn check_line(line: &str) -> Result<(), TestCaseError> {
    match parse_line(line) {
        Ok(record) => check_record(&record),
        Err(e) => {
            prop_assert!(!e.0.trim().is_empty(), "no reason given for {:?}", line);
            if let Some(kind) = known_kind(line) {
                prop_assert!(e.0.starts_with(kind), "{:?} does not name the kind {}", e.0, kind);
            }
            Ok(())
        }
    }
}

/// Text fields the format accepts: not blank, at most `max` characters.
fn valid_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{1,40}".prop_filter("not blank", |s| !s.trim().is_empty()),
        (select(vec!['a', 'é', '🦀']), 1..=max).prop_map(|(c, n)| c.to_string().repeat(n)),
    ]
}

/// Host names, the only domains the format accepts: 1 to 5 labels, up to 253 characters.
fn host_name() -> impl Strategy<Value = String> {
    prop::collection::vec("[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?", 1..5)
        .prop_map(|labels| labels.join("."))
        .prop_filter("at most 253 characters", |name| name.len() <= 253)
}

/// Years 1 to 9000, so that a run's later events stay within what RFC 3339 can write.
fn timestamp() -> impl Strategy<Value = DateTime<Utc>> {
    (-62_135_596_800i64..221_845_392_000, 0u32..1_000_000_000)
        .prop_map(|(s, ns)| DateTime::from_timestamp(s, ns).expect("in chrono's range"))
}

prop_compose! {
    fn valid_run()(
        run_id in valid_text(MAX_ID_LEN), status in select(RunStatus::ALL.to_vec()),
        trigger in select(TriggerType::ALL.to_vec()), current in 1i64..=7, started_at in timestamp(),
        later in prop::array::uniform4(prop::option::of(0i64..10_000_000)), credits in any::<u64>(),
        results in prop::array::uniform7(prop::option::of(prop::array::uniform4(any::<u64>()))),
        error in prop::option::of("\\PC{0,40}"),
    ) -> Value {
        let mut run = json!({"kind":"run","site_id":7,"run_id":run_id,"status":status.as_str(),
            "trigger_type":trigger.as_str(),"current_stage":current,"started_at":started_at,
            "total_credits_used":credits,"error_message":error});
        let events = ["completed_at", "paused_at", "resumed_at", "cancelled_at"];
        for (name, after) in events.into_iter().zip(later) {
            run[name] = json!(after.map(|s| started_at + chrono::Duration::seconds(s)));
        }
        for (def, result) in STAGES.iter().zip(results) {
            run[format!("stage_{}_result", def.number)] = json!(result.map(|[input, output, credits, seconds]| {
                let mut fields = Map::new();
                fields.insert(def.input_field.into(), json!(input));
                fields.insert(def.output_field.into(), json!(output));
                fields.insert("credits_used".into(), json!(credits));
                fields.insert("time_elapsed".into(), json!(format_hms(seconds)));
                fields
            }));
        }
        run
    }
}

prop_compose! {
    fn valid_line()(
        which in 0..4usize, id in any::<i64>(), other_id in any::<i64>(), name in valid_text(MAX_ID_LEN),
        domain in host_name(), at in timestamp(), stage in prop::option::of(1i64..=7),
        level in select(LogLevel::ALL.to_vec()), message in "\\PC{0,80}", counts in prop::array::uniform16(any::<u64>()),
    ) -> Value {
        match which {
            0 => json!({"kind":"account","id":id,"name":name,"credit_balance":other_id}),
            1 => json!({"kind":"site","id":id,"account_id":other_id,"name":name,"domain":domain}),
            2 => json!({"kind":"log","run_id":name,"stage":stage,"at":at,"level":level.as_str(),"message":message}),
            _ => {
                let c = |i: usize| counts[i];
                json!({"kind":"pipeline","site_id":id,"as_of":at,
                    "keywords":{"new":c(0),"mapped":c(1)},"clusters":{"new":c(2),"skipped":c(3)},
                    "ideas":{"new":c(4),"queued":c(5),"done":c(6),"skipped":c(7)},"tasks":{"queued":c(8)},
                    "content":{"draft":c(9),"review":c(10),"failed":c(11)},"image_prompts":{"pending":c(12)},
                    "images":{"pending":c(13),"generated":c(14),"failed":c(15)}})
            }
        }
    }
}

/// Query values around the edges of integer parsing.
fn numeric_text() -> impl Strategy<Value = String> {
    let fixed = select(vec![
        "-0",
        "+0",
        "+1",
        "0",
        "1",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "4294967295",
        "4294967296",
        "1000000",
        "1000001",
        "100",
        "101",
        "1e3",
        " 1",
        "1 ",
        "\t7\n",
        "\u{a0}5",
        "\u{3000}5",
        "0x10",
        "1_000",
        "1.0",
        "١٢٣",
        "１２",
        "٣",
        "",
        "  ",
        "00000000000000000000001",
        "--1",
        "+-1",
        "½",
        "NaN",
    ])
    .prop_map(String::from);
    prop_oneof![
        fixed,
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        (0u32..200).prop_map(|n| n.to_string()),
        "[ +\\-0-9xe._]{0,24}",
        any::<String>(),
    ]
}

fn enum_text() -> impl Strategy<Value = String> {
    let names: Vec<String> = RunStatus::ALL
        .iter()
        .map(|s| s.as_str())
        .chain(TriggerType::ALL.iter().map(|t| t.as_str()))
        .chain(LogLevel::ALL.iter().map(|l| l.as_str()))
        .map(String::from)
        .collect();
    let near = (select(names.clone()), select(vec!["", " ", "\u{0}", "s"]), any::<bool>())
        .prop_map(|(n, pad, upper)| format!("{}{pad}", if upper { n.to_uppercase() } else { n }));
    prop_oneof![select(names), near, "[a-z ]{0,10}", any::<String>()]
}

/// A `FromStr` of a query enum accepts exactly its names and quotes what it refused.
fn check_enum<T>(raw: &str, all: &[T], name: fn(T) -> &'static str) -> Result<(), TestCaseError>
where
    T: std::str::FromStr<Err = String> + Copy + std::fmt::Debug,
{
    match raw.parse::<T>() {
        Ok(v) => prop_assert_eq!(name(v), raw),
        Err(e) => {
            prop_assert!(e.contains(&format!("{raw:?}")), "{:?} does not quote the input", e);
            prop_assert!(all.iter().all(|v| name(*v) != raw), "{:?} refused", raw);
        }
    }
    Ok(())
}

fn run_id_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[!-~]{1,200}",
        "[!-~]{199,202}",
        "[ -~]{0,20}",
        any::<String>(),
        select(vec!["", "a b", "é", "run\u{0}", "run\t1", "run\n"]).prop_map(String::from),
    ]
}

fn hms_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,22}:[0-9]{2}:[0-9]{2}",
        "[0-9:+\\- ]{0,12}",
        any::<u64>().prop_map(format_hms),
        any::<String>(),
    ]
}

#[test]
fn every_template_parses_as_its_kind() {
    for template in templates() {
        let line = template.to_string();
        let record = parse_line(&line).unwrap_or_else(|e| panic!("{line}: {e}"));
        let kind = match record {
            Record::Account(_) => "account",
            Record::Site(_) => "site",
            Record::Run(_) => "run",
            Record::Pipeline(_) => "pipeline",
            Record::Log(_) => "log",
        };
        assert_eq!(template["kind"], kind);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_bytes_are_a_line_or_a_reason(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        check_line(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn json_like_text_is_a_line_or_a_reason(
        prefix in select(vec!["", "{", "{\"kind\":\"run\",", "{\"kind\":\"log\",", "{\"kind\":\"pipeline\",", "{\"kind\":"]),
        text in "[{}\\[\\]\":,0-9a-z _.eE+\\\\-]{0,120}",
    ) {
        check_line(&format!("{prefix}{text}"))?;
    }

    #[test]
    fn near_valid_lines_are_a_record_or_a_reason(line in near_valid_line()) {
        check_line(&line)?;
    }

    #[test]
    fn ids_are_positive_or_refused_with_a_reason(raw in numeric_text(), n in any::<i64>(), pad in "[ \t]{0,2}") {
        match parse_id("site_id", &raw) {
            Ok(id) => {
                prop_assert!(id > 0);
                prop_assert_eq!(raw.trim().trim_start_matches('+').trim_start_matches('0'), id.to_string());
            }
            Err(e) => prop_assert!(e.0.contains("site_id") && e.0.contains(&format!("{raw:?}")), "{}", e),
        }
        let padded = parse_id("site_id", &format!("{pad}{n}{pad}")).ok();
        prop_assert_eq!(padded, (n > 0).then_some(n));
    }

    #[test]
    fn pages_stay_in_range(
        page in prop::option::of(numeric_text()), size in prop::option::of(numeric_text()), total in 0..=i64::MAX,
    ) {
        match PageRequest::new(page.as_deref(), size.as_deref()) {
            Ok(p) => {
                prop_assert!(p.page() >= 1);
                prop_assert!((1..=MAX_PAGE_SIZE).contains(&p.page_size()));
                prop_assert!(page.is_some() || p.page() == 1);
                prop_assert!(size.is_some() || p.page_size() == DEFAULT_PAGE_SIZE);
                let pages = p.total_pages(total.unsigned_abs());
                match p.number_range(total) {
                    Some((first, last)) => {
                        prop_assert!(1 <= first && first <= last && last <= total, "{}..{} of {}", first, last, total);
                        prop_assert!(last - first < i64::from(p.page_size()));
                        prop_assert!(p.page() <= pages);
                    }
                    None => prop_assert!(p.page() > pages),
                }
            }
            Err(e) => prop_assert!(e.0.starts_with("page"), "{}", e),
        }
    }

    #[test]
    fn history_filters_take_exactly_the_names(
        status in prop::option::of(enum_text()), trigger in prop::option::of(enum_text()),
    ) {
        match HistoryFilter::parse(status.as_deref(), trigger.as_deref()) {
            Ok(f) => {
                prop_assert_eq!(f.status.map(RunStatus::as_str), status.as_deref().filter(|s| !s.is_empty()));
                prop_assert_eq!(f.trigger.map(TriggerType::as_str), trigger.as_deref().filter(|s| !s.is_empty()));
            }
            Err(e) => prop_assert!(e.0.starts_with("unknown"), "{}", e),
        }
    }

    #[test]
    fn query_enums_take_exactly_their_names(raw in enum_text()) {
        check_enum(&raw, &RunStatus::ALL, RunStatus::as_str)?;
        check_enum(&raw, &TriggerType::ALL, TriggerType::as_str)?;
        check_enum(&raw, &LogLevel::ALL, LogLevel::as_str)?;
    }

    #[test]
    fn run_ids_are_visible_ascii(raw in run_id_text()) {
        match parse_run_id(&raw) {
            Ok(id) => {
                prop_assert_eq!(&id, &raw);
                prop_assert!((1..=200).contains(&id.len()));
                prop_assert!(id.bytes().all(|b| b.is_ascii_graphic()));
            }
            Err(e) => {
                prop_assert!(!e.0.is_empty());
                prop_assert!(raw.is_empty() || raw.len() > 200 || raw.bytes().any(|b| !b.is_ascii_graphic()));
            }
        }
    }

    #[test]
    fn durations_read_back_as_written(raw in hms_text(), seconds in any::<u64>()) {
        if let Some(s) = parse_hms(&raw) {
            prop_assert_eq!(parse_hms(&format_hms(s)), Some(s));
            let parts: Vec<&str> = raw.split(':').collect();
            prop_assert!(parts.len() == 3 && parts[1].len() == 2 && parts[2].len() == 2);
            prop_assert!(parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())));
        }
        prop_assert_eq!(parse_hms(&format_hms(seconds)), Some(seconds));
    }

    #[test]
    fn stage_numbers_are_one_to_seven(n in prop_oneof![any::<i64>(), -2i64..10]) {
        match StageNumber::try_from(n) {
            Ok(s) => prop_assert!((1..=7).contains(&s.get()) && i64::from(s.get()) == n),
            Err(e) => prop_assert!(!(1..=7).contains(&n) && e.contains(&n.to_string())),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn any_json_is_a_line_or_a_reason(value in json_value()) {
        check_line(&value.to_string())?;
    }

    #[test]
    fn junk_of_a_known_kind_is_a_line_or_a_reason(
        kind in select(KINDS.to_vec()), fields in prop::collection::vec((key(), json_value()), 0..12),
    ) {
        let mut object: Map<String, Value> = fields.into_iter().collect();
        object.insert("kind".into(), kind.into());
        check_line(&Value::Object(object).to_string())?;
    }

    #[test]
    fn valid_lines_parse_to_what_they_say(value in prop_oneof![valid_line(), valid_run()]) {
        let line = value.to_string();
        let record = parse_line(&line).map_err(|e| TestCaseError::fail(format!("{line}: {e}")))?;
        check_record(&record)?;
        match record {
            Record::Account(a) => prop_assert_eq!((json!(a.id), json!(a.name)), (value["id"].clone(), value["name"].clone())),
            Record::Site(s) => prop_assert_eq!(json!(s.domain), value["domain"].clone()),
            Record::Run(run) => {
                prop_assert_eq!(json!(run.run_id), value["run_id"].clone());
                prop_assert_eq!(json!(run.current_stage.get()), value["current_stage"].clone());
                prop_assert_eq!(json!(run.completed_at), value["completed_at"].clone());
                for (def, result) in STAGES.iter().zip(&run.stages) {
                    let raw = &value[format!("stage_{}_result", def.number)];
                    prop_assert_eq!(result.as_ref().map(|r| json!(r.fields())), raw.as_object().map(|o| json!(o)));
                    if let Some(r) = result {
                        prop_assert_eq!(json!(format_hms(r.seconds)), raw["time_elapsed"].clone());
                    }
                }
            }
            Record::Pipeline(p) => prop_assert_eq!(json!(p.counts.images.failed), value["images"]["failed"].clone()),
            Record::Log(l) => {
                prop_assert_eq!(json!(l.line.stage), value["stage"].clone());
                prop_assert_eq!(json!(l.line.message), value["message"].clone());
                prop_assert_eq!(json!(l.line.at), value["at"].clone());
            }
        }
    }
}
