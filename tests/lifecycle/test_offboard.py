"""Offboarding in two phases against moto: suspend now, shred and close after the retention period (or
with --force and a reason), journaled and safe to rerun; refusals exit 2."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from moto import mock_aws

from tenantctl.cli import main
from tenantctl.errors import UserError
from tenantctl.lifecycle import org
from tenantctl.lifecycle.aws import Aws
from tenantctl.lifecycle.offboard import DAY, OffboardOptions, offboard
from tests.lifecycle.orgkit import Tenant, new_tenant, shipped_spec


@dataclass
class World:
    aws: Aws
    tenant: Tenant
    stacks: Path


@pytest.fixture()
def world(tmp_path: Path) -> Iterator[World]:
    with mock_aws():
        aws = Aws()
        view = org.bootstrap(aws)
        tenant = new_tenant(aws, view, "beta-prod", spec=shipped_spec("beta-prod"))
        stacks = tmp_path / "stacks"
        stacks.mkdir()
        (stacks / "Pulumi.beta-prod.yaml").write_text("config: {}\n", encoding="utf-8")
        yield World(aws, tenant, stacks)


def _parent(w: World) -> str:
    return str(w.aws.client("organizations").list_parents(ChildId=w.tenant.account_id)["Parents"][0]["Id"])


def _key_states(w: World) -> list[str]:
    states = []
    for region in ("ap-northeast-1", "ap-northeast-3"):
        kms = w.tenant.clients("kms", region)
        states += [
            kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] for k in kms.list_keys()["Keys"]
        ]
    return sorted(states)


def test_suspend_then_shred_after_retention(world: World) -> None:
    w = world
    start = time.time()
    first = offboard(w.aws, "beta", "prod", OffboardOptions(w.stacks, now=start))
    assert first.phase == "suspended"
    assert _parent(w) == org.discover(w.aws).ou_ids["Suspended"]
    acl = w.tenant.clients("wafv2").list_web_acls(Scope="REGIONAL")["WebACLs"][0]
    web_acl = w.tenant.clients("wafv2").get_web_acl(Name=acl["Name"], Scope="REGIONAL", Id=acl["Id"])[
        "WebACL"
    ]
    assert "Block" in web_acl["DefaultAction"]
    assert _key_states(w) == ["Enabled", "Enabled"]

    again = offboard(w.aws, "beta", "prod", OffboardOptions(w.stacks, now=start + 269 * DAY))
    assert again.phase == "suspended" and _key_states(w) == ["Enabled", "Enabled"]
    assert (w.stacks / "Pulumi.beta-prod.yaml").is_file()

    done = offboard(w.aws, "beta", "prod", OffboardOptions(w.stacks, now=start + 271 * DAY))
    assert done.phase == "closed"
    assert _key_states(w) == ["PendingDeletion", "PendingDeletion"]
    status = w.aws.client("organizations").describe_account(AccountId=w.tenant.account_id)["Account"][
        "Status"
    ]
    assert status in ("SUSPENDED", "PENDING_CLOSURE")
    assert not (w.stacks / "Pulumi.beta-prod.yaml").exists()
    journal = json.loads((w.stacks / ".lifecycle" / "beta-prod.offboard.json").read_text(encoding="utf-8"))
    assert [
        s for s in ("suspend", "shred", "close", "remove-stack") if journal["steps"][s]["status"] == "done"
    ] == ["suspend", "shred", "close", "remove-stack"]
    assert journal["steps"]["suspend"]["attempts"] == 1 and len(journal["runs"]) == 3
    assert len(journal["steps"]["shred"]["keys"]) == 2

    rerun = offboard(w.aws, "beta", "prod", OffboardOptions(w.stacks, now=start + 300 * DAY))
    assert rerun.phase == "closed" and len(rerun.journal.runs) == 4


def test_force_needs_a_reason_and_is_recorded(world: World) -> None:
    w = world
    offboard(w.aws, "beta", "prod", OffboardOptions(w.stacks))
    with pytest.raises(UserError, match=r"--force: needs --reason"):
        offboard(w.aws, "beta", "prod", OffboardOptions(w.stacks, force=True, reason=" "))
    outcome = offboard(
        w.aws, "beta", "prod", OffboardOptions(w.stacks, force=True, reason="tenant asked for erasure")
    )
    assert outcome.phase == "closed"
    assert outcome.journal.data["forced"]["reason"] == "tenant asked for erasure"
    assert _key_states(w) == ["PendingDeletion", "PendingDeletion"]


def test_unknown_tenant_is_refused(world: World) -> None:
    with pytest.raises(UserError) as raised:
        offboard(world.aws, "nobody", "prod", OffboardOptions(world.stacks))
    assert str(raised.value) == (
        "--tenant nobody --env prod: no tenant nobody-prod (stack file missing, account missing); expected a "
        "registered tenant with an account. [DATA-01]"
    )
    assert not (world.stacks / ".lifecycle").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--confirm", "acme"],
            "--confirm acme: does not match --tenant beta; expected the tenant ID again.",
        ),
        (
            ["--confirm", "beta", "--reason", "x"],
            '--reason: only with --force; expected --force --reason "...".',
        ),
        (
            ["--confirm", "beta", "--data-retention-days", "-1"],
            "--data-retention-days -1: negative; expected a number of days >= 0. [DATA-01]",
        ),
    ],
)
def test_cli_refusals(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["offboard", "--tenant", "beta", "--env", "prod", *argv, "--endpoint-url", "http://127.0.0.1:9"]
    )
    assert code == 2
    assert capsys.readouterr().err == f"tenantctl offboard: error: {message}\n"
