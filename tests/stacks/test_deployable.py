"""What AWS would reject in the shipped stacks, asserted on their synth JSON: each fix is visible there."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.stacks.shipped import TENANT_STACKS, synth

PROTECTION = "aws:shield/protection:Protection"
SUBSCRIPTION = "aws:shield/subscription:Subscription"


def of_type(state: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r for r in state["resources"] if r["type"] == resource_type]


@pytest.fixture(scope="module")
def acme() -> dict[str, Any]:
    return synth("acme-prod")


@pytest.fixture(scope="module")
def org() -> dict[str, Any]:
    return synth("org")


def test_nat_elastic_ips_are_protected_by_their_allocation_arn(acme: dict[str, Any]) -> None:
    eips = {e["urn"]: e for e in of_type(acme, "aws:ec2/eip:Eip")}
    nat_protections = [p for p in of_type(acme, PROTECTION) if set(p["dependencies"]) & set(eips)]
    assert len(nat_protections) == len(eips) == 3
    account = acme["outputs"]["accountId"]
    expected = {
        f"arn:aws:ec2:ap-northeast-1:{account}:eip-allocation/{e['outputs']['allocationId']}"
        for e in eips.values()
    }
    assert {p["inputs"]["resourceArn"] for p in nat_protections} == expected


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_every_protection_depends_on_the_accounts_subscription(stack: str) -> None:
    state = synth(stack)
    (subscription,) = of_type(state, SUBSCRIPTION)
    assert subscription["inputs"]["autoRenew"] == "ENABLED"
    protections = of_type(state, PROTECTION)
    assert protections and all(subscription["urn"] in p["dependencies"] for p in protections)
    assert {p["provider"] for p in protections} == {subscription["provider"]}


def test_designations_wait_for_the_security_accounts_detection(org: dict[str, Any]) -> None:
    security = org["outputs"]["securityAccountId"]
    providers = {
        r["urn"]: r
        for r in of_type(org, "pulumi:providers:aws")
        if security in r["inputs"].get("allowedAccountIds", "")
    }
    enablers = [
        r
        for kind in (
            "aws:guardduty/detector:Detector",
            "aws:securityhub/account:Account",
            "aws:inspector2/enabler:Enabler",
        )
        for r in of_type(org, kind)
        if r["provider"] in providers
    ]
    assert len(enablers) == 6  # three services in two regions
    designations = [
        r
        for kind in (
            "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
            "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
            "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount",
        )
        for r in of_type(org, kind)
    ]
    assert len(designations) == 6
    for designation in designations:
        region = designation["inputs"]["region"]
        same_region = {e["urn"] for e in enablers if e["region"] == region}
        assert same_region <= set(designation["dependencies"]), designation["name"]


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_each_tenant_zone_is_created_in_its_account_and_delegated_by_the_org_stack(
    org: dict[str, Any], stack: str
) -> None:
    tenant = synth(stack)
    zone_id = org["outputs"]["tenantZoneIds"][stack]
    account = org["outputs"]["tenantAccountIds"][stack]
    (zone,) = [z for z in of_type(org, "aws:route53/zone:Zone") if z["outputs"]["zoneId"] == zone_id]
    provider = next(r for r in of_type(org, "pulumi:providers:aws") if r["urn"] == zone["provider"])
    assert json.loads(provider["inputs"]["allowedAccountIds"]) == [account]
    spec = tenant_spec(stack)
    assert zone["inputs"]["name"] == spec["domainName"]
    (delegation,) = [
        r
        for r in of_type(org, "aws:route53/record:Record")
        if r["inputs"]["type"] == "NS" and r["inputs"]["name"] == spec["domainName"]
    ]
    assert delegation["inputs"]["zoneId"] == spec["hostedZoneId"]  # the parent zone
    assert delegation["inputs"]["records"] == zone["outputs"]["nameServers"]
    # the management account (the default provider) holds the parent zone
    assert delegation["provider"].rsplit("::", 1)[-1].startswith("default")
    # the entry point's certificate validation and alias records go into the tenant's own zone
    records = [
        r
        for r in of_type(tenant, "aws:route53/record:Record")
        if "tenant-zone:edge:EdgeProtection" in r["urn"]
    ]
    assert records and {r["inputs"]["zoneId"] for r in records} == {zone_id}


def tenant_spec(stack: str) -> dict[str, Any]:
    from tests.stacks.shipped import stack_config

    return dict(stack_config(stack)["tenant-zone:tenant"])


def test_backup_vault_creation_is_allowed_to_administrators_through_backup_only(acme: dict[str, Any]) -> None:
    keys = of_type(acme, "aws:kms/key:Key")
    assert len(keys) == 2
    for key in keys:
        region = key["region"]
        statements = {s["Sid"]: s for s in json.loads(key["inputs"]["policy"])["Statement"]}
        creation = statements["BackupVaultCreationForAdministrators"]
        assert sorted(creation["Action"]) == [
            "kms:Decrypt",
            "kms:DescribeKey",
            "kms:GenerateDataKey",
            "kms:RetireGrant",
        ]
        assert creation["Condition"] == {"StringEquals": {"kms:ViaService": f"backup.{region}.amazonaws.com"}}
        grant = statements["BackupVaultGrantForAdministrators"]
        assert grant["Action"] == ["kms:CreateGrant"] and creation["Principal"] == grant["Principal"]
        deny = statements["DenyCryptographyToAdministrators"]
        assert deny["Condition"]["StringNotEquals"] == {"kms:ViaService": f"backup.{region}.amazonaws.com"}


def test_the_security_account_aggregates_findings_and_configuration(org: dict[str, Any]) -> None:
    (findings,) = of_type(org, "aws:securityhub/findingAggregator:FindingAggregator")
    assert findings["region"] == "ap-northeast-1"
    assert findings["inputs"] == {"linkingMode": "SPECIFIED_REGIONS", "specifiedRegions": ["ap-northeast-3"]}
    (config,) = of_type(org, "aws:cfg/configurationAggregator:ConfigurationAggregator")
    assert config["inputs"]["organizationAggregationSource"]["regions"] == [
        "ap-northeast-1",
        "ap-northeast-3",
    ]
    security = org["outputs"]["securityAccountId"]
    for aggregator in (findings, config):
        provider = next(r for r in of_type(org, "pulumi:providers:aws") if r["urn"] == aggregator["provider"])
        assert json.loads(provider["inputs"]["allowedAccountIds"]) == [security]
