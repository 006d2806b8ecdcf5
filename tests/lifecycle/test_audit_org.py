"""The organization checks (run once from the management account) and the audit runner over an
organization: the planted drifts of the lifecycle are each found, a compliant organization yields nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from moto import mock_aws

from policies.audit._registry import all_checks
from policies.framework import Failure, format_message
from tenantctl.lifecycle import org
from tenantctl.lifecycle.audit import Target, TenantAccount, audit
from tenantctl.lifecycle.aws import AccountClients, Aws
from tenantctl.lifecycle.org import OrgView, scp_targets
from tenantctl.lifecycle.seed import TENANT_DRIFTS, plant_drift
from tests.lifecycle.orgkit import new_tenant, shipped_spec


def org_messages(aws: Aws, view: OrgView, check_id: str) -> list[str]:
    target = Target(
        view.management_account_id,
        "org",
        AccountClients(aws, view.management_account_id, None),
        expected=scp_targets(),
    )
    control = {"live_baseline_scps_attached": "IAM-03", "live_org_trail": "LOG-01"}[check_id]
    return [
        format_message(f.type, f.name, Failure(f.wrong, f.expected), control)
        for f in all_checks()[check_id].run(target)
    ]


@pytest.fixture()
def organization() -> Iterator[tuple[Aws, OrgView]]:
    with mock_aws():
        aws = Aws()
        yield aws, org.bootstrap(aws)


def test_compliant_organization(organization: tuple[Aws, OrgView]) -> None:
    aws, view = organization
    assert org_messages(aws, view, "live_baseline_scps_attached") == []
    assert org_messages(aws, view, "live_org_trail") == []


def test_detached_scp(organization: tuple[Aws, OrgView]) -> None:
    aws, view = organization
    plant_drift(aws, "scp-detached", "", "")
    policy = next(
        p
        for p in aws.client("organizations").list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
        if p["Name"] == "tz-protect-baseline"
    )
    assert org_messages(aws, view, "live_baseline_scps_attached") == [
        "AWS::Organizations::Policy tz-protect-baseline: is not attached to the OU Tenants"
        f" ({view.ou_ids['Tenants']}); expected attached to Tenants, Security. [IAM-03]"
    ]
    assert policy["Name"] == "tz-protect-baseline"


def test_missing_scp(organization: tuple[Aws, OrgView]) -> None:
    aws, view = organization
    organizations = aws.client("organizations")
    policy = next(
        p
        for p in organizations.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
        if p["Name"] == "tz-freeze-suspended"
    )
    organizations.detach_policy(PolicyId=policy["Id"], TargetId=view.ou_ids["Suspended"])
    organizations.delete_policy(PolicyId=policy["Id"])
    assert org_messages(aws, view, "live_baseline_scps_attached") == [
        "AWS::Organizations::Policy tz-freeze-suspended: does not exist; expected attached to Suspended."
        " [IAM-03]"
    ]


def test_trail_stopped_and_missing(organization: tuple[Aws, OrgView]) -> None:
    aws, view = organization
    cloudtrail = aws.client("cloudtrail")
    cloudtrail.stop_logging(Name=org.ORG_TRAIL_NAME)
    expected = (
        "expected a logging organization trail over every region with log file validation and KMS encryption."
        " [LOG-01]"
    )
    assert org_messages(aws, view, "live_org_trail") == [
        f"AWS::CloudTrail::Trail {org.ORG_TRAIL_NAME}: is not logging; {expected}"
    ]
    cloudtrail.delete_trail(Name=org.ORG_TRAIL_NAME)
    assert org_messages(aws, view, "live_org_trail") == [
        f"AWS::::Account {view.management_account_id}: has no organization trail; {expected}"
    ]


@dataclass(frozen=True)
class Planted:
    drift: str
    rule: str


PLANTED = [
    Planted("encryption-removed", "live_storage_encryption_cmk"),
    Planted("replication-elsewhere", "live_bucket_replication"),
    Planted("rotation-off", "live_kms_key_rotation"),
    Planted("waf-disassociated", "live_web_acl_associations"),
    Planted("guardduty-off", "live_detection_services"),
    Planted("log-retention-shortened", "live_log_retention"),
    Planted("scp-detached", "live_baseline_scps_attached"),
]


def test_every_planted_drift_is_found_and_nothing_on_the_compliant_tenant() -> None:
    assert sorted(p.drift for p in PLANTED) == sorted([*TENANT_DRIFTS, "scp-detached"])
    with mock_aws():
        aws = Aws()
        view = org.bootstrap(aws)
        clean = new_tenant(aws, view, "clean-prod")
        # another shipped spec: two tenants never share a registered CIDR (TEN-02)
        drifted = new_tenant(aws, view, "drifted-prod", spec=shipped_spec("beta-prod"))
        for planted in PLANTED:
            plant_drift(aws, planted.drift, drifted.account_id, drifted.stack)
        tenants = [
            TenantAccount("clean-prod", clean.spec, clean.account_id),
            TenantAccount("drifted-prod", drifted.spec, drifted.account_id),
        ]
        result = audit(aws, tenants, view, concurrency=2, progress=None)
    assert [v for v in result.violations if v.stack == "clean-prod"] == []
    assert result.undecided == []
    found = {(v.stack, v.rule) for v in result.violations}
    for planted in PLANTED:
        stack = "org" if planted.drift == "scp-detached" else "drifted-prod"
        assert (stack, planted.rule) in found, planted
    # the replica sent to Oregon is also a bucket outside Japan
    assert ("drifted-prod", "live_resources_in_japan") in found
    assert not result.passed
