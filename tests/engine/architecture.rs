//! The source tree's shape: layers point one way (main → {app, cli, `room_host`} → {hosting, store,
//! interop} → engine) and no two modules import each other, directly or round a circle, nor do
//! two folders. An import counts
//! where the item is defined: a path through a `pub use` re-export is followed to the module that
//! defines it, and the re-export itself is an import of the re-exporting module. So a parent module
//! that wires its children must not define what they import; that lives in a child of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `crate::a::b` as `["a", "b"]`; the crate root is empty.
type ModPath = Vec<String>;

struct Module {
    file: PathBuf,
    /// Source without its inline test module.
    text: String,
}

/// Child modules a file declares (`mod x;`, `pub mod x;`, `pub(crate) mod x;`).
fn children(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line.split_once("mod ")?;
            let visibility = rest.0.trim();
            let ok = visibility.is_empty() || visibility.starts_with("pub");
            let name = rest.1.strip_suffix(';')?;
            (ok && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .then(|| name.to_owned())
        })
        .collect()
}

fn modules() -> BTreeMap<ModPath, Module> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("main.rs") {
                continue;
            }
            // `x_tests.rs` is the test module of `x.rs` in a file of its own (`#[cfg(test)]
            // #[path = "x_tests.rs"] mod tests;`): test code, as an inline test module is.
            if path
                .file_stem()
                .is_some_and(|s| s.to_string_lossy().ends_with("_tests"))
            {
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap().with_extension("");
            let mut segments: ModPath = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if segments.last().is_some_and(|s| s == "mod" || s == "lib") {
                segments.pop();
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let text = match text.find("#[cfg(test)]\nmod tests") {
                Some(at) => text[..at].to_owned(),
                None => text,
            };
            out.insert(segments, Module { file: path, text });
        }
    }
    out
}

/// Every path a file names that starts at `crate::` or `super::`, with `{…}` groups expanded, and
/// whether it was named by a `pub use` (a re-export).
fn named_paths(text: &str) -> Vec<(Vec<String>, bool)> {
    let children: Vec<String> = children(text)
        .into_iter()
        .map(|c| format!("{c}::"))
        .collect();
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < code.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &code[i..];
        let after_word_boundary = i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || bytes[i - 1] == b':');
        let starts = after_word_boundary
            && (rest.starts_with("crate::")
                || rest.starts_with("super::")
                || children.iter().any(|c| rest.starts_with(c.as_str())));
        if !starts {
            i += 1;
            continue;
        }
        let before = &code[..i];
        let statement_start = before.rfind([';', '{', '}']).map_or(0, |p| p + 1);
        let reexport = before[statement_start..]
            .trim_start()
            .starts_with("pub use");
        let (paths, used) = use_tree(rest);
        out.extend(paths.into_iter().map(|p| (p, reexport)));
        i += used.max(1);
    }
    out
}

/// Parses a use tree (`a::b::{c, d::e}`) at the start of `text`; returns its leaf paths and the
/// bytes read.
fn use_tree(text: &str) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    loop {
        let start = i;
        while i < text.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i > start {
            prefix.push(text[start..i].to_owned());
        }
        if text[i..].starts_with("::{") {
            i += 3;
            let mut leaves = Vec::new();
            loop {
                while i < text.len() && (bytes[i] == b',' || bytes[i].is_ascii_whitespace()) {
                    i += 1;
                }
                if i >= text.len() || bytes[i] == b'}' {
                    i += 1;
                    break;
                }
                let (inner, used) = use_tree(&text[i..]);
                leaves.extend(inner.into_iter().map(|tail| {
                    let mut path = prefix.clone();
                    path.extend(tail);
                    path
                }));
                i += used.max(1);
            }
            return (leaves, i);
        }
        if text[i..].starts_with("::") {
            i += 2;
            continue;
        }
        return (vec![prefix], i);
    }
}

/// Makes a named path absolute from the module that names it.
fn absolute(from: &ModPath, path: &[String]) -> ModPath {
    let mut base: ModPath = Vec::new();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => rest = &rest[1..],
        Some("super") => {
            base.clone_from(from);
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        // A child module of the naming one.
        _ => base.clone_from(from),
    }
    base.extend(rest.iter().filter(|s| *s != "self").cloned());
    base
}

struct Graph {
    modules: BTreeMap<ModPath, Module>,
    /// Per module: item name → absolute path it re-exports.
    reexports: BTreeMap<ModPath, BTreeMap<String, ModPath>>,
}

impl Graph {
    fn new() -> Self {
        let modules = modules();
        let mut reexports: BTreeMap<ModPath, BTreeMap<String, ModPath>> = BTreeMap::new();
        for (path, module) in &modules {
            for (named, reexport) in named_paths(&module.text) {
                if reexport && let Some(last) = named.last() {
                    reexports
                        .entry(path.clone())
                        .or_default()
                        .insert(last.clone(), absolute(path, &named));
                }
            }
        }
        Self { modules, reexports }
    }

    /// The module that defines what `path` names.
    fn defining_module(&self, path: &ModPath, depth: usize) -> Option<ModPath> {
        let module = (0..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|prefix| self.modules.contains_key(prefix))?;
        let item = path.get(module.len());
        if depth < 8
            && let Some(target) = item.and_then(|i| self.reexports.get(&module)?.get(i))
        {
            return self.defining_module(target, depth + 1);
        }
        Some(module)
    }

    fn edges(&self) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
        let mut edges: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
        for (from, module) in &self.modules {
            let targets = edges.entry(from.clone()).or_default();
            // A re-export is an import too: the facade depends on what it re-exports.
            for (named, _) in named_paths(&module.text) {
                if let Some(to) = self.defining_module(&absolute(from, &named), 0)
                    && &to != from
                {
                    targets.insert(to);
                }
            }
        }
        edges
    }
}

fn name(path: &ModPath) -> String {
    if path.is_empty() {
        "crate".to_owned()
    } else {
        path.join("::")
    }
}

/// Strongly connected components with more than one module (Tarjan).
fn circles(edges: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<ModPath, BTreeSet<ModPath>>,
        index: BTreeMap<&'a ModPath, usize>,
        low: BTreeMap<&'a ModPath, usize>,
        stack: Vec<&'a ModPath>,
        on_stack: BTreeSet<&'a ModPath>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a ModPath) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.edges.get(v).into_iter().flatten() {
            let Some((w, _)) = s.edges.get_key_value(w) else {
                continue;
            };
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(name(w));
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    state.found
}

#[test]
fn the_parser_follows_groups_and_relative_paths() {
    let paths = named_paths(
        "mod kid;\nuse super::{a::B, c::{D, e::F}};\nlet x = crate::g::h(1);\npub use kid::K;",
    );
    let paths: Vec<_> = paths
        .into_iter()
        .map(|(p, reexport)| (p.join("::"), reexport))
        .collect();
    assert_eq!(
        paths,
        [
            ("super::a::B".to_owned(), false),
            ("super::c::D".to_owned(), false),
            ("super::c::e::F".to_owned(), false),
            ("crate::g::h".to_owned(), false),
            ("kid::K".to_owned(), true),
        ]
    );
    let from = vec!["app".to_owned(), "screens".to_owned(), "play".to_owned()];
    assert_eq!(
        absolute(&from, &["super".into(), "super".into(), "flow".into()]).join("::"),
        "app::flow"
    );
    let edges = BTreeMap::from([
        (vec!["a".to_owned()], BTreeSet::from([vec!["b".to_owned()]])),
        (vec!["b".to_owned()], BTreeSet::from([vec!["a".to_owned()]])),
        (vec!["c".to_owned()], BTreeSet::from([vec!["a".to_owned()]])),
    ]);
    assert_eq!(circles(&edges), [["a", "b"]]);
}

#[test]
fn no_module_imports_round_a_circle() {
    let graph = Graph::new();
    let edges = graph.edges();
    let found = circles(&edges);
    // Name the imports inside each circle, so it can be cut where it is cheapest.
    let inside: Vec<String> = found
        .iter()
        .flat_map(|circle| {
            edges.iter().flat_map(move |(from, targets)| {
                targets
                    .iter()
                    .filter(|to| circle.contains(&name(from)) && circle.contains(&name(to)))
                    .map(move |to| format!("{} -> {}", name(from), name(to)))
            })
        })
        .collect();
    assert!(
        found.is_empty(),
        "import circles: {found:#?}\nimports in them: {inside:#?}"
    );
}

/// The engine, the store and the CLI build without the UI: none of them may name Bevy or egui.
#[test]
fn only_the_app_names_the_ui_crates() {
    let graph = Graph::new();
    let mut wrong = Vec::new();
    for (path, module) in &graph.modules {
        if path.first().is_some_and(|p| p == "app") {
            continue;
        }
        for ui_crate in ["bevy", "bevy_egui", "egui", "egui_plot", "winit"] {
            let named = module.text.lines().any(|line| {
                let line = line.split("//").next().unwrap_or("");
                line.contains(&format!("{ui_crate}::"))
            });
            if named {
                wrong.push(format!("{} names `{ui_crate}`", module.file.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn layers_point_one_way() {
    let graph = Graph::new();
    // Which top-level parts each part may import (besides itself).
    let allowed: BTreeMap<&str, &[&str]> = BTreeMap::from([
        ("engine", &[][..]),
        ("store", &["engine"][..]),
        // Spreadsheets and CSV: a layer beside the store, over the engine.
        ("interop", &["engine"][..]),
        // Organisation records: statements (interop) queued and sent from the outbox (store).
        ("lrs", &["engine", "store", "interop"][..]),
        ("cli", &["engine", "store", "interop", "lrs"][..]),
        // How the app drives a room without its transport: open to the app and the host.
        ("hosting", &["engine"][..]),
        ("app", &["engine", "store", "interop", "hosting", "lrs"][..]),
        ("room_host", &["engine", "store", "hosting"][..]),
    ]);
    let mut wrong = Vec::new();
    for (from, targets) in graph.edges() {
        let Some(part) = from.first() else {
            continue;
        };
        let Some(may) = allowed.get(part.as_str()) else {
            continue;
        };
        for to in targets {
            let target = to.first().map_or("crate", String::as_str);
            if target != part && !may.contains(&target) {
                wrong.push(format!(
                    "{} ({}) imports {}",
                    name(&from),
                    graph.modules[&from].file.display(),
                    name(&to)
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers: {wrong:#?}");
}

/// The imports between folders: every module stands for the folder (or top-level file) two levels
/// down that holds it (`engine::model::script` is `engine::model`), and an import inside one
/// folder does not count.
fn folder_edges(
    edges: &BTreeMap<ModPath, BTreeSet<ModPath>>,
) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let folder = |path: &ModPath| path.iter().take(2).cloned().collect::<ModPath>();
    let mut out: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for (from, targets) in edges {
        let from = folder(from);
        let entry = out.entry(from.clone()).or_default();
        for to in targets {
            let to = folder(to);
            // A part's own root (`engine/mod.rs`) wires its folders; it is not one of them.
            if to != from && to.len() == 2 && from.len() == 2 {
                entry.insert(to);
            }
        }
    }
    out
}

#[test]
fn folder_circles_are_found_in_a_tree_made_to_have_one() {
    let path = |p: &str| p.split("::").map(str::to_owned).collect::<ModPath>();
    // Two files of two folders import each other's folder through different files.
    let edges = BTreeMap::from([
        (
            path("engine::model::script"),
            BTreeSet::from([path("engine::session::state")]),
        ),
        (
            path("engine::session::state"),
            BTreeSet::from([path("engine::model::matrix")]),
        ),
        (path("engine::model::matrix"), BTreeSet::new()),
        (
            path("engine::content::load"),
            BTreeSet::from([path("engine::model::matrix")]),
        ),
    ]);
    assert!(circles(&edges).is_empty(), "no circle between files");
    assert_eq!(
        circles(&folder_edges(&edges)),
        [["engine::model", "engine::session"]]
    );
}

#[test]
fn no_folder_imports_round_a_circle() {
    let graph = Graph::new();
    let edges = graph.edges();
    let folders = folder_edges(&edges);
    let found = circles(&folders);
    let inside: Vec<String> = found
        .iter()
        .flat_map(|circle| {
            let folder = |p: &ModPath| name(&p.iter().take(2).cloned().collect());
            edges.iter().flat_map(move |(from, targets)| {
                targets
                    .iter()
                    .filter(move |to| {
                        circle.contains(&folder(from))
                            && circle.contains(&folder(to))
                            && folder(from) != folder(to)
                    })
                    .map(move |to| format!("{} -> {}", name(from), name(to)))
            })
        })
        .collect();
    assert!(
        found.is_empty(),
        "folder circles: {found:#?}\nimports in them: {inside:#?}"
    );
}
