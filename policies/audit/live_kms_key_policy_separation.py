"""ENC-02 live: each customer-managed key's deployed policy separates administration from use, judged
by the gate rule's own reading of a key policy (``kms_key_policy_separation.policy_problems``): no principal
both manages the key and uses it, no kms:* grant (not even to the account root), grants limited by
kms:ViaService are not use, unconditional denies and account-root delegation are taken into account.

Key policy elements: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import KMS_KEY, customer_keys
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget
from policies.rules.kms.kms_key_policy_separation import EXPECTED, policy_problems


class LiveKmsKeyPolicySeparation(AuditCheck):
    id = "live_kms_key_policy_separation"
    description = "Key policies separate key administration from key use"
    remediation = (
        "Restore the key policy with one statement for the key-administrator role (no Encrypt, Decrypt or "
        "GenerateDataKey*) and another for key users (no PutKeyPolicy, ScheduleKeyDeletion or DisableKey)."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            kms = target.client("kms", region)
            for key in customer_keys(target, region):
                text = kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"]
                for wrong in policy_problems(text, "policy"):
                    yield AuditFailure(KMS_KEY, key["KeyId"], wrong, EXPECTED, region, key["Arn"])
