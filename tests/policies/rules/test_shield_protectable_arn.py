import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource

RULE = "shield_protectable_arn"
PROTECTION = "aws:shield/protection:Protection"
EXPECTED = (
    "expected the ARN of an ALB, Classic Load Balancer, CloudFront distribution, Route 53 hosted zone, Global"
    " Accelerator standard accelerator, or an Elastic IP as"
    " arn:aws:ec2:<region>:<account>:eip-allocation/<allocation-id>. [DEP-03]"
)
EIP_EC2_ARN = "arn:aws:ec2:ap-northeast-1:111111111111:elastic-ip/eipalloc-0abc123"


def protection(arn, preview=False):
    return resource(PROTECTION, "shield", {"resourceArn": arn}, region=None, preview=preview)


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:loadbalancer/app/web/50dc6c495c0c9188",
        "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:loadbalancer/classic-web",
        "arn:aws:cloudfront::111111111111:distribution/E2QWRUHAPOMQZL",
        "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ",
        "arn:aws:globalaccelerator::111111111111:accelerator/1234abcd-abcd-1234-abcd-1234abcdef00",
        "arn:aws:ec2:ap-northeast-1:111111111111:eip-allocation/eipalloc-0abc123",
    ],
)
def test_pass_protectable(arn):
    assert outcome(RULE, protection(arn)) == "pass"


def test_fail_elastic_ip_ec2_arn():
    assert messages(RULE, protection(EIP_EC2_ARN)) == [
        f"{PROTECTION} shield: resourceArn '{EIP_EC2_ARN}' is not a resource Shield Advanced can protect "
        "(an Elastic IP's EC2 ARN; Shield names it by its eip-allocation), so CreateProtection fails with "
        f"InvalidResourceException; {EXPECTED}"
    ]


def test_fail_network_load_balancer():
    arn = "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:loadbalancer/net/nlb/50dc6c495c0c9188"
    assert messages(RULE, protection(arn)) == [
        f"{PROTECTION} shield: resourceArn '{arn}' is not a resource Shield Advanced can protect (a network"
        " load balancer, which Shield protects only through its Elastic IPs), so CreateProtection fails with"
        f" InvalidResourceException; {EXPECTED}"
    ]


def test_fail_other_resource():
    arn = "arn:aws:apigateway:ap-northeast-1::/restapis/a1b2c3/stages/prod"
    assert messages(RULE, protection(arn)) == [
        f"{PROTECTION} shield: resourceArn '{arn}' is not a resource Shield Advanced can protect, so "
        f"CreateProtection fails with InvalidResourceException; {EXPECTED}"
    ]


def test_na_other_resource_types():
    assert outcome(RULE, resource("aws:ec2/eip:Eip", "ip", {"domain": "vpc"})) == "n/a"


def test_unknown_arn_in_preview():
    assert outcome(RULE, protection(UNKNOWN_STRING_VALUE, preview=True)) == "unknown"
