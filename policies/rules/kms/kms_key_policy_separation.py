"""Key policies separate key administration from key use.

ENC-02: 「マスター鍵とデータ暗号化鍵は、物理的に分離」.

No principal may be granted both administration actions (policy, lifecycle,
aliases, rotation, tags, import) and cryptographic use, across all Allow
statements of the effective key policy. Read-only and grant actions
(``Describe*``, ``List*``, ``Get*``, ``*Grant``) belong to neither side.

Decision: the usual "Enable IAM User Permissions" statement (``kms:*`` to the
account root) fails. It delegates every action to IAM, so any role whose IAM
policy allows it can both administer and use the key; separation then rests
on IAM policies the key policy cannot see. The same holds for a key with no
policy (KMS applies that default statement) and for a ``KeyPolicy`` resource,
which replaces the key's own policy.

An Allow narrowed by ``kms:ViaService`` gives use only through that AWS service
(for example AWS Backup creating a vault under the key), never plaintext to the
caller: it does not count as use.

Separation must not cost the key itself: a policy that lets exactly one
principal change it (``kms:PutKeyPolicy``) leaves no way back if that principal
is lost, since KMS pins a role named in a policy to its unique ID and a role
recreated under the same name no longer matches; only AWS Support can then
restore access
(https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key).
A key must therefore name a second, recovery principal for ``kms:PutKeyPolicy``
(for example a break-glass role matched by ``aws:PrincipalArn``). A policy that
lets nobody change it is ``kms_key_policy_lockout``'s finding (CreateKey refuses
it), not repeated here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from policies.framework import Failure, NotApplicable, StackRule, StackView
from policies.rules._common.arns import is_account_id
from policies.rules._common.policy_documents import (
    PolicyDocumentError,
    Statement,
    action_matches,
    condition_keys,
    grants_any,
    load,
    only_through_a_service,
    statements,
)
from policies.rules._common.unknowns import require_known

KEY_TYPES = (
    "aws:kms/key:Key",
    "aws:kms/replicaKey:ReplicaKey",
    "aws:kms/externalKey:ExternalKey",
    "aws:kms/replicaExternalKey:ReplicaExternalKey",
)
KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"

# In the order messages cite them: the most telling first.
ADMIN_ACTIONS = tuple(
    f"kms:{a}"
    for a in (
        "PutKeyPolicy",
        "ScheduleKeyDeletion",
        "CancelKeyDeletion",
        "DisableKey",
        "EnableKey",
        "CreateAlias",
        "UpdateAlias",
        "DeleteAlias",
        "DeleteImportedKeyMaterial",
        "ImportKeyMaterial",
        "EnableKeyRotation",
        "DisableKeyRotation",
        "RotateKeyOnDemand",
        "UpdateKeyDescription",
        "UpdatePrimaryRegion",
        "ReplicateKey",
        "SynchronizeMultiRegionKey",
        "TagResource",
        "UntagResource",
        "CreateKey",
        "CreateCustomKeyStore",
        "UpdateCustomKeyStore",
        "DeleteCustomKeyStore",
        "ConnectCustomKeyStore",
        "DisconnectCustomKeyStore",
    )
)
USE_ACTIONS = tuple(
    f"kms:{a}"
    for a in (
        "Decrypt",
        "Encrypt",
        "ReEncryptFrom",
        "ReEncryptTo",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext",
        "GenerateMac",
        "VerifyMac",
        "Sign",
        "Verify",
        "DeriveSharedSecret",
    )
)
EXPECTED = (
    "administration actions (kms:PutKeyPolicy, kms:ScheduleKeyDeletion, kms:Create*, kms:Put*, kms:Delete*,"
    " ...) and use actions (kms:Encrypt, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey*) granted to"
    " different principals, and no kms:* grant (not even to the account root)"
)
RECOVERY_EXPECTED = (
    "a second principal allowed kms:PutKeyPolicy and no cryptographic use, to restore the policy if the first"
    " is lost (a break-glass role matched by aws:PrincipalArn, which a recreated role still matches)"
)
POLICY_CHANGE = "kms:PutKeyPolicy"
_ROOT = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):root\Z")
# Operators under which an aws:PrincipalArn condition narrows a statement to the listed principals.
_NARROWING_OPERATORS = ("ArnEquals", "ArnLike", "StringEquals", "StringLike")


def _normalize(principal: str) -> str:
    """``123456789012`` is IAM shorthand for the account root."""
    principal = principal.strip()
    return f"arn:aws:iam::{principal}:root" if is_account_id(principal) else principal


def _granted(statement: Statement, catalog: tuple[str, ...]) -> list[str]:
    if statement.not_action:
        return [a for a in catalog if a not in grants_any(statement.actions, catalog)]
    return grants_any(statement.actions, catalog)


def _principal_arn_condition(statement: Statement) -> list[str] | None:
    """The ``aws:PrincipalArn`` values a statement is narrowed to, if it is."""
    found: list[str] | None = None
    for operator, key, values in condition_keys(statement.condition):
        base = operator.split(":")[-1].removesuffix("IfExists")
        if key.lower() == "aws:principalarn" and base in _NARROWING_OPERATORS:
            found = (found or []) + values
    return found


def _subjects(statement: Statement) -> list[str]:
    """Who a statement applies to: the ``aws:PrincipalArn`` values when it is narrowed to them
    (the pattern that lets a policy name roles that do not exist yet), else its principals."""
    narrowed = _principal_arn_condition(statement)
    if narrowed is not None:
        return narrowed
    if statement.not_principal:
        return ["everyone except " + ", ".join(statement.principals)]
    return [_normalize(p) for p in statement.principals]


def _covers(subject: str, pattern: str) -> bool:
    """Whether a grant to ``pattern`` reaches ``subject``: a wildcard, the same ARN, or the account root,
    which delegates to every IAM principal of its account."""
    if pattern == "*" or action_matches(pattern, subject):
        return True
    root = _ROOT.match(pattern)
    return (
        root is not None
        and f":{root.group(1)}:" in subject
        and subject.startswith(("arn:aws:iam::", "arn:aws:sts::"))
    )


def _is_wide(subject: str) -> bool:
    return subject == "*" or bool(_ROOT.match(subject))


@dataclass
class _Grants:
    admin: list[str] = field(default_factory=list)
    use: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    everything: bool = False  # a kms:* / * grant


def _unconditional_denies(document_statements: list[Statement]) -> list[tuple[list[str], set[str]]]:
    """(subjects, denied actions) of Deny statements whose only condition, if any, names the principals:
    a deny under any other condition may not apply, so it is not taken as separating duties."""
    denies: list[tuple[list[str], set[str]]] = []
    for statement in document_statements:
        if statement.effect != "Deny" or statement.not_principal:
            continue
        other_conditions = [
            k for _, k, _ in condition_keys(statement.condition) if k.lower() != "aws:principalarn"
        ]
        if other_conditions:
            continue
        actions = set(_granted(statement, ADMIN_ACTIONS)) | set(_granted(statement, USE_ACTIONS))
        if actions:
            denies.append((_subjects(statement), actions))
    return denies


def policy_problems(policy: Any, owner: str) -> Iterator[str]:
    """What breaks separation of duties in one key policy (JSON text or a document; None for no policy),
    each as the wrong part of a finding about ``owner``. The live audit judges deployed key policies with
    it."""
    try:
        document = load(policy)
    except PolicyDocumentError as error:
        yield f"{owner} {error}, so its separation of duties cannot be shown"
        return
    if document is None:
        yield (
            f"has no {owner}, so KMS applies its default policy, which grants kms:* to the account root "
            "(administration and use together)"
        )
        return
    parsed = statements(document)
    by_subject: dict[str, _Grants] = {}
    for statement in parsed:
        if statement.effect != "Allow":
            continue
        admin = _granted(statement, ADMIN_ACTIONS)
        use = [] if only_through_a_service(statement.condition) else _granted(statement, USE_ACTIONS)
        if not admin and not use:
            continue
        for subject in _subjects(statement):
            grants = by_subject.setdefault(subject, _Grants())
            grants.admin.extend(a for a in admin if a not in grants.admin)
            grants.use.extend(a for a in use if a not in grants.use)
            if statement.label not in grants.labels:
                grants.labels.append(statement.label)
            grants.everything |= len(admin) == len(ADMIN_ACTIONS) and len(use) == len(USE_ACTIONS)
    denies = _unconditional_denies(parsed)
    # Wide subjects (account roots, "*") first: one that gets both is the cause, and the principals it
    # reaches are not re-reported for it.
    ordered = sorted(by_subject, key=lambda subject: not _is_wide(subject))
    flagged_roots: set[str] = set()
    for subject in ordered:
        # Everything that reaches this subject: its own grants and those of wider patterns (role/*, the root).
        reaching = [
            (pattern, g)
            for pattern, g in by_subject.items()
            if pattern not in flagged_roots and _covers(subject, pattern)
        ]
        denied = {
            a for patterns, actions in denies if any(_covers(subject, p) for p in patterns) for a in actions
        }
        admin = [a for _, g in reaching for a in g.admin if a not in denied]
        use = [a for _, g in reaching for a in g.use if a not in denied]
        if not (admin and use):
            continue
        if _is_wide(subject):
            flagged_roots.add(subject)
        where = ", ".join(dict.fromkeys(label for _, g in reaching for label in g.labels))
        if by_subject[subject].everything and _ROOT.match(subject) and not denied:
            yield (
                f"{owner} {where} grants kms:* to the account root {subject}, which delegates administration"
                " and use of the key to any IAM principal of the account"
            )
        else:
            who = 'everyone ("*")' if subject == "*" else subject
            yield (
                f"{owner} {where} grants {who} both administration (e.g. {admin[0]}) and use (e.g. {use[0]})"
            )


def recovery_problems(policy: Any, owner: str) -> Iterator[str]:
    """A key policy (JSON text or document) that lets exactly one principal change it, as the wrong part of a
    finding about ``owner``; nothing for no policy (KMS's default lets the account root change it) or an
    unreadable one (``policy_problems`` reports it)."""
    try:
        document = load(policy)
    except PolicyDocumentError:
        return
    if document is None:
        return
    parsed = statements(document)
    denied = [patterns for patterns, actions in _unconditional_denies(parsed) if POLICY_CHANGE in actions]
    changers: list[str] = []
    for statement in parsed:
        if statement.effect != "Allow" or not _granted(statement, (POLICY_CHANGE,)):
            continue
        for subject in _subjects(statement):
            if subject not in changers and not any(_covers(subject, p) for ps in denied for p in ps):
                changers.append(subject)
    # The account root (or everyone) as a changer is its own recovery path: IAM can give the change to
    # another principal of the account (that grant's separation problems are policy_problems' to report).
    if len(changers) == 1 and not _is_wide(changers[0]):
        yield (
            f"{owner} allows {POLICY_CHANGE} to {changers[0]} only, so nobody can restore it if that"
            " principal is lost (a role recreated under the same name does not match a policy that named the"
            " old one)"
        )


class KmsKeyPolicySeparation(StackRule):
    id = "kms_key_policy_separation"
    description = (
        "Every customer-managed KMS key's effective policy grants key administration and key use to different"
        " principals, with no kms:* grant (the default 'Enable IAM policies' root statement included), and"
        " lets a second, recovery principal change the policy."
    )
    remediation = (
        "Write the key policy with one statement for the key-administrator role (kms:Create*, kms:Describe*,"
        " kms:Enable*, kms:List*, kms:Put*, kms:Update*, kms:Revoke*, kms:Disable*, kms:Get*, kms:Delete*,"
        " kms:TagResource, kms:UntagResource, kms:ScheduleKeyDeletion, kms:CancelKeyDeletion) and another for"
        " the key-user roles and service principals (kms:Encrypt, kms:Decrypt, kms:ReEncrypt*,"
        " kms:GenerateDataKey*, kms:DescribeKey); do not grant kms:* to the account root. Allow"
        " kms:PutKeyPolicy (and no use) to a break-glass role matched by aws:PrincipalArn as well, so the key"
        " can be recovered."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        if not any(stack.of_type(*KEY_TYPES, KEY_POLICY)):
            raise NotApplicable("the stack has no KMS key")
        replaced: set[str] = set()
        for key_policy in stack.of_type(KEY_POLICY):
            for key in stack.referenced(key_policy, "keyId", *KEY_TYPES):
                replaced.add(key.urn)
            policy = require_known(key_policy.props.get("policy"), "policy")
            for problem in policy_problems(policy, "policy"):
                yield Failure(problem, EXPECTED, key_policy.urn)
            for problem in recovery_problems(policy, "policy"):
                yield Failure(problem, RECOVERY_EXPECTED, key_policy.urn)
        for key in stack.of_type(*KEY_TYPES):
            if key.urn in replaced:
                continue  # its KeyPolicy resource is the effective policy, judged above
            policy = require_known(key.props.get("policy"), "policy")
            yield from (Failure(p, EXPECTED, key.urn) for p in policy_problems(policy, "policy"))
            yield from (Failure(p, RECOVERY_EXPECTED, key.urn) for p in recovery_problems(policy, "policy"))
