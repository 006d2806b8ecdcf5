"""Is a KMS key reference a customer-managed key of the tenant? (ENC-01 and friends)

A reference may be a key ID, a key ARN, an alias name or an alias ARN, or an
output of a ``aws:kms/key:Key`` of the program. AWS-managed keys are addressed
through the reserved ``alias/aws/<service>`` aliases; they (and AWS-owned keys,
which is what an absent reference means for most services) do not satisfy
ENC-01. A literal ARN whose account is not the account the resource's provider
assumes a role into is another account's key: not the tenant's.
"""

from __future__ import annotations

import re
from typing import Any

from policies.framework import ResourceView
from policies.rules._common.accounts import tenant_account
from policies.rules._common.arns import arn_account
from policies.rules._common.values import shown

_AWS_MANAGED = re.compile(r"(^|:)alias/aws/")


def key_problem(resource: ResourceView, prop: str, value: Any, *, absent: str) -> str | None:
    """What is wrong with ``prop`` as a tenant key reference, or None when it is fine.

    ``absent`` says what the service does without a key (e.g. "the AWS-owned key").
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return f"{prop} is not set ({absent})"
    if not isinstance(value, str):
        return f"{prop} is {shown(value)}, not a KMS key ID or ARN"
    if _AWS_MANAGED.search(value):
        return f"{prop} is the AWS-managed key {value}"
    key_account = arn_account(value)
    own_account = tenant_account(resource)
    if key_account and own_account and key_account != own_account:
        return f"{prop} {value} is a key of account {key_account}, not of the tenant account {own_account}"
    return None


CUSTOMER_KEY = (
    "a customer-managed KMS key of the tenant (a key ID/ARN of the tenant account, not alias/aws/*)"
)
