"""checkov's AWS checks on the exported plans, merged into the gate's findings (``check --with-checkov``).

``Scan`` collects each synthesized stack as a plan while the gate runs (``observe``), then ``finish`` runs
checkov once over all of them and adds its failed checks to the gate result, on the Pulumi resources
they came from (see ``merge``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tenantctl.checkov.environment import CHECKOV_VERSION, Checkov, locate
from tenantctl.checkov.exceptions import load as load_exceptions
from tenantctl.checkov.merge import merge
from tenantctl.checkov.runner import Run, run_plans
from tenantctl.export import Export, export, from_synth
from tenantctl.export.sources import Document
from tenantctl.gate.model import GateResult

# How a project makes checkov part of every `tenantctl check`: `[tool.tenantctl] with-checkov` in
# pyproject.toml (``always``, ``ci`` when the CI environment variable is true, or ``never``), overridden
# by TENANTCTL_WITH_CHECKOV=1/0 and by --with-checkov / --no-checkov.
SETTING = "with-checkov"
ENV_SWITCH = "TENANTCTL_WITH_CHECKOV"
SETTING_VALUES = ("always", "ci", "never")


@dataclass
class Summary:
    version: str
    checks: int
    resources: int
    failed: int
    excepted: int
    unmapped: int
    excepted_checks: tuple[str, ...] = ()

    def line(self) -> str:
        listed = f": {', '.join(self.excepted_checks)}" if self.excepted_checks else ""
        return (
            f"checkov {self.version}: {self.checks} AWS checks over {self.resources} exported resources; "
            f"{self.failed} failed; {self.unmapped} resources without a Terraform type; "
            f"{self.excepted} excepted (policies/checkov/exceptions.yaml){listed}"
        )


@dataclass
class Scan:
    """Plans collected from synths, then one checkov run merged into a gate result."""

    checkov: Checkov
    exports: dict[str, Export] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)

    @classmethod
    def start(cls) -> Scan:
        """Fails fast (exit 2, with the install command) when the pinned checkov is missing."""
        load_exceptions()
        return cls(locate())

    def observe(self, synth: Mapping[str, Any]) -> None:
        document = from_synth(synth)
        self.documents[document.stack] = document
        self.exports[document.stack] = export(document)

    def finish(self, result: GateResult) -> tuple[GateResult, Summary, Run]:
        run = run_plans({stack: e.plan for stack, e in self.exports.items()}, self.checkov)
        merged = merge(run, self.exports, self.documents, load_exceptions())
        result.violations.extend(merged.violations)
        result.rules = tuple(sorted({*result.rules, *run.checks_ran}))
        summary = Summary(
            version=run.version,
            checks=len(run.checks_ran),
            resources=sum(len(e.urns) for e in self.exports.values()),
            failed=len(run.failed) - len(merged.excepted),
            excepted=len(merged.excepted),
            unmapped=sum(len(e.unmapped) for e in self.exports.values()),
            excepted_checks=tuple(sorted({r.check_id for r in merged.excepted})),
        )
        return result.sort(), summary, run


def enabled(flag: bool | None, setting: str | None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``check`` runs checkov: the flag, else TENANTCTL_WITH_CHECKOV, else the project setting."""
    env = os.environ if environ is None else environ
    if flag is not None:
        return flag
    switch = env.get(ENV_SWITCH, "").strip().lower()
    if switch in ("1", "true", "yes"):
        return True
    if switch in ("0", "false", "no"):
        return False
    if setting == "always":
        return True
    if setting == "ci":
        return env.get("CI", "").strip().lower() in ("1", "true", "yes")
    return False


__all__ = ["CHECKOV_VERSION", "SETTING_VALUES", "Scan", "Summary", "enabled"]
