"""LOG-03 live: GuardDuty, Security Hub and AWS Config recording are on in both Japanese regions."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import ACCOUNT
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget, error_code


class LiveDetectionServices(AuditCheck):
    id = "live_detection_services"
    description = "GuardDuty, Security Hub and Config recording are on in both regions"
    remediation = (
        "Re-enable the service in the region (GuardDuty detector ENABLED, Security Hub enabled, Config"
        " recorder started); the organization's delegated administrator in the security account can do it for"
        " members."
    )

    def _guardduty(self, target: AuditTarget, region: str) -> str:
        guardduty = target.client("guardduty", region)
        detectors = guardduty.list_detectors().get("DetectorIds", [])
        if not detectors:
            return "GuardDuty has no detector"
        if not any(guardduty.get_detector(DetectorId=d).get("Status") == "ENABLED" for d in detectors):
            return "GuardDuty detector is disabled"
        return ""

    def _security_hub(self, target: AuditTarget, region: str) -> str:
        try:
            target.client("securityhub", region).describe_hub()
        except Exception as error:
            if error_code(error) in ("InvalidAccessException", "ResourceNotFoundException"):
                return "Security Hub is not enabled"
            raise
        return ""

    def _config(self, target: AuditTarget, region: str) -> str:
        statuses = (
            target.client("config", region)
            .describe_configuration_recorder_status()
            .get("ConfigurationRecordersStatus", [])
        )
        if not statuses:
            return "AWS Config has no configuration recorder"
        if not any(s.get("recording") for s in statuses):
            return "AWS Config recorder is stopped"
        return ""

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            for probe in (self._guardduty, self._security_hub, self._config):
                wrong = probe(target, region)
                if wrong:
                    yield AuditFailure(
                        ACCOUNT,
                        target.account_id,
                        f"{wrong} in {region}",
                        "GuardDuty, Security Hub and Config recording on in both regions",
                        region,
                    )
