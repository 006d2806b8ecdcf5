import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import (
    BUCKET,
    BUCKET_V2,
    KEY_ARN,
    OTHER_ACCOUNT,
    OTHER_KEY_ARN,
    SSE,
    SSE_V2,
    sse_rule,
    tenant_resource,
)
from tests.rulekit import messages, outcome, resource

RULE = "s3_bucket_kms_encryption"
EXPECTED = (
    "expected sseAlgorithm aws:kms (or aws:kms:dsse) with kmsMasterKeyId a customer-managed key of the tenant"
    " and bucketKeyEnabled true. [ENC-01]"
)


def sse(*rules, resource_type=SSE, **kw):
    return tenant_resource(
        resource_type, "data-sse", {"bucket": "acme-prod-data", "rules": list(rules)}, **kw
    )


def test_pass_kms_with_customer_key_and_bucket_key():
    assert outcome(RULE, sse(sse_rule())) == "pass"


def test_pass_v2_token_and_key_id_and_custom_alias():
    assert outcome(RULE, sse(sse_rule(key="alias/acme-prod-data"), resource_type=SSE_V2)) == "pass"
    assert outcome(RULE, sse(sse_rule(key="0b7a1f7e-0000-4000-8000-000000000001"))) == "pass"


def test_pass_dsse_without_bucket_key():
    # S3 Bucket Keys are not supported for DSSE-KMS, so they are not demanded there.
    assert outcome(RULE, sse(sse_rule(algorithm="aws:kms:dsse", bucket_key=None))) == "pass"


def test_pass_string_boolean_and_single_block_object():
    rule = sse_rule(bucket_key="true")
    assert outcome(RULE, tenant_resource(SSE, "data-sse", {"bucket": "b", "rules": rule})) == "pass"


def test_fail_sse_s3():
    assert messages(RULE, sse(sse_rule(key=None, algorithm="AES256"))) == [
        f'{SSE} data-sse: rules[0].applyServerSideEncryptionByDefault.sseAlgorithm is "AES256"; {EXPECTED}'
    ]


def test_fail_missing_key():
    assert messages(RULE, sse(sse_rule(key=None))) == [
        f"{SSE} data-sse: rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId is not set "
        f"(S3 then uses the AWS-managed key aws/s3); {EXPECTED}"
    ]


@pytest.mark.parametrize("key", ["alias/aws/s3", "arn:aws:kms:ap-northeast-1:111111111111:alias/aws/s3"])
def test_fail_aws_managed_key(key):
    assert messages(RULE, sse(sse_rule(key=key))) == [
        f"{SSE} data-sse: rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId is the AWS-managed key"
        f" {key}; {EXPECTED}"
    ]


def test_fail_key_of_another_account():
    assert messages(RULE, sse(sse_rule(key=OTHER_KEY_ARN))) == [
        f"{SSE} data-sse: rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId {OTHER_KEY_ARN} is a key"
        f" of account {OTHER_ACCOUNT}, not of the tenant account 111111111111; {EXPECTED}"
    ]


def test_pass_other_account_key_when_provider_account_unknown():
    # Without an assumed role the tenant account is unknown: the key cannot be told foreign.
    view = resource(SSE, "data-sse", {"bucket": "b", "rules": [sse_rule(key=OTHER_KEY_ARN)]})
    assert outcome(RULE, view) == "pass"


@pytest.mark.parametrize("value, shown", [(False, "false"), (None, "not set"), ("false", '"false"')])
def test_fail_bucket_key_off(value, shown):
    assert messages(RULE, sse(sse_rule(bucket_key=value))) == [
        f"{SSE} data-sse: rules[0].bucketKeyEnabled is {shown}; {EXPECTED}"
    ]


def test_fail_no_rules():
    assert messages(RULE, sse()) == [
        f"{SSE} data-sse: rules is empty (S3 then applies SSE-S3 with an S3-owned key); {EXPECTED}"
    ]


def test_fail_several_problems_reported_separately():
    assert messages(RULE, sse(sse_rule(key="alias/aws/s3", bucket_key=False))) == [
        (
            f"{SSE} data-sse: rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId is the AWS-managed"
            f" key alias/aws/s3; {EXPECTED}"
        ),
        f"{SSE} data-sse: rules[0].bucketKeyEnabled is false; {EXPECTED}",
    ]


def test_pass_inline_bucket_block_and_fail_inline_sse_s3():
    good = tenant_resource(BUCKET, "data", {"serverSideEncryptionConfiguration": {"rule": sse_rule()}})
    assert outcome(RULE, good) == "pass"
    bad = tenant_resource(
        BUCKET,
        "data",
        {"serverSideEncryptionConfiguration": {"rule": sse_rule(key=None, algorithm="AES256")}},
    )
    assert messages(RULE, bad) == [
        f"{BUCKET} data:"
        " serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm is"
        f' "AES256"; {EXPECTED}'
    ]


def test_fail_inline_bucket_v2_list_shape():
    rule = {
        "applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY_ARN}],
        "bucketKeyEnabled": False,
    }
    bad = tenant_resource(BUCKET_V2, "data", {"serverSideEncryptionConfigurations": [{"rules": [rule]}]})
    assert messages(RULE, bad) == [
        f"{BUCKET_V2} data: serverSideEncryptionConfigurations[0].rules[0].bucketKeyEnabled is false;"
        f" {EXPECTED}"
    ]


def test_na_bucket_without_inline_block():
    assert outcome(RULE, tenant_resource(BUCKET, "data", {"bucket": "x"})) == "n/a"


def test_na_other_types():
    assert outcome(RULE, tenant_resource("aws:s3/bucketVersioning:BucketVersioning", "v", {})) == "n/a"


def test_unknown_key_in_preview():
    rule = sse_rule(key=UNKNOWN_STRING_VALUE)
    assert outcome(RULE, sse(rule, preview=True)) == "unknown"


def test_na_bucket_v2_without_inline_block():
    assert outcome(RULE, tenant_resource(BUCKET_V2, "data", {"bucket": "x"})) == "n/a"
