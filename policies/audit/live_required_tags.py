"""TEN-04 live: every resource the Resource Groups Tagging API lists in the tenant's regions carries
``tenant``, ``environment``, ``data-classification`` (one of the classifications) and ``managed-by``.

GetResources lists only resources that have or once had tags
(https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html): a resource
whose tags were edited away is found, one never tagged at all is not (the gate's tags_required judges what
the stacks create).
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import KMS_KEY, LOAD_BALANCER, S3_BUCKET
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget
from policies.rules.general.tags_required import CLASSIFICATIONS, REQUIRED_TAGS

EXPECTED = f"the tags {', '.join(REQUIRED_TAGS)} with data-classification one of {', '.join(CLASSIFICATIONS)}"


KNOWN_TYPES = {"kms:key": KMS_KEY, "elasticloadbalancing:loadbalancer": LOAD_BALANCER}


def _resource_type(arn: str) -> str:
    """The CloudFormation type of a few well-known ARNs, else ``AWS::<service>::<resource>`` as far as the
    ARN says it."""
    parts = arn.split(":", 5)
    service = parts[2] if len(parts) > 2 else "?"
    if service == "s3" and "/" not in arn:
        return S3_BUCKET
    resource = parts[5] if len(parts) > 5 else ""
    kind = resource.split("/", 1)[0].split(":", 1)[0] if ("/" in resource or ":" in resource) else "resource"
    return KNOWN_TYPES.get(f"{service}:{kind}", f"AWS::{service}::{kind}")


class LiveRequiredTags(AuditCheck):
    id = "live_required_tags"
    description = "Tagged resources carry tenant, environment, data-classification and managed-by"
    remediation = (
        "Tag the resource (tag:TagResources) with tenant, environment, data-classification and managed-by;"
        " or redeploy the tenant stack, whose components set them."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        seen: set[str] = set()  # global resources (buckets) may be listed in more than one region
        for region in target.regions:
            tagging = target.client("resourcegroupstaggingapi", region)
            for page in tagging.get_paginator("get_resources").paginate():
                for mapping in page.get("ResourceTagMappingList", []):
                    arn = mapping["ResourceARN"]
                    if arn in seen:
                        continue
                    seen.add(arn)
                    tags = {t["Key"]: t["Value"] for t in mapping.get("Tags", [])}
                    missing = [key for key in REQUIRED_TAGS if not tags.get(key)]
                    classification = tags.get("data-classification")
                    if missing:
                        wrong = f"lacks the tags {', '.join(missing)}"
                    elif classification not in CLASSIFICATIONS:
                        wrong = f"has data-classification {classification!r}"
                    else:
                        continue
                    name = arn.rsplit("/", 1)[-1] if "/" in arn else arn.rsplit(":", 1)[-1]
                    yield AuditFailure(_resource_type(arn), name, wrong, EXPECTED, region, arn)
