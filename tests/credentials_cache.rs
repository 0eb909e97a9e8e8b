//! The renewing cache: one renewal at a time, advisory and mandatory windows, MFA per session.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use sts_client::credentials::{
    AssumeRoleProvider, AssumeRoleRequest, CachedCredentialsProvider, CredentialsError, EnvLookup,
    ManualClock, ProfileCredentials, ProvideCredentials, ProvideFuture, WebIdentityRequest,
};
use sts_client::{Credentials, SecretString};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const START: OffsetDateTime = datetime!(2024-01-01 0:00 UTC);

/// Counts calls; returns credentials valid for `lifetime` from the clock's time, or fails.
struct Counting {
    calls: AtomicUsize,
    clock: Arc<ManualClock>,
    lifetime: Duration,
    fail: Mutex<bool>,
}

impl Counting {
    fn new(clock: Arc<ManualClock>, lifetime: Duration) -> Arc<Self> {
        Arc::new(Self {
            calls: AtomicUsize::new(0),
            clock,
            lifetime,
            fail: Mutex::new(false),
        })
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            // Let other tasks pile up while this "STS call" is in flight.
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            if *self.fail.lock().unwrap() {
                return Err(CredentialsError::provider("sts", "throttled"));
            }
            use sts_client::credentials::Clock;
            Ok(Credentials::new(format!("ASIA{n}"), "s")
                .with_session_token("t")
                .with_expiration(self.clock.now() + self.lifetime))
        })
    }
}

fn cache(
    lifetime: Duration,
) -> (
    Arc<ManualClock>,
    Arc<Counting>,
    Arc<CachedCredentialsProvider<Arc<Counting>>>,
) {
    let clock = Arc::new(ManualClock::new(START));
    let inner = Counting::new(clock.clone(), lifetime);
    let cached = Arc::new(CachedCredentialsProvider::with_clock(
        inner.clone(),
        clock.clone(),
    ));
    (clock, inner, cached)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_tasks_at_expiry_cause_one_call() {
    let (clock, inner, cached) = cache(Duration::hours(1));
    cached.provide_credentials().await.unwrap();
    assert_eq!(inner.calls(), 1);
    clock.advance(Duration::hours(1)); // exactly at expiry
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let cached = cached.clone();
            tokio::spawn(async move { cached.provide_credentials().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().access_key_id(), "ASIA2");
    }
    assert_eq!(inner.calls(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inside_advisory_window_others_keep_current_credentials() {
    let (clock, inner, cached) = cache(Duration::hours(1));
    cached.provide_credentials().await.unwrap();
    // 1 h lifetime: advisory 15 min, mandatory 7.5 min; 10 min left is advisory.
    clock.advance(Duration::minutes(50));
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let cached = cached.clone();
            tokio::spawn(async move { cached.provide_credentials().await })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.unwrap().unwrap().access_key_id().to_owned());
    }
    assert_eq!(inner.calls(), 2, "one renewal");
    assert!(
        ids.iter().any(|id| id == "ASIA1"),
        "others were not held up"
    );
    assert_eq!(
        cached.provide_credentials().await.unwrap().access_key_id(),
        "ASIA2"
    );
}

#[tokio::test]
async fn failed_renewal_in_advisory_window_serves_then_mandatory_fails() {
    let (clock, inner, cached) = cache(Duration::hours(1));
    cached.provide_credentials().await.unwrap();
    *inner.fail.lock().unwrap() = true;
    clock.advance(Duration::minutes(50));
    let served = cached.provide_credentials().await.unwrap();
    assert_eq!(served.access_key_id(), "ASIA1");
    assert_eq!(inner.calls(), 2, "a renewal was attempted");
    clock.advance(Duration::minutes(3)); // 7 min left: mandatory
    let err = cached.provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::Provider { .. }), "{err:?}");
    *inner.fail.lock().unwrap() = false;
    assert_eq!(
        cached.provide_credentials().await.unwrap().access_key_id(),
        "ASIA4"
    );
}

#[tokio::test]
async fn fifteen_minute_credentials_do_not_renew_on_every_call() {
    let (clock, inner, cached) = cache(Duration::minutes(15));
    for _ in 0..11 {
        for _ in 0..50 {
            cached.provide_credentials().await.unwrap();
        }
        clock.advance(Duration::minutes(1));
    }
    assert_eq!(inner.calls(), 1, "11 minutes of calls, one fetch");
    clock.advance(Duration::seconds(30)); // 11.5 min in: advisory (3.75 min before expiry)
    cached.provide_credentials().await.unwrap();
    assert_eq!(inner.calls(), 2);
}

#[tokio::test]
async fn credentials_without_expiration_are_kept() {
    let clock = Arc::new(ManualClock::new(START));
    let calls = Arc::new(AtomicUsize::new(0));
    struct Forever(Arc<AtomicUsize>);
    impl ProvideCredentials for Forever {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(Credentials::new("AKID", "s")) })
        }
    }
    let cached = CachedCredentialsProvider::with_clock(Forever(calls.clone()), clock.clone());
    cached.provide_credentials().await.unwrap();
    clock.advance(Duration::days(400));
    cached.provide_credentials().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

struct OneHourSts {
    clock: Arc<ManualClock>,
    calls: AtomicUsize,
}

impl AssumeRoleProvider for OneHourSts {
    fn assume_role(&self, request: AssumeRoleRequest) -> ProvideFuture<'_> {
        use sts_client::credentials::Clock;
        assert_eq!(request.mfa_code.as_ref().unwrap().expose(), "654321");
        self.calls.fetch_add(1, Ordering::SeqCst);
        let expiration = self.clock.now() + Duration::hours(1);
        Box::pin(async move {
            Ok(Credentials::new("ASIAMFA", "s")
                .with_session_token("t")
                .with_expiration(expiration))
        })
    }
    fn assume_role_with_web_identity(&self, _: WebIdentityRequest) -> ProvideFuture<'_> {
        Box::pin(async { Err(CredentialsError::not_configured("unused")) })
    }
}

#[tokio::test]
async fn mfa_is_asked_once_per_session() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config"),
        "[profile mfa]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n\
         mfa_serial = arn:aws:iam::1:mfa/me\n[profile base]\naws_access_key_id = A\n\
         aws_secret_access_key = s\n",
    )
    .unwrap();
    let env = EnvLookup::from_pairs([
        (
            "AWS_CONFIG_FILE",
            dir.path().join("config").to_str().unwrap(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.path().join("credentials").to_str().unwrap(),
        ),
    ]);
    let clock = Arc::new(ManualClock::new(START));
    let sts = Arc::new(OneHourSts {
        clock: clock.clone(),
        calls: AtomicUsize::new(0),
    });
    let mfa_calls = Arc::new(AtomicUsize::new(0));
    let counter = mfa_calls.clone();
    let source = ProfileCredentials::new(env)
        .with_profile("mfa")
        .with_assume_role(sts.clone())
        .with_mfa(Arc::new(move |_: &str| {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(SecretString::new("654321"))
        }));
    let cached = CachedCredentialsProvider::with_clock(source, clock.clone());
    for _ in 0..20 {
        cached.provide_credentials().await.unwrap();
        clock.advance(Duration::minutes(2));
    }
    // 40 minutes inside a one-hour session: one MFA prompt, one AssumeRole.
    assert_eq!(mfa_calls.load(Ordering::SeqCst), 1);
    assert_eq!(sts.calls.load(Ordering::SeqCst), 1);
    clock.advance(Duration::minutes(10)); // 10 min left: advisory, a new session
    cached.provide_credentials().await.unwrap();
    assert_eq!(mfa_calls.load(Ordering::SeqCst), 2);
}
