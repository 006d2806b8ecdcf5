"""checkov's failed checks as gate findings, on the Pulumi resource each came from.

A check named in a control's ``scan`` layer enforces part of that control: its failure is reported under
the control ID with the control's enforcement (a check serving two controls is reported under both). Any
other check is reported under its own checkov ID, as mandatory: the reviewed exceptions file is where a
check that does not apply to this design is set aside, never a silent default.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from policies.catalog import load_catalog
from tenantctl.checkov.exceptions import Exception_, excepted
from tenantctl.checkov.runner import Result, Run
from tenantctl.export import Export
from tenantctl.export.sources import Document
from tenantctl.gate.model import MANDATORY, Violation


@cache
def scan_controls() -> dict[str, tuple[tuple[str, str], ...]]:
    """checkov check ID -> (control ID, enforcement) of every control whose scan layer names it."""
    owners: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for control in load_catalog().values():
        for check in control.checks("scan"):
            owners[check].append((control.id, control.enforcement))
    return {check: tuple(sorted(found)) for check, found in owners.items()}


_LOWER_FIRST = frozenset({"The", "All", "A", "An", "No", "Each", "Every", "Only"})


def expected_text(check_name: str) -> str:
    """checkov names checks as demands ("Ensure the S3 bucket has ..."): the demand is what is expected."""
    text = check_name.strip().rstrip(".")
    for prefix in ("Ensure that ", "Ensure ", "Verify "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    # Lower-case a leading article or quantifier only: the first word is often a name (CloudTrail, ECR).
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}" if first in _LOWER_FIRST and rest else text


def message(pulumi_type: str, name: str, result: Result, control: str) -> str:
    return (
        f"{pulumi_type} {name}: fails checkov {result.check_id} ({result.check_name}); "
        f"expected {expected_text(result.check_name)}. [{control}]"
    )


@dataclass
class Merged:
    violations: list[Violation] = field(default_factory=list)
    excepted: list[Result] = field(default_factory=list)


def merge(
    run: Run,
    exports: Mapping[str, Export],
    documents: Mapping[str, Document],
    exceptions: Mapping[str, Exception_],
) -> Merged:
    merged = Merged()
    resources = {stack: {r.urn: r for r in doc.resources} for stack, doc in documents.items()}
    for result in run.failed:
        urn = exports[result.stack].urns.get(result.address)
        if urn is None:
            raise LookupError(
                f"checkov reported {result.address} in {result.stack}, which the export never wrote"
            )
        resource = resources[result.stack][urn]
        if excepted(exceptions, result.check_id, resource.type, resource.name):
            merged.excepted.append(result)
            continue
        owners = scan_controls().get(result.check_id) or ((result.check_id, MANDATORY),)
        for control, enforcement in owners:
            merged.violations.append(
                Violation(
                    stack=result.stack,
                    control=control,
                    rule=result.check_id,
                    urn=urn,
                    type=resource.type,
                    name=resource.name,
                    message=message(resource.type, resource.name, result, control),
                    enforcement=enforcement,
                )
            )
    return merged
