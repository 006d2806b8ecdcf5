"""acme-prod through the offline synth (``tenantctl.synth.synthesize``): the composed baseline in both
regions."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tenantctl.errors import UserError
from tenantctl.synth import synthesize
from tests.stacks.shipped import PROGRAM, synth

JAPAN = {"ap-northeast-1", "ap-northeast-3"}
ORG_ROLE = ":role/OrganizationAccountAccessRole"


@pytest.fixture(scope="module")
def acme_prod() -> dict[str, Any]:
    return synth("acme-prod")


def test_two_tenant_providers_one_per_japanese_region(acme_prod: dict[str, Any]) -> None:
    providers = {r["urn"]: r for r in acme_prod["resources"] if r["type"] == "pulumi:providers:aws"}
    assert {p["name"]: p["region"] for p in providers.values()} == {
        "acme-prod-apne1": "ap-northeast-1",
        "acme-prod-apne3": "ap-northeast-3",
    }
    account = acme_prod["outputs"]["accountId"]
    for provider in providers.values():
        assert f"arn:aws:iam::{account}{ORG_ROLE}" in str(provider["inputs"]["assumeRoles"])


def test_every_regional_resource_is_in_one_of_the_two_providers(acme_prod: dict[str, Any]) -> None:
    providers = {r["urn"]: r["region"] for r in acme_prod["resources"] if r["type"] == "pulumi:providers:aws"}
    regional = [r for r in acme_prod["resources"] if r["custom"] and r["type"].startswith("aws:")]
    assert len(regional) > 150
    strays = [
        r["urn"]
        for r in regional
        if r["provider"] not in providers or r["region"] != providers[r["provider"]]
    ]
    assert strays == []
    assert {r["region"] for r in regional} == JAPAN


def test_the_composed_baseline_is_all_there(acme_prod: dict[str, Any]) -> None:
    resources = acme_prod["resources"]
    by_type = Counter(r["type"] for r in resources)
    baseline = [r for r in resources if r["type"] == "tenant-zone:baseline:TenantBaseline"]
    assert [b["name"] for b in baseline] == ["acme-prod"]
    components = Counter(r["type"] for r in resources if r["parent"] == baseline[0]["urn"])
    assert components == {
        "tenant-zone:keys:TenantKeys": 1,
        "tenant-zone:network:TenantNetwork": 1,
        "tenant-zone:edge:EdgeProtection": 1,
        "tenant-zone:storage:TenantStorage": 1,
        "tenant-zone:backup:TenantBackup": 1,
        "tenant-zone:detection:Detection": 2,
        "tenant-zone:notifications:Notifications": 2,
        "tenant-zone:mail:MailDomain": 1,
        "tenant-zone:patching:Patching": 1,
        "tenant-zone:breakglass:BreakGlassRole": 1,
        "tenant-zone:guardrails:AccountGuardrails": 1,
        "aws:shield/subscription:Subscription": 1,
    }
    regions_of = {t: {r["region"] for r in resources if r["type"] == t} for t in by_type}
    for both in (
        "aws:kms/key:Key",
        "aws:backup/vault:Vault",
        "aws:cfg/recorder:Recorder",
        "aws:sns/topic:Topic",
        "aws:accessanalyzer/analyzer:Analyzer",
    ):
        assert regions_of[both] == JAPAN, both
    assert regions_of["aws:ec2/vpc:Vpc"] == {"ap-northeast-1"}
    buckets = {
        r["inputs"]["tags"]["purpose"]: r["region"] for r in resources if r["type"] == "aws:s3/bucket:Bucket"
    }
    assert buckets == {"data": "ap-northeast-1", "uploads": "ap-northeast-1", "replica": "ap-northeast-3"}
    assert by_type["aws:ec2/natGateway:NatGateway"] == 3  # production: one per AZ


def test_a_control_breaking_override_is_a_user_error_naming_key_value_and_control() -> None:
    with pytest.raises(UserError) as caught:
        synthesize(PROGRAM, "acme-prod", overrides=["tenant-zone:tenant.primaryRegion=us-east-1"])
    assert (
        "tenant-zone:tenant.primaryRegion: 'us-east-1' is outside Japan; expected ap-northeast-1 or"
        " ap-northeast-3. [RES-01]" in str(caught.value)
    )


def test_the_org_baseline_is_all_there_in_japan() -> None:
    org = synth("org")
    resources = org["resources"]
    by_type = Counter(r["type"] for r in resources)
    assert {t: by_type[t] for t in (
        "aws:organizations/organizationalUnit:OrganizationalUnit", "aws:organizations/policy:Policy",
        "aws:organizations/policyAttachment:PolicyAttachment", "aws:cloudtrail/trail:Trail",
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "aws:organizations/delegatedAdministrator:DelegatedAdministrator",
        "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
        "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
        "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount", "tenant-zone:detection:Detection",
    )} == {
        "aws:organizations/organizationalUnit:OrganizationalUnit": 5, "aws:organizations/policy:Policy": 8,
        "aws:organizations/policyAttachment:PolicyAttachment": 14, "aws:cloudtrail/trail:Trail": 1,
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": 1,
        "aws:organizations/delegatedAdministrator:DelegatedAdministrator": 3,
        "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount": 2,
        "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount": 2,
        "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount": 2, "tenant-zone:detection:Detection": 6,
    }  # fmt: skip
    accounts = sorted(
        r["inputs"]["name"] for r in resources if r["type"] == "aws:organizations/account:Account"
    )
    assert accounts == ["acme-prod", "acme-staging", "beta-prod", "log-archive", "security"]
    (trail,) = [r["inputs"] for r in resources if r["type"] == "aws:cloudtrail/trail:Trail"]
    assert (trail["isOrganizationTrail"], trail["isMultiRegionTrail"], trail["enableLogFileValidation"]) == (
        True,
        True,
        True,
    )
    assert trail["kmsKeyId"] == org["outputs"]["logArchiveKeyArn"]
    (lock,) = [r["inputs"] for r in resources if r["type"].endswith("BucketObjectLockConfiguration")]
    assert (
        lock["rule"]["defaultRetention"]["mode"] == "COMPLIANCE"
        and lock["rule"]["defaultRetention"]["days"] >= 365
    )
    regional = [r for r in resources if r["custom"] and r["type"].startswith("aws:")]
    assert {r["region"] for r in regional} == JAPAN
    explicit = {
        r["region"]
        for r in resources
        if r["type"] == "pulumi:providers:aws" and not r["name"].startswith("default")
    }
    assert explicit == JAPAN
