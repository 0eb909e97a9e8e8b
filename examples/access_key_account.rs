//! Which account owns this access key? Answered offline, from the key itself.
//!
//! ```sh
//! cargo run --example access_key_account -- ASIAY34FZKBOKMUTVV7A
//! ```
//! Keys issued since about 2019 carry their account id; older `AKIAI…`/`AKIAJ…` keys do not,
//! and for those only the GetAccessKeyInfo API can answer.

use sts_client::{access_key_kind, account_id_from_access_key_id};

fn main() {
    let keys: Vec<String> = std::env::args().skip(1).collect();
    if keys.is_empty() {
        eprintln!("usage: access_key_account ACCESS_KEY_ID...");
        std::process::exit(2);
    }
    let mut failed = false;
    for key in keys {
        let kind = access_key_kind(&key)
            .map(|k| k.description().to_owned())
            .unwrap_or_else(|_| "unknown kind".to_owned());
        match account_id_from_access_key_id(&key) {
            Ok(account) => println!("{key}\t{account}\t{kind}"),
            Err(e) => {
                eprintln!("{key}: {e}");
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
