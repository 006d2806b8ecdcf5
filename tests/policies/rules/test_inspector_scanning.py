import pytest
from pulumi_policy.proxy import UNKNOWN_ARRAY_VALUE

from tests.rulekit import messages, outcome, resource, stack

ENABLER = "aws:inspector2/enabler:Enabler"
RULE = "inspector_scanning"


def enabler(region="ap-northeast-1", types=("EC2", "ECR", "LAMBDA"), name=None, preview=False):
    short = {"ap-northeast-1": "tokyo", "ap-northeast-3": "osaka"}.get(region, region)
    props = {"accountIds": ["111111111111"], "resourceTypes": list(types)}
    return resource(ENABLER, name or f"inspector-{short}", props, region=region, preview=preview)


def tenant(*resources):
    return stack(*resources, name="acme-prod")


def test_pass_both_regions():
    assert (
        outcome(RULE, tenant(enabler(), enabler("ap-northeast-3", ("EC2", "ECR", "LAMBDA", "LAMBDA_CODE"))))
        == "pass"
    )


def test_pass_types_split_over_two_enablers():
    view = tenant(
        enabler(types=("EC2",)), enabler(types=("ecr", "LAMBDA"), name="more"), enabler("ap-northeast-3")
    )
    assert outcome(RULE, view) == "pass"


def test_fail_osaka_missing():
    assert messages(RULE, tenant(enabler())) == [
        "pulumi:pulumi:Stack tenant-zone-acme-prod: region ap-northeast-3 has no Amazon Inspector enabler; "
        "expected an inspector2.Enabler with resourceTypes EC2, ECR, LAMBDA in ap-northeast-3. [VUL-01]"
    ]


@pytest.mark.parametrize("types, missing", [(("EC2", "ECR"), "LAMBDA"), (("LAMBDA",), "EC2, ECR")])
def test_fail_types_missing(types, missing):
    assert messages(RULE, tenant(enabler(types=types), enabler("ap-northeast-3"))) == [
        f"{ENABLER} inspector-tokyo: resourceTypes in ap-northeast-1 lack {missing}; "
        "expected resourceTypes including EC2, ECR, LAMBDA. [VUL-01]"
    ]


def test_fail_enabler_outside_japan_does_not_count():
    assert messages(RULE, tenant(enabler(), enabler("us-east-1"))) == [
        "pulumi:pulumi:Stack tenant-zone-acme-prod: region ap-northeast-3 has no Amazon Inspector enabler; "
        "expected an inspector2.Enabler with resourceTypes EC2, ECR, LAMBDA in ap-northeast-3. [VUL-01]"
    ]


def test_na_org_stack():
    assert outcome(RULE, stack(enabler(), name="org")) == "n/a"


def test_unknown_resource_types_in_preview():
    view = tenant(
        resource(ENABLER, "i", {"resourceTypes": UNKNOWN_ARRAY_VALUE}, preview=True),
        enabler("ap-northeast-3"),
    )
    assert outcome(RULE, view) == "unknown"


def test_na_tenant_stack_leaving_inspector_to_its_organization():
    assert outcome(RULE, tenant(resource("aws:s3/bucket:Bucket", "data", {}))) == "n/a"
