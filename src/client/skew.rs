//! Clock skew: learn how far the local clock is from the server's, and sign with the
//! corrected time.

use std::sync::atomic::{AtomicI64, Ordering};
use time::{Duration, OffsetDateTime};

/// Skew below this is left alone: STS accepts signatures 15 minutes either way, and the AWS
/// SDKs only correct past 4-5 minutes.
pub const SKEW_THRESHOLD: Duration = Duration::minutes(4);

/// The offset between the server's clock and ours, shared by every request of a client.
#[derive(Debug, Default)]
pub struct ClockSkew {
    offset_ms: AtomicI64,
}

impl ClockSkew {
    /// The current correction (server minus local).
    pub fn offset(&self) -> Duration {
        Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// `local_now` corrected by the learned offset: the time to sign with.
    pub fn corrected(&self, local_now: OffsetDateTime) -> OffsetDateTime {
        local_now + self.offset()
    }

    /// The skew one response shows: the server's `Date` against the midpoint of when the
    /// request left and the response came back (local clock), less the correction already
    /// applied. Returns the server-minus-corrected-local difference.
    pub fn measure(
        &self,
        server_date: OffsetDateTime,
        sent_at: OffsetDateTime,
        received_at: OffsetDateTime,
    ) -> Duration {
        let midpoint = sent_at + (received_at - sent_at) / 2;
        server_date - self.corrected(midpoint)
    }

    /// Adds `skew` to the offset when it is past [`SKEW_THRESHOLD`]; returns whether it did.
    pub fn correct(&self, skew: Duration) -> bool {
        if skew.abs() <= SKEW_THRESHOLD {
            return false;
        }
        let ms = skew
            .whole_milliseconds()
            .clamp(i64::MIN as i128, i64::MAX as i128) as i64;
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
        true
    }
}

/// Parses an HTTP `Date` header (IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn parse_http_date(value: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(value.trim(), format)
        .ok()
        .map(|t| t.assume_utc())
}

/// Formats a time as an HTTP `Date` header value.
pub fn format_http_date(value: OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    value
        .to_offset(time::UtcOffset::UTC)
        .format(format)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn parses_imf_fixdate() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(datetime!(1994-11-06 08:49:37 UTC))
        );
        assert_eq!(parse_http_date("not a date"), None);
        assert_eq!(parse_http_date(""), None);
        let t = datetime!(2026-01-02 03:04:05 UTC);
        assert_eq!(parse_http_date(&format_http_date(t)), Some(t));
    }

    #[test]
    fn measures_against_the_midpoint_and_corrects_past_the_threshold() {
        let skew = ClockSkew::default();
        let sent = datetime!(2026-01-02 03:00:00 UTC);
        let received = sent + Duration::seconds(2);
        let server = sent + Duration::minutes(15) + Duration::seconds(1);
        let measured = skew.measure(server, sent, received);
        assert_eq!(measured, Duration::minutes(15));
        assert!(skew.correct(measured));
        assert_eq!(skew.corrected(sent), sent + Duration::minutes(15));
        // Once corrected, the same server time shows no skew.
        assert_eq!(skew.measure(server, sent, received), Duration::ZERO);
    }

    #[test]
    fn small_skew_is_ignored() {
        let skew = ClockSkew::default();
        assert!(!skew.correct(Duration::minutes(3)));
        assert!(!skew.correct(Duration::minutes(-4)));
        assert_eq!(skew.offset(), Duration::ZERO);
        assert!(skew.correct(Duration::minutes(-5)));
        assert_eq!(skew.offset(), Duration::minutes(-5));
    }
}
