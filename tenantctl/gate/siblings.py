"""One tenant stack checked alone still answers for what it shares with the other tenants' stack files.

``check --all`` synthesizes the org stack, which reads every tenant stack file and refuses two tenants
with one ID, one account e-mail or overlapping VPC ranges (TEN-01, TEN-02). ``check --stack X`` does
not synthesize the org stack, so the same comparison is made here, from the stack files alone: X's
effective spec (its file, ``--config-file`` and ``--set`` applied) against every other tenant stack
file of the program. Only collisions involving X are reported: a problem between two other tenants
belongs to their own checks.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from components.spec import CONFIG_KEY, SpecError, parse_tenant_spec
from components.tenants import TenantEntry, cross_tenant_problems, read_raw_spec, tenant_stack_files
from tenantctl.errors import UserError


def sibling_problems(
    program: Path, stack: str, *, config_file: Path | None = None, overrides: Sequence[str] = ()
) -> list[str]:
    """Collisions of ``stack``'s tenant spec with the program's other tenant stack files, one line each."""
    from tenantctl.synth.config import load_stack_config
    from tenantctl.synth.project import load_project

    project = load_project(program)
    config = load_stack_config(project, stack, config_file=config_file, overrides=overrides)
    encoded = config.values.get(CONFIG_KEY)
    if encoded is None:
        return []  # not a tenant stack: nothing of it is registered with the other tenants
    try:
        spec = parse_tenant_spec(json.loads(encoded), str(config.source))
    except (SpecError, ValueError):
        return []  # the stack's own spec is refused by its synthesis, with its own message
    others: list[TenantEntry] = []
    for name, path in tenant_stack_files(project.stack_config_dir):
        if name == stack:
            continue
        try:
            other = parse_tenant_spec(read_raw_spec(path), str(path))
        except SpecError:
            continue  # that file's own problems are reported when its stack is checked
        others.append(TenantEntry(stack=name, spec=other, path=path))
    source = config.source or project.stack_config_dir / f"Pulumi.{stack}.yaml"
    # Problems are reported on the later entry: this stack comes last, so each names it first.
    mine = TenantEntry(stack=stack, spec=spec, path=source)
    return [line for line in cross_tenant_problems([*others, mine]) if line.startswith(f"{source.name} ")]


def refuse_collisions(
    program: Path, stack: str, *, config_file: Path | None = None, overrides: Sequence[str] = ()
) -> None:
    """Raise ``UserError`` (exit 2) listing every collision of ``stack`` with another tenant's stack file."""
    problems = sibling_problems(program, stack, config_file=config_file, overrides=overrides)
    if problems:
        raise UserError("\n".join(problems))
