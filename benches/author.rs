//! The Author screen's live check: one edit of the shipped plan (a RACI cell), then the whole
//! folder checked as `warroom validate` would check it. The screen promises this within 250 ms in
//! the debug build: `cargo bench --bench author --profile dev` measures that build.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use warroom::app::author::AuthorDoc;
use warroom::engine::content::shipped;

fn edit_and_check(c: &mut Criterion) {
    // A copy of the shipped folder, so the benchmark never writes beside the real content.
    let dir = tempfile::tempdir().expect("a temporary folder");
    for entry in std::fs::read_dir(shipped::dir()).expect("the shipped folder") {
        let path = entry.expect("an entry").path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("a name")))
                .expect("copied");
        }
    }
    let mut doc = AuthorDoc::open(dir.path()).expect("the shipped plan opens");
    let triage = doc
        .matrix()
        .tasks
        .iter()
        .position(|t| t.id.as_str() == "triage_alert")
        .expect("a triage task");
    let mut informed = false;
    c.bench_function(
        "author: edit one RACI cell and check the shipped folder",
        |b| {
            b.iter(|| {
                informed = !informed;
                let codes: &[&str] = if informed { &["C", "I"] } else { &["C"] };
                doc.set_cell(black_box(triage), "it_ops", codes);
                black_box(doc.errors())
            });
        },
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = edit_and_check
}
criterion_main!(benches);
