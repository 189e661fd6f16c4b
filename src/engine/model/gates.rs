//! Conditions as a circuit of gates whose values are kept up to date as their inputs change, so a
//! change costs what it touches rather than a re-reading of every condition that mentions it.
//!
//! A value is a [`Mask`]: one bit per *class* of a state the owner does not want to fire events
//! for (the session uses one class per band of severity, so a change of severity costs nothing
//! here). An `All` or `Any` gate counts, per class, how many inputs hold, so a changed input is
//! one update of its parent however many siblings it has.

use crate::engine::model::scenario::Condition;

/// A condition's value in each class: bit `k` is whether it holds in class `k`.
pub type Mask = u64;

/// The most classes a mask can tell apart.
pub const MAX_CLASSES: usize = Mask::BITS as usize;

/// The mask with every one of `classes` classes set (all of them past [`MAX_CLASSES`]).
pub fn every_class(classes: usize) -> Mask {
    if classes >= MAX_CLASSES {
        Mask::MAX
    } else {
        (1 << classes) - 1
    }
}

/// What a node of the circuit is: a literal set by its owner, or a gate over earlier nodes.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Literal,
    All {
        inputs: u32,
        slot: u32,
    },
    Any {
        slot: u32,
    },
    /// Over the node just before it (an input is always built right before its gate).
    Not,
}

const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Node {
    kind: Kind,
    parent: u32,
    /// The condition this node is the root of (`NONE` for inner nodes).
    root_of: u32,
}

/// The shape of the circuit: built once per scenario, shared by every session of it.
#[derive(Debug, Default)]
pub struct Gates {
    nodes: Vec<Node>,
    /// The root node of each condition, by condition.
    roots: Vec<u32>,
    slots: u32,
}

impl Gates {
    /// Builds the circuit of `conditions`, calling `literal` with each literal's node and
    /// condition so the caller can index what changes it. With `opaque_not`, a `Not(..)` is a
    /// literal too rather than a gate.
    pub fn build<'c>(
        conditions: impl IntoIterator<Item = &'c Condition>,
        opaque_not: bool,
        mut literal: impl FnMut(u32, &'c Condition),
    ) -> Self {
        let mut gates = Self::default();
        for (index, condition) in conditions.into_iter().enumerate() {
            let root = gates.add(condition, opaque_not, &mut literal);
            if let Some(node) = gates.nodes.get_mut(root as usize) {
                node.root_of = u32::try_from(index).unwrap_or(NONE);
            }
            gates.roots.push(root);
        }
        gates
    }

    fn add<'c>(
        &mut self,
        condition: &'c Condition,
        opaque_not: bool,
        literal: &mut impl FnMut(u32, &'c Condition),
    ) -> u32 {
        match condition {
            Condition::All(items) | Condition::Any(items) => {
                let children: Vec<u32> = items
                    .iter()
                    .map(|item| self.add(item, opaque_not, literal))
                    .collect();
                let inputs = u32::try_from(children.len()).unwrap_or(u32::MAX);
                let slot = self.slots;
                self.slots += 1;
                let gate = self.push(if matches!(condition, Condition::All(_)) {
                    Kind::All { inputs, slot }
                } else {
                    Kind::Any { slot }
                });
                for child in children {
                    self.link(child, gate);
                }
                gate
            }
            Condition::Not(inner) if !opaque_not => {
                let child = self.add(inner, opaque_not, literal);
                let gate = self.push(Kind::Not);
                self.link(child, gate);
                gate
            }
            _ => {
                let node = self.push(Kind::Literal);
                literal(node, condition);
                node
            }
        }
    }

    fn push(&mut self, kind: Kind) -> u32 {
        let id = u32::try_from(self.nodes.len()).unwrap_or(NONE);
        self.nodes.push(Node {
            kind,
            parent: NONE,
            root_of: NONE,
        });
        id
    }

    fn link(&mut self, child: u32, parent: u32) {
        if let Some(node) = self.nodes.get_mut(child as usize) {
            node.parent = parent;
        }
    }

    /// How many conditions the circuit was built from.
    pub fn conditions(&self) -> usize {
        self.roots.len()
    }
}

/// The values of a circuit's nodes in one session (or one validation).
#[derive(Clone, Debug)]
pub struct GateValues {
    masks: Vec<Mask>,
    /// Per `All`/`Any` gate and class, how many inputs hold.
    counts: Vec<u32>,
    classes: usize,
}

impl GateValues {
    /// Values for `classes` classes (1 to [`MAX_CLASSES`]), literals starting at `initial`.
    pub fn new(gates: &Gates, classes: usize, mut initial: impl FnMut(u32) -> Mask) -> Self {
        let classes = classes.clamp(1, MAX_CLASSES);
        let mut values = Self {
            masks: Vec::with_capacity(gates.nodes.len()),
            counts: vec![0; gates.slots as usize * classes],
            classes,
        };
        let full = values.full();
        // Inputs come before their gate, so one pass in order computes every gate.
        for (id, node) in gates.nodes.iter().enumerate() {
            let mask = match node.kind {
                Kind::Literal => initial(id as u32) & full,
                kind => values.gate_mask(kind, id),
            };
            values.masks.push(mask);
            values.count(gates, node.parent, 0, mask);
        }
        values
    }

    fn full(&self) -> Mask {
        every_class(self.classes)
    }

    fn mask(&self, node: usize) -> Mask {
        self.masks.get(node).copied().unwrap_or(0)
    }

    /// The counts of one gate, by class.
    fn counts(&self, slot: u32) -> &[u32] {
        let base = slot as usize * self.classes;
        self.counts.get(base..base + self.classes).unwrap_or(&[])
    }

    /// Counts a change of one input of `gate` from `old` to `new`.
    fn count(&mut self, gates: &Gates, gate: u32, old: Mask, new: Mask) {
        let Some(Kind::All { slot, .. } | Kind::Any { slot }) =
            gates.nodes.get(gate as usize).map(|n| n.kind)
        else {
            return;
        };
        let base = slot as usize * self.classes;
        let mut changed = old ^ new;
        while changed != 0 {
            let class = changed.trailing_zeros() as usize;
            changed &= changed - 1;
            if let Some(count) = self.counts.get_mut(base + class) {
                if new & (1 << class) != 0 {
                    *count += 1;
                } else {
                    *count = count.saturating_sub(1);
                }
            }
        }
    }

    /// A gate's value from its counts (or, for `Not`, from its input).
    fn gate_mask(&self, kind: Kind, id: usize) -> Mask {
        let classes_where = |slot: u32, holds: &dyn Fn(u32) -> bool| {
            self.counts(slot)
                .iter()
                .enumerate()
                .filter(|(_, n)| holds(**n))
                .fold(0, |mask, (class, _)| mask | 1 << class)
        };
        match kind {
            Kind::Literal => self.mask(id),
            Kind::All { inputs, slot } => classes_where(slot, &|n| n == inputs),
            Kind::Any { slot } => classes_where(slot, &|n| n > 0),
            Kind::Not => !self.mask(id.wrapping_sub(1)) & self.full(),
        }
    }

    /// Sets a literal, updating the gates above it; `changed` hears of every condition whose
    /// value changed, with its old and new value.
    pub fn set(
        &mut self,
        gates: &Gates,
        literal: u32,
        mask: Mask,
        mut changed: impl FnMut(usize, Mask, Mask),
    ) {
        let mut id = literal as usize;
        let mut new = mask & self.full();
        while let Some(node) = gates.nodes.get(id)
            && let Some(slot) = self.masks.get_mut(id)
            && *slot != new
        {
            let old = std::mem::replace(slot, new);
            if node.root_of != NONE {
                changed(node.root_of as usize, old, new);
            }
            let Some(parent) = gates.nodes.get(node.parent as usize) else {
                return;
            };
            self.count(gates, node.parent, old, new);
            id = node.parent as usize;
            new = self.gate_mask(parent.kind, id);
        }
    }

    /// The value of condition `index` (as given to [`Gates::build`]).
    pub fn condition(&self, gates: &Gates, index: usize) -> Mask {
        gates
            .roots
            .get(index)
            .map_or(0, |&root| self.mask(root as usize))
    }

    /// Every class set.
    pub fn all_classes(&self) -> Mask {
        self.full()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(name: &str) -> Condition {
        Condition::Flag(name.into())
    }

    /// Literals keyed by flag name, for setting them by name.
    fn circuit(conditions: &[Condition]) -> (Gates, Vec<(u32, String)>) {
        let mut literals = Vec::new();
        let gates = Gates::build(conditions, false, |node, c| {
            if let Condition::Flag(f) = c {
                literals.push((node, f.to_string()));
            }
        });
        (gates, literals)
    }

    fn set_flag(
        values: &mut GateValues,
        gates: &Gates,
        literals: &[(u32, String)],
        name: &str,
    ) -> Vec<(usize, Mask)> {
        let mut changes = Vec::new();
        for (node, _) in literals.iter().filter(|(_, f)| f == name) {
            values.set(gates, *node, 1, |c, _, new| changes.push((c, new)));
        }
        changes
    }

    #[test]
    fn gates_follow_their_inputs_both_ways() {
        let conditions = vec![
            Condition::Any(
                (0..1000)
                    .map(|i| Condition::All(vec![flag(&format!("a{i}")), flag(&format!("b{i}"))]))
                    .collect(),
            ),
            Condition::Not(Box::new(flag("a7"))),
            Condition::All(vec![]),
            Condition::Any(vec![]),
        ];
        let (gates, literals) = circuit(&conditions);
        let mut values = GateValues::new(&gates, 1, |_| 0);
        assert_eq!(
            (0..4)
                .map(|c| values.condition(&gates, c))
                .collect::<Vec<_>>(),
            [0, 1, 1, 0]
        );
        assert_eq!(
            set_flag(&mut values, &gates, &literals, "a7"),
            [(1, 0)],
            "only the Not changed"
        );
        assert_eq!(set_flag(&mut values, &gates, &literals, "b8"), []);
        assert_eq!(set_flag(&mut values, &gates, &literals, "b7"), [(0, 1)]);
        // And back: the literal is cleared, the `All` and so the `Any` stop holding.
        let mut changes = Vec::new();
        for (node, _) in literals.iter().filter(|(_, f)| f == "a7") {
            values.set(&gates, *node, 0, |c, _, new| changes.push((c, new)));
        }
        assert_eq!(changes, [(0, 0), (1, 1)]);
    }

    #[test]
    fn each_class_is_counted_apart() {
        // Holds in class 1 through one input and in class 2 through both.
        let conditions = vec![Condition::All(vec![flag("x"), flag("y")])];
        let mut nodes = Vec::new();
        let gates = Gates::build(&conditions, false, |node, _| nodes.push(node));
        let mut values = GateValues::new(
            &gates,
            3,
            |node| if node == nodes[0] { 0b110 } else { 0b100 },
        );
        assert_eq!(values.condition(&gates, 0), 0b100);
        let mut seen = Vec::new();
        values.set(&gates, nodes[1], 0b111, |c, old, new| {
            seen.push((c, old, new));
        });
        assert_eq!(seen, [(0, 0b100, 0b110)]);
        assert_eq!(values.all_classes(), 0b111);
    }

    #[test]
    fn an_opaque_not_is_a_literal() {
        let conditions = vec![Condition::Not(Box::new(flag("x")))];
        let mut literals = Vec::new();
        let gates = Gates::build(&conditions, true, |node, c| {
            literals.push((node, c.clone()));
        });
        assert_eq!(literals, [(0, conditions[0].clone())]);
        assert_eq!(gates.conditions(), 1);
    }
}
