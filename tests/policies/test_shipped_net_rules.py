"""The shipped tenant stacks pass the network and edge rules (components/network.py, components/edge.py).

acme-prod exercises production (a NAT gateway per AZ, three AZs); acme-staging a
tenant whose allowedCidrs make the entry point allow-only (EDGE-04).
"""

from pathlib import Path

import pytest

from tenantctl.gate import check_program
from tests.policies.raw._net_raw import NET_RULES

REPO = Path(__file__).resolve().parents[2]


# What each stack legitimately leaves out: no RAM share, database or CloudFront in the baseline, cross-stack
# CIDRs are judged by --all; acme-prod has no allow list, acme-staging is not production.
NOT_APPLICABLE = {"ram_no_external_share", "db_isolated_subnets", "cloudfront_tls", "tenant_cidr_unique"}
EXTRA_NOT_APPLICABLE = {"acme-prod": {"waf_allow_list_enforced"}, "acme-staging": {"nat_per_az_prod"}}


@pytest.mark.parametrize("stack", ["acme-prod", "acme-staging"])
def test_shipped_tenant_stack_passes_network_and_edge_rules(stack):
    result = check_program(REPO, stack)
    assert [v.message for v in result.violations if v.rule in NET_RULES] == []
    assert [u for u in result.undecided if u.rule in NET_RULES] == []
    # The other rules judged the stack rather than finding it out of scope.
    skipped = {n.rule for n in result.not_applicable if n.rule in NET_RULES}
    assert skipped <= NOT_APPLICABLE | EXTRA_NOT_APPLICABLE[stack]
