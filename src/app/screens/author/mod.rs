//! The Author screen: a content folder's plan edited in a RACI grid or as text, with the folder's
//! readiness and a grading preview beside it. Layout only: the document lives in
//! [`crate::app::author`], the grid in [`grid`], the readiness side in [`readiness`].

pub mod forms;
pub mod grid;
pub mod readiness;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use crate::app::author::{AuthorAction, AuthorDoc, Authoring, Status};
use crate::app::flow::Screen;
use crate::app::messages::{CommandWriter, UiCommand};
use crate::app::theme;
use crate::engine::model::scenario::Release;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<AuthorUi>().add_systems(
        EguiPrimaryContextPass,
        author_system.run_if(in_state(Screen::Author)),
    );
}

fn author_system(
    mut contexts: EguiContexts,
    authoring: Res<Authoring>,
    content: Res<crate::app::content::Content>,
    mut state: ResMut<AuthorUi>,
    mut writer: CommandWriter,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    if state.folder_input.is_empty() {
        let folder = authoring
            .doc
            .as_ref()
            .map_or(content.dir.as_path(), |d| d.folder.as_path());
        state.folder_input = folder.display().to_string();
    }
    let mut ui = super::widgets::root_ui(ctx, "author");
    let mut actions = author_ui(
        &mut ui,
        authoring.doc.as_ref(),
        &authoring.status(),
        &mut state,
    );
    // Ctrl+Z, Ctrl+Shift+Z and Ctrl+S, unless a text field has the keys (the RON tab undoes its
    // own typing first).
    if !ctx.egui_wants_keyboard_input() {
        ctx.input_mut(|i| {
            if i.consume_key(
                egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
                egui::Key::Z,
            ) {
                actions.push(AuthorAction::Redo);
            } else if i.consume_key(egui::Modifiers::COMMAND, egui::Key::Z) {
                actions.push(AuthorAction::Undo);
            }
            if i.consume_key(egui::Modifiers::COMMAND, egui::Key::S) {
                actions.push(AuthorAction::Save);
            }
        });
    }
    for action in actions {
        if let AuthorAction::ShowLine { file, line } = &action {
            state.show_line(authoring.doc.as_ref(), file, *line);
            continue;
        }
        writer.send(UiCommand::Author(action));
    }
    Ok(())
}

impl AuthorUi {
    /// Brings a diagnostic's place into view: a task's row in the grid, an inject in the forms,
    /// else the plan's line in the RON tab.
    pub fn show_line(&mut self, doc: Option<&AuthorDoc>, file: &std::path::Path, line: usize) {
        let Some(doc) = doc else {
            return;
        };
        if doc.matrix_path == file {
            match block_at(doc.text(), line, "TaskKind(") {
                Some(task) if doc.grid_editable() => {
                    self.tab = AuthorTab::Grid;
                    self.focus_task = Some(task);
                }
                _ => {
                    self.tab = AuthorTab::Ron;
                    self.jump_to_line = Some(line);
                }
            }
        } else if doc.scenario(file).is_some() {
            self.tab = AuthorTab::Scenario;
            self.scenario = Some(file.to_path_buf());
            self.pending_delete = None;
            let text = doc.scenario_text(file).unwrap_or_default();
            self.inject = block_at(&text, line, "Inject(").unwrap_or(0);
        }
    }
}

/// Which `opener(`…`)` block of a list (0-based, counting every line that starts with `opener`)
/// holds 1-based `line`, if any does.
pub fn block_at(text: &str, line: usize, opener: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let (open_at, open_line) = lines
        .iter()
        .enumerate()
        .rfind(|(_, l)| l.trim_start().starts_with(opener))?;
    let closed = lines
        .iter()
        .skip(open_at + 1)
        .take(lines.len().saturating_sub(open_at + 2))
        .any(|l| indent(l) == indent(open_line) && l.trim_start().starts_with(')'));
    if closed {
        return None;
    }
    Some(
        lines
            .iter()
            .filter(|l| l.trim_start().starts_with(opener))
            .count()
            - 1,
    )
}

/// Which part of the plan the centre shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuthorTab {
    /// The RACI grid.
    #[default]
    Grid,
    /// The plan's text.
    Ron,
    /// A scenario's injects, decisions and options in forms.
    Scenario,
    /// When each scenario's injects come in.
    Timeline,
    /// The plan's sections and the folder's scenarios, where no panel shows them.
    Outline,
    /// Problems and the grading preview, where no panel shows them.
    Readiness,
}

/// Narrower than this (points), the outline is a tab of the centre rather than a panel.
const WIDE_ENOUGH_FOR_OUTLINE: f32 = 1400.0;

/// The Author screen's widget state.
#[derive(Resource, Debug, Default)]
pub struct AuthorUi {
    /// The centre's tab.
    pub tab: AuthorTab,
    /// The folder typed to open.
    pub folder_input: String,
    /// Whether the folder field shows (always, while no folder is open).
    pub choosing_folder: bool,
    /// The RON tab's text, and the revision of the plan it was taken from.
    pub draft: Option<(u64, String)>,
    /// A line of the RON tab to scroll to, once.
    pub jump_to_line: Option<usize>,
    /// A task to bring into view in the grid, once.
    pub focus_task: Option<usize>,
    /// The timeline, and the revision it was worked out for.
    pub timeline: Option<(u64, Vec<crate::engine::reports::compare::InjectTimeline>)>,
    /// The scenario file the forms show.
    pub scenario: Option<PathBuf>,
    /// The inject the forms show (its index).
    pub inject: usize,
    /// A delete waiting for a yes.
    pub pending_delete: Option<forms::PendingDelete>,
    /// The scenario last written from the template that the forms have switched to.
    pub seen_newest: Option<PathBuf>,
}

/// Lays the screen out in `ui`: the folder bar, the outline, the centre's tabs and the readiness
/// side. `status` says what the last action did, or why it could not.
pub fn author_ui(
    ui: &mut egui::Ui,
    doc: Option<&AuthorDoc>,
    status: &Status,
    state: &mut AuthorUi,
) -> Vec<AuthorAction> {
    let mut actions = Vec::new();
    egui::Panel::top("author-top").show(ui, |ui| {
        top_bar_ui(ui, doc, status, state, &mut actions);
    });
    let Some(doc) = doc else {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Author a plan");
            ui.add(
                egui::Label::new(
                    "Type the path of a content folder above (one with a responsibilities.ron, its scenarios and, in decisions/, scripts to grade) and open it. Every edit is checked as `warroom validate` would check it, and every script of the folder is graded again under the edited plan.",
                )
                .wrap(),
            );
        });
        return actions;
    };
    let width = ui.max_rect().width();
    let (left, right) = theme::side_panels(width);
    // The grid needs the width: the outline gets a panel of its own only on a wide window, the
    // readiness side unless the window is narrow; otherwise each is a tab of the centre.
    let outline_panel = width >= WIDE_ENOUGH_FOR_OUTLINE;
    let readiness_panel = !theme::is_narrow(width);
    if (state.tab == AuthorTab::Outline && outline_panel)
        || (state.tab == AuthorTab::Readiness && readiness_panel)
    {
        state.tab = AuthorTab::Grid;
    }
    if outline_panel {
        egui::Panel::left(theme::panel_id(ui, "author-outline"))
            .resizable(true)
            .default_size(240.0_f32.clamp(left.min, left.max))
            .size_range(left)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("author-outline-scroll")
                    .show(ui, |ui| outline_ui(ui, doc, state, &mut actions));
            });
    }
    if readiness_panel {
        egui::Panel::right(theme::panel_id(ui, "author-readiness"))
            .resizable(true)
            .default_size(340.0_f32.clamp(right.min, right.max))
            .size_range(right)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("author-readiness-scroll")
                    .show(ui, |ui| readiness::readiness_ui(ui, doc, &mut actions));
            });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.selectable_value(&mut state.tab, AuthorTab::Grid, "RACI grid");
            ui.selectable_value(&mut state.tab, AuthorTab::Ron, "RON");
            ui.selectable_value(&mut state.tab, AuthorTab::Scenario, "Scenario");
            ui.selectable_value(&mut state.tab, AuthorTab::Timeline, "Timeline");
            if !outline_panel {
                ui.selectable_value(&mut state.tab, AuthorTab::Outline, "Outline");
            }
            if !readiness_panel {
                let errors = doc.errors();
                let label = if errors > 0 {
                    format!("Readiness ({errors} errors)")
                } else {
                    "Readiness".to_owned()
                };
                ui.selectable_value(&mut state.tab, AuthorTab::Readiness, label);
            }
        });
        ui.separator();
        match state.tab {
            AuthorTab::Grid => {
                if doc.grid_editable() {
                    grid::raci_grid_ui(ui, doc, state.focus_task.take(), &mut actions);
                } else {
                    ui.label(
                        egui::RichText::new(
                            "The text in the RON tab does not read as a plan yet: fix it there (or undo) to edit the grid.",
                        )
                        .color(theme::palette(ui).warning),
                    );
                }
            }
            AuthorTab::Ron => ron_ui(ui, doc, state, &mut actions),
            AuthorTab::Scenario => forms::scenario_forms_ui(ui, doc, state, &mut actions),
            AuthorTab::Timeline => timeline_ui(ui, doc, state),
            AuthorTab::Outline => {
                egui::ScrollArea::vertical()
                    .id_salt("author-outline-tab")
                    .show(ui, |ui| outline_ui(ui, doc, state, &mut actions));
            }
            AuthorTab::Readiness => {
                egui::ScrollArea::vertical()
                    .id_salt("author-readiness-tab")
                    .show(ui, |ui| readiness::readiness_ui(ui, doc, &mut actions));
            }
        }
    });
    actions
}

fn top_bar_ui(
    ui: &mut egui::Ui,
    doc: Option<&AuthorDoc>,
    status: &Status,
    state: &mut AuthorUi,
    actions: &mut Vec<AuthorAction>,
) {
    ui.horizontal_wrapped(|ui| {
        if ui.button("Back").clicked() {
            actions.push(AuthorAction::Leave);
        }
        ui.heading("Author");
        if let Some(doc) = doc {
            let (undo, redo) = doc.can_undo_redo();
            if ui
                .add_enabled(undo, egui::Button::new("Undo"))
                .on_hover_text("Ctrl+Z")
                .clicked()
            {
                actions.push(AuthorAction::Undo);
            }
            if ui
                .add_enabled(redo, egui::Button::new("Redo"))
                .on_hover_text("Ctrl+Shift+Z")
                .clicked()
            {
                actions.push(AuthorAction::Redo);
            }
            let save = ui
                .add_enabled(doc.is_dirty(), egui::Button::new("Save"))
                .on_hover_text(format!("Write {} (Ctrl+S)", doc.matrix_path.display()));
            if save.clicked() {
                actions.push(AuthorAction::Save);
            }
            ui.label(if doc.is_dirty() {
                "unsaved edits"
            } else {
                "saved"
            });
            ui.toggle_value(&mut state.choosing_folder, "Folder…")
                .on_hover_text(format!("Now: {}", doc.folder.display()));
        }
    });
    if doc.is_none() || state.choosing_folder {
        ui.horizontal_wrapped(|ui| {
            ui.label("Folder:");
            let field = ui.add(
                egui::TextEdit::singleline(&mut state.folder_input)
                    .hint_text("path of a content folder")
                    .desired_width(320.0),
            );
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Open folder").clicked() || entered)
                && !state.folder_input.trim().is_empty()
            {
                actions.push(AuthorAction::Open(PathBuf::from(state.folder_input.trim())));
                state.choosing_folder = false;
            }
        });
    }
    match status {
        Status::Problem(problem) => {
            ui.add(
                egui::Label::new(egui::RichText::new(problem).color(theme::palette(ui).danger))
                    .wrap(),
            );
        }
        Status::Done(done) => {
            ui.label(egui::RichText::new(done).color(theme::palette(ui).success));
        }
        Status::Quiet => {}
    }
    if let Some(doc) = doc
        && doc.drops_comments()
    {
        ui.label(
            egui::RichText::new("Saving drops the file's // comments.")
                .color(theme::palette(ui).warning),
        )
        .on_hover_text(
            "An edit in the grid writes the plan afresh, without comments. To keep them, undo the grid edits and make them in the RON tab.",
        );
    }
}

/// The plan's sections and the folder's scenarios; a task opens the grid at its row.
fn outline_ui(
    ui: &mut egui::Ui,
    doc: &AuthorDoc,
    state: &mut AuthorUi,
    actions: &mut Vec<AuthorAction>,
) {
    let matrix = doc.matrix();
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Open folder…")
            .on_hover_text("Type the path of another content folder")
            .clicked()
        {
            state.choosing_folder = true;
        }
        if ui
            .button("New scenario")
            .on_hover_text("Write a small scenario from the template into the folder and edit it")
            .clicked()
        {
            actions.push(AuthorAction::NewScenario);
            state.tab = AuthorTab::Scenario;
        }
    });
    ui.label(egui::RichText::new(format!("The plan: {}", matrix.name)).strong());
    egui::CollapsingHeader::new(format!("Roles ({})", matrix.roles.len()))
        .id_salt("outline-roles")
        .show(ui, |ui| {
            for role in &matrix.roles {
                ui.label(&role.name);
            }
        });
    egui::CollapsingHeader::new(format!("Tasks ({})", matrix.tasks.len()))
        .id_salt("outline-tasks")
        .default_open(true)
        .show(ui, |ui| {
            let mut phase = None;
            for index in grid::task_rows(doc) {
                let task = &matrix.tasks[index];
                if phase != Some(task.phase) {
                    phase = Some(task.phase);
                    ui.label(egui::RichText::new(format!("{:?}", task.phase)).weak());
                }
                if ui.link(&task.name).clicked() {
                    state.tab = AuthorTab::Grid;
                    state.focus_task = Some(index);
                }
            }
        });
    plan_sections_ui(ui, matrix);
    ui.separator();
    ui.label(egui::RichText::new(format!("Scenarios ({})", doc.library.scenarios.len())).strong());
    for loaded in &doc.library.scenarios {
        scenario_outline_ui(ui, &loaded.scenario);
    }
    for invalid in &doc.library.invalid {
        let name = invalid
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let why = invalid
            .diagnostics
            .first()
            .map_or_else(String::new, |d| format!(": {}", d.message));
        ui.add(
            egui::Label::new(
                egui::RichText::new(format!("{name} does not load{why}"))
                    .color(theme::palette(ui).danger),
            )
            .wrap(),
        );
    }
}

/// The plan's other sections, each a list of what it holds in words.
fn plan_sections_ui(ui: &mut egui::Ui, matrix: &crate::engine::Matrix) {
    let trigger = |id: &str| {
        matrix
            .triggers
            .iter()
            .find(|t| t.id.as_str() == id)
            .map_or_else(|| id.to_owned(), |t| t.description.clone())
    };
    let names = |roles: &[crate::engine::model::id::RoleId]| {
        roles
            .iter()
            .map(|r| matrix.role_name(r.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sections: [(&str, Vec<String>); 7] = [
        (
            "Facts (triggers)",
            matrix
                .triggers
                .iter()
                .map(|t| t.description.clone())
                .collect(),
        ),
        (
            "Severity levels",
            matrix
                .escalation
                .severities
                .iter()
                .map(|s| {
                    format!(
                        "{} {}: engage {} within {} min",
                        s.level,
                        s.name,
                        names(&s.engage),
                        s.within_mins
                    )
                })
                .collect(),
        ),
        (
            "Escalation rules",
            matrix
                .escalation
                .rules
                .iter()
                .map(|r| {
                    format!(
                        "Once {}: engage {} within {} min",
                        trigger(r.when.as_str()).to_lowercase(),
                        names(&r.engage),
                        r.within_mins
                    )
                })
                .collect(),
        ),
        (
            "Audiences",
            matrix
                .communication
                .audiences
                .iter()
                .map(|a| format!("{}: written by {}", a.name, names(&a.senders)))
                .collect(),
        ),
        (
            "Outside contacts",
            matrix
                .communication
                .contacts
                .iter()
                .map(|c| {
                    format!(
                        "{}: through {}",
                        matrix.role_name(c.party.as_str()),
                        names(&c.by)
                    )
                })
                .collect(),
        ),
        (
            "Reporting regimes",
            matrix
                .regimes
                .iter()
                .map(|r| format!("{} ({})", r.name, r.recipient))
                .collect(),
        ),
        (
            "Scoring",
            crate::engine::model::matrix::Dimension::ALL
                .iter()
                .map(|d| format!("{}: weight {}", d.label(), matrix.scoring.weights.of(*d)))
                .chain(std::iter::once(format!(
                    "A check failed outright costs at least {} points",
                    matrix.scoring.mistake_floor
                )))
                .collect(),
        ),
    ];
    for (what, lines) in sections {
        let heading = if what == "Scoring" {
            what.to_owned()
        } else {
            format!("{what} ({})", lines.len())
        };
        egui::CollapsingHeader::new(heading)
            .id_salt(("outline-section", what))
            .show(ui, |ui| {
                for line in lines {
                    ui.add(egui::Label::new(line).wrap());
                }
            });
    }
}

/// One scenario of the folder: its brief, what it is played on, and its injects each with when it
/// comes in and the decisions it asks for.
fn scenario_outline_ui(ui: &mut egui::Ui, scenario: &crate::engine::Scenario) {
    egui::CollapsingHeader::new(&scenario.title)
        .id_salt(("outline-scenario", scenario.id.as_str()))
        .show(ui, |ui| {
            ui.add(egui::Label::new(egui::RichText::new(&scenario.summary).weak()).wrap());
            let assets: Vec<&str> = scenario.assets.iter().map(|a| a.name.as_str()).collect();
            ui.add(
                egui::Label::new(format!(
                    "Assets: {} · flags: {} · discussion questions: {}",
                    if assets.is_empty() {
                        "none".to_owned()
                    } else {
                        assets.join(", ")
                    },
                    scenario.flags.len(),
                    scenario.discussion.len()
                ))
                .wrap(),
            );
            let unreachable = crate::engine::model::reachable::unreachable_injects(scenario);
            for inject in &scenario.injects {
                let never = if unreachable.contains(&inject.id) {
                    " · unreachable: no play brings it in"
                } else {
                    ""
                };
                let decisions = match inject.decisions.len() {
                    0 => String::new(),
                    1 => " · 1 decision".to_owned(),
                    n => format!(" · {n} decisions"),
                };
                ui.add(
                    egui::Label::new(format!(
                        "{}  {}{decisions}{never}",
                        inject_badge(&inject.release),
                        inject.title
                    ))
                    .wrap(),
                );
            }
        });
}

/// When an inject comes in, in a word: at a minute, a while after another inject, as a
/// consequence of what the players do (or leave undone), or on some other condition.
pub fn inject_badge(release: &Release) -> String {
    use crate::engine::model::scenario::Condition;
    fn hangs_on_play(condition: &Condition) -> bool {
        match condition {
            Condition::Flag(_)
            | Condition::ActionDone(_)
            | Condition::TaskDone(..)
            | Condition::Engaged(_) => true,
            Condition::All(all) | Condition::Any(all) => all.iter().any(hangs_on_play),
            Condition::Not(inner) => hangs_on_play(inner),
            _ => false,
        }
    }
    match release {
        Release::At(minute) => format!("T+{minute:02}"),
        Release::When(Condition::MinutesSince(inject, minutes)) => {
            format!("{minutes} min after {inject}")
        }
        Release::When(condition) if hangs_on_play(condition) => "consequence".to_owned(),
        Release::When(_) => "conditional".to_owned(),
    }
}

/// The plan's text with line numbers; edits are checked as they are typed.
fn ron_ui(
    ui: &mut egui::Ui,
    doc: &AuthorDoc,
    state: &mut AuthorUi,
    actions: &mut Vec<AuthorAction>,
) {
    let fresh = state
        .draft
        .as_ref()
        .is_none_or(|(rev, _)| *rev != doc.revision());
    if fresh {
        state.draft = Some((doc.revision(), doc.text().to_owned()));
    }
    let Some((_, draft)) = state.draft.as_mut() else {
        return;
    };
    let lines = draft.lines().count().max(1);
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let row = ui.fonts_mut(|f| f.row_height(&font));
    let mut scroll = egui::ScrollArea::both()
        .id_salt("author-ron")
        .auto_shrink(false);
    if let Some(line) = state.jump_to_line.take() {
        scroll = scroll.vertical_scroll_offset((line.saturating_sub(4) as f32) * row);
    }
    scroll.show(ui, |ui| {
        ui.horizontal_top(|ui| {
            let numbers = (1..=lines).fold(String::new(), |mut all, n| {
                use std::fmt::Write as _;
                let _ = writeln!(all, "{n:>4}");
                all
            });
            ui.label(egui::RichText::new(numbers).monospace().weak());
            let edit = ui.add(
                egui::TextEdit::multiline(draft)
                    .code_editor()
                    .desired_width(f32::INFINITY)
                    .desired_rows(lines),
            );
            if edit.changed() {
                actions.push(AuthorAction::EditText(draft.clone()));
            }
        });
    });
}

/// Each scenario's injects at the minute they come in when nobody acts, and in the exemplary run.
fn timeline_ui(ui: &mut egui::Ui, doc: &AuthorDoc, state: &mut AuthorUi) {
    if state
        .timeline
        .as_ref()
        .is_none_or(|(rev, _)| *rev != doc.revision())
    {
        state.timeline = Some((doc.revision(), doc.timelines()));
    }
    let Some((_, timelines)) = &state.timeline else {
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt("author-timeline")
        .auto_shrink(false)
        .show(ui, |ui| {
            for timeline in timelines {
                ui.label(egui::RichText::new(&timeline.scenario.title).strong());
                let exemplary = match &timeline.played_by {
                    Some(script) => format!("in {script}"),
                    None => "(no script plays it)".to_owned(),
                };
                egui::Grid::new(("timeline", timeline.scenario.id.as_str()))
                    .striped(true)
                    .show(ui, |ui| {
                        ui.label(egui::RichText::new("Inject").weak());
                        ui.label(egui::RichText::new("Nobody acts").weak());
                        ui.label(egui::RichText::new(exemplary).weak());
                        ui.end_row();
                        let minute =
                            |m: Option<u32>| m.map_or("never".to_owned(), |m| format!("T+{m:02}"));
                        for (id, title, idle, played) in &timeline.injects {
                            if timeline.unreachable.contains(id) {
                                ui.label(
                                    egui::RichText::new(format!("{title} (unreachable)"))
                                        .color(theme::palette(ui).warning),
                                )
                                .on_hover_text("No play can bring it in: it is timed after the end, or waits on something nothing in the scenario can make happen");
                            } else {
                                ui.label(title);
                            }
                            ui.label(minute(*idle));
                            ui.label(if timeline.played_by.is_some() {
                                minute(*played)
                            } else {
                                String::new()
                            });
                            ui.end_row();
                        }
                    });
                ui.add_space(theme::GAP);
            }
        });
}
