import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import NotApplicable
from tests.policies.rules._fixtures_data import tenant_resource
from tests.rulekit import messages, outcome

RULE = "tls_forward_secrecy"
LISTENER = "aws:lb/listener:Listener"
EXPECTED = (
    "expected an sslPolicy offering only forward-secret key exchange (e.g."
    " ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-2-Res-2021-06,"
    " ELBSecurityPolicy-FS-1-2-Res-2020-10). [ENC-05]"
)


def listener(
    protocol="HTTPS", policy="ELBSecurityPolicy-TLS13-1-2-2021-06", resource_type=LISTENER, preview=False
):
    props = {"protocol": protocol, "port": 443}
    if policy is not None:
        props["sslPolicy"] = policy
    return tenant_resource(resource_type, "https", props, preview=preview)


@pytest.mark.parametrize(
    "policy",
    [
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-FS-1-2-Res-2020-10",
        "ELBSecurityPolicy-FS-1-2-2019-08",
    ],
)
def test_pass_forward_secret_policies(policy):
    assert outcome(RULE, listener(policy=policy)) == "pass"
    assert outcome(RULE, listener("TLS", policy)) == "pass"


def test_pass_plain_http_listener_is_not_a_tls_endpoint():
    assert outcome(RULE, listener("HTTP", None)) == "pass"


@pytest.mark.parametrize(
    "policy",
    [
        "ELBSecurityPolicy-TLS-1-2-2017-01",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
        "ELBSecurityPolicy-2016-08",
    ],
)
def test_fail_policy_allowing_rsa_key_exchange(policy):
    assert messages(RULE, listener(policy=policy)) == [
        f"{LISTENER} https: sslPolicy {policy} is not known to offer only forward-secret ciphers; {EXPECTED}"
    ]


def test_fail_no_policy_on_alb_listener():
    alb = "aws:alb/listener:Listener"
    assert messages(RULE, listener(policy=None, resource_type=alb)) == [
        f"{alb} https: sslPolicy is not set (ELB applies ELBSecurityPolicy-2016-08, which offers RSA key "
        f"exchange); {EXPECTED}"
    ]


def test_na_other_types():
    with pytest.raises(NotApplicable):
        messages(RULE, tenant_resource("aws:lb/loadBalancer:LoadBalancer", "alb", {}))


def test_unknown_policy_in_preview():
    assert outcome(RULE, listener(policy=UNKNOWN_STRING_VALUE, preview=True)) == "unknown"
