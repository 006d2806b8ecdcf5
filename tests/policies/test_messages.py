"""The one message format, and the places that must speak it."""

from __future__ import annotations

from components.errors import InputProblem
from policies.framework import Failure, format_message
from policies.messages import message
from tenancy.spec import problem


def test_the_format_with_and_without_a_control() -> None:
    assert message("aws:s3/bucket:Bucket logs", "is public", "a private bucket", "RES-02") == (
        "aws:s3/bucket:Bucket logs: is public; expected a private bucket. [RES-02]"
    )
    assert (
        message("--stack", "'x' is unknown", "one of a, b")
        == "--stack: 'x' is unknown; expected one of a, b."
    )


def test_findings_component_and_spec_problems_share_it() -> None:
    failure = Failure("is public", "a private bucket", "urn")
    assert format_message("aws:s3/bucket:Bucket", "logs", failure, "RES-02") == message(
        "aws:s3/bucket:Bucket logs", "is public", "a private bucket", "RES-02"
    )
    assert InputProblem("rate_limit = 1", "at least 10", "EDGE-01").line("EdgeProtection", "edge") == message(
        "EdgeProtection edge", "rate_limit = 1", "at least 10", "EDGE-01"
    )
    assert problem("logRetentionDays", "30 is short", "at least 365", "LOG-02") == message(
        "tenant-zone:tenant.logRetentionDays", "30 is short", "at least 365", "LOG-02"
    )
