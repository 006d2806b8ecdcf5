"""LOG-01 live, from the management account: an organization trail covering every region is logging, with
log file validation and KMS encryption."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import ACCOUNT
from policies.audit._base import ORGANIZATION, AuditCheck, AuditFailure, AuditTarget

TRAIL = "AWS::CloudTrail::Trail"
EXPECTED = "a logging organization trail over every region with log file validation and KMS encryption"


class LiveOrgTrail(AuditCheck):
    id = "live_org_trail"
    description = "The organization trail is logging, multi-region, validated and encrypted"
    remediation = (
        "Restart logging on the organization trail (cloudtrail:StartLogging) or run pulumi up on the org"
        " stack."
    )
    scope = ORGANIZATION

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        region = target.regions[0]
        cloudtrail = target.client("cloudtrail", region)
        trails = [
            t for t in cloudtrail.describe_trails().get("trailList", []) if t.get("IsOrganizationTrail")
        ]
        if not trails:
            yield AuditFailure(ACCOUNT, target.account_id, "has no organization trail", EXPECTED, region)
            return
        for trail in trails:
            status = cloudtrail.get_trail_status(Name=trail["TrailARN"])
            if not status.get("IsLogging"):
                wrong = "is not logging"
            elif not trail.get("IsMultiRegionTrail"):
                wrong = "covers one region only"
            elif not trail.get("LogFileValidationEnabled"):
                wrong = "has log file validation off"
            elif not trail.get("KmsKeyId"):
                wrong = "is not encrypted with a KMS key"
            else:
                return
            yield AuditFailure(TRAIL, trail["Name"], wrong, EXPECTED, region, trail["TrailARN"])
