import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import ALB_LB, LB
from tests.rulekit import messages, outcome, resource

RULE = "lb_access_logs"
EXPECTED = "expected accessLogs with enabled true and the bucket of the log archive's access logs. [LOG-06]"
LOGS = {"bucket": "alb-access-logs-apne1-bucket-0000000", "enabled": True, "prefix": "acme-prod"}


def alb(*, resource_type=LB, preview=False, **props):
    base = {"loadBalancerType": "application", "internal": False, "accessLogs": dict(LOGS)}
    base.update(props)
    return resource(resource_type, "entry", {k: v for k, v in base.items() if v is not None}, preview=preview)


@pytest.mark.parametrize("resource_type", [LB, ALB_LB])
def test_pass_internet_facing_alb_with_access_logs(resource_type):
    assert outcome(RULE, alb(resource_type=resource_type)) == "pass"


def test_pass_default_type_and_scheme_are_application_and_internet_facing():
    view = resource(LB, "entry", {"accessLogs": dict(LOGS)})
    assert outcome(RULE, view) == "pass"
    assert messages(RULE, resource(LB, "entry", {})) == [
        f"{LB} entry: accessLogs is not set (the load balancer writes no access log); {EXPECTED}"
    ]


def test_fail_without_access_logs():
    assert messages(RULE, alb(accessLogs=None)) == [
        f"{LB} entry: accessLogs is not set (the load balancer writes no access log); {EXPECTED}"
    ]


@pytest.mark.parametrize("value, shown", [(False, "false"), (None, "not set"), ("false", '"false"')])
def test_fail_access_logs_disabled(value, shown):
    logs = {k: v for k, v in {**LOGS, "enabled": value}.items() if v is not None}
    assert messages(RULE, alb(accessLogs=logs)) == [
        f"{LB} entry: accessLogs.enabled is {shown} (the load balancer writes none); {EXPECTED}"
    ]


@pytest.mark.parametrize("bucket", [None, "", "  "])
def test_fail_access_logs_without_bucket(bucket):
    logs = {k: v for k, v in {**LOGS, "bucket": bucket}.items() if v is not None}
    assert messages(RULE, alb(accessLogs=logs)) == [f"{LB} entry: accessLogs.bucket is not set; {EXPECTED}"]


def test_na_internal_and_other_kinds():
    assert outcome(RULE, alb(internal=True, accessLogs=None)) == "n/a"
    assert outcome(RULE, alb(loadBalancerType="network", accessLogs=None)) == "n/a"
    assert outcome(RULE, alb(loadBalancerType="gateway", accessLogs=None)) == "n/a"
    assert outcome(RULE, resource("aws:lb/listener:Listener", "https", {})) == "n/a"


def test_preview_unknown_bucket_is_a_bucket_and_unknown_enabled_is_undecided():
    assert outcome(RULE, alb(accessLogs={**LOGS, "bucket": UNKNOWN_STRING_VALUE}, preview=True)) == "pass"
    assert (
        outcome(RULE, alb(accessLogs={**LOGS, "enabled": UNKNOWN_BOOLEAN_VALUE}, preview=True)) == "unknown"
    )
