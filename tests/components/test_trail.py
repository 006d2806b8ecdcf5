"""OrganizationTrail: every account and region, log file validation, KMS, delivery to the log archive."""

from __future__ import annotations

from typing import Any

import pytest

from components.errors import ComponentInputError
from components.trail import OrganizationTrail, OrganizationTrailArgs
from tests.pulumi_mocks import assert_all_under, run

LOG_ARCHIVE_ACCOUNT = "222222222222"


def build_trail(**overrides: object) -> OrganizationTrail:
    values: dict[str, Any] = {
        "bucket_name": "log-archive-bucket",
        "kms_key_arn": f"arn:aws:kms:ap-northeast-1:{LOG_ARCHIVE_ACCOUNT}:key/abc",
    }
    values.update(overrides)
    return OrganizationTrail("org-trail", OrganizationTrailArgs(**values))


def test_trail_covers_the_organization_with_validation_and_kms() -> None:
    result = run(build_trail)
    assert_all_under(result, result.one("tenant-zone:trail:OrganizationTrail").urn)
    trail = result.one("aws:cloudtrail/trail:Trail")
    assert trail.inputs["name"] == "tz-organization-trail"
    assert trail.inputs["isOrganizationTrail"] is True
    assert trail.inputs["isMultiRegionTrail"] is True
    assert trail.inputs["includeGlobalServiceEvents"] is True
    assert trail.inputs["enableLogFileValidation"] is True
    assert trail.inputs["enableLogging"] is True
    assert trail.inputs["kmsKeyId"] == f"arn:aws:kms:ap-northeast-1:{LOG_ARCHIVE_ACCOUNT}:key/abc"
    assert trail.inputs["s3BucketName"] == "log-archive-bucket"
    assert trail.inputs["eventSelectors"] == [{"readWriteType": "All", "includeManagementEvents": True}]
    assert trail.protect is True
    assert (
        result.resolve(result.value.trail_arn)
        == "arn:aws:cloudtrail:ap-northeast-1:111111111111:trail/tz-organization-trail"
    )


def test_trail_name_validation() -> None:
    with pytest.raises(ComponentInputError) as caught:
        run(lambda: build_trail(trail_name="a b"))
    assert (
        str(caught.value)
        == "OrganizationTrail org-trail: trail_name = 'a b' is not a valid trail name; expected 3-128"
        " letters, digits, '.', '_' or '-', starting with a letter or digit. [LOG-01]"
    )


def test_tags_and_trail_name_are_reflected() -> None:
    result = run(lambda: build_trail(trail_name="org-audit-trail", tags={"cost-center": "platform"}))
    trail = result.one("aws:cloudtrail/trail:Trail")
    assert trail.inputs["name"] == "org-audit-trail"
    assert trail.tags == {"cost-center": "platform"}
