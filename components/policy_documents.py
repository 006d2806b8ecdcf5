"""IAM policy document builders the components share (trust policies, the TLS-only deny).

Documents are plain dicts with keys in the order AWS shows them, so the JSON the components send (and the
stack diff a reviewer reads) stays stable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

POLICY_VERSION = "2012-10-17"


def policy_document(*statements: Mapping[str, Any]) -> dict[str, Any]:
    return {"Version": POLICY_VERSION, "Statement": [dict(s) for s in statements]}


def service_trust_policy(service: str, account_id: str) -> dict[str, Any]:
    """Trust for an AWS service acting for this account only (``aws:SourceAccount`` guards the confused
    deputy)."""
    return policy_document(
        {
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
        }
    )


def deny_insecure_transport(action: str, resource: str | Sequence[str]) -> dict[str, Any]:
    """The statement that refuses every request not made over TLS (ENC-03)."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": resource if isinstance(resource, str) else list(resource),
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
