"""No IAM policy grants every action on every resource (IAM-01).

Looks at every place a program can grant permissions to a principal:
managed policies, inline role/user/group policies, a role's
``inlinePolicies``, and attachments of the AWS-managed AdministratorAccess
policy (attachment resources, ``Role.managedPolicyArns`` and the ``*Exclusive``
attachment resources). A statement fails when it Allows every action (``*``,
``*:*``, or ``NotAction``: everything except a few) on every resource
(``*``, a pattern such as ``arn:*`` that matches any ARN, or ``NotResource``:
everything except a few), whatever its conditions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.framework import Failure, ResourceRule, ResourceView, as_list
from policies.rules._common.policy_documents import (
    PolicyDocumentError,
    Statement,
    action_matches,
    load,
    statements,
)
from policies.rules._secops import iam

POLICY_DOCUMENT_TYPES = {
    "aws:iam/policy:Policy": "policy",
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:iam/userPolicy:UserPolicy": "policy",
    "aws:iam/groupPolicy:GroupPolicy": "policy",
}
ATTACHMENT_TYPES = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
    "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "policyArns",
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": "policyArns",
}
ROLE = "aws:iam/role:Role"
EXPECTED = "least-privilege statements (no Allow of Action * on Resource *)"


# A pattern that matches all of these matches every action (resource) of every service: ``*``, ``*:*``,
# ``?*``, ``arn:*``, ``arn:aws:*:*:*:*`` all grant as much as ``*``.
EVERY_ACTION = (
    "iam:CreateUser",
    "s3:GetObject",
    "kms:ScheduleKeyDeletion",
    "organizations:LeaveOrganization",
)
EVERY_RESOURCE = (
    "arn:aws:iam::123456789012:role/any",
    "arn:aws:s3:::any-bucket/any/key",
    "arn:aws:kms:ap-northeast-1:123456789012:key/any",
)


def _matches_all(patterns: list[str], samples: tuple[str, ...]) -> str | None:
    """The first pattern that matches every sample, if any."""
    return next((p for p in patterns if all(action_matches(p, s) for s in samples)), None)


def _everywhere(statement: Statement) -> str | None:
    """How the statement reaches every resource (``Resource *``), or None when it is limited."""
    if statement.not_resource:
        excluded = ", ".join(statement.resources) or "nothing"
        return f"every resource except {excluded} (NotResource)"
    pattern = _matches_all(list(statement.resources), EVERY_RESOURCE)
    return f"Resource {pattern}" if pattern is not None else None


def document_failures(value: Any, where: str) -> Iterator[Failure]:
    try:
        document = load(value)
    except PolicyDocumentError as error:
        yield Failure(f"{where} {error}", "a valid IAM policy document with least-privilege statements")
        return
    if document is None:
        return
    for statement in statements(document):
        everywhere = _everywhere(statement) if statement.allows else None
        if everywhere is None:
            continue
        if statement.not_action:
            excluded = ", ".join(statement.actions) or "nothing"
            yield Failure(
                f"{where} {statement.path_label} allows every action except {excluded} (NotAction) on"
                f" {everywhere}",
                EXPECTED,
            )
            continue
        action = _matches_all(list(statement.actions), EVERY_ACTION)
        if action is not None:
            yield Failure(f"{where} {statement.path_label} allows Action {action} on {everywhere}", EXPECTED)


class IamNoAdminPolicy(ResourceRule):
    id = "iam_no_admin_policy"
    resource_types = frozenset({*POLICY_DOCUMENT_TYPES, *ATTACHMENT_TYPES, ROLE})
    description = (
        "No IAM policy (managed, inline or a role's inlinePolicies) allows * on *, and nothing attaches "
        "the AWS-managed AdministratorAccess policy."
    )
    remediation = (
        "Grant only the actions and resources the principal needs; replace AdministratorAccess with a "
        "scoped policy (break-glass administration goes through SSO, not a Pulumi-managed grant)."
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        props = resource.props
        if resource.type in POLICY_DOCUMENT_TYPES:
            yield from document_failures(props.get("policy"), "policy")
        elif resource.type in ATTACHMENT_TYPES:
            key = ATTACHMENT_TYPES[resource.type]
            yield from _admin_attachments(as_list(props.get(key)), key)
        else:
            for index, inline in enumerate(as_list(props.get("inlinePolicies"))):
                if isinstance(inline, Mapping):
                    name = inline.get("name")
                    where = f"inlinePolicies[{index}]" + (
                        f" ({name})" if isinstance(name, str) and name else ""
                    )
                    yield from document_failures(inline.get("policy"), where)
            yield from _admin_attachments(as_list(props.get("managedPolicyArns")), "managedPolicyArns")


def _admin_attachments(arns: list[Any], key: str) -> Iterator[Failure]:
    for arn in arns:
        if iam.is_admin_policy_arn(arn):
            yield Failure(
                f"{key} attaches {arn}",
                "a least-privilege policy instead of AdministratorAccess",
            )
