"""Rule scopes: a service program is judged by the resource rules only, a tenant baseline by everything
it must contain; a stack says what it is or has it inferred; and one tenant stack checked alone is still
compared with the other tenants' stack files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from policies.catalog import load_catalog
from policies.pack import build_policies
from policies.scopes import (
    KIND_KEY,
    ORG,
    SERVICE,
    STACK_KINDS,
    TENANT,
    StackKindError,
    infer_kind,
    resolve_kind,
)
from tenantctl.cli import main
from tenantctl.gate import check_program
from tenantctl.gate.siblings import sibling_problems

REPO = Path(__file__).resolve().parents[3]
SERVICE_PROGRAMS = REPO / "tests" / "fixtures" / "programs" / "service"
BASELINE = "tenant-zone:baseline:TenantBaseline"
ORGANIZATION = "aws:organizations/organization:Organization"
TENANT_ONLY_RULES = {
    "backup_restore_testing",
    "backup_selection_by_tenant_tag",
    "detection_both_regions",
    "incident_routing",
    "inspector_scanning",
    "patch_baseline_monthly",
}


# --- the catalog gives every gate check a scope -----------------------------------------------


def test_every_gate_check_has_a_scope_and_the_baseline_rules_judge_tenant_baselines_only() -> None:
    scopes = {
        check: control.scope(check) for control in load_catalog().values() for check in control.checks("gate")
    }
    assert all(scope <= set(STACK_KINDS) and scope for scope in scopes.values())
    assert {check for check, scope in scopes.items() if scope == {TENANT}} == TENANT_ONLY_RULES
    assert scopes["region_allowed"] == set(STACK_KINDS)
    assert scopes["tags_required"] == set(STACK_KINDS)


# --- what a stack is ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "types, kind",
    [
        ([BASELINE, "aws:s3/bucket:Bucket"], TENANT),
        (["tenant-zone:organization:Organization"], ORG),
        ([ORGANIZATION], ORG),
        (["aws:s3/bucket:Bucket", "aws:sqs/queue:Queue"], SERVICE),
        ([], SERVICE),
    ],
)
def test_the_kind_is_inferred_from_the_resources(types: list[str], kind: str) -> None:
    assert infer_kind("dev", types).kind == kind


def test_a_stack_with_a_baseline_and_an_organization_is_ambiguous() -> None:
    with pytest.raises(StackKindError) as caught:
        infer_kind("mixed", [BASELINE, ORGANIZATION])
    assert (
        str(caught.value)
        == f"stack mixed: {KIND_KEY} is not set and the stack holds both a tenant baseline ({BASELINE})"
        " and an "
        f"organization ({ORGANIZATION}); expected {KIND_KEY} set to one of tenant, org, service (in "
        f"Pulumi.mixed.yaml, or --set {KIND_KEY}=<kind>)."
    )


def test_a_declared_kind_settles_the_ambiguity() -> None:
    assert resolve_kind("mixed", ORG, [BASELINE, ORGANIZATION]).kind == ORG
    assert (
        resolve_kind("raw", TENANT, ["aws:s3/bucket:Bucket"]).describe()
        == f"a tenant baseline (declared by {KIND_KEY})"
    )


def test_an_unknown_declared_kind_is_refused() -> None:
    with pytest.raises(StackKindError) as caught:
        resolve_kind("dev", "baseline", [])
    assert (
        str(caught.value)
        == f"stack dev: {KIND_KEY} is 'baseline'; expected one of tenant, org, service (tenant: a tenant"
        " baseline, org: the organization stack, service: a service program in a tenant account)."
    )


def test_a_service_declaration_cannot_hide_a_baseline() -> None:
    with pytest.raises(StackKindError) as caught:
        resolve_kind("acme-prod", SERVICE, [BASELINE])
    assert (
        str(caught.value)
        == f"stack acme-prod: {KIND_KEY} is 'service' but the stack declares {BASELINE}; expected tenant"
        " for a "
        "stack holding it, or a service program without it."
    )


def test_cli_refuses_a_bad_kind_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "check",
            "--program",
            str(SERVICE_PROGRAMS / "compliant"),
            "--stack",
            "dev",
            "--set",
            f"{KIND_KEY}=svc",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert f"{KIND_KEY} is 'svc'; expected one of tenant, org, service" in err and "Traceback" not in err


# --- a service program: the resource rules only --------------------------------------------------


def test_a_compliant_service_program_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--program", str(SERVICE_PROGRAMS / "compliant"), "--stack", "dev"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.splitlines()[-1].startswith("0 mandatory, 0 advisory violations in 1 stacks; ")


def test_the_baseline_rules_say_why_they_skip_a_service_program() -> None:
    result = check_program(SERVICE_PROGRAMS / "compliant", "dev")
    skipped = {n.rule: n.reason for n in result.not_applicable if n.rule in TENANT_ONLY_RULES}
    assert (
        skipped["incident_routing"]
        == "incident_routing judges tenant stacks; stack dev is a service program (inferred: no baseline or "
        f"organization resources; {KIND_KEY} not set)"
    )
    assert set(skipped) == TENANT_ONLY_RULES


def test_the_same_program_with_one_violation_per_resource_fails_on_exactly_those() -> None:
    result = check_program(SERVICE_PROGRAMS / "violating", "dev")
    assert {(v.control, v.rule, v.name) for v in result.violations} == {
        ("ENC-01", "dynamodb_kms_encryption", "orders"),
        ("ENC-01", "sns_topic_kms_encryption", "order-events"),
        ("ENC-01", "sqs_queue_kms_encryption", "jobs"),
        ("LOG-02", "log_group_retention", "orders-app"),
    }
    assert result.has_mandatory


def test_declared_as_a_tenant_baseline_the_program_owes_the_baseline() -> None:
    result = check_program(SERVICE_PROGRAMS / "compliant", "dev", overrides=[f"{KIND_KEY}=tenant"])
    # Inspector in a member account is activated by the organization's administrator, not owed by the stack.
    assert {v.rule for v in result.violations} >= TENANT_ONLY_RULES - {"inspector_scanning"}
    assert "inspector_scanning" not in {v.rule for v in result.violations}


def test_the_engine_reads_the_kind_from_the_stack_tag() -> None:
    """Under ``pulumi preview`` the declared kind arrives as a stack tag; a resource rule scoped to
    tenant baselines is then not applicable to a service stack's resource."""
    from pulumi_policy import PolicyResourceOptions, ResourceValidationArgs

    from policies.catalog import Control
    from tenantctl.pulumi_private import engine_not_applicable_error

    control = load_catalog()["TEN-04"]
    narrowed = Control(
        id=control.id, layers={"gate": {**control.layers["gate"], "scopes": {"tags_required": ["tenant"]}}}
    )
    policy = build_policies({"tags_required": _rule("tags_required")}, {"tags_required": narrowed})[0]
    args = ResourceValidationArgs(
        "aws:sqs/queue:Queue",
        {},
        "urn:pulumi:dev::svc::aws:sqs/queue:Queue::q",
        "q",
        PolicyResourceOptions(False, [], None, [], None, [], None),  # type: ignore[arg-type]
        None,
        None,
        {KIND_KEY: SERVICE},
    )
    with pytest.raises(engine_not_applicable_error()) as caught:
        policy.validate(args, lambda message, urn=None: None)  # type: ignore[arg-type,misc]
    assert (
        caught.value.reason
        == "tags_required judges tenant stacks; stack dev is a service program (declared by stack tag)"
    )


def _rule(rule_id: str):  # type: ignore[no-untyped-def]
    from policies.registry import get_rule

    return get_rule(rule_id)


# --- one tenant stack against the other tenants' stack files -------------------------------------


def copy_of_the_project(destination: Path) -> Path:
    destination.mkdir()
    shutil.copy(REPO / "Pulumi.yaml", destination / "Pulumi.yaml")
    shutil.copytree(REPO / "stacks", destination / "stacks", ignore=shutil.ignore_patterns("__pycache__"))
    return destination


def edit_tenant(program: Path, stack: str, key: str, value: str) -> None:
    path = program / "stacks" / f"Pulumi.{stack}.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["config"]["tenant-zone:tenant"][key] = value
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def tenant_value(stack: str, key: str) -> str:
    document = yaml.safe_load((REPO / "stacks" / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8"))
    value: str = document["config"]["tenant-zone:tenant"][key]
    return value


def test_check_stack_refuses_a_cidr_overlapping_another_tenants(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = copy_of_the_project(tmp_path / "project")
    beta = tenant_value("beta-prod", "vpcCidr")
    edit_tenant(program, "acme-prod", "vpcCidr", beta)
    code = main(["check", "--stack", "acme-prod", "--program", str(program)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert (
        captured.err.strip()
        == f"tenantctl check: error: Pulumi.acme-prod.yaml tenant-zone:tenant.vpcCidr: '{beta}' overlaps"
        f" '{beta}' of stack beta-prod (Pulumi.beta-prod.yaml); expected a range that no other tenant"
        " stack uses. [TEN-02]"
    )


def test_check_stack_refuses_another_tenants_account_email(tmp_path: Path) -> None:
    program = copy_of_the_project(tmp_path / "project")
    email = tenant_value("beta-prod", "accountEmail")
    edit_tenant(program, "acme-prod", "accountEmail", email.upper())
    problems = sibling_problems(program, "acme-prod")
    assert problems == [
        f"Pulumi.acme-prod.yaml tenant-zone:tenant.accountEmail: '{email.upper()}' is also the account e-mail"
        " of stack beta-prod (Pulumi.beta-prod.yaml); expected an address no other tenant account uses (each"
        " environment has its own AWS account). [TEN-01]"
    ]


def test_a_set_override_is_compared_too() -> None:
    beta = tenant_value("beta-prod", "vpcCidr")
    problems = sibling_problems(REPO, "acme-prod", overrides=[f"tenant-zone:tenant.vpcCidr={beta}"])
    assert len(problems) == 1 and problems[0].endswith("[TEN-02]")


def test_the_shipped_tenants_do_not_collide() -> None:
    assert [sibling_problems(REPO, stack) for stack in ("acme-prod", "acme-staging", "beta-prod", "org")] == [
        [],
        [],
        [],
        [],
    ]
