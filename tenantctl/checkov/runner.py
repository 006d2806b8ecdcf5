"""One checkov run over the exported plans of one or more stacks.

All plans go to a single checkov process (its startup costs seconds), each in its own file named after
its stack; the JSON report's ``file_abs_path`` brings every result back to its stack and the plan's
``pulumi_urns`` table back to the Pulumi resource.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenantctl.checkov.environment import Checkov, locate

# Our own checks (Python only: in checkov 3.1 a YAML check in the folder made linked built-in checks vanish).
EXTERNAL_CHECKS = Path(__file__).resolve().parents[2] / "policies" / "checkov"
TIMEOUT_SECONDS = 3600


class CheckovFailed(RuntimeError):
    """checkov itself failed (not a finding): an internal error of the run."""


@dataclass(frozen=True)
class Result:
    stack: str
    check_id: str
    check_name: str
    address: str
    passed: bool
    guideline: str | None = None


@dataclass
class Run:
    version: str
    results: list[Result] = field(default_factory=list)
    parsing_errors: list[str] = field(default_factory=list)

    @property
    def checks_ran(self) -> set[str]:
        return {r.check_id for r in self.results}

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if not r.passed]


def _reports(raw: Any) -> list[dict[str, Any]]:
    if isinstance(raw, list):
        return [r for r in raw if isinstance(r, dict)]
    if isinstance(raw, dict) and "results" in raw:
        return [raw]
    # No resource to scan: checkov prints an empty summary without results.
    return []


def run_plans(plans: Mapping[str, Mapping[str, Any]], checkov: Checkov | None = None) -> Run:
    """checkov's terraform_plan checks over ``plans`` (stack name -> plan JSON), in one process."""
    tool = checkov or locate()
    run = Run(version=tool.version)
    if not plans:
        return run
    with tempfile.TemporaryDirectory(prefix="tenantctl-checkov-") as directory:
        files: dict[str, str] = {}
        command = [
            str(tool.executable),
            "--framework",
            "terraform_plan",
            "--skip-download",
            "--output",
            "json",
        ]
        if any(EXTERNAL_CHECKS.glob("*.py")):
            command += ["--external-checks-dir", str(EXTERNAL_CHECKS)]
        for index, (stack, plan) in enumerate(sorted(plans.items())):
            path = Path(directory) / f"{index:05d}.tfplan.json"
            path.write_text(json.dumps(plan), encoding="utf-8")
            files[str(path.resolve())] = stack
            command += ["--file", str(path)]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False, cwd=directory
        )
        # checkov exits 1 when a check failed; anything else, or no JSON, is checkov's own failure.
        if done.returncode not in (0, 1):
            raise CheckovFailed(f"checkov exited {done.returncode}: {done.stderr.strip()[-2000:]}")
        try:
            raw = json.loads(done.stdout)
        except json.JSONDecodeError:
            raise CheckovFailed(
                f"checkov printed no JSON report: {done.stdout[-500:]} {done.stderr[-2000:]}"
            ) from None
    for report in _reports(raw):
        if report.get("check_type") not in (None, "terraform_plan"):
            continue
        reported = (report.get("summary") or {}).get("checkov_version")
        if reported != tool.version:
            raise CheckovFailed(f"checkov {reported} ran where checkov {tool.version} was expected")
        results = report.get("results") or {}
        run.parsing_errors.extend(results.get("parsing_errors") or [])
        for key, passed in (("passed_checks", True), ("failed_checks", False)):
            for item in results.get(key) or []:
                owner = files.get(str(Path(item.get("file_abs_path") or "").resolve()))
                if owner is None:
                    raise CheckovFailed(
                        f"checkov reported a file it was not given: {item.get('file_abs_path')}"
                    )
                run.results.append(
                    Result(
                        stack=owner,
                        check_id=item["check_id"],
                        check_name=item.get("check_name") or item["check_id"],
                        address=item.get("resource_address") or item["resource"],
                        passed=passed,
                        guideline=item.get("guideline"),
                    )
                )
    if run.parsing_errors:
        raise CheckovFailed(f"checkov could not parse the exported plans: {run.parsing_errors}")
    return run
