"""Resource policies and trust policies grant nothing to an account outside the organization (RES-02).

An account outside the organization is beyond every guardrail of this project (the SCPs that keep data in
Japan, the organization trail, the delegated detection), so a grant to it is a path for tenant data that
nothing else controls. This holds in every environment, not only in production.

What counts as inside, from what the stack itself shows (the Pulumi engine hands a policy no organization
listing, and a program that reads one with ``getOrganization`` passes it to no resource input):

- an account the stack deploys into: an account its aws providers assume a role in or allow
  (``allowedAccountIds``);
- an account the stack creates (``aws:organizations/account:Account``, by its ``id``);
- an account the stack reads from a stack reference (``pulumi:pulumi:StackReference`` outputs): a tenant
  stack learns the organization's accounts (security, log archive, tenants) from the org stack, which
  creates them;
- any principal of an ``Allow`` statement conditioned on the organization: ``aws:PrincipalOrgID`` or
  ``aws:PrincipalOrgPaths`` under ``StringEquals``/``StringLike`` (not ``IfExists``), which AWS evaluates
  against the caller's own organization
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid).

Service principals (``logs.amazonaws.com``) are not accounts and are left to the rules of each service;
so is the Elastic Load Balancing account of a bucket's Region when a statement lets it only put objects: it
is how AWS documents ALB access-log delivery in the Regions older than August 2022
(``policies.aws_facts.ELB_LOG_DELIVERY_ACCOUNTS``), the service acting, not a customer's account;
``*`` is left to the public-access rules. Documents read: bucket, key, topic, queue, repository, secret and
backup vault policies (inline or as their own resource), role trust policies, and KMS grants.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from policies.aws_facts import ELB_LOG_DELIVERY_ACCOUNTS
from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView
from policies.rules._common.accounts import own_accounts
from policies.rules._common.arns import account_of, is_account_id
from policies.rules._common.policy_documents import (
    PolicyDocumentError,
    Statement,
    condition_keys,
    load,
    statements,
)
from policies.rules._common.unknowns import peek, require_known
from policies.rules._common.values import text

ACCOUNT = "aws:organizations/account:Account"
STACK_REFERENCE = "pulumi:pulumi:StackReference"
KMS_GRANT = "aws:kms/grant:Grant"
ROLE = "aws:iam/role:Role"
# Resource type -> the input holding its policy document.
DOCUMENTS: Mapping[str, str] = {
    "aws:s3/bucketPolicy:BucketPolicy": "policy",
    "aws:s3/bucket:Bucket": "policy",
    "aws:s3/bucketV2:BucketV2": "policy",
    "aws:kms/key:Key": "policy",
    "aws:kms/keyPolicy:KeyPolicy": "policy",
    ROLE: "assumeRolePolicy",
    "aws:sns/topic:Topic": "policy",
    "aws:sns/topicPolicy:TopicPolicy": "policy",
    "aws:sqs/queue:Queue": "policy",
    "aws:sqs/queuePolicy:QueuePolicy": "policy",
    "aws:ecr/repositoryPolicy:RepositoryPolicy": "policy",
    "aws:secretsmanager/secretPolicy:SecretPolicy": "policy",
    "aws:backup/vaultPolicy:VaultPolicy": "policy",
}
BUCKET_DOCUMENTS = ("aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
ORG_CONDITION_KEYS = ("aws:principalorgid", "aws:principalorgpaths")
EXPECTED = (
    "principals only in accounts of the organization that the stack deploys into, creates or reads from "
    "the org stack, or a statement conditioned on aws:PrincipalOrgID"
)


def _inside_organization(condition: Mapping[str, object]) -> bool:
    for operator, key, values in condition_keys(condition):
        base = operator.split(":")[-1]
        if key.lower() in ORG_CONDITION_KEYS and base in ("StringEquals", "StringLike") and values:
            return True
    return False


def _account_ids(value: Any) -> Iterator[str]:
    if is_account_id(value):
        yield str(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _account_ids(item)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            yield from _account_ids(item)


def _known_accounts(stack: StackView) -> list[str]:
    """Accounts the stack creates or reads from another stack of the organization."""
    found: list[str] = []
    for account in stack.of_type(ACCOUNT):
        value = text(peek(account.props, "id"))
        if value:
            found.append(value)
    for reference in stack.of_type(STACK_REFERENCE):
        found.extend(_account_ids(peek(reference.props, "outputs")))
    return found


def _elb_log_delivery(resource: ResourceView, statement: Statement) -> str | None:
    """The ELB log delivery account of the bucket's Region when the statement is a bucket policy's grant of
    ``s3:PutObject`` and nothing else; None otherwise."""
    if resource.type not in BUCKET_DOCUMENTS or statement.not_action:
        return None
    if [a.lower() for a in statement.actions] != ["s3:putobject"]:
        return None
    return ELB_LOG_DELIVERY_ACCOUNTS.get(resource.region or "")


def _not_known(inside: Sequence[str]) -> str:
    where = "not among the accounts the stack deploys into, creates or reads from another stack"
    if inside:
        return where
    return f"{where} (it shows none: no aws provider assumes a role or sets allowedAccountIds)"


class GrantsWithinOrganization(StackRule):
    id = "grants_within_organization"
    description = (
        "Bucket, key, topic, queue, repository, secret and backup vault policies, role trust policies and "
        "KMS grants give access only to accounts of the organization."
    )
    remediation = (
        "Remove the foreign account from the policy's Principal (or the grant's granteePrincipal); when an "
        "account of the organization that the stack does not name needs access, add the condition "
        '"StringEquals": {"aws:PrincipalOrgID": "<organization ID>"} to the statement.'
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        subjects = [r for r in stack.resources if r.type in DOCUMENTS or r.type == KMS_GRANT]
        if not subjects:
            raise NotApplicable("the stack declares no resource policy, trust policy or KMS grant")
        inside = list(dict.fromkeys(own_accounts(stack) + _known_accounts(stack)))
        for resource in subjects:
            if resource.type == KMS_GRANT:
                yield from self._grant(resource, inside)
            else:
                yield from self._document(resource, inside)

    @staticmethod
    def _outside(principal: str, inside: list[str]) -> str | None:
        account = account_of(principal.strip())
        return account if account is not None and account not in inside else None

    def _grant(self, grant: ResourceView, inside: list[str]) -> Iterator[Failure]:
        principal = text(require_known(grant.props.get("granteePrincipal"), "granteePrincipal"))
        account = self._outside(principal, inside) if principal else None
        if account is not None:
            yield Failure(
                f"granteePrincipal {principal} is in account {account}, {_not_known(inside)}",
                EXPECTED,
                grant.urn,
            )

    def _document(self, resource: ResourceView, inside: list[str]) -> Iterator[Failure]:
        prop = DOCUMENTS[resource.type]
        raw = require_known(resource.props.get(prop), prop)
        try:
            document = load(raw)
        except PolicyDocumentError:
            return  # not a policy document: the provider refuses it before any grant exists
        if document is None:
            return
        for statement in statements(document):
            if not statement.allows or statement.not_principal:
                continue
            if _inside_organization(statement.condition):
                continue
            aws_principals = statement.principal_map().get("AWS", [])
            elb_delivery = _elb_log_delivery(resource, statement)
            outside = []
            for principal in aws_principals:
                account = self._outside(principal, inside)
                if account is not None and account == elb_delivery:
                    continue
                if account is not None and account not in outside:
                    outside.append(account)
            if outside:
                accounts = ", ".join(outside)
                noun = "account" if len(outside) == 1 else "accounts"
                yield Failure(
                    f"{prop} {statement.label} grants {noun} {accounts}, {_not_known(inside)}",
                    EXPECTED,
                    resource.urn,
                )
