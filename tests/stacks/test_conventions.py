"""Component conventions and required tags, checked on what the shipped stacks really declare (the offline
synth).

- every resource hangs under a component; only providers and stack references sit at the top;
- a child's logical name is ``<component name>-<part>``;
- providers come from the stacks, assume OrganizationAccountAccessRole in one account, in Japan;
- every taggable resource (``policies/data/taggable_types.json``) carries the four required tags with the
  values of its stack (TEN-04).
"""

from __future__ import annotations

import ast
import json
from typing import Any

import pulumi_aws as aws
import pytest

from tenancy.spec import DATA_CLASSIFICATIONS, ENVIRONMENTS
from tenancy.tags import MANAGED_BY, PLATFORM_TENANT, REQUIRED_TAG_KEYS
from tests.pulumi_mocks import run
from tests.stacks.shipped import ALL_STACKS, PROGRAM, STACKS, TENANT_STACKS, stack_config, synth

ROOT_TYPE = "pulumi:pulumi:Stack"
TOP_LEVEL_CUSTOM = ("pulumi:providers:", "pulumi:pulumi:StackReference")
TAGGABLE: frozenset[str] = frozenset(
    json.loads((PROGRAM / "policies" / "data" / "taggable_types.json").read_text())
)
JAPAN = ("ap-northeast-1", "ap-northeast-3")
ACCESS_ROLE = "OrganizationAccountAccessRole"


def by_urn(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["urn"]: r for r in state["resources"]}


def root_urn(state: dict[str, Any]) -> str:
    (root,) = [r["urn"] for r in state["resources"] if r["type"] == ROOT_TYPE]
    return root


# --- parents and names
# ---------------------------------------------------------------------------------------


def parent_problems(state: dict[str, Any]) -> list[str]:
    """Resources whose parent is not a component, and custom resources other than providers at the top."""
    resources, root = by_urn(state), root_urn(state)
    problems: list[str] = []
    for resource in state["resources"]:
        if resource["urn"] == root:
            continue
        parent = resources.get(resource["parent"] or "")
        top_level_custom = resource["type"].startswith(TOP_LEVEL_CUSTOM)
        if top_level_custom:
            if parent is not None and parent["urn"] != root:
                problems.append(f"{resource['urn']}: a provider or stack reference below {parent['urn']}")
        elif parent is None:
            problems.append(f"{resource['urn']}: no parent")
        elif parent["custom"]:
            problems.append(f"{resource['urn']}: parent {parent['urn']} is not a component")
        elif parent["urn"] == root and resource["custom"]:
            problems.append(f"{resource['urn']}: a resource at the top of the stack, outside every component")
    return problems


def naming_problems(state: dict[str, Any]) -> list[str]:
    resources, root = by_urn(state), root_urn(state)
    problems: list[str] = []
    for resource in state["resources"]:
        parent = resources.get(resource["parent"] or "")
        if parent is None or parent["urn"] == root:
            continue
        if not resource["name"].startswith(f"{parent['name']}-"):
            problems.append(
                f"{resource['urn']}: name {resource['name']} does not start with {parent['name']}-"
            )
    return problems


@pytest.mark.parametrize("stack", ALL_STACKS)
def test_every_resource_hangs_under_a_component(stack: str) -> None:
    state = synth(stack)
    assert parent_problems(state) == []
    components = [r for r in state["resources"] if not r["custom"] and r["type"] != ROOT_TYPE]
    assert components and all(r["type"].startswith("tenant-zone:") for r in components)


@pytest.mark.parametrize("stack", ALL_STACKS)
def test_child_names_derive_from_their_component(stack: str) -> None:
    assert naming_problems(synth(stack)) == []


def test_the_structure_checks_catch_strays() -> None:
    """A resource moved to the top of the stack, or renamed, is reported (the checks above can fail)."""
    state = synth("acme-prod")
    root = root_urn(state)
    key = next(r for r in state["resources"] if r["type"] == "aws:kms/key:Key")
    key["parent"] = root
    key["name"] = "stray-key"
    assert parent_problems(state) == [
        f"{key['urn']}: a resource at the top of the stack, outside every component"
    ]
    key["parent"] = next(r["urn"] for r in state["resources"] if r["type"] == "aws:kms/alias:Alias")
    assert parent_problems(state) == [f"{key['urn']}: parent {key['parent']} is not a component"]
    key["parent"] = next(r["urn"] for r in state["resources"] if r["type"] == "tenant-zone:keys:TenantKeys")
    assert naming_problems(state) == [f"{key['urn']}: name stray-key does not start with acme-prod-keys-"]


# --- providers
# -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", ALL_STACKS)
def test_explicit_providers_assume_the_access_role_of_one_account_in_japan(stack: str) -> None:
    state = synth(stack)
    explicit = [
        r
        for r in state["resources"]
        if r["type"] == "pulumi:providers:aws" and not r["name"].startswith("default")
    ]
    # org: the log-archive and security accounts in both regions, and each tenant account for its DNS zone;
    # and the management account in both regions, with the caller's own credentials (no role to assume)
    management = [p for p in explicit if p["name"].startswith("management-")]
    assert len(management) == (2 if stack == "org" else 0)
    for provider in management:
        assert provider["inputs"]["region"] in JAPAN and "assumeRoles" not in provider["inputs"]
        assert json.loads(provider["inputs"]["allowedAccountIds"]) == [
            state["outputs"]["managementAccountId"]
        ]
    explicit = [p for p in explicit if p not in management]
    assert len(explicit) == (4 + len(TENANT_STACKS) if stack == "org" else 2)
    for provider in explicit:
        inputs = provider["inputs"]
        assert inputs["region"] in JAPAN, provider["name"]
        roles = json.loads(inputs["assumeRoles"])
        (account,) = json.loads(inputs["allowedAccountIds"])
        # dict-form assume_roles would be dropped by pulumi-aws (pulumi/pulumi-aws#5271): the role must be
        # here
        assert [r["roleArn"] for r in roles] == [f"arn:aws:iam::{account}:role/{ACCESS_ROLE}"], provider[
            "name"
        ]
    if stack != "org":
        assert {p["region"] for p in explicit} == set(JAPAN)
        assert len({p["inputs"]["allowedAccountIds"] for p in explicit}) == 1


def test_dict_form_assume_roles_would_lose_the_role() -> None:
    """Why the check above reads ``roleArn``: a dict keeps its snake_case key, which the provider ignores."""
    result = run(
        lambda: aws.Provider(
            "p", region="ap-northeast-1", assume_roles=[{"role_arn": "arn:aws:iam::1:role/R"}]
        )
    )
    roles = json.loads(result.one("pulumi:providers:aws").inputs["assumeRoles"])
    assert roles == [{"role_arn": "arn:aws:iam::1:role/R"}] and "roleArn" not in roles[0]


def test_stacks_build_assume_roles_from_provider_assume_role_args() -> None:
    # The management account's provider is the one without a role: it runs with the caller's credentials.
    trees = [(path.name, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(STACKS.glob("*.py"))]
    (management,) = [
        node
        for _, tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name == "management_provider"
    ]
    exempt = {id(node) for node in ast.walk(management)}
    calls = [
        (name, node)
        for name, tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "aws.Provider" and id(node) not in exempt
    ]
    assert calls, "the stacks create their providers"
    for name, call in calls:
        (roles,) = [k.value for k in call.keywords if k.arg == "assume_roles"]
        assert isinstance(roles, ast.List) and roles.elts, name
        assert all(
            isinstance(e, ast.Call) and ast.unparse(e.func) == "aws.ProviderAssumeRoleArgs"
            for e in roles.elts
        ), name


# --- required tags (TEN-04)
# ----------------------------------------------------------------------------------


def expected_tags(stack: str) -> dict[str, str]:
    if stack == "org":
        classification = stack_config("org")["tenant-zone:org"].get("dataClassification", "confidential")
        return {"tenant": PLATFORM_TENANT, "environment": "prod", "data-classification": classification,
                "managed-by": MANAGED_BY}  # fmt: skip
    spec = stack_config(stack)["tenant-zone:tenant"]
    return {
        "tenant": spec["id"],
        "environment": spec["environment"],
        "data-classification": spec["dataClassification"],
        "managed-by": MANAGED_BY,
    }


def tag_problems(stack: str, state: dict[str, Any]) -> tuple[int, list[str]]:
    """(taggable resources seen, problems). In the org stack, a tenant's account carries that tenant's
    tags."""
    resources = by_urn(state)
    accounts = {
        r["urn"]: expected_tags(r["name"])
        for r in state["resources"]
        if r["type"] == "tenant-zone:account:TenantAccount"
    }
    seen, problems = 0, []
    for resource in state["resources"]:
        if not resource["custom"] or resource["type"] not in TAGGABLE:
            continue
        seen += 1
        parent = resources.get(resource["parent"] or "")
        expected = accounts.get(parent["urn"], expected_tags(stack)) if parent else expected_tags(stack)
        tags = resource["inputs"].get("tags") or {}
        found = {key: tags.get(key) for key in REQUIRED_TAG_KEYS}
        if found != expected:
            problems.append(f"{resource['urn']}: tags {found}, expected {expected}")
        if (
            found.get("data-classification") not in DATA_CLASSIFICATIONS
            or found.get("environment") not in ENVIRONMENTS
        ):
            problems.append(f"{resource['urn']}: invalid tag values {found}")
    return seen, problems


@pytest.mark.parametrize("stack", ALL_STACKS)
def test_every_taggable_resource_carries_the_required_tags(stack: str) -> None:
    seen, problems = tag_problems(stack, synth(stack))
    assert problems == []
    assert seen > (20 if stack == "org" else 50)


def test_the_org_stack_tags_tenant_accounts_as_their_tenant() -> None:
    state = synth("org")
    accounts = {r["inputs"]["name"]: r["inputs"]["tags"] for r in state["resources"]
                if r["type"] == "aws:organizations/account:Account"}  # fmt: skip
    for stack in TENANT_STACKS:
        assert {k: accounts[stack][k] for k in REQUIRED_TAG_KEYS} == expected_tags(stack)
    assert accounts["security"]["tenant"] == PLATFORM_TENANT


def test_the_tag_check_catches_a_missing_or_wrong_tag() -> None:
    state = synth("beta-prod")
    bucket = next(r for r in state["resources"] if r["type"] == "aws:s3/bucket:Bucket")
    del bucket["inputs"]["tags"]["managed-by"]
    bucket["inputs"]["tags"]["data-classification"] = "secret"
    _, problems = tag_problems("beta-prod", state)
    assert len(problems) == 2 and all(p.startswith(bucket["urn"]) for p in problems)
