"""VUL-01 live: Amazon Inspector scans EC2, ECR and Lambda in both regions of the tenant account."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import ACCOUNT
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget

RESOURCE_TYPES = ("ec2", "ecr", "lambda")


class LiveInspectorCoverage(AuditCheck):
    id = "live_inspector_coverage"
    description = "Inspector scans EC2, ECR and Lambda in both regions"
    remediation = (
        "Enable Inspector for EC2, ECR and Lambda in the region (inspector2:Enable), from the delegated"
        " administrator."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            accounts = (
                target.client("inspector2", region)
                .batch_get_account_status(accountIds=[target.account_id])
                .get("accounts", [])
            )
            state = accounts[0].get("resourceState", {}) if accounts else {}
            off = [t for t in RESOURCE_TYPES if (state.get(t) or {}).get("status") != "ENABLED"]
            if off:
                yield AuditFailure(
                    ACCOUNT,
                    target.account_id,
                    f"Inspector does not scan {', '.join(off)} in {region}",
                    "Inspector scanning ec2, ecr and lambda in both regions",
                    region,
                )
