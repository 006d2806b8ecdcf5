import json

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import (
    OTHER_ACCOUNT,
    REPLICATION,
    replicated_pair,
    replication_rule,
    tenant_resource,
)
from tests.rulekit import messages, outcome, resource, stack, urn

RULE = "prod_accounts_in_prod_ou"
ACCOUNT = "aws:organizations/account:Account"
OU = "aws:organizations/organizationalUnit:OrganizationalUnit"
HOME = "expected production data replicated, copied and shared only within the stack's own account. [TEN-03]"


def ou(name, ou_id):
    return resource(
        OU, f"ou-{name.lower()}", {"name": name, "parentId": "r-root", "id": ou_id}, stack="org", region=None
    )


def account(name, environment, parent=None, *, via=None, tenant="acme", preview=False):
    props = {
        "name": name,
        "email": f"{name}@example.jp",
        "tags": {"tenant": tenant, "environment": environment},
    }
    if parent is not None:
        props["parentId"] = parent
    deps = {"parentId": [urn(OU, f"ou-{via.lower()}", "org")]} if via else None
    return resource(
        ACCOUNT, f"{name}-account", props, stack="org", region=None, prop_deps=deps, preview=preview
    )


def org(*resources):
    return stack(ou("Prod", "ou-p"), ou("NonProd", "ou-n"), ou("Security", "ou-s"), *resources, name="org")


def test_pass_accounts_in_matching_ous_by_dependency_and_literal_id():
    resources = [
        account("acme-prod", "prod", "ou-from-output", via="Prod"),
        account("acme-dev", "dev", "ou-n"),
        account("acme-staging", "staging", "ou-x", via="NonProd"),
        account("log-archive", "prod", "ou-s", tenant="platform"),
    ]
    assert outcome(RULE, org(*resources)) == "pass"


def test_fail_prod_account_in_nonprod_ou():
    assert messages(RULE, org(account("acme-prod", "prod", "ou-n"))) == [
        f"{ACCOUNT} acme-prod-account: is in OU NonProd; expected parentId the Prod OU (environment prod)."
        " [TEN-03]"
    ]


def test_fail_dev_account_in_prod_ou():
    assert messages(RULE, org(account("acme-dev", "dev", "x", via="Prod"))) == [
        f"{ACCOUNT} acme-dev-account: is in OU Prod; expected parentId the NonProd OU (environment dev)."
        " [TEN-03]"
    ]


def test_fail_account_in_root_or_unknown_parent():
    assert messages(RULE, org(account("acme-prod", "prod"))) == [
        f"{ACCOUNT} acme-prod-account: parentId is not set (the account sits in the organization root); "
        "expected parentId the Prod OU (environment prod). [TEN-03]"
    ]
    assert messages(RULE, org(account("acme-prod", "prod", "r-abcd"))) == [
        f"{ACCOUNT} acme-prod-account: parentId r-abcd is not an OU of this stack, so it cannot be shown to"
        " be the Prod OU; expected parentId the Prod OU (environment prod). [TEN-03]"
    ]


def test_fail_tenant_account_without_environment_tag():
    bare = resource(
        ACCOUNT,
        "x-account",
        {"name": "x", "email": "x@example.jp", "parentId": "ou-p", "tags": {"tenant": "x"}},
        stack="org",
        region=None,
    )
    assert messages(RULE, org(bare)) == [
        f"{ACCOUNT} x-account: has no environment tag, so its OU placement cannot be checked; expected tag"
        " environment prod|staging|dev and parentId the Prod or NonProd OU accordingly. [TEN-03]"
    ]


def test_pass_prod_tenant_stack_replicating_within_its_account():
    rule = replication_rule("arn:aws:s3:::acme-prod-replica")
    rule["destination"]["account"] = "111111111111"
    config = tenant_resource(REPLICATION, "r", {"bucket": "acme-prod-data", "rules": [rule]})
    assert outcome(RULE, stack(*replicated_pair(), config)) == "pass"


def test_fail_prod_replication_to_another_account():
    rule = replication_rule("arn:aws:s3:::elsewhere")
    rule["destination"]["account"] = OTHER_ACCOUNT
    config = tenant_resource(REPLICATION, "r", {"bucket": "acme-prod-data", "rules": [rule]})
    assert messages(RULE, stack(*replicated_pair(), config)) == [
        f"{REPLICATION} r: rule 'to-osaka' replicates to account {OTHER_ACCOUNT}, not the stack's own account"
        f" (111111111111); {HOME}"
    ]


def test_fail_prod_inline_replication_account_id():
    inline = {
        "rules": [
            {
                "id": "x",
                "status": "Enabled",
                "destination": {"bucket": "arn:aws:s3:::b", "accountId": OTHER_ACCOUNT},
            }
        ]
    }
    bucket = tenant_resource("aws:s3/bucket:Bucket", "raw", {"replicationConfiguration": inline})
    assert messages(RULE, stack(bucket)) == [
        f"aws:s3/bucket:Bucket raw: rule 'x' replicates to account {OTHER_ACCOUNT}, not the stack's own"
        f" account (111111111111); {HOME}"
    ]


def test_fail_prod_backup_copy_to_another_account():
    vault_arn = f"arn:aws:backup:ap-northeast-3:{OTHER_ACCOUNT}:backup-vault:dr"
    plan = tenant_resource(
        "aws:backup/plan:Plan",
        "plan",
        {"rules": [{"ruleName": "daily", "copyActions": [{"destinationVaultArn": vault_arn}]}]},
    )
    assert messages(RULE, stack(plan)) == [
        f"aws:backup/plan:Plan plan: rules[0].copyActions[0] copies to {vault_arn} in account"
        f" {OTHER_ACCOUNT}, not the stack's own account (111111111111); {HOME}"
    ]
    own = tenant_resource(
        "aws:backup/plan:Plan",
        "plan",
        {
            "rules": [
                {"copyActions": [{"destinationVaultArn": vault_arn.replace(OTHER_ACCOUNT, "111111111111")}]}
            ]
        },
    )
    assert outcome(RULE, stack(own)) == "pass"


def test_fail_prod_sharing():
    ram = tenant_resource(
        "aws:ram/principalAssociation:PrincipalAssociation",
        "share",
        {"principal": OTHER_ACCOUNT, "resourceShareArn": "arn"},
    )
    org_share = tenant_resource(
        "aws:ram/principalAssociation:PrincipalAssociation",
        "org-share",
        {"principal": "arn:aws:organizations::999999999999:organization/o-abc", "resourceShareArn": "arn"},
    )
    snapshot = tenant_resource(
        "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission",
        "snap",
        {"accountId": OTHER_ACCOUNT, "snapshotId": "s"},
    )
    ami = tenant_resource(
        "aws:ec2/amiLaunchPermission:AmiLaunchPermission", "ami", {"imageId": "i", "group": "all"}
    )
    assert messages(RULE, stack(ram, org_share, snapshot, ami)) == [
        (
            "aws:ram/principalAssociation:PrincipalAssociation org-share: shares with"
            " arn:aws:organizations::999999999999:organization/o-abc, outside the stack's own account"
            f" (111111111111); {HOME}"
        ),
        (
            f"aws:ram/principalAssociation:PrincipalAssociation share: shares with {OTHER_ACCOUNT}, outside"
            f" the stack's own account (111111111111); {HOME}"
        ),
        (
            "aws:ec2/amiLaunchPermission:AmiLaunchPermission ami: group all shares beyond the stack's own"
            f" account; {HOME}"
        ),
        (
            "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission snap: grants account"
            f" {OTHER_ACCOUNT}, not the stack's own account (111111111111); {HOME}"
        ),
    ]


def test_fail_prod_stack_without_known_account():
    rule = replication_rule("arn:aws:s3:::b")
    rule["destination"]["account"] = "111111111111"
    config = resource(REPLICATION, "r", {"bucket": "x", "rules": [rule]})
    assert messages(RULE, stack(config)) == [
        f"{REPLICATION} r: rule 'to-osaka' replicates to account 111111111111, not the stack's own account"
        f" (unknown (no provider assumes a role)); {HOME}"
    ]


def test_na_non_production_tenant_stack():
    rule = replication_rule("arn:aws:s3:::elsewhere")
    rule["destination"]["account"] = OTHER_ACCOUNT
    config = tenant_resource(REPLICATION, "r", {"bucket": "d", "rules": [rule]}, stack="acme-dev")
    assert outcome(RULE, stack(config, name="acme-dev")) == "n/a"


def test_na_org_stack_without_accounts():
    assert outcome(RULE, stack(resource("aws:s3/bucket:Bucket", "trail", stack="org"), name="org")) == "n/a"


def test_unknown_parent_in_preview():
    assert outcome(RULE, org(account("acme-prod", "prod", UNKNOWN_STRING_VALUE, preview=True))) == "unknown"


def test_fail_prod_resource_policies_allowing_other_accounts():
    bucket_policy = json.dumps(
        {
            "Statement": [
                {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"},
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:role/Reader"},
                    "Action": "s3:GetObject",
                    "Resource": "*",
                },
            ]
        }
    )
    key_policy = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                "Action": "kms:Decrypt",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:PrincipalAccount": OTHER_ACCOUNT}},
            },
            {
                "Effect": "Allow",
                "Principal": {"Service": "logs.ap-northeast-1.amazonaws.com"},
                "Action": "kms:Encrypt",
                "Resource": "*",
            },
        ]
    }
    policy = tenant_resource(
        "aws:s3/bucketPolicy:BucketPolicy", "data-policy", {"bucket": "b", "policy": bucket_policy}
    )
    key = tenant_resource("aws:kms/key:Key", "data-key", {"policy": key_policy})
    assert messages(RULE, stack(policy, key)) == [
        (
            f"aws:kms/key:Key data-key: policy allows {OTHER_ACCOUNT}, outside the stack's own account"
            f" (111111111111); {HOME}"
        ),
        (
            "aws:s3/bucketPolicy:BucketPolicy data-policy: policy allows"
            f" arn:aws:iam::{OTHER_ACCOUNT}:role/Reader, outside the stack's own account (111111111111);"
            f" {HOME}"
        ),
    ]


def test_pass_prod_resource_policies_within_own_account():
    own = json.dumps(
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "111111111111"},
                    "Action": "s3:GetObject",
                    "Resource": "*",
                }
            ]
        }
    )
    assert (
        outcome(
            RULE,
            stack(tenant_resource("aws:s3/bucketPolicy:BucketPolicy", "p", {"bucket": "b", "policy": own})),
        )
        == "pass"
    )


def test_pass_unparseable_resource_policy_is_left_to_the_policy_rules():
    # bucket_public_access_blocked / kms_key_policy_separation report a policy that is not JSON.
    broken = tenant_resource("aws:s3/bucketPolicy:BucketPolicy", "p", {"bucket": "b", "policy": "{not json"})
    assert outcome(RULE, stack(broken)) == "pass"
