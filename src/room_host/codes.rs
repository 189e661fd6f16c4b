//! Join codes, console codes and seat tokens: 128 random bits from the operating system, written
//! as 32 hex digits so they survive being read aloud, typed or put in a QR code.

use std::fmt::Write as _;

/// A new unguessable code.
pub fn new_code() -> String {
    let mut bytes = [0_u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    bytes.iter().fold(String::with_capacity(32), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Compares a code from a request with the real one in time that does not depend on where they
/// first differ, so a code cannot be found byte by byte by timing answers.
pub fn same(given: &str, real: &str) -> bool {
    let (given, real) = (given.as_bytes(), real.as_bytes());
    given.len() == real.len() && given.iter().zip(real).fold(0, |acc, (a, b)| acc | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_fresh_and_compared_whole() {
        let (a, b) = (new_code(), new_code());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert!(same(&a, &a.clone()));
        assert!(!same(&a, &b));
        assert!(!same(&a[..31], &a));
        assert!(!same("", &a));
    }
}
