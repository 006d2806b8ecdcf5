from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import KEY, tenant_resource
from tests.policies.rules._fixtures_kms import (
    ADMIN_ROLE,
    APP_ROLE,
    RECOVERY_ROLE,
    ROOT,
    admin_statement,
    key_policy,
    recovery_statement,
    use_statement,
)
from tests.rulekit import messages, outcome, stack, urn

RULE = "kms_key_policy_separation"
USE = ["kms:Encrypt", "kms:Decrypt"]
KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"
EXPECTED = (
    "expected administration actions (kms:PutKeyPolicy, kms:ScheduleKeyDeletion, kms:Create*, kms:Put*,"
    " kms:Delete*, ...) and use actions (kms:Encrypt, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey*)"
    " granted to different principals, and no kms:* grant (not even to the account root). [ENC-02]"
)


def key(policy=None, name="data", resource_type=KEY):
    props = {"enableKeyRotation": True}
    if policy is not None:
        props["policy"] = policy
    return tenant_resource(resource_type, name, props)


def test_pass_separated_policy():
    assert outcome(RULE, stack(key(key_policy()))) == "pass"


def test_pass_policy_as_object_and_read_only_overlap():
    # Describe/List/Get and grants belong to neither side: the admin may also describe, the user may list.
    document = {
        "Statement": [
            admin_statement(),
            use_statement(actions=USE + ["kms:List*", "kms:CreateGrant"]),
            recovery_statement(),
        ]
    }
    assert outcome(RULE, stack(key(document))) == "pass"


def test_fail_absent_policy_is_default_root_policy():
    assert messages(RULE, stack(key())) == [
        f"{KEY} data: has no policy, so KMS applies its default policy, which grants kms:* to the account"
        f" root (administration and use together); {EXPECTED}"
    ]


def test_fail_enable_iam_policies_root_statement():
    root = {
        "Sid": "Enable IAM User Permissions",
        "Effect": "Allow",
        "Principal": {"AWS": ROOT},
        "Action": "kms:*",
        "Resource": "*",
    }
    assert messages(RULE, stack(key(key_policy(root, admin_statement(), use_statement())))) == [
        f"{KEY} data: policy statement 'Enable IAM User Permissions' grants kms:* to the account root {ROOT},"
        f" which delegates administration and use of the key to any IAM principal of the account; {EXPECTED}"
    ]


def test_fail_root_as_account_id_shorthand():
    root = {"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "kms:*", "Resource": "*"}
    assert messages(RULE, stack(key(key_policy(root)))) == [
        f"{KEY} data: policy statement #1 grants kms:* to the account root {ROOT}, which delegates"
        f" administration and use of the key to any IAM principal of the account; {EXPECTED}"
    ]


def test_fail_admin_also_user_across_statements():
    use = use_statement(principal={"AWS": [APP_ROLE, ADMIN_ROLE]})
    assert messages(RULE, stack(key(key_policy(admin_statement(), use)))) == [
        f"{KEY} data: policy statement 'KeyAdministration', statement 'KeyUse' grants {ADMIN_ROLE} both"
        f" administration (e.g. kms:PutKeyPolicy) and use (e.g. kms:Decrypt); {EXPECTED}"
    ]


def test_fail_one_statement_with_both():
    both = admin_statement(actions=["kms:PutKeyPolicy", "kms:Decrypt"])
    assert messages(RULE, stack(key(key_policy(both)))) == [
        f"{KEY} data: policy statement 'KeyAdministration' grants {ADMIN_ROLE} both administration "
        f"(e.g. kms:PutKeyPolicy) and use (e.g. kms:Decrypt); {EXPECTED}"
    ]


def test_fail_user_can_schedule_deletion():
    use = use_statement(principal={"AWS": APP_ROLE}, actions=["kms:Decrypt", "kms:ScheduleKeyDeletion"])
    assert messages(RULE, stack(key(key_policy(admin_statement(), use)))) == [
        f"{KEY} data: policy statement 'KeyUse' grants {APP_ROLE} both administration (e.g."
        f" kms:ScheduleKeyDeletion) and use (e.g. kms:Decrypt); {EXPECTED}"
    ]


def test_fail_everyone_wildcard():
    star = {"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
    assert messages(RULE, stack(key(key_policy(star)))) == [
        f"{KEY} data: policy statement 'Open' grants everyone (\"*\") both administration (e.g."
        f" kms:PutKeyPolicy) and use (e.g. kms:Decrypt); {EXPECTED}"
    ]


def test_fail_not_action_grants_the_rest():
    statement = {
        "Sid": "Most",
        "Effect": "Allow",
        "Principal": {"AWS": APP_ROLE},
        "NotAction": "kms:Sign",
        "Resource": "*",
    }
    assert messages(RULE, stack(key(key_policy(statement)))) == [
        f"{KEY} data: policy statement 'Most' grants {APP_ROLE} both administration (e.g. kms:PutKeyPolicy)"
        f" and use (e.g. kms:Decrypt); {EXPECTED}"
    ]


def test_deny_statements_grant_nothing():
    deny = {"Effect": "Deny", "Principal": {"AWS": APP_ROLE}, "Action": "kms:*", "Resource": "*"}
    assert outcome(RULE, stack(key(key_policy(admin_statement(), use_statement(), deny)))) == "pass"


def test_fail_invalid_json():
    assert messages(RULE, stack(key("{"))) == [
        f"{KEY} data: policy is not valid JSON (Expecting property name enclosed in double quotes), so its"
        f" separation of duties cannot be shown; {EXPECTED}"
    ]


def test_key_policy_resource_replaces_the_key_policy():
    bare = key()
    good = tenant_resource(
        KEY_POLICY,
        "data-policy",
        {"keyId": "k-1", "policy": key_policy()},
        prop_deps={"keyId": [urn(KEY, "data")]},
    )
    assert outcome(RULE, stack(bare, good)) == "pass"
    root = {"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "kms:*", "Resource": "*"}
    bad = tenant_resource(
        KEY_POLICY,
        "data-policy",
        {"keyId": "k-1", "policy": key_policy(root)},
        prop_deps={"keyId": [urn(KEY, "data")]},
    )
    assert messages(RULE, stack(bare, bad)) == [
        f"{KEY_POLICY} data-policy: policy statement #1 grants kms:* to the account root {ROOT}, which"
        f" delegates administration and use of the key to any IAM principal of the account; {EXPECTED}"
    ]


def test_replica_and_external_keys_are_judged():
    assert messages(RULE, stack(key(name="r", resource_type="aws:kms/replicaKey:ReplicaKey"))) == [
        "aws:kms/replicaKey:ReplicaKey r: has no policy, so KMS applies its default policy, which grants"
        f" kms:* to the account root (administration and use together); {EXPECTED}"
    ]
    assert (
        outcome(RULE, stack(key(key_policy(), name="x", resource_type="aws:kms/externalKey:ExternalKey")))
        == "pass"
    )


def test_na_stack_without_keys():
    assert outcome(RULE, stack(tenant_resource("aws:sns/topic:Topic", "t", {}))) == "n/a"


def test_unknown_policy_in_preview():
    view = tenant_resource(KEY, "data", {"policy": UNKNOWN_STRING_VALUE}, preview=True)
    assert outcome(RULE, stack(view)) == "unknown"


def narrowed(sid, effect, actions, arns, principal=ROOT, **extra_condition):
    """The pattern that names roles through aws:PrincipalArn (they may not exist yet) behind the root
    principal."""
    condition = {"ArnLike": {"aws:PrincipalArn": arns}, **extra_condition}
    who = "*" if effect == "Deny" else {"AWS": principal}
    return {
        "Sid": sid,
        "Effect": effect,
        "Principal": who,
        "Action": actions,
        "Resource": "*",
        "Condition": condition,
    }


SERVICE_ROLES = "arn:aws:iam::111111111111:role/tenant-zone/service/*"


def test_pass_principal_arn_conditions_with_denies():
    document = key_policy(
        narrowed(
            "Admins",
            "Allow",
            ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DescribeKey"],
            [ADMIN_ROLE],
        ),
        narrowed("Users", "Allow", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"], [SERVICE_ROLES]),
        narrowed("DenyCrypto", "Deny", ["kms:Decrypt", "kms:Encrypt"], [ADMIN_ROLE]),
    )
    assert outcome(RULE, stack(key(document))) == "pass"


def test_fail_user_pattern_covers_an_administrator():
    document = key_policy(
        narrowed("Admins", "Allow", ["kms:PutKeyPolicy"], [ADMIN_ROLE]),
        narrowed("Users", "Allow", ["kms:Decrypt"], ["arn:aws:iam::111111111111:role/*"]),
    )
    assert messages(RULE, stack(key(document))) == [
        f"{KEY} data: policy statement 'Admins', statement 'Users' grants {ADMIN_ROLE} both administration "
        f"(e.g. kms:PutKeyPolicy) and use (e.g. kms:Decrypt); {EXPECTED}"
    ]


def test_pass_unconditional_deny_restores_separation():
    document = key_policy(
        narrowed("Admins", "Allow", ["kms:PutKeyPolicy"], [ADMIN_ROLE]),
        narrowed("Users", "Allow", ["kms:Decrypt"], ["arn:aws:iam::111111111111:role/*"]),
        narrowed("DenyCrypto", "Deny", ["kms:Decrypt"], [ADMIN_ROLE]),
    )
    assert outcome(RULE, stack(key(document))) == "pass"


def test_fail_conditional_deny_does_not_count():
    document = key_policy(
        narrowed("Admins", "Allow", ["kms:PutKeyPolicy"], [ADMIN_ROLE]),
        narrowed("Users", "Allow", ["kms:Decrypt"], ["arn:aws:iam::111111111111:role/*"]),
        narrowed(
            "DenyCrypto", "Deny", ["kms:Decrypt"], [ADMIN_ROLE], Bool={"aws:MultiFactorAuthPresent": "false"}
        ),
    )
    assert messages(RULE, stack(key(document))) == [
        f"{KEY} data: policy statement 'Admins', statement 'Users' grants {ADMIN_ROLE} both administration "
        f"(e.g. kms:PutKeyPolicy) and use (e.g. kms:Decrypt); {EXPECTED}"
    ]


def test_fail_root_use_delegates_to_administrators():
    root_use = {
        "Sid": "RootUse",
        "Effect": "Allow",
        "Principal": {"AWS": ROOT},
        "Action": ["kms:Decrypt"],
        "Resource": "*",
    }
    assert messages(RULE, stack(key(key_policy(admin_statement(), root_use)))) == [
        f"{KEY} data: policy statement 'KeyAdministration', statement 'RootUse' grants {ADMIN_ROLE} both "
        f"administration (e.g. kms:PutKeyPolicy) and use (e.g. kms:Decrypt); {EXPECTED}"
    ]


def test_pass_components_key_policy():
    # The policy components/keys.py ships for every tenant key (the components helper's module).
    from components.keys import key_policy as component_key_policy

    for region in ("ap-northeast-1", "ap-northeast-3"):
        document = component_key_policy(
            "111111111111",
            region,
            [
                "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole",
                "arn:aws:iam::111111111111:role/BreakGlass",
            ],
            [SERVICE_ROLES],
        )
        assert messages(RULE, stack(key(document))) == []


def test_fail_not_principal_grants_everyone_else():
    statement = {
        "Sid": "AllButAdmin",
        "Effect": "Allow",
        "NotPrincipal": {"AWS": ADMIN_ROLE},
        "Action": "kms:*",
        "Resource": "*",
    }
    assert messages(RULE, stack(key(key_policy(statement)))) == [
        f"{KEY} data: policy statement 'AllButAdmin' grants everyone except {ADMIN_ROLE} both administration "
        f"(e.g. kms:PutKeyPolicy) and use (e.g. kms:Decrypt); {EXPECTED}"
    ]


def _via_backup(operator="StringEquals"):
    statement = use_statement(principal={"AWS": ADMIN_ROLE}, actions=["kms:Decrypt", "kms:GenerateDataKey"])
    statement["Sid"] = "AdminThroughBackup"
    statement["Condition"] = {operator: {"kms:ViaService": "backup.ap-northeast-1.amazonaws.com"}}
    return statement


def test_pass_administrator_use_only_through_an_aws_service():
    assert outcome(RULE, stack(key(key_policy(admin_statement(), use_statement(), _via_backup())))) == "pass"


def test_fail_via_service_if_exists_also_allows_direct_calls():
    policy = key_policy(admin_statement(), use_statement(), _via_backup("StringEqualsIfExists"))
    assert messages(RULE, stack(key(policy))) == [
        f"{KEY} data: policy statement 'KeyAdministration', statement 'AdminThroughBackup' grants"
        f" {ADMIN_ROLE} both administration (e.g. kms:PutKeyPolicy) and use (e.g. kms:Decrypt); {EXPECTED}"
    ]


RECOVERY_EXPECTED = (
    "expected a second principal allowed kms:PutKeyPolicy and no cryptographic use, to restore the policy if"
    " the first is lost (a break-glass role matched by aws:PrincipalArn, which a recreated role still"
    " matches). [ENC-02]"
)


def no_recovery(who: str) -> str:
    return (
        f"{KEY} data: policy allows kms:PutKeyPolicy to {who} only, so nobody can restore it if that"
        " principal is lost (a role recreated under the same name does not match a policy that named the"
        " old one); " + RECOVERY_EXPECTED
    )


def test_fail_key_without_a_recovery_principal():
    assert messages(RULE, stack(key(key_policy(recovery=False)))) == [no_recovery(ADMIN_ROLE)]


def test_fail_recovery_principal_denied_the_policy_change():
    deny = narrowed("DenyRecovery", "Deny", ["kms:PutKeyPolicy"], [RECOVERY_ROLE])
    document = key_policy(admin_statement(), use_statement(), deny)
    assert messages(RULE, stack(key(document))) == [no_recovery(ADMIN_ROLE)]


def test_pass_recovery_matched_by_principal_arn_condition():
    # The shipped pattern: the break-glass role through the account root, narrowed by aws:PrincipalArn.
    recovery = narrowed(
        "KeyPolicyRecovery",
        "Allow",
        ["kms:PutKeyPolicy", "kms:GetKeyPolicy"],
        ["arn:aws:iam::111111111111:role/tenant-zone/tz-break-glass"],
    )
    document = key_policy(admin_statement(), use_statement(), recovery, recovery=False)
    assert outcome(RULE, stack(key(document))) == "pass"


def test_recovery_principal_given_use_breaks_separation():
    use = use_statement(principal={"AWS": [APP_ROLE, RECOVERY_ROLE]})
    assert messages(RULE, stack(key(key_policy(admin_statement(), use)))) == [
        f"{KEY} data: policy statement 'KeyUse', statement 'KeyPolicyRecovery' grants {RECOVERY_ROLE} both"
        f" administration (e.g. kms:PutKeyPolicy) and use (e.g. kms:Decrypt); {EXPECTED}"
    ]


def test_nobody_may_change_the_policy_is_the_lockout_rules_finding():
    document = key_policy(use_statement(), recovery=False)
    assert outcome(RULE, stack(key(document))) == "pass"
    assert outcome("kms_key_policy_lockout", key(document)) == "fail"


def test_key_policy_resource_without_recovery_is_caught():
    data = key(key_policy())
    replacement = tenant_resource(
        KEY_POLICY,
        "data-policy",
        {"keyId": "k", "policy": key_policy(recovery=False)},
        prop_deps={"keyId": [data.urn]},
    )
    assert messages(RULE, stack(data, replacement)) == [
        no_recovery(ADMIN_ROLE).replace(f"{KEY} data:", f"{KEY_POLICY} data-policy:")
    ]


def test_root_as_the_only_changer_is_recoverable_through_iam():
    # The root delegates the change to IAM, which can give it to another principal: no recovery finding (the
    # root reaching the users is the separation finding).
    root_admin = admin_statement(principal=ROOT, actions=["kms:PutKeyPolicy", "kms:DescribeKey"])
    document = key_policy(root_admin, use_statement(), recovery=False)
    assert messages(RULE, stack(key(document))) == [
        f"{KEY} data: policy statement 'KeyAdministration', statement 'KeyUse' grants {APP_ROLE} both"
        f" administration (e.g. kms:PutKeyPolicy) and use (e.g. kms:Decrypt); {EXPECTED}"
    ]
