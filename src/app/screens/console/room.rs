//! The console's Room tab: hosting the exercise for seats on the attendees' own devices. Closed,
//! it asks who may join and opens the room; open, it shows the addresses with a QR code of the join
//! address, the seats with the people and devices at them, and each seat's chat.

use bevy_egui::egui;

use crate::app::messages::{ExerciseCommand, UiCommand};
use crate::app::screens::widgets::{badge, qr_ui};
use crate::app::theme;
use crate::engine::exercise::ExerciseRecord;
use crate::engine::hosting::OpenRoom;

use super::state::ConsoleState;

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
    let addresses = room.0.addresses();
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
    let Some(seats) = &record.room else {
        return out;
    };
    for seat in &seats.seats {
        let connected = room.0.connected(&seat.seat.id);
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(&seat.seat.name).strong());
            if !seat.open {
                badge(ui, "closed", theme::palette(ui).warning);
            }
            let people: Vec<&str> = seat.devices.iter().map(|d| d.person.as_str()).collect();
            ui.label(if people.is_empty() {
                "nobody yet".to_owned()
            } else {
                people.join(", ")
            });
            ui.label(
                egui::RichText::new(format!("{connected} connected · {} sent", seat.intents))
                    .weak(),
            );
        });
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
