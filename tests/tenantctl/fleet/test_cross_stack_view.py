"""``check --all`` shows the cross-stack rules only the resources they read, with the same findings."""

from __future__ import annotations

from typing import Any

from policies.framework import MultiStackRule
from policies.registry import all_rules
from tenantctl.fleet import _cross_stack, cross_stack_view
from tenantctl.gate.adapt import stack_input
from tenantctl.gate.program import default_runner
from tests.tenantctl.gate.synthkit import SynthBuilder

VPC = "aws:ec2/vpc:Vpc"
ACCOUNT = "aws:organizations/account:Account"


def _tenant(stack: str, cidr: str, *, peered_cidr: str | None = None) -> dict[str, Any]:
    b = SynthBuilder(stack)
    tokyo = b.provider("tokyo", defaultTags={"tags": {"tenant": stack.split("-")[0]}})
    b.add("tenant-zone:baseline:TenantBaseline", stack, {}, custom=False)
    vpc = b.add(VPC, f"{stack}-vpc", {"cidrBlock": cidr}, provider=tokyo, outputs={"id": f"vpc-{stack}"})
    b.add("aws:s3/bucket:Bucket", f"{stack}-data", {"bucket": f"{stack}-data"}, provider=tokyo)
    b.add(
        "aws:ec2/subnet:Subnet",
        f"{stack}-subnet",
        {"cidrBlock": cidr, "vpcId": f"vpc-{stack}"},
        provider=tokyo,
    )
    if peered_cidr is not None:
        other = b.add(
            VPC, f"{stack}-vpc2", {"cidrBlock": peered_cidr}, provider=tokyo, outputs={"id": f"vpc2-{stack}"}
        )
        b.add(
            "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
            f"{stack}-peer",
            {"vpcId": f"vpc-{stack}", "peerVpcId": f"vpc2-{stack}"},
            provider=tokyo,
            prop_deps={"vpcId": [vpc], "peerVpcId": [other]},
        )
    return b.build()


def _org(*accounts: tuple[str, str, str]) -> dict[str, Any]:
    b = SynthBuilder("org")
    tokyo = b.provider("tokyo")
    b.add("tenant-zone:organization:Organization", "org", {}, custom=False)
    for name, email, tenant in accounts:
        b.add(
            ACCOUNT,
            name,
            {"email": email, "name": name, "tags": {"tenant": tenant, "environment": "prod"}},
            provider=tokyo,
        )
    b.add("aws:organizations/policy:Policy", "scp", {"content": "{}"}, provider=tokyo)
    return b.build()


def _findings(documents: list[dict[str, Any]], *, filtered: bool) -> list[tuple[str, str, str, str]]:
    runner = default_runner()
    reads = runner.cross_stack_reads() if filtered else None
    result = runner.check_stacks(
        [stack_input(cross_stack_view(d, reads), per_resource=False) for d in documents]
    )
    return sorted((v.stack, v.rule, v.urn, v.message) for v in result.violations)


def test_every_shipped_cross_stack_rule_declares_what_it_reads() -> None:
    multi = [rule for rule in all_rules().values() if isinstance(rule, MultiStackRule)]
    assert multi and all(rule.reads for rule in multi)
    assert default_runner().cross_stack_reads() == frozenset().union(*(rule.reads or () for rule in multi))


def test_the_view_keeps_the_read_types_stacks_providers_and_kind_markers_only() -> None:
    document = _tenant("acme-prod", "10.0.0.0/16")
    kept = {r["type"] for r in cross_stack_view(document, default_runner().cross_stack_reads())["resources"]}
    assert kept == {"pulumi:providers:aws", "tenant-zone:baseline:TenantBaseline", VPC}
    assert cross_stack_view(document, None) is document


def test_filtered_and_full_views_find_the_same_violations() -> None:
    fleet = [
        _org(
            ("acme-prod", "ops@x.jp", "acme"),
            ("beta-prod", "OPS@x.jp", "beta"),
            ("acme-prod-2", "b@x.jp", "acme"),
        ),
        _tenant("acme-prod", "10.0.0.0/16"),
        _tenant("beta-prod", "10.0.128.0/17"),
        _tenant("gamma-prod", "10.8.0.0/16", peered_cidr="10.8.1.0/24"),
        _tenant("Gamma-prod", "10.9.0.0/16"),
    ]
    full = _findings(fleet, filtered=False)
    assert {rule for _, rule, _, _ in full} == {"tenant_cidr_unique", "tenant_identity_unique"}
    assert len(full) >= 5
    assert _findings(fleet, filtered=True) == full


def test_check_all_cross_stack_pass_uses_the_view() -> None:
    fleet = [_tenant("acme-prod", "10.0.0.0/16"), _tenant("beta-prod", "10.0.0.0/16")]
    result = _cross_stack(fleet, {"acme-prod": "tenant", "beta-prod": "tenant"})
    assert [(v.stack, v.rule) for v in result.violations] == [("beta-prod", "tenant_cidr_unique")]
    assert result.violations == _cross_stack_full(fleet)


def _cross_stack_full(documents: list[dict[str, Any]]) -> list[Any]:
    runner = default_runner()
    kinds = {"acme-prod": "tenant", "beta-prod": "tenant"}
    return runner.check_stacks([stack_input(d, per_resource=False) for d in documents], kinds).violations
