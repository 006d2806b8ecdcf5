"""Defaults the pulumi-aws provider fills into a resource's inputs at Check, so the analyzer sees them.

pulumi-aws bridges the Terraform AWS provider: its Check applies each Terraform schema ``Default`` to an input
the program left unset (the engine then hands policies those checked inputs). Terraform's JSON schema does not
carry defaults, nor do the Pulumi SDK or schema, so the values below are read from the Terraform provider's
resource schemas (the source of each type is named with it) and listed here by Pulumi input name.

Coverage is this table and nothing more: a type or field missing here is sent as the program wrote it.
Defaults given by a named constant rather than a literal (SQS ``delaySeconds``, ``maxMessageSize``,
``messageRetentionSeconds``, ``receiveWaitTimeSeconds``, ``visibilityTimeoutSeconds``) are left out until
read from their definitions. The bridge's ``__defaults`` bookkeeping key is not reproduced: no rule may
depend on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SOURCE = "https://github.com/hashicorp/terraform-provider-aws/blob/00a35305dc1b297a6fcdecdfbba33f1e63c3da39/"

# Pulumi type -> (Terraform provider source file, {input: default}); only fields with a literal ``Default``
# and no ConflictsWith / ExactlyOneOf partner (which stop the bridge from applying the default).
DEFAULTS: dict[str, tuple[str, dict[str, Any]]] = {
    "aws:kms/key:Key": (
        "internal/service/kms/key.go",
        {
            "bypassPolicyLockoutSafetyCheck": False,
            "customerMasterKeySpec": "SYMMETRIC_DEFAULT",
            "enableKeyRotation": False,
            "isEnabled": True,
            "keyUsage": "ENCRYPT_DECRYPT",
        },
    ),
    "aws:sqs/queue:Queue": (
        "internal/service/sqs/queue.go",
        {"contentBasedDeduplication": False, "fifoQueue": False},
    ),
}


def apply(type_: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs with the provider's defaults for what the program left unset."""
    entry = DEFAULTS.get(type_)
    if entry is None:
        return dict(inputs)
    return {**{k: v for k, v in entry[1].items() if k not in inputs}, **inputs}


def coverage() -> dict[str, list[str]]:
    """Which inputs of which types get a default (for the docs and the report)."""
    return {type_: sorted(fields) for type_, (_, fields) in sorted(DEFAULTS.items())}
