"""The tenant model the lifecycle reads: the same spec, messages and stack files as the gate.

The only import of the tenant-spec modules in the lifecycle package, so their home can move in one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from components.scps import (
    BASELINE_ROLE_PATH,
    BREAK_GLASS_ROLE_NAME,
    ORG_ACCESS_ROLE_NAME,
    SCP_DEFINITIONS,
    OrgPaths,
    ScpDefinition,
    render,
)
from tenancy.registry import TenantEntry, cross_tenant_problems, load_tenants, tenant_stack_files
from tenancy.spec import CONFIG_KEY, SpecError, TenantSpec, parse_tenant_spec
from tenancy.tags import required_tags
from tenantctl.errors import UserError
from tenantctl.paths import REPO_ROOT

STACKS_DIR = REPO_ROOT / "stacks"

__all__ = [
    "BASELINE_ROLE_PATH",
    "BREAK_GLASS_ROLE_NAME",
    "CONFIG_KEY",
    "ORG_ACCESS_ROLE_NAME",
    "SCP_DEFINITIONS",
    "STACKS_DIR",
    "OrgPaths",
    "ScpDefinition",
    "SpecError",
    "TenantEntry",
    "TenantSpec",
    "cross_tenant_problems",
    "load_tenants",
    "parse_tenant_spec",
    "read_request",
    "render",
    "required_tags",
    "stack_file",
    "tenant_stack_files",
]


def stack_file(stacks_dir: Path, tenant: str, environment: str) -> Path:
    return stacks_dir / f"Pulumi.{tenant}-{environment}.yaml"


def read_request(path: Path) -> Any:
    """The raw ``tenant-zone:tenant`` object of an onboarding request (a stack file's shape).

    Strict UTF-8; a YAML or encoding error is one UserError line naming the file and the fix.
    """
    from tenantctl.inputs import read_yaml_document

    document = read_yaml_document(path, "onboarding request").to_python()
    if not isinstance(document, dict) or not isinstance(document.get("config"), dict):
        raise UserError(
            f"onboarding request {path}: no `config` mapping; expected a Pulumi stack file with"
            f" config.{CONFIG_KEY}"
        )
    config = document["config"]
    unknown = sorted(str(k) for k in config if k not in (CONFIG_KEY, "aws:region"))
    if unknown:
        raise UserError(
            f"onboarding request {path} config.{unknown[0]}: unknown key; expected only {CONFIG_KEY} and"
            " aws:region"
        )
    return document


def read_raw_spec_file(path: Path) -> Any:
    """The ``tenant-zone:tenant`` object of a registered stack file."""
    from tenancy.registry import read_raw_spec

    return read_raw_spec(path)
