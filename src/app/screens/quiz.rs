//! Question bank: choose sets, answer one question at a time, see the explanation at once; missed
//! questions come back later in the sitting and in later sittings.

use std::collections::BTreeSet;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::widgets::{badge, root_ui};
use crate::app::content::Content;
use crate::app::flow::Screen;
use crate::app::learner::{Checked, DEFAULT_SITTING_SIZE, Learner, QuizState};
use crate::app::messages::{CommandWriter, LearnerCommand, Navigate, UiCommand};
use crate::app::theme;
use crate::engine::learning::tally::Tally;
use crate::engine::model::matrix::Dimension;
use crate::engine::model::quiz::Resolved;
use crate::engine::text::count;

/// A question set as offered in the setup panel.
#[derive(Clone, Debug, PartialEq)]
pub struct SetChoice {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Number of questions.
    pub count: usize,
}

/// The question being asked.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionView {
    /// Set title.
    pub set: String,
    /// The dimension it practises.
    pub dimension: Dimension,
    /// Situation paragraph.
    pub situation: String,
    /// The author's explanation.
    pub explanation: String,
    /// Resolved against the matrix.
    pub resolved: Resolved,
}

/// Everything the quiz screen shows.
#[derive(Clone, Debug, PartialEq)]
pub struct QuizView {
    /// Sets to choose from.
    pub sets: Vec<SetChoice>,
    /// Whether a sitting is running.
    pub in_sitting: bool,
    /// Sitting number.
    pub number: u32,
    /// Questions asked so far.
    pub asked: usize,
    /// Questions left, the current one included.
    pub remaining: usize,
    /// Right at the first try, of first tries.
    pub score: Tally,
    /// The current question.
    pub question: Option<QuestionView>,
    /// Its check, once answered.
    pub checked: Option<Checked>,
    /// Database problem, if any.
    pub db_error: Option<String>,
    /// Profile name.
    pub profile: String,
    /// Questions missed at the first try this sitting, per dimension: they come back next time.
    pub missed: Vec<(Dimension, usize)>,
}

/// Widget state of the quiz screen.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct QuizUiState {
    /// Sets ticked in the setup panel.
    pub sets: BTreeSet<String>,
    /// Questions per sitting.
    pub size: usize,
    /// Choices ticked for the current question.
    pub picked: BTreeSet<usize>,
}

impl Default for QuizUiState {
    fn default() -> Self {
        Self {
            sets: BTreeSet::new(),
            size: DEFAULT_SITTING_SIZE,
            picked: BTreeSet::new(),
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<QuizUiState>().add_systems(
        EguiPrimaryContextPass,
        quiz_system.run_if(in_state(Screen::Quiz)),
    );
}

/// Builds the view from the app's resources.
pub fn quiz_view(content: &Content, quiz: &QuizState, learner: &Learner) -> QuizView {
    let sets = content
        .library
        .question_sets
        .iter()
        .map(|l| SetChoice {
            id: l.set.id.clone(),
            title: l.set.title.clone(),
            description: l.set.description.clone(),
            count: l.set.questions.len(),
        })
        .collect();
    let question = quiz.current.as_ref().and_then(|resolved| {
        let (set, q) = content.library.question(resolved.id.as_str())?;
        Some(QuestionView {
            set: set.title.clone(),
            dimension: q.dimension,
            situation: q.situation.clone(),
            explanation: q.explanation.clone(),
            resolved: resolved.clone(),
        })
    });
    QuizView {
        sets,
        in_sitting: quiz.sitting.is_some(),
        number: quiz.number,
        asked: quiz.asked,
        remaining: quiz
            .sitting
            .as_ref()
            .map_or(0, crate::engine::learning::practice::Sitting::remaining),
        score: quiz
            .sitting
            .as_ref()
            .map(crate::engine::learning::practice::Sitting::first_try_score)
            .unwrap_or_default(),
        question,
        checked: quiz.checked.clone(),
        db_error: learner.error.clone(),
        profile: learner.profile.clone(),
        missed: missed_per_dimension(content, quiz),
    }
}

/// First-try misses of the sitting so far, counted per dimension.
fn missed_per_dimension(content: &Content, quiz: &QuizState) -> Vec<(Dimension, usize)> {
    let Some(sitting) = &quiz.sitting else {
        return Vec::new();
    };
    let mut seen = BTreeSet::new();
    let mut missed = std::collections::BTreeMap::<Dimension, usize>::new();
    for (id, correct) in sitting.answered() {
        // Only the first answer to a question counts; a repeat is the retry.
        if !seen.insert(id) || *correct {
            continue;
        }
        if let Some((_, q)) = content.library.question(id.as_str()) {
            *missed.entry(q.dimension).or_default() += 1;
        }
    }
    missed.into_iter().collect()
}

fn quiz_system(
    mut contexts: EguiContexts,
    content: Res<Content>,
    quiz: Res<QuizState>,
    learner: Res<Learner>,
    mut state: ResMut<QuizUiState>,
    mut writer: CommandWriter,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx, "quiz");
    let view = quiz_view(&content, &quiz, &learner);
    let commands = egui::CentralPanel::default()
        .show(&mut ui, |ui| quiz_ui(ui, &view, &mut state))
        .inner;
    writer.send_all(commands);
    Ok(())
}

/// The quiz screen view.
pub fn quiz_ui(ui: &mut egui::Ui, view: &QuizView, state: &mut QuizUiState) -> Vec<UiCommand> {
    let mut out = Vec::new();
    ui.horizontal_wrapped(|ui| {
        ui.heading("Question bank");
        ui.label(format!("· profile: {}", view.profile));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Title screen").clicked() {
                out.push(LearnerCommand::EndSitting.into());
                out.push(Navigate::GoTo(Screen::Title).into());
            }
            if ui.button("Progress").clicked() {
                out.push(Navigate::GoTo(Screen::Progress).into());
            }
        });
    });
    if let Some(error) = &view.db_error {
        ui.colored_label(
            theme::palette(ui).danger,
            format!("{error} Your answers in this sitting are not being saved."),
        );
    }
    ui.separator();
    if !view.in_sitting {
        setup_ui(ui, view, state, &mut out);
    } else if let Some(question) = &view.question {
        question_ui(ui, view, question, state, &mut out);
    } else {
        finished_ui(ui, view, state, &mut out);
    }
    out
}

fn setup_ui(ui: &mut egui::Ui, view: &QuizView, state: &mut QuizUiState, out: &mut Vec<UiCommand>) {
    ui.label("Short exam-style questions: a situation and one decision, answered from the responsibility matrix. Tick the sets to practise (none ticked = all of them).");
    ui.add_space(theme::GAP);
    if view.sets.is_empty() {
        ui.colored_label(
            theme::palette(ui).warning,
            "No question sets were found in the content folder's questions/ directory.",
        );
        return;
    }
    for set in &view.sets {
        let mut ticked = state.sets.contains(&set.id);
        // A set per block: its checkbox (whose title wraps) and its description under it.
        ui.vertical(|ui| {
            if ui
                .checkbox(
                    &mut ticked,
                    format!("{} ({})", set.title, count(set.count, "question")),
                )
                .changed()
            {
                if ticked {
                    state.sets.insert(set.id.clone());
                } else {
                    state.sets.remove(&set.id);
                }
            }
            ui.label(egui::RichText::new(&set.description).weak());
        });
    }
    ui.add_space(theme::GAP);
    ui.horizontal_wrapped(|ui| {
        ui.label("Questions in this sitting:");
        ui.add(egui::Slider::new(&mut state.size, 3..=30));
    });
    ui.add_space(theme::GAP);
    if ui
        .add(egui::Button::new("Start sitting").min_size(egui::vec2(180.0, 34.0)))
        .clicked()
    {
        state.picked.clear();
        out.push(
            LearnerCommand::StartSitting {
                sets: state.sets.clone(),
                size: state.size,
            }
            .into(),
        );
    }
    ui.label(
        egui::RichText::new("Questions you miss come back a few questions later, and again in your next sittings until you know them.")
            .small()
            .weak(),
    );
}

fn question_ui(
    ui: &mut egui::Ui,
    view: &QuizView,
    question: &QuestionView,
    state: &mut QuizUiState,
    out: &mut Vec<UiCommand>,
) {
    let resolved = &question.resolved;
    ui.horizontal_wrapped(|ui| {
        // `remaining` counts the question on screen.
        let after = match view.remaining.saturating_sub(1) {
            0 => "the last one".to_owned(),
            1 => "1 more after this".to_owned(),
            n => format!("{n} more after this"),
        };
        ui.label(format!(
            "Sitting {} · question {} · {after}",
            view.number, view.asked
        ));
        badge(ui, question.dimension.label(), theme::palette(ui).accent);
        ui.label(egui::RichText::new(&question.set).weak());
    });
    ui.add_space(theme::GAP);
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.label(egui::RichText::new(&question.situation).size(17.0));
        ui.add_space(theme::GAP);
        ui.label(egui::RichText::new(&resolved.prompt).strong().size(18.0));
        if resolved.is_multiple() {
            ui.label(egui::RichText::new("Choose all that apply.").weak());
        }
        ui.add_space(theme::GAP / 2.0);
        let locked = view.checked.is_some();
        let picked = view.checked.as_ref().map_or(&state.picked, |c| &c.picked);
        let mut toggled = None;
        for (i, choice) in resolved.choices.iter().enumerate() {
            let mut on = picked.contains(&i);
            // Checked, the answers are drawn at full strength, not greyed as disabled controls
            // would be: the right ones marked ✔ in green, a wrong pick ✘ in red. Clicks then
            // change nothing.
            let mut text = egui::RichText::new(&choice.label).size(16.0);
            if locked && resolved.correct.contains(&i) {
                text = egui::RichText::new(format!("\u{2714} {}", choice.label))
                    .size(16.0)
                    .color(theme::palette(ui).success)
                    .strong();
            } else if locked && on {
                text = egui::RichText::new(format!("\u{2718} {}", choice.label))
                    .size(16.0)
                    .color(theme::palette(ui).danger)
                    .strong();
            }
            let response = if resolved.is_multiple() {
                ui.checkbox(&mut on, text)
            } else {
                ui.radio(on, text)
            };
            if !locked && response.clicked() {
                toggled = Some(i);
            }
        }
        if let Some(i) = toggled {
            if resolved.is_multiple() {
                if !state.picked.remove(&i) {
                    state.picked.insert(i);
                }
            } else {
                state.picked = BTreeSet::from([i]);
            }
        }
        ui.add_space(theme::GAP);
        match &view.checked {
            None => {
                let button = ui.add_enabled(
                    !state.picked.is_empty(),
                    egui::Button::new("Check answer").min_size(egui::vec2(160.0, 32.0)),
                );
                if button.clicked() {
                    out.push(LearnerCommand::CheckAnswer(state.picked.clone()).into());
                }
            }
            Some(checked) => {
                feedback_ui(ui, question, checked);
                let next =
                    ui.add(egui::Button::new("Next question").min_size(egui::vec2(160.0, 32.0)));
                // Keyboard focus moves to "Next question" once, when the feedback appears, so
                // Enter carries on (the checked button it had is gone).
                let focused = egui::Id::new(("quiz-next-focus", view.number, view.asked));
                if !ui.data(|d| d.get_temp::<bool>(focused).unwrap_or(false)) {
                    next.request_focus();
                    ui.data_mut(|d| d.insert_temp(focused, true));
                }
                if next.clicked() {
                    state.picked.clear();
                    out.push(LearnerCommand::NextQuestion.into());
                }
            }
        }
    });
}

fn feedback_ui(ui: &mut egui::Ui, question: &QuestionView, checked: &Checked) {
    let resolved = &question.resolved;
    let (color, head) = if checked.correct {
        (theme::palette(ui).success, "Right.".to_owned())
    } else {
        (
            theme::palette(ui).danger,
            format!("Not quite. The answer is: {}.", resolved.correct_labels()),
        )
    };
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.5, color))
        .inner_margin(egui::Margin::same(10))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(egui::RichText::new(head).color(color).strong().size(17.0));
            ui.label(egui::RichText::new(format!("Why — {}", resolved.rule)).strong());
            ui.label(&resolved.citation);
            if !question.explanation.is_empty() {
                ui.add_space(4.0);
                ui.label(&question.explanation);
            }
            if checked.will_return {
                ui.add_space(4.0);
                ui.label(
                    egui::RichText::new("This question will come back later in this sitting.")
                        .italics(),
                );
            }
        });
    ui.add_space(theme::GAP);
}

fn finished_ui(
    ui: &mut egui::Ui,
    view: &QuizView,
    state: &mut QuizUiState,
    out: &mut Vec<UiCommand>,
) {
    let Tally {
        right,
        asked: firsts,
    } = view.score;
    ui.heading(format!("Sitting {} done", view.number));
    let share = (right * 100).checked_div(firsts).unwrap_or(0);
    ui.label(
        egui::RichText::new(format!(
            "{right} of {firsts} right at the first try ({share}%)."
        ))
        .size(18.0),
    );
    if view.missed.is_empty() {
        ui.label("Nothing missed: no question of this sitting is due again soon.");
    } else {
        ui.add_space(theme::GAP);
        ui.label(egui::RichText::new("Missed at the first try").strong());
        egui::Grid::new("quiz-missed").show(ui, |ui| {
            for (dimension, n) in &view.missed {
                ui.label(dimension.label());
                ui.label(count(*n, "question"));
                ui.end_row();
            }
        });
        let due: usize = view.missed.iter().map(|(_, n)| n).sum();
        ui.label(format!(
            "{} come{} back at the start of your next sitting.",
            count(due, "question"),
            if due == 1 { "s" } else { "" }
        ));
    }
    ui.add_space(theme::GAP);
    ui.horizontal_wrapped(|ui| {
        if ui.button("Another sitting").clicked() {
            state.picked.clear();
            out.push(
                LearnerCommand::StartSitting {
                    sets: state.sets.clone(),
                    size: state.size,
                }
                .into(),
            );
        }
        if ui.button("Choose sets").clicked() {
            out.push(LearnerCommand::EndSitting.into());
        }
        if ui.button("See progress").clicked() {
            out.push(LearnerCommand::EndSitting.into());
            out.push(Navigate::GoTo(Screen::Progress).into());
        }
    });
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT as _, Queryable as _};

    use super::*;
    use crate::engine::model::id::QuestionId;
    use crate::engine::model::quiz::Choice;

    fn view(multiple: bool, checked: Option<Checked>) -> QuizView {
        let choices = [
            "Security Operations Center",
            "IT Operations",
            "Legal Counsel",
        ]
        .iter()
        .enumerate()
        .map(|(i, l)| Choice {
            key: i.to_string(),
            label: (*l).to_owned(),
        })
        .collect();
        QuizView {
            sets: Vec::new(),
            in_sitting: true,
            number: 2,
            asked: 1,
            remaining: 5,
            score: Tally::default(),
            question: Some(QuestionView {
                set: "Who owns the work?".to_owned(),
                dimension: Dimension::Ownership,
                situation: "The file server is encrypting shares.".to_owned(),
                explanation: "Operators change their own systems.".to_owned(),
                resolved: Resolved {
                    id: QuestionId::new("q"),
                    prompt: "Who should isolate it?".to_owned(),
                    choices,
                    correct: if multiple {
                        BTreeSet::from([1, 2])
                    } else {
                        BTreeSet::from([1])
                    },
                    rule: "Responsible for \"Isolate a host\"".to_owned(),
                    citation: "The team that operates a system changes it.".to_owned(),
                },
            }),
            checked,
            db_error: None,
            profile: "ana".to_owned(),
            missed: Vec::new(),
        }
    }

    #[test]
    fn the_feedback_takes_the_keyboard_focus_to_next_question() {
        let checked = Checked {
            picked: BTreeSet::from([1]),
            correct: true,
            will_return: false,
        };
        let mut h = harness(view(false, Some(checked)));
        h.run();
        assert!(h.get_by_label("Next question").is_focused());
    }

    #[test]
    fn a_finished_sitting_sums_up_the_score_and_what_comes_back() {
        let mut done = view(false, None);
        done.question = None;
        done.remaining = 0;
        done.score = Tally { right: 3, asked: 5 };
        done.missed = vec![(Dimension::Escalation, 1), (Dimension::Handoffs, 1)];
        let mut h = harness(done);
        h.run();
        assert!(
            h.query_by_label("3 of 5 right at the first try (60%).")
                .is_some()
        );
        assert!(h.query_by_label("Escalation timing").is_some());
        assert!(
            h.query_by_label("2 questions come back at the start of your next sitting.")
                .is_some()
        );
    }

    fn harness(view: QuizView) -> Harness<'static, (QuizView, QuizUiState, Vec<UiCommand>)> {
        Harness::new_ui_state(
            |ui, (view, state, out): &mut (QuizView, QuizUiState, Vec<UiCommand>)| {
                out.extend(quiz_ui(ui, view, state));
            },
            (view, QuizUiState::default(), Vec::new()),
        )
    }

    #[test]
    fn picking_one_choice_and_checking_sends_it() {
        let mut h = harness(view(false, None));
        h.get_by_label("IT Operations").click();
        h.run();
        h.get_by_label("Legal Counsel").click();
        h.run();
        h.get_by_label("Check answer").click();
        h.run();
        assert_eq!(
            h.state().2,
            vec![UiCommand::Learner(LearnerCommand::CheckAnswer(
                BTreeSet::from([2])
            ))]
        );
    }

    #[test]
    fn several_choices_can_be_ticked_when_several_are_right() {
        let mut h = harness(view(true, None));
        assert!(h.query_by_label("Choose all that apply.").is_some());
        h.get_by_label("IT Operations").click();
        h.run();
        h.get_by_label("Legal Counsel").click();
        h.run();
        h.get_by_label("Check answer").click();
        h.run();
        assert_eq!(
            h.state().2,
            vec![UiCommand::Learner(LearnerCommand::CheckAnswer(
                BTreeSet::from([1, 2])
            ))]
        );
    }

    #[test]
    fn a_miss_shows_the_answer_the_citation_and_that_it_will_return() {
        let checked = Checked {
            picked: BTreeSet::from([0]),
            correct: false,
            will_return: true,
        };
        let mut h = harness(view(false, Some(checked)));
        h.run();
        assert!(
            h.query_by_label("Not quite. The answer is: IT Operations.")
                .is_some()
        );
        // The right answer and the wrong pick are marked, at full strength (not disabled), and
        // the count says what comes after this question.
        let right = h.get_by_label("\u{2714} IT Operations");
        assert!(!right.accesskit_node().is_disabled());
        h.get_by_label("\u{2718} Security Operations Center");
        h.get_by_label("Sitting 2 · question 1 · 4 more after this");
        assert!(
            h.query_by_label("The team that operates a system changes it.")
                .is_some()
        );
        assert!(
            h.query_by_label("This question will come back later in this sitting.")
                .is_some()
        );
        h.get_by_label("Next question").click();
        h.run();
        assert_eq!(
            h.state().2,
            vec![UiCommand::Learner(LearnerCommand::NextQuestion)]
        );
    }

    #[test]
    fn setup_starts_a_sitting_with_the_ticked_sets() {
        let mut v = view(false, None);
        v.in_sitting = false;
        v.sets = vec![SetChoice {
            id: "evidence".to_owned(),
            title: "Evidence first".to_owned(),
            description: String::new(),
            count: 10,
        }];
        let mut h = harness(v);
        h.get_by_label("Evidence first (10 questions)").click();
        h.run();
        h.get_by_label("Start sitting").click();
        h.run();
        assert_eq!(
            h.state().2,
            vec![UiCommand::Learner(LearnerCommand::StartSitting {
                sets: BTreeSet::from(["evidence".to_owned()]),
                size: DEFAULT_SITTING_SIZE,
            })]
        );
    }

    #[test]
    fn every_step_of_a_sitting_fits_every_window_and_scale() {
        use crate::app::screens::fits::{as_opened, panel_misfits};
        let mut setup = view(false, None);
        setup.in_sitting = false;
        setup.sets = vec![SetChoice {
            id: "evidence".to_owned(),
            title: "Evidence first: what to keep before anyone touches a system".to_owned(),
            description: "Preservation and chain of custody.".to_owned(),
            count: 10,
        }];
        let checked = Checked {
            picked: BTreeSet::from([0]),
            correct: false,
            will_return: true,
        };
        let mut done = view(false, None);
        done.question = None;
        done.remaining = 0;
        done.score = Tally { right: 3, asked: 5 };
        done.missed = vec![(Dimension::Escalation, 1), (Dimension::Handoffs, 1)];
        let mut failures = Vec::new();
        for (name, v) in [
            ("setup", setup),
            ("question", view(true, None)),
            ("feedback", view(false, Some(checked))),
            ("summary", done),
        ] {
            failures.extend(
                panel_misfits(
                    || (v.clone(), QuizUiState::default()),
                    |ui, (view, state): &mut (QuizView, QuizUiState)| {
                        quiz_ui(ui, view, state);
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
