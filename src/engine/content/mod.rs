//! Reading content from disk: bounded, located loading of every file kind, the library of what
//! loaded (and what did not), and validation that reports every problem at once.

pub mod derive;
pub mod library;
pub mod load;
pub mod script;
pub mod shipped;
pub mod synthetic;
pub mod template;
pub mod validate;
