"""EventBridge pattern matching as incident_routing relies on it (content filters, arrays, missing fields)."""

import pytest

from policies.rules._secops.event_patterns import PatternError, load, matches

EVENT = {
    "source": "aws.guardduty",
    "detail-type": "GuardDuty Finding",
    "detail": {"severity": 8, "type": "Recon:EC2/Portscan", "tags": ["a", "b"], "region": "ap-northeast-1"},
}


@pytest.mark.parametrize(
    "pattern, expected",
    [
        ({"detail": {"type": [{"prefix": "Recon:"}]}}, True),
        ({"detail": {"type": [{"prefix": {"equals-ignore-case": "recon:"}}]}}, True),
        ({"detail": {"type": [{"suffix": "/Portscan"}]}}, True),
        ({"detail": {"type": [{"suffix": "/Other"}]}}, False),
        ({"detail-type": [{"equals-ignore-case": "guardduty finding"}]}, True),
        ({"detail": {"type": [{"wildcard": "Recon:*"}]}}, True),
        ({"detail": {"type": [{"wildcard": "Recon:?C2*"}]}}, False),  # ? is literal in EventBridge wildcards
        ({"detail": {"region": [{"anything-but": ["us-east-1"]}]}}, True),
        ({"detail": {"region": [{"anything-but": {"prefix": "ap-"}}]}}, False),
        ({"detail": {"severity": [{"numeric": [">=", 7, "<", 9]}]}}, True),
        ({"detail": {"severity": [{"numeric": [">", 8]}]}}, False),
        ({"detail": {"severity": [{"numeric": [">="]}]}}, False),
        ({"detail": {"severity": [8.0]}}, True),
        ({"detail": {"tags": ["b"]}}, True),
        ({"detail": {"tags": [{"prefix": "c"}]}}, False),
        ({"detail": {"missing": [{"exists": False}]}}, True),
        ({"detail": {"missing": [{"exists": True}]}}, False),
        ({"detail": {"missing": [{"prefix": "x"}]}}, False),
        ({"detail": {"missing": ["x"]}}, False),
        ({"detail": {"type": [{"unknown-operator": 1}]}}, False),
        ({"$or": [{"source": ["aws.securityhub"]}, {"detail": {"severity": [8]}}]}, True),
        ({"$or": [{"source": ["aws.securityhub"]}]}, False),
        ({"detail": {"nested": {"deeper": ["x"]}}}, False),
    ],
)
def test_matches(pattern, expected):
    assert matches(pattern, EVENT) is expected


@pytest.mark.parametrize(
    "value, error",
    [
        ("{", "is not valid JSON (Expecting property name enclosed in double quotes)"),
        ("[]", "is not a non-empty JSON object"),
        ({}, "is not a non-empty JSON object"),
    ],
)
def test_load_rejects_what_eventbridge_rejects(value, error):
    with pytest.raises(PatternError) as raised:
        load(value)
    assert str(raised.value) == error


def test_load_accepts_strings_and_objects():
    assert load('{"source": ["aws.guardduty"]}') == {"source": ["aws.guardduty"]}
    assert load({"source": ["x"]}) == {"source": ["x"]}
    assert load(None) is None and load(" ") is None
