//! When to try again, and how long to wait: botocore's standard retry mode.

use std::time::Duration;

/// Retry settings. The default matches the AWS SDKs' standard mode: 3 attempts, exponential
/// backoff with full jitter from 50 ms (1 s for throttling), capped at 20 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts in all, the first included (1 turns retries off).
    pub max_attempts: u32,
    /// Backoff base for transient errors.
    pub base_delay: Duration,
    /// Backoff base for throttling errors.
    pub throttling_base_delay: Duration,
    /// The most one wait can be.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(50),
            throttling_base_delay: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryConfig {
    /// No retries at all.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait before attempt `attempt + 1` after `attempt` failed (1-based):
    /// `jitter * min(base * 2^(attempt-1), max_backoff)`, with `jitter` in `[0, 1)`.
    /// A server's `x-amz-retry-after` (milliseconds) is honoured within `[delay, delay + 5 s]`.
    pub fn backoff(
        &self,
        attempt: u32,
        throttling: bool,
        jitter: f64,
        retry_after: Option<Duration>,
    ) -> Duration {
        let base = if throttling {
            self.throttling_base_delay
        } else {
            self.base_delay
        };
        let exp = attempt.saturating_sub(1).min(30);
        let ceiling = base
            .checked_mul(1u32 << exp)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        let delay = ceiling.mul_f64(jitter.clamp(0.0, 1.0));
        match retry_after {
            Some(after) => after.clamp(delay, delay + Duration::from_secs(5)),
            None => delay,
        }
    }
}

/// A small xorshift generator for backoff jitter: no `rand` dependency for one number.
#[derive(Debug)]
pub(crate) struct Jitter(std::sync::atomic::AtomicU64);

impl Jitter {
    pub(crate) fn new(seed: u64) -> Self {
        Self(std::sync::atomic::AtomicU64::new(seed | 1))
    }

    /// A value in `[0, 1)`.
    pub(crate) fn next(&self) -> f64 {
        use std::sync::atomic::Ordering;
        let mut x = self.0.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0.store(x, Ordering::Relaxed);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_and_is_capped() {
        let c = RetryConfig::default();
        assert_eq!(c.backoff(1, false, 1.0, None), Duration::from_millis(50));
        assert_eq!(c.backoff(2, false, 1.0, None), Duration::from_millis(100));
        assert_eq!(c.backoff(3, false, 0.5, None), Duration::from_millis(100));
        assert_eq!(c.backoff(1, true, 1.0, None), Duration::from_secs(1));
        assert_eq!(c.backoff(10, true, 1.0, None), Duration::from_secs(20));
        assert_eq!(c.backoff(1000, false, 1.0, None), Duration::from_secs(20));
        assert_eq!(c.backoff(2, false, 0.0, None), Duration::ZERO);
    }

    #[test]
    fn retry_after_is_kept_within_five_seconds_of_the_computed_delay() {
        let c = RetryConfig::default();
        let d = c.backoff(1, true, 0.5, Some(Duration::from_secs(60)));
        assert_eq!(d, Duration::from_millis(5500));
        let d = c.backoff(1, true, 0.5, Some(Duration::from_millis(1)));
        assert_eq!(d, Duration::from_millis(500));
    }

    #[test]
    fn jitter_stays_in_unit_interval_and_varies() {
        let j = Jitter::new(42);
        let values: Vec<f64> = (0..1000).map(|_| j.next()).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        let distinct: std::collections::BTreeSet<u64> =
            values.iter().map(|v| (v * 1e9) as u64).collect();
        assert!(distinct.len() > 990);
    }
}
