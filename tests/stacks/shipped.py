"""The shipped stacks through the offline synth, each synthesized once per test process."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tenantctl.synth import synthesize

PROGRAM = Path(__file__).resolve().parents[2]
STACKS = PROGRAM / "stacks"
TENANT_STACKS: tuple[str, ...] = ("acme-prod", "acme-staging", "beta-prod")
ALL_STACKS: tuple[str, ...] = ("org", *TENANT_STACKS)


@cache
def _synth(stack: str) -> dict[str, Any]:
    return synthesize(PROGRAM, stack)


def synth(stack: str) -> dict[str, Any]:
    """The synth JSON of a shipped stack (a copy: tests may not change what other tests read)."""
    return copy.deepcopy(_synth(stack))


def stack_config(stack: str) -> dict[str, Any]:
    return dict(yaml.safe_load((STACKS / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8"))["config"])
