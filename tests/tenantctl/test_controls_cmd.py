"""`tenantctl controls`: the catalog as JSON and as the Markdown traceability matrix, and the committed
docs/controls.md kept identical to the rendered output."""

from __future__ import annotations

import argparse
import importlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from policies.catalog import REPO_ROOT, CatalogError, load_catalog
from policies.framework import Failure, ResourceRule, ResourceView, StackRule, StackView
from policies.registry import all_rules
from tenantctl import cmd_controls
from tenantctl.catalog_view import build_document, collect_test_names
from tenantctl.docs import GENERATED_NOTICE, render_markdown
from tenantctl.errors import UserError

DOCS = REPO_ROOT / "docs" / "controls.md"


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    cmd_controls.add_arguments(parser)
    return cmd_controls.run(parser.parse_args(list(argv)))


@pytest.fixture(scope="module")
def json_document() -> dict[str, Any]:
    return json.loads(cmd_controls.render("json"))


@pytest.fixture(scope="module")
def markdown() -> str:
    return cmd_controls.render("md")


# --- JSON ------------------------------------------------------------------------------------


def test_json_lists_every_control_in_catalog_order_with_all_fields(json_document: dict[str, Any]) -> None:
    catalog = load_catalog()
    assert [entry["id"] for entry in json_document["controls"]] == list(catalog)
    for entry in json_document["controls"]:
        control = catalog[entry["id"]]
        assert entry["title"] == {"ja": control.title_ja, "en": control.title_en}
        assert (entry["severity"], entry["enforcement"]) == (control.severity, control.enforcement)
        assert (entry["requirement"], entry["rationale"], entry["remediation"], entry["manual"]) == (
            control.requirement,
            control.rationale,
            control.remediation,
            control.manual,
        )
        assert [s["quote"] for s in entry["sources"]] == [s.quote for s in control.sources]
        assert list(entry["layers"]) == control.layer_names()
        for name, layer in entry["layers"].items():
            assert layer.get("checks", []) == control.checks(name)


def region_test_names() -> list[str]:
    """The module-level tests of region_allowed, read independently of the collector under test (the rules'
    authors rename their tests; pinning one name here would break on every rename)."""
    text = (REPO_ROOT / "tests" / "policies" / "rules" / "test_region_allowed.py").read_text(encoding="utf-8")
    return re.findall(r"^def (test\w*)\(", text, re.MULTILINE)


def test_json_gate_rules_carry_registry_description_remediation_and_tests(
    json_document: dict[str, Any],
) -> None:
    rules = all_rules()
    res01 = next(entry for entry in json_document["controls"] if entry["id"] == "RES-01")
    (region,) = res01["layers"]["gate"]["rules"]
    assert region["id"] == "region_allowed" and region["implemented"] is True and region["kind"] == "stack"
    assert region["description"] == rules["region_allowed"].description
    assert region["remediation"] == rules["region_allowed"].remediation
    assert region["tests_file"] == "tests/policies/rules/test_region_allowed.py"
    written = region_test_names()
    assert written and set(written) <= set(region["tests"])
    for entry in json_document["controls"]:
        for rule in entry["layers"].get("gate", {}).get("rules", []):
            assert rule["implemented"] is (rule["id"] in rules)


def test_json_summary_counts_what_the_controls_say(json_document: dict[str, Any]) -> None:
    summary = json_document["summary"]
    controls = json_document["controls"]
    assert summary["controls"] == len(controls) == len(load_catalog())
    assert sum(summary["by_severity"].values()) == len(controls)
    assert summary["manual_controls"] == sorted(c.id for c in load_catalog().values() if c.manual)
    cited = [rule for entry in controls for rule in entry["layers"].get("gate", {}).get("checks", [])]
    assert summary["gate_rules"]["cited"] == len(cited)
    assert summary["gate_rules"]["implemented"] + len(summary["gate_rules"]["not_implemented"]) == len(cited)


def test_json_output_is_stable(json_document: dict[str, Any]) -> None:
    assert cmd_controls.render("json") == cmd_controls.render("json")
    assert json.loads(cmd_controls.render("json")) == json_document


def test_run_prints_json_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["summary"]["controls"] == len(load_catalog())


# --- rules and tests discovery (fake registry, temporary test files) ---------------------------


class FakeResource(ResourceRule):
    id = "fake_resource"
    description = "A fake resource rule."
    remediation = "Fix the fake."
    resource_types = frozenset({"aws:s3/bucket:Bucket"})

    def evaluate(self, resource: ResourceView) -> list[Failure]:
        return []


class FakeStack(StackRule):
    id = "fake_stack"
    description = "A fake stack rule."
    remediation = "Fix the stack."

    def evaluate(self, stack: StackView) -> list[Failure]:
        return []


def test_tests_are_found_by_file_name_convention(tmp_path: Path) -> None:
    (tmp_path / "test_fake_resource.py").write_text(
        "import pytest\n\n"
        "def helper():\n    pass\n\n"
        "def test_passes():\n    pass\n\n"
        "@pytest.mark.parametrize('x', [1, 2])\n"
        "def test_fails(x):\n    pass\n\n"
        "async def test_async():\n    pass\n\n"
        "class TestVariants:\n"
        "    def test_one(self):\n        pass\n"
        "    def not_a_test(self):\n        pass\n\n"
        "class Helper:\n    def test_hidden(self):\n        pass\n",
        encoding="utf-8",
    )
    assert collect_test_names(tmp_path / "test_fake_resource.py") == [
        "test_passes",
        "test_fails",
        "test_async",
        "TestVariants::test_one",
    ]
    assert collect_test_names(tmp_path / "test_missing.py") == []


def test_document_marks_missing_rules_and_missing_tests(tmp_path: Path) -> None:
    (tmp_path / "test_region_allowed.py").write_text("def test_only():\n    pass\n", encoding="utf-8")
    rules = {"region_allowed": FakeStack()}
    document = build_document(load_catalog(), rules, tests_dir=tmp_path)
    by_id = {entry["id"]: entry for entry in document["controls"]}
    (region,) = by_id["RES-01"]["layers"]["gate"]["rules"]
    assert (region["implemented"], region["kind"], region["description"], region["tests"]) == (
        True,
        "stack",
        "A fake stack rule.",
        ["test_only"],
    )
    tags = by_id["TEN-04"]["layers"]["gate"]["rules"][0]
    assert (tags["implemented"], tags["description"], tags["tests"]) == (False, None, [])
    assert document["summary"]["gate_rules"]["implemented"] == 1
    assert "tags_required" in document["summary"]["gate_rules"]["not_implemented"]


def test_rule_cited_by_no_control_is_reported(tmp_path: Path) -> None:
    document = build_document(load_catalog(), {"fake_resource": FakeResource()}, tests_dir=tmp_path)
    assert document["summary"]["gate_rules"]["not_cited"] == ["fake_resource"]
    assert "- Implemented but cited by no control: `fake_resource`." in render_markdown(document)


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_starts_with_the_generated_notice(markdown: str) -> None:
    assert markdown.splitlines()[0] == GENERATED_NOTICE
    assert "make docs" in GENERATED_NOTICE and "--output docs/controls.md" in GENERATED_NOTICE
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")


def test_markdown_has_each_control_with_anchor_titles_severity_and_quotes(markdown: str) -> None:
    for control in load_catalog().values():
        anchor = f'<a id="{control.id.lower()}"></a>'
        assert markdown.count(anchor) == 1, control.id
        section = markdown.split(anchor, 1)[1].split('<a id="', 1)[0]
        assert f"### {control.id} {control.title_ja} / {control.title_en}" in section
        assert f"| {control.severity} | {control.enforcement} |" in section
        for source in control.sources:
            assert f"「{source.quote}」" in section, (control.id, source.quote)
        for name in control.layer_names():
            layer = control.layer(name)
            assert layer is not None
            if layer.manual is None:
                assert f"| {layer.status} | " + ", ".join(f"`{c}`" for c in layer.checks) in section


def test_markdown_lists_gate_rules_with_their_tests(markdown: str) -> None:
    section = markdown.split('<a id="res-01"></a>', 1)[1].split('<a id="', 1)[0]
    assert "| `region_allowed` | Every regional AWS resource is in ap-northeast-1 (Tokyo)" in section
    assert f"in `tests/policies/rules/test_region_allowed.py`: `{region_test_names()[0]}`" in section


def test_markdown_manual_control_gives_its_reason(markdown: str) -> None:
    section = markdown.split('<a id="gov-01"></a>', 1)[1]
    assert f"**Manual / 手動.** {load_catalog()['GOV-01'].manual}" in section
    assert "[GOV-01](#gov-01) (manual)" in markdown


def test_markdown_table_cells_escape_pipes() -> None:
    document = build_document(load_catalog(), {}, tests_dir=Path("/nonexistent"))
    document["controls"][0]["title"]["en"] = "a | b"
    assert "| a \\| b |" in render_markdown(document)


def test_output_file_gets_exactly_the_stdout_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "controls.md"
    assert run("--format", "md", "--output", str(target)) == 0
    assert capsys.readouterr().out == ""
    assert run("--format", "md") == 0
    assert target.read_text(encoding="utf-8") == capsys.readouterr().out


# --- errors ----------------------------------------------------------------------------------


def test_broken_catalog_is_a_user_error(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = (
        "catalog file policies/catalog/ENC-01.yaml: key `severity` is 'urgent'; expected one of x. [ENC-01]"
    )

    def broken() -> None:
        raise CatalogError([problem])

    monkeypatch.setattr("policies.catalog.load_catalog", broken)
    with pytest.raises(UserError) as caught:
        run("--format", "json")
    assert str(caught.value) == problem


def test_unwritable_output_is_a_user_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(
        UserError, match=r"^--output .*/file/controls.md: .*/file is not a directory; expected a writable"
    ):
        run("--output", str(blocker / "controls.md"))


def test_cli_maps_a_broken_catalog_to_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tenantctl import cli

    for module in cli.SUBCOMMANDS.values():
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            pytest.skip(f"the CLI cannot start yet: {error}")

    def broken() -> None:
        raise CatalogError(
            ["catalog file X.yaml: key `id` is missing; expected a control ID like ENC-01. [X]"]
        )

    monkeypatch.setattr("policies.catalog.load_catalog", broken)
    assert cli.main(["controls", "--format", "md"]) == 2
    assert (
        capsys.readouterr().err
        == "tenantctl controls: error: catalog file X.yaml: key `id` is missing; expected a control ID like"
        " ENC-01. [X]\n"
    )


# --- the committed page ----------------------------------------------------------------------


def test_committed_docs_are_current(markdown: str) -> None:
    """docs/controls.md must be the rendered catalog; run `make docs` after changing catalog, rules or
    tests."""
    assert DOCS.is_file(), "docs/controls.md is missing: run `make docs`"
    assert DOCS.read_text(encoding="utf-8") == markdown, "docs/controls.md is stale: run `make docs`"
