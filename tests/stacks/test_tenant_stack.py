"""The tenant stacks: the program run as Pulumi runs it (``stacks/__main__.py``), under mocks, per stack
file."""

from __future__ import annotations

import json
import runpy
import sys
import types
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from tenancy.spec import SpecError
from tenancy.tags import REQUIRED_TAG_KEYS, is_taggable
from tests.pulumi_mocks import Run, run

STACKS = Path(__file__).resolve().parents[2] / "stacks"
MAIN = STACKS / "__main__.py"
TENANT_STACKS = ("acme-prod", "acme-staging", "beta-prod")
SECURITY_ACCOUNT = "333333333333"
ACCOUNTS = {"acme-prod": "210000000001", "acme-staging": "210000000002", "beta-prod": "210000000003"}


def stack_config(stack: str) -> dict[str, Any]:
    return dict(yaml.safe_load((STACKS / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8"))["config"])


def org_outputs(accounts: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    return {
        "org": {
            "tenantAccountIds": ACCOUNTS if accounts is None else accounts,
            "logArchiveBucket": "tz-log-archive-333333333333",
            "securityAccountId": SECURITY_ACCOUNT,
            "logArchiveKeyArn": "arn:aws:kms:ap-northeast-1:333333333333:key/archive",
            "tenantZoneIds": {stack: f"Z0{account}TENANT" for stack, account in ACCOUNTS.items()},
            "organizationId": "o-abcdefghij",
            "logArchiveFlowLogBucketArn": "arn:aws:s3:::log-delivery-flow-logs-1a2b3c4",
            "logArchiveWafLogBucketArn": "arn:aws:s3:::aws-waf-logs-log-delivery-1a2b3c4",
            "logDeliveryKeyArn": "arn:aws:kms:ap-northeast-1:333333333333:key/delivery",
            "logArchiveAlbLogBuckets": {
                "ap-northeast-1": "alb-access-logs-apne1-bucket-1a2b3c4",
                "ap-northeast-3": "alb-access-logs-apne3-bucket-1a2b3c4",
            },
            "tenantMailZoneIds": {
                "acme-prod": {"domain": "Z0MAILACMEPRODZONE"},
                "beta-prod": {
                    part: f"Z0BETA{part.upper().replace('-', '')}"
                    for part in ("verification", "dkim", "mail-from", "dmarc")
                },
            },
        }
    }


def decoded(value: Any) -> Any:
    """Provider inputs arrive JSON-encoded, as the SDK sends nested provider settings."""
    return json.loads(value) if isinstance(value, str) else value


def run_stack(
    stack: str, config: dict[str, Any] | None = None, accounts: dict[str, str] | None = None
) -> Run:
    return run(
        lambda: runpy.run_path(str(MAIN), run_name="__main__"),
        stack=stack,
        config=stack_config(stack) if config is None else config,
        stack_outputs=org_outputs(accounts),
    )


@pytest.fixture(scope="module", params=TENANT_STACKS)
def synthesized(request: pytest.FixtureRequest) -> tuple[str, Run]:
    return request.param, run_stack(request.param)


def test_providers_assume_the_org_role_in_the_tenant_account_only(synthesized: tuple[str, Run]) -> None:
    stack, result = synthesized
    providers = {p.name: p.inputs for p in result.of_type("pulumi:providers:aws")}
    assert set(providers) == {f"{stack}-apne1", f"{stack}-apne3"}
    account = ACCOUNTS[stack]
    for name, inputs in providers.items():
        assert inputs["region"] == {"apne1": "ap-northeast-1", "apne3": "ap-northeast-3"}[name[-5:]]
        roles = decoded(inputs["assumeRoles"])
        assert [r["roleArn"] for r in roles] == [f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"]
        assert decoded(inputs["allowedAccountIds"]) == [account]


def test_every_aws_resource_goes_through_one_of_the_two_providers(synthesized: tuple[str, Run]) -> None:
    stack, result = synthesized
    providers = {p.urn: p.inputs["region"] for p in result.of_type("pulumi:providers:aws")}
    resources = [r for r in result.resources if r.custom and r.type.startswith("aws:")]
    assert len(resources) > 120
    assert all(r.provider_urn in providers for r in resources)
    regions = {result.region_of(r) for r in resources}
    assert regions == {"ap-northeast-1", "ap-northeast-3"}


def test_every_taggable_resource_carries_the_required_tags(synthesized: tuple[str, Run]) -> None:
    stack, result = synthesized
    spec = stack_config(stack)["tenant-zone:tenant"]
    expected = {
        "tenant": spec["id"],
        "environment": spec["environment"],
        "data-classification": spec["dataClassification"],
        "managed-by": "tenant-zone",
    }
    checked = 0
    for resource in result.resources:
        module_name = resource.type.split(":")[1].split("/")[0] if resource.type.startswith("aws:") else ""
        if not module_name or not resource.custom:
            continue
        cls = _resource_class(resource.type)
        if cls is None or not is_taggable(cls):
            continue
        checked += 1
        assert {k: resource.tags.get(k) for k in REQUIRED_TAG_KEYS} == expected, resource.urn
    assert checked > 50


def _resource_class(type_token: str) -> type | None:
    import importlib

    package, module_path, name = type_token.split(":")
    module = importlib.import_module(f"pulumi_aws.{module_path.split('/')[0]}")
    found = getattr(module, name, None)
    return found if isinstance(found, type) else None


def test_exports_name_the_tenant_and_its_data_locations(synthesized: tuple[str, Run]) -> None:
    stack, result = synthesized
    outputs = result.outputs
    spec = stack_config(stack)["tenant-zone:tenant"]
    assert (outputs["tenant"], outputs["environment"], outputs["accountId"]) == (
        spec["id"],
        spec["environment"],
        ACCOUNTS[stack],
    )
    assert set(outputs["keyArns"]) == set(outputs["backupVaultArns"]) == {"ap-northeast-1", "ap-northeast-3"}
    assert set(outputs["buckets"]) == set(outputs["replicaBuckets"]) == {"data", "uploads"}
    assert all(name.endswith("-apne3") for name in outputs["replicaBuckets"].values())
    assert set(outputs["subnetIds"]) == {"public", "private", "isolated"}


def test_a_bad_spec_stops_the_program_before_any_resource() -> None:
    config = stack_config("acme-prod")
    config["tenant-zone:tenant"] = {
        **config["tenant-zone:tenant"],
        "primaryRegion": "us-east-1",
        "logRetentionDays": 30,
    }
    registered: list[Run] = []
    with pytest.raises(SpecError) as caught:
        registered.append(run_stack("acme-prod", config))
    assert caught.value.problems == [
        (
            "tenant-zone:tenant.primaryRegion: 'us-east-1' is outside Japan; expected ap-northeast-1 or"
            " ap-northeast-3. [RES-01]"
        ),
        (
            "tenant-zone:tenant.logRetentionDays: 30 days is shorter than one year; expected at least 365:"
            " one of 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653. [LOG-02]"
        ),
    ]
    assert str(caught.value).startswith("invalid tenant specification in stack acme-prod (2 problems):")


def test_stack_name_must_match_the_spec() -> None:
    with pytest.raises(SpecError) as caught:
        run_stack("acme-dev", stack_config("acme-prod"))
    assert caught.value.problems == [
        "tenant-zone:tenant: id 'acme' and environment 'prod' make stack acme-prod, not acme-dev; expected"
        " the stack to be named acme-prod, or id and environment that spell acme-dev."
    ]


def test_default_region_outside_japan_is_refused() -> None:
    config = {**stack_config("acme-prod"), "aws:region": "us-east-1"}
    with pytest.raises(SpecError) as caught:
        run_stack("acme-prod", config)
    assert caught.value.problems == [
        "aws:region: 'us-east-1' is outside Japan; expected ap-northeast-1 or ap-northeast-3. [RES-01]"
    ]


def test_missing_account_in_the_org_stack_says_to_update_org_first() -> None:
    with pytest.raises(pulumi.RunError) as caught:
        run_stack("beta-prod", accounts={"acme-prod": "210000000001"})
    assert (
        str(caught.value)
        == "stack org output tenantAccountIds: has no account for beta-prod; expected the org stack to be"
        " updated first (pulumi up -s org) so that it creates the account of tenant-zone:tenant in"
        " Pulumi.beta-prod.yaml. [TEN-01]"
    )


def test_org_stack_dispatches_to_build_org_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    fake = types.ModuleType("stacks.org")
    fake.build_org_stack = lambda: calls.append(pulumi.get_stack())  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "stacks.org", fake)
    result = run(lambda: runpy.run_path(str(MAIN), run_name="__main__"), stack="org")
    assert calls == ["org"]
    assert result.resources == []


def test_program_imports_work_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    root = str(STACKS.parent)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in (root, "", ".")])
    for module in [m for m in sys.modules if m == "stacks" or m.startswith("stacks.")]:
        monkeypatch.delitem(sys.modules, module)
    result = run_stack("acme-staging")
    assert result.of_type("tenant-zone:baseline:TenantBaseline")
    assert sys.path[0] == root
