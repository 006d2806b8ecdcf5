"""The catalog against the documents beside the repository: the design's controls.md and the five Japanese
source documents (``../shared``). Run by ``make sources``; ``make test`` leaves them out, since the documents
are not part of the repository."""

from __future__ import annotations

import re
from typing import Any

import pytest

from policies.catalog import (
    REPO_ROOT,
    SEEDS_DIR,
    SOURCE_DOCUMENTS,
    Control,
    load_catalog,
    normalise_whitespace,
    quote_problems,
)

pytestmark = pytest.mark.external

CONTROLS_MD = REPO_ROOT.parent / "shared" / "design" / "controls.md"
SEEDS_README = SEEDS_DIR / "README.md"
LAYER_NAMES = {"SCP": "scp", "gate": "gate", "scan": "scan", "audit": "audit"}


@pytest.fixture(scope="module")
def catalog() -> dict[str, Control]:
    return load_catalog()


def parse_controls_md(text: str) -> dict[str, dict[str, Any]]:
    """controls.md's control tables: ID -> requirement, cited document numbers, layers."""
    rows: dict[str, dict[str, Any]] = {}
    for line in text.splitlines():
        match = re.match(r"^\| ([A-Z]+-\d{2}) \| (.+) \| (.+) \| (.+) \|$", line)
        if not match:
            continue
        control_id, requirement, source, layers = match.groups()
        rows[control_id] = {
            "requirement": requirement,
            "documents": set(re.findall(r"\b(00[0-4])\b", source)),
            "layers": {
                LAYER_NAMES[name.strip()] for name in layers.split(",") if name.strip() in LAYER_NAMES
            },
            "manual": "manual" in layers,
        }
    return rows


@pytest.fixture(scope="module")
def controls_md() -> dict[str, dict[str, Any]]:
    if not CONTROLS_MD.is_file():
        pytest.skip(f"{CONTROLS_MD} is absent (it lives beside the repository)")
    return parse_controls_md(CONTROLS_MD.read_text(encoding="utf-8"))


# Seed requirements that no control of controls.md covered, added to the catalog with their quotes.
ADDED_CONTROLS = ["ENC-05", "NET-05", "LOG-06", "LOG-07", "IAM-04"]


def test_ids_match_controls_md_plus_the_added_controls(
    catalog: dict[str, Control], controls_md: dict[str, dict[str, Any]]
) -> None:
    assert controls_md, "the parser found no control row"
    assert [c for c in catalog if c in controls_md] == list(controls_md)
    assert [c for c in catalog if c not in controls_md] == ADDED_CONTROLS


def test_requirements_are_controls_md_text(
    catalog: dict[str, Control], controls_md: dict[str, dict[str, Any]]
) -> None:
    differing = [
        control_id
        for control_id, row in controls_md.items()
        if normalise_whitespace(catalog[control_id].requirement) != normalise_whitespace(row["requirement"])
    ]
    assert differing == []


def test_layers_match_controls_md(
    catalog: dict[str, Control], controls_md: dict[str, dict[str, Any]]
) -> None:
    mismatched = {
        control_id: (sorted(catalog[control_id].layer_names()), sorted(row["layers"]))
        for control_id, row in controls_md.items()
        if set(catalog[control_id].layer_names()) != row["layers"]
    }
    assert mismatched == {}


def test_manual_controls_match_controls_md(
    catalog: dict[str, Control], controls_md: dict[str, dict[str, Any]]
) -> None:
    manual_in_md = sorted(control_id for control_id, row in controls_md.items() if row["manual"])
    assert manual_in_md == sorted(c.id for c in catalog.values() if c.manual) == ["GOV-01"]


def test_every_document_cited_in_controls_md_is_cited(
    catalog: dict[str, Control], controls_md: dict[str, dict[str, Any]]
) -> None:
    missing = {
        control_id: sorted(row["documents"] - {s.document for s in catalog[control_id].sources})
        for control_id, row in controls_md.items()
        if row["documents"] - {s.document for s in catalog[control_id].sources}
    }
    assert missing == {}


def test_every_quote_is_verbatim_in_its_seed(catalog: dict[str, Control]) -> None:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"{SEEDS_DIR} is absent (the source documents live beside the repository)")
    assert quote_problems(catalog.values(), SEEDS_DIR) == []


def test_source_titles_are_the_seeds_readme_titles() -> None:
    if not SEEDS_README.is_file():
        pytest.skip(f"{SEEDS_README} is absent")
    readme: dict[str, str] = {}
    for line in SEEDS_README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| (\d{3})_[0-9a-f]+\.txt \| ([^|]+?) \|", line)
        if match:
            readme[match.group(1)] = match.group(2)
    assert readme == {number: doc.title for number, doc in SOURCE_DOCUMENTS.items()}
    assert all((SEEDS_DIR / doc.file).is_file() for doc in SOURCE_DOCUMENTS.values())
