//! Every screen that shows a scenario, rendered for every shipped scenario (its fixture runs, a
//! passive run and one stopped early): no id and no backtick in any text a person reads.

use std::sync::Arc;

use bevy_egui::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::NodeT as _;

use super::actions::{ActionTab, ActionsState, actions_ui};
use super::console::{ConsoleState, LeftTab, injects_ui, left_ui, scorecard_ui};
use super::debrief::{DebriefState, DebriefView, debrief_ui};
use super::widgets::{feed_ui, finding_ui, trail_ui};
use crate::app::exercise::ScoreTrail;
use crate::app::notice::Notice;
use crate::engine::content::load::Source;
use crate::engine::content::script::{self, Decisions};
use crate::engine::content::shipped;
use crate::engine::exercise::{ExerciseRecord, inject_feed};
use crate::engine::model::scenario::Mode;
use crate::engine::reports::scorecard::timeline;
use crate::engine::text::IdWords;
use crate::engine::{Intent, Session, score};

fn runs(scenario_id: &str) -> Vec<(String, Session)> {
    let matrix = shipped::matrix();
    let scenario = shipped::scenario_with(scenario_id, &matrix);
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/decisions")
        .join(scenario_id);
    // The exemplary run and the first flawed one (sorted, so the pick is stable): between them
    // every kind of finding and expectation appears; the tests of the engine read every fixture.
    let mut paths: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let flawed = paths
        .iter()
        .find(|p| !p.ends_with("exemplary.ron"))
        .cloned();
    let exemplary = paths.iter().find(|p| p.ends_with("exemplary.ron")).cloned();
    let mut out = Vec::new();
    for path in [exemplary, flawed].into_iter().flatten() {
        let source = Source::read(&path).unwrap();
        let decisions: Decisions = source.parse().unwrap();
        let seed = decisions.seed.unwrap_or(0);
        let session = script::run(
            Arc::clone(&scenario),
            Arc::clone(&matrix),
            &decisions,
            seed,
            &source,
        )
        .unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        // Half-way through, where the composers still have open decisions to offer.
        let half = session.log().entries.len() / 2;
        let mut mid = Session::new(Arc::clone(&scenario), Arc::clone(&matrix), seed);
        for entry in session.log().entries.iter().take(half) {
            if entry.minute > mid.minute() {
                let minutes = entry.minute - mid.minute();
                mid.apply(Intent::Advance { minutes }).unwrap();
            }
            if !matches!(entry.intent, Intent::Advance { .. }) {
                mid.apply(entry.intent.clone()).unwrap();
            }
        }
        out.push((format!("{name} (half-way)"), mid));
        out.push((name, session));
    }
    let mut passive = Session::new(Arc::clone(&scenario), Arc::clone(&matrix), 0);
    passive
        .apply(Intent::Advance {
            minutes: scenario.duration_mins,
        })
        .unwrap();
    out.push(("passive".into(), passive));
    let mut early = Session::new(scenario, matrix, 0);
    early.apply(Intent::Advance { minutes: 5 }).unwrap();
    early.apply(Intent::EndExercise).unwrap();
    out.push(("ended early".into(), early));
    out
}

type Screen = Box<dyn FnMut(&mut egui::Ui)>;

/// Every screen that shows `session`, each drawing into the ui it is given.
fn screens(session: &Session) -> Vec<Screen> {
    let card = score(session);
    let view = DebriefView {
        title: session.scenario().title.clone(),
        matrix: session.matrix().name.clone(),
        card: card.clone(),
        timeline: timeline(session),
        mode: Mode::Practice,
    };
    let record = ExerciseRecord::new("readable", Mode::Facilitated, 1_795_000_000, session);
    let mut out: Vec<Screen> = Vec::new();
    for show_timeline in [false, true] {
        let view = view.clone();
        let mut state = DebriefState {
            show_timeline,
            ..DebriefState::default()
        };
        out.push(Box::new(move |ui| {
            debrief_ui(ui, &view, &Notice::default(), &mut state);
        }));
    }
    let trail = ScoreTrail {
        card: Some(card.clone()),
        change: -15,
        changes: card
            .deductions()
            .filter(|f| f.entry.is_some())
            .map(|f| crate::app::exercise::ScoreChange {
                points: i64::from(f.points),
                finding: f.clone(),
            })
            .collect(),
        missed: card
            .deductions()
            .filter(|f| f.entry.is_none())
            .cloned()
            .collect(),
    };
    out.push(Box::new(move |ui| trail_ui(ui, &trail, Mode::Practice)));
    // Every finding, including those the debrief keeps folded.
    out.push(Box::new(move |ui| {
        for finding in &card.findings {
            finding_ui(ui, finding);
        }
    }));
    let feed = inject_feed(session, &record.adhoc_injects);
    out.push(Box::new(move |ui| feed_ui(ui, &feed)));
    for tab in ActionTab::ALL {
        let session = session.clone();
        let mut state = ActionsState {
            tab,
            ..ActionsState::default()
        };
        out.push(Box::new(move |ui| {
            actions_ui(ui, &session, Mode::Practice, &mut state);
        }));
    }
    let live = session.clone();
    let card = score(&live);
    out.push(Box::new(move |ui| scorecard_ui(ui, &live, &card)));
    let schedule = session.clone();
    out.push(Box::new(move |ui| {
        injects_ui(ui, &schedule, &mut ConsoleState::default());
    }));
    let people = session.clone();
    out.push(Box::new(move |ui| {
        let mut state = ConsoleState {
            left: LeftTab::People,
            ..ConsoleState::default()
        };
        left_ui(ui, &people, &record, None, &mut state);
    }));
    out
}

/// Every label and value of every screen of `session`, rendered one below the other in one frame
/// (one harness per run: building a harness is the slow part).
fn texts(session: &Session) -> Vec<String> {
    let mut screens = screens(session);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 60_000.0))
        .build_ui(move |ui| {
            for (i, screen) in screens.iter_mut().enumerate() {
                ui.push_id(i, |ui| {
                    ui.allocate_ui(egui::vec2(1400.0, 3000.0), |ui| screen(ui));
                });
            }
        });
    // One frame lays out and labels everything; no need to wait for animations to settle.
    harness.step();
    let root = harness.root();
    std::iter::once(root)
        .chain(root.children_recursive())
        .flat_map(|node| {
            let node = node.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .collect()
}

#[test]
fn every_screen_reads_without_ids_for_every_shipped_scenario() {
    let matrix = shipped::matrix();
    let ids: Vec<String> = std::fs::read_dir(shipped::dir())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .filter(|p| p.file_stem().is_some_and(|s| s != "responsibilities"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    assert!(ids.len() >= 12, "{ids:?}");
    for scenario_id in ids {
        let scenario = shipped::scenario_with(&scenario_id, &matrix);
        let words = IdWords::new(&scenario, &matrix);
        for (run, session) in runs(&scenario_id) {
            let texts = texts(&session);
            // The debrief's heading and the scenario's own text are there: the screens rendered.
            assert!(
                texts.iter().any(|t| t.contains(&session.scenario().title)),
                "{scenario_id}/{run}: nothing rendered"
            );
            for marker in [
                "Timeline",
                "Live score",
                "Next inject",
                "Hand off",
                "Escalate",
            ] {
                assert!(
                    texts.iter().any(|t| t.contains(marker)),
                    "{scenario_id}/{run}: no {marker:?} among {texts:?}"
                );
            }
            for text in texts {
                let leaks = words.leaks(&text);
                assert!(
                    leaks.is_empty(),
                    "{scenario_id}/{run}: {leaks:?} in {text:?}"
                );
            }
        }
    }
}
