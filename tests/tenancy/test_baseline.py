"""TenantBaseline: the composition for one tenant environment, through the two region providers."""

from __future__ import annotations

import json
import re
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from tenancy.baseline import TenantBaseline, TenantBaselineArgs
from tenancy.spec import parse_tenant_spec
from tests.pulumi_mocks import Registered, Run, assert_all_under, run

ACCOUNT = "222222222222"
SECURITY_ACCOUNT = "333333333333"
SPEC: dict[str, Any] = {
    "id": "acme",
    "environment": "prod",
    "accountEmail": "aws+acme-prod@example.jp",
    "vpcCidr": "10.16.0.0/16",
    "availabilityZones": 3,
    "dataClassification": "personal",
    "blockedCidrs": ["198.51.100.0/24"],
    "rateLimit": 1500,
    "logRetentionDays": 731,
    "backup": {"retentionDays": 120, "copyRetentionDays": 180},
    "incidentEmail": "security@acme.example.jp",
    "domainName": "app.acme.example.jp",
    "hostedZoneId": "Z0418273ACMEPRODEXMPL",
    "mail": {"domain": "mail.acme.example.jp", "hostedZoneId": "Z0418273ACMEPRODEXMPL"},
}
COMPONENT = "tenant-zone:baseline:TenantBaseline"
# Everything the Osaka provider carries; every other regional resource is in Tokyo.
OSAKA = re.compile(
    r"-replica(-|$)|-keys-secondary|-backup-secondary|-detection-apne3-|-notifications-apne3-"
    r"|-guardrails-.*-apne3$"
)


def build(baseline_args: dict[str, Any] | None = None, **changes: Any) -> Run:
    spec = parse_tenant_spec({**SPEC, **changes}, "test")

    def program() -> TenantBaseline:
        tokyo = aws.Provider("tokyo", region="ap-northeast-1")
        osaka = aws.Provider("osaka", region="ap-northeast-3")
        return TenantBaseline(
            spec.stack_name,
            TenantBaselineArgs(
                spec=spec,
                account_id=ACCOUNT,
                primary_provider=tokyo,
                secondary_provider=osaka,
                log_archive_bucket="tz-log-archive",
                security_account_id=SECURITY_ACCOUNT,
                log_archive_key_arn="arn:aws:kms:ap-northeast-1:333333333333:key/archive",
                **(baseline_args or {}),
            ),
        )

    return run(program, account_id=ACCOUNT)


@pytest.fixture(scope="module")
def prod() -> Run:
    return build()


def custom(result: Run) -> list[Registered]:
    return [r for r in result.resources if r.custom and not r.type.startswith("pulumi:providers:")]


def test_everything_is_under_the_baseline_with_derived_names(prod: Run) -> None:
    component = prod.one(COMPONENT)
    assert_all_under(prod, component.urn)
    assert all(r.name.startswith("acme-prod-") for r in prod.descendants_of(component.urn))


def test_composes_every_component_once_or_per_region(prod: Run) -> None:
    component = prod.one(COMPONENT).urn
    kinds = sorted(r.type.split(":")[-1] for r in prod.children_of(component))
    assert kinds == sorted(
        [
            "TenantKeys",
            "TenantNetwork",
            "EdgeProtection",
            "TenantStorage",
            "TenantBackup",
            "Detection",
            "Detection",
            "Notifications",
            "Notifications",
            "MailDomain",
            "Patching",
            "BreakGlassRole",
            "Subscription",
            "AccountGuardrails",
        ]
    )


def test_every_regional_resource_uses_one_of_the_two_providers(prod: Run) -> None:
    tokyo = prod.one("pulumi:providers:aws", "tokyo").urn
    osaka = prod.one("pulumi:providers:aws", "osaka").urn
    for resource in custom(prod):
        expected = osaka if OSAKA.search(resource.name) else tokyo
        assert resource.provider_urn == expected, resource.name
        assert prod.region_of(resource) in ("ap-northeast-1", "ap-northeast-3")


def test_detection_and_notifications_in_both_regions_under_that_regions_key(prod: Run) -> None:
    keys = {prod.region_of(k): k.outputs["arn"] for k in prod.of_type("aws:kms/key:Key")}
    recorders = {prod.region_of(r) for r in prod.of_type("aws:cfg/recorder:Recorder")}
    assert recorders == {"ap-northeast-1", "ap-northeast-3"}
    # the organization's auto-enable creates these in the member account; a create here would collide
    for kind in (
        "aws:guardduty/detector:Detector",
        "aws:securityhub/account:Account",
        "aws:inspector2/enabler:Enabler",
    ):
        assert prod.of_type(kind) == [], kind
    topics = {prod.region_of(t): t.inputs["kmsMasterKeyId"] for t in prod.of_type("aws:sns/topic:Topic")}
    assert topics == keys
    subscriptions = {
        s.inputs["endpoint"] for s in prod.of_type("aws:sns/topicSubscription:TopicSubscription")
    }
    assert subscriptions == {"security@acme.example.jp"}
    channels = {c.inputs["s3BucketName"] for c in prod.of_type("aws:cfg/deliveryChannel:DeliveryChannel")}
    assert channels == {"tz-log-archive"}


def test_spec_values_reach_the_resources(prod: Run) -> None:
    retention = {
        g.inputs["name"]: g.inputs["retentionInDays"]
        for g in prod.of_type("aws:cloudwatch/logGroup:LogGroup")
    }
    assert set(retention.values()) == {731} and len(retention) == 2  # flow logs and WAF logs
    assert len(prod.of_type("aws:ec2/subnet:Subnet")) == 9
    assert len(prod.of_type("aws:ec2/natGateway:NatGateway")) == 3
    web_acl = prod.one("aws:wafv2/webAcl:WebAcl")
    limits = [
        r["statement"]["rateBasedStatement"]["limit"]
        for r in web_acl.inputs["rules"]
        if "rateBasedStatement" in r["statement"]
    ]
    assert limits == [1500.0]
    deny = prod.one("aws:wafv2/ipSet:IpSet", "acme-prod-edge-deny-list")
    assert deny.inputs["addresses"] == ["198.51.100.0/24"]
    (rule,) = prod.one("aws:backup/plan:Plan").inputs["rules"]
    assert rule["lifecycle"] == {"deleteAfter": 120.0}
    assert rule["copyActions"][0]["lifecycle"] == {"deleteAfter": 180.0}
    assert prod.one("aws:backup/selection:Selection").inputs["selectionTags"][0]["value"] == "acme"
    assert prod.one("aws:ses/domainIdentity:DomainIdentity").inputs["domain"] == "mail.acme.example.jp"
    assert prod.one("aws:acm/certificate:Certificate").inputs["domainName"] == "app.acme.example.jp"
    assert len(prod.of_type("aws:shield/protection:Protection")) == 4  # the ALB and three NAT addresses


def test_non_production_shares_one_nat_and_mail_is_optional() -> None:
    result = build(environment="staging", availabilityZones=2, mail=None)
    assert len(result.of_type("aws:ec2/natGateway:NatGateway")) == 1
    assert len(result.of_type("aws:ec2/subnet:Subnet")) == 6
    assert result.of_type("tenant-zone:mail:MailDomain") == []
    assert result.of_type("aws:ses/domainIdentity:DomainIdentity") == []


def test_component_outputs_are_wired(prod: Run) -> None:
    baseline = prod.value
    assert isinstance(baseline, TenantBaseline)
    assert prod.resolve(baseline.network.vpc_id) == prod.one("aws:ec2/vpc:Vpc").outputs["id"]
    assert prod.resolve(baseline.backup.secondary_vault.arn).startswith(
        "arn:aws:backup:ap-northeast-3:222222222222:"
    )
    assert isinstance(baseline.edge.web_acl_arn, pulumi.Output)


def test_break_glass_role_trusts_the_security_account(prod: Run) -> None:
    role = prod.one("aws:iam/role:Role", "acme-prod-break-glass-role")
    assert role.inputs["path"] == "/tenant-zone/" and role.inputs["name"] == "tz-break-glass"
    assert SECURITY_ACCOUNT in role.inputs["assumeRolePolicy"]
    assert prod.region_of(role) == "ap-northeast-1"


def test_config_prefix_and_workload_roles_are_passed_on() -> None:
    workload = f"arn:aws:iam::{ACCOUNT}:role/app/web"
    result = build({"config_key_prefix": "tenant-config", "workload_role_arns": [workload]})
    assert {c.inputs["s3KeyPrefix"] for c in result.of_type("aws:cfg/deliveryChannel:DeliveryChannel")} == {
        "tenant-config"
    }
    for key in result.of_type("aws:kms/key:Key"):
        use = next(s for s in json.loads(key.inputs["policy"])["Statement"] if s["Sid"] == "KeyUse")
        assert workload in use["Condition"]["ArnLike"]["aws:PrincipalArn"], key.name


def test_shield_protections_wait_for_the_protected_subscription(prod: Run) -> None:
    (subscription,) = prod.of_type("aws:shield/subscription:Subscription")
    assert subscription.protect is True
    assert subscription.inputs["autoRenew"] == "ENABLED"
    protections = prod.of_type("aws:shield/protection:Protection")
    assert len(protections) == 4  # the ALB and the three NAT Elastic IPs
    assert all(subscription.urn in p.dependencies for p in protections)
