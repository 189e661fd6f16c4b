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
    /// A chain as in [`Shape::Chain`], plus one inject waiting for any of its links together with
    /// the last link to arrive: every release concerns it, only the last one releases it.
    WaitsForAny,
    /// Injects over a week flipping the severity between 1 and 4, the last one setting 2, plus
    /// one inject waiting for a severity of 2 or 3 (`Any` of thousands of clock-and-severity pairs,
    /// and not 4): every flip concerns it, only the last one releases it.
    SeverityFlips,
}

impl Shape {
    /// Every shape, for benchmarks.
    pub const ALL: [Self; 6] = [
        Self::FlagGate,
        Self::Chain,
        Self::Timed,
        Self::WaitsForAll,
        Self::WaitsForAny,
        Self::SeverityFlips,
    ];

    /// A short name for benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            Self::FlagGate => "flag-gate",
            Self::Chain => "chain",
            Self::Timed => "timed",
            Self::WaitsForAll => "waits-for-all",
            Self::WaitsForAny => "waits-for-any",
            Self::SeverityFlips => "severity-flips",
        }
    }

    /// The id of the one inject waiting on the others, in the shapes that have one.
    pub fn waiting(self) -> Option<&'static str> {
        matches!(
            self,
            Self::WaitsForAll | Self::WaitsForAny | Self::SeverityFlips
        )
        .then_some("waiting")
    }
}

/// A scenario of `n` injects, each of which sets a flag nobody declared: `n` errors to locate and
/// print, the load an error-heavy file puts on validation.
pub fn error_heavy_scenario(n: usize) -> String {
    let mut text = String::from(
        "Scenario(id:\"synthetic\",title:\"Synthetic\",summary:\"s\",difficulty:Introductory,\
         modes:[Practice],duration_mins:60,objectives:[],assets:[],injects:[\n",
    );
    for i in 0..n {
        let _ = writeln!(
            text,
            "Inject(id:\"i{i}\",title:\"t\",release:At({}),narrative:\"n\",sets:[\"undeclared\"]),",
            i % 60
        );
    }
    text.push_str("])\n");
    text
}

/// A scenario of `n` injects plus the one that opens it (and the one waiting, for the shapes that
/// have one), as RON text.
pub fn scenario(shape: Shape, n: usize) -> String {
    let week = matches!(shape, Shape::Timed | Shape::SeverityFlips);
    let duration = if week { 10_080 } else { 60 };
    let mut text = format!(
        "Scenario(id:\"synthetic\",title:\"Synthetic\",summary:\"s\",difficulty:Introductory,\
         modes:[Practice],duration_mins:{duration},objectives:[],assets:[],\
         flags:[Flag(id:\"go\",description:\"d\")],injects:[\n"
    );
    for i in 0..n {
        let chained = matches!(
            shape,
            Shape::Chain | Shape::WaitsForAll | Shape::WaitsForAny
        );
        let release = match shape {
            Shape::FlagGate => "When(Flag(\"go\"))".to_owned(),
            _ if chained && i + 1 == n => "When(Released(\"open\"))".to_owned(),
            _ if chained => format!("When(Released(\"i{}\"))", i + 1),
            Shape::SeverityFlips if i + 1 == n => "At(10079),severity:2".to_owned(),
            Shape::SeverityFlips => format!("At({}),severity:{}", i % 10_079, 1 + 3 * (i % 2)),
            _ => format!("At({})", i % 10_080),
        };
        let _ = writeln!(
            text,
            "Inject(id:\"i{i}\",title:\"t\",release:{release},narrative:\"n\"),"
        );
    }
    let items = |each: &dyn Fn(usize) -> String| (0..n).map(each).collect::<Vec<_>>().join(",");
    let waiting = match shape {
        Shape::WaitsForAll => Some(format!(
            "All([{}])",
            items(&|i| format!("Released(\"i{i}\")"))
        )),
        Shape::WaitsForAny => Some(format!(
            "Any([{}])",
            items(&|i| format!("All([Released(\"i{i}\"),Released(\"i0\")])"))
        )),
        Shape::SeverityFlips => Some(format!(
            "All([Any([{}]),Not(SeverityAtLeast(4))])",
            items(&|i| format!("All([SeverityAtLeast(2),MinuteAtLeast({})])", i % 10_079))
        )),
        Shape::FlagGate | Shape::Chain | Shape::Timed => None,
    };
    if let Some(condition) = waiting {
        let _ = writeln!(
            text,
            "Inject(id:\"waiting\",title:\"t\",release:When({condition}),narrative:\"n\"),"
        );
    }
    text.push_str(
        "Inject(id:\"open\",title:\"t\",release:At(0),narrative:\"n\",sets:[\"go\"]),\n])\n",
    );
    text
}
