"""Shared paths and cached synth results for the synth tests (each fixture program runs once per module)."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from tenantctl.synth import synthesize

REPO = Path(__file__).resolve().parents[3]
PROGRAMS = REPO / "tests" / "fixtures" / "programs"
MINIMAL = PROGRAMS / "minimal"
SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270"


# The engine names a package's default provider after the plugin version (default_7_51_1).
DEFAULT_PROVIDER = "default_" + version("pulumi-aws").replace(".", "_")


def by_name(synth: dict[str, Any], name: str, type_: str | None = None) -> dict[str, Any]:
    found = [r for r in synth["resources"] if r["name"] == name and (type_ is None or r["type"] == type_)]
    assert len(found) == 1, f"expected one resource named {name}, found {len(found)}"
    return found[0]


@pytest.fixture(scope="module")
def minimal() -> dict[str, Any]:
    return synthesize(MINIMAL, "dev")
