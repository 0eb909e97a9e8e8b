//! Every operation, input member and output member of the botocore model is covered.

use serde_json::Value;
use sts_client::operations::*;

fn members(model: &Value, shape: &str) -> Vec<String> {
    model["shapes"][shape]["members"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn sorted(mut v: Vec<&'static str>) -> Vec<String> {
    v.sort_unstable();
    v.into_iter().map(str::to_owned).collect()
}

fn covered<O: Operation>() -> (&'static str, Vec<&'static str>, Vec<&'static str>) {
    (
        O::ACTION,
        O::INPUT_MEMBERS.to_vec(),
        O::OUTPUT_MEMBERS.to_vec(),
    )
}

#[test]
fn model_operations_and_members_are_all_covered() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/model/sts-model-2011-06-15.json"
    ))
    .unwrap();
    let model: Value = serde_json::from_str(&text).unwrap();
    let ours = [
        covered::<AssumeRole>(),
        covered::<AssumeRoleWithSaml>(),
        covered::<AssumeRoleWithWebIdentity>(),
        covered::<AssumeRoot>(),
        covered::<DecodeAuthorizationMessage>(),
        covered::<GetAccessKeyInfo>(),
        covered::<GetCallerIdentity>(),
        covered::<GetDelegatedAccessToken>(),
        covered::<GetFederationToken>(),
        covered::<GetScopedCredentials>(),
        covered::<GetSessionToken>(),
        covered::<GetWebIdentityToken>(),
    ];
    let operations = model["operations"].as_object().unwrap();
    let mut names: Vec<&str> = ours.iter().map(|o| o.0).collect();
    names.sort_unstable();
    let mut model_names: Vec<&str> = operations.keys().map(String::as_str).collect();
    model_names.sort_unstable();
    assert_eq!(names, model_names, "operations differ from the model");
    for (action, input, output) in ours {
        let op = &operations[action];
        assert_eq!(
            sorted(input),
            members(&model, op["input"]["shape"].as_str().unwrap()),
            "{action} input members"
        );
        assert_eq!(
            sorted(output),
            members(&model, op["output"]["shape"].as_str().unwrap()),
            "{action} output members"
        );
        assert_eq!(
            op["output"]["resultWrapper"].as_str(),
            Some(format!("{action}Result").as_str())
        );
        let unsigned = op["authtype"].as_str() == Some("none");
        let ours_unsigned = match action {
            "AssumeRoleWithSAML" => AssumeRoleWithSaml::AUTH == Auth::None,
            "AssumeRoleWithWebIdentity" => AssumeRoleWithWebIdentity::AUTH == Auth::None,
            _ => false,
        };
        assert_eq!(unsigned, ours_unsigned, "{action} auth");
    }
}
