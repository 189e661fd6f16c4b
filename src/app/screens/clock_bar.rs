//! The bar above an exercise: title, clock, severity and impact, and the clock controls.

use bevy_egui::egui;

use super::widgets::{badge, wrap_before};
use crate::app::exercise::ScenarioClock;
use crate::app::messages::{ExerciseCommand, UiCommand};
use crate::app::theme;
use crate::engine::model::scenario::Mode;
use crate::engine::scoring::{next_stop, step_toward};
use crate::engine::{Intent, Session};

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
    // Row one: what is being played, and the way out, which must never be pushed off-screen.
    ui.horizontal(|ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            out.extend(end_exercise_ui(ui));
            // The title takes what is left, shortened with "…" rather than pushing End away.
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                ui.add(egui::Label::new(egui::RichText::new(&scenario.title).heading()).truncate())
                    .on_hover_text(&scenario.title);
            });
        });
    });
    // Row two: the clock and the state of the incident, then the clock controls; wraps when narrow.
    ui.horizontal_wrapped(|ui| {
        badge(ui, mode.label(), theme::palette(ui).accent);
        // A scenario that says when it starts reads as a wall clock ("Thu 14:00 (day 3)").
        let clock_text = scenario.clock_reading(session.minute());
        ui.label(egui::RichText::new(clock_text).monospace().size(20.0));
        // The controls come before the chips, whose width changes with the incident: buttons
        // people press again and again stay where they were.
        if mode != Mode::Facilitated {
            out.extend(clock_controls_ui(ui, session, mode, clock));
            ui.separator();
        }
        let level = session.severity();
        let name = matrix.severity(level).map_or("?", |s| s.name.as_str());
        badge(
            ui,
            &format!("Severity {level} · {name}"),
            theme::palette(ui).severity(level, matrix.max_severity()),
        );
        // The player's own call beside what the evidence says.
        let classified = session
            .log()
            .entries
            .iter()
            .rev()
            .find_map(|e| match e.intent {
                Intent::ClassifySeverity { level, .. } => Some(level),
                _ => None,
            });
        let call = classified.map_or_else(
            || "You have not classified it".to_owned(),
            |l| {
                let name = matrix.severity(l).map_or("?", |s| s.name.as_str());
                format!("You classified {l} · {name}")
            },
        );
        badge(ui, &call, theme::palette(ui).accent);
        badge(
            ui,
            &format!("Business impact {}%", session.business_impact()),
            theme::palette(ui).warning,
        );
        // The facilitator's clock controls live in the console's second row.
    });
    out
}

/// "End exercise", which asks first: ending early grades what was due by then as it stands.
fn end_exercise_ui(ui: &mut egui::Ui) -> Vec<UiCommand> {
    let asking = ui.id().with("confirm-end");
    let confirming = ui.data(|d| d.get_temp::<bool>(asking).unwrap_or(false));
    let mut out = Vec::new();
    if confirming {
        // Right to left: the safe choice sits nearest the edge, where "End exercise" was.
        if ui.button("Keep playing").clicked() {
            ui.data_mut(|d| d.insert_temp(asking, false));
        }
        if ui.button("Yes, end it").clicked() {
            ui.data_mut(|d| d.insert_temp(asking, false));
            out.push(Intent::EndExercise.into());
        }
        ui.label("End the exercise now?");
    } else if ui
        .button("End exercise")
        .on_hover_text("Stop now and see the debrief (asks first)")
        .clicked()
    {
        ui.data_mut(|d| d.insert_temp(asking, true));
    }
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
    // What is due next, computed once for both jumps.
    let next = next_stop(session);
    let mut stop_note = None;
    if mode != Mode::Practice {
        let fresh = session.minute() == 0 && clock.elapsed_secs == 0.0;
        let label = match (clock.running, fresh) {
            (true, _) => "Pause clock",
            (false, true) => "Start clock",
            (false, false) => "Resume clock",
        };
        // As wide as its widest name, so the buttons after it stay put as it toggles.
        let font = egui::TextStyle::Button.resolve(ui.style());
        let widest = ["Pause clock", "Start clock", "Resume clock"]
            .into_iter()
            .map(|name| {
                ui.painter()
                    .layout_no_wrap(name.to_owned(), font.clone(), egui::Color32::WHITE)
                    .size()
                    .x
            })
            .fold(0.0, f32::max);
        let width = widest + 2.0 * ui.spacing().button_padding.x;
        if ui
            .add(egui::Button::new(label).min_size(egui::vec2(width, 0.0)))
            .on_hover_text("Space")
            .clicked()
        {
            out.push(ExerciseCommand::SetClockRunning(!clock.running).into());
        }
        let mut speed = clock.speed;
        wrap_before(ui, 80.0);
        egui::ComboBox::from_id_salt("clock-speed")
            .selected_text(format!("{speed}×"))
            .width(60.0)
            .show_ui(ui, |ui| {
                for s in [0.5, 1.0, 2.0, 4.0, 8.0, 16.0] {
                    ui.selectable_value(&mut speed, s, format!("{s}×"));
                }
            });
        if (speed - clock.speed).abs() > f32::EPSILON {
            out.push(ExerciseCommand::SetClockSpeed(speed).into());
        }
    }
    if mode != Mode::Drill {
        let hint = if mode == Mode::Practice {
            "N"
        } else {
            "Jump the clock one minute"
        };
        if ui.button("+1 min").on_hover_text(hint).clicked() {
            out.push(Intent::Advance { minutes: 1 }.into());
        }
        // Never past an inject or a last chance to act: the jump stops there. People press it
        // again and again, so it keeps its name and place; the stop is told on hover, and on
        // the console, which plans around it, after the row's buttons.
        let step = step_toward(session.minute(), next.as_ref(), 5);
        let label = "+5 min";
        let stop_at = next
            .as_ref()
            .filter(|d| d.minute == session.minute() + step);
        let hover = stop_at.map_or_else(
            || "Jump the clock five minutes".to_owned(),
            |d| {
                format!(
                    "Up to five minutes: this press stops at T+{:02}, {}",
                    d.minute, d.what
                )
            },
        );
        if ui.button(label).on_hover_text(hover).clicked() {
            out.push(Intent::Advance { minutes: step }.into());
        }
        stop_note = (step < 5 && mode == Mode::Facilitated)
            .then(|| format!("+5 stops at T+{:02}", session.minute() + step));
    }
    // Hours or days to the next thing due (a later-day inject, a report's deadline): one jump
    // there, in every mode, since no one waits two days of real time for the next inject.
    if let Some(next) = next
        && next.minute > session.minute() + 5
    {
        let when = session.scenario().clock_label(next.minute);
        if ui
            .button(format!("Skip to {when}"))
            .on_hover_text(format!(
                "Jump the clock to {when}, the next thing due: {}",
                next.what
            ))
            .clicked()
        {
            out.push(
                Intent::Advance {
                    minutes: next.minute - session.minute(),
                }
                .into(),
            );
        }
    }
    // Words that change as the clock goes come after every button, which keep their places.
    if let Some(note) = stop_note {
        ui.label(egui::RichText::new(note).weak());
    }
    if mode != Mode::Practice && clock.running {
        ui.label(format!(
            "next minute in {:.0}s",
            clock.secs_to_next_minute().ceil()
        ));
    }
    out
}

/// Keyboard shortcuts of the clock: Space runs or pauses a real-time clock, N advances a minute in
/// practice. Never while a text field has the keyboard.
pub fn clock_shortcuts(ctx: &egui::Context, mode: Mode, clock: &ScenarioClock) -> Vec<UiCommand> {
    let mut out = Vec::new();
    if ctx.egui_wants_keyboard_input() {
        return out;
    }
    if mode != Mode::Practice && ctx.input(|i| i.key_pressed(egui::Key::Space)) {
        out.push(ExerciseCommand::SetClockRunning(!clock.running).into());
    }
    if mode == Mode::Practice && ctx.input(|i| i.key_pressed(egui::Key::N)) {
        out.push(Intent::Advance { minutes: 1 }.into());
    }
    out
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;
    use crate::app::testing::ransomware_session;

    #[test]
    fn ending_the_exercise_asks_first() {
        let session = ransomware_session(4);
        let clock = ScenarioClock::default();
        let mut harness = Harness::new_ui_state(
            move |ui, out: &mut Vec<UiCommand>| {
                out.extend(clock_bar_ui(ui, &session, Mode::Practice, &clock));
            },
            Vec::new(),
        );
        harness.get_by_label("End exercise").click();
        harness.run();
        assert!(
            harness.state().is_empty(),
            "nothing ends on the first click"
        );
        harness.get_by_label("Keep playing").click();
        harness.run();
        assert!(harness.state().is_empty());
        harness.get_by_label("End exercise").click();
        harness.run();
        harness.get_by_label("Yes, end it").click();
        harness.run();
        assert_eq!(*harness.state(), vec![UiCommand::from(Intent::EndExercise)]);
        assert!(
            harness.query_by_label("End exercise").is_some(),
            "asks again next time"
        );
    }

    /// Draws the bar over `session` and clicks the button labelled `label`.
    fn click_in_bar(session: &Session, mode: Mode, label: &str) -> Vec<UiCommand> {
        let clock = ScenarioClock::default();
        let drawn = session.clone();
        let mut harness = Harness::new_ui_state(
            move |ui, out: &mut Vec<UiCommand>| {
                out.extend(clock_bar_ui(ui, &drawn, mode, &clock));
            },
            Vec::new(),
        );
        harness.run();
        harness.get_by_label(label).click();
        harness.run();
        harness.state().clone()
    }

    #[test]
    fn a_later_day_is_one_skip_away_and_each_skip_stops_at_the_next_thing_due() {
        let mut session = crate::engine::content::shipped::session("customer-data-exfiltration", 0);
        // Past day one's last inject, with the acquirer (card data, seed 0) still not told.
        session.apply(Intent::Advance { minutes: 80 }).unwrap();
        assert_eq!(session.scenario().clock_label(80), "Tue 10:35");
        // First stop: the acquirer's 24 hours, the last minute to file on time.
        let first = click_in_bar(&session, Mode::Drill, "Skip to Wed 09:27 (day 2)");
        assert_eq!(
            first,
            vec![UiCommand::from(Intent::Advance {
                minutes: 12 + 1440 - 80
            })]
        );
        session
            .apply(Intent::Advance {
                minutes: 12 + 1440 - 80,
            })
            .unwrap();
        // Then the day-three inject, released by the jump with nothing before it skipped.
        let second = click_in_bar(&session, Mode::Practice, "Skip to Thu 14:00 (day 3)");
        assert_eq!(
            second,
            vec![UiCommand::from(Intent::Advance {
                minutes: 3165 - 1452
            })]
        );
        session
            .apply(Intent::Advance {
                minutes: 3165 - 1452,
            })
            .unwrap();
        assert_eq!(session.released_at("initial-filing"), Some(3165));
    }

    #[test]
    fn the_jump_buttons_keep_their_place_and_name_as_the_incident_changes() {
        let rects = |session: Session| {
            let clock = ScenarioClock::default();
            let mut harness = Harness::builder()
                .with_size(egui::vec2(1024.0, 200.0))
                .build_ui(move |ui| {
                    clock_bar_ui(ui, &session, Mode::Practice, &clock);
                });
            harness.run();
            (
                harness.get_by_label("+1 min").rect(),
                harness.get_by_label("+5 min").rect(),
            )
        };
        let mut session = ransomware_session(4);
        let before = rects(session.clone());
        // At T+08 the next inject is two minutes off: the jump stops there, under the same name.
        session.apply(Intent::Advance { minutes: 8 }).unwrap();
        session
            .apply(Intent::ClassifySeverity {
                level: 4,
                by: "soc".into(),
            })
            .unwrap();
        assert_eq!(
            click_in_bar(&session, Mode::Practice, "+5 min"),
            vec![UiCommand::from(Intent::Advance { minutes: 2 })]
        );
        assert_eq!(rects(session), before);
    }

    /// A person presses a jump, waits, and presses again without moving the mouse: both land,
    /// and on the console neither the stop nor the running clock moves the buttons.
    #[test]
    fn repeated_presses_on_a_still_pointer_each_land_and_the_buttons_stay_put() {
        let press_twice = |mode: Mode, running: bool, label: &str| {
            let session = ransomware_session(4);
            let clock = ScenarioClock {
                running,
                ..ScenarioClock::default()
            };
            let mut harness = Harness::builder()
                .with_size(egui::vec2(1024.0, 120.0))
                .build_ui_state(
                    move |ui, out: &mut Vec<UiCommand>| {
                        out.extend(clock_controls_ui(ui, &session, mode, &clock));
                    },
                    Vec::new(),
                );
            harness.run();
            let at = harness.get_by_label(label).rect().center();
            harness.hover_at(at);
            harness.run();
            for _ in 0..2 {
                harness.drag_at(at);
                harness.run();
                harness.event(egui::Event::PointerButton {
                    pos: at,
                    button: egui::PointerButton::Primary,
                    pressed: false,
                    modifiers: egui::Modifiers::NONE,
                });
                harness.run();
                // A pause longer than a double click, with no pointer event at all.
                harness.run_steps(30);
                assert_eq!(harness.get_by_label(label).rect().center(), at);
            }
            harness.state().clone()
        };
        assert_eq!(
            press_twice(Mode::Practice, false, "+1 min"),
            vec![UiCommand::from(Intent::Advance { minutes: 1 }); 2]
        );
        // At T+08 on the console the jump stops at the T+10 inject, under its usual name.
        let mut session = ransomware_session(4);
        session.apply(Intent::Advance { minutes: 8 }).unwrap();
        let clock = ScenarioClock {
            running: true,
            ..ScenarioClock::default()
        };
        let drawn = session.clone();
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1024.0, 120.0))
            .build_ui(move |ui| {
                ui.horizontal(|ui| clock_controls_ui(ui, &drawn, Mode::Facilitated, &clock));
            });
        harness.run();
        let five = harness.get_by_label("+5 min").rect();
        harness.get_by_label_contains("+5 stops at T+10");
        let fresh = ransomware_session(4);
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1024.0, 120.0))
            .build_ui(move |ui| {
                ui.horizontal(|ui| {
                    clock_controls_ui(ui, &fresh, Mode::Facilitated, &ScenarioClock::default())
                });
            });
        harness.run();
        assert_eq!(harness.get_by_label("+5 min").rect().min, five.min);
        assert_eq!(
            press_twice(Mode::Facilitated, true, "+5 min"),
            vec![UiCommand::from(Intent::Advance { minutes: 5 }); 2]
        );
    }

    #[test]
    fn at_projector_scale_every_part_of_the_bar_stays_inside_the_window() {
        let session = ransomware_session(4);
        let clock = ScenarioClock::default();
        // 1024×640 at 2× leaves 512 points.
        let mut harness = Harness::builder()
            .with_size(egui::vec2(512.0, 320.0))
            .build_ui(move |ui| {
                clock_bar_ui(ui, &session, Mode::Practice, &clock);
            });
        harness.run();
        for label in ["End exercise", "+1 min", "Business impact 10%", "Practice"] {
            let rect = harness.get_by_label(label).rect();
            assert!(
                rect.right() <= 512.0 && rect.bottom() <= 320.0,
                "{label} at {rect:?} is outside the window"
            );
        }
    }
}
