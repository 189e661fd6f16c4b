//! The hotwash: right after a facilitated exercise, the facilitator walks the room through each
//! role in turn and records what went well and what to improve. The exercise's own findings and
//! the observer notes about that role are shown as prompts. Every point is saved as it is added.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::widgets::{badge, nothing_to_show_ui, notice_ui, root_ui};
use crate::app::exercise::{ActiveExercise, FinalScorecard};
use crate::app::flow::Screen;
use crate::app::messages::{CommandWriter, FacilitatorCommand, Navigate, UiCommand};
use crate::app::notice::Notice;
use crate::app::theme;
use crate::engine::Session;
use crate::engine::exercise::{ExerciseRecord, HotwashEntry, HotwashList};
use crate::engine::model::id::RoleId;
use crate::engine::scoring::{FindingKind, Scorecard};

/// One role's page of the hotwash.
#[derive(Clone, Debug, PartialEq)]
pub struct RolePrompts {
    /// The role.
    pub role: RoleId,
    /// Its name.
    pub name: String,
    /// People who played it.
    pub people: Vec<String>,
    /// What the scorecard credited to it.
    pub went_well: Vec<String>,
    /// What the scorecard deducted from it.
    pub went_badly: Vec<String>,
    /// Observer notes about it.
    pub notes: Vec<String>,
    /// The scenario's questions for it, of the injects the room reached.
    pub discuss: Vec<String>,
}

/// The prompts for every role worth discussing: the scenario's cast, then any other role that was
/// played, engaged, graded or noted.
pub fn role_prompts(
    session: &Session,
    card: &Scorecard,
    record: &ExerciseRecord,
) -> Vec<RolePrompts> {
    let mut roles: Vec<RoleId> = session.scenario().cast.clone();
    let others = record
        .participants
        .iter()
        .map(|p| &p.role)
        .chain(session.engaged().keys())
        .chain(card.findings.iter().filter_map(|f| f.role.as_ref()))
        .chain(record.notes.iter().filter_map(|n| n.role.as_ref()));
    for role in others {
        if !roles.contains(role) {
            roles.push(role.clone());
        }
    }
    roles
        .into_iter()
        .map(|role| {
            let messages = |kind: FindingKind| {
                card.findings
                    .iter()
                    .filter(|f| f.kind == kind && f.role.as_ref() == Some(&role))
                    .map(|f| f.message.clone())
                    .collect()
            };
            RolePrompts {
                name: session.matrix().role_name(role.as_str()).to_owned(),
                people: record
                    .people_in(&role)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
                went_well: messages(FindingKind::Credit),
                went_badly: messages(FindingKind::Deduction),
                notes: record
                    .notes
                    .iter()
                    .filter(|n| n.role.as_ref() == Some(&role))
                    .map(|n| format!("T+{:02} {}", n.minute, n.text))
                    .collect(),
                discuss: session
                    .scenario()
                    .discussion
                    .iter()
                    .filter(|d| d.is_for(&role) && session.released_at(d.after.as_str()).is_some())
                    .map(|d| d.prompt.clone())
                    .collect(),
                role,
            }
        })
        .collect()
}

/// Which role is on screen and the points being typed.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct HotwashState {
    /// Position in the role list.
    pub selected: usize,
    /// Strength being typed.
    pub strength: String,
    /// Improvement being typed.
    pub improvement: String,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<HotwashState>()
        .add_systems(OnEnter(Screen::Hotwash), |mut s: ResMut<HotwashState>| {
            *s = HotwashState::default();
        })
        .add_systems(
            EguiPrimaryContextPass,
            hotwash_system.run_if(in_state(Screen::Hotwash)),
        );
}

fn hotwash_system(
    mut contexts: EguiContexts,
    active: Option<Res<ActiveExercise>>,
    card: Option<Res<FinalScorecard>>,
    notice: Res<Notice>,
    mut state: ResMut<HotwashState>,
    mut writer: CommandWriter,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx, "hotwash");
    let (Some(active), Some(card)) = (active, card) else {
        let commands = nothing_to_show_ui(&mut ui, "No finished exercise for a hotwash");
        writer.send_all(commands);
        return Ok(());
    };
    // Cheap (a few roles over a few dozen findings), and the screen redraws only on input.
    let record = active.record();
    let prompts = role_prompts(active.session(), &card.0, record);
    let title = &active.session().scenario().title;
    let commands = egui::CentralPanel::default()
        .show(&mut ui, |ui| {
            hotwash_ui(ui, title, &prompts, &record.hotwash, &notice, &mut state)
        })
        .inner;
    writer.send_all(commands);
    Ok(())
}

fn points_of<'h>(hotwash: &'h [HotwashEntry], role: &RoleId) -> Option<&'h HotwashEntry> {
    hotwash.iter().find(|h| &h.role == role)
}

/// The hotwash view: the role list on the left, the selected role's prompts and points.
pub fn hotwash_ui(
    ui: &mut egui::Ui,
    title: &str,
    prompts: &[RolePrompts],
    hotwash: &[HotwashEntry],
    notice: &Notice,
    state: &mut HotwashState,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!("Hotwash — {title}"));
        if ui.button("Continue to the debrief").clicked() {
            out.push(Navigate::GoTo(Screen::Debrief).into());
        }
    });
    ui.label("Go round the table, one role at a time: what went well, and what should be done differently next time? Each point is saved as you add it and goes into the after-action report.");
    notice_ui(ui, notice);
    ui.separator();
    if prompts.is_empty() {
        ui.label("No roles took part.");
        return out;
    }
    state.selected = state.selected.min(prompts.len() - 1);

    egui::Panel::left("hotwash-roles")
        .resizable(false)
        .exact_size((ui.available_width() * 0.3).clamp(140.0, 250.0))
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                for (index, p) in prompts.iter().enumerate() {
                    let counts = points_of(hotwash, &p.role)
                        .map_or((0, 0), |h| (h.strengths.len(), h.improvements.len()));
                    let selected = state.selected == index;
                    let visuals = ui.visuals();
                    let (main, weak) = if selected {
                        let on_accent = visuals.selection.stroke.color;
                        (on_accent, on_accent.gamma_multiply(0.8))
                    } else {
                        (visuals.text_color(), visuals.weak_text_color())
                    };
                    let mut label = egui::text::LayoutJob::default();
                    label.append(
                        &p.name,
                        0.0,
                        egui::TextFormat {
                            font_id: egui::TextStyle::Body.resolve(ui.style()),
                            color: main,
                            ..Default::default()
                        },
                    );
                    label.append(
                        &format!(
                            "\n{} strength{} · {} to improve",
                            counts.0,
                            if counts.0 == 1 { "" } else { "s" },
                            counts.1
                        ),
                        0.0,
                        egui::TextFormat {
                            font_id: egui::FontId::proportional(12.0),
                            color: weak,
                            ..Default::default()
                        },
                    );
                    if ui
                        .selectable_label(state.selected == index, label)
                        .clicked()
                    {
                        state.selected = index;
                    }
                }
            });
        });
    let Some(role) = prompts.get(state.selected) else {
        return out;
    };
    egui::ScrollArea::vertical()
        .id_salt("hotwash-role")
        .auto_shrink(false)
        .show(ui, |ui| {
            out.extend(role_page_ui(
                ui,
                role,
                points_of(hotwash, &role.role),
                state,
            ));
            ui.add_space(theme::GAP);
            ui.horizontal_wrapped(|ui| {
                if ui
                    .add_enabled(state.selected > 0, egui::Button::new("Previous role"))
                    .clicked()
                {
                    state.selected -= 1;
                }
                ui.label(format!("Role {} of {}", state.selected + 1, prompts.len()));
                if ui
                    .add_enabled(
                        state.selected + 1 < prompts.len(),
                        egui::Button::new("Next role"),
                    )
                    .clicked()
                {
                    state.selected += 1;
                }
            });
        });
    out
}

fn role_page_ui(
    ui: &mut egui::Ui,
    role: &RolePrompts,
    points: Option<&HotwashEntry>,
    state: &mut HotwashState,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    ui.horizontal_wrapped(|ui| {
        ui.heading(&role.name);
        if role.people.is_empty() {
            badge(ui, "nobody in this role", egui::Color32::GRAY);
        } else {
            badge(ui, &role.people.join(", "), theme::palette(ui).accent);
        }
    });
    egui::CollapsingHeader::new("Prompts from the exercise")
        .default_open(true)
        .show(ui, |ui| {
            let list = |ui: &mut egui::Ui, heading: &str, items: &[String], color| {
                if items.is_empty() {
                    return;
                }
                ui.label(egui::RichText::new(heading).strong().color(color));
                for item in items.iter().take(4) {
                    ui.label(format!("• {item}"));
                }
            };
            list(
                ui,
                "Credited by the matrix",
                &role.went_well,
                theme::palette(ui).success,
            );
            list(
                ui,
                "Deducted by the matrix",
                &role.went_badly,
                theme::palette(ui).danger,
            );
            list(ui, "Observer notes", &role.notes, theme::palette(ui).accent);
            list(
                ui,
                "Questions to discuss",
                &role.discuss,
                theme::palette(ui).accent,
            );
            if role.went_well.is_empty()
                && role.went_badly.is_empty()
                && role.notes.is_empty()
                && role.discuss.is_empty()
            {
                ui.label("Nothing was graded or noted for this role; ask the room.");
            }
        });
    ui.add_space(theme::GAP);
    // Side by side where there is room, one under the other where not.
    let columns = if ui.available_width() >= 480.0 { 2 } else { 1 };
    ui.columns(columns, |columns| {
        for (i, list) in [HotwashList::Strengths, HotwashList::Improvements]
            .into_iter()
            .enumerate()
        {
            let column = &mut columns[i % columns.len()];
            let items = points.map_or(&[][..], |p| p.list(list));
            let (heading, question, draft, button) = match list {
                HotwashList::Strengths => (
                    "Strengths",
                    "What went well?",
                    &mut state.strength,
                    "Add strength",
                ),
                HotwashList::Improvements => (
                    "Areas for improvement",
                    "What should change?",
                    &mut state.improvement,
                    "Add improvement",
                ),
            };
            column.heading(heading);
            for (index, item) in items.iter().enumerate() {
                column.horizontal_wrapped(|ui| {
                    if ui.small_button("Remove").clicked() {
                        out.push(UiCommand::Facilitate(FacilitatorCommand::HotwashRemove {
                            role: role.role.clone(),
                            list,
                            index,
                        }));
                    }
                    ui.label(item);
                });
            }
            let label = column.label(question);
            let edit = column
                .add(egui::TextEdit::singleline(draft).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            let entered = edit.lost_focus() && column.input(|i| i.key_pressed(egui::Key::Enter));
            let ready = !draft.trim().is_empty();
            if (column
                .add_enabled(ready, egui::Button::new(button))
                .clicked()
                || entered)
                && ready
            {
                out.push(UiCommand::Facilitate(FacilitatorCommand::HotwashAdd {
                    role: role.role.clone(),
                    list,
                    text: std::mem::take(draft),
                }));
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;
    use crate::app::testing::ransomware_session;
    use crate::engine::Intent;
    use crate::engine::exercise::ObserverNote;
    use crate::engine::model::scenario::Mode;
    use crate::engine::scoring::score;

    struct Page {
        prompts: Vec<RolePrompts>,
        points: Vec<HotwashEntry>,
        state: HotwashState,
        out: Vec<UiCommand>,
    }

    fn page() -> Page {
        let mut session = ransomware_session(4);
        session
            .apply(Intent::AssignAction {
                action: "triage-fs01".into(),
                role: "soc".into(),
            })
            .unwrap();
        session.apply(Intent::EndExercise).unwrap();
        let mut record = ExerciseRecord::new("t", Mode::Facilitated, 0, &session);
        record
            .put_in_role("Dana", "soc".into(), session.matrix())
            .unwrap();
        record
            .add_note(ObserverNote {
                minute: 1,
                role: Some("soc".into()),
                dimension: None,
                text: "Triaged at once".into(),
                after_intents: None,
            })
            .unwrap();
        record
            .add_hotwash_item("soc".into(), HotwashList::Strengths, "Quick triage")
            .unwrap();
        let prompts = role_prompts(&session, &score(&session), &record);
        Page {
            prompts,
            points: record.hotwash,
            state: HotwashState::default(),
            out: Vec::new(),
        }
    }

    fn harness(h: Page) -> Harness<'static, Page> {
        Harness::builder()
            .with_size(egui::vec2(1280.0, 900.0))
            .build_ui_state(
                |ui, h: &mut Page| {
                    let out = hotwash_ui(
                        ui,
                        "Ransomware",
                        &h.prompts,
                        &h.points,
                        &Notice::default(),
                        &mut h.state,
                    );
                    h.out.extend(out);
                },
                h,
            )
    }

    #[test]
    fn a_role_page_asks_the_scenarios_questions_for_that_role_once_their_inject_was_in() {
        let h = page();
        // Ended at T+00: only the opening question, which is for everyone, was reached.
        let legal = h
            .prompts
            .iter()
            .find(|p| p.role.as_str() == "legal")
            .unwrap();
        assert_eq!(legal.discuss.len(), 1, "{:?}", legal.discuss);
        assert!(legal.discuss[0].starts_with("What must happen in the next ten minutes"));
        let mut harness = harness(h);
        let legal_page = harness
            .state()
            .prompts
            .iter()
            .position(|p| p.role.as_str() == "legal")
            .unwrap();
        harness.state_mut().state.selected = legal_page;
        harness.run();
        harness.get_by_label("Questions to discuss");
        harness.get_by_label_contains("What must happen in the next ten minutes");
    }

    #[test]
    fn every_cast_role_gets_a_page_with_its_findings_and_notes() {
        let h = page();
        let soc = &h.prompts[0];
        assert_eq!(soc.role.as_str(), "soc");
        assert_eq!(soc.people, ["Dana"]);
        assert_eq!(soc.notes, ["T+01 Triaged at once"]);
        assert!(
            soc.went_well
                .iter()
                .any(|m| m.contains("Triage the EDR alert"))
        );
        // Roles of the cast with nothing recorded still get a page, so the room can speak.
        assert!(h.prompts.iter().any(|p| p.role.as_str() == "legal"));
        let ui = harness(h);
        ui.get_by_label("Dana");
        ui.get_by_label("Quick triage");
        assert!(
            ui.query_all_by_label_contains("Triaged at once")
                .next()
                .is_some()
        );
    }

    #[test]
    fn points_are_added_and_removed_per_role_and_roles_are_walked_in_turn() {
        let mut ui = harness(page());
        ui.get_by_label("What should change?").focus();
        ui.get_by_label("What should change?")
            .type_text("Image before isolating");
        ui.run();
        ui.get_by_label("Add improvement").click();
        ui.run();
        ui.get_by_label("Remove").click();
        ui.run();
        ui.get_by_label("Next role").click();
        ui.run();
        assert_eq!(ui.state().state.selected, 1);
        assert_eq!(
            ui.state().out,
            [
                UiCommand::Facilitate(FacilitatorCommand::HotwashAdd {
                    role: "soc".into(),
                    list: HotwashList::Improvements,
                    text: "Image before isolating".into(),
                }),
                UiCommand::Facilitate(FacilitatorCommand::HotwashRemove {
                    role: "soc".into(),
                    list: HotwashList::Strengths,
                    index: 0,
                }),
            ]
        );
        ui.get_by_label("Continue to the debrief").click();
        ui.run();
        assert_eq!(
            ui.state().out.last(),
            Some(&UiCommand::Navigate(Navigate::GoTo(Screen::Debrief)))
        );
    }

    #[test]
    fn the_hotwash_fits_every_window_and_scale() {
        use crate::app::screens::fits::{as_opened, panel_misfits};
        let failures = panel_misfits(
            page,
            |ui, h: &mut Page| {
                hotwash_ui(
                    ui,
                    "Ransomware on the operations file server",
                    &h.prompts,
                    &h.points,
                    &Notice::default(),
                    &mut h.state,
                );
            },
            &as_opened(),
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
