import json

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies import iam_definitions
from tests.rulekit import messages, outcome, resource

RULE = "policy_grammar_valid"
SCP = "aws:organizations/policy:Policy"
ROLE = "aws:iam/role:Role"
KEY = "aws:kms/key:Key"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
EXPECTED = f"expected actions and condition keys that exist ({iam_definitions.data_version()}). [DEP-05]"
DENY_TAMPER = {
    "Sid": "ProtectBaseline",
    "Effect": "Deny",
    "Action": ["wafv2:DisassociateWebACL", "shield:DeleteProtection", "guardduty:Create*"],
    "Resource": "*",
    "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/tenant-zone/deploy"}},
}


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def scp(*statements, **props):
    return resource(SCP, "protect-baseline", {"content": doc(*statements), **props}, region=None)


def with_(change):
    return {**DENY_TAMPER, **change}


def test_pass_existing_actions_wildcards_and_keys():
    assert outcome(RULE, scp(DENY_TAMPER)) == "pass"


def test_pass_service_and_identity_provider_keys():
    trust = {
        "Effect": "Allow",
        "Principal": {
            "Federated": "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
        },
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
            "StringLike": {"oidc.eks.ap-northeast-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:*"},
        },
    }
    key = {
        "Effect": "Allow",
        "Principal": {"Service": "logs.ap-northeast-1.amazonaws.com"},
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
        "Resource": "*",
        "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:*"}},
    }
    assert outcome(RULE, resource(ROLE, "ci", {"assumeRolePolicy": doc(trust)})) == "pass"
    assert outcome(RULE, resource(KEY, "tenant", {"policy": doc(key)})) == "pass"


def test_fail_misspelled_action_in_an_scp_deny():
    assert messages(
        RULE, scp(with_({"Action": ["wafv2:DisassociateWebAcls", "shield:DeleteProtection"]}))
    ) == [
        f"{SCP} protect-baseline: content Statement[0] (Sid ProtectBaseline) Action "
        "wafv2:DisassociateWebAcls "
        "is not an action of wafv2, so the Deny never applies to it and the guardrail is silently off; "
        f"{EXPECTED}"
    ]


def test_fail_wildcard_matching_nothing():
    assert messages(RULE, scp(with_({"Action": "guardduty:Creat*Filters"}))) == [
        f"{SCP} protect-baseline: content Statement[0] (Sid ProtectBaseline) Action guardduty:Creat*Filters "
        f"matches no action of guardduty, so the Deny never applies to it and the guardrail is silently off; "
        f"{EXPECTED}"
    ]


def test_fail_unknown_service_prefix_in_an_allow():
    statement = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s4:GetObject", "Resource": "*"}
    assert messages(RULE, resource(BUCKET_POLICY, "data", {"policy": doc(statement)})) == [
        f"{BUCKET_POLICY} data: policy Statement[0] Action s4:GetObject names the service prefix s4, which "
        f"does not exist, so the statement grants nothing by it; {EXPECTED}"
    ]


def test_fail_unknown_global_condition_key():
    changed = with_({"Condition": {"ArnNotLike": {"aws:PrincipalARNs": "arn:aws:iam::*:role/x"}}})
    assert messages(RULE, scp(changed)) == [
        f"{SCP} protect-baseline: content Statement[0] (Sid ProtectBaseline) Condition ArnNotLike key "
        "aws:PrincipalARNs is not a global condition key, so it is never in a request and the condition "
        "never "
        f"holds as written; {EXPECTED}"
    ]


def test_fail_unknown_service_condition_key_in_an_inline_policy():
    statement = {
        "Effect": "Allow",
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": {"StringEquals": {"kms:ViaServices": "s3.ap-northeast-1.amazonaws.com"}},
    }
    role = resource(ROLE, "app", {"assumeRolePolicy": "", "inlinePolicies": [{}, {"policy": doc(statement)}]})
    assert messages(RULE, role) == [
        f"{ROLE} app: inlinePolicies[1].policy Statement[0] Condition StringEquals key kms:ViaServices is "
        "not a "
        "condition key of kms, so it is never in a request and the condition never holds as written; "
        f"{EXPECTED}"
    ]


def test_wildcard_service_prefix():
    assert outcome(RULE, scp(with_({"Action": ["*:DeleteProtection", "shield:*"]}))) == "pass"
    assert outcome(RULE, scp(with_({"Action": "s?:DeleteProtections"}))) == "fail"


def test_fail_not_action_without_prefix():
    assert outcome(RULE, scp(with_({"NotAction": "DeleteBucket", "Action": None}))) == "fail"


def test_na_tag_policy_and_no_document():
    assert outcome(RULE, scp(with_({"Action": "nonsense"}), type="TAG_POLICY")) == "n/a"
    assert outcome(RULE, resource(KEY, "aws-default", {"description": "no policy"})) == "n/a"


def test_unknown_document_in_preview():
    assert outcome(RULE, resource(KEY, "tenant", {"policy": UNKNOWN_STRING_VALUE}, preview=True)) == "unknown"
