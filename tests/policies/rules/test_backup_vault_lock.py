import pytest
from pulumi_policy.proxy import UNKNOWN_NUMBER_VALUE

from tests.policies.rules._fixtures_backup import VAULT, VAULT_LOCK, vault, vault_lock
from tests.rulekit import messages, outcome, resource, stack

RULE = "backup_vault_lock"


def test_pass_locked_vaults():
    assert (
        outcome(RULE, stack(vault(), vault_lock(), vault("osaka", "ap-northeast-3"), vault_lock("osaka")))
        == "pass"
    )


def test_pass_lock_linked_by_literal_name_with_string_numbers():
    raw = resource(
        VAULT_LOCK,
        "l",
        {"backupVaultName": "acme-prod-tokyo", "changeableForDays": "3", "minRetentionDays": "30"},
    )
    assert outcome(RULE, stack(vault(), raw)) == "pass"


def test_fail_vault_without_lock():
    assert messages(RULE, stack(vault(), vault("osaka", "ap-northeast-3"), vault_lock())) == [
        f"{VAULT} backup-osaka: has no Vault Lock (no backup.VaultLockConfiguration); "
        "expected a VaultLockConfiguration with changeableForDays set and minRetentionDays >= 7. [BAK-03]"
    ]


def test_fail_governance_mode():
    assert messages(RULE, stack(vault(), vault_lock(changeableForDays=None))) == [
        f"{VAULT_LOCK} backup-tokyo-lock: changeableForDays is not set (governance mode: the lock can be"
        " removed); expected changeableForDays set (compliance mode). [BAK-03]"
    ]


@pytest.mark.parametrize("minimum, shown", [(1, "1"), (6.0, "6"), (None, "not set")])
def test_fail_short_min_retention(minimum, shown):
    assert messages(RULE, stack(vault(), vault_lock(minRetentionDays=minimum))) == [
        f"{VAULT_LOCK} backup-tokyo-lock: minRetentionDays is {shown}; expected minRetentionDays >= 7."
        " [BAK-03]"
    ]


def test_na_no_vault():
    assert outcome(RULE, stack(resource("aws:s3/bucket:Bucket", "b", {}))) == "n/a"


def test_unknown_min_retention_in_preview():
    assert (
        outcome(RULE, stack(vault(), vault_lock(preview=True, minRetentionDays=UNKNOWN_NUMBER_VALUE)))
        == "unknown"
    )
