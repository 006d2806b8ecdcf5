import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource

TRAIL = "aws:cloudtrail/trail:Trail"
KEY = "arn:aws:kms:ap-northeast-1:111111111111:key/1234"


def trail(stack="org", preview=False, **overrides):
    props = {
        "s3BucketName": "org-trail-logs",
        "isMultiRegionTrail": True,
        "enableLogFileValidation": True,
        "kmsKeyId": KEY,
        "isOrganizationTrail": True,
    }
    props.update(overrides)
    return resource(
        TRAIL, "org-trail", {k: v for k, v in props.items() if v is not None}, stack=stack, preview=preview
    )


def msg(text, stack="org"):
    return f"{TRAIL} org-trail: {text}. [LOG-01]"


def test_pass_org_trail():
    assert outcome("org_trail", trail()) == "pass"


def test_pass_string_booleans_and_include_global_true():
    view = trail(isMultiRegionTrail="true", enableLogFileValidation="True", includeGlobalServiceEvents="true")
    assert outcome("org_trail", view) == "pass"


def test_pass_tenant_trail_needs_no_organization_flag():
    assert outcome("org_trail", trail(stack="acme-prod", isOrganizationTrail=None)) == "pass"


@pytest.mark.parametrize(
    "field, value, text",
    [
        ("isMultiRegionTrail", False, "isMultiRegionTrail is false; expected isMultiRegionTrail true"),
        (
            "isMultiRegionTrail",
            None,
            "isMultiRegionTrail is not set (AWS default false); expected isMultiRegionTrail true",
        ),
        (
            "enableLogFileValidation",
            "false",
            "enableLogFileValidation is false; expected enableLogFileValidation true",
        ),
        (
            "enableLogFileValidation",
            None,
            "enableLogFileValidation is not set (AWS default false); expected enableLogFileValidation true",
        ),
        (
            "kmsKeyId",
            None,
            "kmsKeyId is not set (logs use SSE-S3); expected kmsKeyId set to a customer-managed KMS key",
        ),
        (
            "kmsKeyId",
            "",
            "kmsKeyId is not set (logs use SSE-S3); expected kmsKeyId set to a customer-managed KMS key",
        ),
        (
            "includeGlobalServiceEvents",
            False,
            (
                "includeGlobalServiceEvents is false (IAM, STS and other global API calls go unrecorded); "
                "expected includeGlobalServiceEvents true or not set"
            ),
        ),
        (
            "isOrganizationTrail",
            False,
            (
                "isOrganizationTrail is false in the org stack; "
                "expected isOrganizationTrail true (one trail for every account of the organization)"
            ),
        ),
        (
            "isOrganizationTrail",
            None,
            (
                "isOrganizationTrail is not set (AWS default false) in the org stack; "
                "expected isOrganizationTrail true (one trail for every account of the organization)"
            ),
        ),
    ],
)
def test_fail_one_field(field, value, text):
    assert messages("org_trail", trail(**{field: value})) == [msg(text)]


def test_fail_bare_trail_reports_every_gap():
    assert messages("org_trail", resource(TRAIL, "t", {"s3BucketName": "b"}, stack="org")) == [
        (
            f"{TRAIL} t: isMultiRegionTrail is not set (AWS default false); expected isMultiRegionTrail true."
            " [LOG-01]"
        ),
        (
            f"{TRAIL} t: enableLogFileValidation is not set (AWS default false); expected"
            " enableLogFileValidation true. [LOG-01]"
        ),
        (
            f"{TRAIL} t: kmsKeyId is not set (logs use SSE-S3); expected kmsKeyId set to a customer-managed"
            " KMS key. [LOG-01]"
        ),
        (
            f"{TRAIL} t: isOrganizationTrail is not set (AWS default false) in the org stack; expected"
            " isOrganizationTrail true (one trail for every account of the organization). [LOG-01]"
        ),
    ]


def test_na_other_types():
    assert outcome("org_trail", resource("aws:s3/bucket:Bucket", "b", {}, stack="org")) == "n/a"


@pytest.mark.parametrize(
    "field, value", [("isMultiRegionTrail", UNKNOWN_BOOLEAN_VALUE), ("kmsKeyId", UNKNOWN_STRING_VALUE)]
)
def test_unknown_in_preview(field, value):
    assert outcome("org_trail", trail(preview=True, **{field: value})) == "unknown"
