//! Embeds the shipped content (`scenarios/`: the reference matrix, the scenarios and the question
//! sets) in the binary, so a `warroom` copied to another folder or machine plays what it was built
//! with. Generates `$OUT_DIR/shipped_content.rs`: every `.ron` file under `scenarios/`, by its path
//! relative to that folder, with its text.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn ron_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            ron_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "ron") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let content = root.join("scenarios");
    // A directory: cargo rescans it, so adding or removing a file re-embeds too.
    println!("cargo:rerun-if-changed={}", content.display());
    let mut files = Vec::new();
    ron_files(&content, &mut files);
    files.sort();
    let mut code = String::from("/// The shipped content: (path under `scenarios/`, text).\n");
    code.push_str("pub static SHIPPED_FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        let relative = file
            .strip_prefix(&content)
            .expect("under scenarios/")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let _ = writeln!(
            code,
            "    ({relative:?}, include_str!({:?})),",
            file.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("shipped_content.rs"), code).expect("OUT_DIR is writable");
}
