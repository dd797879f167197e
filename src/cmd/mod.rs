//! One module per command: each parses nothing (main.rs has the command line) and does one
//! job, printing what happened to every file on the console.

pub mod check;
pub mod console;
pub mod frameworks;
pub mod init;
pub mod run;
