//! The RACI grid: tasks down (grouped by phase, the task column staying put), roles across grouped
//! inside and outside the organisation, then the task's flags. A click gives a cell the next code;
//! a right click picks codes to combine (A/R).

use bevy_egui::egui;
use egui_table::{CellInfo, Column, HeaderCellInfo, HeaderRow, Table, TableDelegate};

use crate::app::author::{AuthorAction, AuthorDoc, CELL_CYCLE, TaskFlag};
use crate::app::theme;
use crate::engine::model::matrix::{ASSET_OWNER, Role, RoleKind, TaskKind};

/// The task flags the grid shows, with what each column is called.
pub const FLAGS: [(TaskFlag, &str); 4] = [
    (TaskFlag::Privileged, "Privileged"),
    (TaskFlag::DestroysEvidence, "Destroys evidence"),
    (TaskFlag::PreservesEvidence, "Preserves evidence"),
    (TaskFlag::AltersAuditTrail, "Alters audit trail"),
];

/// What each code means, for the cells' hover text and the legend.
pub const CODE_MEANINGS: [(&str, &str); 6] = [
    ("R", "Responsible: does the work"),
    ("A", "Accountable: answers for the outcome (one per task)"),
    ("C", "Consulted before acting"),
    ("I", "Informed of the work"),
    ("S", "Sign-off required"),
    ("S1", "One sign-off of several"),
];

/// A column of the grid: the task, a role, or a flag.
enum GridColumn<'a> {
    Task,
    Role {
        id: &'a str,
        name: &'a str,
        short: &'a str,
    },
    Flag(TaskFlag, &'static str),
}

fn role_column(role: &Role) -> GridColumn<'_> {
    GridColumn::Role {
        id: role.id.as_str(),
        name: role.name.as_str(),
        short: if role.short.is_empty() {
            role.name.as_str()
        } else {
            role.short.as_str()
        },
    }
}

/// The tasks in grid order: by phase, in the plan's order within each; with their index in the plan.
pub fn task_rows(doc: &AuthorDoc) -> Vec<usize> {
    let tasks = &doc.matrix().tasks;
    let mut rows: Vec<usize> = (0..tasks.len()).collect();
    rows.sort_by_key(|&i| (tasks[i].phase, i));
    rows
}

struct Grid<'a> {
    doc: &'a AuthorDoc,
    columns: Vec<GridColumn<'a>>,
    /// The header groups: (first column, columns, label).
    groups: Vec<(usize, usize, &'static str)>,
    rows: Vec<usize>,
    actions: &'a mut Vec<AuthorAction>,
}

/// Draws the grid in the space left; returns nothing, pushing the author's edits to `actions`.
pub fn raci_grid_ui(
    ui: &mut egui::Ui,
    doc: &AuthorDoc,
    focus_task: Option<usize>,
    actions: &mut Vec<AuthorAction>,
) {
    let matrix = doc.matrix();
    let roles_of =
        |kind: RoleKind| -> Vec<&Role> { matrix.roles.iter().filter(|r| r.kind == kind).collect() };
    let (inside, outside) = (roles_of(RoleKind::Internal), roles_of(RoleKind::External));
    let mut columns = vec![GridColumn::Task];
    columns.extend(inside.iter().chain(&outside).map(|r| role_column(r)));
    columns.push(GridColumn::Role {
        id: ASSET_OWNER,
        name: "The asset's owner (whoever owns the task's target)",
        short: "Asset owner",
    });
    columns.extend(
        FLAGS
            .iter()
            .map(|(flag, name)| GridColumn::Flag(*flag, name)),
    );
    let groups = vec![
        (0, 1, ""),
        (1, inside.len(), "Inside the organisation"),
        (1 + inside.len(), outside.len() + 1, "Outside"),
        (2 + inside.len() + outside.len(), FLAGS.len(), "Flags"),
    ];
    let rows = task_rows(doc);
    // A role's column is as wide as the longest word of its short name, so no name breaks
    // inside a word.
    let font = egui::TextStyle::Body.resolve(ui.style());
    let widest_word = |text: &str| {
        text.split_whitespace()
            .map(|word| {
                ui.painter()
                    .layout_no_wrap(word.to_owned(), font.clone(), egui::Color32::WHITE)
                    .size()
                    .x
            })
            .fold(0.0, f32::max)
    };
    let widths: Vec<Column> = columns
        .iter()
        .map(|c| match c {
            GridColumn::Task => Column::new(220.0).range(140.0..=400.0).resizable(true),
            GridColumn::Role { short, .. } => {
                // The range holds the width from the table's own first sizing pass, which
                // measures wrapped labels at their narrowest.
                let width = (widest_word(short) + 14.0).max(44.0);
                Column::new(width)
                    .range(width..=width * 3.0)
                    .resizable(true)
            }
            GridColumn::Flag(..) => Column::new(84.0).range(44.0..=140.0).resizable(true),
        })
        .collect();
    let header_groups = groups
        .iter()
        .filter(|(_, n, _)| *n > 0)
        .map(|(first, n, _)| *first..first + n)
        .collect();
    let row_height = ui.spacing().interact_size.y;
    let mut table = Table::new()
        .id_salt("raci-grid")
        .num_rows(rows.len() as u64)
        .columns(widths)
        .num_sticky_cols(1)
        .headers([
            HeaderRow {
                height: row_height,
                groups: header_groups,
            },
            HeaderRow::new(row_height * 1.6),
        ]);
    if let Some(row) = focus_task.and_then(|task| rows.iter().position(|&r| r == task)) {
        table = table.scroll_to_row(row as u64, Some(egui::Align::Center));
    }
    let mut grid = Grid {
        doc,
        columns,
        groups,
        rows,
        actions,
    };
    table.show(ui, &mut grid);
}

impl TableDelegate for Grid<'_> {
    fn header_cell_ui(&mut self, ui: &mut egui::Ui, cell: &HeaderCellInfo) {
        let inner = |ui: &mut egui::Ui, add: &mut dyn FnMut(&mut egui::Ui)| {
            egui::Frame::new()
                .inner_margin(egui::Margin::symmetric(4, 2))
                .show(ui, |ui| add(ui));
        };
        if cell.row_nr == 0 {
            let label = self
                .groups
                .iter()
                .filter(|(_, n, _)| *n > 0)
                .nth(cell.group_index)
                .map_or("", |g| g.2);
            inner(ui, &mut |ui| {
                ui.label(egui::RichText::new(label).strong());
            });
            return;
        }
        let Some(column) = self.columns.get(cell.col_range.start) else {
            return;
        };
        inner(ui, &mut |ui| match column {
            GridColumn::Task => {
                ui.label(egui::RichText::new("Task").strong());
            }
            GridColumn::Role { name, short, .. } => {
                ui.add(egui::Label::new(egui::RichText::new(*short).strong()).wrap())
                    .on_hover_text(*name);
            }
            GridColumn::Flag(_, name) => {
                ui.add(egui::Label::new(egui::RichText::new(*name).small()).wrap());
            }
        });
    }

    fn cell_ui(&mut self, ui: &mut egui::Ui, cell: &CellInfo) {
        let Some(&task_index) = self.rows.get(cell.row_nr as usize) else {
            return;
        };
        let Some(task) = self.doc.matrix().tasks.get(task_index) else {
            return;
        };
        if cell.row_nr % 2 == 1 {
            ui.painter()
                .rect_filled(ui.max_rect(), 0.0, ui.visuals().faint_bg_color);
        }
        match self.columns.get(cell.col_nr) {
            Some(GridColumn::Task) => {
                egui::Frame::new()
                    .inner_margin(egui::Margin::symmetric(4, 4))
                    .show(ui, |ui| {
                        ui.add(egui::Label::new(&task.name).truncate())
                            .on_hover_text(format!("{:?} · {}", task.phase, task.citation));
                    });
            }
            Some(GridColumn::Role { id, name, .. }) => {
                cell_button(ui, task_index, task, id, name, self.actions);
            }
            Some(GridColumn::Flag(flag, name)) => {
                let mut on = flag.of(task);
                ui.centered_and_justified(|ui| {
                    let response = ui
                        .checkbox(&mut on, "")
                        .on_hover_text(format!("{name}: {}", task.name));
                    if response.changed() {
                        self.actions.push(AuthorAction::SetFlag {
                            task: task_index,
                            flag: *flag,
                            on,
                        });
                    }
                });
            }
            None => {}
        }
    }

    fn default_row_height(&self) -> f32 {
        28.0
    }
}

/// One cell: its codes on a button coloured by the strongest; a click cycles, a right click picks.
fn cell_button(
    ui: &mut egui::Ui,
    task_index: usize,
    task: &TaskKind,
    role: &str,
    role_name: &str,
    actions: &mut Vec<AuthorAction>,
) {
    let codes = task.raci_codes(role);
    let palette = theme::palette(ui);
    let fill = if codes.contains('A') {
        palette.accent.gamma_multiply(0.55)
    } else if codes.contains('R') {
        palette.success.gamma_multiply(0.45)
    } else if codes.contains('S') {
        palette.warning.gamma_multiply(0.4)
    } else {
        egui::Color32::TRANSPARENT
    };
    let meaning = if codes.is_empty() {
        "no part".to_owned()
    } else {
        codes
            .split('/')
            .filter_map(|c| CODE_MEANINGS.iter().find(|(code, _)| *code == c))
            .map(|(_, m)| *m)
            .collect::<Vec<_>>()
            .join("; ")
    };
    let button = egui::Button::new(egui::RichText::new(&codes).strong())
        .fill(fill)
        .min_size(ui.available_size());
    let response = ui.add(button).on_hover_text(format!(
        "{role_name} · {}: {meaning}. Click for the next code, right-click to combine codes.",
        task.name
    ));
    if response.clicked() {
        actions.push(AuthorAction::CycleCell {
            task: task_index,
            role: role.to_owned(),
        });
    }
    response.context_menu(|ui| {
        let held: Vec<&str> = codes.split('/').filter(|c| !c.is_empty()).collect();
        for (code, meaning) in CODE_MEANINGS {
            let mut on = held.contains(&code);
            if ui
                .checkbox(&mut on, format!("{code} — {meaning}"))
                .changed()
            {
                let mut wanted: Vec<&str> = held.iter().copied().filter(|c| *c != code).collect();
                if on {
                    wanted.push(code);
                }
                actions.push(AuthorAction::SetCell {
                    task: task_index,
                    role: role.to_owned(),
                    codes: wanted.iter().map(|c| (*c).to_owned()).collect(),
                });
                ui.close();
            }
        }
        debug_assert!(CELL_CYCLE.len() == CODE_MEANINGS.len() + 1);
    });
}
