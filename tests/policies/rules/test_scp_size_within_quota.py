import json

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource

RULE = "scp_size_within_quota"
POLICY = "aws:organizations/policy:Policy"
EXPECTED = "expected an SCP document of at most 5,120 characters, whitespace included. [DEP-01]"


def scp(content, **props):
    return resource(
        POLICY, "guardrails", {"type": "SERVICE_CONTROL_POLICY", "content": content, **props}, region=None
    )


def document(length):
    base = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}
    text = json.dumps(base, separators=(",", ":"))
    statement = base["Statement"][0]
    statement["Sid"] = "x" * (length - len(text) - len(',"Sid":""'))
    rendered = json.dumps(base, separators=(",", ":"))
    assert len(rendered) == length
    return rendered


def test_pass_at_the_quota():
    assert outcome(RULE, scp(document(5120))) == "pass"


def test_fail_one_character_over():
    assert messages(RULE, scp(document(5121))) == [
        f"{POLICY} guardrails: content is 5,121 characters long, which Organizations refuses "
        f"(ConstraintViolationException POLICY_CONTENT_LIMIT_EXCEEDED); {EXPECTED}"
    ]


def test_fail_whitespace_counts():
    pretty = json.dumps(json.loads(document(5100)), indent=4)
    assert len(pretty) > 5120
    assert outcome(RULE, scp(pretty)) == "fail"


def test_default_type_is_an_scp():
    view = resource(POLICY, "guardrails", {"content": document(5121)}, region=None)
    assert outcome(RULE, view) == "fail"


def test_na_other_policy_types():
    assert outcome(RULE, scp(document(6000), type="TAG_POLICY")) == "n/a"


def test_unknown_content_in_preview():
    view = resource(
        POLICY,
        "guardrails",
        {"type": "SERVICE_CONTROL_POLICY", "content": UNKNOWN_STRING_VALUE},
        region=None,
        preview=True,
    )
    assert outcome(RULE, view) == "unknown"
