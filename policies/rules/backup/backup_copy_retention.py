"""The Osaka copy of a backup is kept as long as the backup itself (BAK-02).

``backup_copy_osaka`` checks that every plan rule copies to the other Japanese region; a copy whose
``lifecycle.deleteAfter`` is shorter than the rule's own retention (or than BAK-01's minimum)
disappears while the primary recovery point is still owed, so after losing Tokyo the tenant has less
history than promised. A copy without a lifecycle keeps the recovery point's own lifecycle, which
AWS Backup applies to the copy: https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from policies.framework import Failure, ResourceRule, ResourceView, as_list, dig
from policies.parameters import MIN_BACKUP_RETENTION_DAYS
from policies.rules._common.values import number, shown_number
from policies.rules._secops.backup import PLAN, plan_rules


class BackupCopyRetention(ResourceRule):
    id = "backup_copy_retention"
    resource_types = frozenset({PLAN})
    description = (
        "Every copy action of an AWS Backup plan rule keeps the copy at least as long as the rule keeps the "
        f"recovery point, and at least {MIN_BACKUP_RETENTION_DAYS} days."
    )
    remediation = (
        "Set each copyAction's lifecycle.deleteAfter to at least the rule's lifecycle.deleteAfter (and at"
        f" least {MIN_BACKUP_RETENTION_DAYS} days), or leave it unset so the copy keeps the recovery point's"
        " lifecycle."
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        for label, rule in plan_rules(resource):
            raw_primary = dig(rule, "lifecycle", "deleteAfter")
            primary = number(raw_primary)
            needed = max(primary, MIN_BACKUP_RETENTION_DAYS) if primary is not None else None
            for index, copy in enumerate(as_list(rule.get("copyActions"))):
                if not isinstance(copy, Mapping):
                    continue
                raw = dig(copy, "lifecycle", "deleteAfter")
                if raw is None:
                    continue
                days = number(raw)
                where = f"{label} copyActions[{index}].lifecycle.deleteAfter"
                if days is None:
                    yield Failure(f"{where} is {raw!r}", "a number of days")
                elif needed is None:
                    # The recovery point is never deleted; a copy that expires is the shorter history.
                    yield Failure(
                        f"{where} is {shown_number(days)} days while the recovery point is kept indefinitely",
                        "no copy lifecycle (the copy keeps the recovery point's), or no deletion",
                    )
                elif days < needed:
                    yield Failure(
                        f"{where} is {shown_number(days)} days, shorter than the {shown_number(needed)} days "
                        "the recovery point is owed",
                        f"lifecycle.deleteAfter >= {shown_number(needed)} days for the copy",
                    )
