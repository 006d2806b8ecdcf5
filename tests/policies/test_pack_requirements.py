"""The policy pack's own environment matches the project's lock.

`pulumi preview --policy-pack policies` installs `policies/requirements.txt` into a virtualenv of its own;
`tenantctl check` runs the same rules from the project's venv (uv.lock). A version that differs
between the two could make the engine and the offline gate judge differently, and a third-party module
that the rules import but the file omits makes the pack fail to start under the CLI.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "policies" / "requirements.txt"
# Distribution name for each module the pack may import (import name -> PyPI name).
DISTRIBUTIONS = {"yaml": "pyyaml", "pulumi_policy": "pulumi-policy"}


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*==\s*([^\s;]+)", line)
        assert match, (
            f"{REQUIREMENTS.name}: {line!r} is not pinned with ==; expected <name>==<version from uv.lock>"
        )
        pins[_normalize(match[1])] = match[2]
    return pins


def _locked() -> dict[str, str]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    return {_normalize(package["name"]): package["version"] for package in lock["package"]}


def _third_party_imports() -> set[str]:
    local = {"policies"}
    found: set[str] = set()
    for path in (ROOT / "policies").rglob("*.py"):
        if "venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".", 1)[0]
                if top not in local and top not in sys.stdlib_module_names and top != "__future__":
                    found.add(top)
    return found


@pytest.mark.parametrize("name", sorted(_requirements()))
def test_each_pack_requirement_is_pinned_to_the_locked_version(name: str) -> None:
    assert _requirements()[name] == _locked().get(name), (
        f"policies/requirements.txt pins {name}=={_requirements()[name]} but uv.lock has "
        f"{_locked().get(name)}; expected the locked version"
    )


def test_every_module_the_pack_imports_is_in_its_requirements() -> None:
    required = set(_requirements())
    missing = sorted(
        module
        for module in _third_party_imports()
        if _normalize(DISTRIBUTIONS.get(module, module)) not in required
    )
    assert missing == [], f"policies/ imports {missing} but policies/requirements.txt does not list them"


def test_the_pre_commit_configuration_is_valid() -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(ROOT / ".pre-commit-config.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
