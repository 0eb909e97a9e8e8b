//! botocore's 69 STS endpoint-resolution cases, run against `resolve_endpoint`.

use serde_json::Value;
use sts_client::endpoint::{resolve_endpoint, EndpointParams};

const CASES: &str = include_str!("data/endpoints/sts-endpoint-tests.json");

fn bool_param(params: &Value, name: &str) -> bool {
    params.get(name).and_then(Value::as_bool).unwrap_or(false)
}

fn string_param(params: &Value, name: &str) -> Option<String> {
    params.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// The case's params, cross-checked against the SDK built-ins of its operation inputs.
fn endpoint_params(case: &Value) -> EndpointParams {
    let params = case.get("params").cloned().unwrap_or(Value::Null);
    let resolved = EndpointParams {
        region: string_param(&params, "Region"),
        use_fips: bool_param(&params, "UseFIPS"),
        use_dual_stack: bool_param(&params, "UseDualStack"),
        use_global_endpoint: bool_param(&params, "UseGlobalEndpoint"),
        endpoint: string_param(&params, "Endpoint"),
    };
    for input in case["operationInputs"].as_array().into_iter().flatten() {
        let built_ins = &input["builtInParams"];
        assert_eq!(string_param(built_ins, "AWS::Region"), resolved.region);
        assert_eq!(string_param(built_ins, "SDK::Endpoint"), resolved.endpoint);
        assert_eq!(
            bool_param(built_ins, "AWS::STS::UseGlobalEndpoint"),
            resolved.use_global_endpoint
        );
        assert_eq!(bool_param(built_ins, "AWS::UseFIPS"), resolved.use_fips);
        assert_eq!(
            bool_param(built_ins, "AWS::UseDualStack"),
            resolved.use_dual_stack
        );
    }
    resolved
}

#[test]
fn all_botocore_cases_pass() {
    let doc: Value = serde_json::from_str(CASES).unwrap();
    let cases = doc["testCases"].as_array().unwrap();
    assert_eq!(cases.len(), 69);
    let (mut endpoints, mut errors, mut signing_regions) = (0, 0, 0);
    for case in cases {
        let name = case["documentation"].as_str().unwrap();
        let params = endpoint_params(case);
        let result = resolve_endpoint(&params);
        let expect = &case["expect"];
        if let Some(error) = expect.get("error") {
            let err = result.expect_err(name);
            assert_eq!(err.to_string(), error.as_str().unwrap(), "{name}");
            errors += 1;
            continue;
        }
        let resolved = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        let endpoint = &expect["endpoint"];
        assert_eq!(resolved.url, endpoint["url"].as_str().unwrap(), "{name}");
        assert_eq!(resolved.signing_name, "sts", "{name}");
        let schemes = endpoint["properties"]["authSchemes"].as_array();
        if let Some(scheme) = schemes.and_then(|s| s.first()) {
            assert_eq!(scheme["name"], "sigv4", "{name}");
            assert_eq!(scheme["signingName"], "sts", "{name}");
            assert_eq!(
                resolved.signing_region.as_deref(),
                scheme["signingRegion"].as_str(),
                "{name}"
            );
            signing_regions += 1;
        } else {
            // Without an explicit auth scheme the request is signed for the configured region.
            assert_eq!(resolved.signing_region, params.region, "{name}");
        }
        endpoints += 1;
    }
    assert_eq!((endpoints, errors), (66, 3));
    assert_eq!(signing_regions, 18);
}
