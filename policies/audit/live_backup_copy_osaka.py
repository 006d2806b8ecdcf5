"""BAK-02 live: every backup rule copies to a vault in Osaka, and no copy leaves Japan."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import BACKUP_PLAN, backup_plans, region_of_arn
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget
from policies.parameters import JAPAN_REGIONS as ALLOWED_REGIONS
from policies.parameters import SECONDARY_REGION

EXPECTED = f"every backup rule copies to a vault in {SECONDARY_REGION} and nowhere outside Japan"


class LiveBackupCopyOsaka(AuditCheck):
    id = "live_backup_copy_osaka"
    description = "Every backup rule copies to Osaka; no copy leaves Japan"
    remediation = (
        "Give each backup rule a copy action to the tenant's Osaka vault and remove copies outside Japan."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            for plan in backup_plans(target, region):
                name = plan["BackupPlan"]["BackupPlanName"]
                for rule in plan["BackupPlan"].get("Rules", []):
                    regions = [
                        region_of_arn(c.get("DestinationBackupVaultArn", ""))
                        for c in rule.get("CopyActions") or []
                    ]
                    abroad = [r for r in regions if r not in ALLOWED_REGIONS]
                    if abroad:
                        wrong = f"rule {rule.get('RuleName')} copies to a vault in {abroad[0]}"
                    elif SECONDARY_REGION not in regions:
                        wrong = f"rule {rule.get('RuleName')} has no copy to {SECONDARY_REGION}"
                    else:
                        continue
                    yield AuditFailure(
                        BACKUP_PLAN, name, wrong, EXPECTED, region, plan.get("BackupPlanArn", "")
                    )
