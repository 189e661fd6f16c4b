//! Progress: score history per dimension and per role over the learner's attempts (a chart), the
//! weakest areas and what to practise next, for the chosen learner profile.

use std::collections::BTreeSet;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use egui_plot::{Line, MarkerShape, Plot, Points};

use super::widgets::{root_ui, wrap_before};
use crate::app::flow::Screen;
use crate::app::learner::{DEFAULT_SITTING_SIZE, Learner};
use crate::app::messages::{CommandWriter, ExerciseCommand, LearnerCommand, Navigate, UiCommand};
use crate::app::records::Records;
use crate::app::theme;
use crate::engine::learning::progress::{AttemptKind, Point, ProgressReport, Series};
use crate::engine::learning::tally::Tally;
use crate::engine::model::scenario::Mode;
use crate::engine::text::{time_ago, time_ahead};
use crate::store::OutboxStatus;

/// Everything the Progress screen shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgressView {
    /// Profile in use.
    pub profile: String,
    /// Every profile.
    pub profiles: Vec<String>,
    /// The database file.
    pub db_path: String,
    /// Why the database is unavailable.
    pub db_error: Option<String>,
    /// Runs waiting to be written.
    pub pending_runs: usize,
    /// The report, when the database could be read.
    pub report: Option<ProgressReport>,
    /// The organisation's learning record store and what reached it.
    pub records: RecordsView,
}

/// What the Progress screen says of organisation records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordsView {
    /// No store is configured; the file that would configure one.
    NotConfigured {
        /// `lrs.ron`'s path.
        config_path: String,
    },
    /// The configuration does not read.
    Broken(String),
    /// A store is configured.
    Configured {
        /// Its endpoint.
        endpoint: String,
        /// The outbox, when it could be read.
        status: Option<OutboxStatus>,
        /// A send is under way.
        sending: bool,
        /// Now (Unix seconds), for "3 min ago".
        now: i64,
    },
}

/// Widget state of the Progress screen.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgressUiState {
    /// Chart roles instead of dimensions.
    pub by_role: bool,
    /// Name typed for a new profile.
    pub new_profile: String,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ProgressUiState>().add_systems(
        EguiPrimaryContextPass,
        progress_system.run_if(in_state(Screen::Progress)),
    );
}

/// Builds the view from the learner and records resources.
pub fn progress_view(learner: &Learner, records: &Records) -> ProgressView {
    let records = match (&records.config, &records.problem) {
        (_, Some(problem)) => RecordsView::Broken(problem.clone()),
        (Some(config), None) => RecordsView::Configured {
            endpoint: config.endpoint.clone(),
            status: records.status.clone(),
            sending: records.sending(),
            now: crate::store::unix_now(),
        },
        (None, None) => RecordsView::NotConfigured {
            config_path: learner
                .path
                .with_file_name(crate::interop::xapi::config::CONFIG_FILE)
                .display()
                .to_string(),
        },
    };
    ProgressView {
        profile: learner.profile.clone(),
        profiles: learner.profiles.clone(),
        db_path: learner.path.display().to_string(),
        db_error: learner.error.clone(),
        pending_runs: learner.pending_runs.len(),
        report: learner.report.clone(),
        records,
    }
}

fn progress_system(
    mut contexts: EguiContexts,
    learner: Res<Learner>,
    records: Res<Records>,
    mut state: ResMut<ProgressUiState>,
    mut writer: CommandWriter,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx, "progress");
    let view = progress_view(&learner, &records);
    let commands = egui::CentralPanel::default()
        .show(&mut ui, |ui| progress_ui(ui, &view, &mut state))
        .inner;
    writer.send_all(commands);
    Ok(())
}

/// The Progress screen view.
pub fn progress_ui(
    ui: &mut egui::Ui,
    view: &ProgressView,
    state: &mut ProgressUiState,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    ui.horizontal_wrapped(|ui| {
        ui.heading("Progress");
        ui.add_space(theme::GAP);
        if ui.button("Question bank").clicked() {
            out.push(Navigate::GoTo(Screen::Quiz).into());
        }
        if ui.button("Title screen").clicked() {
            out.push(Navigate::GoTo(Screen::Title).into());
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Learner:");
        let mut chosen = view.profile.clone();
        wrap_before(ui, 140.0);
        egui::ComboBox::from_id_salt("profile")
            .selected_text(&view.profile)
            .show_ui(ui, |ui| {
                for p in &view.profiles {
                    ui.selectable_value(&mut chosen, p.clone(), p);
                }
            });
        if chosen != view.profile {
            out.push(LearnerCommand::SwitchProfile(chosen).into());
        }
        wrap_before(ui, 250.0);
        let label = ui.label("New learner:");
        ui.add(
            egui::TextEdit::singleline(&mut state.new_profile)
                .hint_text("name")
                .desired_width(150.0),
        )
        .labelled_by(label.id);
        if ui
            .add_enabled(
                !state.new_profile.trim().is_empty(),
                egui::Button::new("Add learner"),
            )
            .clicked()
        {
            out.push(LearnerCommand::SwitchProfile(std::mem::take(&mut state.new_profile)).into());
        }
    });
    ui.label(
        egui::RichText::new(format!("Stored in {}", view.db_path))
            .small()
            .weak(),
    );
    if let Some(error) = &view.db_error {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(theme::palette(ui).danger, error);
            if ui.button("Try again").clicked() {
                out.push(LearnerCommand::RetryDatabase.into());
            }
        });
    }
    records_ui(ui, &view.records, &mut out);
    if view.pending_runs > 0 {
        ui.colored_label(
            theme::palette(ui).warning,
            format!(
                "{} finished run(s) are kept in memory and will be saved as soon as the database can be written.",
                view.pending_runs
            ),
        );
    }
    ui.separator();
    let Some(report) = &view.report else {
        ui.label("No progress can be shown until the database opens.");
        return out;
    };
    egui::ScrollArea::vertical()
        .id_salt("progress-scroll")
        .auto_shrink(false)
        .show(ui, |ui| report_ui(ui, report, state, &mut out));
    out
}

/// The report: counts, the chart and averages, and the advice beside them (below when narrow).
fn report_ui(
    ui: &mut egui::Ui,
    report: &ProgressReport,
    state: &mut ProgressUiState,
    out: &mut Vec<UiCommand>,
) {
    let Tally {
        right,
        asked: tries,
    } = report.first_try_correct;
    ui.label(format!(
        "{} scenario run{} · {} quiz answer{} ({right} of {tries} right at the first try) · {} question{} due for review",
        report.runs,
        plural(report.runs),
        report.answers,
        plural(report.answers),
        report.due_questions,
        plural(report.due_questions),
    ));
    if report.dimensions.is_empty() {
        ui.add_space(theme::GAP);
        ui.label("No attempts yet. Play a scenario or answer some questions and your progress appears here.");
    }
    let charts = |ui: &mut egui::Ui, state: &mut ProgressUiState| {
        if !report.dimensions.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.selectable_value(&mut state.by_role, false, "By dimension");
                ui.selectable_value(&mut state.by_role, true, "By role");
            });
            let series = if state.by_role {
                &report.roles
            } else {
                &report.dimensions
            };
            chart(ui, series);
            averages(ui, series);
        }
    };
    if ui.available_width() > 900.0 {
        let chart_width = ui.available_width() * 0.62;
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(chart_width);
                charts(ui, state);
            });
            ui.vertical(|ui| advice_ui(ui, report, out));
        });
    } else {
        charts(ui, state);
        ui.add_space(theme::GAP);
        advice_ui(ui, report, out);
    }
}

/// Where the learner's records go beyond this computer, and whether they got there.
fn records_ui(ui: &mut egui::Ui, view: &RecordsView, out: &mut Vec<UiCommand>) {
    let palette = theme::palette(ui);
    match view {
        RecordsView::NotConfigured { config_path } => {
            ui.label(
                egui::RichText::new(format!(
                    "Organisation records: not sent anywhere. To send them to your organisation's learning record store, write {config_path} (see the README)."
                ))
                .small()
                .weak(),
            );
        }
        RecordsView::Broken(problem) => {
            ui.colored_label(
                palette.danger,
                format!("Organisation records: nothing is sent until this is fixed: {problem}"),
            );
        }
        RecordsView::Configured {
            endpoint,
            status,
            sending,
            now,
        } => {
            ui.horizontal_wrapped(|ui| {
                let Some(status) = status else {
                    ui.label(format!("Organisation records go to {endpoint}."));
                    return;
                };
                let last_sent = status
                    .last_sent_at
                    .map(|at| format!(", last sent {}", time_ago(*now, at)))
                    .unwrap_or_default();
                ui.label(format!(
                    "Organisation records go to {endpoint}: {}{last_sent}.",
                    status.summary()
                ));
                if *sending {
                    ui.label(egui::RichText::new("Sending…").weak());
                } else if (status.waiting > 0 || status.last_error.is_some())
                    && ui.button("Send now").clicked()
                {
                    out.push(LearnerCommand::SendRecordsNow.into());
                }
            });
            if let Some(status) = status {
                if let Some((error, at)) = &status.last_error {
                    let next = status
                        .next_attempt_at
                        .map(|next| format!(" Next try {}.", time_ahead(*now, next)))
                        .unwrap_or_default();
                    // The error may end in its own question mark ("… reachable?").
                    let stop = if error.ends_with(['.', '?', '!']) {
                        ""
                    } else {
                        "."
                    };
                    ui.colored_label(
                        palette.warning,
                        format!(
                            "Last try failed {}: {error}{stop}{next}",
                            time_ago(*now, *at)
                        ),
                    );
                }
                if let Some(reason) = &status.last_refusal {
                    ui.colored_label(
                        palette.warning,
                        format!(
                            "The store refused {} statement(s): {reason}",
                            status.refused
                        ),
                    );
                }
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Distinct series colours, readable on dark and light backgrounds.
const PALETTE: [egui::Color32; 8] = [
    egui::Color32::from_rgb(0x4e, 0x9a, 0xf0),
    egui::Color32::from_rgb(0xf0, 0x8a, 0x24),
    egui::Color32::from_rgb(0x3c, 0xb3, 0x71),
    egui::Color32::from_rgb(0xe0, 0x4f, 0x5f),
    egui::Color32::from_rgb(0xa3, 0x6b, 0xe0),
    egui::Color32::from_rgb(0x2a, 0xb7, 0xc4),
    egui::Color32::from_rgb(0xc9, 0xb0, 0x2c),
    egui::Color32::from_rgb(0xd9, 0x6b, 0xb5),
];

fn chart(ui: &mut egui::Ui, series: &[Series]) {
    // The key is the table under the chart, in the same colours: a legend drawn on the plot
    // covered its points.
    Plot::new("progress-chart")
        .height(260.0)
        .include_y(0.0)
        .include_y(105.0)
        .include_x(0.5)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_label("attempt: a scenario run or a question sitting")
        .y_axis_label("score")
        .show(ui, |plot| {
            for (i, s) in series.iter().enumerate() {
                let color = PALETTE[i % PALETTE.len()];
                let at = |p: &Point| [p.attempt as f64, f64::from(p.score)];
                plot.line(
                    Line::new(s.label.clone(), s.points.iter().map(at).collect::<Vec<_>>())
                        .color(color),
                );
                // A run and a sitting are told apart by their marks.
                for (kind, shape) in [
                    (AttemptKind::Scenario, MarkerShape::Circle),
                    (AttemptKind::Quiz, MarkerShape::Diamond),
                ] {
                    let points: Vec<[f64; 2]> = s
                        .points
                        .iter()
                        .filter(|p| p.source == kind)
                        .map(at)
                        .collect();
                    plot.points(
                        Points::new(s.label.clone(), points)
                            .shape(shape)
                            .radius(4.0)
                            .color(color),
                    );
                }
            }
        });
    // The key to the marks, drawn as the chart draws them (the fonts have no such glyphs).
    let weak = ui.visuals().weak_text_color();
    ui.horizontal(|ui| {
        mark(ui, MarkerShape::Circle, weak);
        ui.label(egui::RichText::new("a scenario run").small().weak());
        mark(ui, MarkerShape::Diamond, weak);
        ui.label(
            egui::RichText::new("a question sitting (its answers together)")
                .small()
                .weak(),
        );
    });
}

/// A chart's mark in a line of text: a dot, or a diamond.
fn mark(ui: &mut egui::Ui, shape: MarkerShape, color: egui::Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
    let (c, r) = (rect.center(), 4.5);
    if shape == MarkerShape::Diamond {
        let points = vec![
            c + egui::vec2(0.0, -r),
            c + egui::vec2(r, 0.0),
            c + egui::vec2(0.0, r),
            c + egui::vec2(-r, 0.0),
        ];
        ui.painter().add(egui::Shape::convex_polygon(
            points,
            color,
            egui::Stroke::NONE,
        ));
    } else {
        ui.painter().circle_filled(c, r, color);
    }
}

fn averages(ui: &mut egui::Ui, series: &[Series]) {
    egui::Grid::new("averages").striped(true).show(ui, |ui| {
        ui.strong("Area");
        ui.strong("Recent");
        ui.strong("Runs");
        ui.strong("Sittings");
        ui.end_row();
        for (i, s) in series.iter().enumerate() {
            ui.horizontal(|ui| {
                mark(ui, MarkerShape::Circle, PALETTE[i % PALETTE.len()]);
                ui.label(&s.label);
            });
            let recent = s.recent();
            let color = match recent {
                90.. => theme::palette(ui).success,
                70..90 => theme::palette(ui).warning,
                _ => theme::palette(ui).danger,
            };
            ui.colored_label(color, recent.to_string());
            let count = |kind| s.points.iter().filter(|p| p.source == kind).count();
            ui.label(count(AttemptKind::Scenario).to_string());
            ui.label(count(AttemptKind::Quiz).to_string());
            ui.end_row();
        }
    });
}

fn advice_ui(ui: &mut egui::Ui, report: &ProgressReport, out: &mut Vec<UiCommand>) {
    ui.heading("Weakest areas");
    if report.weakest.is_empty() {
        ui.label("Nothing below 80 in your recent attempts.");
    }
    for w in &report.weakest {
        ui.label(format!(
            "{} — {} (recent average over {} attempt{})",
            w.label,
            w.recent,
            w.samples,
            plural(w.samples)
        ));
    }
    ui.add_space(theme::GAP);
    ui.heading("Next");
    for s in &report.suggestions {
        ui.group(|ui| {
            // Every card as wide as the column, so they line up.
            ui.set_width(ui.available_width());
            ui.strong(&s.title);
            ui.label(&s.reason);
            let command = match s.kind {
                "scenario" => Some((
                    "Play in practice mode",
                    UiCommand::Exercise(ExerciseCommand::Start {
                        scenario: s.id.as_str().into(),
                        mode: Mode::Practice,
                        seed: 0,
                    }),
                )),
                "question_set" => Some((
                    "Practise these questions",
                    UiCommand::Learner(LearnerCommand::StartSitting {
                        sets: BTreeSet::from([s.id.clone()]),
                        size: DEFAULT_SITTING_SIZE,
                    }),
                )),
                "review" => Some((
                    "Review now",
                    UiCommand::Learner(LearnerCommand::StartSitting {
                        sets: BTreeSet::new(),
                        size: DEFAULT_SITTING_SIZE,
                    }),
                )),
                _ => None,
            };
            if let Some((label, command)) = command
                && ui.button(label).clicked()
            {
                out.push(command);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;
    use crate::engine::Dimension;
    use crate::engine::learning::progress::{Area, AttemptKind, Point, Suggestion, Weakness};

    fn report() -> ProgressReport {
        let series = Series {
            area: Area::Dimension(Dimension::Evidence),
            label: "Evidence preservation".to_owned(),
            points: vec![
                Point {
                    attempt: 1,
                    at: 1,
                    score: 40,
                    source: AttemptKind::Scenario,
                },
                Point {
                    attempt: 2,
                    at: 2,
                    score: 60,
                    source: AttemptKind::Quiz,
                },
            ],
        };
        ProgressReport {
            profile: "ana".to_owned(),
            runs: 1,
            answers: 4,
            first_try_correct: Tally { right: 2, asked: 4 },
            due_questions: 2,
            dimensions: vec![series],
            roles: Vec::new(),
            weakest: vec![Weakness {
                area: Area::Dimension(Dimension::Evidence),
                label: "Evidence preservation".to_owned(),
                recent: 50,
                samples: 2,
            }],
            suggestions: vec![Suggestion {
                kind: "question_set",
                id: "evidence".to_owned(),
                title: "Evidence first".to_owned(),
                reason: "10 questions on Evidence preservation".to_owned(),
            }],
        }
    }

    fn view(report: Option<ProgressReport>, error: Option<&str>) -> ProgressView {
        ProgressView {
            profile: "ana".to_owned(),
            profiles: vec!["ana".to_owned(), "ben".to_owned()],
            db_path: "/tmp/progress.sqlite3".to_owned(),
            db_error: error.map(str::to_owned),
            pending_runs: 0,
            report,
            records: RecordsView::NotConfigured {
                config_path: "/tmp/lrs.ron".to_owned(),
            },
        }
    }

    fn harness(
        view: ProgressView,
    ) -> Harness<'static, (ProgressView, ProgressUiState, Vec<UiCommand>)> {
        Harness::builder()
            .with_size(egui::vec2(1200.0, 800.0))
            .build_ui_state(
                |ui, (view, state, out): &mut (ProgressView, ProgressUiState, Vec<UiCommand>)| {
                    out.extend(progress_ui(ui, view, state));
                },
                (view, ProgressUiState::default(), Vec::new()),
            )
    }

    #[test]
    fn weakest_area_and_its_suggestion_are_offered() {
        let mut h = harness(view(Some(report()), None));
        h.run();
        assert!(
            h.query_by_label_contains("Evidence preservation — 50")
                .is_some()
        );
        assert!(
            h.query_by_label_contains("2 questions due for review")
                .is_some()
        );
        h.get_by_label("Practise these questions").click();
        h.run();
        assert_eq!(
            h.state().2,
            vec![UiCommand::Learner(LearnerCommand::StartSitting {
                sets: BTreeSet::from(["evidence".to_owned()]),
                size: DEFAULT_SITTING_SIZE,
            })]
        );
    }

    /// Organisation records say where they go, what waits, why the last try failed and when the
    /// next comes, and offer to send now; with no store configured, where to configure one.
    #[test]
    fn the_outbox_says_what_waits_and_why_and_can_be_sent_now() {
        let mut configured = view(Some(report()), None);
        configured.records = RecordsView::Configured {
            endpoint: "https://lrs.example.org/xAPI/".to_owned(),
            status: Some(OutboxStatus {
                sent: 31,
                waiting: 4,
                last_sent_at: Some(1_000 - 3 * 3600),
                last_error: Some((
                    "could not connect to https://lrs.example.org/xAPI/ (connection refused)"
                        .to_owned(),
                    1_000 - 120,
                )),
                next_attempt_at: Some(1_000 + 90),
                ..OutboxStatus::default()
            }),
            sending: false,
            now: 1_000,
        };
        let mut h = harness(configured);
        h.run();
        assert!(
            h.query_by_label_contains("31 sent, 4 waiting, last sent 3 h ago")
                .is_some()
        );
        assert!(
            h.query_by_label_contains("Last try failed 2 min ago: could not connect")
                .is_some()
        );
        assert!(h.query_by_label_contains("Next try in 2 min").is_some());
        h.get_by_label("Send now").click();
        h.run();
        assert_eq!(
            h.state().2,
            vec![UiCommand::Learner(LearnerCommand::SendRecordsNow)]
        );

        let mut h = harness(view(Some(report()), None));
        h.run();
        assert!(h.query_by_label_contains("write /tmp/lrs.ron").is_some());
        assert!(h.query_by_label("Send now").is_none());
    }

    /// A question sitting is not counted as a scenario run: the table counts each apart, and the
    /// chart's marks and axis say which is which.
    #[test]
    fn runs_and_question_sittings_are_counted_apart() {
        let mut h = harness(view(Some(report()), None));
        h.run();
        h.get_by_label("Runs");
        h.get_by_label("Sittings");
        assert!(h.query_by_label("Attempts").is_none());
        h.get_by_label_contains("a question sitting (its answers together)");
        // The evidence row: one run, one sitting.
        assert_eq!(h.query_all_by_label("1").count(), 2);
    }

    #[test]
    fn a_database_error_is_shown_with_a_retry() {
        let mut h = harness(view(
            None,
            Some("progress.sqlite3: locked by another program"),
        ));
        h.run();
        assert!(
            h.query_by_label_contains("locked by another program")
                .is_some()
        );
        assert!(
            h.query_by_label_contains("No progress can be shown")
                .is_some()
        );
        h.get_by_label("Try again").click();
        h.run();
        assert_eq!(
            h.state().2,
            vec![UiCommand::Learner(LearnerCommand::RetryDatabase)]
        );
    }

    #[test]
    fn a_new_learner_can_be_added() {
        let mut h = harness(view(Some(report()), None));
        h.get_by_label("New learner:").focus();
        h.run();
        h.get_by_label("New learner:").type_text("carla");
        h.run();
        h.get_by_label("Add learner").click();
        h.run();
        assert_eq!(
            h.state().2,
            vec![UiCommand::Learner(LearnerCommand::SwitchProfile(
                "carla".to_owned()
            ))]
        );
    }

    #[test]
    fn the_progress_screen_fits_every_window_and_scale() {
        use crate::app::screens::fits::{as_opened, panel_misfits};
        let mut failures = Vec::new();
        for (name, v) in [
            ("report", view(Some(report()), None)),
            ("error", view(None, Some("database is locked"))),
        ] {
            failures.extend(
                panel_misfits(
                    || (v.clone(), ProgressUiState::default()),
                    |ui, (view, state): &mut (ProgressView, ProgressUiState)| {
                        progress_ui(ui, view, state);
                    },
                    &as_opened(),
                )
                .into_iter()
                .map(|f| format!("{name}: {f}")),
            );
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
