"""Discovers the audit checks (one per module in ``policies/audit``) and maps each to its control."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cache

from policies import audit as audit_package
from policies.audit._base import AuditCheck
from policies.catalog import Control, load_catalog
from policies.registry import class_name_for


class AuditLoadError(Exception):
    pass


def _load(module_name: str) -> AuditCheck:
    module = importlib.import_module(f"{audit_package.__name__}.{module_name}")
    defined = [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, AuditCheck) and obj.__module__ == module.__name__
    ]
    expected = class_name_for(module_name)
    if len(defined) != 1 or defined[0].__name__ != expected:
        raise AuditLoadError(f"policies/audit/{module_name}.py: expected exactly one check class, {expected}")
    check_class = defined[0]
    if getattr(check_class, "id", None) != module_name:
        raise AuditLoadError(f"policies/audit/{module_name}.py: {expected}.id; expected {module_name!r}")
    for attribute in ("description", "remediation"):
        if not getattr(check_class, attribute, "").strip():
            raise AuditLoadError(f"policies/audit/{module_name}.py: {expected}.{attribute} is empty")
    return check_class()


@cache
def all_checks() -> dict[str, AuditCheck]:
    """Every audit check by ID, in ID order."""
    names = sorted(
        info.name for info in pkgutil.iter_modules(audit_package.__path__) if not info.name.startswith("_")
    )
    return {name: _load(name) for name in names}


def control_for_check(check_id: str) -> Control:
    owners = [c for c in load_catalog().values() if check_id in c.checks("audit")]
    if len(owners) != 1:
        raise LookupError(
            f"audit check {check_id!r} is cited by {len(owners)} controls' audit layer; expected exactly one"
        )
    return owners[0]
