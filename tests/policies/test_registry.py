"""The rule registry finds rules in the flat folder and in service folders, and refuses what it cannot
trust."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from policies.registry import RuleLoadError, _load_module_rule, all_rules, rule_modules

RULE = """\
from policies.framework import Failure, ResourceRule, ResourceView


class {cls}(ResourceRule):
    id = "{rule_id}"
    description = "A rule for the registry test."
    remediation = "Nothing to fix."
    resource_types = ("aws:s3/bucket:Bucket",)

    def evaluate(self, resource: ResourceView):
        return iter(())
"""


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "registry_fixture_rules"
    root.mkdir()
    (root / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield root
    for name in [m for m in sys.modules if m.startswith("registry_fixture_rules")]:
        del sys.modules[name]


def write_rule(folder: Path, rule_id: str, cls: str | None = None) -> None:
    folder.mkdir(exist_ok=True)
    if folder.name != "registry_fixture_rules" and not (folder / "__init__.py").exists():
        (folder / "__init__.py").write_text("", encoding="utf-8")
    class_name = cls or "".join(part.capitalize() for part in rule_id.split("_"))
    (folder / f"{rule_id}.py").write_text(RULE.format(cls=class_name, rule_id=rule_id), encoding="utf-8")


def test_flat_and_service_folder_rules_both_load(package: Path) -> None:
    write_rule(package, "flat_rule")
    write_rule(package / "s3", "bucket_rule")
    (package / "_helpers").mkdir()
    (package / "_helpers" / "__init__.py").write_text("", encoding="utf-8")
    (package / "_helpers" / "shared.py").write_text("X = 1\n", encoding="utf-8")
    modules = rule_modules("registry_fixture_rules")
    assert modules == {
        "bucket_rule": "registry_fixture_rules.s3.bucket_rule",
        "flat_rule": "registry_fixture_rules.flat_rule",
    }
    assert _load_module_rule(modules["bucket_rule"]).id == "bucket_rule"


def test_the_same_id_in_two_folders_is_refused(package: Path) -> None:
    write_rule(package / "s3", "twice")
    write_rule(package / "kms", "twice")
    with pytest.raises(RuleLoadError, match=r"rule ID 'twice' is also registry_fixture_rules/kms/twice.py"):
        rule_modules("registry_fixture_rules")


def test_a_service_folder_without_init_is_refused(package: Path) -> None:
    (package / "lambda_").mkdir()
    (package / "lambda_" / "fn_rule.py").write_text(
        RULE.format(cls="FnRule", rule_id="fn_rule"), encoding="utf-8"
    )
    with pytest.raises(RuleLoadError, match=r"registry_fixture_rules/lambda_/ has no __init__.py"):
        rule_modules("registry_fixture_rules")


def test_a_class_named_other_than_the_id_is_refused(package: Path) -> None:
    write_rule(package / "s3", "named_rule", cls="OtherName")
    with pytest.raises(RuleLoadError, match=r"s3/named_rule.py: class OtherName; expected NamedRule"):
        _load_module_rule(rule_modules("registry_fixture_rules")["named_rule"])


def test_every_shipped_rule_module_sits_in_a_service_folder() -> None:
    modules = rule_modules()
    assert set(modules) == set(all_rules())
    assert all(module.count(".") == 3 for module in modules.values()), "policies.rules.<service>.<rule_id>"
