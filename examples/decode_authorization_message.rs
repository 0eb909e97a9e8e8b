//! Why was I denied? Decode the message EC2 (and others) return with an authorization failure.
//!
//! ```sh
//! AWS_REGION=us-east-1 cargo run --example decode_authorization_message -- file://msg.txt
//! ```
//! The argument is the encoded message itself or `file://PATH`, as with the AWS CLI. The
//! caller needs `sts:DecodeAuthorizationMessage`.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arg = std::env::args()
        .nth(1)
        .ok_or("usage: decode_authorization_message ENCODED_MESSAGE|file://PATH")?;
    let encoded = match arg.strip_prefix("file://") {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {path}: {e}"))?
            .trim()
            .to_owned(),
        None => arg,
    };

    let client = sts_client::Client::from_env()?;
    let out = client
        .decode_authorization_message()
        .encoded_message(encoded)
        .send()
        .await?;

    match &out.decision {
        Some(decision) => {
            let verdict = match (decision.allowed, decision.explicit_deny) {
                (true, _) => "allowed",
                (false, true) => "denied by an explicit Deny",
                (false, false) => "denied: no statement allows it (implicit deny)",
            };
            println!("Decision: {verdict}");
            if let Some(context) = &decision.context {
                if let Some(principal) = &context.principal {
                    println!("Principal: {}", principal.arn.as_deref().unwrap_or("?"));
                }
                println!("Action:    {}", context.action.as_deref().unwrap_or("?"));
                println!("Resource:  {}", context.resource.as_deref().unwrap_or("?"));
                for condition in &context.conditions {
                    println!("  {} = {}", condition.key, condition.values.join(", "));
                }
            }
            for statement in &decision.matched_statements {
                println!("Matched statement: {statement}");
            }
        }
        None => println!("{}", out.decoded_message),
    }
    Ok(())
}
