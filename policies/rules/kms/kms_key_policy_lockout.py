"""A key policy lets the principal that creates the key change the policy later (DEP-02).

``CreateKey`` and ``PutKeyPolicy`` run a policy lockout safety check: the new policy must allow the calling
principal a later ``kms:PutKeyPolicy``, or KMS refuses it with ``MalformedPolicyDocumentException`` ("The new
key policy will not allow you to update the key policy in the future"). Skipping the check with
``bypassPolicyLockoutSafetyCheck`` creates a key whose policy nobody can ever change, which only AWS Support
can undo. The caller is the role the key's provider assumes; with no role (the default provider) it is
unknown, and then at least one principal must be allowed ``kms:PutKeyPolicy``. The account root allows it
through IAM, a statement narrowed by ``aws:PrincipalArn`` counts for the principals it names, and an
unconditional Deny wins."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from policies.aws_facts import KEY_POLICY_CHANGE_ACTION
from policies.framework import Failure, NotApplicable, ResourceRule, ResourceView, truthy
from policies.rules._common.arns import arn_account, is_account_id
from policies.rules._common.policy_documents import (
    PolicyDocumentError,
    Statement,
    action_matches,
    condition_keys,
    load,
    statements,
)
from policies.rules._common.unknowns import require_known

KEY = "aws:kms/key:Key"
KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"
EXPECTED = "a statement allowing kms:PutKeyPolicy to the creating principal (its role, or the account root)"


def _changes_policy(statement: Statement) -> bool:
    granted = any(action_matches(a, KEY_POLICY_CHANGE_ACTION) for a in statement.actions)
    return granted != statement.not_action


def _subjects(statement: Statement) -> list[str]:
    narrowed = [
        value
        for operator, key, values in condition_keys(statement.condition)
        if key.lower() == "aws:principalarn" and not operator.endswith("IfExists")
        for value in values
    ]
    if narrowed:
        return narrowed
    return [f"arn:aws:iam::{p}:root" if is_account_id(p) else p for p in statement.principals]


def _reaches(pattern: str, creator: str) -> bool:
    if pattern == "*" or fnmatch.fnmatchcase(creator, pattern):
        return True
    account = arn_account(creator)
    return bool(account) and pattern == f"arn:aws:iam::{account}:root"


def _unconditional(statement: Statement) -> bool:
    return all(key.lower() == "aws:principalarn" for _, key, _ in condition_keys(statement.condition))


def lockout_problem(policy: object, creator: str | None) -> str | None:
    """Why ``creator`` (None: unknown) could not change ``policy`` after creating the key, or None."""
    document = load(policy)
    if document is None:
        return None  # KMS's default policy grants kms:* to the account root
    parsed = statements(document)
    allowed = [s for s in parsed if s.allows and not s.not_principal and _changes_policy(s)]
    denied = [s for s in parsed if s.effect == "Deny" and _changes_policy(s) and _unconditional(s)]
    if creator is None:
        if not allowed:
            return "policy allows kms:PutKeyPolicy to nobody"
        return None
    if any(_reaches(p, creator) for s in denied for p in _subjects(s)):
        return f"policy denies kms:PutKeyPolicy to its creator {creator}"
    if not any(_reaches(p, creator) for s in allowed for p in _subjects(s)):
        return f"policy does not allow kms:PutKeyPolicy to its creator {creator}"
    return None


class KmsKeyPolicyLockout(ResourceRule):
    id = "kms_key_policy_lockout"
    description = (
        "Every key policy passes KMS's policy lockout safety check: the principal that creates the key may "
        "change its policy later."
    )
    remediation = (
        "Name the deploying role (the role the provider assumes) in a statement allowing kms:PutKeyPolicy,"
        " and leave bypass_policy_lockout_safety_check unset."
    )
    resource_types = frozenset({KEY, KEY_POLICY})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        policy = require_known(resource.props.get("policy"), "policy")
        roles = resource.provider.assumed_role_arns if resource.provider is not None else []
        creator = str(require_known(roles[-1], "provider.assumeRoles.roleArn")) if roles else None
        try:
            problem = lockout_problem(policy, creator)
        except PolicyDocumentError:
            raise NotApplicable("the policy is not a JSON policy document (ENC-02 reports it)") from None
        if problem is None:
            return
        if truthy(resource.props.get("bypassPolicyLockoutSafetyCheck")):
            yield Failure(
                f"{problem} and bypasses KMS's lockout safety check, so nobody can ever change the policy",
                EXPECTED,
            )
        else:
            yield Failure(
                f"{problem}, so KMS refuses it (MalformedPolicyDocumentException: the new key policy will not"
                " allow you to update the key policy in the future)",
                EXPECTED,
            )
