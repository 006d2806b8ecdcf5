"""Control parameters have one home: change one in the catalog and the spec, the components and the rules
follow.

The catalog is read when ``policies.parameters`` is imported, so the changed catalog is tried in a fresh
interpreter over a copy of the packages (the repository's own files stay untouched).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from policies import parameters
from policies.catalog import load_catalog

REPO = Path(__file__).resolve().parents[2]
ACME_PROD = REPO / "stacks" / "Pulumi.acme-prod.yaml"

# Run in the copy: what the spec, two components and two rules say about values at the shipped minimums.
PROBE = textwrap.dedent("""
    import json, sys
    import yaml
    from components.backup import TenantBackupArgs, validate_backup_args
    from components.edge import EdgeProtectionArgs, validate_edge_args
    from components.network import TenantNetworkArgs, validate_network_args
    from tenancy.spec import SpecError, parse_tenant_spec
    from tests.policies.rules._fixtures_backup import plan, plan_rule
    from tests.rulekit import messages, resource, stack

    log_days, backup_days = int(sys.argv[2]), int(sys.argv[3])
    raw = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["config"]["tenant-zone:tenant"]
    out = {}

    def refused(call):
        try:
            call()
        except Exception as error:  # SpecError or ComponentInputError: the message is what matters
            return [line for line in str(error).splitlines() if line.strip()]
        return []

    changed = {**raw, "logRetentionDays": log_days, "backup": {"retentionDays": backup_days}}
    out["spec"] = refused(lambda: parse_tenant_spec(changed))
    out["edge"] = refused(lambda: validate_edge_args("e", EdgeProtectionArgs(
        vpc_id="v", vpc_cidr="10.20.0.0/16", public_subnet_ids=[], domain_name="app.example.co.jp",
        hosted_zone_id="Z1", log_kms_key_arn="k", log_retention_days=log_days)))
    out["network"] = refused(lambda: validate_network_args("n", TenantNetworkArgs(
        vpc_cidr="10.20.0.0/16", availability_zones=["ap-northeast-1a", "ap-northeast-1c"], account_id="1",
        kms_key_arn="k", flow_log_retention_days=log_days)))
    out["backup"] = refused(lambda: validate_backup_args("b", TenantBackupArgs(
        tenant="acme-prod", selection_tag_value="acme", account_id="1", primary_key_arn="k",
        secondary_key_arn="k", retention_days=backup_days)))
    out["log_group_retention"] = messages("log_group_retention", stack(resource(
        "aws:cloudwatch/logGroup:LogGroup", "app-logs", {"retentionInDays": log_days})))
    out["backup_plan_daily"] = messages(
        "backup_plan_daily", plan(plan_rule(lifecycle={"deleteAfter": backup_days})))
    print(json.dumps(out))
    """)


def probe(root: Path, log_days: int, backup_days: int) -> dict[str, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(ACME_PROD), str(log_days), str(backup_days)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, list[str]] = json.loads(done.stdout)
    return result


def copy_of_the_packages(destination: Path) -> Path:
    for package in ("components", "policies", "tenancy"):
        shutil.copytree(REPO / package, destination / package, ignore=shutil.ignore_patterns("__pycache__"))
    (destination / "tests" / "policies" / "rules").mkdir(parents=True)
    for helper in (
        "tests/__init__.py",
        "tests/rulekit.py",
        "tests/policies/__init__.py",
        "tests/policies/rules/__init__.py",
        "tests/policies/rules/_fixtures_backup.py",
    ):
        shutil.copy(REPO / helper, destination / helper)
    return destination


def set_parameter(root: Path, control: str, name: str, value: int) -> None:
    path = root / "policies" / "catalog" / f"{control}.yaml"
    text = path.read_text(encoding="utf-8")
    old = f"  {name}: {parameters.parameters(control)[name]}\n"
    assert text.count(old) == 1, f"{path}: parameters.{name} not found as {old!r}"
    path.write_text(text.replace(old, f"  {name}: {value}\n"), encoding="utf-8")


def test_the_parameters_are_read_from_the_catalog() -> None:
    catalog = load_catalog()
    for control_id in catalog:
        block = yaml.safe_load(
            (REPO / "policies" / "catalog" / f"{control_id}.yaml").read_text(encoding="utf-8")
        )
        assert parameters.parameters(control_id) == block.get("parameters", {})
    assert parameters.integer("LOG-02", "minRetentionDays") == parameters.MIN_LOG_RETENTION_DAYS
    assert parameters.integer("BAK-01", "minRetentionDays") == parameters.MIN_BACKUP_RETENTION_DAYS
    assert set(parameters.JAPAN_REGIONS) == {parameters.PRIMARY_REGION, parameters.SECONDARY_REGION}


def test_a_missing_or_ill_typed_parameter_names_the_file_and_key() -> None:
    with pytest.raises(
        parameters.ParameterError, match=r"LOG-02.yaml parameters.absent: None; expected an integer"
    ):
        parameters.integer("LOG-02", "absent")
    with pytest.raises(
        parameters.ParameterError, match=r"RES-01.yaml parameters.regions: .*expected a string"
    ):
        parameters.text("RES-01", "regions")


def test_raising_a_minimum_in_the_catalog_moves_spec_components_and_rules(tmp_path: Path) -> None:
    log_days, backup_days = parameters.MIN_LOG_RETENTION_DAYS, parameters.MIN_BACKUP_RETENTION_DAYS
    root = copy_of_the_packages(tmp_path / "copy")

    before = probe(root, log_days, backup_days)
    assert before == {key: [] for key in before}, "the shipped minimums themselves are accepted everywhere"

    set_parameter(root, "LOG-02", "minRetentionDays", 400)
    set_parameter(root, "BAK-01", "minRetentionDays", 120)
    after = probe(root, log_days, backup_days)
    assert any("logRetentionDays" in line and "[LOG-02]" in line for line in after["spec"]), after["spec"]
    assert any(
        "retentionDays" in line and "at least 120" in line and "[BAK-01]" in line for line in after["spec"]
    )
    assert any("at least 400 days" in line and "[LOG-02]" in line for line in after["edge"]), after["edge"]
    assert any("less than 400 days" in line and "[NET-04]" in line for line in after["network"]), after[
        "network"
    ]
    assert any("at least 120" in line and "[BAK-01]" in line for line in after["backup"]), after["backup"]
    assert [m for m in after["log_group_retention"] if "[LOG-02]" in m and "400" in m], after[
        "log_group_retention"
    ]
    assert [m for m in after["backup_plan_daily"] if "deleteAfter >= 120 days" in m], after[
        "backup_plan_daily"
    ]
