//! Title screen: what Warroom is, the three ways to play, display settings.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::widgets::{notice_ui, root_ui};
use crate::app::exercise::ResumeOffer;
use crate::app::flow::Screen;
use crate::app::messages::{CommandWriter, ExerciseCommand, Navigate, UiCommand};
use crate::app::notice::Notice;
use crate::app::theme::{self, UiSettings};
use crate::engine::model::scenario::Mode;
use crate::engine::text::count;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        title_system.run_if(in_state(Screen::Title)),
    );
}

fn title_system(
    mut contexts: EguiContexts,
    mut settings: ResMut<UiSettings>,
    offer: Res<ResumeOffer>,
    notice: Res<Notice>,
    mut writer: CommandWriter,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx, "title");
    let mut edited = settings.clone();
    let commands = egui::CentralPanel::default()
        .show(&mut ui, |ui| {
            let mut out = resume_ui(ui, &offer, &notice);
            out.extend(title_ui(ui, &mut edited));
            out
        })
        .inner;
    if edited != *settings {
        *settings = edited;
    }
    writer.send_all(commands);
    Ok(())
}

/// The "resume" strip above the title: the latest unfinished exercise, and any problem loading it.
pub fn resume_ui(ui: &mut egui::Ui, offer: &ResumeOffer, notice: &Notice) -> Vec<UiCommand> {
    let mut out = Vec::new();
    ui.horizontal_wrapped(|ui| {
        if let Some(choice) = &offer.0 {
            ui.label(format!(
                "Unfinished exercise: {} at T+{:02} ({} recorded).",
                choice.scenario,
                choice.minute,
                count(choice.intents, "decision")
            ));
            if ui.button("Resume").clicked() {
                out.push(ExerciseCommand::Resume(choice.path.clone()).into());
            }
        }
        notice_ui(ui, notice);
    });
    out
}

/// The title screen view.
pub fn title_ui(ui: &mut egui::Ui, settings: &mut UiSettings) -> Vec<UiCommand> {
    let mut out = Vec::new();
    // Scrolls rather than clipping when the window is small or the scale large.
    egui::ScrollArea::vertical()
        .id_salt("title-scroll")
        .auto_shrink(false)
        .show(ui, |ui| title_content_ui(ui, settings, &mut out));
    out
}

fn title_content_ui(ui: &mut egui::Ui, settings: &mut UiSettings, out: &mut Vec<UiCommand>) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.08);
        ui.label(
            egui::RichText::new("WARROOM")
                .size(theme::TITLE_SIZE * 1.6)
                .strong()
                .color(theme::palette(ui).accent),
        );
        ui.label(
            egui::RichText::new("Tabletop exercises for security incident response")
                .size(18.0),
        );
        ui.label("Who acts, who must be told, when to escalate, and how work is handed off — graded against a documented responsibility matrix.");
        ui.add_space(theme::GAP * 2.0);

        card_rows(ui, 3, MODE_CARD_MARGIN, |ui, index, width| {
            let (title, button, text, mode) = [
                (
                    "Practice",
                    "Play Practice",
                    "Exam preparation. Decide at your own pace; every decision is explained as soon as you make it.",
                    Mode::Practice,
                ),
                (
                    "Drill",
                    "Play Drill",
                    "Team onboarding. The scenario clock runs in real time against your organisation's matrix; feedback comes at the end.",
                    Mode::Drill,
                ),
                (
                    "Facilitated",
                    "Run a session",
                    "Instructor-led sessions for a room: a facilitator console, a projector window, a hotwash and an after-action report.",
                    Mode::Facilitated,
                ),
            ][index];
            let command = UiCommand::Navigate(Navigate::OpenLibrary(mode));
            mode_card(ui, width, title, button, text, command, out);
        });

        ui.add_space(theme::GAP * 2.0);
        card_rows(ui, 3, LEARNER_CARD_MARGIN, |ui, index, width| {
            let (title, text, button, screen) = [
                (
                    "Question bank",
                    "Short exam-style questions: who acts, who must be told, what comes first. Missed questions come back until you know them.",
                    "Practise questions",
                    Screen::Quiz,
                ),
                (
                    "Progress",
                    "Your scores per dimension and role over time, your weakest areas, and what to practise next.",
                    "See progress",
                    Screen::Progress,
                ),
                (
                    "Your own plan",
                    "Edit your organisation's RACI and see at once what each change does to every scripted run's grade.",
                    "Author a plan",
                    Screen::Author,
                ),
            ][index];
            let command = UiCommand::Navigate(Navigate::GoTo(screen));
            learner_card(ui, width, title, text, (button, command), out);
        });

        ui.add_space(theme::GAP * 2.0);
        ui.separator();
        // Wraps rather than running off the edge at projector scale.
        ui.horizontal_wrapped(|ui| {
            let width = 620.0;
            ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
            ui.label("Theme:");
            ui.selectable_value(&mut settings.dark, true, "Dark");
            ui.selectable_value(&mut settings.dark, false, "Light");
            ui.add_space(theme::GAP * 2.0);
            ui.label("UI scale:");
            // Presets rather than a slider, which jumped under the pointer as the UI rescaled.
            for (scale, label) in UiSettings::SCALE_PRESETS {
                ui.selectable_value(&mut settings.scale, scale, label);
            }
            if !UiSettings::SCALE_PRESETS
                .iter()
                .any(|(s, _)| (s - settings.scale).abs() < 0.001)
            {
                ui.label(format!("(now {:.2}×)", settings.scale));
            }
            ui.add_space(theme::GAP * 2.0);
            ui.checkbox(&mut settings.chime, "Chime on new inject");
            ui.add_space(theme::GAP * 2.0);
            if ui.button("Quit").clicked() {
                out.push(Navigate::Quit.into());
            }
        });
        ui.label(
            egui::RichText::new("Tab moves between controls, Enter activates; Ctrl + / Ctrl − also change the scale.")
                .small()
                .weak(),
        );
    });
}

const MODE_CARD_MARGIN: i8 = 14;
const LEARNER_CARD_MARGIN: i8 = 12;
/// Narrower than this, a card's text wraps word by word: the cards stack instead.
const MIN_CARD_WIDTH: f32 = 200.0;
const MAX_CARD_WIDTH: f32 = 300.0;

/// Lays `cards` cards out centred, as many to a row as fit at least [`MIN_CARD_WIDTH`] wide;
/// `card` draws card `index` with its content `width`.
fn card_rows(
    ui: &mut egui::Ui,
    cards: usize,
    margin: i8,
    mut card: impl FnMut(&mut egui::Ui, usize, f32),
) {
    let spacing = ui.spacing().item_spacing.x;
    let available = ui.available_width();
    // The frame's margins and stroke on both sides.
    let frame = 2.0 * f32::from(margin) + 2.0;
    let content_width = |n: usize| {
        let n = n as f32;
        (available - (n - 1.0) * spacing) / n - frame
    };
    let per_row = (1..=cards)
        .rev()
        .find(|&n| content_width(n) >= MIN_CARD_WIDTH)
        .unwrap_or(1);
    let width = content_width(per_row).clamp(1.0, MAX_CARD_WIDTH);
    let indices: Vec<usize> = (0..cards).collect();
    for row in indices.chunks(per_row) {
        ui.horizontal(|ui| {
            let n = row.len() as f32;
            let total = n * (width + frame) + (n - 1.0) * spacing;
            ui.add_space(((available - total) / 2.0).max(0.0));
            for &index in row {
                card(ui, index, width);
            }
        });
    }
}

fn learner_card(
    ui: &mut egui::Ui,
    width: f32,
    title: &str,
    text: &str,
    (label, command): (&str, UiCommand),
    out: &mut Vec<UiCommand>,
) {
    egui::Frame::group(ui.style())
        .inner_margin(egui::Margin::same(LEARNER_CARD_MARGIN))
        .corner_radius(10.0)
        .show(ui, |ui| {
            ui.set_width(width);
            ui.vertical(|ui| {
                ui.strong(title);
                ui.label(text);
                if ui
                    .add(egui::Button::new(label).min_size(egui::vec2(width, 30.0)))
                    .clicked()
                {
                    out.push(command);
                }
            });
        });
}

/// The height of the tallest mode card's title and text, as laid out in the last pass (this
/// pass's own cards are measured as they come); asks for one more pass when a card outgrew it,
/// so that the buttons settle in line at once, not at the next input.
fn tallest_card_text(ui: &egui::Ui, used: f32) -> f32 {
    let key = egui::Id::new("mode-card-tallest-text");
    let pass = ui.ctx().cumulative_pass_nr();
    let (seen, last, this) = ui
        .data(|d| d.get_temp::<(u64, f32, f32)>(key))
        .unwrap_or((pass, 0.0, 0.0));
    let (last, this) = if seen == pass {
        (last, this.max(used))
    } else {
        (this, used)
    };
    if used > last + 0.5 {
        // Taller than any card of the last pass: the next pass lines the buttons up.
        ui.ctx().request_repaint();
    }
    ui.data_mut(|d| d.insert_temp(key, (pass, last, this)));
    last.max(used)
}

fn mode_card(
    ui: &mut egui::Ui,
    width: f32,
    title: &str,
    button: &str,
    text: &str,
    command: UiCommand,
    out: &mut Vec<UiCommand>,
) {
    egui::Frame::group(ui.style())
        .inner_margin(egui::Margin::same(MODE_CARD_MARGIN))
        .corner_radius(10.0)
        .show(ui, |ui| {
            ui.set_width(width);
            ui.vertical(|ui| {
                let top = ui.cursor().top();
                ui.heading(title);
                ui.add_space(4.0);
                ui.label(text);
                // A shorter text leaves its space above the button, so that the cards are as
                // tall as the longest text needs and their buttons line up at the foot.
                let used = ui.cursor().top() - top;
                ui.add_space(theme::GAP + (tallest_card_text(ui, used) - used).max(0.0));
                if ui
                    .add(egui::Button::new(button).min_size(egui::vec2(width, 34.0)))
                    .clicked()
                {
                    out.push(command);
                }
            });
        });
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;

    #[test]
    fn mode_buttons_open_the_library_in_their_mode() {
        let mut harness = Harness::new_ui_state(
            |ui, state: &mut (UiSettings, Vec<UiCommand>)| {
                let out = title_ui(ui, &mut state.0);
                state.1.extend(out);
            },
            (UiSettings::default(), Vec::new()),
        );
        harness.get_by_label("Play Practice").click();
        harness.run();
        harness.get_by_label("Run a session").click();
        harness.run();
        assert_eq!(
            harness.state().1,
            vec![
                UiCommand::Navigate(Navigate::OpenLibrary(Mode::Practice)),
                UiCommand::Navigate(Navigate::OpenLibrary(Mode::Facilitated))
            ]
        );
    }

    #[test]
    fn resume_button_offers_the_unfinished_exercise() {
        let path = std::path::PathBuf::from("/saves/ransomware-1-seed0.ron");
        let offer = ResumeOffer(Some(crate::app::exercise::ResumeChoice {
            path: path.clone(),
            scenario: "Ransomware on the operations file server".to_owned(),
            minute: 14,
            intents: 9,
        }));
        let mut harness = Harness::new_ui_state(
            |ui, state: &mut (ResumeOffer, Vec<UiCommand>)| {
                let out = resume_ui(ui, &state.0, &Notice::default());
                state.1.extend(out);
            },
            (offer, Vec::new()),
        );
        assert!(
            harness
                .query_by_label_contains(
                    "Ransomware on the operations file server at T+14 (9 decisions recorded)"
                )
                .is_some()
        );
        harness.get_by_label("Resume").click();
        harness.run();
        assert_eq!(
            harness.state().1,
            vec![UiCommand::Exercise(ExerciseCommand::Resume(path))]
        );
    }

    #[test]
    fn theme_switch_changes_settings() {
        let mut harness = Harness::new_ui_state(
            |ui, settings: &mut UiSettings| {
                title_ui(ui, settings);
            },
            UiSettings::default(),
        );
        harness.get_by_label("Light").click();
        harness.run();
        assert!(!harness.state().dark);
    }

    #[test]
    fn scale_presets_set_the_scale_and_the_screen_scrolls_when_small() {
        // 1024×640 at 2×: 512×320 points.
        let mut harness = Harness::builder()
            .with_size(egui::vec2(512.0, 320.0))
            .build_ui_state(
                |ui, settings: &mut UiSettings| {
                    title_ui(ui, settings);
                },
                UiSettings::default(),
            );
        harness.run();
        // Below the fold at this size, reachable by scrolling.
        let preset = harness.get_by_label("1.5×");
        preset.scroll_to_me();
        harness.run();
        let preset = harness.get_by_label("1.5×");
        assert!(preset.rect().bottom() <= 320.0, "{:?}", preset.rect());
        preset.click();
        harness.run();
        assert!((harness.state().scale - 1.5).abs() < f32::EPSILON);
    }

    #[test]
    fn the_title_screen_fits_every_window_and_scale() {
        use crate::app::screens::fits::{as_opened, panel_misfits};
        let offer = ResumeOffer(Some(crate::app::exercise::ResumeChoice {
            path: "/saves/ransomware-1-seed0.ron".into(),
            scenario: "Ransomware on the operations file server".to_owned(),
            minute: 14,
            intents: 9,
        }));
        let failures = panel_misfits(
            UiSettings::default,
            |ui, settings: &mut UiSettings| {
                resume_ui(ui, &offer, &Notice::default());
                title_ui(ui, settings);
            },
            &as_opened(),
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
