//! What the facilitator can do to a room's seats.

/// What the facilitator can do to the room's seats and the devices at them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeatChange {
    /// Devices may take the seat.
    OpenSeat(String),
    /// Nobody may take it, and its devices are paused (they keep their places).
    CloseSeat(String),
    /// The seat goes (a role nobody plays).
    RemoveSeat(String),
    /// A device (a person) moves to another seat.
    MoveDevice {
        /// The device's number.
        device: u32,
        /// The seat it moves to.
        to: String,
    },
    /// A device loses its seat.
    RemoveDevice(u32),
    /// Two seats become one team seat playing both's roles.
    Combine {
        /// The seat that stays.
        into: String,
        /// The seat that joins it.
        from: String,
    },
    /// A team seat goes back to one seat per role.
    Split(String),
}
