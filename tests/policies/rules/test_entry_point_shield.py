from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import (
    DISTRIBUTION,
    EIP,
    LB,
    PROTECTION,
    arn,
    build,
    edge,
    linked,
    network,
    patched,
)
from tests.rulekit import messages, outcome, resource

RULE = "entry_point_shield"
EXPECTED = "expected an aws:shield/protection:Protection whose resourceArn is this resource's ARN. [EDGE-03]"
EXPECTED_NLB = (
    "expected subnetMappings with an Elastic IP (allocationId) in every subnet, each protected by Shield"
    " Advanced. [EDGE-03]"
)
CDN_ARN = "arn:aws:cloudfront::111111111111:distribution/E1"
NLB_ARN = arn("elasticloadbalancing", "loadbalancer/net/acme/2")


def protected_stack(*extra):
    views = edge()
    alb_views = {k: views[k] for k in ("alb", "alb-shield")}
    net = network()
    nat_views = {k: v for k, v in net.items() if k.startswith("nat-eip")}
    cdn = resource(DISTRIBUTION, "cdn", {"arn": CDN_ARN}, region=None)
    cdn_shield = resource(PROTECTION, "cdn-shield", {"resourceArn": CDN_ARN}, region="us-east-1")
    return build({**alb_views, **nat_views}, cdn, cdn_shield, *extra)


def nlb_stack(mappings, *extra):
    eip = resource(EIP, "nlb-ip", {"domain": "vpc", "id": "eipalloc-nlb", "allocationId": "eipalloc-nlb"})
    eip_shield = linked(
        resource(PROTECTION, "nlb-ip-shield", {"resourceArn": "arn-output"}, region="us-east-1"),
        "resourceArn",
        eip,
    )
    nlb = resource(LB, "nlb", {"loadBalancerType": "network", "arn": NLB_ARN, "subnetMappings": mappings})
    return build([eip, eip_shield, nlb, *extra])


def test_pass_everything_protected():
    assert outcome(RULE, protected_stack()) == "pass"


def test_fail_alb_without_protection():
    views = edge()
    assert messages(RULE, build([views["alb"]])) == [
        f"{LB} alb: has no Shield Advanced protection; {EXPECTED}"
    ]


def test_fail_distribution_without_protection():
    cdn = resource(
        DISTRIBUTION, "cdn2", {"arn": "arn:aws:cloudfront::111111111111:distribution/E2"}, region=None
    )
    assert messages(RULE, protected_stack(cdn)) == [
        f"{DISTRIBUTION} cdn2: has no Shield Advanced protection; {EXPECTED}"
    ]


def test_fail_elastic_ip_without_protection():
    eip = resource(EIP, "bastion-ip", {"domain": "vpc", "id": "eipalloc-9", "allocationId": "eipalloc-9"})
    assert messages(RULE, protected_stack(eip)) == [
        f"{EIP} bastion-ip: has no Shield Advanced protection; {EXPECTED}"
    ]


def test_pass_internal_alb_needs_no_protection():
    views = edge()
    assert outcome(RULE, build([patched(views["alb"], internal=True)])) == "n/a"


def test_pass_nlb_behind_protected_elastic_ips():
    assert (
        outcome(RULE, nlb_stack([{"subnetId": "subnet-public-a", "allocationId": "eipalloc-nlb"}])) == "pass"
    )


def test_fail_nlb_without_subnet_mappings():
    assert messages(RULE, nlb_stack(None)) == [
        f"{LB} nlb: is internet-facing with AWS-assigned addresses (no subnetMappings), which Shield Advanced"
        f" cannot protect; {EXPECTED_NLB}"
    ]


def test_fail_nlb_mapping_without_allocation():
    mappings = [
        {"subnetId": "subnet-public-a", "allocationId": "eipalloc-nlb"},
        {"subnetId": "subnet-public-c"},
    ]
    assert messages(RULE, nlb_stack(mappings)) == [
        f"{LB} nlb: subnetMappings[1] has no allocationId, so its address cannot be protected; {EXPECTED_NLB}"
    ]


def test_fail_nlb_elastic_ip_outside_stack():
    assert messages(
        RULE, nlb_stack({"subnetId": "subnet-public-a", "allocationId": "eipalloc-elsewhere"})
    ) == [
        f"{LB} nlb: subnetMappings[0] uses Elastic IP eipalloc-elsewhere, which is not declared in this"
        f" stack, so its protection cannot be verified; {EXPECTED_NLB}"
    ]


def test_na_nothing_exposed():
    assert outcome(RULE, build([resource(LB, "internal", {"internal": True})])) == "n/a"


def test_unknown_protection_arn_in_preview():
    protection = resource(PROTECTION, "p", {"resourceArn": UNKNOWN_STRING_VALUE}, preview=True)
    assert outcome(RULE, build([edge()["alb"], protection])) == "unknown"


def test_pass_preview_allocation_unknown_but_behind_a_stack_elastic_ip():
    eip = resource(EIP, "nlb-ip", {"domain": "vpc", "id": "eipalloc-nlb", "allocationId": "eipalloc-nlb"})
    eip_shield = linked(
        resource(PROTECTION, "nlb-ip-shield", {"resourceArn": "arn-output"}, region="us-east-1"),
        "resourceArn",
        eip,
    )
    nlb = resource(
        LB,
        "nlb",
        {
            "loadBalancerType": "network",
            "arn": NLB_ARN,
            "subnetMappings": [{"subnetId": "subnet-public-a", "allocationId": UNKNOWN_STRING_VALUE}],
        },
        preview=True,
    )
    assert outcome(RULE, build([eip, eip_shield, linked(nlb, "subnetMappings", eip)])) == "pass"
    # Without a stack Elastic IP behind the mapping the unknown cannot be judged.
    assert outcome(RULE, build([eip, eip_shield, nlb])) == "unknown"
