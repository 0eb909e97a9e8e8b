//! `sts`: the AWS CLI's `aws sts` as one command, built on `sts_client`.
//!
//! ```text
//! cargo run --example sts -- get-caller-identity --output text --query Account
//! ```
//!
//! Output, errors and exit codes follow AWS CLI v2 so scripts written for it keep working;
//! the modules say which part of the AWS CLI each one follows.

mod app;
mod cli;
mod debug;
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

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "\ncannot start the async runtime: {e}");
            return ExitCode::from(exit::GENERAL);
        }
    };
    let outcome = runtime.block_on(async {
        tokio::select! {
            result = app::run(&cli) => result,
            _ = tokio::signal::ctrl_c() => Err(exit::CliError::Interrupted),
        }
    });
    match outcome {
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
        _ => ExitCode::from(exit::PARAM_VALIDATION),
    }
}
