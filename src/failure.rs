//! Errors that end a command, with the exit code of the command-line contract.

use std::fmt;

/// A failure that stops a command. Its message is one line for stderr.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// Bad flag, unknown VPC or environment, unreadable snapshot (exit code 2).
    BadInput(String),
    /// AWS unreachable, no credentials, or the core EC2 data denied (exit code 3).
    Aws(String),
    /// The terminal could not be set up, drawn on or read from (exit code 4).
    Terminal(String),
}

impl Failure {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::BadInput(_) => 2,
            Self::Aws(_) => 3,
            Self::Terminal(_) => 4,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // One line on stderr, whatever the message holds.
            Self::BadInput(message) | Self::Aws(message) | Self::Terminal(message) => {
                f.write_str(&message.split_whitespace().collect::<Vec<_>>().join(" "))
            }
        }
    }
}
