"""Onboarding against a real moto_server process: killed (SIGKILL) at each step in turn and rerun, it ends
with exactly one stack file, one account, one baseline and a complete journal; bad requests exit 2 and
leave nothing behind."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tenantctl.cli import main
from tenantctl.lifecycle import org
from tenantctl.lifecycle.aws import Aws
from tenantctl.lifecycle.onboard import CRASH_ENV, STEPS
from tenantctl.lifecycle.seed import seed_tenant, tenant_clients
from tenantctl.lifecycle.tenancy import STACKS_DIR, load_tenants
from tenantctl.paths import REPO_ROOT

REQUEST = """\
config:
  aws:region: ap-northeast-1
  tenant-zone:tenant:
    id: gamma
    environment: prod
    accountEmail: aws+gamma-prod@tenant-zone.example.jp
    vpcCidr: 10.48.0.0/16
    dataClassification: confidential
    incidentEmail: soc@gamma.example.jp
    domainName: app.gamma.example.jp
    hostedZoneId: Z0123456789GAMMA
"""
# A tenant account that exists in the organization without a stack file (an unregistered VPC range).
STRAY = "zeta-prod"
STRAY_CIDR = "10.99.0.0/16"


@dataclass
class Org:
    endpoint: str
    aws: Aws
    accounts: int


def make_program(directory: Path) -> Path:
    """A copy of the project's program with its own stacks/ (so registering a tenant touches no checkout)."""
    (directory / "stacks").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "Pulumi.yaml", directory)
    for path in STACKS_DIR.iterdir():
        if path.suffix in (".py", ".yaml"):
            shutil.copy(path, directory / "stacks")
    return directory


@pytest.fixture(scope="module")
def organization(moto_endpoint: str) -> Org:
    aws = Aws(endpoint_url=moto_endpoint)
    view = org.bootstrap(aws)
    for entry in load_tenants(STACKS_DIR):
        account = org.create_account(
            aws, view, entry.stack, entry.spec.account_email, org.environment_ou(entry.spec.environment)
        )
        if entry.stack == "acme-prod":
            seed_tenant(aws, account, entry.spec, view.management_account_id)
    stray = org.create_account(aws, view, STRAY, "aws+zeta-prod@tenant-zone.example.jp", "Tenants/Prod")
    clients = tenant_clients(aws, stray)
    clients("iam").create_role(RoleName="tz-audit", Path="/tenant-zone/", AssumeRolePolicyDocument="{}")
    clients("ec2").create_vpc(CidrBlock=STRAY_CIDR)
    return Org(moto_endpoint, aws, len(org.discover(aws).accounts))


def _run(program: Path, request: Path, endpoint: str, crash: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != CRASH_ENV}
    if crash:
        env[CRASH_ENV] = crash
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tenantctl",
            "onboard",
            str(request),
            "--endpoint-url",
            endpoint,
            "--program",
            str(program),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_killed_at_each_step_then_rerun(organization: Org, tmp_path: Path) -> None:
    program = make_program(tmp_path / "program")
    request = tmp_path / "gamma.yaml"
    request.write_text(REQUEST, encoding="utf-8")
    crashes = ["preflight:after"]
    for step in STEPS[2:]:
        crashes.append(f"{step}:before")
        if step in ("register", "vend", "baseline"):
            crashes.append(f"{step}:after")
    for crash in crashes:
        run = _run(program, request, organization.endpoint, crash)
        assert run.returncode == -9, (crash, run.stderr[-2000:])
    final = _run(program, request, organization.endpoint, None)
    assert final.returncode == 0, final.stderr[-3000:]
    report = json.loads(final.stdout)

    stacks = program / "stacks"
    assert sorted(p.name for p in stacks.glob("Pulumi.gamma*.yaml")) == ["Pulumi.gamma-prod.yaml"]
    accounts = [
        a
        for a in org.discover(organization.aws).accounts.values()
        if a["Email"] == "aws+gamma-prod@tenant-zone.example.jp"
    ]
    assert [a["Name"] for a in accounts] == ["gamma-prod"]
    assert report["account"] == accounts[0]["Id"]
    journal = json.loads((stacks / ".lifecycle" / "gamma-prod.onboard.json").read_text(encoding="utf-8"))
    assert [s for s in STEPS if journal["steps"].get(s, {}).get("status") == "done"] == list(STEPS)
    # a step killed before or after its effect ran again (2 attempts), and its effect exists once
    assert journal["steps"]["register"]["attempts"] == 2
    assert journal["steps"]["vend"]["attempts"] == 2
    assert journal["steps"]["baseline"]["attempts"] == 2
    assert journal["steps"]["audit"]["result"] == {
        "passed": True,
        "mandatory": 0,
        "findings": [],
        "undecided": [],
    }
    kms = tenant_clients(organization.aws, accounts[0]["Id"])
    for region in ("ap-northeast-1", "ap-northeast-3"):
        keys = kms("kms", region).list_keys()["Keys"]
        assert len(keys) == 1, region
    assert (stacks / ".lifecycle" / "evidence" / "gamma-prod.md").is_file()
    evidence = json.loads(
        (stacks / ".lifecycle" / "evidence" / "gamma-prod.json").read_text(encoding="utf-8")
    )
    assert evidence["account"] == accounts[0]["Id"] and evidence["gate"]["passed"] is True


BAD = {
    "region": (
        REQUEST.replace("aws:region: ap-northeast-1", "aws:region: us-east-1"),
        [
            "aws:region: 'us-east-1' is outside Japan; expected ap-northeast-1 (Tokyo) or ap-northeast-3"
            " (Osaka). [RES-01]"
        ],
    ),
    "cidr-registered": (
        REQUEST.replace("10.48.0.0/16", "10.16.0.0/16"),
        ["vpcCidr: '10.16.0.0/16' overlaps", "[TEN-02]"],
    ),
    "cidr-live": (
        REQUEST.replace("10.48.0.0/16", STRAY_CIDR),
        [f"overlaps VPC {STRAY_CIDR} in tenant account {STRAY}", "[TEN-02]"],
    ),
    "email-registered": (
        REQUEST.replace("aws+gamma-prod@", "aws+acme-prod@"),
        [
            (
                "accountEmail: 'aws+acme-prod@tenant-zone.example.jp' is also the account e-mail of stack"
                " acme-prod"
            ),
            "[TEN-01]",
        ],
    ),
    "email-live": (
        REQUEST.replace("aws+gamma-prod@", "aws+log-archive@"),
        ["accountEmail: 'aws+log-archive@tenant-zone.example.jp' is the e-mail of account", "[TEN-01]"],
    ),
    "tenant-registered": (
        REQUEST.replace("id: gamma", "id: acme")
        .replace("aws+gamma-prod@", "aws+acme2@")
        .replace("10.48.0.0/16", "10.49.0.0/16"),
        ["the stack is registered with a different spec", "[TEN-01]"],
    ),
    "tenant-live": (
        REQUEST.replace("id: gamma", "id: zeta").replace("aws+gamma-prod@", "aws+zeta2@"),
        ["'zeta' in prod already has account", "[TEN-01]"],
    ),
    "malformed": ("config: [unclosed\n", ["not valid YAML"]),
    "unknown-key": (REQUEST.replace("    id: gamma\n", "    id: gamma\n    colour: blue\n"), ["colour"]),
    "unknown-config": (REQUEST + "  other:key: 1\n", ["config.other:key: unknown key"]),
}


@pytest.fixture()
def program(tmp_path: Path) -> Iterator[Path]:
    yield make_program(tmp_path / "program")


def _snapshot(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_request_exits_2_and_leaves_nothing(
    organization: Org, program: Path, tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text, expected = BAD[case]
    request = tmp_path / "request.yaml"
    request.write_text(text, encoding="utf-8")
    before = _snapshot(program)
    accounts = len(org.discover(organization.aws).accounts)
    code = main(["onboard", str(request), "--endpoint-url", organization.endpoint, "--program", str(program)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    for fragment in expected:
        assert fragment in err
    assert _snapshot(program) == before
    assert len(org.discover(organization.aws).accounts) == accounts


def test_non_utf8_request(
    organization: Org, program: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = tmp_path / "request.yaml"
    request.write_bytes(REQUEST.replace("soc@gamma", "soc\xe9@gamma").encode("latin-1"))
    before = _snapshot(program)
    code = main(["onboard", str(request), "--endpoint-url", organization.endpoint, "--program", str(program)])
    err = capsys.readouterr().err
    assert code == 2
    assert "is not UTF-8 (invalid continuation byte); expected UTF-8 text" in err
    assert _snapshot(program) == before


def test_plan_only_changes_nothing(
    organization: Org, program: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = tmp_path / "request.yaml"
    request.write_text(
        REQUEST.replace("gamma", "delta").replace("10.48.0.0/16", "10.50.0.0/16"), encoding="utf-8"
    )
    before = _snapshot(program)
    accounts = len(org.discover(organization.aws).accounts)
    code = main(
        [
            "onboard",
            str(request),
            "--plan-only",
            "--format",
            "json",
            "--endpoint-url",
            organization.endpoint,
            "--program",
            str(program),
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["plan"]["ou"] == "Tenants/Prod"
    assert out["plan"]["plan"][0] == "register stacks/Pulumi.delta-prod.yaml"
    assert _snapshot(program) == before
    assert len(org.discover(organization.aws).accounts) == accounts
