//! Scenario files of any size, in the shapes that once made validation or play slow: for the
//! benchmarks and the scale tests. Valid against the reference matrix.

use std::fmt::Write as _;

/// How the injects of a synthetic scenario are released.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Every inject waits for one flag, which the last inject of the file sets.
    FlagGate,
    /// Each inject waits for the release of the one after it in the file: a chain read backwards.
    Chain,
    /// Every inject at its own minute over a week-long scenario.
    Timed,
    /// A chain as in [`Shape::Chain`], plus one inject waiting for all of them at once, listed in
    /// the order they arrive last.
    WaitsForAll,
}

impl Shape {
    /// Every shape, for benchmarks.
    pub const ALL: [Self; 4] = [Self::FlagGate, Self::Chain, Self::Timed, Self::WaitsForAll];

    /// A short name for benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            Self::FlagGate => "flag-gate",
            Self::Chain => "chain",
            Self::Timed => "timed",
            Self::WaitsForAll => "waits-for-all",
        }
    }
}

/// A scenario of `n` injects plus the one that opens it (and, for [`Shape::WaitsForAll`], the one
/// waiting for all), as RON text.
pub fn scenario(shape: Shape, n: usize) -> String {
    let duration = if shape == Shape::Timed { 10_080 } else { 60 };
    let mut text = format!(
        "Scenario(id:\"synthetic\",title:\"Synthetic\",summary:\"s\",difficulty:Introductory,\
         modes:[Practice],duration_mins:{duration},objectives:[],assets:[],\
         flags:[Flag(id:\"go\",description:\"d\")],injects:[\n"
    );
    for i in 0..n {
        let release = match shape {
            Shape::FlagGate => "When(Flag(\"go\"))".to_owned(),
            Shape::Chain | Shape::WaitsForAll if i + 1 == n => {
                "When(Released(\"open\"))".to_owned()
            }
            Shape::Chain | Shape::WaitsForAll => format!("When(Released(\"i{}\"))", i + 1),
            Shape::Timed => format!("At({})", i % 10_080),
        };
        let _ = writeln!(
            text,
            "Inject(id:\"i{i}\",title:\"t\",release:{release},narrative:\"n\"),"
        );
    }
    if shape == Shape::WaitsForAll {
        let all: Vec<String> = (0..n).map(|i| format!("Released(\"i{i}\")")).collect();
        let _ = writeln!(
            text,
            "Inject(id:\"all\",title:\"t\",release:When(All([{}])),narrative:\"n\"),",
            all.join(",")
        );
    }
    text.push_str(
        "Inject(id:\"open\",title:\"t\",release:At(0),narrative:\"n\",sets:[\"go\"]),\n])\n",
    );
    text
}
