"""The catalog's coverage table: every seed requirement has a status, its quote is verbatim, and bad rows
are refused one line each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from policies.catalog import SEEDS_DIR, CatalogError, load_catalog
from policies.coverage import COVERED, MANUAL, OUT_OF_SCOPE, load_coverage, summary

GOOD = {
    "document": "002",
    "section": "3.7 クロック同期",
    "quote": "信頼性の高いNTPサービス(Amazon Time Sync Service)を使用してクロック同期を実施しています。",
    "status": OUT_OF_SCOPE,
    "reason": "Amazon Time Sync is the default time source of every instance.",
}


def load(tmp_path: Path, *entries: Any, seeds: Path | None = None) -> list[Any]:
    path = tmp_path / "coverage.yaml"
    path.write_text(yaml.safe_dump({"requirements": list(entries)}, allow_unicode=True), encoding="utf-8")
    return load_coverage(load_catalog(), path, seeds_dir=seeds)


def problems(tmp_path: Path, entry: Any) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load(tmp_path, entry)
    return caught.value.problems


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the seed documents live beside the repository")
def test_the_table_loads_with_every_quote_verbatim() -> None:
    rows = load_coverage(load_catalog(), seeds_dir=SEEDS_DIR)
    counts = summary(rows)
    assert set(counts) == {COVERED, MANUAL, OUT_OF_SCOPE} and all(counts.values())
    assert {row.document for row in rows} == {"000", "001", "002", "003", "004"}
    assert all(row.reason for row in rows if row.status in (MANUAL, OUT_OF_SCOPE))


def test_every_control_source_is_a_covered_or_manual_row() -> None:
    rows = load_coverage(load_catalog())
    catalog_rows = {(row.controls, row.quote) for row in rows if row.origin == "catalog"}
    sources = {((c.id,), s.quote) for c in load_catalog().values() for s in c.sources}
    assert catalog_rows == sources
    by_control = {row.controls[0]: row.status for row in rows if row.origin == "catalog"}
    assert by_control["ENC-05"] == COVERED and by_control["LOG-07"] == MANUAL


def test_a_good_row_loads(tmp_path: Path) -> None:
    rows = [row for row in load(tmp_path, GOOD) if row.origin == "coverage.yaml"]
    assert [(row.document, row.status) for row in rows] == [("002", OUT_OF_SCOPE)]


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"status": "done"},
            "requirements[0].status: is 'done'; expected one of covered, manual, out-of-scope.",
        ),
        (
            {"status": COVERED},
            (
                "requirements[0].controls: is empty for a covered requirement; expected the controls"
                " covering it."
            ),
        ),
        (
            {"status": COVERED, "controls": ["XYZ-01"]},
            "requirements[0].controls: names 'XYZ-01'; expected control IDs of the catalog.",
        ),
        ({"reason": ""}, "requirements[0].reason: is '' for status out-of-scope; expected why, in words."),
        ({"document": "009"}, "requirements[0].document: is '009'; expected one of 000, 001, 002, 003, 004."),
        (
            {"owner": "me"},
            (
                "requirements[0].owner: is not a coverage field; expected only document, section, quote,"
                " status, controls, reason."
            ),
        ),
        (
            {"quote": "目標復旧時点:24時間"},
            "requirements[0].quote: is already a control's source; expected each quote in one place only.",
        ),
    ],
)
def test_a_bad_row_is_refused(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    assert problems(tmp_path, {**GOOD, **change}) == [f"coverage file policies/coverage.yaml {message}"]


def test_a_quote_not_in_its_document_is_refused(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    from policies.catalog import SOURCE_DOCUMENTS

    for document in SOURCE_DOCUMENTS.values():
        (seeds / document.file).write_text("", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load(tmp_path, GOOD, seeds=seeds)
    assert (
        caught.value.problems[-1]
        == f"coverage file policies/coverage.yaml: quote {GOOD['quote']!r} is not in document 002;"
        " expected a "
        "verbatim quote from that document."
    )
