"""A failed synth says one thing: its error. No "coroutine ... was never awaited" RuntimeWarning and no
"Task exception was never retrieved" beside it, even with every warning switched on, and without
hiding such warnings for the rest of the process."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from tenantctl.errors import UserError
from tenantctl.synth import synthesize
from tests.tenantctl.synth.conftest import PROGRAMS

REFS = PROGRAMS / "refs"
FAILING = PROGRAMS / "failing"

# Outputs still waiting when the program fails: the SDK hands them coroutines it never awaits.
LATE_FAILURE = """\
import pulumi
import pulumi_aws as aws

buckets = [aws.s3.Bucket(f"b{i}") for i in range(10)]


def fail(_: str) -> str:
    raise ValueError("no such tier")


broken = buckets[0].id.apply(fail)
for i, bucket in enumerate(buckets):
    aws.s3.BucketVersioning(
        f"v{i}",
        bucket=pulumi.Output.all(bucket.id, broken).apply(lambda both: both[0]),
        versioning_configuration={"status": "Enabled"},
    )
pulumi.export("broken", broken)
"""


def never_awaited(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if "never awaited" in str(w.message)]


@pytest.fixture
def late_failure(tmp_path: Path) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: late\nruntime: python\n", encoding="utf-8")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  aws:region: ap-northeast-1\n", encoding="utf-8")
    (tmp_path / "__main__.py").write_text(LATE_FAILURE, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "program, stack",
    [
        (REFS, "cycle-a"),  # a stack reference whose own synth fails: the case that used to warn
        (REFS, "broken"),
        (FAILING, "apply-error"),
        (FAILING, "value-error"),
    ],
)
def test_no_never_awaited_warning_after_a_failed_synth(program: Path, stack: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(UserError):
            synthesize(program, stack)
        gc.collect()  # whatever the failed run left behind is freed now, inside the recording
    assert never_awaited(caught) == []


def test_a_genuine_never_awaited_coroutine_still_warns_after_a_synth() -> None:
    async def forgotten() -> None:
        return None

    with pytest.raises(UserError):
        synthesize(REFS, "cycle-a")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        forgotten()  # type: ignore[unused-coroutine]  # the bug the warning exists for
        gc.collect()
    assert len(never_awaited(caught)) == 1


def tenantctl() -> list[str]:
    script = Path(sys.executable).with_name("tenantctl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tenantctl"]


@pytest.mark.parametrize("case", ["late-failure", "stack-reference"])
def test_the_cli_prints_exactly_one_line(case: str, late_failure: Path) -> None:
    program, stack = (late_failure, "dev") if case == "late-failure" else (REFS, "cycle-a")
    completed = subprocess.run(
        [*tenantctl(), "synth", "--program", str(program), "--stack", stack],
        capture_output=True,
        text=True,
        # every RuntimeWarning shown, each time (pulumi_aws's DeprecationWarnings stay at their default)
        env={**os.environ, "PYTHONWARNINGS": "always::RuntimeWarning"},
        timeout=240,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert len(lines) == 1, completed.stderr
    expected = "no such tier" if case == "late-failure" else "the stacks reference each other"
    assert lines[0].startswith("tenantctl synth: error: ") and expected in lines[0]
