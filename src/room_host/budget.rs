//! How many live connections (web sockets) each kind of page may hold, so that no kind can crowd
//! out another: anyone with the join code can open projectors, but only so many, and never at
//! the expense of seats or the console.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

/// Live connections at once, all kinds together.
pub const MAX_SOCKETS: usize = 512;
/// Projector pages at once, and from any one address.
pub const MAX_PROJECTORS: usize = 32;
pub const MAX_PROJECTORS_PER_ADDRESS: usize = 4;
/// The facilitator's pages (the console, and seats it acts for) at once.
pub const MAX_CONSOLES: usize = 32;
/// Pages one device holds at once (a phone with a tab or two open).
pub const MAX_PER_DEVICE: usize = 4;

/// Which page a connection is for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A device's seat page, by its token.
    Device(String),
    /// The console, or a seat page the facilitator acts from.
    Console,
    /// A projector page, from an address.
    Projector(IpAddr),
}

#[derive(Default)]
struct Counts {
    all: usize,
    projectors: usize,
    consoles: usize,
    by_key: HashMap<Kind, usize>,
}

/// The live connections, counted by kind.
#[derive(Default)]
pub struct Budget(Mutex<Counts>);

impl Budget {
    /// Takes a place for a connection of `kind`, or says there is none.
    pub fn admit(self: &Arc<Self>, kind: Kind) -> Option<Place> {
        let mut counts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let own = counts.by_key.get(&kind).copied().unwrap_or(0);
        let fits = match &kind {
            Kind::Device(_) => own < MAX_PER_DEVICE,
            Kind::Console => counts.consoles < MAX_CONSOLES,
            Kind::Projector(_) => {
                counts.projectors < MAX_PROJECTORS && own < MAX_PROJECTORS_PER_ADDRESS
            }
        };
        if !fits || counts.all >= MAX_SOCKETS {
            return None;
        }
        counts.all += 1;
        match &kind {
            Kind::Device(_) => {}
            Kind::Console => counts.consoles += 1,
            Kind::Projector(_) => counts.projectors += 1,
        }
        *counts.by_key.entry(kind.clone()).or_insert(0) += 1;
        Some(Place {
            budget: Arc::clone(self),
            kind,
        })
    }

    fn release(&self, kind: &Kind) {
        let mut counts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        counts.all = counts.all.saturating_sub(1);
        match kind {
            Kind::Device(_) => {}
            Kind::Console => counts.consoles = counts.consoles.saturating_sub(1),
            Kind::Projector(_) => counts.projectors = counts.projectors.saturating_sub(1),
        }
        if let Some(n) = counts.by_key.get_mut(kind) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                counts.by_key.remove(kind);
            }
        }
    }
}

/// A connection's place, given back when it ends (or its upgrade is abandoned).
pub struct Place {
    budget: Arc<Budget>,
    kind: Kind,
}

impl Drop for Place {
    fn drop(&mut self) {
        self.budget.release(&self.kind);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projectors_cannot_crowd_out_seats_or_the_console() {
        let budget = Arc::new(Budget::default());
        let here: IpAddr = [10, 0, 0, 5].into();
        let mut held = Vec::new();
        for _ in 0..MAX_PROJECTORS_PER_ADDRESS {
            held.push(budget.admit(Kind::Projector(here)).unwrap());
        }
        assert!(budget.admit(Kind::Projector(here)).is_none(), "per address");
        for n in 0..MAX_PROJECTORS {
            if let Some(place) = budget.admit(Kind::Projector([10, 0, 1, n as u8].into())) {
                held.push(place);
            }
        }
        assert_eq!(held.len(), MAX_PROJECTORS, "in all");
        assert!(budget.admit(Kind::Device("token".into())).is_some());
        assert!(budget.admit(Kind::Console).is_some());
        // A device's pages are bounded too, and a place comes back when its page goes.
        let device: Vec<_> = (0..MAX_PER_DEVICE)
            .map(|_| budget.admit(Kind::Device("phone".into())).unwrap())
            .collect();
        assert!(budget.admit(Kind::Device("phone".into())).is_none());
        drop(device);
        assert!(budget.admit(Kind::Device("phone".into())).is_some());
        held.clear();
        assert!(budget.admit(Kind::Projector(here)).is_some());
    }
}
