"""No bucket can become public: all four public access block flags on, no public ACL or policy (TEN-01).

A public bucket shares tenant data with everyone, the widest form of sharing
between tenants. "Public" follows S3's own definition for Block Public Access:
a grant to AllUsers / AuthenticatedUsers, or a policy statement that allows
``*`` without a condition that pins the caller to specific accounts, VPCs,
organizations, ARNs or IP ranges.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.framework import (
    Failure,
    NotApplicable,
    ResourceView,
    StackRule,
    StackView,
    as_list,
    dig,
    truthy,
)
from policies.rules._common.policy_documents import (
    PolicyDocumentError,
    condition_keys,
    is_everyone,
    load,
    statements,
)
from policies.rules._common.s3 import ACL_TYPES, POLICY, PUBLIC_ACCESS_BLOCK, attached, buckets
from policies.rules._common.unknowns import require_known
from policies.rules._common.values import shown

FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
PUBLIC_CANNED_ACLS = frozenset({"public-read", "public-read-write", "authenticated-read"})
PUBLIC_GRANTEE_URIS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)
# Condition keys S3 counts as restricting a wildcard principal (Block Public Access, "the meaning of public").
RESTRICTING_KEYS = frozenset(
    k.lower()
    for k in (
        "aws:SourceArn",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:SourceAccount",
        "aws:SourceOwner",
        "aws:SourceIp",
        "aws:userid",
        "aws:PrincipalArn",
        "aws:PrincipalAccount",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "s3:DataAccessPointArn",
        "s3:DataAccessPointAccount",
    )
)
PAB_EXPECTED = (
    "a BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and"
    " restrictPublicBuckets all true"
)
ACL_EXPECTED = "a private ACL (no canned public ACL, no grant to AllUsers or AuthenticatedUsers)"
POLICY_EXPECTED = (
    'no Allow to Principal "*" unless a condition pins the caller (aws:SourceVpce, aws:PrincipalOrgID, '
    "aws:SourceAccount, aws:SourceArn, ...)"
)


def _restricted(condition: Mapping[str, Any]) -> bool:
    for operator, key, values in condition_keys(condition):
        base = operator.split(":")[-1]
        if "Not" in base or base.startswith("Null"):
            continue
        if (
            key.lower() in RESTRICTING_KEYS
            and values
            and all(v.strip() not in ("*", "0.0.0.0/0", "::/0") for v in values)
        ):
            return True
    return False


def _policy_failures(policy: Any, path: str) -> Iterator[str]:
    try:
        document = load(policy)
    except PolicyDocumentError as error:
        yield f"{path} {error}, so it cannot be shown not to be public"
        return
    if document is None:
        return
    for statement in statements(document):
        if statement.effect != "Allow":
            continue
        if statement.not_principal:
            yield (
                f"{path} {statement.label} allows NotPrincipal {shown(list(statement.principals))} (everyone"
                " else)"
            )
        elif any(is_everyone(p) for p in statement.principals) and not _restricted(statement.condition):
            yield f'{path} {statement.label} allows Principal "*" without a restricting condition'


def _grant_failures(grants: Any, path: str, uri_path: tuple[str, ...]) -> Iterator[str]:
    for index, grant in enumerate(as_list(grants)):
        uri = dig(grant, *uri_path)
        if isinstance(uri, str) and uri.rstrip("/") in PUBLIC_GRANTEE_URIS:
            yield (
                f"{path}[{index}] grants {shown(dig(grant, 'permission') or dig(grant, 'permissions'))} to"
                f" {uri}"
            )


def _acl_failures(resource: ResourceView) -> Iterator[str]:
    acl = resource.props.get("acl")
    if isinstance(acl, str) and acl in PUBLIC_CANNED_ACLS:
        yield f"acl is {shown(acl)}"
    if resource.type in ACL_TYPES:
        yield from _grant_failures(
            dig(resource.props, "accessControlPolicy", "grants"),
            "accessControlPolicy.grants",
            ("grantee", "uri"),
        )
    else:
        yield from _grant_failures(resource.props.get("grants"), "grants", ("uri",))


class BucketPublicAccessBlocked(StackRule):
    id = "bucket_public_access_blocked"
    description = (
        "Every S3 bucket has a public access block with all four flags on, and no ACL or bucket policy "
        "makes it public."
    )
    remediation = (
        "Add an aws.s3.BucketPublicAccessBlock for the bucket with block_public_acls, block_public_policy,"
        " ignore_public_acls and restrict_public_buckets all True; drop public canned ACLs and AllUsers"
        " grants; give any Principal '*' statement a condition such as aws:SourceVpce or aws:PrincipalOrgID."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        if not buckets(stack) and not any(stack.of_type(PUBLIC_ACCESS_BLOCK, POLICY, *ACL_TYPES)):
            raise NotApplicable("the stack has no S3 bucket")
        for block in stack.of_type(PUBLIC_ACCESS_BLOCK):
            for flag in FLAGS:
                value = block.props.get(flag)
                if not truthy(value):
                    yield Failure(f"{flag} is {shown(value)}", PAB_EXPECTED, block.urn)
        blocked = attached(stack, PUBLIC_ACCESS_BLOCK)
        for bucket in buckets(stack):
            if bucket.urn not in blocked:
                yield Failure("has no BucketPublicAccessBlock", PAB_EXPECTED, bucket.urn)
            for problem in _acl_failures(bucket):
                yield Failure(problem, ACL_EXPECTED, bucket.urn)
            for problem in _policy_failures(require_known(bucket.props.get("policy"), "policy"), "policy"):
                yield Failure(problem, POLICY_EXPECTED, bucket.urn)
        for acl in stack.of_type(*ACL_TYPES):
            for problem in _acl_failures(acl):
                yield Failure(problem, ACL_EXPECTED, acl.urn)
        for policy in stack.of_type(POLICY):
            for problem in _policy_failures(require_known(policy.props.get("policy"), "policy"), "policy"):
                yield Failure(problem, POLICY_EXPECTED, policy.urn)
