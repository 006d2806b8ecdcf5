"""The tenant list: the stack files are the only source, checked across tenants (TEN-01, TEN-02)."""

from __future__ import annotations

import ipaddress
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tenancy.registry import AccountSpec, load_accounts, load_tenants, tenant_stack_files
from tenancy.spec import SpecError

STACKS_DIR = Path(__file__).resolve().parents[2] / "stacks"


def spec(tenant: str, env: str, cidr: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": tenant,
        "environment": env,
        "accountEmail": f"aws+{tenant}-{env}@example.jp",
        "vpcCidr": cidr,
        "dataClassification": "confidential",
        "incidentEmail": f"security@{tenant}.example.jp",
        "domainName": f"app.{tenant}.example.jp",
        "hostedZoneId": "Z0123456789ABCDEFGHIJ",
        **changes,
    }


def write(directory: Path, stack: str, tenant: Any, **extra: Any) -> Path:
    config: dict[str, Any] = {"aws:region": "ap-northeast-1", **extra}
    if tenant is not None:
        config["tenant-zone:tenant"] = tenant
    path = directory / f"Pulumi.{stack}.yaml"
    path.write_text(yaml.safe_dump({"config": config}), encoding="utf-8")
    return path


def load_problems(directory: Path) -> list[str]:
    """The registry's problems, which the org program's reading (``load_accounts``) reports the same."""
    with pytest.raises(SpecError) as caught:
        load_tenants(directory)
    with pytest.raises(SpecError) as through_accounts:
        load_accounts(directory)
    assert through_accounts.value.problems == caught.value.problems
    return caught.value.problems


def test_the_org_programs_accounts_are_the_registry_entries_reduced_to_their_account_fields() -> None:
    tenants = load_tenants(STACKS_DIR)
    accounts = load_accounts(STACKS_DIR)
    assert [(a.stack, a.path) for a in accounts] == [(t.stack, t.path) for t in tenants]
    for account, tenant in zip(accounts, tenants, strict=True):
        assert account.spec == AccountSpec(
            **{name: getattr(tenant.spec, name) for name in AccountSpec.__dataclass_fields__}
        )


def test_shipped_stack_files_are_the_three_tenant_stacks() -> None:
    entries = load_tenants(STACKS_DIR)
    assert [e.stack for e in entries] == ["acme-prod", "acme-staging", "beta-prod"]
    assert all(e.path.name == f"Pulumi.{e.stack}.yaml" for e in entries)
    networks = [ipaddress.ip_network(e.spec.vpc_cidr) for e in entries]
    assert not any(a.overlaps(b) for i, a in enumerate(networks) for b in networks[i + 1 :])


def test_org_stack_file_is_not_a_tenant(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.org.yaml").write_text("config:\n  tenant-zone:org: {}\n", encoding="utf-8")
    write(tmp_path, "acme-prod", spec("acme", "prod", "10.1.0.0/16"))
    (tmp_path / "Pulumi.yaml").write_text("name: tenant-zone\n", encoding="utf-8")
    assert [stack for stack, _ in tenant_stack_files(tmp_path)] == ["acme-prod"]
    assert [e.stack for e in load_tenants(tmp_path)] == ["acme-prod"]


def test_overlapping_cidrs_name_both_stacks(tmp_path: Path) -> None:
    write(tmp_path, "acme-prod", spec("acme", "prod", "10.1.0.0/16"))
    write(tmp_path, "beta-prod", spec("beta", "prod", "10.1.16.0/20"))
    assert load_problems(tmp_path) == [
        "Pulumi.beta-prod.yaml tenant-zone:tenant.vpcCidr: '10.1.16.0/20' overlaps '10.1.0.0/16' of stack"
        " acme-prod (Pulumi.acme-prod.yaml); expected a range that no other tenant stack uses. [TEN-02]"
    ]


def test_shared_account_email_is_refused_case_insensitively(tmp_path: Path) -> None:
    write(tmp_path, "acme-prod", spec("acme", "prod", "10.1.0.0/16", accountEmail="aws@acme.example.jp"))
    write(
        tmp_path, "acme-staging", spec("acme", "staging", "10.2.0.0/16", accountEmail="AWS@acme.example.jp")
    )
    assert load_problems(tmp_path) == [
        "Pulumi.acme-staging.yaml tenant-zone:tenant.accountEmail: 'AWS@acme.example.jp' is also the account"
        " e-mail of stack acme-prod (Pulumi.acme-prod.yaml); expected an address no other tenant account uses"
        " (each environment has its own AWS account). [TEN-01]"
    ]


def test_stack_name_must_spell_id_and_environment(tmp_path: Path) -> None:
    write(tmp_path, "acme-prod", spec("acme", "staging", "10.1.0.0/16"))
    assert load_problems(tmp_path) == [
        "Pulumi.acme-prod.yaml tenant-zone:tenant: id 'acme' and environment 'staging' make stack"
        " acme-staging, not acme-prod; expected the file Pulumi.acme-staging.yaml, or id and environment that"
        " spell acme-prod."
    ]


def test_spec_problems_are_prefixed_with_their_file_and_collected_across_files(tmp_path: Path) -> None:
    write(tmp_path, "acme-prod", spec("acme", "prod", "10.1.0.0/16", primaryRegion="us-east-1"))
    write(tmp_path, "beta-prod", None)
    (tmp_path / "Pulumi.gamma-dev.yaml").write_text("config: [unclosed\n", encoding="utf-8")
    found = load_problems(tmp_path)
    assert (
        found[0]
        == "Pulumi.acme-prod.yaml tenant-zone:tenant.primaryRegion: 'us-east-1' is outside Japan; expected "
        "ap-northeast-1 or ap-northeast-3. [RES-01]"
    )
    assert (
        found[1]
        == "Pulumi.beta-prod.yaml tenant-zone:tenant: is missing; expected the tenant specification object"
        " (id, "
        "environment, ...)."
    )
    assert found[2].startswith("Pulumi.gamma-dev.yaml:2:1: is not valid YAML (")
    assert len(found) == 3


def test_empty_directory_has_no_tenants(tmp_path: Path) -> None:
    assert load_tenants(tmp_path) == []


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=0, max_value=255),
    st.integers(min_value=16, max_value=24),
    st.integers(min_value=0, max_value=255),
    st.integers(min_value=16, max_value=24),
)
def test_cidr_clash_is_reported_exactly_when_the_ranges_overlap(a: int, pa: int, b: int, pb: int) -> None:
    first = ipaddress.IPv4Network((f"10.{a}.0.0", pa), strict=False)
    second = ipaddress.IPv4Network((f"10.{b}.0.0", pb), strict=False)
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        write(directory, "acme-prod", spec("acme", "prod", str(first)))
        write(directory, "beta-prod", spec("beta", "prod", str(second)))
        try:
            load_tenants(directory)
        except SpecError as error:
            assert first.overlaps(second)
            assert error.problems[0].endswith("[TEN-02]") and "acme-prod" in error.problems[0]
        else:
            assert not first.overlaps(second)
