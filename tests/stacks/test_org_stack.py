"""The org stack: built from its config and the tenant stack files, through the right providers."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from stacks.org import OrgConfigError, build_org_stack, parse_org_settings
from tenancy.registry import tenant_stack_files
from tenancy.spec import SpecError
from tests.pulumi_mocks import Registered, Run, run

STACKS = Path(__file__).resolve().parents[2] / "stacks"
ORG_CONFIG: dict[str, Any] = yaml.safe_load((STACKS / "Pulumi.org.yaml").read_text())["config"]
ACCOUNT = "aws:organizations/account:Account"

TENANT_TEMPLATE: dict[str, Any] = {
    "id": "acme",
    "environment": "prod",
    "accountEmail": "aws+acme-prod@tenant-zone.example.jp",
    "vpcCidr": "10.16.0.0/16",
    "dataClassification": "personal",
    "incidentEmail": "security@acme.example.jp",
    "domainName": "app.acme.example.jp",
    "hostedZoneId": "Z0418273ACMEPRODEXMPL",
}


def write_tenant(directory: Path, tenant: str, environment: str, cidr: str, **extra: Any) -> None:
    spec = {
        **TENANT_TEMPLATE,
        "id": tenant,
        "environment": environment,
        "accountEmail": f"aws+{tenant}-{environment}@tenant-zone.example.jp",
        "vpcCidr": cidr,
        **extra,
    }
    document = {"config": {"aws:region": "ap-northeast-1", "tenant-zone:tenant": spec}}
    (directory / f"Pulumi.{tenant}-{environment}.yaml").write_text(yaml.safe_dump(document))


@pytest.fixture()
def stacks_dir(tmp_path: Path) -> Path:
    shutil.copy(STACKS / "Pulumi.org.yaml", tmp_path / "Pulumi.org.yaml")
    write_tenant(tmp_path, "acme", "prod", "10.16.0.0/16")
    write_tenant(tmp_path, "acme", "dev", "10.17.0.0/16", dataClassification="internal")
    write_tenant(tmp_path, "beta", "staging", "10.18.0.0/16")
    return tmp_path


def build(stacks_dir: Path = STACKS, config: dict[str, Any] | None = None) -> Run:
    return run(lambda: build_org_stack(stacks_dir), stack="org", config=config or ORG_CONFIG)


@pytest.fixture(scope="module")
def repo_org() -> Run:
    return build()


def ou_names(result: Run) -> dict[str, str]:
    return {
        r.outputs["id"]: r.inputs["name"]
        for r in result.of_type("aws:organizations/organizationalUnit:OrganizationalUnit")
    }


def test_builds_one_account_per_tenant_stack_file_of_the_repository(repo_org: Run) -> None:
    stacks = [stack for stack, _ in tenant_stack_files(STACKS)]
    assert stacks, "the repository ships tenant stack files"
    ids = repo_org.outputs["tenantAccountIds"]
    assert sorted(ids) == sorted(stacks)
    accounts = {a.inputs["name"]: a for a in repo_org.of_type(ACCOUNT)}
    names = ou_names(repo_org)
    for stack in stacks:
        account = accounts[stack]
        assert ids[stack] == account.outputs["id"]
        expected_ou = "Prod" if stack.endswith("-prod") else "NonProd"
        assert names[account.inputs["parentId"]] == expected_ou, stack


def test_tenant_accounts_follow_the_files_in_the_stacks_dir(stacks_dir: Path) -> None:
    result = build(stacks_dir)
    ids = result.outputs["tenantAccountIds"]
    assert sorted(ids) == ["acme-dev", "acme-prod", "beta-staging"]
    names = ou_names(result)
    placement = {a.inputs["name"]: names[a.inputs["parentId"]] for a in result.of_type(ACCOUNT)}
    assert placement == {
        "acme-dev": "NonProd",
        "acme-prod": "Prod",
        "beta-staging": "NonProd",
        "log-archive": "Security",
        "security": "Security",
    }
    emails = {a.inputs["name"]: a.inputs["email"] for a in result.of_type(ACCOUNT)}
    assert emails["beta-staging"] == "aws+beta-staging@tenant-zone.example.jp"

    write_tenant(stacks_dir, "gamma", "prod", "10.19.0.0/16")
    assert sorted(build(stacks_dir).outputs["tenantAccountIds"]) == [
        "acme-dev",
        "acme-prod",
        "beta-staging",
        "gamma-prod",
    ]


def test_tenant_accounts_carry_their_own_tenant_tags(stacks_dir: Path) -> None:
    result = build(stacks_dir)
    account = next(a for a in result.of_type(ACCOUNT) if a.inputs["name"] == "acme-dev")
    assert account.tags == {
        "tenant": "acme",
        "environment": "dev",
        "data-classification": "internal",
        "managed-by": "tenant-zone",
    }


def test_org_resources_carry_the_platform_tags(repo_org: Run) -> None:
    bucket = repo_org.one("aws:s3/bucket:Bucket", "log-archive-bucket")
    assert bucket.tags == {
        "tenant": "platform",
        "environment": "prod",
        "data-classification": "confidential",
        "managed-by": "tenant-zone",
        "purpose": "log-archive",
    }
    trail = repo_org.one("aws:cloudtrail/trail:Trail")
    assert trail.tags["tenant"] == "platform"


def test_core_account_providers_assume_the_access_role_in_both_regions(repo_org: Run) -> None:
    outputs = repo_org.outputs
    providers = {
        p.name: p.inputs
        for p in repo_org.of_type("pulumi:providers:aws")
        if not p.name.endswith("-dns") and not p.name.startswith("management-")
    }
    assert sorted(providers) == ["log-archive-apne1", "log-archive-apne3", "security-apne1", "security-apne3"]
    for name, inputs in providers.items():
        key, code = name.rsplit("-", 1)
        account = outputs["logArchiveAccountId" if key == "log-archive" else "securityAccountId"]
        assert inputs["region"] == {"apne1": "ap-northeast-1", "apne3": "ap-northeast-3"}[code]
        assert f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole" in inputs["assumeRoles"]


def test_log_archive_lives_in_the_log_archive_account(repo_org: Run) -> None:
    component = repo_org.one("tenant-zone:logarchive:LogArchive")
    provider = repo_org.one("pulumi:providers:aws", "log-archive-apne1")
    for resource in repo_org.descendants_of(component.urn):
        if resource.custom:
            assert resource.provider_urn == provider.urn, resource.name
    key_arn = repo_org.outputs["logArchiveKeyArn"]
    assert key_arn.split(":")[4] == repo_org.outputs["logArchiveAccountId"]


def test_trail_and_organization_live_in_the_management_account(repo_org: Run) -> None:
    for type_ in ("aws:cloudtrail/trail:Trail", "aws:organizations/organization:Organization", ACCOUNT):
        for resource in repo_org.of_type(type_):
            assert resource.provider == "", (
                resource.name
            )  # the default provider: management account, aws:region
    trail = repo_org.one("aws:cloudtrail/trail:Trail").inputs
    assert trail["s3BucketName"] == repo_org.outputs["logArchiveBucket"]
    assert trail["kmsKeyId"] == repo_org.outputs["logArchiveKeyArn"]


def test_core_accounts_get_detection_in_both_regions(repo_org: Run) -> None:
    detectors = repo_org.outputs["guardDutyDetectorIds"]
    # the log archive's come from the organization's auto-enable, which leaves the management account out
    assert sorted(detectors) == ["management", "security"]
    assert (
        sorted(detectors["security"])
        == sorted(detectors["management"])
        == ["ap-northeast-1", "ap-northeast-3"]
    )
    recorders = repo_org.of_type("aws:cfg/recorder:Recorder")
    # log archive, security and management account, in each region
    assert sorted(repo_org.region_of(r) for r in recorders) == ["ap-northeast-1"] * 3 + ["ap-northeast-3"] * 3
    for channel in repo_org.of_type("aws:cfg/deliveryChannel:DeliveryChannel"):
        assert channel.inputs["s3BucketName"] == repo_org.outputs["logArchiveBucket"]


def test_every_regional_resource_is_in_japan(repo_org: Run) -> None:
    for resource in repo_org.resources:
        if resource.custom and resource.type.startswith("aws:"):
            region = repo_org.region_of(resource) or ORG_CONFIG["aws:region"]
            assert region in ("ap-northeast-1", "ap-northeast-3"), resource.urn


def test_exports(repo_org: Run) -> None:
    outputs = repo_org.outputs
    assert {
        "organizationId",
        "rootId",
        "organizationalUnitIds",
        "scpIds",
        "logArchiveAccountId",
        "securityAccountId",
        "logArchiveBucket",
        "logArchiveKeyArn",
        "logArchiveFlowLogBucketArn",
        "logArchiveWafLogBucketArn",
        "logDeliveryKeyArn",
        "logArchiveAlbLogBuckets",
        "tenantMailZoneIds",
        "trailArn",
        "tenantAccountIds",
        "managementAccountId",
    } <= set(outputs)
    assert sorted(outputs["organizationalUnitIds"]) == ["nonprod", "prod", "security", "suspended", "tenants"]
    assert outputs["trailArn"].endswith(":trail/tz-organization-trail")
    assert outputs["logArchiveConfigPrefix"] == "config"


def test_a_broken_tenant_file_stops_the_stack_before_any_resource(stacks_dir: Path) -> None:
    write_tenant(stacks_dir, "delta", "prod", "10.16.128.0/17")  # overlaps acme-prod
    registered: dict[str, Registered] = {}
    with pytest.raises(SpecError) as caught:
        run(lambda: build_org_stack(stacks_dir), stack="org", config=ORG_CONFIG, sink=registered)
    assert "overlaps '10.16.0.0/16' of stack acme-prod" in str(caught.value)
    assert [urn for urn in registered if "::pulumi:pulumi:Stack::" not in urn] == []


def test_a_tenant_reusing_a_core_account_email_is_refused(stacks_dir: Path) -> None:
    write_tenant(
        stacks_dir, "delta", "prod", "10.20.0.0/16", accountEmail="aws+security@tenant-zone.example.jp"
    )
    with pytest.raises(OrgConfigError) as caught:
        build(stacks_dir)
    assert caught.value.problems == [
        "tenant-zone:org.securityAccountEmail: 'aws+security@tenant-zone.example.jp' is also the account"
        " e-mail of tenant stack delta-prod (Pulumi.delta-prod.yaml); expected an address no tenant account"
        " uses. [TEN-01]"
    ]


GOOD = {
    "logArchiveAccountEmail": "aws+log-archive@example.jp",
    "securityAccountEmail": "aws+security@example.jp",
}


@pytest.mark.parametrize(
    ("raw", "problems"),
    [
        (
            None,
            [
                "tenant-zone:org: None is not an object; expected logArchiveAccountEmail and"
                " securityAccountEmail."
            ],
        ),
        (
            {**GOOD, "tenants": ["acme-prod"]},
            [
                "tenant-zone:org.tenants: unknown key (tenants come from the tenant stack files, not from the"
                " org config); expected only logArchiveAccountEmail, securityAccountEmail,"
                " dataClassification, logRetentionDays."
            ],
        ),
        (
            {"logArchiveAccountEmail": "log-archive", "securityAccountEmail": "log-archive"},
            [
                (
                    "tenant-zone:org.logArchiveAccountEmail: 'log-archive' is not an e-mail address; expected"
                    " the account's unique root e-mail address."
                ),
                (
                    "tenant-zone:org.securityAccountEmail: 'log-archive' is not an e-mail address; expected"
                    " the account's unique root e-mail address."
                ),
            ],
        ),
        (
            {**GOOD, "securityAccountEmail": "AWS+log-archive@example.jp"},
            [
                "tenant-zone:org.securityAccountEmail: is the same address as logArchiveAccountEmail;"
                " expected one address per account."
            ],
        ),
        (
            {**GOOD, "dataClassification": "secret", "logRetentionDays": 90},
            [
                (
                    "tenant-zone:org.dataClassification: 'secret' is not a classification; expected one of"
                    " public, internal, confidential, personal. [TEN-04]"
                ),
                (
                    "tenant-zone:org.logRetentionDays: 90 keeps logs less than 365 days; expected a whole"
                    " number of days >= 365. [LOG-01]"
                ),
            ],
        ),
    ],
)
def test_org_config_validation(raw: Any, problems: list[str]) -> None:
    with pytest.raises(OrgConfigError) as caught:
        parse_org_settings(raw)
    assert caught.value.problems == problems
    assert str(caught.value).splitlines()[1:] == problems


def test_org_config_defaults() -> None:
    settings = parse_org_settings(GOOD)
    assert (settings.data_classification, settings.log_retention_days) == ("confidential", 365)


def test_log_retention_reaches_the_object_lock(stacks_dir: Path) -> None:
    config = {**ORG_CONFIG, "tenant-zone:org": {**ORG_CONFIG["tenant-zone:org"], "logRetentionDays": 730}}
    result = build(stacks_dir, config)
    lock = result.one("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").inputs
    assert lock["rule"]["defaultRetention"] == {"mode": "COMPLIANCE", "days": 730}


def test_preview_with_unknown_ids_declares_the_same_resources(repo_org: Run) -> None:
    preview = run(lambda: build_org_stack(STACKS), stack="org", config=ORG_CONFIG, preview=True)
    assert sorted(r.urn for r in preview.resources) == sorted(r.urn for r in repo_org.resources)
    regions = next(
        p for p in preview.of_type("aws:organizations/policy:Policy") if p.inputs["name"] == "tz-deny-regions"
    )
    assert "RES01DenyOutsideJapan" in regions.inputs["content"]  # static guardrails are judged at preview
