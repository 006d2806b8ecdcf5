"""GuardDuty detectors are on, with S3 protection and EC2 malware protection (LOG-03).

Each protection can be switched on in the detector's legacy ``datasources``
block or, as AWS now recommends, by a separate ``DetectorFeature``
(``S3_DATA_EVENTS``, ``EBS_MALWARE_PROTECTION``). A feature belongs to the
detector its ``detectorId`` points at; when that cannot be traced (a literal
ID in a raw program) the only detector of the feature's region is meant, since
an account has at most one detector per region.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, dig, truthy
from policies.rules._common.values import is_false

DETECTOR = "aws:guardduty/detector:Detector"
FEATURE = "aws:guardduty/detectorFeature:DetectorFeature"

# feature name -> (legacy datasources path, what it protects)
PROTECTIONS = {
    "S3_DATA_EVENTS": (("s3Logs", "enable"), "S3 protection"),
    "EBS_MALWARE_PROTECTION": (
        ("malwareProtection", "scanEc2InstanceWithFindings", "ebsVolumes", "enable"),
        "malware protection for EC2",
    ),
}


def _features_by_detector(stack: StackView, detectors: list[ResourceView]) -> dict[str, list[ResourceView]]:
    by_region: dict[str | None, list[ResourceView]] = {}
    for detector in detectors:
        by_region.setdefault(detector.region, []).append(detector)
    found: dict[str, list[ResourceView]] = {}
    for feature in stack.of_type(FEATURE):
        owners = stack.referenced(feature, "detectorId", DETECTOR)
        if not owners and len(by_region.get(feature.region, [])) == 1:
            owners = by_region[feature.region]
        for owner in owners:
            found.setdefault(owner.urn, []).append(feature)
    return found


class GuarddutyDetector(StackRule):
    id = "guardduty_detector"
    description = (
        "Every GuardDuty detector is enabled, with S3 protection (S3_DATA_EVENTS) and malware protection "
        "for EC2 (EBS_MALWARE_PROTECTION) on."
    )
    remediation = (
        "Leave `enable` on and add DetectorFeature resources S3_DATA_EVENTS and EBS_MALWARE_PROTECTION with "
        "status ENABLED (or datasources.s3Logs.enable and "
        "datasources.malwareProtection.scanEc2InstanceWithFindings.ebsVolumes.enable true)."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        detectors = list(stack.of_type(DETECTOR))
        if not detectors:
            raise NotApplicable("the stack has no GuardDuty detector")
        features = _features_by_detector(stack, detectors)
        for detector in detectors:
            if is_false(detector.props.get("enable")):
                yield Failure(
                    "enable is false (the detector is suspended)", "enable true or not set", detector.urn
                )
            mine = features.get(detector.urn, [])
            for name, (path, what) in PROTECTIONS.items():
                named = [f for f in mine if str(f.props.get("name", "")).upper() == name]
                feature_on = [f for f in named if str(f.props.get("status", "")).upper() == "ENABLED"]
                if feature_on:
                    continue
                if not named and truthy(dig(detector.props.get("datasources"), *path)):
                    continue
                if named:
                    for feature in named:
                        yield Failure(
                            f"{name} status is {feature.props.get('status')!s} ({what} off)",
                            f"status ENABLED for {name}",
                            feature.urn,
                        )
                else:
                    yield Failure(
                        f"has no {what}: no DetectorFeature {name} and datasources.{'.'.join(path)} is not"
                        " true",
                        f"a DetectorFeature {name} with status ENABLED",
                        detector.urn,
                    )
