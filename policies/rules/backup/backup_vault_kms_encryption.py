"""Backup vaults encrypt recovery points with a tenant key (ENC-01, BAK-03).

Without ``kmsKeyArn`` AWS Backup uses the AWS-managed ``aws/backup`` key.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView
from policies.rules._data.keys import CUSTOMER_KEY, key_problem

VAULT = "aws:backup/vault:Vault"


class BackupVaultKmsEncryption(ResourceRule):
    id = "backup_vault_kms_encryption"
    description = "AWS Backup vaults are encrypted with a customer-managed key of the tenant."
    remediation = "Set kms_key_arn=<tenant key ARN of the vault's region> on the aws.backup.Vault."
    resource_types = frozenset({VAULT})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        problem = key_problem(
            resource,
            "kmsKeyArn",
            resource.props.get("kmsKeyArn"),
            absent="the AWS-managed key aws/backup is used",
        )
        if problem:
            yield Failure(problem, f"kmsKeyArn {CUSTOMER_KEY}")
