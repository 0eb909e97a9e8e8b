//! Heap allocations per header signature, counted by a global allocator of this test binary.
//! Target: at most two (the output buffer, plus nothing else on the fast path).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use sts_client::sigv4::{SignableRequest, Signer, SigningParams, SigningSettings};
use sts_client::Credentials;

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_of(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    f();
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

// One test function only: the counter is global and tests run in parallel threads.
#[test]
fn header_signing_allocates_at_most_twice() {
    let signer = Signer::new();
    let plain = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    let with_token = plain.clone().with_session_token("FQoGZXIvYXdzEXAMPLETOKEN");
    let policy = format!("Action=AssumeRole&Policy={}", "x".repeat(2048));
    let bodies: [&[u8]; 2] = [
        b"Action=GetCallerIdentity&Version=2011-06-15",
        policy.as_bytes(),
    ];
    for credentials in [&plain, &with_token] {
        for body in bodies {
            let req = SignableRequest {
                method: "POST",
                url: "https://sts.us-east-1.amazonaws.com/",
                headers: &[(
                    "Content-Type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                )],
                body,
            };
            let params = SigningParams {
                credentials,
                region: "us-east-1",
                service: "sts",
                time: time::macros::datetime!(2026-01-02 03:04:05 UTC),
                settings: SigningSettings::default(),
            };
            // Warm the key cache; the fast path is what is counted.
            let first = signer.sign(&req, &params).unwrap();
            let count = allocations_of(|| {
                let out = signer.sign(&req, &params).unwrap();
                assert_eq!(
                    out.headers().count(),
                    2 + usize::from(credentials.session_token().is_some())
                );
                assert_eq!(out.signature(), first.signature());
            });
            assert!(count <= 2, "{count} allocations for one header signature");
            assert!(count >= 1, "the output buffer must have been allocated");
        }
    }
}
