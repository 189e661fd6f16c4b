//! Debrief: the total and per-dimension scores, every finding with its citation and advice, the
//! timeline of what was done beside what the matrix expected, and export.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use egui_plot::{Bar, BarChart, Plot};

use super::widgets::{cost_label, finding_ui};
use super::widgets::{nothing_to_show_ui, notice_ui, root_ui, wrap_before};
use crate::app::exercise::default_export_dir;
use crate::app::exercise::{ActiveExercise, FinalScorecard};
use crate::app::flow::Screen;
use crate::app::messages::{CommandWriter, ExerciseCommand, ExportFormat, Navigate, UiCommand};
use crate::app::notice::Notice;
use crate::app::theme;
use crate::engine::model::matrix::Dimension;
use crate::engine::model::scenario::Mode;
use crate::engine::reports::scorecard::{TimelineRow, score_label, timeline};
use crate::engine::scoring::{FindingKind, Scorecard};

/// What the debrief shows, computed once per exercise.
#[derive(Clone, Debug, PartialEq)]
pub struct DebriefView {
    /// Scenario title.
    pub title: String,
    /// Matrix name.
    pub matrix: String,
    /// The scorecard.
    pub card: Scorecard,
    /// Timeline rows.
    pub timeline: Vec<TimelineRow>,
    /// Mode played.
    pub mode: Mode,
}

/// Debrief screen state: selected section and export directory.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct DebriefState {
    /// Show the timeline instead of the findings.
    pub show_timeline: bool,
    /// Where exports go.
    pub export_dir: String,
}

impl Default for DebriefState {
    fn default() -> Self {
        Self {
            show_timeline: false,
            export_dir: default_export_dir().display().to_string(),
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<DebriefState>().add_systems(
        EguiPrimaryContextPass,
        debrief_system.run_if(in_state(Screen::Debrief)),
    );
}

fn debrief_system(
    mut contexts: EguiContexts,
    active: Option<Res<ActiveExercise>>,
    card: Option<Res<FinalScorecard>>,
    notice: Res<Notice>,
    mut state: ResMut<DebriefState>,
    mut cached: Local<Option<DebriefView>>,
    mut writer: CommandWriter,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx, "debrief");
    let (Some(active), Some(card)) = (active, card) else {
        let commands = nothing_to_show_ui(&mut ui, "No finished exercise to debrief");
        writer.send_all(commands);
        return Ok(());
    };
    if cached.as_ref().is_none_or(|v| v.card != card.0) {
        *cached = Some(DebriefView {
            title: active.session().scenario().title.clone(),
            matrix: active.session().matrix().name.clone(),
            card: card.0.clone(),
            timeline: timeline(active.session()),
            mode: active.mode(),
        });
    }
    let Some(view) = cached.as_ref() else {
        return Ok(());
    };
    let commands = egui::CentralPanel::default()
        .show(&mut ui, |ui| debrief_ui(ui, view, &notice, &mut state))
        .inner;
    writer.send_all(commands);
    Ok(())
}

fn score_color(palette: theme::Palette, score: u32) -> egui::Color32 {
    match score {
        90.. => palette.success,
        70..90 => palette.warning,
        _ => palette.danger,
    }
}

/// The debrief view.
pub fn debrief_ui(
    ui: &mut egui::Ui,
    view: &DebriefView,
    notice: &Notice,
    state: &mut DebriefState,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let card = &view.card;
    ui.heading(format!("Debrief — {}", view.title));
    ui.horizontal_wrapped(|ui| {
        if ui.button("Play again").clicked() {
            out.push(
                ExerciseCommand::Start {
                    scenario: card.scenario.clone(),
                    mode: view.mode,
                    seed: card.seed,
                }
                .into(),
            );
        }
        if view.mode == Mode::Facilitated && ui.button("Back to the hotwash").clicked() {
            out.push(Navigate::GoTo(Screen::Hotwash).into());
        }
        if ui.button("Choose another scenario").clicked() {
            out.push(Navigate::GoTo(Screen::Library).into());
        }
        if ui.button("Title screen").clicked() {
            out.push(Navigate::GoTo(Screen::Title).into());
        }
    });
    // One scroll for the whole report, so the exports stay reachable below a tall score panel
    // (a small window, the projector's scale).
    egui::ScrollArea::vertical()
        .id_salt("debrief-scroll")
        .auto_shrink(false)
        .show(ui, |ui| {
            ui.label(format!(
                "Graded against \"{}\" · seed {} · ended at T+{:02}{} · {} of {} dimensions tested",
                view.matrix,
                card.seed,
                card.minute,
                if card.ended_early {
                    " (early: what lay ahead is listed as not reached)"
                } else {
                    ""
                },
                card.tested().count(),
                Dimension::ALL.len()
            ));
            if let Some(plan) = &card.graded_under {
                ui.label(egui::RichText::new(format!("Graded under {}", plan.describe())).weak());
            }
            for note in [
                crate::engine::reports::scorecard::older_rules_note(card),
                crate::engine::reports::scorecard::other_plan_note(card),
            ]
            .into_iter()
            .flatten()
            {
                ui.colored_label(
                    theme::palette(ui).warning,
                    format!("This exercise was {note}."),
                );
            }
            costliest_ui(ui, card);
            ui.separator();
            // Side by side where there is room; one under the other on a narrow screen.
            if ui.available_width() >= 640.0 {
                ui.columns(2, |columns| {
                    if let [left, right] = columns {
                        scores_ui(left, card);
                        chart_ui(right, card);
                    }
                });
            } else {
                scores_ui(ui, card);
                chart_ui(ui, card);
            }
            ui.separator();
            ui.horizontal_wrapped(|ui| {
                ui.selectable_value(&mut state.show_timeline, false, "Findings");
                ui.selectable_value(&mut state.show_timeline, true, "Timeline");
                ui.add_space(theme::GAP * 3.0);
                wrap_before(ui, 200.0);
                ui.label("Export to");
                let room = ui.max_rect().right() - ui.cursor().left() - 16.0;
                ui.add(
                    egui::TextEdit::singleline(&mut state.export_dir)
                        .desired_width(room.clamp(120.0, 320.0)),
                );
                let dir: std::path::PathBuf = state.export_dir.trim().into();
                for (label, format) in [
                    ("Scorecard JSON", ExportFormat::Json),
                    ("Scorecard Markdown", ExportFormat::Markdown),
                    ("Session log", ExportFormat::SessionLog),
                    ("After-action report (HTML)", ExportFormat::ReportHtml),
                    (
                        "After-action report (Markdown)",
                        ExportFormat::ReportMarkdown,
                    ),
                ] {
                    if ui.button(label).clicked() {
                        out.push(ExerciseCommand::Export(format, dir.clone()).into());
                    }
                }
            });
            notice_ui(ui, notice);
            if state.show_timeline {
                timeline_ui(ui, &view.timeline);
            } else {
                findings_ui(ui, card);
            }
        });
    out
}

/// The total and each dimension's score, each with the arithmetic behind it: 100 less what its
/// deductions cost the total, as the findings show them.
fn scores_ui(ui: &mut egui::Ui, card: &Scorecard) {
    ui.horizontal(|ui| {
        if card.graded() {
            ui.label(
                egui::RichText::new(format!("{}", card.total))
                    .size(64.0)
                    .strong()
                    .color(score_color(theme::palette(ui), card.total)),
            );
            ui.label(egui::RichText::new("/ 100\noverall").size(18.0));
        } else {
            ui.label(egui::RichText::new("Not graded").size(40.0).strong());
        }
    });
    ui.label(egui::RichText::new(card.total_explained()).weak());
    egui::Grid::new("dimension-scores")
        .striped(true)
        .show(ui, |ui| {
            for dimension in Dimension::ALL {
                ui.label(dimension.label());
                let points = card.points.get(&dimension).copied().unwrap_or_default();
                if let Some(score) = card.dimension(dimension) {
                    ui.colored_label(score_color(theme::palette(ui), score), format!("{score}"));
                    ui.label(egui::RichText::new(dimension_arithmetic(points)).weak());
                } else {
                    ui.label(egui::RichText::new("—").weak());
                    ui.label(egui::RichText::new("not tested").weak());
                }
                ui.end_row();
            }
        });
}

/// How a dimension's score follows from its deductions: "nothing deducted", "−12 off the total
/// (1 mistake)", or the floor when they add to more than 100.
pub(crate) fn dimension_arithmetic(points: crate::engine::scoring::Points) -> String {
    let mistakes = match points.mistakes {
        0 => String::new(),
        1 => ", 1 mistake".to_owned(),
        n => format!(", {n} mistakes"),
    };
    if points.cost == 0 {
        "nothing deducted".to_owned()
    } else if points.floored() {
        format!(
            "deductions add to {}{mistakes}; a score stops at 0",
            points.cost
        )
    } else {
        format!("−{} off the total{mistakes}", points.cost)
    }
}

/// A bar per tested dimension.
fn chart_ui(ui: &mut egui::Ui, card: &Scorecard) {
    // Untested dimensions get no bar: an empty slot, not a zero.
    let palette = theme::palette(ui);
    let bars: Vec<Bar> = Dimension::ALL
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let score = card.dimension(*d)?;
            Some(
                Bar::new(i as f64, f64::from(score))
                    .name(d.label())
                    .fill(score_color(palette, score))
                    .width(0.7),
            )
        })
        .collect();
    Plot::new("dimension-chart")
        .height(200.0)
        .include_y(0.0)
        .include_y(100.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show_x(false)
        .x_axis_formatter(|mark, _range| {
            Dimension::ALL
                .get(mark.value.round() as usize)
                .filter(|_| (mark.value - mark.value.round()).abs() < 1e-6)
                .map_or_else(String::new, |d| d.short_label().to_owned())
        })
        .show(ui, |plot| plot.bar_chart(BarChart::new("Score", bars)));
}

/// The three deductions that cost the most, first thing in the debrief: what to do differently.
fn costliest_ui(ui: &mut egui::Ui, card: &Scorecard) {
    let mut costly: Vec<&crate::engine::Finding> = card.deductions().collect();
    // Most points first; among equals, the earliest.
    costly.sort_by_key(|f| (f.points, f.minute));
    if costly.is_empty() {
        return;
    }
    ui.label(egui::RichText::new("Costliest lessons").strong());
    for f in costly.into_iter().take(3) {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(theme::palette(ui).danger, cost_label(f.points));
            ui.label(&f.message);
            ui.label(egui::RichText::new(format!("Instead: {}", f.advice)).weak());
        });
    }
}

fn findings_ui(ui: &mut egui::Ui, card: &Scorecard) {
    for dimension in Dimension::ALL {
        let findings: Vec<_> = card.findings_in(dimension).collect();
        let deductions = findings
            .iter()
            .filter(|f| f.kind == FindingKind::Deduction)
            .count();
        egui::CollapsingHeader::new(
            egui::RichText::new(format!(
                "{} — {} ({} finding{}, {deductions} deduction{})",
                dimension.label(),
                score_label(card.dimension(dimension)),
                findings.len(),
                if findings.len() == 1 { "" } else { "s" },
                if deductions == 1 { "" } else { "s" },
            ))
            .strong(),
        )
        .id_salt(dimension.key())
        .default_open(deductions > 0)
        .show(ui, |ui| {
            if findings.is_empty() {
                ui.label(egui::RichText::new("Nothing in this exercise tested it.").weak());
            }
            for finding in findings {
                ui.label(
                    egui::RichText::new(format!("T+{:02}", finding.minute))
                        .monospace()
                        .weak(),
                );
                finding_ui(ui, finding);
            }
        });
    }
}

fn timeline_ui(ui: &mut egui::Ui, rows: &[TimelineRow]) {
    // Two text columns sharing the width, each wrapping its lines: a grid of unwrapped labels
    // pushed the last column out of the window.
    const TIME_WIDTH: f32 = 52.0;
    let gap = ui.spacing().item_spacing.x;
    let column = ((ui.available_width() - TIME_WIDTH - 2.0 * gap) / 2.0).max(120.0);
    let cell = |ui: &mut egui::Ui, width: f32, text: egui::RichText| {
        ui.allocate_ui(egui::vec2(width, 0.0), |ui| {
            ui.set_width(width);
            ui.add(egui::Label::new(text).wrap());
        });
    };
    ui.horizontal_top(|ui| {
        cell(ui, TIME_WIDTH, egui::RichText::new("Time").strong());
        cell(
            ui,
            column,
            egui::RichText::new("What happened / what you did").strong(),
        );
        cell(
            ui,
            column,
            egui::RichText::new("What the matrix expected").strong(),
        );
    });
    for row in rows {
        ui.separator();
        ui.horizontal_top(|ui| {
            cell(
                ui,
                TIME_WIDTH,
                egui::RichText::new(format!("T+{:02}", row.minute)).monospace(),
            );
            let text = egui::RichText::new(&row.actual);
            cell(
                ui,
                column,
                if row.by_player {
                    text.strong()
                } else {
                    text.weak()
                },
            );
            cell(
                ui,
                column,
                egui::RichText::new(row.expected.as_deref().unwrap_or("")),
            );
        });
    }
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;
    use crate::engine::scoring::Finding;

    fn view() -> DebriefView {
        let mut dimensions = std::collections::BTreeMap::new();
        for d in Dimension::ALL {
            dimensions.insert(d, Some(100));
        }
        dimensions.insert(Dimension::Escalation, Some(70));
        dimensions.insert(Dimension::Communication, None);
        let mut points = std::collections::BTreeMap::new();
        points.insert(
            Dimension::Escalation,
            crate::engine::scoring::Points {
                at_stake: 100,
                lost: 25,
                mistakes: 1,
                cost: 30,
            },
        );
        DebriefView {
            title: "Ransomware on the operations file server".into(),
            matrix: "Reference".into(),
            card: Scorecard {
                scenario: "ransomware-file-server".into(),
                matrix: "reference".into(),
                seed: 4,
                minute: 60,
                complete: true,
                ended_early: false,
                recorded_under_rules: None,
                graded_under: None,
                recorded_under_plan: None,
                total: 70,
                deducted: 30,
                decision_cap: None,
                dimensions,
                points,
                findings: vec![Finding {
                    dimension: Dimension::Escalation,
                    kind: FindingKind::Deduction,
                    points: -30,
                    rule: "escalation:personal_data_legal".into(),
                    citation: "Legal must be engaged early.".into(),
                    minute: 55,
                    entry: None,
                    intent: None,
                    role: Some("legal".into()),
                    message: "Legal Counsel was never engaged.".into(),
                    advice: "Escalate to Legal Counsel within 30 min.".into(),
                }],
            },
            timeline: vec![TimelineRow {
                minute: 1,
                by_player: true,
                kind: crate::engine::reports::scorecard::TimelineKind::Decision,
                after_intents: 1,
                actual: "assign `triage-fs01` to soc".into(),
                expected: Some("Responsible: Security Operations Center".into()),
            }],
            mode: Mode::Practice,
        }
    }

    #[test]
    fn debrief_renders_a_known_scorecard() {
        let view = view();
        let mut harness = Harness::new_ui_state(
            |ui, state: &mut (DebriefState, Vec<UiCommand>)| {
                let out = debrief_ui(ui, &view, &Notice::default(), &mut state.0);
                state.1.extend(out);
            },
            (DebriefState::default(), Vec::new()),
        );
        harness.run();
        // The total and the escalation score are both 70: 100 less the one deduction of 30.
        assert_eq!(
            harness.query_all_by_label("70").count(),
            2,
            "total and escalation shown"
        );
        assert!(harness.query_by_label("100 − 30 = 70").is_some());
        assert!(
            harness
                .query_by_label("-30 off the total · Legal Counsel was never engaged.")
                .is_some()
        );
        assert!(
            harness
                .query_by_label("Why: Legal must be engaged early.")
                .is_some()
        );
        assert!(
            harness
                .query_by_label("−30 off the total, 1 mistake")
                .is_some()
        );
        assert!(harness.query_all_by_label("nothing deducted").count() >= 4);
        assert!(
            harness.query_by_label("Costliest lessons").is_some(),
            "the debrief opens with what cost the most"
        );
        assert!(
            harness.query_by_label("not tested").is_some(),
            "an untested dimension says so instead of a score"
        );
        // Once among the costliest lessons, once with the escalation findings.
        assert_eq!(
            harness
                .query_all_by_label("Instead: Escalate to Legal Counsel within 30 min.")
                .count(),
            2
        );

        harness.get_by_label("Timeline").click();
        harness.run();
        assert!(
            harness
                .query_by_label("Responsible: Security Operations Center")
                .is_some()
        );

        harness.get_by_label("Play again").click();
        harness.run();
        assert_eq!(
            harness.state().1.last(),
            Some(&UiCommand::Exercise(ExerciseCommand::Start {
                scenario: "ransomware-file-server".into(),
                mode: Mode::Practice,
                seed: 4
            }))
        );
    }

    /// An exercise ended before anything fell due has no score: no red zero.
    #[test]
    fn an_ungraded_exercise_says_so_instead_of_a_zero() {
        let mut view = view();
        for score in view.card.dimensions.values_mut() {
            *score = None;
        }
        view.card.points.clear();
        view.card.findings.clear();
        view.card.total = 0;
        view.card.deducted = 0;
        let harness = Harness::new_ui_state(
            |ui, state: &mut DebriefState| {
                debrief_ui(ui, &view, &Notice::default(), state);
            },
            DebriefState::default(),
        );
        assert!(harness.query_by_label("Not graded").is_some());
        assert!(harness.query_by_label("0").is_none(), "no zero is shown");
        assert!(
            harness
                .query_by_label("Not graded yet: nothing has been put to the test.")
                .is_some()
        );
    }

    /// A dimension whose deductions add to more than 100 says it stopped at 0.
    #[test]
    fn a_dimension_at_its_floor_says_which_floor_applied() {
        let points = crate::engine::scoring::Points {
            at_stake: 80,
            lost: 80,
            mistakes: 4,
            cost: 130,
        };
        assert_eq!(
            dimension_arithmetic(points),
            "deductions add to 130, 4 mistakes; a score stops at 0"
        );
    }

    /// Long rows wrap inside the window: the expectation column stays on screen at 1280×800
    /// (it was pushed out by a row's unwrapped text).
    #[test]
    fn the_timelines_columns_wrap_inside_the_window() {
        let mut the_view = view();
        the_view.timeline[0].actual = "Security Operations Center hands off to IT Operations: \
            mass renames on FS-01, the EDR alert and the help-desk tickets, with the request to \
            isolate the server while keeping it powered on for memory capture"
            .into();
        the_view.timeline[0].expected = Some(
            "Responsible: Security Operations Center; Accountable: Incident Response Manager; \
             Consulted: IT Operations and the Forensics Retainer; Informed: the CISO"
                .into(),
        );
        let state = DebriefState {
            show_timeline: true,
            ..DebriefState::default()
        };
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_ui_state(
                move |ui, state: &mut DebriefState| {
                    debrief_ui(ui, &the_view, &Notice::default(), state);
                },
                state,
            );
        harness.run();
        for label in [
            "What the matrix expected",
            "Informed: the CISO",
            "memory capture",
        ] {
            let node = harness.get_by_label_contains(label);
            assert!(
                node.rect().right() <= 1280.0,
                "{label:?} ends at {}",
                node.rect().right()
            );
        }
    }

    #[test]
    fn the_debrief_fits_every_window_and_scale() {
        use crate::app::screens::fits::panel_misfits;
        let the_view = view();
        let timeline = |h: &mut Harness<'_, DebriefState>| h.state_mut().show_timeline = true;
        let findings = |h: &mut Harness<'_, DebriefState>| h.state_mut().show_timeline = false;
        let failures = panel_misfits(
            DebriefState::default,
            |ui, state: &mut DebriefState| {
                debrief_ui(ui, &the_view, &Notice::default(), state);
            },
            &[("findings", &findings), ("timeline", &timeline)],
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
