import json

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import NotApplicable
from tests.policies.rules._fixtures_data import ACCOUNT, OTHER_ACCOUNT, tenant_resource
from tests.rulekit import messages, outcome, resource, stack

RULE = "grants_within_organization"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
ROLE = "aws:iam/role:Role"
KEY = "aws:kms/key:Key"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
QUEUE = "aws:sqs/queue:Queue"
GRANT = "aws:kms/grant:Grant"
ACCOUNT_RESOURCE = "aws:organizations/account:Account"
FOREIGN = "999999999999"
EXPECTED = (
    "expected principals only in accounts of the organization that the stack deploys into, creates or "
    "reads from the org stack, or a statement conditioned on aws:PrincipalOrgID. [RES-02]"
)
NOT_KNOWN = "not among the accounts the stack deploys into, creates or reads from another stack"
ORG_CONDITION = {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}


def document(principal, condition=None, effect="Allow", sid="Read"):
    statement = {
        "Sid": sid,
        "Effect": effect,
        "Principal": principal,
        "Action": "s3:GetObject",
        "Resource": "*",
    }
    if condition is not None:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def bucket_policy(principal, condition=None, **kwargs):
    return tenant_resource(
        BUCKET_POLICY, "data", {"bucket": "data", "policy": document(principal, condition, **kwargs)}
    )


def test_pass_compliant_baseline_own_account_service_and_org_condition():
    subject = stack(
        bucket_policy({"AWS": f"arn:aws:iam::{ACCOUNT}:root", "Service": "logs.amazonaws.com"}),
        tenant_resource(ROLE, "reader", {"assumeRolePolicy": document({"AWS": FOREIGN}, ORG_CONDITION)}),
        tenant_resource(QUEUE, "jobs", {"policy": document({"AWS": "*"})}),
    )
    assert outcome(RULE, subject) == "pass"


def test_pass_account_the_stack_creates():
    subject = stack(
        tenant_resource(ACCOUNT_RESOURCE, "acme-prod", {"id": FOREIGN, "email": "a@example.jp"}),
        bucket_policy({"AWS": f"arn:aws:iam::{FOREIGN}:root"}),
    )
    assert outcome(RULE, subject) == "pass"


def test_pass_account_read_from_the_org_stack():
    reference = resource(
        "pulumi:pulumi:StackReference", "org", {"name": "org", "outputs": {"securityAccountId": FOREIGN}}
    )
    assert outcome(RULE, stack(reference, bucket_policy({"AWS": f"arn:aws:iam::{FOREIGN}:root"}))) == "pass"


def test_fail_bucket_policy_grants_foreign_account():
    assert messages(RULE, stack(bucket_policy({"AWS": f"arn:aws:iam::{FOREIGN}:root"}))) == [
        f"{BUCKET_POLICY} data: policy statement 'Read' grants account {FOREIGN}, {NOT_KNOWN}; {EXPECTED}"
    ]


def test_fail_role_trust_to_foreign_account_in_a_non_production_stack():
    role = tenant_resource(
        ROLE, "vendor", {"assumeRolePolicy": document({"AWS": FOREIGN}, sid="")}, stack="acme-dev"
    )
    assert messages(RULE, stack(role, name="acme-dev")) == [
        f"{ROLE} vendor: assumeRolePolicy statement #1 grants account {FOREIGN}, {NOT_KNOWN}; {EXPECTED}"
    ]


def test_fail_key_topic_and_grant_each_named():
    subject = stack(
        tenant_resource(KEY, "data", {"policy": document({"AWS": [OTHER_ACCOUNT, FOREIGN]})}),
        tenant_resource(TOPIC_POLICY, "alerts", {"arn": "t", "policy": document({"AWS": FOREIGN})}),
        tenant_resource(GRANT, "share", {"granteePrincipal": f"arn:aws:iam::{FOREIGN}:role/x", "keyId": "k"}),
    )
    assert messages(RULE, subject) == [
        f"{GRANT} share: granteePrincipal arn:aws:iam::{FOREIGN}:role/x is in account {FOREIGN}, "
        f"{NOT_KNOWN}; {EXPECTED}",
        f"{KEY} data: policy statement 'Read' grants accounts {OTHER_ACCOUNT}, {FOREIGN}, "
        f"{NOT_KNOWN}; {EXPECTED}",
        f"{TOPIC_POLICY} alerts: policy statement 'Read' grants account {FOREIGN}, {NOT_KNOWN}; {EXPECTED}",
    ]


def test_fail_if_exists_org_condition_does_not_count():
    condition = {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}}
    assert outcome(RULE, stack(bucket_policy({"AWS": FOREIGN}, condition))) == "fail"


def test_fail_stack_without_a_provable_account():
    policy = resource(BUCKET_POLICY, "data", {"bucket": "data", "policy": document({"AWS": ACCOUNT})})
    assert messages(RULE, stack(policy)) == [
        f"{BUCKET_POLICY} data: policy statement 'Read' grants account {ACCOUNT}, {NOT_KNOWN} "
        f"(it shows none: no aws provider assumes a role or sets allowedAccountIds); {EXPECTED}"
    ]


def test_pass_deny_statement_naming_a_foreign_account():
    assert outcome(RULE, stack(bucket_policy({"AWS": FOREIGN}, effect="Deny"))) == "pass"


def test_na_stack_without_policies():
    with pytest.raises(NotApplicable):
        messages(RULE, stack(tenant_resource("aws:ec2/vpc:Vpc", "main", {})))


def test_unknown_policy_in_preview():
    policy = tenant_resource(
        BUCKET_POLICY, "data", {"bucket": "data", "policy": UNKNOWN_STRING_VALUE}, preview=True
    )
    assert outcome(RULE, stack(policy)) == "unknown"


TOKYO_ELB = "582318560864"
OSAKA_ELB = "383597477331"


def elb_delivery_policy(
    elb_account, action="s3:PutObject", region="ap-northeast-1", resource_type=BUCKET_POLICY
):
    statement = {
        "Sid": "ElbAccessLogDelivery",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{elb_account}:root"},
        "Action": action,
        "Resource": f"arn:aws:s3:::logs/acme-prod/AWSLogs/{ACCOUNT}/*",
    }
    policy = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    return tenant_resource(resource_type, "alb-logs", {"bucket": "logs", "policy": policy}, region=region)


@pytest.mark.parametrize(
    "elb_account, region", [(TOKYO_ELB, "ap-northeast-1"), (OSAKA_ELB, "ap-northeast-3")]
)
def test_pass_elb_log_delivery_account_of_the_buckets_region_putting_objects(elb_account, region):
    assert outcome(RULE, stack(elb_delivery_policy(elb_account, region=region))) == "pass"
    assert outcome(RULE, stack(elb_delivery_policy(elb_account, ["s3:PutObject"], region))) == "pass"


@pytest.mark.parametrize(
    "subject, account",
    [
        # the ELB account may only put objects
        (elb_delivery_policy(TOKYO_ELB, ["s3:PutObject", "s3:GetObject"]), TOKYO_ELB),
        (elb_delivery_policy(TOKYO_ELB, "s3:*"), TOKYO_ELB),
        # another Region's ELB account is a foreign account to this bucket
        (elb_delivery_policy(OSAKA_ELB), OSAKA_ELB),
        # a key policy is no access-log destination
        (elb_delivery_policy(TOKYO_ELB, resource_type=KEY), TOKYO_ELB),
    ],
)
def test_fail_elb_account_beyond_access_log_delivery(subject, account):
    prop = "policy"
    assert messages(RULE, stack(subject)) == [
        f"{subject.type} alb-logs: {prop} statement 'ElbAccessLogDelivery' grants account {account},"
        f" {NOT_KNOWN}; {EXPECTED}"
    ]
