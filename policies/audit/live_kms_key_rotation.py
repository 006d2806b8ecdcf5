"""ENC-02 live: automatic rotation on for every enabled symmetric customer-managed key, in both regions.

Only symmetric encryption keys support automatic rotation:
https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import KMS_KEY, customer_keys
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget


class LiveKmsKeyRotation(AuditCheck):
    id = "live_kms_key_rotation"
    description = "Every enabled symmetric customer-managed key rotates automatically"
    remediation = (
        "Turn automatic rotation back on (kms:EnableKeyRotation) for the key; or redeploy the tenant stack."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            kms = target.client("kms", region)
            for key in customer_keys(target, region):
                if (
                    key.get("KeyState") != "Enabled"
                    or key.get("KeySpec", "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT"
                ):
                    continue
                if not kms.get_key_rotation_status(KeyId=key["KeyId"]).get("KeyRotationEnabled"):
                    yield AuditFailure(
                        KMS_KEY,
                        key["KeyId"],
                        "automatic rotation is off",
                        "automatic rotation on",
                        region,
                        key["Arn"],
                    )
