"""Running the gate over the network and edge raw programs (tests/fixtures/raw/{network,edge})."""

from __future__ import annotations

from pathlib import Path

from tenantctl.gate import GateResult, check_program

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "raw"
STACK = "test"

# The rules these programs exercise (TEN-02, RES-03, ENC-03 listeners/CloudFront, EDGE-01..04, NET-01..04,
# LOG-06 load balancer access logs);
# other rules' findings (baseline detection, backup, patching...) are filtered out.
NET_RULES = frozenset(
    {
        "vpc_peering_same_tenant",
        "ram_no_external_share",
        "tenant_cidr_unique",
        "vpc_endpoints",
        "lb_listener_tls",
        "lb_access_logs",
        "cloudfront_tls",
        "waf_managed_rules",
        "waf_rate_limit",
        "waf_ip_sets",
        "entry_point_web_acl",
        "waf_geo_japan_only",
        "entry_point_shield",
        "waf_logging",
        "waf_allow_list_enforced",
        "no_public_ip",
        "db_not_public",
        "db_isolated_subnets",
        "sg_no_public_ingress",
        "default_sg_empty",
        "vpc_zones_multi_az",
        "nat_per_az_prod",
        "flow_log_all_traffic",
        "vpc_flow_logs",
    }
)


def gate(family: str, variant: str) -> GateResult:
    return check_program(FIXTURES / family / variant, STACK)


def findings(result: GateResult) -> set[tuple[str, str, str]]:
    """(control, rule, resource name) of every violation by a network or edge rule."""
    return {(v.control, v.rule, v.name) for v in result.violations if v.rule in NET_RULES}


def undecided(result: GateResult) -> list[str]:
    return [f"{u.rule} {u.name}: {u.reason}" for u in result.undecided if u.rule in NET_RULES]


def messages(result: GateResult, rule: str, name: str) -> list[str]:
    return sorted(v.message for v in result.violations if v.rule == rule and v.name == name)
