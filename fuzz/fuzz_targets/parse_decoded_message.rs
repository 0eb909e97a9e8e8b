#![no_main]

use libfuzzer_sys::fuzz_target;
use sts_client::authorization_message::parse_decoded_message;

fuzz_target!(|text: &str| {
    if let Ok(decision) = parse_decoded_message(text) {
        let _ = format!("{decision:?}");
    }
});
