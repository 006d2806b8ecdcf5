"""The synth JSON of the shipped stacks and the gate's reports are byte-identical to the golden files."""

from __future__ import annotations

import difflib

import pytest

from tests.golden import GOLDEN, SHIPPED_STACKS, cases, raw_families

CASES = cases()


@pytest.mark.parametrize("relative", sorted(CASES))
def test_output_matches_its_golden_file(relative: str) -> None:
    path = GOLDEN / relative
    assert path.is_file(), f"tests/golden/{relative} is missing; record it with `make golden`"
    expected = path.read_text(encoding="utf-8")
    actual = CASES[relative]()
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"golden/{relative}",
                "now",
                n=2,
            )
        )
        pytest.fail(
            f"output differs from tests/golden/{relative} (`make golden` if intended):\n{diff[:4000]}"
        )


def test_every_golden_file_is_produced_by_a_case() -> None:
    # the recorded outputs live in subfolders; the harness's own modules (and their bytecode) do not count
    recorded = {
        str(p.relative_to(GOLDEN))
        for p in GOLDEN.rglob("*")
        if p.is_file() and p.parent != GOLDEN and "__pycache__" not in p.parts
    }
    assert recorded == set(CASES)


def test_the_cases_cover_every_shipped_stack_and_violating_program() -> None:
    shipped = {
        p.name.removeprefix("Pulumi.").rsplit(".", 1)[0]
        for p in (GOLDEN.parents[1] / "stacks").glob("Pulumi.*.y*ml")
    }
    assert shipped == set(SHIPPED_STACKS)
    assert raw_families(), "no violating raw program found"
    assert all(f"check/raw-{family}.json" in CASES for family in raw_families())
