//! Widgets every screen shares: the root `Ui`, notices, badges, the inject feed, the role picker,
//! the outcome of the last intent and a finding with its citation.

use std::collections::BTreeSet;

use bevy_egui::egui;

use crate::app::exercise::LastOutcome;
use crate::app::exercise::{InjectBanner, ScoreTrail};
use crate::app::flow::Screen;
use crate::app::messages::{ExerciseCommand, Navigate, UiCommand};
use crate::app::notice::Notice;
use crate::app::theme;
use crate::engine::Session;
use crate::engine::exercise::FeedInject;
use crate::engine::model::id::RoleId;
use crate::engine::model::matrix::RoleKind;
use crate::engine::model::scenario::Mode;
use crate::engine::scoring::{Finding, FindingKind};
use crate::engine::text::count;

/// A full-window root `Ui` for a screen (egui 0.36 panels are shown inside a `Ui`).
pub fn root_ui(ctx: &egui::Context, id: &str) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        egui::Id::new(id),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.content_rect()),
    )
}

/// The fallback for a screen reached with nothing to show: says so and offers the scenario picker.
pub fn nothing_to_show_ui(ui: &mut egui::Ui, heading: &str) -> Vec<UiCommand> {
    egui::CentralPanel::default()
        .show(ui, |ui| {
            ui.heading(heading);
            if ui.button("Choose a scenario").clicked() {
                vec![UiCommand::Navigate(Navigate::GoTo(Screen::Library))]
            } else {
                Vec::new()
            }
        })
        .inner
}

/// Shows the current notice, if any, as a coloured line.
pub fn notice_ui(ui: &mut egui::Ui, notice: &Notice) {
    if let Some(n) = &notice.0 {
        let color = if n.is_error {
            theme::palette(ui).danger
        } else {
            theme::palette(ui).success
        };
        ui.colored_label(color, &n.text);
    }
}

/// A small rounded badge.
pub fn badge(ui: &mut egui::Ui, text: &str, color: egui::Color32) {
    let galley = egui::WidgetText::from(egui::RichText::new(text).small().color(color))
        .into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Small,
        );
    // A badge moves whole to the next row of a wrapping layout; it never breaks inside or runs
    // off the edge. (The frame is not one widget, so the layout cannot do this by itself.)
    let needed = galley.size().x + 14.0 + ui.spacing().item_spacing.x;
    if ui.layout().main_wrap && ui.available_size_before_wrap().x < needed {
        ui.end_row();
    }
    egui::Frame::new()
        .fill(color.gamma_multiply(0.18))
        .stroke(egui::Stroke::new(1.0, color))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(6, 2))
        .show(ui, |ui| {
            ui.add(egui::Label::new(galley));
        });
}

/// The inject feed, newest first, with artifacts; ad-hoc injects are marked as such.
pub fn feed_ui(ui: &mut egui::Ui, feed: &[FeedInject]) {
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
                            badge(ui, "ad-hoc", theme::palette(ui).warning);
                        }
                    });
                    ui.label(&inject.narrative);
                    for (n, artifact) in inject.artifacts.iter().enumerate() {
                        // Laid out here, wrapped to the panel: the header would not wrap it.
                        let header = egui::WidgetText::from(format!(
                            "{}: {}",
                            artifact.kind.label(),
                            artifact.title
                        ))
                        .into_galley(
                            ui,
                            Some(egui::TextWrapMode::Wrap),
                            ui.available_width()
                                - ui.spacing().indent
                                - 2.0 * ui.spacing().button_padding.x,
                            egui::TextStyle::Button,
                        );
                        egui::CollapsingHeader::new(header)
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

/// Roles to offer, every role of the matrix: the scenario's cast first, then the other internal
/// teams, then external parties. Offering only the cast would give the answer away and make the
/// classic mistakes (a revocation sent to the Help Desk) impossible to make, so ungraded.
pub struct RoleChoices {
    /// Ids and names, in the order offered.
    pub list: Vec<(RoleId, String)>,
    /// Where each group starts in `list`, with its heading.
    pub groups: Vec<(usize, &'static str)>,
}

impl std::ops::Deref for RoleChoices {
    type Target = [(RoleId, String)];

    fn deref(&self) -> &Self::Target {
        &self.list
    }
}

impl RoleChoices {
    /// The groups in order: heading and the roles under it.
    pub fn grouped(&self) -> impl Iterator<Item = (&'static str, &[(RoleId, String)])> {
        self.groups
            .iter()
            .enumerate()
            .map(|(i, &(start, heading))| {
                let end = self.groups.get(i + 1).map_or(self.list.len(), |g| g.0);
                (heading, self.list.get(start..end).unwrap_or_default())
            })
    }

    /// The same roles and groups with other labels (an "(engaged T+05)" note, say).
    #[must_use]
    pub fn relabelled(&self, label: impl Fn(&RoleId, &str) -> String) -> Self {
        Self {
            list: self
                .list
                .iter()
                .map(|(id, name)| (id.clone(), label(id, name)))
                .collect(),
            groups: self.groups.clone(),
        }
    }
}

/// Checkboxes for a set of roles, under their group headings.
pub fn role_toggles(
    ui: &mut egui::Ui,
    id_salt: &str,
    set: &mut BTreeSet<RoleId>,
    roles: &RoleChoices,
    enabled: impl Fn(&RoleId) -> bool,
    disabled_hint: &str,
) {
    for (heading, group) in roles.grouped() {
        ui.label(egui::RichText::new(heading).small().weak());
        toggle_columns(
            ui,
            &format!("{id_salt}-{heading}"),
            set,
            group,
            &enabled,
            disabled_hint,
        );
    }
}

/// The roles a picker offers, grouped (see [`RoleChoices`]).
pub fn roles(session: &Session) -> RoleChoices {
    let matrix = session.matrix();
    let cast = &session.scenario().cast;
    let mut list: Vec<(RoleId, String)> = cast
        .iter()
        .filter_map(|id| {
            matrix
                .role(id.as_str())
                .map(|r| (r.id.clone(), r.name.clone()))
        })
        .collect();
    let mut groups = Vec::new();
    if !list.is_empty() {
        groups.push((0, "In this scenario"));
    }
    for (kind, heading) in [
        (
            RoleKind::Internal,
            if cast.is_empty() {
                "Internal teams"
            } else {
                "Other internal teams"
            },
        ),
        (RoleKind::External, "External parties"),
    ] {
        let start = list.len();
        list.extend(
            matrix
                .roles
                .iter()
                .filter(|r| r.kind == kind && !cast.contains(&r.id))
                .map(|r| (r.id.clone(), r.name.clone())),
        );
        if list.len() > start {
            groups.push((start, heading));
        }
    }
    RoleChoices { list, groups }
}

/// A role picker showing names, with a placeholder until one is chosen.
pub fn role_combo(
    ui: &mut egui::Ui,
    id_salt: &str,
    choice: &mut Option<RoleId>,
    roles: &RoleChoices,
    placeholder: &str,
) {
    // Room for the button beside it in a narrow panel (a projector at 2×).
    let width = (ui.available_width() - 90.0).clamp(120.0, 220.0);
    wrap_before(ui, width + 2.0 * ui.spacing().button_padding.x);
    role_picker(ui, id_salt, choice, roles, placeholder, false, width);
}

/// A checkbox that adds or removes `item` from `set`.
pub fn toggle<T: Ord + Clone>(ui: &mut egui::Ui, set: &mut BTreeSet<T>, item: &T, label: &str) {
    let mut on = set.contains(item);
    if ui.checkbox(&mut on, label).changed() {
        if on {
            set.insert(item.clone());
        } else {
            set.remove(item);
        }
    }
}

/// Checkboxes for `items`, two to a row when two fit the width, one per row otherwise; `enabled`
/// says which can be ticked and `disabled_hint` why the others cannot.
pub fn toggle_columns<T: Ord + Clone>(
    ui: &mut egui::Ui,
    id_salt: &str,
    set: &mut BTreeSet<T>,
    items: &[(T, String)],
    enabled: impl Fn(&T) -> bool,
    disabled_hint: &str,
) {
    let spacing = ui.spacing();
    let box_width = spacing.icon_width + spacing.icon_spacing + spacing.item_spacing.x;
    let widest = items
        .iter()
        .map(|(_, label)| {
            egui::WidgetText::from(label.as_str())
                .into_galley(
                    ui,
                    Some(egui::TextWrapMode::Extend),
                    f32::INFINITY,
                    egui::TextStyle::Body,
                )
                .size()
                .x
        })
        .fold(0.0, f32::max)
        + box_width;
    let mut one = |ui: &mut egui::Ui, item: &T, label: &str| {
        ui.add_enabled_ui(enabled(item), |ui| toggle(ui, set, item, label))
            .response
            .on_disabled_hover_text(disabled_hint);
    };
    if 2.0 * widest <= ui.available_width() {
        egui::Grid::new(id_salt).num_columns(2).show(ui, |ui| {
            for (i, (item, label)) in items.iter().enumerate() {
                one(ui, item, label);
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
    } else {
        // One per row, outside a grid, so a long name wraps instead of running off.
        for (item, label) in items {
            one(ui, item, label);
        }
    }
}

/// A role picker that can also be left at "any role".
pub fn optional_role_combo(
    ui: &mut egui::Ui,
    salt: &str,
    choice: &mut Option<RoleId>,
    roles: &RoleChoices,
    none: &str,
) {
    let width = (ui.available_size_before_wrap().x - 16.0).clamp(100.0, 200.0);
    wrap_before(ui, width + 2.0 * ui.spacing().button_padding.x);
    role_picker(ui, salt, choice, roles, none, true, width);
}

/// In a wrapping row, starts a new row unless `width` more points fit on this one. A combo box is
/// not one widget to the wrapping layout, so it would run off the edge instead of moving down.
pub fn wrap_before(ui: &mut egui::Ui, width: f32) {
    if ui.layout().main_wrap && ui.available_size_before_wrap().x < width {
        ui.end_row();
    }
}

/// The combo box both pickers are: role names, `empty` shown while nothing is chosen and, when
/// `offer_empty`, also offered as a choice.
fn role_picker(
    ui: &mut egui::Ui,
    salt: &str,
    choice: &mut Option<RoleId>,
    roles: &RoleChoices,
    empty: &str,
    offer_empty: bool,
    width: f32,
) {
    let selected = choice
        .as_ref()
        .and_then(|c| roles.iter().find(|(id, _)| id == c))
        .map_or(empty, |(_, name)| name.as_str());
    egui::ComboBox::from_id_salt(salt)
        .selected_text(selected)
        .width(width)
        .show_ui(ui, |ui| {
            if offer_empty {
                ui.selectable_value(choice, None, empty);
            }
            for (index, (id, name)) in roles.list.iter().enumerate() {
                if let Some((_, heading)) = roles.groups.iter().find(|(start, _)| *start == index) {
                    if index > 0 {
                        ui.separator();
                    }
                    ui.label(egui::RichText::new(*heading).small().weak());
                }
                ui.selectable_value(choice, Some(id.clone()), name);
            }
        });
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
            ui.colored_label(
                theme::palette(ui).danger,
                format!("Not possible: {summary}"),
            );
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

/// "New inject" over the feed when one has just arrived, until dismissed: injects must not slip in
/// unnoticed while the player is busy in a composer.
pub fn banner_ui(ui: &mut egui::Ui, banner: &InjectBanner) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let Some(new) = &banner.0 else {
        return out;
    };
    egui::Frame::new()
        .fill(theme::palette(ui).accent.gamma_multiply(0.25))
        .stroke(egui::Stroke::new(2.0, theme::palette(ui).accent))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::same(8))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    egui::RichText::new("New inject")
                        .strong()
                        .color(theme::palette(ui).accent),
                );
                let more = match new.more {
                    0 => String::new(),
                    n => format!(" and {}", count(n, "other")),
                };
                ui.label(
                    egui::RichText::new(format!("T+{:02} · {}{more}", new.minute, new.title))
                        .strong(),
                );
                if ui.button("Got it").clicked() {
                    out.push(ExerciseCommand::DismissBanner.into());
                }
            });
        });
    out
}

/// How long is left until `deadline`, in the colour of its urgency: "due in 12 min", amber in the
/// last five minutes, red "missed: due by T+10" once past.
pub fn due_badge(ui: &mut egui::Ui, now: u32, deadline: u32) {
    let left = deadline.saturating_sub(now);
    let (text, color) = if now > deadline {
        (
            format!("missed: due by T+{deadline:02}"),
            theme::palette(ui).danger,
        )
    } else if left <= 5 {
        (format!("due in {left} min"), theme::palette(ui).warning)
    } else {
        (format!("due in {left} min"), theme::palette(ui).accent)
    };
    badge(ui, &text, color);
}

/// The column a narrow window gives the feed and the board in turn: two tabs (the first named
/// `feed_tab`), then the feed (drawn by `feed`) or the board's legend and the space left for the
/// board, which is returned (empty while the feed shows).
pub fn narrow_pane_ui<R>(
    ui: &mut egui::Ui,
    pane: &mut crate::app::screens::actions::NarrowPane,
    feed_tab: &str,
    feed: impl FnOnce(&mut egui::Ui) -> R,
) -> (Option<R>, egui::Rect) {
    use crate::app::screens::actions::NarrowPane;
    let mut board = egui::Rect::NOTHING;
    let mut drawn = None;
    // Unfilled: the board is drawn beneath the UI, in the space this leaves.
    let frame = egui::Frame::central_panel(ui.style()).fill(egui::Color32::TRANSPARENT);
    egui::CentralPanel::default().frame(frame).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.selectable_value(pane, NarrowPane::Feed, feed_tab);
            ui.selectable_value(pane, NarrowPane::Board, "Board");
        });
        ui.separator();
        match pane {
            NarrowPane::Feed => drawn = Some(feed(ui)),
            NarrowPane::Board => {
                board_legend_ui(ui);
                board = ui.available_rect_before_wrap();
            }
        }
    });
    (drawn, board)
}

/// One line under the board saying what its marks mean, in the colours it draws them; left out
/// where the board is narrow, which needs every line of height it has.
pub fn board_legend_ui(ui: &mut egui::Ui) {
    const ROOM_FOR_TWO_LINES: f32 = 300.0;
    if ui.available_width() < ROOM_FOR_TWO_LINES {
        return;
    }
    egui::Panel::bottom("board-legend")
        .show_separator_line(false)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let small = |text: &str| egui::RichText::new(text).small();
                ui.label(small("Board:").weak());
                ui.label(
                    small("yellow dot on the table").color(egui::Color32::from_rgb(245, 204, 92)),
                );
                ui.label(small("= that team is in the response ·").weak());
                ui.label(small("green arrow").color(egui::Color32::from_rgb(23, 163, 74)));
                ui.label(small("= a handoff ·").weak());
                ui.label(small("orange arrow").color(egui::Color32::from_rgb(217, 120, 5)));
                ui.label(
                    small("= an escalation (each fades after 20 s) · timeline dots = injects in")
                        .weak(),
                );
            });
        });
}

/// What a deduction cost, as every screen says it: points off the total.
pub fn cost_label(points: impl std::fmt::Display) -> String {
    format!("{points} off the total")
}

/// The running score (practice) with what moved it, and what lapsed with nobody acting (every
/// mode: the player should know a decision closed, not find out in the report).
pub fn trail_ui(ui: &mut egui::Ui, trail: &ScoreTrail, mode: Mode) {
    if mode == Mode::Practice
        && let Some(card) = &trail.card
    {
        if card.graded() {
            let change = match trail.change {
                0 => "no change with the last step".to_owned(),
                c if c > 0 => format!("+{c} with the last step"),
                c => format!("{c} with the last step"),
            };
            let color = if trail.change < 0 {
                theme::palette(ui).danger
            } else {
                theme::palette(ui).success
            };
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(format!("Running score {}", card.total)).strong());
                ui.colored_label(color, change);
            });
            ui.label(egui::RichText::new(card.total_explained()).weak());
            for change in &trail.changes {
                let text = if change.points < 0 {
                    format!("{} · {}", cost_label(change.points), change.finding.message)
                } else {
                    format!(
                        "+{} · no longer deducted: {}",
                        change.points, change.finding.message
                    )
                };
                let color = if change.points < 0 {
                    theme::palette(ui).danger
                } else {
                    theme::palette(ui).success
                };
                ui.colored_label(color, text);
            }
        } else {
            ui.label(
                egui::RichText::new("Running score: not graded yet. It starts once a decision is made or falls due.")
                    .weak(),
            );
        }
    }
    for lapse in trail.missed.iter().rev() {
        ui.colored_label(
            theme::palette(ui).danger,
            format!(
                "Missed at T+{:02}: {} ({}, {})",
                lapse.minute,
                lapse.message,
                cost_label(lapse.points),
                lapse.dimension.label()
            ),
        );
    }
}

/// One finding with its citation and advice.
pub fn finding_ui(ui: &mut egui::Ui, finding: &Finding) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        match finding.kind {
            FindingKind::Credit => {
                ui.colored_label(theme::palette(ui).success, format!("✔ {}", finding.message));
            }
            FindingKind::Deduction => {
                ui.colored_label(
                    theme::palette(ui).danger,
                    format!("{} · {}", cost_label(finding.points), finding.message),
                );
                ui.label(egui::RichText::new(format!("Why: {}", finding.citation)).italics());
                ui.label(format!("Instead: {}", finding.advice));
            }
            FindingKind::NotReached => {
                ui.label(format!("· {}", finding.message));
                ui.label(egui::RichText::new(&finding.advice).weak());
            }
            FindingKind::NotTested => {
                ui.label(egui::RichText::new(&finding.message).weak());
            }
        }
    });
}

/// A QR code of `text`, drawn square and black on white with its quiet zone.
pub fn qr_ui(ui: &mut egui::Ui, text: &str, size: f32) {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
        return;
    };
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let modules = width + 2 * quiet;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, egui::Color32::WHITE);
    let cell = size / modules as f32;
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (x, y) = ((i % width + quiet) as f32, (i / width + quiet) as f32);
            painter.rect_filled(
                egui::Rect::from_min_size(
                    rect.min + egui::vec2(x * cell, y * cell),
                    egui::vec2(cell.ceil(), cell.ceil()),
                ),
                0.0,
                egui::Color32::BLACK,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;

    #[test]
    fn a_new_inject_is_announced_until_dismissed() {
        use crate::app::exercise::NewInject;
        let banner = InjectBanner(Some(NewInject {
            minute: 10,
            title: "Ransom note".into(),
            more: 1,
        }));
        let mut harness = Harness::new_ui_state(
            move |ui, out: &mut Vec<UiCommand>| out.extend(banner_ui(ui, &banner)),
            Vec::new(),
        );
        harness.run();
        assert!(harness.query_by_label("New inject").is_some());
        assert!(
            harness
                .query_by_label("T+10 · Ransom note and 1 other")
                .is_some()
        );
        harness.get_by_label("Got it").click();
        harness.run();
        assert_eq!(
            *harness.state(),
            vec![UiCommand::from(ExerciseCommand::DismissBanner)]
        );
        let quiet = Harness::new_ui(|ui| {
            banner_ui(ui, &InjectBanner::default());
        });
        assert!(quiet.query_by_label("New inject").is_none());
    }

    /// A running-score change always arrives with the finding that caused it: IAM disables
    /// the accounts without telling the Help Desk, and when the window to tell it closes the
    /// drop is shown with the deduction, though no feedback card of that step carries it.
    #[test]
    fn a_running_score_change_arrives_with_its_finding() {
        use crate::engine::content::shipped;
        use crate::engine::{Intent, score};
        let mut session =
            Session::new(shipped::scenario("departing-insider"), shipped::matrix(), 0);
        let mut trail = ScoreTrail::start(&session);
        let step = |session: &mut Session, trail: &mut ScoreTrail, intent: Intent| {
            session.apply(intent).unwrap();
            let entry = session.log().entries.len();
            trail.advance(score(session), Some(entry));
        };
        step(&mut session, &mut trail, Intent::Advance { minutes: 10 });
        step(
            &mut session,
            &mut trail,
            Intent::AssignAction {
                action: "disable-engineer".into(),
                role: "iam".into(),
            },
        );
        // The first graded step moves the total from the 100 a run starts at, not from zero.
        assert!(trail.change <= 0, "{}", trail.change);
        let before = trail.card.as_ref().unwrap().total;
        step(&mut session, &mut trail, Intent::Advance { minutes: 11 });
        let after = trail.card.as_ref().unwrap().total;
        assert!(after < before, "{before} → {after}");
        let told = trail
            .changes
            .iter()
            .find(|c| c.finding.rule == "communication:informed:disable_account")
            .expect("the drop comes with its finding");
        let trail_now = trail.clone();
        let harness = Harness::new_ui(move |ui| trail_ui(ui, &trail_now, Mode::Practice));
        let text = format!("{} · {}", cost_label(told.points), told.finding.message);
        assert!(harness.query_by_label(&text).is_some(), "{text}");
        assert!(
            harness
                .query_by_label(&format!("Running score {after}"))
                .is_some()
        );
    }

    #[test]
    fn a_missed_notice_sent_late_is_no_longer_shown_as_missed() {
        use crate::engine::content::shipped;
        use crate::engine::{Intent, score};
        let mut session = Session::new(
            shipped::scenario("ransomware-file-server"),
            shipped::matrix(),
            4,
        );
        let mut trail = ScoreTrail::start(&session);
        session.apply(Intent::Advance { minutes: 11 }).unwrap();
        trail.advance(score(&session), Some(session.log().entries.len()));
        let missed = |trail: &ScoreTrail| {
            trail
                .missed
                .iter()
                .any(|f| f.message.starts_with("Nothing was sent to Incident team"))
        };
        assert!(missed(&trail), "{:#?}", trail.missed);
        session
            .apply(Intent::Communicate {
                audience: "incident_team".into(),
                sender: "soc".into(),
                message: "msg-team-initial".into(),
                approvals: Vec::new(),
            })
            .unwrap();
        trail.advance(score(&session), Some(session.log().entries.len()));
        assert!(!missed(&trail), "{:#?}", trail.missed);
        let trail_now = trail.clone();
        let harness = Harness::new_ui(move |ui| trail_ui(ui, &trail_now, Mode::Facilitated));
        assert!(
            harness
                .query_by_label_contains("Missed at T+10: Nothing was sent to Incident team")
                .is_none()
        );
    }

    #[test]
    fn a_running_score_before_anything_is_graded_is_no_zero() {
        use crate::engine::content::shipped;
        let session = Session::new(shipped::scenario("departing-insider"), shipped::matrix(), 0);
        let trail = ScoreTrail::start(&session);
        let harness = Harness::new_ui(move |ui| trail_ui(ui, &trail, Mode::Practice));
        assert!(harness.query_by_label("Running score 0").is_none());
        assert!(
            harness
                .query_by_label_contains("Running score: not graded yet")
                .is_some()
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
