"""Every bucket refuses requests that do not use TLS (ENC-03).

The AWS-recommended control: a bucket policy statement that denies ``s3:*`` to
everyone on the bucket and its objects when ``aws:SecureTransport`` is false.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from policies.framework import Failure, NotApplicable, StackRule, StackView
from policies.rules._common.policy_documents import (
    PolicyDocumentError,
    Statement,
    action_matches,
    condition_values,
    is_everyone,
    load,
    statements,
)
from policies.rules._common.s3 import POLICY, attached, buckets
from policies.rules._common.unknowns import require_known
from policies.rules._data.buckets import bucket_arn

EXPECTED = (
    'a bucket policy statement {"Effect": "Deny", "Principal": "*", "Action": "s3:*", '
    '"Resource": [<bucket ARN>, <bucket ARN>/*], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}'
)
_SAMPLE_KEY = "any-object-key"


def _covers(patterns: Sequence[str], arn: str) -> bool:
    return any(action_matches(p, arn) for p in patterns)


def _resource_gaps(statement: Statement, arn: str | None) -> list[str]:
    if statement.not_resource:
        return ["uses NotResource"]
    if arn is not None:
        return [
            target for target in (arn, f"{arn}/{_SAMPLE_KEY}") if not _covers(statement.resources, target)
        ]
    # The bucket's name is not in the program (autonamed): accept a bucket/objects pair for one name.
    plain = [r for r in statement.resources if "/" not in r.split(":::", 1)[-1]]
    if _covers(statement.resources, "arn:aws:s3:::x") and _covers(
        statement.resources, f"arn:aws:s3:::x/{_SAMPLE_KEY}"
    ):
        return []
    if any(_covers(statement.resources, f"{r}/{_SAMPLE_KEY}") for r in plain):
        return []
    return ["the bucket and its objects"]


def _problems(statement: Statement, arn: str | None) -> list[str]:
    problems: list[str] = []
    if statement.not_principal or not any(is_everyone(p) for p in statement.principals):
        problems.append(f'applies to {", ".join(statement.principals) or "no principal"} instead of "*"')
    if statement.not_action or not any(a.strip().lower() in ("*", "s3:*") for a in statement.actions):
        problems.append(f"denies {', '.join(statement.actions) or 'no action'} instead of s3:*")
    gaps = _resource_gaps(statement, arn)
    if gaps:
        problems.append(f"does not cover {' and '.join(gaps)}" if gaps[0] != "uses NotResource" else gaps[0])
    return problems


def _judge(policy: Any, where: str, arn: str | None) -> str | None:
    """None when the policy enforces TLS for the bucket; else what is wrong."""
    try:
        document = load(policy)
    except PolicyDocumentError as error:
        return f"{where} {error}"
    if document is None:
        return f"{where} is empty"
    candidates = [
        s
        for s in statements(document)
        if s.effect == "Deny" and "false" in condition_values(s.condition, "Bool", "aws:SecureTransport")
    ]
    if not candidates:
        return f"{where} has no Deny statement with condition Bool aws:SecureTransport false"
    reports = []
    for statement in candidates:
        problems = _problems(statement, arn)
        if not problems:
            return None
        reports.append(f"{statement.label} {'; '.join(problems)}")
    return f"{where}'s aws:SecureTransport deny " + " | ".join(reports)


class BucketTlsOnlyPolicy(StackRule):
    id = "bucket_tls_only_policy"
    description = (
        "Every S3 bucket has a bucket policy that denies any request made without TLS (aws:SecureTransport"
        " false)."
    )
    remediation = (
        "Attach an aws.s3.BucketPolicy to the bucket with a statement Effect Deny, Principal '*', Action"
        " 's3:*', Resource [bucket ARN, bucket ARN + '/*'], Condition {'Bool': {'aws:SecureTransport':"
        " 'false'}}."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        all_buckets = buckets(stack)
        if not all_buckets:
            raise NotApplicable("the stack has no S3 bucket")
        policies = attached(stack, POLICY)
        for bucket in all_buckets:
            sources: list[tuple[str, Any]] = [
                (f"bucket policy {p.name}", require_known(p.props.get("policy"), "policy"))
                for p in policies.get(bucket.urn, [])
            ]
            inline = require_known(bucket.props.get("policy"), "policy")
            if inline is not None:
                sources.append(("inline policy", inline))
            if not sources:
                yield Failure(
                    "has no bucket policy, so requests without TLS are accepted", EXPECTED, bucket.urn
                )
                continue
            arn = bucket_arn(bucket)
            verdicts = [_judge(policy, where, arn) for where, policy in sources]
            if all(verdicts):
                for verdict in verdicts:
                    yield Failure(str(verdict), EXPECTED, bucket.urn)
