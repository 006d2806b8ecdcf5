"""The catalog's coverage table: every seed requirement, covered by a control, done by people, or out of
scope.

Two sources make the table, so no quote has two homes: each control's ``sources`` (requirements it
covers; ``manual`` when the control has no automated layer) and ``policies/coverage.yaml`` (every other
requirement the seed documents state, with its status and reason). A bad entry stops loading with one
line per problem in the project's message format; quotes are checked against the seed documents on
request, as the catalog's are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from policies.catalog import SOURCE_DOCUMENTS, CatalogError, Control, normalise_whitespace

COVERAGE_PATH = Path(__file__).with_name("coverage.yaml")
COVERED = "covered"
MANUAL = "manual"
OUT_OF_SCOPE = "out-of-scope"
STATUSES: tuple[str, ...] = (COVERED, MANUAL, OUT_OF_SCOPE)
FIELDS: tuple[str, ...] = ("document", "section", "quote", "status", "controls", "reason")
MAX_QUOTE = 160


@dataclass(frozen=True)
class Requirement:
    """One row of the coverage table."""

    document: str
    section: str
    quote: str
    status: str
    controls: tuple[str, ...]
    reason: str
    # "catalog" when the row is a control's own source, "coverage.yaml" otherwise.
    origin: str


def _problem(index: int, key: str, wrong: str, expected: str) -> str:
    return f"coverage file policies/coverage.yaml requirements[{index}].{key}: {wrong}; expected {expected}."


def _entry_problems(index: int, entry: Any, controls: Mapping[str, Control]) -> list[str]:
    if not isinstance(entry, Mapping):
        return [
            _problem(index, "(entry)", f"is a {type(entry).__name__}", "a mapping of " + ", ".join(FIELDS))
        ]
    problems = [
        _problem(index, str(key), "is not a coverage field", "only " + ", ".join(FIELDS))
        for key in entry
        if key not in FIELDS
    ]
    if entry.get("document") not in SOURCE_DOCUMENTS:
        problems.append(
            _problem(
                index, "document", f"is {entry.get('document')!r}", "one of " + ", ".join(SOURCE_DOCUMENTS)
            )
        )
    for key in ("section", "quote"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(_problem(index, key, f"is {value!r}", "non-empty text"))
    quote = entry.get("quote")
    if isinstance(quote, str) and len(quote) > MAX_QUOTE:
        problems.append(
            _problem(
                index, "quote", f"is {len(quote)} characters long", f"a short quote of at most {MAX_QUOTE}"
            )
        )
    status = entry.get("status")
    if status not in STATUSES:
        problems.append(_problem(index, "status", f"is {status!r}", "one of " + ", ".join(STATUSES)))
    cited = entry.get("controls") or []
    if not isinstance(cited, list):
        problems.append(_problem(index, "controls", f"is {cited!r}", "a list of control IDs"))
        cited = []
    for control_id in cited:
        if control_id not in controls:
            problems.append(
                _problem(index, "controls", f"names {control_id!r}", "control IDs of the catalog")
            )
    if status == COVERED and not cited:
        problems.append(
            _problem(index, "controls", "is empty for a covered requirement", "the controls covering it")
        )
    reason = entry.get("reason")
    if status in (MANUAL, OUT_OF_SCOPE) and (not isinstance(reason, str) or not reason.strip()):
        problems.append(_problem(index, "reason", f"is {reason!r} for status {status}", "why, in words"))
    return problems


def _control_rows(controls: Mapping[str, Control]) -> list[Requirement]:
    rows = []
    for control in controls.values():
        automated = any(
            (control.layers.get(name) or {}).get("status") == "automated" for name in control.layers
        )
        for source in control.sources:
            rows.append(
                Requirement(
                    source.document,
                    source.section,
                    source.quote,
                    COVERED if automated else MANUAL,
                    (control.id,),
                    (
                        ""
                        if automated
                        else (control.manual or "checks of this control are planned, not automated yet")
                    ),
                    "catalog",
                )
            )
    return rows


def load_coverage(
    controls: Mapping[str, Control], path: Path = COVERAGE_PATH, *, seeds_dir: Path | None = None
) -> list[Requirement]:
    """Every row of the coverage table (the controls' sources, then coverage.yaml), by document and section.

    Raises ``CatalogError`` listing every problem; with ``seeds_dir``, also every quote not verbatim in
    its document and every quote of coverage.yaml that a control already cites.
    """
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = raw.get("requirements") if isinstance(raw, Mapping) else None
    if not isinstance(entries, list):
        raise CatalogError(
            [
                "coverage file policies/coverage.yaml: has no `requirements` list; expected a list of"
                " requirements."
            ]
        )
    problems: list[str] = []
    rows = _control_rows(controls)
    cited = {normalise_whitespace(row.quote) for row in rows}
    for index, entry in enumerate(entries):
        found = _entry_problems(index, entry, controls)
        if found:
            problems.extend(found)
            continue
        quote = normalise_whitespace(entry["quote"])
        if quote in cited:
            problems.append(
                _problem(index, "quote", "is already a control's source", "each quote in one place only")
            )
            continue
        cited.add(quote)
        rows.append(
            Requirement(
                entry["document"],
                entry["section"],
                entry["quote"],
                entry["status"],
                tuple(entry.get("controls") or ()),
                str(entry.get("reason") or ""),
                "coverage.yaml",
            )
        )
    if seeds_dir is not None and not problems:
        problems.extend(_quote_problems(rows, seeds_dir))
    if problems:
        raise CatalogError(problems)
    return sorted(rows, key=lambda r: (r.document, r.section, r.quote))


def _quote_problems(rows: Sequence[Requirement], seeds_dir: Path) -> list[str]:
    texts = {
        number: normalise_whitespace((seeds_dir / document.file).read_text(encoding="utf-8"))
        for number, document in SOURCE_DOCUMENTS.items()
    }
    return [
        f"coverage file policies/coverage.yaml: quote {row.quote!r} is not in document {row.document}; "
        "expected a verbatim quote from that document."
        for row in rows
        if row.origin == "coverage.yaml" and normalise_whitespace(row.quote) not in texts[row.document]
    ]


def summary(rows: Sequence[Requirement]) -> dict[str, int]:
    """How many requirements have each status."""
    return {status: sum(1 for row in rows if row.status == status) for status in STATUSES}
