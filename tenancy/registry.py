"""The list of tenants: every tenant stack file, and nothing else.

``stacks/Pulumi.<tenant>-<env>.yaml`` is the single source of truth. The org stack creates one account per
entry returned here, and no other place keeps a second copy that could drift. Loading checks what one file
cannot check on its own: the stack name matches the spec, and tenant IDs, account e-mails and VPC ranges are
unique across tenants (TEN-01, TEN-02).

The org program reads the registry through ``load_accounts``: of each tenant only what creating and placing
its account needs (``AccountSpec``). Each file is read through a cache part reader, so the offline synth
cache makes the org stack depend on those fields alone: a change to a tenant's own settings (WAF, backup,
mail) re-synthesizes that tenant's stack, not the org stack.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from policies.messages import message
from tenancy.spec import CONFIG_KEY, SpecError, TenantSpec, parse_tenant_spec, show
from tenancy.stackfiles import stack_files, stack_name
from tenantctl.cache import part_reader, read_part
from tenantctl.inputs import InputError, read_yaml_document
from tenantctl.inputs.memo import parsed_by_content

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
        # kept by content: a one-stack check compares its spec with every other tenant's file
        document = parsed_by_content(
            path,
            "stack config file values",
            lambda: read_yaml_document(path, "stack config file").to_python(),
        )
    except InputError as exc:
        raise SpecError(
            [f"{path.name}:{exc.line or 1}:{exc.column or 1}: {exc.problem}; expected {exc.fix}."], str(path)
        ) from None
    config = document.get("config") if isinstance(document, Mapping) else None
    return config.get(CONFIG_KEY) if isinstance(config, Mapping) else None


def _in_file(path: Path, line: str) -> str:
    """Prefix a spec problem with its file, keeping the ``<type> <name>: ...`` shape."""
    return f"{path.name} {line}"


def _read_spec(stack: str, path: Path) -> TenantSpec | list[str]:
    """One tenant stack file's validated spec, or its problems (each naming the file)."""
    try:
        spec = parse_tenant_spec(read_raw_spec(path), str(path))
    except SpecError as exc:
        return [p if p.startswith(path.name) else _in_file(path, p) for p in exc.problems]
    if spec.stack_name != stack:
        return [
            message(
                f"{path.name} {CONFIG_KEY}",
                f"id {show(spec.id)} and environment {show(spec.environment)} make stack"
                f" {spec.stack_name}, not {stack}",
                f"the file Pulumi.{spec.stack_name}.yaml, or id and environment that spell {stack}",
            )
        ]
    return spec


def load_tenants(stacks_dir: Path) -> list[TenantEntry]:
    """Every tenant stack's spec, validated alone and against the others; SpecError lists every problem."""
    entries: list[TenantEntry] = []
    problems: list[str] = []
    for stack, path in tenant_stack_files(stacks_dir):
        spec = _read_spec(stack, path)
        if isinstance(spec, list):
            problems.extend(spec)
        else:
            entries.append(TenantEntry(stack=stack, spec=spec, path=path))
    problems.extend(cross_tenant_problems(entries))
    if problems:
        raise SpecError(problems, str(stacks_dir))
    return entries


@dataclass(frozen=True)
class AccountSpec:
    """What the org program reads of a tenant: the account's identity and placement, its DNS delegation, and
    the VPC range checked across tenants (TEN-02)."""

    id: str
    environment: str
    account_email: str
    data_classification: str
    domain_name: str
    hosted_zone_id: str
    primary_region: str
    vpc_cidr: str


@dataclass(frozen=True)
class RegisteredAccount:
    """One tenant environment as the org program sees it."""

    stack: str
    spec: AccountSpec
    path: Path


@part_reader
def account_view(path: Path) -> dict[str, Any]:
    """The part of one tenant stack file the org program uses: ``{"account": AccountSpec fields}``, or
    ``{"problems": [...]}`` when the file is invalid (a broken tenant file stops the org program too)."""
    stack = stack_name(path) or ""
    spec = _read_spec(stack, path)
    if isinstance(spec, list):
        return {"problems": spec}
    return {"account": {f.name: str(getattr(spec, f.name)) for f in fields(AccountSpec)}}


def load_accounts(stacks_dir: Path) -> list[RegisteredAccount]:
    """``load_tenants`` for the org program: the same checks, each tenant reduced to its ``AccountSpec``."""
    entries: list[RegisteredAccount] = []
    problems: list[str] = []
    for stack, path in tenant_stack_files(stacks_dir):
        view = read_part(account_view, path)
        if "problems" in view:
            problems.extend(view["problems"])
        else:
            entries.append(RegisteredAccount(stack=stack, spec=AccountSpec(**view["account"]), path=path))
    problems.extend(cross_tenant_problems(entries))
    if problems:
        raise SpecError(problems, str(stacks_dir))
    return entries


def cross_tenant_problems(entries: Iterable[TenantEntry | RegisteredAccount]) -> list[str]:
    """Uniqueness across tenants; each problem is reported on the later stack and names the earlier one."""
    problems: list[str] = []
    seen_stacks: dict[tuple[str, str], TenantEntry | RegisteredAccount] = {}
    seen_emails: dict[str, TenantEntry | RegisteredAccount] = {}
    seen_cidrs: list[
        tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, TenantEntry | RegisteredAccount]
    ] = []
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
