"""The CrossGuard pack: membership pinned to the catalog, metadata from the catalog, and the
validate callbacks' adaptation of pulumi_policy arguments (called directly, as the servicer does)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy

from policies.catalog import Control, control_for_rule, load_catalog
from policies.framework import (
    Failure,
    MultiStackRule,
    NotApplicable,
    ResourceRule,
    ResourceView,
    StackRule,
    StackView,
)
from policies.pack import FRAMEWORK_NAME, build_policies, build_policy
from policies.registry import all_rules
from tenantctl.pulumi_private import engine_not_applicable_error

ENGINE_NOT_APPLICABLE = engine_not_applicable_error()

ROOT = Path(__file__).resolve().parents[2]
STACK = "acme-prod"
BUCKET = "aws:s3/bucket:Bucket"


def urn(resource_type: str, name: str, stack: str = STACK) -> str:
    return f"urn:pulumi:{stack}::tenant-zone::{resource_type}::{name}"


def opts(parent: str | None = None) -> PolicyResourceOptions:
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], parent)


def provider(
    region: str | None = "ap-northeast-1", name: str = "tokyo", **props: object
) -> PolicyProviderResource:
    raw = dict(props)
    if region is not None:
        raw["region"] = region
    return PolicyProviderResource(
        "pulumi:providers:aws", unknown_checking_proxy(raw), urn("pulumi:providers:aws", name), name
    )


def resource_args(
    resource_type: str,
    name: str,
    props: dict[str, object] | None = None,
    *,
    prov: PolicyProviderResource | None = None,
    config: dict[str, object] | None = None,
    parent: str | None = None,
) -> ResourceValidationArgs:
    return ResourceValidationArgs(
        resource_type,
        unknown_checking_proxy(dict(props or {})),
        urn(resource_type, name),
        name,
        opts(parent),
        prov if prov is not None else provider(),
        config,
        {},
    )


def call(policy: object, args: object) -> list[tuple[str, str | None]]:
    reported: list[tuple[str, str | None]] = []
    assert isinstance(policy, ResourceValidationPolicy | StackValidationPolicy)
    policy.validate(args, lambda message, urn=None: reported.append((message, urn)))  # type: ignore[arg-type]
    return reported


# --- throwaway rules: the pack's adaptation, independent of the real rules --------------------


class SeenViews:
    resources: list[ResourceView] = []
    stacks: list[list[StackView]] = []


class BucketsNeedVersioning(ResourceRule):
    id = "buckets_need_versioning"
    description = "Buckets keep versions."
    remediation = "Set versioning.enabled."
    resource_types = frozenset({BUCKET})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        SeenViews.resources.append(resource)
        if resource.props.get("skip"):
            raise NotApplicable("bucket is a scratch bucket")
        if not resource.props.get("versioning"):
            yield Failure("has no versioning", "versioning enabled")


class OneFailurePerResource(StackRule):
    id = "one_failure_per_resource"
    description = "Reports every resource, then reads a property that may be unknown."
    remediation = "Nothing to do."

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        SeenViews.stacks.append([stack])
        if not stack.resources:
            raise NotApplicable("empty stack")
        for resource in stack.resources:
            yield Failure(f"is in {resource.region}", "anything", resource.urn)
        for resource in stack.resources:
            resource.props.get("late")  # may raise UnknownValueError after the findings above
        yield Failure("stack-level finding", "none")


class UniqueNames(MultiStackRule):
    id = "unique_names"
    description = "Names are unique across stacks."
    remediation = "Rename one."

    def evaluate(self, stacks: list[StackView]) -> Iterator[Failure]:  # type: ignore[override]
        SeenViews.stacks.append(list(stacks))
        seen: dict[str, str] = {}
        for stack in stacks:
            for resource in stack.resources:
                if resource.name in seen:
                    yield Failure(f"reuses the name of {seen[resource.name]}", "a unique name", resource.urn)
                seen.setdefault(resource.name, resource.urn)


def control(control_id: str = "TST-01", **fields: str) -> Control:
    return Control(id=control_id, title_en=fields.pop("title_en", "A test control"), **fields)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _reset_seen() -> None:
    SeenViews.resources = []
    SeenViews.stacks = []


# --- membership, both directions ---------------------------------------------------------------


def gate_checks() -> dict[str, list[str]]:
    """rule ID -> the controls whose gate layer lists it."""
    cited: dict[str, list[str]] = {}
    for control_ in load_catalog().values():
        for check in control_.checks("gate"):
            cited.setdefault(check, []).append(control_.id)
    return cited


def test_every_gate_check_in_the_catalog_is_a_registered_policy() -> None:
    registered = {p.name for p in build_policies()}
    missing = sorted(set(gate_checks()) - registered)
    assert missing == [], f"gate checks in the catalog with no rule in policies/rules: {missing}"


def test_every_registered_rule_is_cited_by_exactly_one_control() -> None:
    cited = gate_checks()
    wrong = {rule_id: cited.get(rule_id, []) for rule_id in all_rules() if len(cited.get(rule_id, [])) != 1}
    assert wrong == {}, f"rules cited by zero or several controls' gate layer: {wrong}"


def test_one_policy_per_rule_of_the_right_kind() -> None:
    policies = {p.name: p for p in build_policies()}
    assert sorted(policies) == sorted(all_rules())
    for rule_id, rule in all_rules().items():
        expected = ResourceValidationPolicy if isinstance(rule, ResourceRule) else StackValidationPolicy
        assert type(policies[rule_id]) is expected, rule_id


def test_metadata_comes_from_the_catalog_and_the_rule() -> None:
    for policy in build_policies():
        rule = all_rules()[policy.name]
        owner = control_for_rule(policy.name)
        assert policy.description == rule.description
        assert policy.enforcement_level == EnforcementLevel(owner.enforcement or "mandatory")
        assert policy.severity == Severity(owner.severity)
        assert policy.framework is not None
        assert (policy.framework.name, policy.framework.reference) == (FRAMEWORK_NAME, owner.id)
        assert policy.framework.specification == (owner.title_en or owner.id)
        assert policy.remediation_steps == rule.remediation
        assert policy.url == f"docs/controls.md#{owner.id.lower()}"
        assert policy.tags == [owner.id]


@pytest.mark.parametrize(
    "fields, enforcement, severity",
    [
        ({}, EnforcementLevel.MANDATORY, Severity.HIGH),
        ({"enforcement": "advisory", "severity": "low"}, EnforcementLevel.ADVISORY, Severity.LOW),
        ({"enforcement": "disabled", "severity": "critical"}, EnforcementLevel.DISABLED, Severity.CRITICAL),
        ({"severity": "medium"}, EnforcementLevel.MANDATORY, Severity.MEDIUM),
    ],
)
def test_enforcement_and_severity_mapping(
    fields: dict[str, str], enforcement: EnforcementLevel, severity: Severity
) -> None:
    policy = build_policy(BucketsNeedVersioning(), control(**fields))
    assert (policy.enforcement_level, policy.severity) == (enforcement, severity)


@pytest.mark.parametrize("fields", [{"enforcement": "blocking"}, {"severity": "severe"}])
def test_unknown_catalog_levels_are_refused(fields: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="TST-01"):
        build_policy(BucketsNeedVersioning(), control(**fields))


def test_importing_the_pack_module_starts_nothing() -> None:
    # PolicyPack() would print a port and block; importing pack.py must do neither.
    done = subprocess.run(
        [sys.executable, "-c", "import policies.pack as p; print(len(p.build_policies()))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(len(all_rules()))


# --- resource policies ---------------------------------------------------------------------------


def test_resource_violation_is_formatted_with_the_control_and_reported_on_the_resource() -> None:
    policy = build_policy(BucketsNeedVersioning(), control())
    args = resource_args(BUCKET, "data")
    assert call(policy, args) == [
        (f"{BUCKET} data: has no versioning; expected versioning enabled. [TST-01]", urn(BUCKET, "data"))
    ]
    assert call(policy, resource_args(BUCKET, "data", {"versioning": True})) == []


def test_other_types_are_not_applicable() -> None:
    policy = build_policy(BucketsNeedVersioning(), control())
    with pytest.raises(ENGINE_NOT_APPLICABLE) as raised:
        call(policy, resource_args("aws:kms/key:Key", "k"))
    assert raised.value.reason == "buckets_need_versioning does not look at aws:kms/key:Key"
    assert SeenViews.resources == []


def test_rule_not_applicable_becomes_args_not_applicable() -> None:
    policy = build_policy(BucketsNeedVersioning(), control())
    with pytest.raises(ENGINE_NOT_APPLICABLE) as raised:
        call(policy, resource_args(BUCKET, "scratch", {"skip": True}))
    assert raised.value.reason == "bucket is a scratch bucket"


def test_unknown_values_propagate_to_the_servicer() -> None:
    policy = build_policy(BucketsNeedVersioning(), control())
    with pytest.raises(UnknownValueError):
        call(policy, resource_args(BUCKET, "data", {"versioning": UNKNOWN_STRING_VALUE}))


def test_resource_view_region_parent_and_provider() -> None:
    policy = build_policy(BucketsNeedVersioning(), control())
    parent = urn("tenant-zone:data:Buckets", "buckets")
    call(
        policy,
        resource_args(
            BUCKET, "a", {"versioning": True}, prov=provider("ap-northeast-3", "osaka"), parent=parent
        ),
    )
    call(policy, resource_args(BUCKET, "b", {"versioning": True, "region": "eu-west-1"}))
    view_a, view_b = SeenViews.resources
    assert (view_a.region, view_a.parent, view_a.provider and view_a.provider.name) == (
        "ap-northeast-3",
        parent,
        "osaka",
    )
    assert view_b.region == "eu-west-1"


def test_policy_config_region_fills_in_for_a_provider_without_one() -> None:
    policy = build_policy(BucketsNeedVersioning(), control())
    call(
        policy,
        resource_args(
            BUCKET, "a", {"versioning": True}, prov=provider(None), config={"region": "ap-northeast-1"}
        ),
    )
    call(policy, resource_args(BUCKET, "b", {"versioning": True}, prov=provider(None)))
    call(
        policy,
        resource_args(
            BUCKET, "c", {"versioning": True}, prov=provider("ap-northeast-3"), config={"region": "x"}
        ),
    )
    assert [v.region for v in SeenViews.resources] == ["ap-northeast-1", None, "ap-northeast-3"]


def test_provider_json_encoded_inputs_are_readable() -> None:
    policy = build_policy(BucketsNeedVersioning(), control())
    roles = '[{"roleArn":"arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"}]'
    call(policy, resource_args(BUCKET, "a", {"versioning": True}, prov=provider(assumeRoles=roles)))
    assert SeenViews.resources[0].provider is not None
    assert SeenViews.resources[0].provider.assumed_role_arns == [
        "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"
    ]


# --- stack policies ------------------------------------------------------------------------------


def policy_resource(
    resource_type: str,
    name: str,
    props: dict[str, object],
    stack: str = STACK,
    prov: PolicyProviderResource | None = None,
) -> PolicyResource:
    return PolicyResource(
        resource_type,
        unknown_checking_proxy(props),
        urn(resource_type, name, stack),
        name,
        opts(),
        prov,
        None,
        [],
        {},
    )


def test_stack_policy_links_and_formats() -> None:
    vpc = policy_resource("aws:ec2/vpc:Vpc", "vpc", {}, prov=provider())
    subnet = policy_resource(
        "aws:ec2/subnet:Subnet", "a", {"vpcId": "vpc-id"}, prov=provider("ap-northeast-3")
    )
    subnet.parent = vpc
    subnet.dependencies = [vpc]
    subnet.property_dependencies = {"vpcId": [vpc]}
    policy = build_policy(OneFailurePerResource(), control("TST-02"))
    reported = call(policy, StackValidationArgs([vpc, subnet], None, {}))
    assert reported == [
        # URN order, as StackView sorts them
        ("aws:ec2/subnet:Subnet a: is in ap-northeast-3; expected anything. [TST-02]", subnet.urn),
        ("aws:ec2/vpc:Vpc vpc: is in ap-northeast-1; expected anything. [TST-02]", vpc.urn),
        (
            "pulumi:pulumi:Stack tenant-zone-acme-prod: stack-level finding; expected none. [TST-02]",
            "urn:pulumi:acme-prod::tenant-zone::pulumi:pulumi:Stack::tenant-zone-acme-prod",
        ),
    ]
    (stack,) = SeenViews.stacks[0]
    linked = stack.get(subnet.urn)
    assert linked is not None
    assert (linked.parent, linked.dependencies, dict(linked.property_dependencies)) == (
        vpc.urn,
        (vpc.urn,),
        {"vpcId": (vpc.urn,)},
    )
    assert stack.referenced(linked, "vpcId") == [stack.get(vpc.urn)]


def test_stack_findings_before_an_unknown_stay_reported() -> None:
    known = policy_resource("aws:ec2/vpc:Vpc", "vpc", {}, prov=provider())
    unknown = policy_resource("aws:ec2/vpc:Vpc", "w", {"late": UNKNOWN_STRING_VALUE}, prov=provider())
    policy = build_policy(OneFailurePerResource(), control("TST-02"))
    reported: list[tuple[str, str | None]] = []
    with pytest.raises(UnknownValueError):
        policy.validate(
            StackValidationArgs([known, unknown], None, {}), lambda m, u=None: reported.append((m, u))
        )
    assert sorted(u for _, u in reported) == sorted([known.urn, unknown.urn])


def test_stack_rule_not_applicable() -> None:
    policy = build_policy(OneFailurePerResource(), control("TST-02"))
    with pytest.raises(ENGINE_NOT_APPLICABLE) as raised:
        call(policy, StackValidationArgs([], None, {}))
    assert raised.value.reason == "empty stack"


def test_multi_stack_policy_groups_resources_by_stack() -> None:
    policy = build_policy(UniqueNames(), control("TST-03"))
    assert isinstance(policy, StackValidationPolicy)
    one = policy_resource(BUCKET, "logs", {}, stack="acme-prod")
    two = policy_resource(BUCKET, "logs", {}, stack="beta-prod")
    # The engine sends one stack: nothing to compare against.
    assert call(policy, StackValidationArgs([one], None, {})) == []
    # The offline gate sends every stack through the same callback.
    assert call(policy, StackValidationArgs([two, one], None, {})) == [
        (f"{BUCKET} logs: reuses the name of {one.urn}; expected a unique name. [TST-03]", two.urn)
    ]
    assert [s.name for s in SeenViews.stacks[-1]] == ["acme-prod", "beta-prod"]
