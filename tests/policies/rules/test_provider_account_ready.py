import json

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import ResourceView
from tests.rulekit import messages, outcome, resource, stack, urn

RULE = "provider_account_ready"
ACCOUNT = "aws:organizations/account:Account"
PROVIDER = "pulumi:providers:aws"
ROLE = "aws:iam/role:Role"
ACCOUNT_ID = "523606519280"
EXPECTED = (
    "expected the role ARN built from the aws.organizations.Account's id output (the provider then waits for "
    "CreateAccount to succeed), naming the account's roleName or a role the program creates there and the "
    "provider depends on. [DEP-04]"
)
NEW = resource(
    ACCOUNT,
    "acme-prod-account",
    {
        "email": "aws+acme-prod@example.jp",
        "roleName": "OrganizationAccountAccessRole",
        "arn": f"arn:aws:organizations::111111111111:account/o-abc/{ACCOUNT_ID}",
    },
    region=None,
)


def provider(role="OrganizationAccountAccessRole", depends=(NEW.urn,), linked=True, preview=False):
    roles = json.dumps([{"roleArn": f"arn:aws:iam::{ACCOUNT_ID}:role/{role}", "sessionName": "org"}])
    props = {"region": "ap-northeast-1", "assumeRoles": UNKNOWN_STRING_VALUE if preview else roles}
    view = resource(PROVIDER, "acme-dns", props, region=None, preview=preview)
    return ResourceView(
        view.type,
        view.name,
        view.urn,
        view.props,
        None,
        dependencies=tuple(depends),
        property_dependencies={"assumeRoles": list(depends)} if linked else {},
    )


def test_pass_role_built_from_the_account_output():
    assert outcome(RULE, stack(NEW, provider())) == "pass"


def test_pass_role_the_program_creates_first():
    deploy = resource(ROLE, "deploy", {"name": "tenant-zone-deploy"})
    assert outcome(RULE, stack(NEW, deploy, provider("tenant-zone-deploy", (NEW.urn, deploy.urn)))) == "pass"


def test_fail_account_named_without_depending_on_it():
    assert messages(RULE, stack(NEW, provider(depends=(), linked=False))) == [
        f"{PROVIDER} acme-dns: assumes arn:aws:iam::{ACCOUNT_ID}:role/OrganizationAccountAccessRole in "
        "account "
        "acme-prod-account, which this program creates, without depending on it, so on a new deployment it "
        "is "
        f"configured before CreateAccount succeeds and AssumeRole fails with AccessDenied; {EXPECTED}"
    ]


def test_fail_role_a_new_account_does_not_have():
    assert messages(RULE, stack(NEW, provider("tenant-zone-deploy"))) == [
        f"{PROVIDER} acme-dns: assumes role tenant-zone-deploy in account acme-prod-account, which this "
        "program "
        "creates with only the role OrganizationAccountAccessRole, so AssumeRole fails with AccessDenied; "
        f"{EXPECTED}"
    ]


def test_na_without_accounts_or_providers_into_them():
    assert outcome(RULE, stack(provider(depends=(), linked=False))) == "n/a"
    other = provider(depends=(), linked=False)
    other_account = resource(ACCOUNT, "other", {"arn": "arn:aws:organizations::1:account/o-abc/999999999999"})
    assert outcome(RULE, stack(other_account, other)) == "n/a"


def test_unknown_role_in_preview():
    assert outcome(RULE, stack(NEW, provider(preview=True))) == "unknown"


def test_finding_is_on_the_provider():
    assert provider().urn == urn(PROVIDER, "acme-dns")
