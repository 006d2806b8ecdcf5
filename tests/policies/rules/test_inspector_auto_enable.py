import pytest
from pulumi_policy.proxy import UNKNOWN_ARRAY_VALUE

from tests.rulekit import messages, outcome, resource, stack

RULE = "inspector_auto_enable"
REGIONS = ("ap-northeast-1", "ap-northeast-3")
ROOT = "pulumi:pulumi:Stack tenant-zone-org"
DESIGNATION = "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount"
ORG_CONFIG = "aws:inspector2/organizationConfiguration:OrganizationConfiguration"
ENABLER = "aws:inspector2/enabler:Enabler"


def region_part(region, auto=None, types=("EC2", "ECR", "LAMBDA"), preview=False):
    auto = {"ec2": True, "ecr": True, "lambda": True} if auto is None else auto
    return [
        resource(DESIGNATION, f"admin-{region}", {"accountId": "222222222222"}, region=region, stack="org"),
        resource(ORG_CONFIG, f"auto-{region}", {"autoEnable": auto}, region=region, stack="org"),
        resource(
            ENABLER,
            f"members-{region}",
            {"accountIds": ["222222222222", "333333333333"], "resourceTypes": types},
            region=region,
            stack="org",
            preview=preview,
        ),
    ]


def org(*resources):
    return stack(*resources, name="org")


def test_pass_both_regions():
    assert outcome(RULE, org(*region_part(REGIONS[0]), *region_part(REGIONS[1]))) == "pass"


def test_na_without_inspector_administrator():
    assert outcome(RULE, org(resource("aws:s3/bucket:Bucket", "b", {}, stack="org"))) == "n/a"


def auto_enable_gap(region, missing):
    return (
        f"{ROOT}: region {region} does not auto-enable Inspector scanning of {missing}; expected an "
        "inspector2.OrganizationConfiguration with autoEnable ec2, ecr and lambda true in "
        f"{region}. [VUL-01]"
    )


def activation_gap(region, missing):
    return (
        f"{ROOT}: region {region} activates no Inspector scanning of {missing} for the accounts "
        "already in the organization; expected an inspector2.Enabler with resourceTypes EC2, ECR, "
        f"LAMBDA listing them in {region}. [VUL-01]"
    )


@pytest.mark.parametrize(
    "auto, missing",
    [({"ec2": True, "ecr": True, "lambda": False}, "LAMBDA"), ({"ec2": "true", "ecr": False}, "ECR, LAMBDA")],
)
def test_fail_auto_enable_incomplete(auto, missing):
    view = org(*region_part(REGIONS[0], auto=auto), *region_part(REGIONS[1]))
    assert messages(RULE, view) == [auto_enable_gap("ap-northeast-1", missing)]


def test_fail_existing_members_not_activated_in_osaka():
    view = org(*region_part(REGIONS[0]), *region_part(REGIONS[1], types=("EC2",)))
    assert messages(RULE, view) == [activation_gap("ap-northeast-3", "ECR, LAMBDA")]


def test_fail_osaka_missing_entirely():
    assert messages(RULE, org(*region_part(REGIONS[0]))) == [
        auto_enable_gap("ap-northeast-3", "EC2, ECR, LAMBDA"),
        activation_gap("ap-northeast-3", "EC2, ECR, LAMBDA"),
    ]


def test_unknown_resource_types_in_preview():
    view = org(*region_part(REGIONS[0]), *region_part(REGIONS[1], types=UNKNOWN_ARRAY_VALUE, preview=True))
    assert outcome(RULE, view) == "unknown"
