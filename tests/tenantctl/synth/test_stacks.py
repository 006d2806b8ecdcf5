"""Smoke tests on the shipped stacks: the whole baseline synthesizes, in Japan, with every used output
mocked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tenantctl.synth import synthesize
from tenantctl.synth.engine import synthesize as engine_synthesize
from tenantctl.synth.mocks import AUDIT_MARKER
from tests.tenantctl.synth.conftest import REPO

JAPAN = {"ap-northeast-1", "ap-northeast-3"}
SHIPPED = ("org", "acme-prod")

pytestmark = pytest.mark.skipif(
    not all((REPO / "stacks" / f"Pulumi.{stack}.yaml").is_file() for stack in SHIPPED),
    reason="the shipped stacks (stacks/Pulumi.org.yaml, stacks/Pulumi.acme-prod.yaml) are not there yet",
)


@pytest.fixture(scope="module")
def shipped() -> dict[str, dict[str, Any]]:
    return {stack: synthesize(REPO, stack) for stack in SHIPPED}


def markers(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from markers(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from markers(item, f"{path}[{index}]")
    elif isinstance(value, str) and AUDIT_MARKER in value:
        yield f"{path} = {value}"


@pytest.mark.parametrize("stack", SHIPPED)
def test_every_aws_resource_is_in_japan_with_providers_in_both_regions(
    shipped: dict[str, Any], stack: str
) -> None:
    resources = shipped[stack]["resources"]
    aws = [r for r in resources if r["custom"] and r["type"].startswith("aws:")]
    assert len(aws) > 50
    outside = [(r["name"], r["region"]) for r in aws if r["region"] not in JAPAN]
    assert outside == []
    provider_regions = {r["region"] for r in resources if r["type"] == "pulumi:providers:aws"}
    assert provider_regions >= JAPAN
    assert {r["region"] for r in aws} == JAPAN


def test_tenant_stack_reaches_the_account_the_org_stack_created(shipped: dict[str, Any]) -> None:
    org, tenant = shipped["org"], shipped["acme-prod"]
    account = org["outputs"]["tenantAccountIds"]["acme-prod"]
    assert account in {r["id"] for r in org["resources"] if r["type"] == "aws:organizations/account:Account"}
    arns = [
        r["outputs"]["arn"]
        for r in tenant["resources"]
        if "arn" in r["outputs"] and ":iam::" not in r["outputs"]["arn"]
    ]
    assert arns and all(f":{account}:" in arn for arn in arns if arn.split(":")[4])


@pytest.mark.parametrize("stack", SHIPPED)
def test_no_input_uses_an_output_the_mocks_do_not_produce(stack: str) -> None:
    # every computed output the mocks leave out is set to a marker; none may end up in another resource's
    # inputs
    audited = engine_synthesize(REPO, stack, audit=True)
    found = [f"{r['name']}{hit}" for r in audited["resources"] for hit in markers(r["inputs"], "")]
    found += [f"outputs{hit}" for hit in markers(audited["outputs"])]
    assert found == []
