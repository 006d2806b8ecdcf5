"""The reviewed exceptions file: one check, the types it is excepted on and a reason per entry; no blanket
skips; a malformed file is bad input naming the file, the key and what is expected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tenantctl.checkov.exceptions import EXCEPTIONS_FILE, load, parse
from tenantctl.errors import UserError

PATH = Path("policies/checkov/exceptions.yaml")
REASON = "The check demands a feature that no control of this catalog asks for, on purpose."
GOOD = {"check": "CKV_AWS_18", "types": ["aws:s3/bucket:Bucket"], "reason": REASON}


def test_the_shipped_file_loads_and_every_entry_has_a_reason() -> None:
    exceptions = load(EXCEPTIONS_FILE)
    assert exceptions
    assert all(len(e.reason) >= 40 and e.types for e in exceptions.values())


def test_a_good_entry_is_read() -> None:
    found = parse(PATH, {"exceptions": [GOOD]})
    assert found["CKV_AWS_18"].types == ("aws:s3/bucket:Bucket",)
    assert found["CKV_AWS_18"].reason == REASON


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            {**GOOD, "check": "CKV_AWS_*"},
            "policies/checkov/exceptions.yaml exceptions[0].check: 'CKV_AWS_*' is not allowed; "
            "expected a checkov AWS check ID (CKV_AWS_<n> or CKV2_AWS_<n>).",
        ),
        (
            {**GOOD, "types": []},
            "policies/checkov/exceptions.yaml exceptions[0].types: [] is not allowed; "
            "expected a non-empty list of Pulumi AWS type tokens (no blanket skips).",
        ),
        (
            {**GOOD, "types": ["*"]},
            "policies/checkov/exceptions.yaml exceptions[0].types: ['*'] is not allowed; "
            "expected a non-empty list of Pulumi AWS type tokens (no blanket skips).",
        ),
        (
            {**GOOD, "reason": "n/a"},
            "policies/checkov/exceptions.yaml exceptions[0].reason: 'n/a' is not allowed; "
            "expected why the check does not apply, at least 40 characters.",
        ),
        (
            {"check": "CKV_AWS_18", "types": ["aws:s3/bucket:Bucket"]},
            "policies/checkov/exceptions.yaml exceptions[0]: ['check', 'types'] is not allowed; "
            "expected the keys check, types, reason and optionally names.",
        ),
    ],
)
def test_a_bad_entry_is_refused_naming_the_key(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(UserError) as refused:
        parse(PATH, {"exceptions": [entry]})
    assert str(refused.value) == message


def test_a_check_listed_twice_is_refused() -> None:
    with pytest.raises(
        UserError,
        match=r"exceptions\[1\]\.check: 'CKV_AWS_18' is not allowed; expected each check listed once",
    ):
        parse(PATH, {"exceptions": [GOOD, GOOD]})


def test_other_top_level_keys_are_refused() -> None:
    with pytest.raises(UserError, match="expected one key `exceptions`, a list"):
        parse(PATH, {"exceptions": [], "skip": ["CKV_AWS_18"]})


def test_names_narrow_an_exception_to_those_resources() -> None:
    from tenantctl.checkov.exceptions import excepted

    found = parse(PATH, {"exceptions": [{**GOOD, "names": ["log-archive-bucket"]}]})
    assert excepted(found, "CKV_AWS_18", "aws:s3/bucket:Bucket", "log-archive-bucket")
    assert not excepted(found, "CKV_AWS_18", "aws:s3/bucket:Bucket", "tenant-data")
    assert not excepted(found, "CKV_AWS_18", "aws:sns/topic:Topic", "log-archive-bucket")
    with pytest.raises(UserError, match=r"exceptions\[0\]\.names: \[\] is not allowed"):
        parse(PATH, {"exceptions": [{**GOOD, "names": []}]})
