//! `sts`: the AWS CLI's `aws sts` as one command, built on `sts_client`.
//!
//! ```text
//! cargo run --example sts -- get-caller-identity --output text --query Account
//! ```
//!
//! Output, errors and exit codes follow AWS CLI v2 so scripts written for it keep working;
//! the modules say which part of the AWS CLI each one follows.

// Phase 1: the layers exist before the library calls that use them are wired.
#![allow(dead_code)]

mod cli;
mod doc;
mod exit;
mod ops;
mod output;
mod params;
mod query;
mod render;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;

use crate::cli::Cli;
use crate::exit::CliError;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    match run(&cli) {
        Ok(stdout) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting, as in the AWS CLI.
            let _ = out.write_all(stdout.as_bytes());
            let _ = out.flush();
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = std::io::stderr().write_all(e.stderr_text().as_bytes());
            ExitCode::from(e.exit_code())
        }
    }
}

/// clap's help and version exit 0; every other argument error is the AWS CLI's 252.
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let _ = e.print();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => ExitCode::SUCCESS,
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            ExitCode::from(exit::PARAM_VALIDATION)
        }
        _ => ExitCode::from(exit::PARAM_VALIDATION),
    }
}

/// Runs the command and returns what to print on stdout.
fn run(cli: &Cli) -> Result<String, CliError> {
    let query = cli
        .global
        .query
        .as_deref()
        .map(query::Query::parse)
        .transpose()
        .map_err(CliError::Usage)?;
    let _ = query;
    Err(CliError::General(format!(
        "{} is not wired to the library yet",
        cli.command.operation_name()
    )))
}
