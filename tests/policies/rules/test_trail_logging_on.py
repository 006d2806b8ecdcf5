import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE

from policies.framework import NotApplicable
from tests.policies.rules._fixtures_data import tenant_resource
from tests.rulekit import messages, outcome

RULE = "trail_logging_on"
TRAIL = "aws:cloudtrail/trail:Trail"
BASE = {"isMultiRegionTrail": True, "enableLogFileValidation": True, "kmsKeyId": "arn:aws:kms:k"}


def trail(**changes):
    return tenant_resource(TRAIL, "audit", {**BASE, **changes})


def test_pass_defaults_and_full_selectors():
    assert outcome(RULE, trail()) == "pass"
    assert (
        outcome(
            RULE,
            trail(
                enableLogging=True, eventSelectors=[{"includeManagementEvents": True, "readWriteType": "All"}]
            ),
        )
        == "pass"
    )
    management = {"name": "mgmt", "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}
    assert outcome(RULE, trail(advancedEventSelectors=[management])) == "pass"


def test_fail_logging_off():
    assert messages(RULE, trail(enableLogging=False)) == [
        f"{TRAIL} audit: enableLogging is false (the trail records nothing); expected enableLogging true or"
        " not set. [LOG-01]"
    ]


def test_fail_management_events_excluded():
    assert messages(
        RULE, trail(eventSelectors=[{"includeManagementEvents": False, "readWriteType": "All"}])
    ) == [
        f"{TRAIL} audit: every event selector sets includeManagementEvents false (API calls go unrecorded); "
        "expected an event selector with includeManagementEvents true. [LOG-01]"
    ]


def test_fail_writes_only():
    assert messages(
        RULE, trail(eventSelectors=[{"includeManagementEvents": True, "readWriteType": "WriteOnly"}])
    ) == [
        f"{TRAIL} audit: management events are recorded as readWriteType WriteOnly only; expected"
        " readWriteType All for management events. [LOG-01]"
    ]


def test_fail_advanced_selectors_narrowing_management_events():
    narrowed = {
        "fieldSelectors": [
            {"field": "eventCategory", "equals": ["Management"]},
            {"field": "readOnly", "equals": ["false"]},
        ]
    }
    assert messages(RULE, trail(advancedEventSelectors=[narrowed])) == [
        f"{TRAIL} audit: advancedEventSelectors keep no selector of every management event; expected an"
        " advanced event selector whose only field is eventCategory = Management. [LOG-01]"
    ]


def test_na_other_types():
    with pytest.raises(NotApplicable):
        messages(RULE, tenant_resource("aws:s3/bucket:Bucket", "b", {}))


def test_unknown_logging_flag_in_preview():
    resource = tenant_resource(TRAIL, "audit", {**BASE, "enableLogging": UNKNOWN_BOOLEAN_VALUE}, preview=True)
    assert outcome(RULE, resource) == "unknown"
