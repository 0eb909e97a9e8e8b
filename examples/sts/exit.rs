//! Errors and exit codes as the AWS CLI v2 reports them.
//!
//! Exit codes from awscli `constants.py` and the "return codes" topic: 0 success, 130
//! interrupted, 252 command syntax / unknown parameter / parameter validation, 253 environment
//! or configuration (no credentials, no region, unknown profile), 254 the service returned an
//! error, 255 anything else (e.g. a connection failure). Messages follow `clidriver.py`'s
//! handlers, which write `"\n%s\n" % error` to stderr.

use std::fmt;

/// `PARAM_VALIDATION_ERROR_RC`.
pub const PARAM_VALIDATION: u8 = 252;
/// `CONFIGURATION_ERROR_RC`.
pub const CONFIGURATION: u8 = 253;
/// `CLIENT_ERROR_RC`.
pub const CLIENT_ERROR: u8 = 254;
/// `GENERAL_ERROR_RC`.
pub const GENERAL: u8 = 255;
/// Ctrl-C (128 + SIGINT).
pub const INTERRUPTED: u8 = 130;

/// A failure of the command, with the AWS CLI's wording and exit code.
#[derive(Debug)]
pub enum CliError {
    /// Command-line syntax (clap's own message, printed as is).
    Usage(String),
    /// `Parameter validation failed:` followed by the reasons.
    ParamValidation(String),
    /// A value that cannot be read or parsed (`Error parsing parameter '--x': ...`).
    ParamParse {
        /// The option, e.g. `--tags`.
        param: String,
        /// What was wrong.
        message: String,
    },
    /// Missing credentials or region, unknown profile, unreadable config.
    Config(String),
    /// The service answered with an error.
    Service {
        /// The error code, e.g. `InvalidClientTokenId`.
        code: String,
        /// The service's message.
        message: String,
        /// The operation name, e.g. `GetCallerIdentity`.
        operation: String,
    },
    /// Anything else: connection failures, unparsable responses, local I/O.
    General(String),
    /// Ctrl-C.
    Interrupted,
}

impl CliError {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::ParamValidation(_) | CliError::ParamParse { .. } => {
                PARAM_VALIDATION
            }
            CliError::Config(_) => CONFIGURATION,
            CliError::Service { .. } => CLIENT_ERROR,
            CliError::General(_) => GENERAL,
            CliError::Interrupted => INTERRUPTED,
        }
    }

    /// What to write to stderr.
    pub fn stderr_text(&self) -> String {
        match self {
            CliError::Usage(text) => text.clone(),
            // The AWS CLI ends the line the user's ^C interrupted, and says nothing else.
            CliError::Interrupted => "\n".to_owned(),
            other => format!("\n{other}\n"),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(text) => f.write_str(text.trim_end()),
            CliError::ParamValidation(reasons) => {
                write!(f, "Parameter validation failed:\n{reasons}")
            }
            CliError::ParamParse { param, message } => {
                write!(f, "Error parsing parameter '{param}': {message}")
            }
            CliError::Config(message) | CliError::General(message) => f.write_str(message),
            CliError::Interrupted => f.write_str("interrupted"),
            CliError::Service {
                code,
                message,
                operation,
            } => write!(
                f,
                "An error occurred ({code}) when calling the {operation} operation: {message}"
            ),
        }
    }
}

impl std::error::Error for CliError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_errors_read_like_the_aws_cli() {
        let e = CliError::Service {
            code: "InvalidClientTokenId".into(),
            message: "The security token included in the request is invalid.".into(),
            operation: "GetCallerIdentity".into(),
        };
        assert_eq!(
            e.stderr_text(),
            "\nAn error occurred (InvalidClientTokenId) when calling the GetCallerIdentity \
             operation: The security token included in the request is invalid.\n"
        );
        assert_eq!(e.exit_code(), 254);
    }

    #[test]
    fn exit_codes_by_kind() {
        assert_eq!(CliError::Usage("x".into()).exit_code(), 252);
        assert_eq!(CliError::ParamValidation("x".into()).exit_code(), 252);
        assert_eq!(CliError::Config("x".into()).exit_code(), 253);
        assert_eq!(CliError::General("x".into()).exit_code(), 255);
        assert_eq!(CliError::Interrupted.exit_code(), 130);
        assert_eq!(
            CliError::ParamValidation("Invalid length for parameter RoleArn".into()).stderr_text(),
            "\nParameter validation failed:\nInvalid length for parameter RoleArn\n"
        );
    }
}
