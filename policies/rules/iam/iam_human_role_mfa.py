"""Roles people assume require MFA in their trust policy (IAM-02).

A trust statement that Allows ``sts:AssumeRole`` to an AWS principal (an
account root, a user, a role, or ``*``) must carry ``Bool
aws:MultiFactorAuthPresent true`` (every value true: a list matches when any
value does; ``BoolIfExists`` does not count: it passes when the key is absent,
as it is for access-key sessions) or a
``NumericLessThan[Equals] aws:MultiFactorAuthAge`` limit, which fails without MFA.

How machine roles are told apart, without trusting a name:
- ``Service`` principals (AWS services) and ``Federated`` principals (OIDC web
  identity for workloads and CI; SAML, where MFA is enforced by the identity
  provider) are not AWS principals and pass.
- A role tagged ``role-type`` = ``automation`` may trust an AWS principal
  without MFA only in statements that also require an exact ``sts:ExternalId``
  (StringEquals, or StringLike without wildcards) and name no ``*`` principal:
  the tag declares the intent, the external ID keeps the trust narrow
  (cross-account automation and third-party tools).

The live audit (``policies/audit/live_human_role_mfa.py``) reads deployed roles
with ``unprotected_trusts``; only there may IAM-02's managementTrustedRoles (the
role Organizations creates and the lifecycle's audit role) also trust the
management account without MFA.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

from policies.framework import Failure, ResourceRule, ResourceView, as_list
from policies.rules._common.policy_documents import PolicyDocumentError, Statement, load, statements
from policies.rules._common.tags import tag_value
from policies.rules._secops import iam

ROLE = "aws:iam/role:Role"
AUTOMATION_TAG = ("role-type", "automation")
MFA_EXPECTED = (
    "Condition Bool aws:MultiFactorAuthPresent true on statements trusting AWS principals "
    "(machine roles: tag role-type=automation and an sts:ExternalId condition)"
)


def _condition_values(conditions: Mapping[str, Any], operators: tuple[str, ...], key: str) -> list[str]:
    found: list[str] = []
    for operator in conditions:
        if str(operator).lower() not in operators:
            continue
        block = conditions[operator]
        if isinstance(block, Mapping):
            for condition_key in block:
                if str(condition_key).lower() == key.lower():
                    found.extend(str(v).lower() for v in as_list(block[condition_key]))
    return found


def requires_mfa(statement: Statement) -> bool:
    conditions = statement.condition
    # Several values of one condition key match when any of them does: ["true", "false"] requires nothing.
    present = _condition_values(conditions, ("bool",), "aws:MultiFactorAuthPresent")
    if present and all(value == "true" for value in present):
        return True
    operators = ("numericlessthan", "numericlessthanequals")
    return bool(_condition_values(conditions, operators, "aws:MultiFactorAuthAge"))


def requires_external_id(statement: Statement) -> bool:
    """An exact external ID: a StringLike pattern with a wildcard admits IDs nobody was given."""
    exact = _condition_values(statement.condition, ("stringequals",), "sts:ExternalId")
    patterns = _condition_values(statement.condition, ("stringlike",), "sts:ExternalId")
    return bool(exact + patterns) and not any("*" in p or "?" in p for p in patterns)


def unprotected_trusts(
    document: Mapping[str, Any], is_automation: Callable[[], bool]
) -> Iterator[tuple[Statement, list[str]]]:
    """The statements of a trust policy that let AWS principals assume the role without MFA, each with those
    principals: the one reading of a trust policy shared by this rule and the live audit. ``is_automation``
    (whether the role is tagged role-type=automation) is asked only for statements that require
    sts:ExternalId, so a live reader fetches tags only when they can change the answer."""
    for statement in statements(document):
        if not statement.allows or not iam.grants_action(statement, "sts:AssumeRole"):
            continue
        principals = statement.principal_map().get("AWS", [])
        if not principals or requires_mfa(statement):
            continue
        # An external ID narrows a trust only to named principals: with "*" anyone who learns it may assume.
        if requires_external_id(statement) and not any("*" in p for p in principals) and is_automation():
            continue
        yield statement, principals


def without_mfa(statement: Statement, principals: list[str]) -> str:
    return f"{statement.path_label} lets AWS principal(s) {', '.join(principals)} assume the role without MFA"


class IamHumanRoleMfa(ResourceRule):
    id = "iam_human_role_mfa"
    resource_types = frozenset({ROLE})
    description = (
        "A role whose trust policy lets AWS principals (accounts, users, roles) assume it requires MFA "
        "(aws:MultiFactorAuthPresent); service, OIDC and SAML trusts and tagged automation roles with an "
        "external ID are exempt."
    )
    remediation = (
        'Add "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}} to the trust statement; for a '
        "machine role, tag it role-type=automation and require sts:ExternalId instead."
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        try:
            document = load(resource.props.get("assumeRolePolicy"))
        except PolicyDocumentError as error:
            yield Failure(f"assumeRolePolicy {error}", "a valid trust policy document")
            return
        if document is None:
            return
        automation = cache(lambda: tag_value(resource, AUTOMATION_TAG[0]) == AUTOMATION_TAG[1])
        for statement, principals in unprotected_trusts(document, automation):
            yield Failure(f"assumeRolePolicy {without_mfa(statement, principals)}", MFA_EXPECTED)
