import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE

from tests.policies.rules._fixtures_data import KEY, tenant_resource
from tests.rulekit import messages, outcome

RULE = "kms_key_rotation"


def test_pass_rotation_on():
    assert outcome(RULE, tenant_resource(KEY, "data", {"enableKeyRotation": True})) == "pass"
    assert (
        outcome(
            RULE,
            tenant_resource(
                KEY, "data", {"enableKeyRotation": "true", "customerMasterKeySpec": "SYMMETRIC_DEFAULT"}
            ),
        )
        == "pass"
    )


@pytest.mark.parametrize("props, shown", [({}, "not set"), ({"enableKeyRotation": False}, "false")])
def test_fail_rotation_off(props, shown):
    assert messages(RULE, tenant_resource(KEY, "data", props)) == [
        f"{KEY} data: enableKeyRotation is {shown} (rotation is off by default); expected enableKeyRotation"
        " true. [ENC-02]"
    ]


def test_fail_external_key():
    view = tenant_resource("aws:kms/externalKey:ExternalKey", "byok", {})
    assert messages(RULE, view) == [
        "aws:kms/externalKey:ExternalKey byok: has imported key material, which KMS cannot rotate"
        " automatically; expected an aws:kms/key:Key with KMS-generated material and enableKeyRotation true."
        " [ENC-02]"
    ]


@pytest.mark.parametrize(
    "props",
    [
        {"customerMasterKeySpec": "RSA_2048", "keyUsage": "SIGN_VERIFY"},
        {"customerMasterKeySpec": "HMAC_256", "keyUsage": "GENERATE_VERIFY_MAC"},
        {"customerMasterKeySpec": "ECC_NIST_P256", "keyUsage": "KEY_AGREEMENT"},
    ],
)
def test_na_asymmetric_and_hmac_keys(props):
    assert outcome(RULE, tenant_resource(KEY, "sign", props)) == "n/a"


def test_na_replica_keys():
    assert (
        outcome(RULE, tenant_resource("aws:kms/replicaKey:ReplicaKey", "r", {"primaryKeyArn": "arn"}))
        == "n/a"
    )
    assert outcome(RULE, tenant_resource("aws:kms/replicaExternalKey:ReplicaExternalKey", "r", {})) == "n/a"


def test_na_alias():
    assert outcome(RULE, tenant_resource("aws:kms/alias:Alias", "a", {})) == "n/a"


def test_unknown_in_preview():
    assert (
        outcome(
            RULE, tenant_resource(KEY, "data", {"enableKeyRotation": UNKNOWN_BOOLEAN_VALUE}, preview=True)
        )
        == "unknown"
    )
