"""ECR repositories scan images on push and keep tags immutable (VUL-01).

AWS defaults are the unsafe ones: ``scanOnPush`` false and
``imageTagMutability`` MUTABLE. ``IMMUTABLE_WITH_EXCLUSION`` leaves the
excluded tags mutable, so it does not count as immutable.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView, dig, truthy

REPOSITORY = "aws:ecr/repository:Repository"


class EcrScanImmutable(ResourceRule):
    id = "ecr_scan_immutable"
    resource_types = frozenset({REPOSITORY})
    description = "ECR repositories scan images on push and use immutable image tags."
    remediation = "Set imageScanningConfiguration.scanOnPush true and imageTagMutability IMMUTABLE."

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        scan = dig(resource.props.get("imageScanningConfiguration"), "scanOnPush")
        if not truthy(scan):
            state = "not set (AWS default false)" if scan is None else str(scan).lower()
            yield Failure(
                f"imageScanningConfiguration.scanOnPush is {state}",
                "imageScanningConfiguration.scanOnPush true",
            )
        mutability = resource.props.get("imageTagMutability")
        if str(mutability or "").upper() != "IMMUTABLE":
            state = "not set (AWS default MUTABLE)" if mutability is None else str(mutability)
            yield Failure(f"imageTagMutability is {state}", "imageTagMutability IMMUTABLE")
