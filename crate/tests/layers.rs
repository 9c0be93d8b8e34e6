//! The crate's layout is its architecture (issue #16): every source file sits in a layer
//! folder, a layer uses only the layers below it, and no two files import each other,
//! directly or round a longer loop. This test reads `crate/src` and checks both rules on
//! the `crate::…` paths each file names outside its unit tests (test modules may reach
//! upward: a loader test runs a simulation).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The layers, lowest first (`src/lib.rs` says what each holds). `fuzz` and `wasm` sit on
/// top of all of them.
const LAYERS: &[&str] = &[
    "base",
    "workload",
    "operators",
    "engine",
    "storage",
    "cost",
    "scenario",
    "report",
    "simulation",
    "exports",
    "fuzz",
    "wasm",
];

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `workload/loader/mod.rs` → `["workload", "loader"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src").with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts
}

/// The file's text without its unit-test module.
fn non_test_text(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod tests").map_or(text, |i| &text[..i])
}

/// Every `crate::a::b::…` path in `text`, as its segments.
fn crate_paths(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find("crate::") {
        let start = from + i;
        from = start + 7;
        if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            continue; // `pipeline_sim_crate::` and the like
        }
        let rest = &text[from..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let segs: Vec<String> = rest[..end]
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if !segs.is_empty() {
            out.push(segs);
        }
    }
    out
}

struct Graph {
    /// Module path → the modules it names (longest known prefix of each path).
    deps: BTreeMap<String, Vec<String>>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rs_files(&src, &mut files);
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    for f in &files {
        let m = module_of(&src, f);
        let last = m.last().expect("a module has a name");
        if m == ["lib"] || m == ["main"] || last == "tests" || last.ends_with("_tests") {
            continue;
        }
        modules.insert(
            m.join("::"),
            std::fs::read_to_string(f).expect("a source file is readable"),
        );
    }
    let mut deps = BTreeMap::new();
    for (m, text) in &modules {
        let mut ds: Vec<String> = Vec::new();
        for segs in crate_paths(non_test_text(text)) {
            let known = (1..=segs.len())
                .rev()
                .map(|k| segs[..k].join("::"))
                .find(|c| modules.contains_key(c));
            if let Some(d) = known.filter(|d| d != m && !ds.contains(d)) {
                ds.push(d);
            }
        }
        ds.sort();
        deps.insert(m.clone(), ds);
    }
    Graph { deps }
}

fn layer(module: &str) -> Option<usize> {
    let top = module.split("::").next().expect("a module has a name");
    LAYERS.iter().position(|l| *l == top)
}

#[test]
fn every_file_is_in_a_layer_folder() {
    let g = graph();
    let outside: Vec<&String> = g.deps.keys().filter(|m| layer(m).is_none()).collect();
    assert!(outside.is_empty(), "files outside the layer folders: {outside:?}");
    assert!(
        g.deps.len() > 40,
        "the walk found the crate's files ({})",
        g.deps.len()
    );
}

#[test]
fn a_layer_uses_only_the_layers_below_it() {
    let g = graph();
    let mut upward = Vec::new();
    for (m, ds) in &g.deps {
        for d in ds {
            if layer(d) > layer(m) {
                upward.push(format!("{m} -> {d}"));
            }
        }
    }
    assert!(upward.is_empty(), "imports of a higher layer: {upward:#?}");
}

#[test]
fn no_two_files_import_each_other_round_any_loop() {
    let g = graph();
    // Tarjan's strongly connected components; any with two or more modules is a cycle.
    struct T<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        cycles: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let i = t.index.len();
        t.index.insert(v, i);
        t.low.insert(v, i);
        t.stack.push(v);
        let g = t.g;
        for w in &g.deps[v] {
            let w = w.as_str();
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if t.stack.contains(&w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let at = t.stack.iter().rposition(|x| *x == v).expect("on the stack");
            let comp = t.stack.split_off(at);
            if comp.len() > 1 {
                t.cycles.push(comp);
            }
        }
    }
    let mut t = T {
        g: &g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        cycles: Vec::new(),
    };
    for m in g.deps.keys() {
        if !t.index.contains_key(m.as_str()) {
            visit(&mut t, m);
        }
    }
    assert!(t.cycles.is_empty(), "import cycles: {:?}", t.cycles);
}

#[test]
fn the_checker_sees_a_cycle_and_an_upward_import() {
    // The path reader itself: a use, a doc link and a full path all count.
    let paths = crate_paths(
        "use crate::base::time::Micros;\n/// [`crate::report::summary::Report`]\nlet x = crate::simulation::simulate(&sc);",
    );
    let firsts: Vec<&str> = paths.iter().map(|p| p[0].as_str()).collect();
    assert_eq!(firsts, ["base", "report", "simulation"]);
    assert!(layer("report::summary") > layer("scenario::spec"));
    assert_eq!(layer("lib"), None);
}
