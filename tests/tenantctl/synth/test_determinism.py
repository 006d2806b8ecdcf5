"""Same program and config, same bytes: twice in one process and in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tenantctl.synth import stackrefs, synthesize, to_text
from tests.tenantctl.synth.conftest import MINIMAL, PROGRAMS, REPO

SHIPPED = REPO / "stacks" / "Pulumi.acme-prod.yaml"


def test_twice_in_one_process_is_byte_identical() -> None:
    first = to_text(synthesize(MINIMAL, "dev"))
    stackrefs.clear_cache()  # also the referenced stack is synthesized again
    assert to_text(synthesize(PROGRAMS / "refs", "app")) == to_text(synthesize(PROGRAMS / "refs", "app"))
    assert to_text(synthesize(MINIMAL, "dev")) == first


def tenantctl() -> list[str]:
    script = Path(sys.executable).with_name("tenantctl")  # the console script `uv run tenantctl` runs
    return [str(script)] if script.exists() else [sys.executable, "-m", "tenantctl"]


def test_a_fresh_process_writes_the_same_bytes(tmp_path: Path) -> None:
    # the shipped tenant stack when present: it also resolves the org stack through a stack reference
    program, stack = (REPO, "acme-prod") if SHIPPED.is_file() else (MINIMAL, "dev")
    out = tmp_path / "synth.json"
    completed = subprocess.run(
        [*tenantctl(), "synth", "--program", str(program), "--stack", stack, "--out", str(out)],
        capture_output=True,
        text=True,
        # another hash seed: set iteration order differs, which must not reach the output
        env={**os.environ, "PYTHONHASHSEED": "4242"},
        timeout=240,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == ""
    assert out.read_text(encoding="utf-8") == to_text(synthesize(program, stack))
