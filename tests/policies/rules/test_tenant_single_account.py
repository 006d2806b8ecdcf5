import json

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import ProviderView
from tests.policies.rules._fixtures_data import OTHER_ACCOUNT, ROLE, on, tenant_provider, tenant_resource
from tests.rulekit import messages, outcome, provider, resource, stack, urn

RULE = "tenant_single_account"
BUCKET = "aws:s3/bucket:Bucket"
EXPECTED = (
    "expected an explicit aws provider that assumes arn:aws:iam::<tenant"
    " account>:role/OrganizationAccountAccessRole, the same account for every provider of the stack. [TEN-01]"
)


def test_pass_tokyo_and_osaka_providers_into_one_account():
    resources = [tenant_resource(BUCKET, "a"), tenant_resource(BUCKET, "b", region="ap-northeast-3")]
    assert outcome(RULE, stack(*resources)) == "pass"


def test_pass_assume_roles_given_as_a_list():
    p = ProviderView(
        "pulumi:providers:aws",
        urn("pulumi:providers:aws", "tokyo"),
        "tokyo",
        {"region": "ap-northeast-1", "assumeRoles": [{"roleArn": ROLE}]},
    )
    assert outcome(RULE, stack(on(resource(BUCKET, "a"), p))) == "pass"


def test_pass_non_aws_resources_ignored():
    random_id = on(resource("random:index/randomId:RandomId", "r"), None)
    component = on(resource("tenant-zone:storage:DataBucket", "c"), None)
    assert outcome(RULE, stack(tenant_resource(BUCKET, "a"), random_id, component)) == "pass"


def test_fail_default_provider():
    default = ProviderView(
        "pulumi:providers:aws",
        urn("pulumi:providers:aws", "default"),
        "default",
        {"region": "ap-northeast-1"},
    )
    cli_default = ProviderView(
        "pulumi:providers:aws", urn("pulumi:providers:aws", "default_7_51_1"), "default_7_51_1", {}
    )
    resources = [
        on(resource(BUCKET, "a"), default),
        on(resource(BUCKET, "b"), cli_default),
        on(resource(BUCKET, "c"), None),
    ]
    wrong = "uses the default aws provider, which runs with the management account's credentials"
    assert messages(RULE, stack(*resources)) == [
        f"{BUCKET} {n}: {wrong}; {EXPECTED}" for n in ("a", "b", "c")
    ]


def test_fail_provider_without_assume_role():
    assert messages(RULE, stack(resource(BUCKET, "a"))) == [
        "pulumi:providers:aws tokyo: assumes no role, so its resources are created with the caller's"
        f" (management account) credentials; {EXPECTED}"
    ]


def test_fail_providers_into_different_accounts():
    resources = [
        tenant_resource(BUCKET, "a"),
        tenant_resource(BUCKET, "b", region="ap-northeast-3", account=OTHER_ACCOUNT),
    ]
    assert messages(RULE, stack(*resources)) == [
        (
            "pulumi:providers:aws tokyo: assumes a role into account 111111111111 while other providers of"
            f" this stack assume into {OTHER_ACCOUNT}; {EXPECTED}"
        ),
        (
            f"pulumi:providers:aws osaka: assumes a role into account {OTHER_ACCOUNT} while other providers"
            f" of this stack assume into 111111111111; {EXPECTED}"
        ),
    ]


def test_fail_one_provider_into_two_accounts():
    two = ProviderView(
        "pulumi:providers:aws",
        urn("pulumi:providers:aws", "odd"),
        "odd",
        {"assumeRoles": [{"roleArn": ROLE}, {"roleArn": f"arn:aws:iam::{OTHER_ACCOUNT}:role/X"}]},
    )
    assert messages(RULE, stack(on(resource(BUCKET, "a"), two))) == [
        f"pulumi:providers:aws odd: assumes roles into several accounts (111111111111, {OTHER_ACCOUNT});"
        f" {EXPECTED}"
    ]


def test_na_org_stack():
    org_bucket = resource(BUCKET, "trail", stack="org")
    assert outcome(RULE, stack(org_bucket, name="org")) == "n/a"


def test_unknown_role_in_preview():
    p = provider("ap-northeast-1", assumeRoles=UNKNOWN_STRING_VALUE)
    assert outcome(RULE, stack(on(resource(BUCKET, "a"), p))) == "unknown"


def test_pass_many_resources_one_provider():
    shared = tenant_provider()
    resources = [on(resource(BUCKET, n), shared) for n in "abc"]
    assert outcome(RULE, stack(*resources)) == "pass"


def test_fail_roleless_provider_reported_once_for_all_its_resources():
    roleless = provider("ap-northeast-1")
    resources = [on(resource(BUCKET, n), roleless) for n in "abc"]
    assert messages(RULE, stack(*resources)) == [
        "pulumi:providers:aws tokyo: assumes no role, so its resources are created with the caller's"
        " (management account) credentials; expected an explicit aws provider that assumes"
        " arn:aws:iam::<tenant account>:role/OrganizationAccountAccessRole, the same account for every"
        " provider of the stack. [TEN-01]"
    ]


def test_fail_snake_case_role_arn_dict_assumes_nothing():
    # pulumi/pulumi-aws#5271: assume_roles=[{"role_arn": ...}] reaches the provider as written and is ignored.
    p = provider("ap-northeast-1", assumeRoles=json.dumps([{"role_arn": ROLE}]))
    assert messages(RULE, stack(on(resource(BUCKET, "a"), p))) == [
        "pulumi:providers:aws tokyo: has assumeRoles entries without roleArn (a dict key role_arn is passed"
        " through unchanged and ignored by the provider), so it assumes no role and uses the management"
        f" account's credentials; {EXPECTED}"
    ]
