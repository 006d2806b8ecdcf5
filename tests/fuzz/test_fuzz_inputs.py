"""Seeded, bounded fuzzing of everything a user feeds `tenantctl check` (the long run is `make fuzz`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.fuzz import harness

# Derandomized, so a CI run is reproducible; no shrinking phase, so a failure costs one run, not hundreds.
CI = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@CI
@given(content=harness.stack_files)
def test_stack_files(workdir: Path, content: str | bytes) -> None:
    outcome = harness.run_stack_case(workdir, content, [])
    assert harness.problems_with(outcome) == []


@CI
@given(overrides=st.lists(harness.set_arguments(), min_size=1, max_size=3))
def test_set_arguments(workdir: Path, overrides: list[str]) -> None:
    outcome = harness.run_stack_case(workdir, harness.BASE, overrides)
    assert harness.problems_with(outcome) == []


@pytest.mark.parametrize("target", sorted(harness.TARGETS))
@CI
@given(content=harness.yaml_documents)
def test_other_readers(workdir: Path, target: str, content: str | bytes) -> None:
    outcome = harness.run_target_case(workdir, target, content)
    assert harness.problems_with(outcome) == []


def test_the_properties_catch_a_crash_and_an_unnamed_refusal() -> None:
    crash = harness.Outcome(3, "Traceback (most recent call last):\n  ...", 0.0, 0)
    unnamed = harness.Outcome(2, "invalid input\nno key here", 0.0, 0)
    raw = harness.Outcome(2, "--set 'a=\x1b': bad", 0.0, 0)
    assert harness.problems_with(crash)[0].startswith("exit 3: Traceback")
    assert harness.problems_with(unnamed) == [
        "the refusal does not name its input: 'invalid input'",
        "a problem line does not start with its key: 'no key here'",
    ]
    assert harness.problems_with(raw) == [
        "a raw control character reached the message: \"--set 'a=\\x1b': bad\""
    ]
