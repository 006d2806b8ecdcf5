import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_backup import PLAN, SELECTION, plan, selection
from tests.rulekit import messages, outcome, stack

RULE = "backup_selection_by_tenant_tag"


def tenant(*resources, name="acme-prod"):
    return stack(*resources, name=name)


def test_pass_selection_tags():
    assert outcome(RULE, tenant(plan(), selection())) == "pass"


@pytest.mark.parametrize("operator", ["stringEquals", "stringLikes"])
def test_pass_conditions(operator):
    conditions = {operator: [{"key": "aws:ResourceTag/tenant", "value": "acme"}]}
    assert outcome(RULE, tenant(plan(), selection(selectionTags=None, conditions=conditions))) == "pass"


def test_pass_any_value_when_stack_name_has_no_tenant():
    other = selection(selectionTags=[{"type": "STRINGEQUALS", "key": "tenant", "value": "whoever"}])
    assert outcome(RULE, tenant(plan(), other, name="test")) == "pass"


def test_fail_no_plan():
    assert messages(RULE, tenant()) == [
        "pulumi:pulumi:Stack tenant-zone-acme-prod: has no AWS Backup plan; expected a backup.Plan with a"
        " selection by the tenant tag. [BAK-01]"
    ]


def test_fail_plan_without_selection():
    assert messages(RULE, tenant(plan())) == [
        f"{PLAN} backup: has no selection by tag tenant; "
        "expected a backup.Selection with selectionTags key tenant (value acme). [BAK-01]"
    ]


def test_fail_selection_by_other_tag_or_resources():
    by_arn = selection(selectionTags=None, resources=["arn:aws:s3:::acme-data"])
    by_env = selection(selectionTags=[{"type": "STRINGEQUALS", "key": "environment", "value": "prod"}])
    for chosen in (by_arn, by_env):
        assert messages(RULE, tenant(plan(), chosen)) == [
            f"{PLAN} backup: has no selection by tag tenant; "
            "expected a backup.Selection with selectionTags key tenant (value acme). [BAK-01]"
        ]


def test_fail_selection_of_other_tenant():
    other = selection(selectionTags=[{"type": "STRINGEQUALS", "key": "tenant", "value": "beta"}])
    assert messages(RULE, tenant(plan(), other)) == [
        f"{SELECTION} backup-selection: selects tag tenant = 'beta', not this stack's tenant; expected tag"
        " tenant = 'acme'. [BAK-01]"
    ]


def test_na_org_stack():
    assert outcome(RULE, stack(plan(), name="org")) == "n/a"


def test_unknown_tag_value_in_preview():
    view = tenant(
        plan(),
        selection(
            preview=True,
            selectionTags=[{"type": "STRINGEQUALS", "key": "tenant", "value": UNKNOWN_STRING_VALUE}],
        ),
    )
    assert outcome(RULE, view) == "unknown"
