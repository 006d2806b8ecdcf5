"""The list of tenants: every tenant stack file, and nothing else.

``stacks/Pulumi.<tenant>-<env>.yaml`` is the single source of truth. The org stack creates one account per
entry returned here, and no other place keeps a second copy that could drift. Loading checks what one file
cannot check on its own: the stack name matches the spec, and tenant IDs, account e-mails and VPC ranges are
unique across tenants (TEN-01, TEN-02)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policies.messages import message
from tenancy.spec import CONFIG_KEY, SpecError, TenantSpec, parse_tenant_spec, show
from tenancy.stackfiles import stack_files
from tenantctl.inputs import InputError, read_yaml_document

ORG_STACK = "org"


@dataclass(frozen=True)
class TenantEntry:
    """One tenant environment: its stack name, validated spec and the file it came from."""

    stack: str
    spec: TenantSpec
    path: Path


def tenant_stack_files(stacks_dir: Path) -> list[tuple[str, Path]]:
    """``(stack, path)`` of every stack file in ``stacks_dir`` except the org stack's, by name."""
    return [(stack, path) for stack, path in stack_files(stacks_dir).items() if stack != ORG_STACK]


def read_raw_spec(path: Path) -> Any:
    """The raw ``tenant-zone:tenant`` value of a stack file (None when absent); raises SpecError on bad
    YAML."""
    try:
        document = read_yaml_document(path, "stack config file").to_python()
    except InputError as exc:
        raise SpecError(
            [f"{path.name}:{exc.line or 1}:{exc.column or 1}: {exc.problem}; expected {exc.fix}."], str(path)
        ) from None
    config = document.get("config") if isinstance(document, Mapping) else None
    return config.get(CONFIG_KEY) if isinstance(config, Mapping) else None


def _in_file(path: Path, line: str) -> str:
    """Prefix a spec problem with its file, keeping the ``<type> <name>: ...`` shape."""
    return f"{path.name} {line}"


def load_tenants(stacks_dir: Path) -> list[TenantEntry]:
    """Every tenant stack's spec, validated alone and against the others; SpecError lists every problem."""
    entries: list[TenantEntry] = []
    problems: list[str] = []
    for stack, path in tenant_stack_files(stacks_dir):
        try:
            spec = parse_tenant_spec(read_raw_spec(path), str(path))
        except SpecError as exc:
            problems.extend(p if p.startswith(path.name) else _in_file(path, p) for p in exc.problems)
            continue
        if spec.stack_name != stack:
            problems.append(
                message(
                    f"{path.name} {CONFIG_KEY}",
                    f"id {show(spec.id)} and environment {show(spec.environment)} make stack"
                    f" {spec.stack_name}, not {stack}",
                    f"the file Pulumi.{spec.stack_name}.yaml, or id and environment that spell {stack}",
                )
            )
            continue
        entries.append(TenantEntry(stack=stack, spec=spec, path=path))
    problems.extend(cross_tenant_problems(entries))
    if problems:
        raise SpecError(problems, str(stacks_dir))
    return entries


def cross_tenant_problems(entries: Iterable[TenantEntry]) -> list[str]:
    """Uniqueness across tenants; each problem is reported on the later stack and names the earlier one."""
    problems: list[str] = []
    seen_stacks: dict[tuple[str, str], TenantEntry] = {}
    seen_emails: dict[str, TenantEntry] = {}
    seen_cidrs: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, TenantEntry]] = []
    for entry in entries:
        spec = entry.spec
        key = (spec.id, spec.environment)
        if key in seen_stacks:
            other = seen_stacks[key]
            problems.append(
                message(
                    f"{entry.path.name} {CONFIG_KEY}.id",
                    f"{show(spec.id)} in environment {spec.environment} is also stack {other.stack} "
                    f"({other.path.name})",
                    "one stack per tenant environment",
                    "TEN-01",
                )
            )
        seen_stacks.setdefault(key, entry)

        email = spec.account_email.lower()
        if email in seen_emails:
            other = seen_emails[email]
            problems.append(
                message(
                    f"{entry.path.name} {CONFIG_KEY}.accountEmail",
                    f"{show(spec.account_email)} is also the account e-mail of stack {other.stack} "
                    f"({other.path.name})",
                    "an address no other tenant account uses (each environment has its own AWS account)",
                    "TEN-01",
                )
            )
        seen_emails.setdefault(email, entry)

        network = ipaddress.ip_network(spec.vpc_cidr)
        for other_network, other in seen_cidrs:
            if network.overlaps(other_network):
                problems.append(
                    message(
                        f"{entry.path.name} {CONFIG_KEY}.vpcCidr",
                        f"{show(spec.vpc_cidr)} overlaps {show(other.spec.vpc_cidr)} of stack {other.stack} "
                        f"({other.path.name})",
                        "a range that no other tenant stack uses",
                        "TEN-02",
                    )
                )
        seen_cidrs.append((network, entry))
    return problems
