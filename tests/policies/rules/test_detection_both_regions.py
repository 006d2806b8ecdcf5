import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE

from tests.rulekit import messages, outcome, resource, stack

RULE = "detection_both_regions"
FSBP_ARN = "arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0"
REGIONS = ("ap-northeast-1", "ap-northeast-3")


def baseline(region, skip=(), preview=False, **overrides):
    short = "tokyo" if region == REGIONS[0] else "osaka"
    parts = {
        "detector": ("aws:guardduty/detector:Detector", {"enable": True}),
        "hub": ("aws:securityhub/account:Account", {"enableDefaultStandards": False}),
        "fsbp": (
            "aws:securityhub/standardsSubscription:StandardsSubscription",
            {"standardsArn": FSBP_ARN.format(region=region)},
        ),
        "recorder": ("aws:cfg/recorder:Recorder", {"roleArn": "arn:aws:iam::111111111111:role/config"}),
        "channel": ("aws:cfg/deliveryChannel:DeliveryChannel", {"s3BucketName": "config-logs"}),
        "status": ("aws:cfg/recorderStatus:RecorderStatus", {"isEnabled": True}),
    }
    out = []
    for key, (resource_type, props) in parts.items():
        if key in skip:
            continue
        props = {**props, **overrides.get(key, {})}
        out.append(resource(resource_type, f"{short}-{key}", props, region=region, preview=preview))
    return out


def tenant(*resources, name="acme-prod"):
    return stack(*resources, name=name)


def test_pass_both_regions():
    assert outcome(RULE, tenant(*baseline(REGIONS[0]), *baseline(REGIONS[1]))) == "pass"


def test_pass_default_standards_cover_fsbp():
    osaka = baseline(REGIONS[1], skip=("fsbp",), hub={"enableDefaultStandards": None})
    assert outcome(RULE, tenant(*baseline(REGIONS[0]), *osaka)) == "pass"


def test_pass_region_override_on_resource():
    moved = [
        resource(r.type, r.name, {**r.props, "region": REGIONS[1]}, region=REGIONS[0])
        for r in baseline(REGIONS[1])
    ]
    assert outcome(RULE, tenant(*baseline(REGIONS[0]), *moved)) == "pass"


@pytest.mark.parametrize(
    "skip, text",
    [
        (
            "detector",
            (
                "region ap-northeast-3 has no GuardDuty detector; expected a guardduty.Detector in"
                " ap-northeast-3"
            ),
        ),
        (
            "hub",
            (
                "region ap-northeast-3 has no Security Hub account; expected a securityhub.Account in"
                " ap-northeast-3"
            ),
        ),
        (
            "fsbp",
            (
                "region ap-northeast-3 has no Security Hub subscription to AWS Foundational Security Best"
                " Practices; expected a securityhub.StandardsSubscription to"
                " aws-foundational-security-best-practices (or enableDefaultStandards left on) in"
                " ap-northeast-3"
            ),
        ),
        (
            "recorder",
            "region ap-northeast-3 has no AWS Config recorder; expected a cfg.Recorder in ap-northeast-3",
        ),
        (
            "channel",
            (
                "region ap-northeast-3 has no AWS Config delivery channel; expected a cfg.DeliveryChannel in"
                " ap-northeast-3"
            ),
        ),
        (
            "status",
            (
                "region ap-northeast-3 has no enabled AWS Config recorder status; "
                "expected a cfg.RecorderStatus with isEnabled true in ap-northeast-3"
            ),
        ),
    ],
)
def test_fail_one_item_missing_in_osaka(skip, text):
    view = tenant(*baseline(REGIONS[0]), *baseline(REGIONS[1], skip=(skip,)))
    assert messages(RULE, view) == [f"pulumi:pulumi:Stack tenant-zone-acme-prod: {text}. [LOG-03]"]


def test_fail_recorder_status_disabled():
    view = tenant(*baseline(REGIONS[0], status={"isEnabled": "false"}), *baseline(REGIONS[1]))
    assert messages(RULE, view) == [
        "pulumi:pulumi:Stack tenant-zone-acme-prod: region ap-northeast-1 has no enabled AWS Config recorder"
        " status; expected a cfg.RecorderStatus with isEnabled true in ap-northeast-1. [LOG-03]"
    ]


def test_fail_other_standard_only():
    cis = {"standardsArn": "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"}
    assert messages(RULE, tenant(*baseline(REGIONS[0], fsbp=cis), *baseline(REGIONS[1]))) == [
        "pulumi:pulumi:Stack tenant-zone-acme-prod: region ap-northeast-1 has no Security Hub subscription to"
        " AWS Foundational Security Best Practices; expected a securityhub.StandardsSubscription to"
        " aws-foundational-security-best-practices (or enableDefaultStandards left on) in ap-northeast-1."
        " [LOG-03]"
    ]


def osaka_gaps():
    osaka = "ap-northeast-3"
    gaps = [
        ("no GuardDuty detector", "a guardduty.Detector"),
        ("no Security Hub account", "a securityhub.Account"),
        (
            "no Security Hub subscription to AWS Foundational Security Best Practices",
            (
                "a securityhub.StandardsSubscription to aws-foundational-security-best-practices (or"
                " enableDefaultStandards left on)"
            ),
        ),
        ("no AWS Config recorder", "a cfg.Recorder"),
        ("no AWS Config delivery channel", "a cfg.DeliveryChannel"),
        ("no enabled AWS Config recorder status", "a cfg.RecorderStatus with isEnabled true"),
    ]
    return [
        f"pulumi:pulumi:Stack tenant-zone-acme-prod: region {osaka} has {missing}; expected {expected} in"
        f" {osaka}. [LOG-03]"
        for missing, expected in gaps
    ]


def test_fail_only_tokyo_reports_six_osaka_gaps():
    assert messages(RULE, tenant(*baseline(REGIONS[0]))) == osaka_gaps()


def test_fail_detection_outside_japan_does_not_count():
    view = tenant(*baseline(REGIONS[0]), *baseline("us-east-1"))
    assert messages(RULE, view) == osaka_gaps()


def test_na_org_stack():
    assert outcome(RULE, stack(*baseline(REGIONS[0]), name="org")) == "n/a"


def test_unknown_recorder_status_in_preview():
    view = tenant(
        *baseline(REGIONS[0], preview=True, status={"isEnabled": UNKNOWN_BOOLEAN_VALUE}),
        *baseline(REGIONS[1]),
    )
    assert outcome(RULE, view) == "unknown"


def test_pass_organization_administered_config_only():
    config_only = ("detector", "hub", "fsbp")
    view = tenant(*baseline(REGIONS[0], skip=config_only), *baseline(REGIONS[1], skip=config_only))
    assert outcome(RULE, view) == "pass"


def test_fail_organization_administered_still_needs_config_in_osaka():
    view = tenant(
        *baseline(REGIONS[0], skip=("detector", "hub", "fsbp")),
        *baseline(REGIONS[1], skip=("detector", "hub", "fsbp", "recorder")),
    )
    assert messages(RULE, view) == [
        "pulumi:pulumi:Stack tenant-zone-acme-prod: region ap-northeast-3 has no AWS Config recorder; "
        "expected a cfg.Recorder in ap-northeast-3. [LOG-03]"
    ]


def test_fail_hub_alone_makes_the_stack_self_enabled():
    view = tenant(
        *baseline(REGIONS[0], skip=("detector",)), *baseline(REGIONS[1], skip=("detector", "hub", "fsbp"))
    )
    assert messages(RULE, view) == [
        "pulumi:pulumi:Stack tenant-zone-acme-prod: region ap-northeast-1 has no GuardDuty detector; "
        "expected a guardduty.Detector in ap-northeast-1. [LOG-03]",
        "pulumi:pulumi:Stack tenant-zone-acme-prod: region ap-northeast-3 has no GuardDuty detector; "
        "expected a guardduty.Detector in ap-northeast-3. [LOG-03]",
        "pulumi:pulumi:Stack tenant-zone-acme-prod: region ap-northeast-3 has no Security Hub account; "
        "expected a securityhub.Account in ap-northeast-3. [LOG-03]",
        "pulumi:pulumi:Stack tenant-zone-acme-prod: region ap-northeast-3 has no Security Hub subscription "
        "to AWS Foundational Security Best Practices; expected a securityhub.StandardsSubscription to "
        "aws-foundational-security-best-practices (or enableDefaultStandards left on) in ap-northeast-3. "
        "[LOG-03]",
    ]
