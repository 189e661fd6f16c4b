//! A whole plan as a workbook: the RACI sheet people edit, and beside it the rest of the matrix as
//! sheets to read (roles, severity levels, escalation rules, triggers, audiences, contacts,
//! reporting regimes, scoring) and a legend of the codes and of the matrix it came from.

use super::raci::{LEGEND_MATRIX, LEGEND_SHEET, Layout, RACI_SHEET, raci_table};
use super::workbook::{SheetOut, write_xlsx};
use crate::engine::model::id::RoleId;
use crate::engine::model::matrix::{Matrix, RoleKind};

/// The codes offered in every role cell's drop-down: each code and the combinations plans use.
const CELL_CHOICES: [&str; 12] = [
    "R", "A", "C", "I", "S", "S1", "A/R", "R/C", "R/I", "A/S", "C/S", "C/S1",
];

/// The matrix as an xlsx workbook; the same matrix always gives the same bytes.
pub fn export_workbook(matrix: &Matrix, layout: Layout) -> Result<Vec<u8>, String> {
    let mut sheets = vec![raci_sheet(matrix, layout)];
    sheets.extend(reference_sheets(matrix));
    sheets.push(legend(matrix));
    write_xlsx(&sheets)
}

fn raci_sheet(matrix: &Matrix, layout: Layout) -> SheetOut {
    let (header, rows) = raci_table(matrix, layout);
    let fixed = 3;
    let mut sheet = SheetOut {
        name: RACI_SHEET.into(),
        header,
        rows,
        frozen_columns: fixed as u16,
        ..SheetOut::default()
    };
    let mut widths = vec![12.0, 24.0, 36.0];
    match layout {
        Layout::Wide => {
            let internal = matrix
                .roles
                .iter()
                .filter(|r| r.kind == RoleKind::Internal)
                .count();
            let external = matrix.roles.len() - internal;
            // Column groups above the header: internal roles, external parties, the asset's owner.
            let mut groups = vec![String::new(); fixed + matrix.roles.len() + 1];
            if let Some(cell) = groups.get_mut(fixed) {
                "Internal roles".clone_into(cell);
            }
            if external > 0
                && let Some(cell) = groups.get_mut(fixed + internal)
            {
                "External parties".clone_into(cell);
            }
            if let Some(cell) = groups.get_mut(fixed + matrix.roles.len()) {
                "Per scenario".clone_into(cell);
            }
            sheet.banner = vec![groups];
            let last = fixed + matrix.roles.len();
            sheet.choices = Some((
                fixed as u16,
                last as u16,
                CELL_CHOICES.iter().map(|c| (*c).to_owned()).collect(),
            ));
            widths.extend(std::iter::repeat_n(9.0, matrix.roles.len() + 1));
        }
        Layout::Long => {
            sheet.choices = Some((
                fixed as u16 + 1,
                fixed as u16 + 1,
                CELL_CHOICES.iter().map(|c| (*c).to_owned()).collect(),
            ));
            widths.extend([28.0, 8.0]);
        }
    }
    widths.extend([10.0, 10.0, 10.0, 10.0, 10.0, 48.0]);
    sheet.widths = widths;
    sheet
}

fn names(matrix: &Matrix, roles: &[RoleId]) -> String {
    roles
        .iter()
        .map(|r| {
            matrix
                .role(r.as_str())
                .map_or(r.as_str(), |role| &role.name)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn yes(flag: bool) -> String {
    if flag { "yes".into() } else { String::new() }
}

fn table(name: &str, header: &[&str], rows: Vec<Vec<String>>, widths: &[f64]) -> SheetOut {
    SheetOut {
        name: name.into(),
        header: header.iter().map(|h| (*h).to_owned()).collect(),
        rows,
        frozen_columns: 1,
        widths: widths.to_vec(),
        ..SheetOut::default()
    }
}

fn reference_sheets(matrix: &Matrix) -> Vec<SheetOut> {
    let roles = table(
        "Roles",
        &[
            "Role id",
            "Name",
            "Short name",
            "Kind",
            "Mandate",
            "Decision rights",
            "Decides",
        ],
        matrix
            .roles
            .iter()
            .map(|r| {
                vec![
                    r.id.to_string(),
                    r.name.clone(),
                    r.short.clone(),
                    match r.kind {
                        RoleKind::Internal => "internal".into(),
                        RoleKind::External => "external".into(),
                    },
                    r.mandate.clone(),
                    r.decision_rights.join("; "),
                    r.decides
                        .iter()
                        .map(|t| {
                            matrix
                                .task(t.as_str())
                                .map_or_else(|| t.to_string(), |task| task.name.clone())
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                ]
            })
            .collect(),
        &[20.0, 32.0, 12.0, 10.0, 60.0, 48.0, 48.0],
    );
    let policy = &matrix.escalation;
    let severities = table(
        "Severity levels",
        &[
            "Level",
            "Name",
            "Description",
            "Engage",
            "Within (min)",
            "Informed within (min)",
            "Citation",
        ],
        policy
            .severities
            .iter()
            .map(|s| {
                vec![
                    s.level.to_string(),
                    s.name.clone(),
                    s.description.clone(),
                    names(matrix, &s.engage),
                    s.within_mins.to_string(),
                    s.informed_within_mins
                        .map_or_else(String::new, |m| m.to_string()),
                    s.citation.clone(),
                ]
            })
            .collect(),
        &[8.0, 16.0, 48.0, 40.0, 12.0, 12.0, 48.0],
    );
    let mut rule_rows: Vec<Vec<String>> = policy
        .rules
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                matrix
                    .triggers
                    .iter()
                    .find(|t| t.id == r.when)
                    .map_or_else(|| r.when.to_string(), |t| t.description.clone()),
                names(matrix, &r.engage),
                r.within_mins.to_string(),
                r.citation.clone(),
            ]
        })
        .collect();
    let over = &policy.over_escalation;
    rule_rows.push(vec![
        "over-escalation".into(),
        format!("severity below {}", over.below_severity),
        format!("do not engage {}", names(matrix, &over.roles)),
        String::new(),
        over.citation.clone(),
    ]);
    let escalation_rules = table(
        "Escalation rules",
        &["Rule id", "When", "Engage", "Within (min)", "Citation"],
        rule_rows,
        &[24.0, 48.0, 40.0, 12.0, 48.0],
    );
    let triggers = table(
        "Triggers",
        &["Trigger id", "Description"],
        matrix
            .triggers
            .iter()
            .map(|t| vec![t.id.to_string(), t.description.clone()])
            .collect(),
        &[28.0, 80.0],
    );
    let communication = &matrix.communication;
    let audiences = table(
        "Audiences",
        &[
            "Audience id",
            "Name",
            "External",
            "Senders",
            "Sign-off",
            "Members",
            "Never contains",
            "Citation",
        ],
        communication
            .audiences
            .iter()
            .map(|a| {
                vec![
                    a.id.to_string(),
                    a.name.clone(),
                    yes(a.external),
                    names(matrix, &a.senders),
                    names(matrix, &a.approvals),
                    names(matrix, &a.members),
                    a.forbidden
                        .iter()
                        .map(|c| c.label())
                        .collect::<Vec<_>>()
                        .join(", "),
                    a.citation.clone(),
                ]
            })
            .collect(),
        &[20.0, 28.0, 9.0, 36.0, 28.0, 36.0, 36.0, 48.0],
    );
    let contacts = table(
        "Contacts",
        &["Party", "Contacted by", "Only after", "Citation"],
        communication
            .contacts
            .iter()
            .map(|c| {
                vec![
                    names(matrix, std::slice::from_ref(&c.party)),
                    names(matrix, &c.by),
                    names(matrix, &c.after),
                    c.citation.clone(),
                ]
            })
            .collect(),
        &[28.0, 36.0, 36.0, 48.0],
    );
    let regimes = table(
        "Reporting regimes",
        &[
            "Regime id",
            "Name",
            "Recipient",
            "Clock starts",
            "Stages",
            "Citation",
        ],
        matrix
            .regimes
            .iter()
            .map(|r| {
                vec![
                    r.id.to_string(),
                    r.name.clone(),
                    r.recipient.clone(),
                    r.clock_starts.clone(),
                    r.stages
                        .iter()
                        .map(|s| {
                            let from = if s.after_previous {
                                "after the stage before"
                            } else {
                                "from the start"
                            };
                            format!("{}: {} {from}", s.name, s.within.label())
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                    r.citation.clone(),
                ]
            })
            .collect(),
        &[16.0, 28.0, 28.0, 36.0, 60.0, 48.0],
    );
    vec![
        roles,
        severities,
        escalation_rules,
        triggers,
        audiences,
        contacts,
        regimes,
        scoring(matrix),
    ]
}

/// Weights and penalties, one per row, under the names the matrix file gives them.
fn scoring(matrix: &Matrix) -> SheetOut {
    let mut rows = Vec::new();
    for (group, value) in [
        (
            "weight",
            serde_json::to_value(&matrix.scoring.weights).unwrap_or_default(),
        ),
        (
            "penalty",
            serde_json::to_value(&matrix.scoring.penalties).unwrap_or_default(),
        ),
    ] {
        if let Some(fields) = value.as_object() {
            for (name, points) in fields {
                rows.push(vec![group.to_owned(), name.clone(), points.to_string()]);
            }
        }
    }
    rows.push(vec![
        "floor".into(),
        "mistake_floor".into(),
        matrix.scoring.mistake_floor.to_string(),
    ]);
    table(
        "Scoring",
        &["Kind", "Name", "Points"],
        rows,
        &[10.0, 28.0, 10.0],
    )
}

fn legend(matrix: &Matrix) -> SheetOut {
    let rows = [
        (LEGEND_MATRIX, matrix.id.clone()),
        ("Matrix", matrix.name.clone()),
        ("Fingerprint", fingerprint(matrix)),
        (
            "Exported by",
            format!("Warroom {}", env!("CARGO_PKG_VERSION")),
        ),
        ("R", "Responsible: does the work".into()),
        (
            "A",
            "Accountable: answers for the outcome (one per task)".into(),
        ),
        ("C", "Consulted before the work".into()),
        ("I", "Informed of it".into()),
        ("S", "Must sign off before the work".into()),
        ("S1", "One of several who may sign off".into()),
        (
            "A/R",
            "Codes combine with a slash: Accountable and also Responsible".into(),
        ),
        (
            "Only the RACI sheet is read back",
            "warroom import raci applies it to a matrix (--base); the other sheets are for reading"
                .into(),
        ),
    ];
    table(
        LEGEND_SHEET,
        &["Key", "Meaning"],
        rows.into_iter()
            .map(|(k, v)| vec![k.to_owned(), v])
            .collect(),
        &[32.0, 80.0],
    )
}

/// A short, stable digest of the whole matrix: two exports of the same plan have the same one.
fn fingerprint(matrix: &Matrix) -> String {
    let text = serde_json::to_string(matrix).unwrap_or_default();
    // FNV-1a: stable across builds and platforms, which std's hasher does not promise.
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}
