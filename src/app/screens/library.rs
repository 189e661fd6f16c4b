//! Scenario picker: cards with what each scenario teaches, filters, the matrix in use, and the files
//! that did not load with their diagnostics.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::widgets::{badge, notice_ui, root_ui};
use crate::app::content::Content;
use crate::app::flow::Screen;
use crate::app::messages::{CommandWriter, ContentCommand, ExerciseCommand, Navigate, UiCommand};
use crate::app::navigation::PreferredMode;
use crate::app::notice::Notice;
use crate::app::theme;
use crate::engine::content::library::LoadedScenario;
use crate::engine::model::scenario::{Difficulty, Mode};

/// Filters and fields of the picker.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct LibraryState {
    /// Only scenarios playable in this mode.
    pub mode_filter: Option<Mode>,
    /// Only this difficulty.
    pub difficulty_filter: Option<Difficulty>,
    /// Free-text search over title and summary.
    pub query: String,
    /// Seed typed by the player (empty = 0).
    pub seed_text: String,
    /// Matrix path typed by the player.
    pub matrix_text: String,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<LibraryState>()
        .add_systems(OnEnter(Screen::Library), prefill)
        .add_systems(
            EguiPrimaryContextPass,
            library_system.run_if(in_state(Screen::Library)),
        );
}

fn prefill(mut state: ResMut<LibraryState>, content: Res<Content>) {
    if state.matrix_text.is_empty() {
        state.matrix_text = content.matrix_path.display().to_string();
    }
}

fn library_system(
    mut contexts: EguiContexts,
    content: Res<Content>,
    preferred: Res<PreferredMode>,
    notice: Res<Notice>,
    mut state: ResMut<LibraryState>,
    mut writer: CommandWriter,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx, "library");
    let commands = egui::CentralPanel::default()
        .show(&mut ui, |ui| {
            library_ui(ui, &content, preferred.0, &notice, &mut state)
        })
        .inner;
    writer.send_all(commands);
    Ok(())
}

fn matches(s: &LoadedScenario, state: &LibraryState) -> bool {
    let sc = &s.scenario;
    let query = state.query.trim().to_lowercase();
    state.mode_filter.is_none_or(|m| sc.modes.contains(&m))
        && state.difficulty_filter.is_none_or(|d| sc.difficulty == d)
        && (query.is_empty()
            || sc.title.to_lowercase().contains(&query)
            || sc.summary.to_lowercase().contains(&query))
}

/// The scenario picker view.
pub fn library_ui(
    ui: &mut egui::Ui,
    content: &Content,
    mode: Mode,
    notice: &Notice,
    state: &mut LibraryState,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    ui.horizontal_wrapped(|ui| {
        if ui.button("Back").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            out.push(Navigate::GoTo(Screen::Title).into());
        }
        ui.heading("Choose a scenario");
        ui.add_space(theme::GAP * 3.0);
        ui.label("Play as:");
        for m in [Mode::Practice, Mode::Drill, Mode::Facilitated] {
            if ui.selectable_label(mode == m, m.label()).clicked() && mode != m {
                out.push(Navigate::OpenLibrary(m).into());
            }
        }
    });
    ui.add_space(4.0);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label("Responsibility matrix:");
            ui.add(
                egui::TextEdit::singleline(&mut state.matrix_text)
                    .desired_width(
                        (ui.max_rect().right() - ui.cursor().left() - 16.0).clamp(160.0, 420.0),
                    )
                    .hint_text("path to a matrix .ron file"),
            );
            if ui.button("Load matrix").clicked() {
                out.push(ContentCommand::LoadMatrix(state.matrix_text.trim().into()).into());
            }
            match &content.library.matrix {
                Some(m) => {
                    ui.label(format!("In use: {}", m.matrix.name));
                }
                None => {
                    ui.colored_label(theme::palette(ui).danger, "No valid matrix loaded");
                }
            }
            let default = crate::engine::content::library::default_matrix_path();
            if content.matrix_path != default
                && ui
                    .button("Restore default")
                    .on_hover_text("Grade against the shipped reference matrix again")
                    .clicked()
            {
                out.push(ContentCommand::RestoreDefaultMatrix.into());
            }
        });
        notice_ui(ui, notice);
        if let Some(problems) = &content.failed_matrix {
            egui::CollapsingHeader::new("Problems in the matrix that did not load")
                .id_salt("failed-matrix")
                .show(ui, |ui| diagnostics_ui(ui, problems.iter()));
        }
    });

    if !content.library.matrix_errors.is_empty() {
        ui.colored_label(
            theme::palette(ui).danger,
            format!(
                "The matrix {} has problems, so no scenario can be graded. Fix it or load another:",
                content.matrix_path.display()
            ),
        );
        diagnostics_ui(ui, content.library.matrix_errors.iter());
        return out;
    }

    ui.horizontal_wrapped(|ui| {
        ui.label("Filter:");
        egui::ComboBox::from_id_salt("mode-filter")
            .selected_text(state.mode_filter.map_or("Any mode", Mode::label))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.mode_filter, None, "Any mode");
                for m in [Mode::Practice, Mode::Drill, Mode::Facilitated] {
                    ui.selectable_value(&mut state.mode_filter, Some(m), m.label());
                }
            });
        egui::ComboBox::from_id_salt("difficulty-filter")
            .selected_text(
                state
                    .difficulty_filter
                    .map_or("Any difficulty", Difficulty::label),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.difficulty_filter, None, "Any difficulty");
                for d in [
                    Difficulty::Introductory,
                    Difficulty::Intermediate,
                    Difficulty::Advanced,
                ] {
                    ui.selectable_value(&mut state.difficulty_filter, Some(d), d.label());
                }
            });
        ui.add(
            egui::TextEdit::singleline(&mut state.query)
                .hint_text("search")
                .desired_width(180.0),
        );
        ui.add_space(theme::GAP * 2.0);
        ui.label("Seed:");
        ui.add(
            egui::TextEdit::singleline(&mut state.seed_text)
                .hint_text("0")
                .desired_width(80.0),
        )
        .on_hover_text("The same seed always gives the same variations of a scenario.");
    });
    let seed_ok =
        state.seed_text.trim().is_empty() || state.seed_text.trim().parse::<u64>().is_ok();
    if !seed_ok {
        ui.colored_label(
            theme::palette(ui).danger,
            "The seed must be a whole number.",
        );
    }
    let seed = state.seed_text.trim().parse::<u64>().unwrap_or(0);
    ui.separator();

    egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
        let shown: Vec<&LoadedScenario> = content
            .library
            .scenarios
            .iter()
            .filter(|s| matches(s, state))
            .collect();
        if content.library.scenarios.is_empty() {
            ui.add_space(theme::GAP * 2.0);
            ui.heading("No scenarios found");
            ui.label(format!(
                "Warroom looked in {}. Put scenario files there (see docs/format.md) or set WARROOM_CONTENT.",
                content.dir.display()
            ));
        } else if shown.is_empty() {
            ui.label("No scenario matches these filters.");
        }
        for loaded in shown {
            if let Some(command) = scenario_card(ui, loaded, mode, seed, seed_ok) {
                out.push(command);
            }
        }
        if !content.library.invalid.is_empty() {
            ui.add_space(theme::GAP);
            let n = content.library.invalid.len();
            egui::CollapsingHeader::new(
                egui::RichText::new(format!(
                    "{n} file{} could not be loaded",
                    if n == 1 { "" } else { "s" }
                ))
                .color(theme::palette(ui).danger),
            )
            .default_open(true)
            .show(ui, |ui| {
                for file in &content.library.invalid {
                    ui.label(egui::RichText::new(file.path.display().to_string()).strong());
                    diagnostics_ui(ui, file.diagnostics.iter());
                }
            });
        }
    });
    out
}

fn diagnostics_ui<'a>(
    ui: &mut egui::Ui,
    diagnostics: impl Iterator<Item = &'a crate::engine::Diagnostic>,
) {
    for d in diagnostics {
        ui.label(
            egui::RichText::new(d.to_string())
                .monospace()
                .color(theme::palette(ui).danger),
        );
        if let Some(hint) = &d.hint {
            ui.label(
                egui::RichText::new(format!("   hint: {hint}"))
                    .monospace()
                    .weak(),
            );
        }
    }
}

fn scenario_card(
    ui: &mut egui::Ui,
    loaded: &LoadedScenario,
    mode: Mode,
    seed: u64,
    seed_ok: bool,
) -> Option<UiCommand> {
    let sc = &loaded.scenario;
    let mut command = None;
    egui::Frame::group(ui.style())
        .inner_margin(egui::Margin::same(12))
        .corner_radius(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.heading(&sc.title);
                let color = match sc.difficulty {
                    Difficulty::Introductory => theme::palette(ui).success,
                    Difficulty::Intermediate => theme::palette(ui).warning,
                    Difficulty::Advanced => theme::palette(ui).danger,
                };
                badge(ui, sc.difficulty.label(), color);
                badge(
                    ui,
                    &crate::engine::text::duration_words(sc.duration_mins),
                    theme::palette(ui).accent,
                );
                for m in &sc.modes {
                    badge(ui, m.label(), egui::Color32::GRAY);
                }
                badge(
                    ui,
                    &format!("{} injects", sc.injects.len()),
                    egui::Color32::GRAY,
                );
            });
            ui.label(&sc.summary);
            egui::CollapsingHeader::new("Learning objectives")
                .id_salt(sc.id.as_str())
                .show(ui, |ui| {
                    for objective in &sc.objectives {
                        ui.label(format!("• {}", objective.text));
                    }
                    if !sc.references.is_empty() {
                        let refs: Vec<String> = sc
                            .references
                            .iter()
                            .map(|r| format!("{} {}", r.framework, r.item))
                            .collect();
                        ui.label(egui::RichText::new(refs.join(" · ")).small().weak());
                    }
                });
            let label = format!("Start in {} mode", mode.label());
            let supported = sc.modes.contains(&mode);
            let button = ui
                .add_enabled(seed_ok && supported, egui::Button::new(label))
                .on_disabled_hover_text(if supported {
                    "The seed must be a whole number"
                } else {
                    "This scenario is not written for this mode"
                });
            if button.clicked() {
                command = Some(UiCommand::Exercise(ExerciseCommand::Start {
                    scenario: sc.id.clone(),
                    mode,
                    seed,
                }));
            }
        });
    command
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;

    use crate::engine::content::shipped;

    type LibraryHarness = Harness<'static, (Content, LibraryState, Vec<UiCommand>)>;

    fn harness(content: Content) -> LibraryHarness {
        harness_in(content, Mode::Drill)
    }

    fn harness_in(content: Content, mode: Mode) -> LibraryHarness {
        Harness::new_ui_state(
            move |ui, s: &mut (Content, LibraryState, Vec<UiCommand>)| {
                let out = library_ui(ui, &s.0, mode, &Notice::default(), &mut s.1);
                s.2.extend(out);
            },
            (content, LibraryState::default(), Vec::new()),
        )
    }

    #[test]
    fn a_scenario_not_written_for_the_mode_cannot_be_started_in_it() {
        let dir = tempfile::tempdir().unwrap();
        for file in [
            "ransomware-file-server.ron",
            "maintenance-window-false-alarm.ron",
        ] {
            std::fs::copy(shipped::dir().join(file), dir.path().join(file)).unwrap();
        }
        let content = Content::load(dir.path().to_path_buf(), shipped::matrix_path());
        let mut harness = harness_in(content, Mode::Facilitated);
        let buttons: Vec<_> = harness
            .query_all_by_label("Start in Facilitated mode")
            .collect();
        assert_eq!(buttons.len(), 2);
        for button in buttons {
            button.click();
        }
        harness.run();
        // Only the ransomware scenario lists Facilitated among its modes.
        assert_eq!(
            harness.state().2,
            vec![UiCommand::Exercise(ExerciseCommand::Start {
                scenario: "ransomware-file-server".into(),
                mode: Mode::Facilitated,
                seed: 0
            })]
        );
    }

    #[test]
    fn a_scenario_of_several_days_gives_its_length_in_days() {
        let dir = tempfile::tempdir().unwrap();
        for file in ["edge-gateway-zero-day.ron", "ransomware-file-server.ron"] {
            std::fs::copy(shipped::dir().join(file), dir.path().join(file)).unwrap();
        }
        let content = Content::load(dir.path().to_path_buf(), shipped::matrix_path());
        let harness = harness(content);
        // 4350 minutes, Monday evening to Thursday; the hour-long one stays in minutes.
        assert!(harness.query_by_label("3 days").is_some());
        assert!(harness.query_by_label("60 min").is_some());
        assert!(harness.query_by_label("4350 min").is_none());
    }

    #[test]
    fn an_empty_folder_says_where_it_looked() {
        let dir = tempfile::tempdir().unwrap();
        let content = Content::load(dir.path().to_path_buf(), shipped::matrix_path());
        let harness = harness(content);
        assert!(harness.query_by_label("No scenarios found").is_some());
    }

    #[test]
    fn invalid_files_are_listed_with_their_diagnostics_and_valid_ones_still_play() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            shipped::dir().join("ransomware-file-server.ron"),
            dir.path().join("ransomware-file-server.ron"),
        )
        .unwrap();
        std::fs::write(dir.path().join("broken.ron"), "Scenario(id: \"x\",").unwrap();
        let content = Content::load(dir.path().to_path_buf(), shipped::matrix_path());
        let mut harness = harness(content);
        assert!(
            harness
                .query_by_label("1 file could not be loaded")
                .is_some()
        );
        assert!(
            harness
                .query_by_label_contains("error[parse-error]")
                .is_some()
        );
        harness.get_by_label("Start in Drill mode").click();
        harness.run();
        assert_eq!(
            harness.state().2,
            vec![UiCommand::Exercise(ExerciseCommand::Start {
                scenario: "ransomware-file-server".into(),
                mode: Mode::Drill,
                seed: 0
            })]
        );
    }

    #[test]
    fn an_unreadable_matrix_is_explained_and_no_scenario_is_offered() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("matrix.ron");
        std::fs::write(&bad, "Matrix(id: 3)").unwrap();
        let content = Content::load(shipped::dir(), bad);
        let harness = harness(content);
        assert!(
            harness
                .query_by_label_contains("has problems, so no scenario can be graded")
                .is_some()
        );
        assert!(harness.query_by_label("Start in Drill mode").is_none());
        assert!(
            harness.query_by_label("Load matrix").is_some(),
            "a way to recover"
        );
    }

    #[test]
    fn a_failed_load_shows_its_problems_beside_the_working_matrix_and_offers_the_default() {
        let dir = tempfile::tempdir().unwrap();
        let mine = dir.path().join("ours.ron");
        std::fs::copy(shipped::matrix_path(), &mine).unwrap();
        let bad = dir.path().join("broken.ron");
        std::fs::write(&bad, "Matrix(id: 3)").unwrap();
        let mut content = Content::load(shipped::dir(), mine);
        assert!(
            !content.switch_matrix(bad),
            "a broken matrix is not switched to"
        );
        let mut harness = harness(content);
        harness
            .get_by_label("Problems in the matrix that did not load")
            .click();
        harness.run();
        assert!(harness.query_by_label_contains("broken.ron").is_some());
        assert!(
            harness
                .query_all_by_label("Start in Drill mode")
                .next()
                .is_some(),
            "scenarios still play against the working matrix"
        );
        harness.get_by_label("Restore default").click();
        harness.run();
        assert_eq!(
            harness.state().2,
            vec![UiCommand::Content(ContentCommand::RestoreDefaultMatrix)]
        );
    }

    #[test]
    fn search_and_difficulty_filters_narrow_the_cards() {
        let content = Content::load(shipped::dir(), shipped::matrix_path());
        let mut harness = harness(content);
        harness.state_mut().1.query = "web shop".into();
        harness.run();
        assert_eq!(harness.query_all_by_label("Start in Drill mode").count(), 1);
        assert!(
            harness
                .query_by_label("Customer records stolen from the web shop")
                .is_some()
        );
        harness.state_mut().1.difficulty_filter = Some(Difficulty::Introductory);
        harness.run();
        assert_eq!(harness.query_all_by_label("Start in Drill mode").count(), 0);
        assert!(
            harness
                .query_by_label("No scenario matches these filters.")
                .is_some()
        );
        harness.state_mut().1.difficulty_filter = Some(Difficulty::Advanced);
        harness.run();
        assert_eq!(harness.query_all_by_label("Start in Drill mode").count(), 1);
    }

    #[test]
    fn the_library_fits_every_window_and_scale() {
        use crate::app::screens::fits::{as_opened, panel_misfits};
        let content = Content::load(shipped::dir(), shipped::matrix_path());
        let failures = panel_misfits(
            LibraryState::default,
            |ui, state: &mut LibraryState| {
                library_ui(ui, &content, Mode::Practice, &Notice::default(), state);
            },
            &as_opened(),
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
