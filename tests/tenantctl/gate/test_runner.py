"""The gate runs the pack's policies over synth JSON with the analyzer servicer's semantics."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE

from policies.catalog import Control
from policies.framework import (
    Failure,
    MultiStackRule,
    NotApplicable,
    ResourceRule,
    ResourceView,
    StackRule,
    StackView,
)
from tenantctl.errors import UserError
from tenantctl.gate import GateResult, Undecided, Violation, check_synth
from tenantctl.gate.adapt import stack_input
from tenantctl.gate.runner import GateError, PackRunner
from tests.tenantctl.gate.synthkit import SynthBuilder, secret

BUCKET = "aws:s3/bucket:Bucket"
KEY = "aws:kms/key:Key"


class Seen:
    resources: list[ResourceView] = []
    stacks: list[StackView] = []


@pytest.fixture(autouse=True)
def _reset() -> None:
    Seen.resources = []
    Seen.stacks = []


class KeyRotation(ResourceRule):
    id = "key_rotation"
    description = "Keys rotate."
    remediation = "Set enableKeyRotation: true."
    resource_types = frozenset({KEY})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        Seen.resources.append(resource)
        if resource.props.get("keyUsage") == "SIGN_VERIFY":
            raise NotApplicable("asymmetric signing keys cannot rotate")
        if resource.props.get("enableKeyRotation") is not True:
            yield Failure("has automatic rotation off", "enableKeyRotation: true")


class BucketHasArn(StackRule):
    id = "bucket_has_arn"
    description = "Reads outputs: buckets have an ARN in Tokyo."
    remediation = "Nothing."

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        Seen.stacks.append(stack)
        for bucket in stack.of_type(BUCKET):
            arn = bucket.props.get("arn")
            if not isinstance(arn, str):
                yield Failure("has no arn", "an arn", bucket.urn)


class Crashes(ResourceRule):
    id = "crashes"
    description = "A buggy rule."
    remediation = "Fix the rule."
    resource_types = frozenset({KEY})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        raise KeyError("oops")


class SharedEmail(MultiStackRule):
    id = "shared_email"
    description = "Account e-mails are unique across stacks."
    remediation = "Give each tenant its own e-mail."

    def evaluate(self, stacks: Sequence[StackView]) -> Iterator[Failure]:
        owners: dict[str, str] = {}
        for stack in stacks:
            for account in stack.of_type("aws:organizations/account:Account"):
                email = account.props.get("email")
                if email in owners:
                    yield Failure(f"reuses e-mail {email} of {owners[email]}", "a unique e-mail", account.urn)
                else:
                    owners[email] = account.urn


def controls(**levels: str) -> dict[str, Control]:
    ids = {
        "key_rotation": "ENC-02",
        "bucket_has_arn": "TST-01",
        "crashes": "TST-09",
        "shared_email": "TEN-01",
    }
    return {
        rule: Control(id=cid, title_en=f"title {cid}", enforcement=levels.get(rule, "mandatory"))
        for rule, cid in ids.items()
    }


def runner(*rules: object, **levels: str) -> PackRunner:
    chosen = {r.id: r for r in rules}  # type: ignore[attr-defined]
    return PackRunner(chosen, controls=controls(**levels))  # type: ignore[arg-type]


def keys_stack(stack: str = "acme-prod", **key_props: object) -> dict[str, object]:
    b = SynthBuilder(stack)
    tokyo = b.provider("tokyo")
    b.add(KEY, "data-key", {"enableKeyRotation": False, **key_props}, provider=tokyo)
    b.add(KEY, "good-key", {"enableKeyRotation": True}, provider=tokyo)
    b.add(BUCKET, "data", {"bucket": "d"}, provider=tokyo, outputs={"arn": "arn:aws:s3:::d"})
    return b.build()


def test_resource_violation_fields() -> None:
    result = runner(KeyRotation()).check_stack(stack_input(keys_stack()))
    assert result.violations == [
        Violation(
            stack="acme-prod",
            control="ENC-02",
            rule="key_rotation",
            urn=f"urn:pulumi:acme-prod::tenant-zone::{KEY}::data-key",
            type=KEY,
            name="data-key",
            message=f"{KEY} data-key: has automatic rotation off; expected enableKeyRotation: true. [ENC-02]",
            enforcement="mandatory",
        )
    ]
    assert not result.passed and result.has_mandatory
    assert result.rules == ("key_rotation",)
    # 4 resources (provider, 2 keys, bucket): the provider and the bucket are out of the rule's scope.
    assert (result.resources, result.out_of_scope) == (4, 2)


def test_advisory_control_does_not_fail_the_gate() -> None:
    result = runner(KeyRotation(), key_rotation="advisory").check_stack(stack_input(keys_stack()))
    assert [v.enforcement for v in result.violations] == ["advisory"]
    assert result.passed


def test_disabled_control_does_not_run() -> None:
    result = runner(KeyRotation(), key_rotation="disabled").check_stack(stack_input(keys_stack()))
    assert (result.violations, result.rules, Seen.resources) == ([], (), [])


def test_policy_config_overrides_enforcement_like_policy_pack_config() -> None:
    chosen = PackRunner(
        {"key_rotation": KeyRotation()},
        controls=controls(),
        policy_config={"key_rotation": {"enforcementLevel": "advisory"}},
    )
    assert [v.enforcement for v in chosen.check_stack(stack_input(keys_stack())).violations] == ["advisory"]


def test_rule_not_applicable_is_recorded_not_passed_silently() -> None:
    result = runner(KeyRotation()).check_stack(stack_input(keys_stack(keyUsage="SIGN_VERIFY")))
    assert result.violations == []
    assert [(n.rule, n.urn.rsplit("::", 1)[1], n.reason) for n in result.not_applicable] == [
        ("key_rotation", "data-key", "asymmetric signing keys cannot rotate")
    ]


def test_unknown_value_is_undecided_with_the_engines_message() -> None:
    result = runner(KeyRotation()).check_stack(
        stack_input(keys_stack(enableKeyRotation=UNKNOWN_BOOLEAN_VALUE))
    )
    assert result.violations == []
    assert result.undecided == [
        Undecided(
            stack="acme-prod",
            control="ENC-02",
            rule="key_rotation",
            urn=f"urn:pulumi:acme-prod::tenant-zone::{KEY}::data-key",
            type=KEY,
            name="data-key",
            message="can't run policy 'key_rotation' from policy pack 'tenant-zone@v0.0.1' during preview: "
            "boolean value at .enableKeyRotation can't be known during preview",
            reason="boolean value at .enableKeyRotation can't be known during preview",
        )
    ]


def test_unknown_provider_region_is_undecided_for_region_rule() -> None:
    b = SynthBuilder()
    p = b.provider("tokyo", region=UNKNOWN_STRING_VALUE)
    b.add(BUCKET, "data", {}, provider=p)
    result = check_synth(b.build())
    region = [u for u in result.undecided if u.rule == "region_allowed"]
    assert [(u.urn, u.reason) for u in region] == [
        ("", "string value at .region can't be known during preview")
    ]
    assert [v for v in result.violations if v.rule == "region_allowed"] == []


def test_resource_policies_see_inputs_and_stack_policies_see_outputs_too() -> None:
    result = runner(BucketHasArn()).check_stack(stack_input(keys_stack()))
    assert result.violations == []
    (stack,) = Seen.stacks
    bucket = stack.get(f"urn:pulumi:acme-prod::tenant-zone::{BUCKET}::data")
    assert bucket is not None and bucket.props["arn"] == "arn:aws:s3:::d" and bucket.props["bucket"] == "d"
    runner(KeyRotation()).check_stack(stack_input(keys_stack()))
    assert all("arn" not in r.props for r in Seen.resources)


def test_numbers_arrive_as_the_engine_sends_them_and_secrets_are_unwrapped() -> None:
    b = SynthBuilder()
    p = b.provider("tokyo")
    b.add(
        KEY,
        "k",
        {"enableKeyRotation": secret(True), "deletionWindowInDays": 30, "tags": {"n": [1, True]}},
        provider=p,
    )
    runner(KeyRotation()).check_stack(stack_input(b.build()))
    (key,) = Seen.resources
    assert key.props["enableKeyRotation"] is True
    assert isinstance(key.props["deletionWindowInDays"], float)
    assert list(key.props["tags"]["n"]) == [1.0, True] and isinstance(key.props["tags"]["n"][1], bool)


def test_provider_parent_and_dependency_links() -> None:
    b = SynthBuilder()
    osaka = b.provider("osaka", "ap-northeast-3")
    component = b.add("tenant-zone:data:Buckets", "buckets", custom=False)
    bucket = b.add(
        BUCKET, "data", {}, provider=osaka, parent=component, parent_type="tenant-zone:data:Buckets"
    )
    b.add(
        "aws:s3/bucketVersioning:BucketVersioning",
        "data-versioning",
        {"bucket": "d"},
        provider=osaka + "::provider-id",
        prop_deps={"bucket": [bucket, "urn:pulumi:acme-prod::tenant-zone::aws:s3/bucket:Bucket::elsewhere"]},
    )
    runner(BucketHasArn()).check_stack(stack_input(b.build()))
    (stack,) = Seen.stacks
    data = stack.get(bucket)
    versioning = next(stack.of_type("aws:s3/bucketVersioning:BucketVersioning"))
    assert data is not None and data.parent == component and data.region == "ap-northeast-3"
    assert data.provider is not None and data.provider.urn == osaka
    # a dependency outside the stack is dropped, as the servicer drops it
    assert dict(versioning.property_dependencies) == {"bucket": (bucket,)}
    assert versioning.dependencies == (bucket,)
    assert versioning.region == "ap-northeast-3"  # provider reference `<urn>::<id>` resolved


def test_a_crashing_rule_fails_the_run_naming_rule_and_resource() -> None:
    with pytest.raises(GateError, match=r"rule crashes failed on urn:.*data-key: KeyError"):
        runner(Crashes()).check_stack(stack_input(keys_stack()))


def test_cross_stack_rule_inside_one_stack_and_across_stacks() -> None:
    def org_like(stack: str, email: str) -> dict[str, object]:
        b = SynthBuilder(stack)
        p = b.provider("tokyo")
        b.add("aws:organizations/account:Account", f"{stack}-account", {"email": email}, provider=p)
        return b.build()

    chosen = runner(SharedEmail())
    acme, beta = stack_input(org_like("acme-prod", "a@x.jp")), stack_input(org_like("beta-prod", "a@x.jp"))
    # one stack at a time (what CrossGuard sees): nothing to compare
    assert chosen.check_stack(acme).violations == []
    per_stack = [chosen.check_stack(s, cross_stack=False) for s in (acme, beta)]
    assert all(r.rules == () for r in per_stack)
    across = chosen.check_stacks([acme, beta])
    combined = GateResult.combine([*per_stack, across])
    assert [(v.stack, v.control, v.name) for v in combined.violations] == [
        ("beta-prod", "TEN-01", "beta-prod-account")
    ]
    assert combined.violations[0].message == (
        "aws:organizations/account:Account beta-prod-account: reuses e-mail a@x.jp of "
        "urn:pulumi:acme-prod::tenant-zone::aws:organizations/account:Account::acme-prod-account; "
        "expected a unique e-mail. [TEN-01]"
    )
    assert [s.name for s in combined.stacks] == ["acme-prod", "beta-prod"]
    assert combined.rules == ("shared_email",)


def test_combine_reports_a_finding_once() -> None:
    v = Violation("a", "C", "r", "u", "t", "n", "m", "mandatory")
    assert GateResult.combine([GateResult(violations=[v]), GateResult(violations=[v])]).violations == [v]


def test_region_rule_through_the_real_pack() -> None:
    b = SynthBuilder()
    virginia = b.provider("virginia", "us-east-1")
    tokyo = b.provider("tokyo")
    b.add(BUCKET, "moved", {}, provider=virginia)
    b.add(BUCKET, "home", {"region": "ap-northeast-3"}, provider=virginia)
    b.add(BUCKET, "away", {"region": "eu-west-1"}, provider=tokyo)
    result = check_synth(b.build())
    region = [(v.name, v.message, v.enforcement) for v in result.violations if v.rule == "region_allowed"]
    assert region == [
        (
            "away",
            f"{BUCKET} away: is in region eu-west-1; expected ap-northeast-1 or ap-northeast-3. [RES-01]",
            "mandatory",
        ),
        (
            "moved",
            f"{BUCKET} moved: is in region us-east-1; expected ap-northeast-1 or ap-northeast-3. [RES-01]",
            "mandatory",
        ),
    ]


@pytest.mark.parametrize(
    "synth, fragment",
    [
        ({"project": "p", "stack": "s"}, "`resources` is missing"),
        ({"project": "p", "resources": []}, "`stack` is None"),
        (
            {
                "project": "p",
                "stack": "s",
                "resources": [{"urn": "u", "type": "t", "name": "n", "inputs": []}],
            },
            "inputs. and .outputs. are not both objects",
        ),
        ({"project": "p", "stack": "s", "resources": [{"type": "t"}]}, "`urn` is None"),
    ],
)
def test_malformed_synth_is_bad_input(synth: dict[str, object], fragment: str) -> None:
    with pytest.raises(UserError, match=fragment.replace("`", ".").replace("(", ".")):
        stack_input(synth)


class BucketArnsKnown(StackRule):
    id = "bucket_has_arn"
    description = "Reads every bucket's ARN, which preview may not know."
    remediation = "Nothing."

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        for bucket in stack.of_type(BUCKET):
            if not str(bucket.props.get("arn")).startswith("arn:"):  # touching an unknown raises
                yield Failure("has no arn", "an arn", bucket.urn)


def test_an_undecided_stack_rule_is_about_the_stacks_root_resource() -> None:
    b = SynthBuilder()
    root = b.add("pulumi:pulumi:Stack", "tenant-zone-acme-prod", custom=False)
    tokyo = b.provider("tokyo")
    b.add(BUCKET, "data", {"bucket": "d"}, provider=tokyo, parent=root, outputs={"arn": UNKNOWN_STRING_VALUE})
    result = runner(BucketArnsKnown()).check_stack(stack_input(b.build()))
    (undecided,) = result.undecided
    # the same subject a stack-level violation names: pulumi:pulumi:Stack <project>-<stack>
    assert (undecided.stack, undecided.urn, undecided.type, undecided.name) == (
        "acme-prod",
        root,
        "pulumi:pulumi:Stack",
        "tenant-zone-acme-prod",
    )
    assert undecided.reason == "string value at .arn can't be known during preview"


def test_a_cross_stack_finding_without_a_resource_names_no_resource() -> None:
    class Anonymous(MultiStackRule):
        id = "shared_email"
        description = "Reports without a URN."
        remediation = "Nothing."

        def evaluate(self, stacks: Sequence[StackView]) -> Iterator[Failure]:
            yield Failure("something across stacks", "nothing")

    result = runner(Anonymous()).check_stacks([stack_input(keys_stack())])
    (violation,) = result.violations
    assert (violation.stack, violation.urn, violation.type, violation.name) == (
        "",
        "",
        "pulumi:pulumi:Stack",
        "",
    )
