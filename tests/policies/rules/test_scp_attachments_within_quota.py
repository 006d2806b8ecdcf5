from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource, stack

RULE = "scp_attachments_within_quota"
POLICY = "aws:organizations/policy:Policy"
ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment"
EXPECTED = "expected at most 5 SCPs per root, OU or account, FullAWSAccess included. [DEP-01]"


def policy(name, policy_type="SERVICE_CONTROL_POLICY"):
    return resource(POLICY, name, {"type": policy_type, "id": f"p-{name}"}, region=None)


def attach(policy_view, target="ou-prod", name=None):
    name = name or f"{policy_view.name}-{target}"
    return resource(
        ATTACHMENT,
        name,
        {"policyId": policy_view.props["id"], "targetId": target},
        region=None,
        prop_deps={"policyId": [policy_view.urn]},
    )


def attached(count, target="ou-prod", policy_type="SERVICE_CONTROL_POLICY", prefix="scp"):
    policies = [policy(f"{prefix}{i}", policy_type) for i in range(count)]
    return [*policies, *(attach(p, target) for p in policies)]


def test_pass_four_plus_full_aws_access():
    assert outcome(RULE, stack(*attached(4))) == "pass"


def test_fail_five_plus_full_aws_access():
    assert messages(RULE, stack(*attached(5))) == [
        f"{ATTACHMENT} scp0-ou-prod: 6 SCPs would be attached to target ou-prod (scp0, scp1, scp2, scp3, scp4"
        " and FullAWSAccess), which Organizations refuses (ConstraintViolationException"
        f" POLICY_NUMBER_LIMIT_EXCEEDED); {EXPECTED}"
    ]


def test_explicit_full_aws_access_counts_once():
    full = resource(ATTACHMENT, "full", {"policyId": "p-FullAWSAccess", "targetId": "ou-prod"}, region=None)
    assert outcome(RULE, stack(*attached(4), full)) == "pass"


def test_targets_are_counted_apart():
    views = [*attached(4, "ou-prod"), *attached(4, "ou-nonprod", prefix="other")]
    assert outcome(RULE, stack(*views)) == "pass"


def test_other_policy_types_do_not_count():
    assert outcome(RULE, stack(*attached(4), *attached(3, policy_type="TAG_POLICY", prefix="tag"))) == "pass"


def test_na_without_attachments():
    assert outcome(RULE, stack(policy("lonely"))) == "n/a"


def test_unknown_target_in_preview():
    view = resource(
        ATTACHMENT, "a", {"policyId": "p-x", "targetId": UNKNOWN_STRING_VALUE}, region=None, preview=True
    )
    assert outcome(RULE, stack(view)) == "unknown"
