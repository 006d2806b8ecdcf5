"""Discovers the rules: one rule per module in ``policies/rules`` or one of its service folders.

Rules are grouped by AWS service (``policies/rules/s3/bucket_versioning_enabled.py``), as prowler and checkov
list theirs; a module placed directly in ``policies/rules`` loads too. Folders and modules whose names start
with ``_`` hold shared helpers, not rules.

prowler's convention, enforced here: the module name is the rule ID, and the module defines exactly one rule
class whose name is the ID in CamelCase and whose ``id`` attribute equals the module name. A rule that breaks
this fails loading, so a newcomer finds any rule from its ID in one step.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from policies import rules as rules_package
from policies.framework import MultiStackRule, ResourceRule, Rule, StackRule


class RuleLoadError(Exception):
    pass


def class_name_for(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.split("_"))


def _path_of(module_name: str) -> str:
    return module_name.replace(".", "/") + ".py"


def _load_module_rule(module_name: str) -> Rule:
    """The one rule of module ``module_name`` (dotted, e.g.
    ``policies.rules.s3.bucket_versioning_enabled``)."""
    module = importlib.import_module(module_name)
    rule_id = module_name.rsplit(".", 1)[-1]
    where = _path_of(module_name)
    defined = [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, ResourceRule | StackRule | MultiStackRule)
        and obj.__module__ == module.__name__
    ]
    expected_class = class_name_for(rule_id)
    if len(defined) != 1:
        raise RuleLoadError(
            f"{where} defines {len(defined)} rule classes; expected exactly one, {expected_class}"
        )
    rule_class = defined[0]
    if rule_class.__name__ != expected_class:
        raise RuleLoadError(f"{where}: class {rule_class.__name__}; expected {expected_class}")
    if getattr(rule_class, "id", None) != rule_id:
        raise RuleLoadError(
            f"{where}: {expected_class}.id is {getattr(rule_class, 'id', None)!r}; expected {rule_id!r}"
        )
    for attribute in ("description", "remediation"):
        if not getattr(rule_class, attribute, "").strip():
            raise RuleLoadError(f"{where}: {expected_class}.{attribute} is empty")
    return rule_class()


def _public(infos: Iterable[pkgutil.ModuleInfo]) -> Iterator[pkgutil.ModuleInfo]:
    return (info for info in infos if not info.name.startswith("_"))


def rule_modules(package_name: str = rules_package.__name__) -> dict[str, str]:
    """Rule ID -> dotted module name, for every rule module of the package and its service folders."""
    package = importlib.import_module(package_name)
    found: dict[str, str] = {}
    for root in package.__path__:
        for directory in sorted(Path(root).iterdir()):
            is_service_folder = (
                directory.is_dir() and directory.name.isidentifier() and not directory.name.startswith("_")
            )
            if is_service_folder and not (directory / "__init__.py").is_file():
                raise RuleLoadError(
                    f"{_path_of(package_name)[:-3]}/{directory.name}/ has no __init__.py; expected a service "
                    "folder to be a package (its rules would not load)"
                )
    for info in _public(pkgutil.iter_modules(package.__path__)):
        if info.ispkg:
            folder = importlib.import_module(f"{package_name}.{info.name}")
            candidates = [
                f"{folder.__name__}.{sub.name}" for sub in _public(pkgutil.iter_modules(folder.__path__))
            ]
        else:
            candidates = [f"{package_name}.{info.name}"]
        for module_name in candidates:
            rule_id = module_name.rsplit(".", 1)[-1]
            if rule_id in found:
                raise RuleLoadError(
                    f"{_path_of(module_name)}: rule ID {rule_id!r} is also {_path_of(found[rule_id])}; "
                    "expected one module per rule ID"
                )
            found[rule_id] = module_name
    return found


@cache
def all_rules() -> dict[str, Rule]:
    """Every rule, by ID, in ID order."""
    modules = rule_modules()
    return {rule_id: _load_module_rule(modules[rule_id]) for rule_id in sorted(modules)}


def get_rule(rule_id: str) -> Rule:
    try:
        return all_rules()[rule_id]
    except KeyError:
        raise RuleLoadError(f"no rule {rule_id!r} in policies/rules") from None
