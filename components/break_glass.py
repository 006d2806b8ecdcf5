"""BreakGlassRole: the tenant account's emergency role ``/tenant-zone/tz-break-glass`` (IAM-02, IAM-03,
DATA-01).

The guardrails already name this role: the ``tz-protect-baseline`` SCP lets only it schedule KMS key deletion,
``tz-freeze-suspended`` lets only it act in an offboarded account, and the tenant key policies let it disable
a key and schedule its deletion (crypto-shredding at offboarding). Without the role those paths lead nowhere,
so the tenant baseline creates it, with a fixed name and path because the SCPs and key policies match its ARN.

- Trust: principals of the security account only, and only with MFA (``aws:MultiFactorAuthPresent`` true and
  an MFA sign-in younger than ``mfa_max_age_seconds``): a person, never a pipeline, takes this role (IAM-02).
- Permissions: crypto-shredding and key-policy recovery (``components.keys.KEY_POLICY_RECOVERY_ACTIONS``)
  and nothing else, on the account's keys in the two Japanese regions. The SCPs exempt the role from the
  baseline protection, so every extra permission here would be a way around the guardrails.
- Sessions last at most ``max_session_hours``.

The key policies still deny the role every cryptographic operation (administration and use stay separate,
ENC-02)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.errors import InputProblems
from components.keys import KEY_POLICY_RECOVERY_ACTIONS
from components.policy_documents import policy_document
from components.scps import BASELINE_ROLE_PATH, BREAK_GLASS_ROLE_NAME
from policies.parameters import JAPAN_REGIONS

_KIND = "BreakGlassRole"
SHREDDING_ACTIONS: tuple[str, ...] = (
    "kms:CancelKeyDeletion",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:ScheduleKeyDeletion",
)
# Listing cannot be scoped to a key; it reveals key IDs and aliases, nothing inside them.
DISCOVERY_ACTIONS: tuple[str, ...] = ("kms:ListAliases", "kms:ListKeys")
MAX_MFA_AGE_SECONDS = 3600


@dataclass
class BreakGlassRoleArgs:
    """Inputs of the break-glass role. ``account_id`` is the tenant account the role lives in;
    ``trusted_account_id`` the account whose MFA-authenticated people may assume it (the security account)."""

    account_id: pulumi.Input[str]
    trusted_account_id: pulumi.Input[str]
    mfa_max_age_seconds: int = MAX_MFA_AGE_SECONDS
    max_session_hours: int = 1
    tags: dict[str, str] = field(default_factory=dict)


def validate_break_glass_args(name: str, args: BreakGlassRoleArgs) -> None:
    problems = InputProblems(_KIND, name)
    if not 1 <= args.mfa_max_age_seconds <= MAX_MFA_AGE_SECONDS:
        problems.add(
            f"mfa_max_age_seconds = {args.mfa_max_age_seconds} accepts an old MFA sign-in",
            f"between 1 and {MAX_MFA_AGE_SECONDS} seconds",
            "IAM-02",
        )
    if not 1 <= args.max_session_hours <= 12:
        problems.add(
            f"max_session_hours = {args.max_session_hours} is outside what IAM allows",
            "between 1 and 12 hours (1 keeps emergency sessions short)",
        )
    problems.raise_if_any()


def break_glass_trust_policy(
    trusted_account_id: str, mfa_max_age_seconds: int = MAX_MFA_AGE_SECONDS
) -> dict[str, Any]:
    return policy_document(
        {
            "Sid": "SecurityAccountWithMfa",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{trusted_account_id}:root"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "Bool": {"aws:MultiFactorAuthPresent": "true"},
                "NumericLessThan": {"aws:MultiFactorAuthAge": str(mfa_max_age_seconds)},
            },
        }
    )


def crypto_shredding_policy(account_id: str) -> dict[str, Any]:
    keys = [f"arn:aws:kms:{region}:{account_id}:key/*" for region in JAPAN_REGIONS]
    return policy_document(
        {"Sid": "CryptoShredding", "Effect": "Allow", "Action": list(SHREDDING_ACTIONS), "Resource": keys},
        # The key policies admit the role through the account root, so IAM must allow the recovery too.
        {
            "Sid": "KeyPolicyRecovery",
            "Effect": "Allow",
            "Action": list(KEY_POLICY_RECOVERY_ACTIONS),
            "Resource": keys,
        },
        {"Sid": "FindKeys", "Effect": "Allow", "Action": list(DISCOVERY_ACTIONS), "Resource": "*"},
    )


class BreakGlassRole(pulumi.ComponentResource):
    """The emergency role the SCPs and key policies refer to; see the module docstring."""

    role_arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: BreakGlassRoleArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        validate_break_glass_args(name, args)
        super().__init__("tenant-zone:breakglass:BreakGlassRole", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-role",
            # The SCPs and key policies match this exact ARN: no autonaming.
            name=BREAK_GLASS_ROLE_NAME,
            path=BASELINE_ROLE_PATH,
            description=(
                "Emergency role: crypto-shredding of the tenant keys at offboarding (MFA from the security"
                " account)"
            ),
            assume_role_policy=pulumi.Output.from_input(args.trusted_account_id).apply(
                lambda trusted: json.dumps(break_glass_trust_policy(trusted, args.mfa_max_age_seconds))
            ),
            max_session_duration=args.max_session_hours * 3600,
            tags=dict(args.tags),
            opts=child,
        )
        aws.iam.RolePolicy(
            f"{name}-crypto-shredding",
            role=role.id,
            policy=pulumi.Output.from_input(args.account_id).apply(
                lambda account: json.dumps(crypto_shredding_policy(account))
            ),
            opts=child,
        )
        self.role_arn = role.arn
        self.register_outputs({"roleArn": self.role_arn})
