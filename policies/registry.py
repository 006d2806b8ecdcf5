"""Discovers the rules: one rule per module in ``policies/rules``.

prowler's convention, enforced here: the module name is the rule ID, and the
module defines exactly one rule class whose name is the ID in CamelCase and
whose ``id`` attribute equals the module name. A rule that breaks this fails
loading, so a newcomer finds any rule from its ID in one step.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cache

from policies import rules as rules_package
from policies.framework import MultiStackRule, ResourceRule, Rule, StackRule


class RuleLoadError(Exception):
    pass


def class_name_for(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.split("_"))


def _load_module_rule(module_name: str) -> Rule:
    module = importlib.import_module(f"{rules_package.__name__}.{module_name}")
    defined = [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, ResourceRule | StackRule | MultiStackRule)
        and obj.__module__ == module.__name__
    ]
    expected_class = class_name_for(module_name)
    if len(defined) != 1:
        raise RuleLoadError(
            f"policies/rules/{module_name}.py defines {len(defined)} rule classes; expected exactly one, {expected_class}"
        )
    rule_class = defined[0]
    if rule_class.__name__ != expected_class:
        raise RuleLoadError(
            f"policies/rules/{module_name}.py: class {rule_class.__name__}; expected {expected_class}"
        )
    if getattr(rule_class, "id", None) != module_name:
        raise RuleLoadError(
            f"policies/rules/{module_name}.py: {expected_class}.id is {getattr(rule_class, 'id', None)!r}; "
            f"expected {module_name!r}"
        )
    for attribute in ("description", "remediation"):
        if not getattr(rule_class, attribute, "").strip():
            raise RuleLoadError(f"policies/rules/{module_name}.py: {expected_class}.{attribute} is empty")
    return rule_class()


@cache
def all_rules() -> dict[str, Rule]:
    """Every rule, by ID, in ID order."""
    names = sorted(
        info.name for info in pkgutil.iter_modules(rules_package.__path__) if not info.name.startswith("_")
    )
    return {name: _load_module_rule(name) for name in names}


def get_rule(rule_id: str) -> Rule:
    try:
        return all_rules()[rule_id]
    except KeyError:
        raise RuleLoadError(f"no rule {rule_id!r} in policies/rules") from None
