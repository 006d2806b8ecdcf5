"""The demo's resource count is the gate's: both count every registered resource."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tenantctl.cli import main

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "programs" / "minimal"


def test_the_demo_and_the_gate_print_the_same_resource_count(capsys: pytest.CaptureFixture[str]) -> None:
    main(["demo", "--program", str(MINIMAL), "--stack", "dev"])
    out = capsys.readouterr().out
    counted = re.search(
        r"^(\d+) resources: (\d+) cloud resources, (\d+) components, (\d+) providers, (\d+) stack$", out, re.M
    )
    gated = re.search(r"rules over (\d+) resources", out)
    assert counted is not None and gated is not None, out
    total, parts = int(counted.group(1)), [int(g) for g in counted.groups()[1:]]
    assert total == sum(parts) == int(gated.group(1))
