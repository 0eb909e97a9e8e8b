//! Helpers shared by the integration tests: `mod support;` in a test file includes them.
//!
//! Each test file is its own crate and uses only part of this, hence the `dead_code` allowance.

#[allow(dead_code)]
pub mod fault_server;
