import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE

from policies.framework import NotApplicable
from tests.policies.rules._fixtures_data import tenant_resource
from tests.rulekit import messages, outcome

RULE = "config_records_everything"
RECORDER = "aws:cfg/recorder:Recorder"
EXPECTED = "expected recordingGroup allSupported true, recording every supported resource type. [LOG-03]"


def recorder(group=None):
    props = {"roleArn": "arn:aws:iam::111111111111:role/config"}
    if group is not None:
        props["recordingGroup"] = group
    return tenant_resource(RECORDER, "config", props)


def test_pass_default_and_all_supported():
    assert outcome(RULE, recorder()) == "pass"
    assert outcome(RULE, recorder({"allSupported": True, "includeGlobalResourceTypes": True})) == "pass"
    assert (
        outcome(RULE, recorder({"recordingStrategy": {"useOnly": "ALL_SUPPORTED_RESOURCE_TYPES"}})) == "pass"
    )


def test_fail_subset_of_types():
    group = {"allSupported": False, "resourceTypes": ["AWS::S3::Bucket", "AWS::EC2::Instance"]}
    assert messages(RULE, recorder(group)) == [
        f"{RECORDER} config: recordingGroup.allSupported is false (records only 2 listed resource type(s)); "
        f"{EXPECTED}"
    ]


def test_fail_exclusion_strategy():
    group = {
        "allSupported": False,
        "exclusionByResourceTypes": {"resourceTypes": ["AWS::IAM::Role"]},
        "recordingStrategy": {"useOnly": "EXCLUSION_BY_RESOURCE_TYPES"},
    }
    assert messages(RULE, recorder(group)) == [
        (
            f"{RECORDER} config: recordingGroup.allSupported is false (records only 0 listed resource"
            f" type(s)); {EXPECTED}"
        ),
        (
            f"{RECORDER} config: recordingGroup.recordingStrategy.useOnly is EXCLUSION_BY_RESOURCE_TYPES;"
            f" {EXPECTED}"
        ),
        f"{RECORDER} config: recordingGroup excludes AWS::IAM::Role; {EXPECTED}",
    ]


def test_na_other_types():
    with pytest.raises(NotApplicable):
        messages(RULE, tenant_resource("aws:s3/bucket:Bucket", "b", {}))


def test_unknown_in_preview():
    resource = tenant_resource(
        RECORDER, "config", {"recordingGroup": {"allSupported": UNKNOWN_BOOLEAN_VALUE}}, preview=True
    )
    assert outcome(RULE, resource) == "unknown"
