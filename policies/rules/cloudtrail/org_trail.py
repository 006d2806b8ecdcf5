"""CloudTrail trails cover every region with validated, KMS-encrypted logs; the org trail covers every account
(LOG-01)."""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView, truthy
from policies.rules._common.stacks import is_org_stack
from policies.rules._common.values import is_false

TRAIL = "aws:cloudtrail/trail:Trail"


def _state(value: object, default: str) -> str:
    return f"not set (AWS default {default})" if value is None else str(value).lower()


class OrgTrail(ResourceRule):
    id = "org_trail"
    resource_types = frozenset({TRAIL})
    description = (
        "A CloudTrail trail is multi-region, includes global service events, validates log files and "
        "encrypts with KMS; in the org stack it is an organization trail."
    )
    remediation = (
        "Set isMultiRegionTrail, enableLogFileValidation and (in the org stack) isOrganizationTrail to true, "
        "leave includeGlobalServiceEvents on, and set kmsKeyId to a customer-managed key."
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        props = resource.props
        multi_region = props.get("isMultiRegionTrail")
        if not truthy(multi_region):
            yield Failure(f"isMultiRegionTrail is {_state(multi_region, 'false')}", "isMultiRegionTrail true")
        validation = props.get("enableLogFileValidation")
        if not truthy(validation):
            yield Failure(
                f"enableLogFileValidation is {_state(validation, 'false')}", "enableLogFileValidation true"
            )
        kms_key = props.get("kmsKeyId")
        if not (isinstance(kms_key, str) and kms_key.strip()):
            yield Failure(
                "kmsKeyId is not set (logs use SSE-S3)", "kmsKeyId set to a customer-managed KMS key"
            )
        if is_false(props.get("includeGlobalServiceEvents")):
            yield Failure(
                "includeGlobalServiceEvents is false (IAM, STS and other global API calls go unrecorded)",
                "includeGlobalServiceEvents true or not set",
            )
        if is_org_stack(resource.stack):
            organization = props.get("isOrganizationTrail")
            if not truthy(organization):
                yield Failure(
                    f"isOrganizationTrail is {_state(organization, 'false')} in the org stack",
                    "isOrganizationTrail true (one trail for every account of the organization)",
                )
