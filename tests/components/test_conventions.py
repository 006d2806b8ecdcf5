"""Pulumi component conventions, checked over the source of every component (the synth-side checks of parents,
names and tags are in tests/stacks/test_conventions.py):

- ``__init__(self, name: str, args: <Name>Args, opts: pulumi.ResourceOptions | None = None)`` with a typed
  dataclass ``<Name>Args`` whose defaults pass the component's own control checks;
- ``self.register_outputs(...)`` exactly once, as the last statement of ``__init__``;
- no provider is created inside ``components/`` (the stacks pass them in).
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from typing import Any

import pulumi
import pytest

import components
import tenancy

COMPONENTS_DIR = Path(components.__file__).resolve().parent
# The baseline composed from a tenant spec lives with the spec (tenancy/) but is a component all the same.
PACKAGES: dict[str, Path] = {"components": COMPONENTS_DIR, "tenancy": Path(tenancy.__file__).resolve().parent}
MODULES = sorted(
    f"{package}.{m.name}" for package, path in PACKAGES.items() for m in pkgutil.iter_modules([str(path)])
)


def source_of(module: str) -> Path:
    package, name = module.split(".")
    return PACKAGES[package] / f"{name}.py"


PROVIDER_CREATION = re.compile(r"\b(Provider|ProviderResource)\(")


def component_classes() -> list[type[pulumi.ComponentResource]]:
    found: list[type[pulumi.ComponentResource]] = []
    for name in MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, pulumi.ComponentResource) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


COMPONENTS = component_classes()


def test_every_module_was_looked_at() -> None:
    names = {cls.__name__ for cls in COMPONENTS}
    assert {
        "Organization",
        "TenantAccount",
        "LogArchive",
        "LogDelivery",
        "AlbAccessLogs",
        "OrganizationTrail",
        "TenantNetwork",
        "EdgeProtection",
        "TenantKeys",
        "TenantStorage",
        "TenantBackup",
        "Detection",
        "Notifications",
        "MailDomain",
        "Patching",
        "TenantBaseline",
        "BreakGlassRole",
        "DelegatedZone",
        "SecurityAdministration",
        "AccountGuardrails",
        "ManagementDetection",
    } == names


@pytest.mark.parametrize("cls", COMPONENTS, ids=lambda c: c.__name__)
def test_typed_args_named_after_the_component(cls: type[pulumi.ComponentResource]) -> None:
    parameters = list(inspect.signature(cls.__init__).parameters.values())
    assert [(p.name, p.annotation) for p in parameters] == [
        ("self", inspect.Parameter.empty),
        ("name", "str"),
        ("args", f"{cls.__name__}Args"),
        ("opts", "pulumi.ResourceOptions | None"),
    ]
    assert parameters[3].default is None
    args_class = getattr(inspect.getmodule(cls), f"{cls.__name__}Args")
    assert dataclasses.is_dataclass(args_class)
    for field in dataclasses.fields(args_class):
        assert field.type not in ("Any", Any), f"{args_class.__name__}.{field.name}"


# Values for the required fields only: everything else is the component's default.
REQUIRED: dict[str, dict[str, Any]] = {
    "TenantAccountArgs": {
        "tenant": "acme",
        "environment": "prod",
        "email": "aws+acme-prod@example.co.jp",
        "prod_ou_id": "ou-1",
        "nonprod_ou_id": "ou-2",
    },  # fmt: skip
    "OrganizationArgs": {
        "log_archive_account_email": "aws+la@example.co.jp",
        "security_account_email": "aws+s@example.co.jp",
    },
    "LogArchiveArgs": {"organization_id": "o-1", "management_account_id": "1", "log_archive_account_id": "2"},
    "LogDeliveryArgs": {"log_archive_account_id": "2", "organization_id": "o-1", "source_account_ids": ["3"]},
    "OrganizationTrailArgs": {"bucket_name": "b", "kms_key_arn": "k"},
    "TenantNetworkArgs": {
        "vpc_cidr": "10.20.0.0/16",
        "availability_zones": ["ap-northeast-1a", "ap-northeast-1c"],
        "account_id": "1",
        "kms_key_arn": "k",
    },  # fmt: skip
    "EdgeProtectionArgs": {
        "vpc_id": "v",
        "vpc_cidr": "10.20.0.0/16",
        "public_subnet_ids": [],
        "domain_name": "app.example.co.jp",
        "hosted_zone_id": "Z1",
        "log_kms_key_arn": "k",
    },  # fmt: skip
    "TenantKeysArgs": {"tenant": "acme-prod", "account_id": "1"},
    "TenantStorageArgs": {
        "tenant": "acme-prod",
        "account_id": "1",
        "primary_key_arn": "k",
        "secondary_key_arn": "k",
    },
    "TenantBackupArgs": {
        "tenant": "acme-prod",
        "selection_tag_value": "acme",
        "account_id": "1",
        "primary_key_arn": "k",
        "secondary_key_arn": "k",
    },  # fmt: skip
    "DetectionArgs": {"region": "ap-northeast-1", "account_id": "1", "config_bucket_name": "b"},
    "NotificationsArgs": {"incident_email": "security@example.co.jp", "kms_key_arn": "k"},
    "MailDomainArgs": {"domain": "mail.example.co.jp", "hosted_zone_id": "Z1"},
    "AlbAccessLogsArgs": {"sources": {"acme-prod": "1"}},
    "PatchingArgs": {},
    "BreakGlassRoleArgs": {"account_id": "1", "trusted_account_id": "2"},
    # validation reads names only; the providers and resources matter to the program, not to the checks
    "DelegatedZoneArgs": {"domain_name": "app.example.co.jp", "parent_zone_id": "Z1", "zone_provider": None},
    "AccountGuardrailsArgs": {"providers": {"ap-northeast-1": None, "ap-northeast-3": None}},
    "SecurityAdministrationArgs": {
        "security_account_id": "2",
        "enabled_first": {"ap-northeast-1": ["detection"], "ap-northeast-3": ["detection"]},
    },
    "ManagementDetectionArgs": {
        "region": "ap-northeast-1",
        "management_account_email": "aws+management@example.co.jp",
        "security_provider": None,
        "administrator_detector_id": "d",
        "config_bucket_name": "b",
        "after": ["designation"],
    },
}


@pytest.mark.parametrize(
    "cls", [c for c in COMPONENTS if c.__name__ != "TenantBaseline"], ids=lambda c: c.__name__
)
def test_defaults_pass_the_component_s_own_control_checks(cls: type[pulumi.ComponentResource]) -> None:
    """TenantBaseline has no defaults of its own: its input is the validated tenant specification."""
    module = inspect.getmodule(cls)
    args_class = getattr(module, f"{cls.__name__}Args")
    (validate,) = [
        f
        for n, f in inspect.getmembers(module, inspect.isfunction)
        if n.startswith("validate_") and n.endswith("_args") and f.__module__ == module.__name__
    ]
    validate(cls.__name__.lower(), args_class(**REQUIRED[args_class.__name__]))


# --- register_outputs last
# -----------------------------------------------------------------------------------


def register_outputs_problems(source: str) -> list[str]:
    """Component classes whose ``__init__`` does not end with their only ``self.register_outputs(...)``
    call."""
    problems: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ClassDef) or not any(
            ast.unparse(b) == "pulumi.ComponentResource" for b in node.bases
        ):
            continue
        calls = [
            c
            for c in ast.walk(node)
            if isinstance(c, ast.Call) and ast.unparse(c.func) == "self.register_outputs"
        ]
        init = next((f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None)
        last = init.body[-1] if init else None
        ends_with_it = isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) and last.value in calls
        if len(calls) != 1 or not ends_with_it:
            problems.append(
                f"{node.name}: {len(calls)} register_outputs call(s), last statement of __init__ is not one"
            )
    return problems


@pytest.mark.parametrize("module", MODULES)
def test_register_outputs_is_the_last_statement(module: str) -> None:
    assert register_outputs_problems(source_of(module).read_text(encoding="utf-8")) == []


def test_the_register_outputs_check_catches_a_late_child() -> None:
    late = """
class Late(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("t:m:Late", name, None, opts)
        self.register_outputs({})
        aws.s3.Bucket(f"{name}-bucket", opts=pulumi.ResourceOptions(parent=self))
"""
    assert register_outputs_problems(late) == [
        "Late: 1 register_outputs call(s), last statement of __init__ is not one"
    ]
    assert register_outputs_problems(late.replace("        self.register_outputs({})\n", "")) == [
        "Late: 0 register_outputs call(s), last statement of __init__ is not one"
    ]


# --- providers are passed in
# ---------------------------------------------------------------------------------


def test_no_component_creates_a_provider() -> None:
    assert PROVIDER_CREATION.search('aws.Provider("x", region="ap-northeast-1")')  # the pattern itself works
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(source_of(module) for module in MODULES)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PROVIDER_CREATION.search(line)
    ]
    assert offenders == []


def test_components_do_not_reach_into_the_program_or_its_config_model() -> None:
    """Components take typed Args only: nothing from the stack program or the tenant spec."""
    for path in COMPONENTS_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in imported if m.split(".")[0] in ("stacks", "tenancy")}, path.name
