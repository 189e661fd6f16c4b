//! The Author screen driven as an author would: right-click cells to move a responsibility, read
//! the preview, undo, and see an error block *Play this*.

use bevy_egui::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

use super::{AuthorUi, author_ui};
use crate::app::author::Authoring;
use crate::app::author::doc::tests::folder;
use crate::app::screens::fits::{size, window_harness};

struct Screen {
    authoring: Authoring,
    ui: AuthorUi,
}

/// The screen on the fixture folder, every action carried out and every grading finished in the
/// frame it is asked for (the app grades on a thread and shows the result a moment later).
fn harness(dir: &std::path::Path, scale: f32) -> Harness<'static, Screen> {
    let mut authoring = Authoring::default();
    authoring.open(dir);
    assert!(authoring.doc.is_some(), "{:?}", authoring.problem);
    let state = Screen {
        authoring,
        ui: AuthorUi::default(),
    };
    window_harness(
        size(1600.0 * scale, 900.0 * scale, scale),
        scale,
        state,
        |ui, s: &mut Screen| {
            let status = s.authoring.status();
            let actions = author_ui(ui, s.authoring.doc.as_ref(), &status, &mut s.ui);
            for action in actions {
                s.authoring.apply(&action);
            }
            if let Some(doc) = s.authoring.doc.as_mut() {
                while let Some(job) = doc.grading_job() {
                    doc.graded(job.run());
                }
            }
        },
    )
}

/// The cell of the task labelled `task` in the column headed `role`.
fn cell<'h>(harness: &'h Harness<'_, Screen>, task: &str, role: &str) -> egui_kittest::Node<'h> {
    // The outline on the left names the task too; the grid's row is the rightmost.
    let row = harness
        .get_all_by_label(task)
        .map(|n| n.rect())
        .max_by(|a, b| a.left().total_cmp(&b.left()))
        .unwrap_or_else(|| panic!("no row {task}"));
    // The table lays its header out in more than one region; any of them has the column's span.
    let column = harness
        .get_all_by_label(role)
        .next()
        .unwrap_or_else(|| panic!("no column {role}"))
        .rect();
    harness
        .root()
        .children_recursive()
        .filter(|n| n.accesskit_node().role() == egui::accesskit::Role::Button)
        .find(|n| {
            let r = n.rect();
            r.center().y > row.top() - 2.0
                && r.center().y < row.bottom() + 2.0
                && r.center().x > column.left() - 2.0
                && r.center().x < column.right() + 8.0
        })
        .unwrap_or_else(|| panic!("no cell for {task} × {role} (row {row:?}, column {column:?})"))
}

/// The codes the cell shows.
fn codes(harness: &Harness<'_, Screen>, task: &str, role: &str) -> String {
    cell(harness, task, role)
        .accesskit_node()
        .label()
        .unwrap_or_default()
}

/// Right-clicks the cell and ticks or unticks one code in its menu.
fn toggle(harness: &mut Harness<'_, Screen>, task: &str, role: &str, code_label: &str) {
    cell(harness, task, role).click_secondary();
    harness.run();
    harness.get_by_label_contains(code_label).click();
    harness.run();
}

#[test]
fn moving_the_r_of_a_task_shows_the_new_deduction_and_undo_takes_it_back() {
    let dir = folder();
    let mut harness = harness(dir.path(), 1.0);
    harness.get_by_label_contains("exemplary.ron: 100 to 100 (unchanged)");
    assert_eq!(codes(&harness, "Triage an alert", "SOC"), "A/R");

    toggle(&mut harness, "Triage an alert", "SOC", "R — Responsible");
    toggle(&mut harness, "Triage an alert", "IT Ops", "R — Responsible");
    assert_eq!(codes(&harness, "Triage an alert", "SOC"), "A");
    assert_eq!(codes(&harness, "Triage an alert", "IT Ops"), "R/C");

    // The exemplary run's triage is now a deduction, and its total fell.
    let heading = harness.get_by_label_contains("exemplary.ron: 100 to 9");
    let node = heading.accesskit_node();
    let total: u32 = node
        .label()
        .or(node.value())
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(total < 100);
    // Every script that has the SOC triage shows the new deduction, with its cost and rule.
    let new_findings: Vec<String> = harness
        .query_all_by_label_contains(
            "Security Operations Center did \"Triage the EDR alert on FS-01\" itself",
        )
        .map(|n| {
            let node = n.accesskit_node();
            node.label().or(node.value()).unwrap_or_default().clone()
        })
        .collect();
    assert!(!new_findings.is_empty());
    assert!(
        new_findings
            .iter()
            .all(|f| f.contains("off the total") && f.contains("Ownership")),
        "{new_findings:?}"
    );
    harness.get_by_label("Save");

    harness.get_by_label("Undo").click();
    harness.run();
    harness.get_by_label("Undo").click();
    harness.run();
    assert_eq!(codes(&harness, "Triage an alert", "SOC"), "A/R");
    harness.get_by_label_contains("exemplary.ron: 100 to 100 (unchanged)");
    assert!(!harness.state().authoring.doc.as_ref().unwrap().is_dirty());
}

#[test]
fn an_error_blocks_play_this_and_names_the_task() {
    let dir = folder();
    let mut harness = harness(dir.path(), 1.0);
    assert!(
        !harness
            .get_by_label("Play this")
            .accesskit_node()
            .is_disabled()
    );
    // A click takes the SOC's cell from A/R to C: nobody is accountable for triage any more.
    cell(&harness, "Triage an alert", "SOC").click();
    harness.run();
    assert!(
        harness
            .get_by_label("Play this")
            .accesskit_node()
            .is_disabled()
    );
    harness.get_by_label_contains("Fix the errors above to grade the scripts.");
    assert!(harness.state().authoring.doc.as_ref().unwrap().errors() > 0);
}

/// How many injects the folder's ransomware scenario has as edited.
fn injects(harness: &Harness<'_, Screen>, dir: &std::path::Path) -> usize {
    let doc = harness.state().authoring.doc.as_ref().unwrap();
    doc.scenario(&dir.join("ransomware-file-server.ron"))
        .unwrap()
        .injects
        .len()
}

#[test]
fn the_forms_ask_before_a_delete_and_regrade_after_one() {
    let dir = folder();
    let mut harness = harness(dir.path(), 1.0);
    harness.state_mut().ui.tab = super::AuthorTab::Scenario;
    harness.run();
    harness.get_by_label_contains("Inject id: alert");
    let before = injects(&harness, dir.path());

    // Asked first: Keep leaves it.
    harness.get_by_label("Delete inject").click();
    harness.run();
    harness.get_by_label_contains("Delete the inject \"Mass file renames on FS-01\"");
    harness.get_by_label("Keep").click();
    harness.run();
    assert_eq!(injects(&harness, dir.path()), before);
    assert!(!harness.state().authoring.doc.as_ref().unwrap().is_dirty());

    // Deleted: the first inject is gone, and the scripts that acted on it lose what they did.
    harness.get_by_label("Delete inject").click();
    harness.run();
    harness.get_by_label("Delete").click();
    harness.run();
    assert_eq!(injects(&harness, dir.path()), before - 1);
    assert!(harness.state().authoring.doc.as_ref().unwrap().is_dirty());
    harness.get_by_label_contains("exemplary.ron: 100 to ");
    assert!(
        harness
            .query_by_label_contains("exemplary.ron: 100 to 100 (unchanged)")
            .is_none()
    );

    harness.get_by_label("Undo").click();
    harness.run();
    assert_eq!(injects(&harness, dir.path()), before);
    harness.get_by_label_contains("exemplary.ron: 100 to 100 (unchanged)");
}

#[test]
fn the_forms_are_reachable_from_the_keyboard() {
    let dir = folder();
    let mut harness = harness(dir.path(), 1.0);
    harness.state_mut().ui.tab = super::AuthorTab::Scenario;
    harness.run();
    // Tab walks the controls: the scenario and inject pickers, the buttons, then the fields.
    let mut focused = std::collections::HashSet::new();
    let mut reached_title = false;
    for _ in 0..300 {
        if reached_title {
            break;
        }
        harness.key_press(egui::Key::Tab);
        harness.run();
        if let Some(id) = harness.ctx.memory(egui::Memory::focused) {
            focused.insert(id);
        }
        reached_title |= harness
            .query_all_by_value("Mass file renames on FS-01")
            .any(|n| n.accesskit_node().is_focused());
    }
    assert!(
        focused.len() >= 10,
        "{} controls took the focus",
        focused.len()
    );
    assert!(
        reached_title,
        "the inject's title field is reachable by Tab"
    );
}

#[test]
fn a_diagnostic_in_a_task_opens_its_row_and_one_in_a_scenario_its_inject() {
    use super::{AuthorTab, block_at};
    let text = "tasks: [\n    TaskKind(\n        id: \"a\",\n    ),\n    TaskKind(\n        id: \"b\",\n        name: \"\",\n    ),\n],\ntriggers: [],\n";
    assert_eq!(block_at(text, 3, "TaskKind("), Some(0));
    assert_eq!(block_at(text, 7, "TaskKind("), Some(1));
    assert_eq!(block_at(text, 10, "TaskKind("), None, "after the list");
    assert_eq!(block_at(text, 1, "TaskKind("), None, "before it");

    let dir = folder();
    let mut authoring = Authoring::default();
    authoring.open(dir.path());
    let doc = authoring.doc.as_ref().unwrap();
    let mut ui = AuthorUi::default();
    let plan_line = doc
        .text()
        .lines()
        .position(|l| l.contains("id: \"isolate_host\""))
        .unwrap()
        + 1;
    ui.show_line(Some(doc), &doc.matrix_path, plan_line);
    assert_eq!(ui.tab, AuthorTab::Grid);
    let isolate = doc
        .matrix()
        .tasks
        .iter()
        .position(|t| t.id.as_str() == "isolate_host");
    assert_eq!(ui.focus_task, isolate);

    let file = dir.path().join("ransomware-file-server.ron");
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("id: \"ransom-note\""))
        .unwrap()
        + 1;
    ui.show_line(Some(doc), &file, line);
    assert_eq!(ui.tab, AuthorTab::Scenario);
    assert_eq!(ui.scenario.as_deref(), Some(file.as_path()));
    let ransom = doc
        .scenario(&file)
        .unwrap()
        .injects
        .iter()
        .position(|i| i.id.as_str() == "ransom-note")
        .unwrap();
    assert_eq!(ui.inject, ransom);
}

/// Every control of every tab can be brought into the window, from 1024×640 to 2560×1440 and at
/// UI scale 0.75× to 2× (the grid scrolls both ways; the side panels become tabs where narrow).
#[test]
fn the_author_screen_fits_every_window_and_scale() {
    use super::AuthorTab;
    let dir = folder();
    let graded = crate::app::author::AuthorDoc::open(dir.path())
        .unwrap()
        .grading_job()
        .unwrap()
        .run();
    let state = || {
        let mut authoring = Authoring::default();
        authoring.open(dir.path());
        // Graded as the screen's thread would, so the preview and the reach are laid out too
        // (once: every window opens the same folder unedited).
        if let Some(doc) = authoring.doc.as_mut() {
            doc.graded(graded.clone());
            assert!(doc.grading_job().is_none());
        }
        Screen {
            authoring,
            ui: AuthorUi::default(),
        }
    };
    let app = |ui: &mut egui::Ui, s: &mut Screen| {
        let status = s.authoring.status();
        let _ = author_ui(ui, s.authoring.doc.as_ref(), &status, &mut s.ui);
    };
    let tab = |tab: AuthorTab| move |h: &mut Harness<'_, Screen>| h.state_mut().ui.tab = tab;
    let (grid, ron, scenario, timeline, outline, readiness) = (
        tab(AuthorTab::Grid),
        tab(AuthorTab::Ron),
        tab(AuthorTab::Scenario),
        tab(AuthorTab::Timeline),
        tab(AuthorTab::Outline),
        tab(AuthorTab::Readiness),
    );
    let setups: [(&str, &dyn Fn(&mut Harness<'_, Screen>)); 6] = [
        ("grid", &grid),
        ("RON", &ron),
        ("scenario", &scenario),
        ("timeline", &timeline),
        ("outline", &outline),
        ("readiness", &readiness),
    ];
    // The grid's cells and flag boxes are one scroll area of hundreds of like controls: the
    // grid's own reach is what the tabs and headers around it show.
    let cell = |name: &str| {
        let label = name
            .strip_prefix("Button \"")
            .or_else(|| name.strip_prefix("CheckBox \""))
            .map(|rest| rest.trim_end_matches('"'));
        label.is_some_and(|l| {
            l.is_empty()
                || l.split('/').all(|c| {
                    super::grid::CODE_MEANINGS
                        .iter()
                        .any(|(code, _)| *code == c)
                })
        })
    };
    let failures = crate::app::screens::fits::misfits_except(state, app, &setups, |_| None, cell);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each inject of the shipped scenarios says in a word when it comes in; the ransomware
/// scenario has timed injects and at least one that follows from what the players do.
#[test]
fn every_inject_is_badged_by_when_it_comes_in() {
    use super::inject_badge;
    let matrix = crate::engine::content::shipped::matrix();
    let scenario =
        crate::engine::content::shipped::scenario_with("ransomware-file-server", &matrix);
    let badges: Vec<String> = scenario
        .injects
        .iter()
        .map(|i| inject_badge(&i.release))
        .collect();
    assert_eq!(badges[0], "T+00");
    assert!(badges.iter().any(|b| b == "consequence"), "{badges:?}");
    for badge in &badges {
        assert!(
            badge.starts_with("T+")
                || badge.contains(" min after ")
                || badge == "consequence"
                || badge == "conditional",
            "{badge}"
        );
    }
}
