"""Stack files are found in one place, so the registry and the synth always see the same stacks."""

from __future__ import annotations

from pathlib import Path

from tenancy.registry import tenant_stack_files
from tenancy.stackfiles import stack_files, stack_name
from tenantctl.synth.project import list_stacks


def test_stack_names_from_file_names() -> None:
    assert stack_name(Path("Pulumi.acme-prod.yaml")) == "acme-prod"
    assert stack_name(Path("Pulumi.acme-prod.yml")) == "acme-prod"
    assert stack_name(Path("Pulumi.yaml")) is None  # the project file, not a stack
    assert stack_name(Path("Pulumi..yaml")) is None
    assert stack_name(Path("Pulumi.acme-prod.json")) is None
    assert stack_name(Path("acme-prod.yaml")) is None


def test_yaml_wins_over_yml_for_the_same_stack(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.a.yml").write_text("config: {}\n", encoding="utf-8")
    (tmp_path / "Pulumi.a.yaml").write_text("config: {}\n", encoding="utf-8")
    assert stack_files(tmp_path) == {"a": tmp_path / "Pulumi.a.yaml"}


def test_a_yml_tenant_is_both_provisioned_and_gated(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n", encoding="utf-8")
    for name in ("Pulumi.org.yaml", "Pulumi.acme-prod.yml", "Pulumi.beta-prod.yaml"):
        (tmp_path / name).write_text("config: {}\n", encoding="utf-8")
    (tmp_path / "__main__.py").write_text("", encoding="utf-8")
    (tmp_path / "notes.yml").write_text("x: 1\n", encoding="utf-8")
    assert [stack for stack, _ in tenant_stack_files(tmp_path)] == ["acme-prod", "beta-prod"]
    assert list_stacks(tmp_path) == ["acme-prod", "beta-prod", "org"]


def test_a_missing_directory_has_no_stacks(tmp_path: Path) -> None:
    assert stack_files(tmp_path / "absent") == {}


def test_one_stacks_file_is_the_one_the_listing_finds(tmp_path: Path) -> None:
    from tenancy.stackfiles import stack_file_in

    for name in ("Pulumi.a.yml", "Pulumi.a.yaml", "Pulumi.b.yml", "Pulumi.c.yaml.yml", "Pulumi..yaml"):
        (tmp_path / name).write_text("config: {}\n", encoding="utf-8")
    (tmp_path / "Pulumi.d.yaml").mkdir()  # a directory is not a stack file
    listed = stack_files(tmp_path)
    for stack in ("a", "b", "c.yaml", "d", "e", "", "../a", "a/../a"):
        assert stack_file_in(tmp_path, stack) == listed.get(stack), stack
