//! The console's Room tab: hosting the exercise for seats on the attendees' own devices. Closed,
//! it asks who may join and opens the room; open, it shows the addresses with a QR code of the join
//! address, the seats with the people and devices at them, and each seat's chat.

use bevy_egui::egui;

use crate::app::messages::{ExerciseCommand, UiCommand};
use crate::app::screens::widgets::{badge, qr_ui, wrap_before};
use crate::app::theme;
use crate::engine::exercise::ExerciseRecord;
use crate::engine::room::SeatChange;
use crate::hosting::OpenRoom;

use super::state::ConsoleState;

fn manage(change: SeatChange) -> UiCommand {
    UiCommand::Exercise(ExerciseCommand::ManageSeat(change))
}

/// How long ago, for a person.
/// Asks whether to carry out `change` when it is the removal waiting to be confirmed.
fn confirm_ui(
    ui: &mut egui::Ui,
    state: &mut ConsoleState,
    change: &SeatChange,
    question: &str,
    out: &mut Vec<UiCommand>,
) {
    if state.confirm_removal.as_ref() != Some(change) {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(theme::palette(ui).warning, question);
        if ui.small_button("Remove").clicked() {
            out.push(manage(change.clone()));
            state.confirm_removal = None;
        }
        if ui.small_button("Keep").clicked() {
            state.confirm_removal = None;
        }
    });
}

fn ago(secs: i64) -> String {
    match secs {
        ..60 => "just now".to_owned(),
        60..3600 => format!("{} min ago", secs / 60),
        _ => format!("{} h ago", secs / 3600),
    }
}

/// The Room tab.
pub fn room_ui(
    ui: &mut egui::Ui,
    record: &ExerciseRecord,
    room: Option<&OpenRoom>,
    state: &mut ConsoleState,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let Some(room) = room else {
        ui.label(
            "Open the room to let each team act from its own seat, on its own phone or laptop, \
             in a browser. The console keeps the clock, the notes and the scorecard.",
        );
        ui.add_space(theme::GAP);
        ui.label("Who may join:");
        ui.radio_value(
            &mut state.room_local_network,
            false,
            "This computer only (for trying it out)",
        );
        ui.radio_value(
            &mut state.room_local_network,
            true,
            "Devices on this computer's network",
        );
        if state.room_local_network {
            ui.label(
                egui::RichText::new(
                    "Anyone on the network who has the join address can take a seat. The \
                     firewall must let them reach this computer.",
                )
                .weak(),
            );
        }
        if ui.button("Open the room").clicked() {
            out.push(UiCommand::Exercise(ExerciseCommand::OpenRoom {
                local_network: state.room_local_network,
            }));
        }
        return out;
    };
    let addresses = &room.addresses;
    ui.horizontal_wrapped(|ui| {
        badge(ui, "the room is open", theme::palette(ui).success);
        if ui.button("Close the room").clicked() {
            out.push(UiCommand::Exercise(ExerciseCommand::CloseRoom));
        }
    });
    ui.label("Join (share this or the QR code):");
    ui.add(egui::Label::new(egui::RichText::new(&addresses.join).monospace()).wrap());
    qr_ui(ui, &addresses.join, 180.0);
    ui.label("Projector (read-only):");
    ui.add(egui::Label::new(egui::RichText::new(&addresses.projector).monospace()).wrap());
    ui.label("Console on another device:");
    ui.add(egui::Label::new(egui::RichText::new(&addresses.console).monospace().weak()).wrap());
    ui.separator();
    ui.heading("Seats");
    ui.label(
        egui::RichText::new(
            "A seat is where a device acts from: each phone or laptop that joins takes one. Who \
             plays which role, for the report and the hotwash, is on the People tab.",
        )
        .small()
        .weak(),
    );
    let Some(seats) = &record.room else {
        return out;
    };
    let now = crate::store::unix_now();
    for seat in &seats.seats {
        let connected = room.connected(&seat.seat.id);
        let id = &seat.seat.id;
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(&seat.seat.name).strong());
            if !seat.open {
                badge(ui, "closed", theme::palette(ui).warning);
            }
            let active = seat.last_active.map_or_else(
                || "nothing sent yet".to_owned(),
                |t| format!("last active {}", ago(now - t)),
            );
            ui.label(
                egui::RichText::new(format!(
                    "{connected} connected · {} sent · {active}",
                    seat.intents
                ))
                .weak(),
            );
        });
        ui.horizontal_wrapped(|ui| {
            let change = if seat.open {
                (
                    "Close",
                    SeatChange::CloseSeat(id.clone()),
                    "Pauses the seat: its devices keep their places and act again when you open it",
                )
            } else {
                (
                    "Open",
                    SeatChange::OpenSeat(id.clone()),
                    "Its devices act again, and others may join it",
                )
            };
            if ui.small_button(change.0).on_hover_text(change.2).clicked() {
                out.push(manage(change.1));
            }
            if ui
                .small_button("Remove seat")
                .on_hover_text("For a role nobody plays: its devices are sent away")
                .clicked()
            {
                state.confirm_removal = Some(SeatChange::RemoveSeat(id.clone()));
            }
            if seat.seat.roles.len() > 1 && ui.small_button("Split").clicked() {
                out.push(manage(SeatChange::Split(id.clone())));
            }
            seat_list_room(ui);
            egui::ComboBox::from_id_salt(("combine-seat", id))
                .width(SEAT_LIST_WIDTH)
                .selected_text("Combine with…")
                .show_ui(ui, |ui| {
                    for other in seats.seats.iter().filter(|o| o.seat.id != *id) {
                        if ui.selectable_label(false, &other.seat.name).clicked() {
                            out.push(manage(SeatChange::Combine {
                                into: id.clone(),
                                from: other.seat.id.clone(),
                            }));
                        }
                    }
                });
        });
        let removing_seat = SeatChange::RemoveSeat(id.clone());
        let question = if seat.devices.is_empty() {
            format!("Remove the seat {}?", seat.seat.name)
        } else {
            format!(
                "Remove the seat {}? Its {} devices are sent away and must join another seat.",
                seat.seat.name,
                seat.devices.len()
            )
        };
        confirm_ui(ui, state, &removing_seat, &question, &mut out);
        for device in &seat.devices {
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("#{} {}", device.number, device.person));
                seat_list_room(ui);
                egui::ComboBox::from_id_salt(("move-device", device.number))
                    .width(SEAT_LIST_WIDTH)
                    .selected_text("Move to…")
                    .show_ui(ui, |ui| {
                        for other in seats.seats.iter().filter(|o| o.seat.id != *id) {
                            if ui.selectable_label(false, &other.seat.name).clicked() {
                                out.push(manage(SeatChange::MoveDevice {
                                    device: device.number,
                                    to: other.seat.id.clone(),
                                }));
                            }
                        }
                    });
                if ui.small_button("Remove").clicked() {
                    state.confirm_removal = Some(SeatChange::RemoveDevice(device.number));
                }
            });
            let question = format!(
                "Send #{} {} away? Their page says so and how to join again.",
                device.number, device.person
            );
            confirm_ui(
                ui,
                state,
                &SeatChange::RemoveDevice(device.number),
                &question,
                &mut out,
            );
        }
        ui.add_space(theme::GAP / 2.0);
    }
    ui.separator();
    ui.heading("Chat with the seats");
    let chosen = state
        .chat_seat
        .clone()
        .filter(|id| seats.by_id(id).is_some())
        .or_else(|| seats.seats.first().map(|s| s.seat.id.clone()));
    egui::ComboBox::from_id_salt("chat-seat")
        .selected_text(
            chosen
                .as_deref()
                .and_then(|id| seats.by_id(id))
                .map_or("Choose a seat", |s| s.seat.name.as_str()),
        )
        .show_ui(ui, |ui| {
            for seat in &seats.seats {
                let count = seats.chat_of(&seat.seat.id).count();
                let label = if count == 0 {
                    seat.seat.name.clone()
                } else {
                    format!("{} ({count})", seat.seat.name)
                };
                if ui
                    .selectable_label(chosen.as_deref() == Some(seat.seat.id.as_str()), label)
                    .clicked()
                {
                    state.chat_seat = Some(seat.seat.id.clone());
                }
            }
        });
    if let Some(seat) = chosen {
        for line in seats.chat_of(&seat) {
            let who = if line.from_facilitator {
                "You".to_owned()
            } else {
                line.person.clone()
            };
            ui.label(format!("T+{:02} {who}: {}", line.minute, line.text));
        }
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut state.chat_text)
                    .hint_text("Write to this seat")
                    .desired_width(ui.available_width() - 80.0),
            );
            if ui.button("Send").clicked() && !state.chat_text.trim().is_empty() {
                out.push(UiCommand::Exercise(ExerciseCommand::ChatToSeat {
                    seat: seat.clone(),
                    text: std::mem::take(&mut state.chat_text),
                }));
            }
        });
    }
    out
}

/// The width of the lists that pick a seat.
const SEAT_LIST_WIDTH: f32 = 140.0;

/// Starts a new line for a seat list that would not fit the rest of this one: a list placed in
/// too little room ran to the panel's edge.
fn seat_list_room(ui: &mut egui::Ui) {
    let needed = SEAT_LIST_WIDTH + 2.0 * ui.spacing().button_padding.x + ui.spacing().icon_width;
    wrap_before(ui, needed);
}
