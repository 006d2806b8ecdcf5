"""BAK-03 live: every backup vault is locked (minimum retention at least 7 days) and encrypted with a
customer-managed key. Vault Lock: https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html"""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import BACKUP_VAULT, backup_vaults, key_metadata
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget
from policies.parameters import MIN_VAULT_LOCK_RETENTION_DAYS as MIN_RETENTION_DAYS

EXPECTED = f"Vault Lock with a minimum retention >= {MIN_RETENTION_DAYS} days and a customer-managed key"


class LiveBackupVaultLock(AuditCheck):
    id = "live_backup_vault_lock"
    description = "Backup vaults are locked and encrypted with the tenant key"
    remediation = (
        f"Lock the vault (backup:PutBackupVaultLockConfiguration MinRetentionDays >= {MIN_RETENTION_DAYS}); a"
        " vault encrypted with another key must be recreated with the tenant key."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            for vault in backup_vaults(target, region):
                name = vault["BackupVaultName"]
                if name in ("Default", "aws/efs/automatic-backup-vault"):
                    continue  # created by AWS on first use; holds nothing the baseline writes
                minimum = vault.get("MinRetentionDays")
                key = (
                    key_metadata(target, vault.get("EncryptionKeyArn", ""), region)
                    if vault.get("EncryptionKeyArn")
                    else None
                )
                if not vault.get("Locked") and minimum is None:
                    wrong = "is not locked"
                elif minimum is None or int(minimum) < MIN_RETENTION_DAYS:
                    wrong = f"is locked with a minimum retention of {minimum} days"
                elif key is None or key.get("KeyManager") != "CUSTOMER":
                    wrong = "is not encrypted with a customer-managed key"
                else:
                    continue
                yield AuditFailure(
                    BACKUP_VAULT, name, wrong, EXPECTED, region, vault.get("BackupVaultArn", "")
                )
