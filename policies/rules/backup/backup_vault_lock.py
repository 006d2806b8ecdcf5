"""Backup vaults are locked in compliance mode with a minimum retention of at least 7 days (BAK-03).

Vault Lock is in compliance mode when ``changeableForDays`` is set: after
that grace period nobody, root included, can remove the lock or delete
recovery points early. Without it the lock is in governance mode and can be
removed by anyone with the IAM permission, which ransomware with admin
credentials has.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView
from policies.parameters import MIN_VAULT_LOCK_RETENTION_DAYS
from policies.rules._common.values import number, shown_number
from policies.rules._secops.backup import VAULT, VAULT_LOCK


class BackupVaultLock(StackRule):
    id = "backup_vault_lock"
    description = (
        "Every backup vault has a Vault Lock in compliance mode (changeableForDays set) with "
        f"minRetentionDays >= {MIN_VAULT_LOCK_RETENTION_DAYS}."
    )
    remediation = (
        "Add a backup.VaultLockConfiguration for the vault with changeableForDays (3 or more) and "
        f"minRetentionDays of at least {MIN_VAULT_LOCK_RETENTION_DAYS}."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        vaults = list(stack.of_type(VAULT))
        if not vaults:
            raise NotApplicable("the stack has no backup vault")
        locks: dict[str, list[ResourceView]] = {}
        for lock in stack.of_type(VAULT_LOCK):
            for vault in stack.referenced(lock, "backupVaultName", VAULT):
                locks.setdefault(vault.urn, []).append(lock)
        for vault in vaults:
            mine = locks.get(vault.urn, [])
            if not mine:
                yield Failure(
                    "has no Vault Lock (no backup.VaultLockConfiguration)",
                    "a VaultLockConfiguration with changeableForDays set and minRetentionDays >="
                    f" {MIN_VAULT_LOCK_RETENTION_DAYS}",
                    vault.urn,
                )
            for lock in mine:
                if number(lock.props.get("changeableForDays")) is None:
                    yield Failure(
                        "changeableForDays is not set (governance mode: the lock can be removed)",
                        "changeableForDays set (compliance mode)",
                        lock.urn,
                    )
                minimum = number(lock.props.get("minRetentionDays"))
                if minimum is None or minimum < MIN_VAULT_LOCK_RETENTION_DAYS:
                    shown = "not set" if minimum is None else shown_number(minimum)
                    yield Failure(
                        f"minRetentionDays is {shown}",
                        f"minRetentionDays >= {MIN_VAULT_LOCK_RETENTION_DAYS}",
                        lock.urn,
                    )
