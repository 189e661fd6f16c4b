//! The Author screen's scenario forms: an inject, its decisions and their options, edited field by
//! field. Every reference is picked from what the plan and the scenario define (roles, tasks,
//! assets, facts, flags, audiences, other options), never typed as an id; new ids are made from
//! the labels; a delete asks first.

use std::path::{Path, PathBuf};

use bevy_egui::egui;

use super::{AuthorUi, inject_badge};
use crate::app::author::drafts::{slug, unique_id};
use crate::app::author::{AuthorAction, AuthorDoc, ScenarioEdit};
use crate::app::theme;
use crate::engine::model::id::{ActionId, DecisionId};
use crate::engine::model::matrix::Matrix;
use crate::engine::model::scenario::{
    ActionOption, DecisionPoint, Inject, Misdirection, Notification, Release, Scenario,
};

/// Something the author asked to delete, waiting for a yes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PendingDelete {
    /// An inject, with its decisions and options.
    Inject(usize),
    /// A decision of the inject shown, with its options.
    Decision(usize),
    /// An option of a decision of the inject shown.
    Option(usize, usize),
}

/// Draws the forms for the scenario chosen in `state`.
pub fn scenario_forms_ui(
    ui: &mut egui::Ui,
    doc: &AuthorDoc,
    state: &mut AuthorUi,
    actions: &mut Vec<AuthorAction>,
) {
    if doc.newest_scenario.is_some() && doc.newest_scenario != state.seen_newest {
        state.seen_newest.clone_from(&doc.newest_scenario);
        state.scenario.clone_from(&doc.newest_scenario);
        state.inject = 0;
    }
    let files = scenario_files(doc);
    if state
        .scenario
        .as_ref()
        .is_none_or(|f| !files.iter().any(|(p, _)| p == f))
    {
        state.scenario = files.first().map(|(p, _)| p.clone());
        state.inject = 0;
    }
    ui.horizontal_wrapped(|ui| {
        let shown = state
            .scenario
            .as_ref()
            .and_then(|f| files.iter().find(|(p, _)| p == f))
            .map_or("(none)", |(_, title)| title.as_str());
        egui::ComboBox::from_label("Scenario")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for (path, title) in &files {
                    if ui
                        .selectable_label(state.scenario.as_ref() == Some(path), title)
                        .clicked()
                    {
                        state.scenario = Some(path.clone());
                        state.inject = 0;
                        state.pending_delete = None;
                    }
                }
            });
        if ui
            .button("New scenario")
            .on_hover_text(
                "Write a small scenario from the template into the folder and edit it here",
            )
            .clicked()
        {
            actions.push(AuthorAction::NewScenario);
        }
        if let Some(file) = &state.scenario
            && ui
                .add_enabled(doc.errors() == 0, egui::Button::new("Export MSEL"))
                .on_hover_text("Write this scenario's MSEL beside it as a workbook")
                .on_disabled_hover_text("Fix the errors first")
                .clicked()
        {
            actions.push(AuthorAction::ExportMsel { file: file.clone() });
        }
    });
    let Some(file) = state.scenario.clone() else {
        ui.label("No scenario in this folder yet: New scenario writes one from the template.");
        return;
    };
    let Some(scenario) = doc.scenario(&file) else {
        ui.label(
            egui::RichText::new(format!(
                "{} does not read as a scenario: fix it in a text editor (its problems are listed under Readiness).",
                file.display()
            ))
            .color(theme::palette(ui).warning),
        );
        return;
    };
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("author-forms")
        .show(ui, |ui| {
            inject_picker_ui(ui, scenario, &file, state, actions);
            let Some(original) = scenario.injects.get(state.inject) else {
                return;
            };
            let mut inject = original.clone();
            confirm_delete_ui(ui, &file, &mut inject, state, actions);
            ui.separator();
            inject_form_ui(ui, doc.matrix(), scenario, &mut inject, state);
            if inject != *original && state.pending_delete.is_none() {
                actions.push(AuthorAction::EditScenario {
                    file: file.clone(),
                    edit: ScenarioEdit::ReplaceInject {
                        index: state.inject,
                        inject: Box::new(inject),
                    },
                });
            }
        });
}

/// The folder's scenario files with their titles, those that read first.
fn scenario_files(doc: &AuthorDoc) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = doc
        .library
        .scenarios
        .iter()
        .map(|s| (s.path.clone(), s.scenario.title.clone()))
        .collect();
    for draft in &doc.drafts {
        if !files.iter().any(|(p, _)| *p == draft.path) {
            files.push((draft.path.clone(), draft.scenario.title.clone()));
        }
    }
    files
}

fn inject_picker_ui(
    ui: &mut egui::Ui,
    scenario: &Scenario,
    file: &Path,
    state: &mut AuthorUi,
    actions: &mut Vec<AuthorAction>,
) {
    ui.horizontal_wrapped(|ui| {
        let label = |i: &Inject| format!("{} · {}", inject_badge(&i.release), i.title);
        let shown = scenario
            .injects
            .get(state.inject)
            .map_or_else(|| "(none)".to_owned(), label);
        egui::ComboBox::from_label("Inject")
            .selected_text(shown)
            .width(280.0)
            .show_ui(ui, |ui| {
                for (index, inject) in scenario.injects.iter().enumerate() {
                    if ui
                        .selectable_label(state.inject == index, label(inject))
                        .clicked()
                    {
                        state.inject = index;
                        state.pending_delete = None;
                    }
                }
            });
        if ui.button("Add inject").clicked() {
            actions.push(AuthorAction::EditScenario {
                file: file.to_path_buf(),
                edit: ScenarioEdit::AddInject,
            });
            state.inject = scenario.injects.len();
        }
        if ui
            .add_enabled(
                scenario.injects.len() > 1,
                egui::Button::new("Delete inject"),
            )
            .on_disabled_hover_text("A scenario needs at least one inject")
            .clicked()
        {
            state.pending_delete = Some(PendingDelete::Inject(state.inject));
        }
    });
}

/// The question a delete waits on, and what the answer does.
fn confirm_delete_ui(
    ui: &mut egui::Ui,
    file: &Path,
    inject: &mut Inject,
    state: &mut AuthorUi,
    actions: &mut Vec<AuthorAction>,
) {
    let Some(pending) = state.pending_delete.clone() else {
        return;
    };
    let question = match &pending {
        PendingDelete::Inject(_) => format!(
            "Delete the inject \"{}\", with its {} decision(s)?",
            inject.title,
            inject.decisions.len()
        ),
        PendingDelete::Decision(d) => inject.decisions.get(*d).map_or_else(String::new, |d| {
            format!(
                "Delete the decision \"{}\", with its {} option(s)?",
                d.prompt,
                d.actions.len()
            )
        }),
        PendingDelete::Option(d, o) => inject
            .decisions
            .get(*d)
            .and_then(|d| d.actions.get(*o))
            .map_or_else(String::new, |o| {
                format!("Delete the option \"{}\"?", o.label)
            }),
    };
    let palette = theme::palette(ui);
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.0, palette.warning))
        .show(ui, |ui| {
            ui.add(egui::Label::new(egui::RichText::new(question).strong()).wrap());
            ui.label("Undo (Ctrl+Z) brings it back until the edits are saved.");
            ui.horizontal(|ui| {
                if ui.button("Delete").clicked() {
                    state.pending_delete = None;
                    match pending {
                        PendingDelete::Inject(index) => {
                            actions.push(AuthorAction::EditScenario {
                                file: file.to_path_buf(),
                                edit: ScenarioEdit::DeleteInject { index },
                            });
                            state.inject = index.saturating_sub(1);
                        }
                        PendingDelete::Decision(d) => {
                            if d < inject.decisions.len() {
                                inject.decisions.remove(d);
                            }
                        }
                        PendingDelete::Option(d, o) => {
                            if let Some(decision) = inject.decisions.get_mut(d)
                                && o < decision.actions.len()
                            {
                                decision.actions.remove(o);
                            }
                        }
                    }
                }
                if ui.button("Keep").clicked() {
                    state.pending_delete = None;
                }
            });
        });
}

fn inject_form_ui(
    ui: &mut egui::Ui,
    matrix: &Matrix,
    scenario: &Scenario,
    inject: &mut Inject,
    state: &mut AuthorUi,
) {
    ui.label(egui::RichText::new(format!("Inject id: {}", inject.id)).weak());
    egui::Grid::new("inject-form")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            ui.label("Title");
            ui.add(
                egui::TextEdit::singleline(&mut inject.title)
                    .desired_width(ui.available_width().min(320.0)),
            );
            ui.end_row();
            ui.label("Comes in");
            match &mut inject.release {
                Release::At(minute) => {
                    ui.add(
                        egui::DragValue::new(minute)
                            .range(0..=scenario.duration_mins)
                            .prefix("at minute "),
                    );
                }
                Release::When(_) => {
                    ui.add(
                        egui::Label::new(format!(
                            "{} (a condition: edit it in the file)",
                            inject_badge(&inject.release)
                        ))
                        .wrap(),
                    );
                }
            }
            ui.end_row();
            ui.label("Narrative");
            ui.add(
                egui::TextEdit::multiline(&mut inject.narrative)
                    .desired_rows(3)
                    .desired_width(ui.available_width().min(320.0)),
            );
            ui.end_row();
            ui.label("Severity");
            let level_name = |level: Option<u8>| {
                level.map_or_else(
                    || "unchanged".to_owned(),
                    |l| {
                        matrix
                            .severity(l)
                            .map_or_else(|| l.to_string(), |s| format!("{l} ({})", s.name))
                    },
                )
            };
            egui::ComboBox::from_id_salt("inject-severity")
                .selected_text(level_name(inject.severity))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut inject.severity, None, level_name(None));
                    for s in &matrix.escalation.severities {
                        ui.selectable_value(
                            &mut inject.severity,
                            Some(s.level),
                            level_name(Some(s.level)),
                        );
                    }
                });
            ui.end_row();
        });
    ui.label("Addressed to");
    ui.horizontal_wrapped(|ui| {
        for role in &matrix.roles {
            toggle(ui, &mut inject.to, &role.id, &role.name);
        }
    });
    egui::CollapsingHeader::new(format!("Facts it reveals ({})", inject.reveals.len()))
        .id_salt("inject-reveals")
        .show(ui, |ui| {
            for trigger in &matrix.triggers {
                toggle(ui, &mut inject.reveals, &trigger.id, &trigger.description);
            }
        });
    if !scenario.flags.is_empty() {
        egui::CollapsingHeader::new(format!("Flags it sets ({})", inject.sets.len()))
            .id_salt("inject-flags")
            .show(ui, |ui| {
                for flag in &scenario.flags {
                    toggle(ui, &mut inject.sets, &flag.id, &flag.description);
                }
            });
    }
    notices_ui(ui, matrix, inject);
    ui.separator();
    ui.label(egui::RichText::new("Decisions").strong());
    let mut taken: Vec<String> = scenario
        .injects
        .iter()
        .flat_map(|i| i.decisions.iter())
        .flat_map(|d| {
            std::iter::once(d.id.to_string()).chain(d.actions.iter().map(|a| a.id.to_string()))
        })
        .collect();
    for (d, decision) in inject.decisions.iter_mut().enumerate() {
        decision_form_ui(ui, matrix, scenario, (d, decision), &mut taken, state);
    }
    if ui.button("Add decision").clicked() {
        let id = unique_id("d-new-decision", taken.iter().map(String::as_str));
        let option = new_option(matrix, &mut taken, "New option");
        inject.decisions.push(DecisionPoint {
            id: DecisionId::from(id.as_str()),
            prompt: "What do you do?".into(),
            actions: vec![option],
            expires_after_mins: None,
            required: true,
        });
    }
}

fn notices_ui(ui: &mut egui::Ui, matrix: &Matrix, inject: &mut Inject) {
    egui::CollapsingHeader::new(format!("Notices it makes owed ({})", inject.notify.len()))
        .id_salt("inject-notices")
        .show(ui, |ui| {
            let mut remove = None;
            for (n, notice) in inject.notify.iter_mut().enumerate() {
                ui.horizontal_wrapped(|ui| {
                    let name = |id: &str| {
                        matrix
                            .audience(id)
                            .map_or_else(|| id.to_owned(), |a| a.name.clone())
                    };
                    egui::ComboBox::from_id_salt(("notice-audience", n))
                        .selected_text(name(notice.audience.as_str()))
                        .show_ui(ui, |ui| {
                            for audience in &matrix.communication.audiences {
                                ui.selectable_value(
                                    &mut notice.audience,
                                    audience.id.clone(),
                                    &audience.name,
                                );
                            }
                        });
                    ui.add(
                        egui::DragValue::new(&mut notice.within_mins)
                            .range(1..=10_000)
                            .prefix("within ")
                            .suffix(" min"),
                    );
                    if ui.small_button("Remove").clicked() {
                        remove = Some(n);
                    }
                });
            }
            if let Some(n) = remove {
                inject.notify.remove(n);
            }
            if let Some(first) = matrix.communication.audiences.first()
                && ui.button("Add notice").clicked()
            {
                inject.notify.push(Notification {
                    audience: first.id.clone(),
                    within_mins: 30,
                });
            }
        });
}

fn decision_form_ui(
    ui: &mut egui::Ui,
    matrix: &Matrix,
    scenario: &Scenario,
    (d, decision): (usize, &mut DecisionPoint),
    taken: &mut Vec<String>,
    state: &mut AuthorUi,
) {
    egui::CollapsingHeader::new(format!("Decision: {}", decision.prompt))
        .id_salt(("decision", decision.id.as_str()))
        .default_open(true)
        .show(ui, |ui| {
            ui.label(egui::RichText::new(format!("Decision id: {}", decision.id)).weak());
            ui.horizontal_wrapped(|ui| {
                ui.label("Prompt");
                ui.add(
                    egui::TextEdit::singleline(&mut decision.prompt)
                        .desired_width(ui.available_width().min(300.0)),
                );
            });
            ui.horizontal_wrapped(|ui| {
                ui.checkbox(&mut decision.required, "Required")
                    .on_hover_text("Graded when nobody acts on it");
                let mut closes = decision.expires_after_mins.is_some();
                if ui.checkbox(&mut closes, "Closes after").changed() {
                    decision.expires_after_mins = closes.then_some(10);
                }
                if let Some(minutes) = &mut decision.expires_after_mins {
                    ui.add(
                        egui::DragValue::new(minutes)
                            .range(1..=10_000)
                            .suffix(" min"),
                    );
                }
            });
            if ui.small_button("Delete decision").clicked() {
                state.pending_delete = Some(PendingDelete::Decision(d));
            }
            let labels: Vec<(ActionId, String)> = decision
                .actions
                .iter()
                .map(|a| (a.id.clone(), a.label.clone()))
                .collect();
            for (o, option) in decision.actions.iter_mut().enumerate() {
                ui.group(|ui| option_form_ui(ui, matrix, scenario, option, &labels));
                if ui.small_button("Delete option").clicked() {
                    state.pending_delete = Some(PendingDelete::Option(d, o));
                }
            }
            if ui.button("Add option").clicked() {
                decision
                    .actions
                    .push(new_option(matrix, taken, "New option"));
            }
        });
}

fn option_form_ui(
    ui: &mut egui::Ui,
    matrix: &Matrix,
    scenario: &Scenario,
    option: &mut ActionOption,
    others: &[(ActionId, String)],
) {
    ui.label(egui::RichText::new(format!("Option id: {}", option.id)).weak());
    ui.horizontal_wrapped(|ui| {
        ui.label("Label");
        ui.add(
            egui::TextEdit::singleline(&mut option.label)
                .desired_width(ui.available_width().min(300.0)),
        );
    });
    ui.horizontal_wrapped(|ui| {
        let task_name = |id: &str| {
            matrix.task(id).map(|t| t.name.clone()).or_else(|| {
                scenario
                    .tasks
                    .iter()
                    .find(|t| t.id.as_str() == id)
                    .map(|t| t.name.clone())
            })
        };
        egui::ComboBox::from_id_salt(("option-task", option.id.as_str()))
            .selected_text(
                task_name(option.task.as_str()).unwrap_or_else(|| "(unknown task)".into()),
            )
            .show_ui(ui, |ui| {
                for task in &matrix.tasks {
                    ui.selectable_value(&mut option.task, task.id.clone(), &task.name);
                }
                for task in &scenario.tasks {
                    ui.selectable_value(&mut option.task, task.id.clone(), &task.name);
                }
            })
            .response
            .on_hover_text(
                "The plan's task it performs: who is Responsible, who approves, who is told",
            );
        let asset_name = |id: Option<&str>| {
            id.map_or_else(
                || "no asset".to_owned(),
                |id| {
                    scenario
                        .asset(id)
                        .map_or_else(|| id.to_owned(), |a| a.name.clone())
                },
            )
        };
        egui::ComboBox::from_id_salt(("option-target", option.id.as_str()))
            .selected_text(asset_name(option.target_id()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut option.target, None, asset_name(None));
                for asset in &scenario.assets {
                    ui.selectable_value(&mut option.target, Some(asset.id.clone()), &asset.name);
                }
            })
            .response
            .on_hover_text("The asset it acts on (its owner answers for it)");
    });
    let alternatives: Vec<&(ActionId, String)> =
        others.iter().filter(|(id, _)| *id != option.id).collect();
    let mut wrong = option.misdirected.is_some();
    let can_be_wrong = !alternatives.is_empty();
    if ui
        .add_enabled(
            can_be_wrong,
            egui::Checkbox::new(
                &mut wrong,
                "A wrong approach (it does not resolve the decision)",
            ),
        )
        .on_disabled_hover_text("Add the option that does resolve it first")
        .changed()
    {
        option.misdirected = match (wrong, alternatives.first()) {
            (true, Some((instead, _))) => Some(Misdirection {
                why: "Say why it does not resolve the decision.".into(),
                instead: instead.clone(),
            }),
            _ => None,
        };
    }
    if let Some(misdirection) = &mut option.misdirected {
        ui.horizontal_wrapped(|ui| {
            ui.label("Why");
            ui.add(
                egui::TextEdit::singleline(&mut misdirection.why)
                    .desired_width(ui.available_width().min(300.0)),
            );
        });
        ui.horizontal_wrapped(|ui| {
            let shown = others
                .iter()
                .find(|(id, _)| *id == misdirection.instead)
                .map_or("(pick one)", |(_, label)| label.as_str());
            egui::ComboBox::from_id_salt(("option-instead", option.id.as_str()))
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for (id, label) in &alternatives {
                        ui.selectable_value(&mut misdirection.instead, id.clone(), label);
                    }
                });
            ui.label("is the option to take instead");
        });
    }
}

/// A new option performing the plan's first task, with an id made from `label`.
fn new_option(matrix: &Matrix, taken: &mut Vec<String>, label: &str) -> ActionOption {
    let id = unique_id(&slug(label), taken.iter().map(String::as_str));
    taken.push(id.clone());
    ActionOption {
        id: ActionId::from(id.as_str()),
        label: label.to_owned(),
        task: matrix
            .tasks
            .first()
            .map(|t| t.id.clone())
            .unwrap_or_default(),
        target: None,
        sets: Vec::new(),
        misdirected: None,
        records_owner: None,
    }
}

/// A checkbox that puts `id` in `list` or takes it out.
fn toggle<T: Clone + PartialEq>(ui: &mut egui::Ui, list: &mut Vec<T>, id: &T, label: &str) {
    let mut on = list.contains(id);
    if ui.checkbox(&mut on, label).changed() {
        if on {
            list.push(id.clone());
        } else {
            list.retain(|x| x != id);
        }
    }
}
