import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource, stack, urn

DETECTOR = "aws:guardduty/detector:Detector"
FEATURE = "aws:guardduty/detectorFeature:DetectorFeature"
RULE = "guardduty_detector"
DETECTOR_URN = urn(DETECTOR, "gd-tokyo")


def detector(preview=False, **props):
    return resource(DETECTOR, "gd-tokyo", {"enable": True, **props}, preview=preview)


def feature(name, status="ENABLED", linked=True, region="ap-northeast-1", preview=False):
    return resource(
        FEATURE,
        f"gd-tokyo-{name.lower()}",
        {"detectorId": "d-123", "name": name, "status": status},
        prop_deps={"detectorId": [DETECTOR_URN]} if linked else None,
        region=region,
        preview=preview,
    )


def features(**overrides):
    return [feature(name, **overrides) for name in ("S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION")]


def test_pass_detector_with_features():
    assert outcome(RULE, stack(detector(), *features())) == "pass"


def test_pass_legacy_datasources_written_as_lists_and_strings():
    datasources = {
        "s3Logs": [{"enable": "true"}],
        "malwareProtection": {"scanEc2InstanceWithFindings": {"ebsVolumes": [{"enable": True}]}},
    }
    assert outcome(RULE, stack(detector(enable=None, datasources=datasources))) == "pass"


def test_pass_unlinked_features_belong_to_the_regions_only_detector():
    assert outcome(RULE, stack(detector(), *features(linked=False))) == "pass"


def test_fail_unlinked_feature_in_other_region_does_not_count():
    osaka = [
        feature("S3_DATA_EVENTS", linked=False, region="ap-northeast-3"),
        feature("EBS_MALWARE_PROTECTION"),
    ]
    assert messages(RULE, stack(detector(), *osaka)) == [
        f"{DETECTOR} gd-tokyo: has no S3 protection: no DetectorFeature S3_DATA_EVENTS and"
        " datasources.s3Logs.enable is not true; expected a DetectorFeature S3_DATA_EVENTS with status"
        " ENABLED. [LOG-03]"
    ]


def test_fail_detector_disabled():
    assert messages(RULE, stack(detector(enable="false"), *features())) == [
        f"{DETECTOR} gd-tokyo: enable is false (the detector is suspended); expected enable true or not set."
        " [LOG-03]"
    ]


def test_fail_feature_disabled():
    view = stack(detector(), feature("S3_DATA_EVENTS", status="DISABLED"), feature("EBS_MALWARE_PROTECTION"))
    assert messages(RULE, view) == [
        f"{FEATURE} gd-tokyo-s3_data_events: S3_DATA_EVENTS status is DISABLED (S3 protection off); "
        "expected status ENABLED for S3_DATA_EVENTS. [LOG-03]"
    ]


def test_fail_disabled_feature_overrides_legacy_datasource():
    view = stack(
        detector(datasources={"s3Logs": {"enable": True}}),
        feature("S3_DATA_EVENTS", status="DISABLED"),
        feature("EBS_MALWARE_PROTECTION"),
    )
    assert messages(RULE, view) == [
        f"{FEATURE} gd-tokyo-s3_data_events: S3_DATA_EVENTS status is DISABLED (S3 protection off); "
        "expected status ENABLED for S3_DATA_EVENTS. [LOG-03]"
    ]


def test_fail_no_malware_protection():
    assert messages(RULE, stack(detector(), feature("S3_DATA_EVENTS"))) == [
        f"{DETECTOR} gd-tokyo: has no malware protection for EC2: no DetectorFeature EBS_MALWARE_PROTECTION"
        " and datasources.malwareProtection.scanEc2InstanceWithFindings.ebsVolumes.enable is not true;"
        " expected a DetectorFeature EBS_MALWARE_PROTECTION with status ENABLED. [LOG-03]"
    ]


def test_fail_legacy_s3_logs_off():
    view = stack(detector(datasources={"s3Logs": {"enable": False}}), feature("EBS_MALWARE_PROTECTION"))
    assert messages(RULE, view) == [
        f"{DETECTOR} gd-tokyo: has no S3 protection: no DetectorFeature S3_DATA_EVENTS and"
        " datasources.s3Logs.enable is not true; expected a DetectorFeature S3_DATA_EVENTS with status"
        " ENABLED. [LOG-03]"
    ]


def test_na_no_detector():
    assert outcome(RULE, stack(resource("aws:s3/bucket:Bucket", "b", {}))) == "n/a"


@pytest.mark.parametrize("which", ["enable", "status"])
def test_unknown_in_preview(which):
    if which == "enable":
        view = stack(detector(preview=True, enable=UNKNOWN_BOOLEAN_VALUE), *features())
    else:
        view = stack(
            detector(),
            feature("S3_DATA_EVENTS", status=UNKNOWN_STRING_VALUE, preview=True),
            feature("EBS_MALWARE_PROTECTION"),
        )
    assert outcome(RULE, view) == "unknown"
