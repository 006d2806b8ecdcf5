"""BreakGlassRole: the role the SCPs and key policies reserve crypto-shredding for, MFA from the security
account."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from components import scps
from components.break_glass import BreakGlassRole, BreakGlassRoleArgs
from components.errors import ComponentInputError
from components.keys import key_policy
from components.naming import break_glass_role_arn
from policies.rules.iam.iam_human_role_mfa import IamHumanRoleMfa
from policies.rules.iam.iam_no_admin_policy import IamNoAdminPolicy
from tests import rulekit
from tests.pulumi_mocks import Run, assert_all_under, run

TENANT = "222222222222"
SECURITY = "333333333333"
COMPONENT = "tenant-zone:breakglass:BreakGlassRole"


def build(**changes: Any) -> Run:
    args = BreakGlassRoleArgs(account_id=TENANT, trusted_account_id=SECURITY)
    return run(lambda: BreakGlassRole("acme-prod-break-glass", replace(args, **changes)), account_id=TENANT)


@pytest.fixture(scope="module")
def default() -> Run:
    return build()


def test_children_are_parented_and_named_after_the_component(default: Run) -> None:
    component = default.one(COMPONENT)
    assert_all_under(default, component.urn)
    assert sorted(r.name for r in default.children_of(component.urn)) == [
        "acme-prod-break-glass-crypto-shredding",
        "acme-prod-break-glass-role",
    ]


def test_the_role_has_the_arn_the_guardrails_name(default: Run) -> None:
    role = default.one("aws:iam/role:Role")
    assert (role.inputs["name"], role.inputs["path"]) == ("tz-break-glass", "/tenant-zone/")
    arn = role.outputs["arn"]
    assert arn == f"arn:aws:iam::{TENANT}:role/tenant-zone/tz-break-glass"
    assert default.resolve(break_glass_role_arn(TENANT)) == arn
    # The SCP patterns and the tenant key policy match exactly this ARN.
    pattern = scps.BREAK_GLASS_ROLE_ARN_PATTERN
    assert pattern.replace("*", TENANT, 1) == arn
    shredders = next(s for s in key_policy(TENANT, "ap-northeast-1", ["admin"], ["user"], [arn])["Statement"]
                     if s["Sid"] == "BreakGlassCryptoShredding")  # fmt: skip
    assert shredders["Condition"] == {"ArnLike": {"aws:PrincipalArn": [arn]}}
    assert default.resolve(default.value.role_arn) == arn


def test_only_the_security_account_with_recent_mfa_may_assume_it(default: Run) -> None:
    role = default.one("aws:iam/role:Role").inputs
    (trust,) = json.loads(role["assumeRolePolicy"])["Statement"]
    assert trust["Effect"] == "Allow" and trust["Action"] == "sts:AssumeRole"
    assert trust["Principal"] == {"AWS": f"arn:aws:iam::{SECURITY}:root"}
    assert trust["Condition"] == {
        "Bool": {"aws:MultiFactorAuthPresent": "true"},
        "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"},
    }
    assert role["maxSessionDuration"] == 3600


def test_it_may_shred_and_recover_the_tenant_keys_in_japan_and_nothing_else(default: Run) -> None:
    policy = json.loads(default.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    statements = {s["Sid"]: s for s in policy["Statement"]}
    assert set(statements) == {"CryptoShredding", "KeyPolicyRecovery", "FindKeys"}
    recovery = statements["KeyPolicyRecovery"]
    assert set(recovery["Action"]) == {
        "kms:DescribeKey",
        "kms:EnableKey",
        "kms:GetKeyPolicy",
        "kms:ListKeyPolicies",
        "kms:PutKeyPolicy",
    }
    assert recovery["Resource"] == statements["CryptoShredding"]["Resource"]
    shred = statements["CryptoShredding"]
    assert set(shred["Action"]) == {
        "kms:DescribeKey",
        "kms:DisableKey",
        "kms:ScheduleKeyDeletion",
        "kms:CancelKeyDeletion",
    }
    assert shred["Resource"] == [
        f"arn:aws:kms:ap-northeast-1:{TENANT}:key/*",
        f"arn:aws:kms:ap-northeast-3:{TENANT}:key/*",
    ]
    assert set(statements["FindKeys"]["Action"]) == {"kms:ListKeys", "kms:ListAliases"}
    actions = [a for s in policy["Statement"] for a in s["Action"]]
    assert not any(
        a.startswith(
            ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncrypt", "kms:CreateGrant")
        )
        for a in actions
    )


def test_the_gate_accepts_the_role_and_its_policy(default: Run) -> None:
    role = default.one("aws:iam/role:Role")
    policy = default.one("aws:iam/rolePolicy:RolePolicy")
    assert rulekit.outcome(IamHumanRoleMfa.id, rulekit.resource(role.type, role.name, role.inputs)) == "pass"
    assert (
        rulekit.outcome(IamNoAdminPolicy.id, rulekit.resource(policy.type, policy.name, policy.inputs))
        == "pass"
    )


def test_a_trust_without_mfa_would_be_caught_by_the_gate(default: Run) -> None:
    """The rule the role satisfies does fail a trust that lacks the MFA condition (the check above can
    fail)."""
    role = default.one("aws:iam/role:Role")
    document = json.loads(role.inputs["assumeRolePolicy"])
    del document["Statement"][0]["Condition"]
    weakened = {**role.inputs, "assumeRolePolicy": json.dumps(document)}
    assert rulekit.outcome(IamHumanRoleMfa.id, rulekit.resource(role.type, role.name, weakened)) == "fail"


def test_inputs_are_reflected() -> None:
    result = build(mfa_max_age_seconds=900, max_session_hours=2)
    role = result.one("aws:iam/role:Role").inputs
    (trust,) = json.loads(role["assumeRolePolicy"])["Statement"]
    assert trust["Condition"]["NumericLessThan"] == {"aws:MultiFactorAuthAge": "900"}
    assert role["maxSessionDuration"] == 7200


def test_bad_inputs_are_refused_together() -> None:
    with pytest.raises(ComponentInputError) as caught:
        build(mfa_max_age_seconds=86400, max_session_hours=24)
    assert str(caught.value).splitlines() == [
        (
            "BreakGlassRole acme-prod-break-glass: mfa_max_age_seconds = 86400 accepts an old MFA sign-in;"
            " expected between 1 and 3600 seconds. [IAM-02]"
        ),
        (
            "BreakGlassRole acme-prod-break-glass: max_session_hours = 24 is outside what IAM allows;"
            " expected between 1 and 12 hours (1 keeps emergency sessions short)."
        ),
    ]


def test_tags_reach_the_role() -> None:
    assert build(tags={"cost-center": "security"}).one("aws:iam/role:Role").tags == {
        "cost-center": "security"
    }
