//! A blocking client for programs without async (feature `blocking`).

use super::Client;
use crate::error::Error;
use crate::operations::Operation;

/// A [`Client`] that blocks the calling thread until each call is done.
///
/// It runs its own single-threaded runtime. Do not use it from inside an async runtime (the
/// runtime refuses to block one of its own threads); use [`Client`] there.
///
/// ```no_run
/// # fn run() -> Result<(), sts_client::Error> {
/// let client = sts_client::BlockingClient::from_env()?;
/// let me = client.get_caller_identity().send()?;
/// println!("{}", me.arn);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct BlockingClient {
    client: Client,
    runtime: tokio::runtime::Runtime,
}

impl BlockingClient {
    /// Wraps an async client.
    pub fn new(client: Client) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                Error::Transport(super::transport::TransportError::Other(format!(
                    "could not start the blocking client's runtime: {e}"
                )))
            })?;
        Ok(Self { client, runtime })
    }

    /// [`Client::from_env`], blocking.
    pub fn from_env() -> Result<Self, Error> {
        Self::new(Client::from_env()?)
    }

    /// The async client inside.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// [`Client::send`], blocking.
    pub fn send<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        self.runtime.block_on(self.client.send(operation))
    }
}
