//! The play screen: the inject feed, the clock, and the panels where the player decides who acts,
//! hands off, escalates, communicates and approves. The board is drawn by Bevy in the middle.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use bevy::prelude::*;
use bevy::winit::{UpdateMode, WinitSettings};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::console::{self, ConsoleState};
use super::{badge, nothing_to_show_ui, root_ui, send};
use crate::app::Screen;
use crate::app::board::BoardViewport;
use crate::app::commands::FacilitatorCommand;
use crate::app::commands::{AppCommand, UiCommand};
use crate::app::facilitation::ProjectorState;
use crate::app::persistence::SavedExercise;
use crate::app::session::{ActiveSession, LastOutcome, ScenarioClock};
use crate::app::theme;
use crate::engine::exercise::ExerciseRecord;
use crate::engine::exercise::{RoomInject, room_feed};
use crate::engine::id::{ActionId, ArtifactId, AudienceId, MessageId, RoleId};
use crate::engine::scenario::Mode;
use crate::engine::scoring::{Finding, FindingKind};
use crate::engine::{Handoff, Intent, Session, Urgency};

/// Tabs of the action panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PlayTab {
    /// Decision points and severity.
    #[default]
    Decide,
    /// Handoff composer.
    Handoff,
    /// Escalation dialog.
    Escalate,
    /// Communication composer.
    Communicate,
    /// Approval requests.
    Approvals,
}

impl PlayTab {
    const ALL: [Self; 5] = [
        Self::Decide,
        Self::Handoff,
        Self::Escalate,
        Self::Communicate,
        Self::Approvals,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Decide => "Decide",
            Self::Handoff => "Hand off",
            Self::Escalate => "Escalate",
            Self::Communicate => "Communicate",
            Self::Approvals => "Approvals",
        }
    }
}

/// A handoff being written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HandoffDraft {
    /// From.
    pub from: Option<RoleId>,
    /// To.
    pub to: Option<RoleId>,
    /// What was observed.
    pub observed: String,
    /// Supporting artifacts.
    pub evidence: BTreeSet<ArtifactId>,
    /// Actions already taken.
    pub actions_taken: BTreeSet<ActionId>,
    /// Recommended actions.
    pub recommended: BTreeSet<ActionId>,
    /// Urgency.
    pub urgency: Option<Urgency>,
}

impl HandoffDraft {
    /// The five elements and whether each is filled in.
    pub fn checklist(&self) -> [(&'static str, bool); 5] {
        [
            (
                "What was observed",
                self.observed.trim().chars().count() >= 12,
            ),
            ("Supporting evidence", !self.evidence.is_empty()),
            ("Actions already taken", !self.actions_taken.is_empty()),
            ("Recommended actions", !self.recommended.is_empty()),
            ("Urgency", self.urgency.is_some()),
        ]
    }

    /// The intent, once both roles are chosen and differ.
    pub fn to_intent(&self) -> Option<Intent> {
        let (from, to) = (self.from.clone()?, self.to.clone()?);
        (from != to).then(|| {
            Intent::Handoff(Handoff {
                from,
                to,
                observed: self.observed.trim().to_owned(),
                evidence: self.evidence.iter().cloned().collect(),
                actions_taken: self.actions_taken.iter().cloned().collect(),
                recommended: self.recommended.iter().cloned().collect(),
                urgency: self.urgency,
            })
        })
    }
}

/// An escalation being prepared.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EscalationDraft {
    /// Who escalates.
    pub from: Option<RoleId>,
    /// Who is engaged.
    pub to: BTreeSet<RoleId>,
    /// Why.
    pub reason: String,
}

/// A message being prepared.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageDraft {
    /// Audience.
    pub audience: Option<AudienceId>,
    /// Sender.
    pub sender: Option<RoleId>,
    /// Message.
    pub message: Option<MessageId>,
    /// Approvals obtained.
    pub approvals: BTreeSet<RoleId>,
}

/// An approval request being prepared.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApprovalDraft {
    /// For which action.
    pub action: Option<ActionId>,
    /// Who asks.
    pub requested_by: Option<RoleId>,
    /// Who approves.
    pub approver: Option<RoleId>,
}

/// Everything the play screen's panels remember between frames.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct PlayUiState {
    /// Selected tab.
    pub tab: PlayTab,
    /// Role chosen for each offered action.
    pub assign: BTreeMap<ActionId, RoleId>,
    /// Severity to classify.
    pub classify_level: u8,
    /// Who classifies / declares.
    pub classify_by: Option<RoleId>,
    /// Handoff composer.
    pub handoff: HandoffDraft,
    /// Escalation dialog.
    pub escalation: EscalationDraft,
    /// Communication composer.
    pub message: MessageDraft,
    /// Approval request.
    pub approval: ApprovalDraft,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<PlayUiState>()
        .init_resource::<ConsoleState>()
        .init_resource::<ClockWakeups>()
        .add_systems(OnEnter(Screen::Play), reset_state)
        .add_systems(OnExit(Screen::Play), restore_idle_redraw)
        .add_systems(
            EguiPrimaryContextPass,
            play_system.run_if(in_state(Screen::Play)),
        );
}

fn reset_state(mut state: ResMut<PlayUiState>, mut console: ResMut<ConsoleState>) {
    *state = PlayUiState::default();
    *console = ConsoleState::default();
}

/// Whether the window is currently set to wake for the drill clock.
#[derive(Resource, Debug, Default)]
pub struct ClockWakeups(bool);

fn restore_idle_redraw(mut winit: ResMut<WinitSettings>, mut clock_wakeups: ResMut<ClockWakeups>) {
    *winit = WinitSettings::desktop_app();
    clock_wakeups.0 = false;
}

/// What the console adds to the play screen in facilitated mode.
#[derive(bevy::ecs::system::SystemParam)]
struct FacilitationParams<'w> {
    saved: Res<'w, SavedExercise>,
    projector: Res<'w, ProjectorState>,
    console: ResMut<'w, ConsoleState>,
}

fn play_system(
    mut contexts: EguiContexts,
    active: Option<Res<ActiveSession>>,
    clock: Res<ScenarioClock>,
    outcome: Res<LastOutcome>,
    mut state: ResMut<PlayUiState>,
    mut viewport: ResMut<BoardViewport>,
    mut winit: ResMut<WinitSettings>,
    mut clock_wakeups: ResMut<ClockWakeups>,
    mut writer: MessageWriter<AppCommand>,
    mut facilitation: FacilitationParams,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx, "play");
    let Some(active) = active else {
        let commands = nothing_to_show_ui(&mut ui, "No scenario is running");
        send(&mut writer, commands);
        return Ok(());
    };
    let session = &active.session;
    let mut commands = Vec::new();

    if active.mode == Mode::Facilitated {
        let fallback;
        let record = if let Some(record) = &facilitation.saved.record {
            record
        } else {
            fallback = ExerciseRecord::new("unsaved", active.mode, 0, session);
            &fallback
        };
        let console = &mut *facilitation.console;
        egui::Panel::top("play-top").show(&mut ui, |ui| {
            commands.extend(clock_bar_ui(ui, session, active.mode, &clock));
            commands.extend(console::room_bar_ui(
                ui,
                session,
                &clock,
                *facilitation.projector,
            ));
        });
        egui::Panel::left("console-left")
            .resizable(true)
            .default_size(340.0)
            .min_size(260.0)
            .show(&mut ui, |ui| {
                commands.extend(console::left_ui(ui, session, record, console));
            });
        egui::Panel::right("console-right")
            .resizable(true)
            .default_size(440.0)
            .min_size(340.0)
            .show(&mut ui, |ui| {
                commands.extend(console::right_ui(
                    ui, session, record, console, &mut state, &outcome,
                ));
            });
    } else {
        egui::Panel::top("play-top").show(&mut ui, |ui| {
            commands.extend(clock_bar_ui(ui, session, active.mode, &clock));
        });
        egui::Panel::left("play-feed")
            .resizable(true)
            .default_size(330.0)
            .min_size(240.0)
            .show(&mut ui, |ui| feed_ui(ui, &room_feed(session, &[])));
        egui::Panel::right("play-actions")
            .resizable(true)
            .default_size(430.0)
            .min_size(340.0)
            .show(&mut ui, |ui| {
                commands.extend(actions_ui(ui, session, &mut state));
                ui.separator();
                outcome_ui(ui, &outcome, active.mode);
            });
    }
    let central = ui.available_rect_before_wrap();
    viewport.rect = Some(central);
    viewport.pixels_per_point = ctx.pixels_per_point();

    // Keyboard: Space runs/pauses a real-time clock, N advances a minute in practice, B blanks the
    // projector.
    if !ctx.egui_wants_keyboard_input() {
        if active.mode == Mode::Facilitated
            && facilitation.projector.open
            && ctx.input(|i| i.key_pressed(egui::Key::B))
        {
            commands.push(UiCommand::Facilitate(FacilitatorCommand::BlankProjector(
                !facilitation.projector.blank,
            )));
        }
        if active.mode != Mode::Practice && ctx.input(|i| i.key_pressed(egui::Key::Space)) {
            commands.push(UiCommand::SetClockRunning(!clock.running));
        }
        if active.mode == Mode::Practice && ctx.input(|i| i.key_pressed(egui::Key::N)) {
            commands.push(UiCommand::Intent(Intent::Advance { minutes: 1 }));
        }
    }

    // Wake up for the running clock only; otherwise redraw on input. Switch only on a change of
    // state, so the resource is not rewritten every frame.
    let ticking = clock.running && !session.ended();
    if clock_wakeups.0 != ticking {
        clock_wakeups.0 = ticking;
        *winit = if ticking {
            WinitSettings {
                focused_mode: UpdateMode::reactive(Duration::from_millis(250)),
                unfocused_mode: UpdateMode::reactive(Duration::from_millis(250)),
            }
        } else {
            WinitSettings::desktop_app()
        };
    }
    send(&mut writer, commands);
    Ok(())
}

/// Title, clock, severity and impact, and the clock controls.
pub fn clock_bar_ui(
    ui: &mut egui::Ui,
    session: &Session,
    mode: Mode,
    clock: &ScenarioClock,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let scenario = session.scenario();
    let matrix = session.matrix();
    ui.horizontal(|ui| {
        ui.heading(&scenario.title);
        badge(ui, mode.label(), theme::ACCENT);
        ui.add_space(theme::GAP * 2.0);
        ui.label(
            egui::RichText::new(format!(
                "T+{:02} / {} min",
                session.minute(),
                scenario.duration_mins
            ))
            .monospace()
            .size(20.0),
        );
        let level = session.severity();
        let name = matrix.severity(level).map_or("?", |s| s.name.as_str());
        badge(
            ui,
            &format!("Severity {level} · {name}"),
            theme::severity_color(level, matrix.max_severity()),
        );
        badge(
            ui,
            &format!("Business impact {}%", session.business_impact()),
            theme::WARNING,
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("End exercise")
                .on_hover_text("Stop now and see the debrief")
                .clicked()
            {
                out.push(UiCommand::Intent(Intent::EndExercise));
            }
            ui.separator();
            // The facilitator's clock controls live in the console's second row.
            if mode != Mode::Facilitated {
                ui.horizontal(|ui| out.extend(clock_controls_ui(ui, session, mode, clock)));
            }
        });
    });
    out
}

/// Start/pause and speed of a running clock (drill, facilitated), and manual jumps (practice,
/// facilitated), left to right.
pub fn clock_controls_ui(
    ui: &mut egui::Ui,
    session: &Session,
    mode: Mode,
    clock: &ScenarioClock,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    if mode != Mode::Practice {
        let fresh = session.minute() == 0 && clock.elapsed_secs == 0.0;
        let label = match (clock.running, fresh) {
            (true, _) => "Pause clock",
            (false, true) => "Start clock",
            (false, false) => "Resume clock",
        };
        if ui.button(label).on_hover_text("Space").clicked() {
            out.push(UiCommand::SetClockRunning(!clock.running));
        }
        let mut speed = clock.speed;
        egui::ComboBox::from_id_salt("clock-speed")
            .selected_text(format!("{speed}×"))
            .width(60.0)
            .show_ui(ui, |ui| {
                for s in [0.5, 1.0, 2.0, 4.0, 8.0] {
                    ui.selectable_value(&mut speed, s, format!("{s}×"));
                }
            });
        if (speed - clock.speed).abs() > f32::EPSILON {
            out.push(UiCommand::SetClockSpeed(speed));
        }
        if clock.running {
            ui.label(format!(
                "next minute in {:.0}s",
                clock.secs_to_next_minute().ceil()
            ));
        }
    }
    if mode != Mode::Drill {
        let hint = if mode == Mode::Practice {
            "N"
        } else {
            "Jump the clock one minute"
        };
        if ui.button("+1 min").on_hover_text(hint).clicked() {
            out.push(UiCommand::Intent(Intent::Advance { minutes: 1 }));
        }
        if ui.button("+5 min").clicked() {
            out.push(UiCommand::Intent(Intent::Advance { minutes: 5 }));
        }
    }
    out
}

/// The inject feed, newest first, with artifacts; ad-hoc injects are marked as such.
pub fn feed_ui(ui: &mut egui::Ui, feed: &[RoomInject]) {
    ui.heading("Inject feed");
    egui::ScrollArea::vertical()
        .id_salt("feed-scroll")
        .auto_shrink(false)
        .show(ui, |ui| {
            for (index, inject) in feed.iter().enumerate().rev() {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal_wrapped(|ui| {
                        ui.label(
                            egui::RichText::new(format!("T+{:02}", inject.minute))
                                .monospace()
                                .weak(),
                        );
                        ui.label(egui::RichText::new(&inject.title).strong());
                        if inject.adhoc {
                            badge(ui, "ad-hoc", theme::WARNING);
                        }
                    });
                    ui.label(&inject.narrative);
                    for (n, artifact) in inject.artifacts.iter().enumerate() {
                        egui::CollapsingHeader::new(format!(
                            "{}: {}",
                            artifact.kind.label(),
                            artifact.title
                        ))
                        .id_salt(("artifact", index, n))
                        .default_open(true)
                        .show(ui, |ui| {
                            ui.label(egui::RichText::new(&artifact.body).monospace());
                        });
                    }
                });
            }
        });
}

/// Roles to offer: the scenario's cast first, then everyone else.
pub(super) fn roles(session: &Session) -> Vec<(RoleId, String)> {
    let matrix = session.matrix();
    let cast = &session.scenario().cast;
    let mut out: Vec<(RoleId, String)> = cast
        .iter()
        .filter_map(|id| {
            matrix
                .role(id.as_str())
                .map(|r| (r.id.clone(), r.name.clone()))
        })
        .collect();
    for role in &matrix.roles {
        if !cast.contains(&role.id) {
            out.push((role.id.clone(), role.name.clone()));
        }
    }
    out
}

fn role_combo(
    ui: &mut egui::Ui,
    id_salt: &str,
    choice: &mut Option<RoleId>,
    roles: &[(RoleId, String)],
    placeholder: &str,
) {
    let selected = choice
        .as_ref()
        .and_then(|c| roles.iter().find(|(id, _)| id == c))
        .map_or(placeholder, |(_, name)| name.as_str());
    egui::ComboBox::from_id_salt(id_salt)
        .selected_text(selected)
        .width(220.0)
        .show_ui(ui, |ui| {
            for (id, name) in roles {
                ui.selectable_value(choice, Some(id.clone()), name);
            }
        });
}

/// The tabbed action panel.
pub fn actions_ui(ui: &mut egui::Ui, session: &Session, state: &mut PlayUiState) -> Vec<UiCommand> {
    ui.horizontal(|ui| {
        for tab in PlayTab::ALL {
            ui.selectable_value(&mut state.tab, tab, tab.label());
        }
    });
    ui.separator();
    let height = (ui.available_height() * 0.62).max(240.0);
    let mut out = Vec::new();
    egui::ScrollArea::vertical()
        .id_salt("actions-scroll")
        .max_height(height)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            let intent = match state.tab {
                PlayTab::Decide => {
                    out.extend(decide_ui(ui, session, state));
                    None
                }
                PlayTab::Handoff => handoff_ui(ui, session, &mut state.handoff),
                PlayTab::Escalate => escalate_ui(ui, session, &mut state.escalation),
                PlayTab::Communicate => communicate_ui(ui, session, &mut state.message),
                PlayTab::Approvals => approvals_ui(ui, session, &mut state.approval),
            };
            if let Some(intent) = intent {
                out.push(UiCommand::Intent(intent));
            }
        });
    out
}

/// Decision points: pick who carries out each action; classify severity; declare an incident.
pub fn decide_ui(ui: &mut egui::Ui, session: &Session, state: &mut PlayUiState) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let roles = roles(session);
    let open = session.open_decisions();
    if open.is_empty() {
        ui.label(
            egui::RichText::new(
                "No decision is waiting. Let time pass, or hand off, escalate and communicate.",
            )
            .weak(),
        );
    }
    for decision in open {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(egui::RichText::new(&decision.prompt).strong());
            for action in &decision.actions {
                if session.performed().contains_key(&action.id) {
                    continue;
                }
                ui.horizontal_wrapped(|ui| {
                    ui.label(&action.label);
                });
                ui.horizontal(|ui| {
                    let mut choice = state.assign.get(&action.id).cloned();
                    role_combo(
                        ui,
                        &format!("assign-{}", action.id),
                        &mut choice,
                        &roles,
                        "Who does it?",
                    );
                    if let Some(role) = &choice {
                        state.assign.insert(action.id.clone(), role.clone());
                    }
                    let button = ui
                        .add_enabled(choice.is_some(), egui::Button::new("Assign"))
                        .on_hover_text(format!("Assign: {}", action.label));
                    if button.clicked()
                        && let Some(role) = choice
                    {
                        out.push(UiCommand::Intent(Intent::AssignAction {
                            action: action.id.clone(),
                            role,
                        }));
                    }
                });
            }
        });
    }
    ui.add_space(theme::GAP);
    ui.label(egui::RichText::new("Severity and declaration").strong());
    let matrix = session.matrix();
    if state.classify_level == 0 {
        state.classify_level = session.severity();
    }
    ui.horizontal(|ui| {
        role_combo(
            ui,
            "classify-by",
            &mut state.classify_by,
            &roles,
            "Who decides?",
        );
        egui::ComboBox::from_id_salt("classify-level")
            .selected_text(
                matrix
                    .severity(state.classify_level)
                    .map_or_else(String::new, |s| format!("{} · {}", s.level, s.name)),
            )
            .show_ui(ui, |ui| {
                for s in &matrix.escalation.severities {
                    ui.selectable_value(
                        &mut state.classify_level,
                        s.level,
                        format!("{} · {}", s.level, s.name),
                    )
                    .on_hover_text(&s.description);
                }
            });
    });
    ui.horizontal(|ui| {
        let by = state.classify_by.clone();
        if ui
            .add_enabled(by.is_some(), egui::Button::new("Classify severity"))
            .clicked()
            && let Some(by) = by.clone()
        {
            out.push(UiCommand::Intent(Intent::ClassifySeverity {
                level: state.classify_level,
                by,
            }));
        }
        let can_declare = by.is_some() && session.declared_at().is_none();
        if ui
            .add_enabled(can_declare, egui::Button::new("Declare incident"))
            .clicked()
            && let Some(by) = by
        {
            out.push(UiCommand::Intent(Intent::DeclareIncident { by }));
        }
        if let Some(at) = session.declared_at() {
            ui.label(format!("Declared at T+{at:02}"));
        }
    });
    out
}

/// The handoff composer with its five-element checklist.
pub fn handoff_ui(
    ui: &mut egui::Ui,
    session: &Session,
    draft: &mut HandoffDraft,
) -> Option<Intent> {
    let roles = roles(session);
    let mut intent = None;
    ui.horizontal(|ui| {
        ui.label("From");
        role_combo(
            ui,
            "handoff-from",
            &mut draft.from,
            &roles,
            "team handing over",
        );
    });
    ui.horizontal(|ui| {
        ui.label("To    ");
        role_combo(ui, "handoff-to", &mut draft.to, &roles, "team taking over");
    });
    ui.label("What was observed");
    ui.add(
        egui::TextEdit::multiline(&mut draft.observed)
            .desired_rows(3)
            .desired_width(f32::INFINITY)
            .hint_text("What was seen, where and when"),
    );
    ui.label("Supporting evidence");
    let artifacts: Vec<_> = session
        .released()
        .iter()
        .filter_map(|i| session.scenario().inject(i.as_str()))
        .flat_map(|i| i.artifacts.iter())
        .collect();
    if artifacts.is_empty() {
        ui.label(egui::RichText::new("No artifacts yet.").weak());
    }
    for artifact in artifacts {
        toggle(ui, &mut draft.evidence, &artifact.id, &artifact.title);
    }
    ui.label("Actions already taken");
    let mut performed: Vec<_> = session.performed().iter().collect();
    performed.sort_by_key(|(_, p)| p.entry);
    if performed.is_empty() {
        ui.label(egui::RichText::new("Nothing has been done yet.").weak());
    }
    for (action, _) in performed {
        if let Some((_, _, option)) = session.scenario().action(action.as_str()) {
            toggle(ui, &mut draft.actions_taken, action, &option.label);
        }
    }
    ui.label("Recommended actions");
    let open: Vec<_> = session
        .open_decisions()
        .into_iter()
        .flat_map(|d| d.actions.iter())
        .filter(|a| !session.performed().contains_key(&a.id))
        .collect();
    if open.is_empty() {
        ui.label(egui::RichText::new("No open actions to recommend.").weak());
    }
    for action in open {
        toggle(ui, &mut draft.recommended, &action.id, &action.label);
    }
    ui.horizontal(|ui| {
        ui.label("Urgency");
        for u in Urgency::ALL {
            ui.selectable_value(&mut draft.urgency, Some(u), u.label());
        }
    });
    ui.add_space(4.0);
    for (element, present) in draft.checklist() {
        let (mark, color) = if present {
            ("✔", theme::SUCCESS)
        } else {
            ("✘", theme::WARNING)
        };
        ui.colored_label(color, format!("{mark} {element}"));
    }
    let ready = draft.to_intent();
    if draft.from.is_some() && draft.from == draft.to {
        ui.colored_label(theme::DANGER, "Choose two different teams.");
    }
    if ui
        .add_enabled(ready.is_some(), egui::Button::new("Send handoff"))
        .clicked()
    {
        intent = ready;
        *draft = HandoffDraft::default();
    }
    intent
}

fn toggle<T: Ord + Clone>(ui: &mut egui::Ui, set: &mut BTreeSet<T>, item: &T, label: &str) {
    let mut on = set.contains(item);
    if ui.checkbox(&mut on, label).changed() {
        if on {
            set.insert(item.clone());
        } else {
            set.remove(item);
        }
    }
}

/// The escalation dialog.
pub fn escalate_ui(
    ui: &mut egui::Ui,
    session: &Session,
    draft: &mut EscalationDraft,
) -> Option<Intent> {
    let roles = roles(session);
    ui.horizontal(|ui| {
        ui.label("Escalating role");
        role_combo(
            ui,
            "escalate-from",
            &mut draft.from,
            &roles,
            "who escalates",
        );
    });
    ui.label("Engage:");
    egui::Grid::new("escalate-to")
        .num_columns(2)
        .show(ui, |ui| {
            for (i, (id, name)) in roles.iter().enumerate() {
                let engaged = session.engaged().get(id);
                let label = match engaged {
                    Some(at) => format!("{name} (engaged T+{at:02})"),
                    None => name.clone(),
                };
                toggle(ui, &mut draft.to, id, &label);
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
    ui.add(
        egui::TextEdit::singleline(&mut draft.reason)
            .hint_text("Why (one sentence)")
            .desired_width(f32::INFINITY),
    );
    let ready = draft.from.clone().filter(|_| !draft.to.is_empty());
    if ui
        .add_enabled(ready.is_some(), egui::Button::new("Escalate"))
        .clicked()
        && let Some(from) = ready
    {
        let intent = Intent::Escalate {
            from,
            to: draft.to.iter().cloned().collect(),
            reason: draft.reason.trim().to_owned(),
        };
        *draft = EscalationDraft::default();
        return Some(intent);
    }
    None
}

/// The communication composer.
pub fn communicate_ui(
    ui: &mut egui::Ui,
    session: &Session,
    draft: &mut MessageDraft,
) -> Option<Intent> {
    let roles = roles(session);
    let matrix = session.matrix();
    ui.horizontal(|ui| {
        ui.label("Audience");
        let selected = draft
            .audience
            .as_ref()
            .and_then(|a| matrix.audience(a.as_str()))
            .map_or("choose an audience", |a| a.name.as_str());
        egui::ComboBox::from_id_salt("message-audience")
            .selected_text(selected)
            .show_ui(ui, |ui| {
                for audience in &matrix.communication.audiences {
                    ui.selectable_value(
                        &mut draft.audience,
                        Some(audience.id.clone()),
                        &audience.name,
                    );
                }
            });
    });
    ui.horizontal(|ui| {
        ui.label("Sender  ");
        role_combo(
            ui,
            "message-sender",
            &mut draft.sender,
            &roles,
            "who sends it",
        );
    });
    let messages: Vec<_> = session
        .released()
        .iter()
        .filter_map(|i| session.scenario().inject(i.as_str()))
        .flat_map(|i| i.messages.iter())
        .collect();
    ui.label("Message");
    if messages.is_empty() {
        ui.label(egui::RichText::new("No message drafts are available yet.").weak());
    }
    for message in &messages {
        ui.radio_value(&mut draft.message, Some(message.id.clone()), &message.label);
    }
    if let Some(chosen) = draft
        .message
        .as_ref()
        .and_then(|m| messages.iter().find(|x| x.id == *m))
    {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(egui::RichText::new(session.render_text(&chosen.text)).italics());
        });
    }
    ui.label("Approvals obtained");
    egui::Grid::new("message-approvals")
        .num_columns(2)
        .show(ui, |ui| {
            for (i, (id, name)) in roles.iter().enumerate() {
                let engaged = session.engaged().contains_key(id);
                ui.add_enabled_ui(engaged, |ui| {
                    toggle(ui, &mut draft.approvals, id, name);
                })
                .response
                .on_disabled_hover_text("Not engaged yet: escalate to this role first");
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
    let ready = match (&draft.audience, &draft.sender, &draft.message) {
        (Some(a), Some(s), Some(m)) => Some((a.clone(), s.clone(), m.clone())),
        _ => None,
    };
    if ui
        .add_enabled(ready.is_some(), egui::Button::new("Send message"))
        .clicked()
        && let Some((audience, sender, message)) = ready
    {
        let intent = Intent::Communicate {
            audience,
            sender,
            message,
            approvals: draft.approvals.iter().cloned().collect(),
        };
        *draft = MessageDraft::default();
        return Some(intent);
    }
    None
}

/// Approval requests: ask for one, and grant pending ones.
pub fn approvals_ui(
    ui: &mut egui::Ui,
    session: &Session,
    draft: &mut ApprovalDraft,
) -> Option<Intent> {
    let roles = roles(session);
    let mut intent = None;
    let open: Vec<_> = session
        .open_decisions()
        .into_iter()
        .flat_map(|d| d.actions.iter())
        .filter(|a| !session.performed().contains_key(&a.id))
        .collect();
    ui.label(egui::RichText::new("Request an approval").strong());
    let selected = draft
        .action
        .as_ref()
        .and_then(|a| open.iter().find(|o| o.id == *a))
        .map_or("which action?", |o| o.label.as_str());
    egui::ComboBox::from_id_salt("approval-action")
        .selected_text(selected)
        .width(ui.available_width() - 20.0)
        .show_ui(ui, |ui| {
            for action in &open {
                ui.selectable_value(&mut draft.action, Some(action.id.clone()), &action.label);
            }
        });
    ui.horizontal(|ui| {
        ui.label("Asked by");
        role_combo(
            ui,
            "approval-by",
            &mut draft.requested_by,
            &roles,
            "who asks",
        );
    });
    ui.horizontal(|ui| {
        ui.label("Approver");
        role_combo(
            ui,
            "approval-approver",
            &mut draft.approver,
            &roles,
            "who approves",
        );
    });
    let ready = match (&draft.action, &draft.requested_by, &draft.approver) {
        (Some(a), Some(r), Some(p)) => Some((a.clone(), r.clone(), p.clone())),
        _ => None,
    };
    if ui
        .add_enabled(ready.is_some(), egui::Button::new("Request approval"))
        .clicked()
        && let Some((action, requested_by, approver)) = ready
    {
        intent = Some(Intent::RequestApproval {
            action,
            requested_by,
            approver,
        });
        *draft = ApprovalDraft::default();
    }
    ui.separator();
    ui.label(egui::RichText::new("Pending requests").strong());
    let pending: Vec<_> = session
        .approvals()
        .iter()
        .filter(|r| r.granted.is_none() && !session.performed().contains_key(&r.action))
        .collect();
    if pending.is_empty() {
        ui.label(egui::RichText::new("None.").weak());
    }
    for request in pending {
        let label = session
            .scenario()
            .action(request.action.as_str())
            .map_or_else(|| request.action.to_string(), |(_, _, o)| o.label.clone());
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "{label} — asked by {}",
                session.matrix().role_name(request.requested_by.as_str())
            ));
            let approver = session.matrix().role_name(request.approver.as_str());
            if ui.button(format!("Approve as {approver}")).clicked() {
                intent = Some(Intent::GrantApproval {
                    action: request.action.clone(),
                    approver: request.approver.clone(),
                });
            }
        });
    }
    intent
}

/// The last outcome: a rejection with its reason, or practice-mode feedback.
pub fn outcome_ui(ui: &mut egui::Ui, outcome: &LastOutcome, mode: Mode) {
    match outcome {
        LastOutcome::None => {
            let text = match mode {
                Mode::Practice => "Feedback on each decision appears here.",
                _ => "Feedback comes in the debrief at the end.",
            };
            ui.label(egui::RichText::new(text).weak());
        }
        LastOutcome::Rejected { summary, reason } => {
            ui.colored_label(theme::DANGER, format!("Not possible: {summary}"));
            ui.label(reason);
        }
        LastOutcome::Accepted { summary, feedback } => {
            ui.label(egui::RichText::new(format!("Done: {summary}")).weak());
            if mode == Mode::Practice {
                egui::ScrollArea::vertical()
                    .id_salt("feedback-scroll")
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        for finding in feedback {
                            finding_ui(ui, finding);
                        }
                    });
            }
        }
    }
}

/// One finding with its citation and advice.
pub fn finding_ui(ui: &mut egui::Ui, finding: &Finding) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        match finding.kind {
            FindingKind::Credit => {
                ui.colored_label(theme::SUCCESS, format!("✔ {}", finding.message));
            }
            FindingKind::Deduction => {
                ui.colored_label(
                    theme::DANGER,
                    format!("{} pts · {}", finding.points, finding.message),
                );
                ui.label(egui::RichText::new(format!("Rule: {}", finding.citation)).italics());
                ui.label(format!("Instead: {}", finding.advice));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;

    fn session() -> Session {
        crate::app::testing::ransomware_session(4)
    }

    struct DecideState {
        session: Session,
        ui: PlayUiState,
        out: Vec<UiCommand>,
    }

    #[test]
    fn assigning_a_decision_sends_the_chosen_role() {
        let mut harness = Harness::new_ui_state(
            |ui, s: &mut DecideState| {
                let out = decide_ui(ui, &s.session, &mut s.ui);
                s.out.extend(out);
            },
            DecideState {
                session: session(),
                ui: PlayUiState::default(),
                out: Vec::new(),
            },
        );
        // Nothing chosen yet: the assign button is disabled, so a click does nothing.
        harness.get_all_by_label("Assign").next().unwrap().click();
        harness.run();
        assert!(harness.state().out.is_empty());

        // Choose the SOC from the combo box, then assign.
        harness.get_by_value("Who does it?").click();
        harness.run();
        harness.get_by_label("Security Operations Center").click();
        harness.run();
        harness.get_all_by_label("Assign").next().unwrap().click();
        harness.run();
        assert_eq!(
            harness.state().out,
            vec![UiCommand::Intent(Intent::AssignAction {
                action: "triage-fs01".into(),
                role: "soc".into()
            })]
        );
    }

    #[test]
    fn handoff_composer_requires_two_different_teams_and_tracks_the_five_elements() {
        let mut draft = HandoffDraft::default();
        assert!(draft.to_intent().is_none());
        assert!(draft.checklist().iter().all(|(_, present)| !present));
        draft.from = Some("soc".into());
        draft.to = Some("soc".into());
        assert!(draft.to_intent().is_none(), "same team on both sides");
        draft.to = Some("it_ops".into());
        draft.observed = "Encryption running on FS-01".into();
        draft.urgency = Some(Urgency::High);
        let checklist = draft.checklist();
        assert_eq!(
            checklist.iter().filter(|(_, present)| *present).count(),
            2,
            "{checklist:?}"
        );
        assert!(matches!(draft.to_intent(), Some(Intent::Handoff(h)) if h.to.as_str() == "it_ops"));
    }

    #[test]
    fn handoff_composer_sends_the_drafted_handoff() {
        let mut state = (session(), HandoffDraft::default(), None::<Intent>);
        state.1.from = Some("soc".into());
        state.1.to = Some("it_ops".into());
        let mut harness = Harness::new_ui_state(
            |ui, s: &mut (Session, HandoffDraft, Option<Intent>)| {
                if let Some(i) = handoff_ui(ui, &s.0, &mut s.1) {
                    s.2 = Some(i);
                }
            },
            state,
        );
        harness.get_by_label("EDR alert #48213").click();
        harness.run();
        harness.get_by_label("High").click();
        harness.run();
        assert!(harness.query_by_label("✔ Supporting evidence").is_some());
        assert!(harness.query_by_label("✘ What was observed").is_some());
        harness.get_by_label("Send handoff").click();
        harness.run();
        let Some(Intent::Handoff(h)) = &harness.state().2 else {
            panic!("no handoff sent");
        };
        assert_eq!(h.evidence, vec![ArtifactId::from("edr-alert")]);
        assert_eq!(h.urgency, Some(Urgency::High));
        assert_eq!(
            harness.state().1,
            HandoffDraft::default(),
            "draft cleared after sending"
        );
    }

    #[test]
    fn approvals_from_roles_not_engaged_cannot_be_claimed() {
        let mut harness = Harness::new_ui_state(
            |ui, s: &mut (Session, MessageDraft)| {
                communicate_ui(ui, &s.0, &mut s.1);
            },
            (session(), MessageDraft::default()),
        );
        harness.get_by_label("Legal Counsel").click();
        harness.run();
        assert!(
            harness.state().1.approvals.is_empty(),
            "Legal is not engaged yet"
        );
    }

    #[test]
    fn rejections_show_the_engine_reason() {
        let outcome = LastOutcome::Rejected {
            summary: "assign `x` to soc".into(),
            reason: "there is no action `x` in this scenario".into(),
        };
        let harness = Harness::new_ui(|ui| outcome_ui(ui, &outcome, Mode::Practice));
        assert!(
            harness
                .query_by_label("there is no action `x` in this scenario")
                .is_some()
        );
    }
}
