from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource, stack

RULE = "tenant_identity_unique"
ACCOUNT = "aws:organizations/account:Account"


def account(name, email, tenant, environment, *, logical=None, preview=False):
    props = {"name": name, "email": email, "tags": {"tenant": tenant, "environment": environment}}
    return resource(ACCOUNT, logical or f"{name}-account", props, stack="org", region=None, preview=preview)


def org(*accounts):
    return stack(*accounts, name="org")


def tenant_stack(name):
    return stack(resource("aws:s3/bucket:Bucket", "data", stack=name), name=name)


def baseline():
    return [
        account("acme-prod", "aws+acme-prod@example.jp", "acme", "prod"),
        account("acme-staging", "aws+acme-staging@example.jp", "acme", "staging"),
        account("beta-prod", "aws+beta-prod@example.jp", "beta", "prod"),
        account("log-archive", "aws+log@example.jp", "platform", "prod"),
        account("security", "aws+sec@example.jp", "platform", "prod"),
    ]


def test_pass_unique_accounts_and_stacks():
    assert outcome(RULE, [org(*baseline()), tenant_stack("acme-prod"), tenant_stack("beta-prod")]) == "pass"


def test_fail_duplicate_email_names_both_accounts():
    accounts = [*baseline(), account("gamma-dev", "AWS+acme-prod@example.jp", "gamma", "dev")]
    assert messages(RULE, [org(*accounts)]) == [
        (
            f"{ACCOUNT} acme-prod-account: uses e-mail aws+acme-prod@example.jp, as does {ACCOUNT}"
            " gamma-dev-account; expected a unique account e-mail address per tenant environment. [TEN-01]"
        ),
        (
            f"{ACCOUNT} gamma-dev-account: uses e-mail aws+acme-prod@example.jp, as does {ACCOUNT}"
            " acme-prod-account; expected a unique account e-mail address per tenant environment. [TEN-01]"
        ),
    ]


def test_fail_two_accounts_for_one_tenant_environment():
    accounts = [*baseline(), account("acme-prod-2", "aws+acme-prod-2@example.jp", "acme", "prod")]
    assert messages(RULE, [org(*accounts)]) == [
        (
            f"{ACCOUNT} acme-prod-2-account: is a second account for tenant environment acme-prod, as is"
            f" {ACCOUNT} acme-prod-account; expected exactly one account per tenant environment. [TEN-01]"
        ),
        (
            f"{ACCOUNT} acme-prod-account: is a second account for tenant environment acme-prod, as is"
            f" {ACCOUNT} acme-prod-2-account; expected exactly one account per tenant environment. [TEN-01]"
        ),
    ]


def test_fail_duplicate_account_name():
    accounts = [
        *baseline(),
        account("acme-prod", "aws+other@example.jp", "zeta", "dev", logical="zeta-dev-account"),
    ]
    assert messages(RULE, [org(*accounts)]) == [
        (
            f"{ACCOUNT} acme-prod-account: has account name acme-prod, as does {ACCOUNT} zeta-dev-account; "
            "expected a unique account name per tenant environment. [TEN-01]"
        ),
        (
            f"{ACCOUNT} zeta-dev-account: has account name acme-prod, as does {ACCOUNT} acme-prod-account; "
            "expected a unique account name per tenant environment. [TEN-01]"
        ),
    ]


def test_platform_accounts_share_a_tenant_environment_legitimately():
    assert outcome(RULE, [org(*baseline())]) == "pass"


def test_fail_tenant_stacks_equal_but_for_case():
    result = messages(RULE, [org(*baseline()), tenant_stack("acme-prod"), tenant_stack("ACME-Prod")])
    assert result == [
        (
            "pulumi:pulumi:Stack tenant-zone-acme-prod: stack acme-prod names tenant environment acme-prod"
            " like acme-prod, ACME-Prod; expected one stack per tenant environment, with a unique lower-case"
            " <tenant>-<env> name. [TEN-01]"
        ),
        (
            "pulumi:pulumi:Stack tenant-zone-ACME-Prod: stack ACME-Prod names tenant environment acme-prod"
            " like acme-prod, ACME-Prod (not a <tenant>-<env> name); expected one stack per tenant"
            " environment, with a unique lower-case <tenant>-<env> name. [TEN-01]"
        ),
    ]


def test_duplicates_found_across_stacks():
    elsewhere = resource(
        ACCOUNT,
        "stray-account",
        {"name": "stray", "email": "aws+beta-prod@example.jp"},
        stack="beta-prod",
        region=None,
    )
    assert messages(RULE, [org(*baseline()), stack(elsewhere, name="beta-prod")]) == [
        (
            f"{ACCOUNT} beta-prod-account: uses e-mail aws+beta-prod@example.jp, as does {ACCOUNT}"
            " stray-account (stack beta-prod); expected a unique account e-mail address per tenant"
            " environment. [TEN-01]"
        ),
        (
            f"{ACCOUNT} stray-account: uses e-mail aws+beta-prod@example.jp, as does {ACCOUNT}"
            " beta-prod-account (stack org); expected a unique account e-mail address per tenant"
            " environment. [TEN-01]"
        ),
    ]


def test_na_nothing_to_compare():
    assert outcome(RULE, [tenant_stack("acme-prod")]) == "n/a"


def test_unknown_email_in_preview():
    assert (
        outcome(RULE, [org(account("acme-prod", UNKNOWN_STRING_VALUE, "acme", "prod", preview=True))])
        == "unknown"
    )
