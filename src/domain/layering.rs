//! The domain's modules form no cycle, and the domain reaches nothing outside itself but the
//! paths: read from the sources, so a new `use` that closes a loop fails here with its path.

use std::collections::{BTreeMap, BTreeSet};

/// Each domain module and the domain modules its non-test code names.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/domain");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("src/domain") {
        let path = entry.expect("entry").path();
        let name = path.file_stem().and_then(|s| s.to_str()).expect("name").to_string();
        if path.extension().is_none_or(|e| e != "rs") || name == "mod" {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source");
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
        graph.insert(name.clone(), names_used(code).filter(|m| *m != name).collect());
    }
    let known: BTreeSet<String> = graph.keys().cloned().collect();
    graph.values_mut().for_each(|deps| deps.retain(|d| known.contains(d)));
    graph
}

/// The first segment after every `super::` and `crate::domain::` in `code`.
fn names_used(code: &str) -> impl Iterator<Item = String> + '_ {
    ["super::", "crate::domain::"].into_iter().flat_map(move |prefix| {
        code.match_indices(prefix).map(move |(at, _)| {
            code[at + prefix.len()..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
        })
    })
}

/// A path `a → … → a` if the graph has one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[start..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if !done.insert(node.to_string()) {
            return None;
        }
        stack.push(node.to_string());
        let found = graph[node].iter().find_map(|next| visit(next, graph, stack, done));
        stack.pop();
        found
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_domain_modules_form_no_cycle() {
    let graph = module_graph();
    assert!(graph.len() > 20 && graph["detail"].contains("insights"), "the sources were read: {graph:?}");
    assert_eq!(find_cycle(&graph), None);
}

#[test]
fn a_cycle_is_found_when_there_is_one() {
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec![])]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.into_iter().map(str::to_string).collect()))
            .collect();
    assert_eq!(find_cycle(&graph), Some(vec!["a", "b", "c", "a"].into_iter().map(str::to_string).collect()));
}

#[test]
fn the_domain_does_no_io() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/domain");
    for entry in std::fs::read_dir(dir).expect("src/domain") {
        let path = entry.expect("entry").path();
        if path.file_stem().is_some_and(|s| s == "layering") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for outside in ["crate::server", "crate::ui", "crate::server_fns", "sqlx::", "tokio::"] {
            assert!(!code.contains(outside), "{} uses {outside}", path.display());
        }
    }
}
