//! The Author screen's right side: is the folder ready to play? Its problems (each a click from
//! where it is), what the plan leaves out, and what the edits do to every script's grade.

use bevy_egui::egui;

use crate::app::author::{AuthorAction, AuthorDoc, Preview};
use crate::app::screens::widgets::cost_label;
use crate::app::theme;
use crate::engine::reports::compare::{GradeChange, Reach, total_label};
use crate::engine::scoring::{Finding, FindingKind};

/// Roles the plan gives no part in any task, by name.
pub fn roles_without_part(doc: &AuthorDoc) -> Vec<String> {
    let matrix = doc.matrix();
    matrix
        .roles
        .iter()
        .filter(|r| {
            matrix
                .tasks
                .iter()
                .all(|t| t.raci_codes(r.id.as_str()).is_empty())
        })
        .map(|r| r.name.clone())
        .collect()
}

/// Tasks no scenario of the folder offers as an option, by name.
pub fn tasks_never_offered(doc: &AuthorDoc) -> Vec<String> {
    let offered: std::collections::BTreeSet<&str> = doc
        .library
        .scenarios
        .iter()
        .flat_map(|s| s.scenario.actions().map(|(_, _, a)| a.task.as_str()))
        .collect();
    doc.matrix()
        .tasks
        .iter()
        .filter(|t| !offered.contains(t.id.as_str()))
        .map(|t| t.name.clone())
        .collect()
}

/// Draws the readiness side.
pub fn readiness_ui(ui: &mut egui::Ui, doc: &AuthorDoc, actions: &mut Vec<AuthorAction>) {
    let palette = theme::palette(ui);
    let diagnostics = doc.diagnostics();
    let errors = doc.errors();
    ui.heading("Readiness");
    ui.horizontal_wrapped(|ui| {
        let play = ui
            .add_enabled(errors == 0, egui::Button::new("Play this"))
            .on_hover_text("Save the plan and pick one of the folder's scenarios to play under it")
            .on_disabled_hover_text("Fix the errors below first");
        if play.clicked() {
            actions.push(AuthorAction::Play);
        }
        if ui
            .add_enabled(errors == 0, egui::Button::new("Export RACI"))
            .on_hover_text("Write the plan's RACI as a workbook beside it (raci.xlsx)")
            .clicked()
        {
            actions.push(AuthorAction::ExportRaci);
        }
    });
    let summary = match (errors, diagnostics.len() - errors) {
        (0, 0) => "No problems: ready to play.".to_owned(),
        (0, w) => format!("No errors, {w} warning(s)."),
        (e, w) => format!("{e} error(s) and {w} warning(s): fix the errors to play."),
    };
    let color = if errors > 0 {
        palette.danger
    } else {
        palette.success
    };
    ui.label(egui::RichText::new(summary).color(color));
    for d in diagnostics.iter().take(40) {
        let place = d
            .file
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
        let text = format!("{place}:{}:{} {}", d.line, d.column, d.message);
        let color = if d.is_error() {
            palette.danger
        } else {
            palette.warning
        };
        let response = ui
            .add(
                egui::Label::new(egui::RichText::new(text).color(color))
                    .sense(egui::Sense::click()),
            )
            .on_hover_text(
                d.hint
                    .clone()
                    .unwrap_or_else(|| "Show where it is".to_owned()),
            );
        if response.clicked() {
            actions.push(AuthorAction::ShowLine {
                file: d.file.clone(),
                line: d.line,
            });
        }
    }
    ui.separator();
    ui.label(egui::RichText::new("Grading preview").strong());
    match &doc.preview {
        Preview::NoScripts => {
            ui.add(
                egui::Label::new(
                    "No scenarios or scripts in this folder: put scenario files here, and Decisions files (a decisions/ folder beside them) to see what each edit does to their grades.",
                )
                .wrap(),
            );
        }
        Preview::Blocked => {
            ui.label(
                egui::RichText::new("Fix the errors above to grade the scripts.")
                    .color(palette.warning),
            );
        }
        Preview::Grading(changes) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Grading every script under the edited plan…");
            });
            // The last grades stay shown meanwhile; before the first, there are none to show.
            if !changes.is_empty() {
                changes_ui(ui, doc, changes);
            }
        }
        Preview::Ready(changes) => changes_ui(ui, doc, changes),
    }
    if let Some(reach) = &doc.reach {
        ui.separator();
        reach_ui(ui, reach);
    }
    ui.separator();
    let (roles, tasks) = (roles_without_part(doc), tasks_never_offered(doc));
    egui::CollapsingHeader::new(format!(
        "What the plan leaves out: {} role(s), {} task(s)",
        roles.len(),
        tasks.len()
    ))
    .id_salt("leaves-out")
    .show(ui, |ui| {
        for (what, names) in [
            ("Roles with no part in any task", roles),
            ("Tasks no scenario here offers", tasks),
        ] {
            let line = if names.is_empty() {
                format!("{what}: none")
            } else {
                format!("{what}: {}", names.join(", "))
            };
            ui.add(egui::Label::new(line).wrap());
        }
    });
}

/// What a play of each scenario can score under the edited plan, and why not 100 where it cannot.
fn reach_ui(ui: &mut egui::Ui, reach: &[Reach]) {
    let palette = theme::palette(ui);
    let short = reach.iter().filter(|r| r.highest < 100).count();
    let untested: usize = reach.iter().map(|r| r.untested.len()).sum();
    ui.add(
        egui::Label::new(format!(
            "{short} scenario(s) short of 100 · {untested} objective(s) never tested"
        ))
        .wrap(),
    );
    egui::CollapsingHeader::new("What a play can score")
        .id_salt("reach")
    .default_open(short > 0)
    .show(ui, |ui| {
        for r in reach {
            let line = format!(
                "{}: {} (nobody acting) to {} (the best play)",
                r.title, r.lowest, r.highest
            );
            if r.highest < 100 {
                ui.label(egui::RichText::new(line).color(palette.warning));
            } else {
                ui.label(line);
            }
            for why in &r.short_of_100 {
                ui.add(egui::Label::new(format!("  • {why}")).wrap());
            }
            for objective in &r.untested {
                ui.add(
                    egui::Label::new(
                        egui::RichText::new(format!("  Never tested: {objective}")).italics(),
                    )
                    .wrap(),
                );
            }
        }
    })
    .header_response
    .on_hover_text(
        "Each scenario played by nobody and by the best play `warroom script solve` finds under the edited plan",
    );
}

fn changes_ui(ui: &mut egui::Ui, doc: &AuthorDoc, changes: &[GradeChange]) {
    let moved = changes.iter().filter(|c| c.changed()).count();
    ui.label(if moved == 0 {
        format!("{} script(s) graded: no verdict changes.", changes.len())
    } else {
        format!(
            "{} script(s) graded: {moved} changed under the edits.",
            changes.len()
        )
    });
    for change in changes {
        let scenario = doc
            .library
            .scenarios
            .iter()
            .find(|s| s.scenario.id.as_str() == change.scenario)
            .map_or(change.scenario.as_str(), |s| s.scenario.title.as_str());
        let title = format!(
            "{scenario} · {}: {} to {}",
            change.script,
            total_label(&change.before),
            total_label(&change.after)
        );
        if !change.changed() {
            ui.label(egui::RichText::new(format!("{title} (unchanged)")).weak());
            continue;
        }
        // The title wraps in a label: a header's text does not, and would widen the side panel.
        ui.add(egui::Label::new(egui::RichText::new(title).strong()).wrap());
        egui::CollapsingHeader::new("What changed")
            .id_salt(("preview", &change.scenario, &change.script))
            .default_open(true)
            .show(ui, |ui| {
                if let (Ok(before), Ok(after)) = (&change.before, &change.after) {
                    let moved: Vec<String> = before
                        .dimensions
                        .iter()
                        .filter(|(d, v)| after.dimensions.get(*d) != Some(*v))
                        .map(|(d, v)| {
                            let show =
                                |v: Option<u32>| v.map_or("—".to_owned(), |v| v.to_string());
                            format!(
                                "{} {} to {}",
                                d.label(),
                                show(*v),
                                show(after.dimensions.get(d).copied().flatten())
                            )
                        })
                        .collect();
                    if !moved.is_empty() {
                        ui.label(moved.join(" · "));
                    }
                }
                if let Err(why) = &change.after {
                    ui.add(egui::Label::new(format!("It no longer plays: {why}")).wrap());
                }
                findings_ui(ui, "New under the edits", &change.only_after);
                findings_ui(ui, "Gone under the edits", &change.only_before);
            });
    }
}

fn findings_ui(ui: &mut egui::Ui, heading: &str, findings: &[Finding]) {
    if findings.is_empty() {
        return;
    }
    ui.label(egui::RichText::new(heading).italics());
    for f in findings {
        let what = match f.kind {
            FindingKind::Deduction => cost_label(-f.points),
            FindingKind::Credit => "credit".to_owned(),
            FindingKind::NotReached => "not reached".to_owned(),
            FindingKind::NotTested => "not tested".to_owned(),
        };
        ui.add(
            egui::Label::new(format!(
                "T+{:02} {} ({what}): {}",
                f.minute,
                f.dimension.label(),
                f.message
            ))
            .wrap(),
        )
        .on_hover_text(format!("Cites: {}", f.citation));
    }
}
