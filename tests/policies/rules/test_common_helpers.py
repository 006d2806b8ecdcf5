"""The shared readers of policies/rules/_common: the contracts every rule family relies on."""

from dataclasses import replace

import pytest
from pulumi_policy import proxy
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from policies.rules._common.arns import account_of, arn_account, arn_region
from policies.rules._common.policy_documents import PolicyDocumentError, load, statements
from policies.rules._common.stacks import is_org_stack, stack_environment, stack_tenant
from policies.rules._common.tags import effective_tags, tag, tag_value
from policies.rules._common.unknowns import SENTINELS, UNKNOWN, peek, read, read_items, require_known
from policies.rules._common.values import number, shown, shown_number
from tests.rulekit import provider, resource


def test_sentinels_are_exactly_pulumi_policys_unknown_values():
    installed = {
        value
        for name, value in vars(proxy).items()
        if name.startswith("UNKNOWN_") and name.endswith("_VALUE")
    }
    assert frozenset(installed) == SENTINELS
    assert proxy.UNKNOWN_STRING_VALUE == UNKNOWN


def test_unknown_readers():
    props = unknown_checking_proxy(
        {"a": proxy.UNKNOWN_STRING_VALUE, "b": "x", "c": ["y", proxy.UNKNOWN_STRING_VALUE]}
    )
    assert peek(props, "a") is None and peek(props, "b") == "x"
    assert read(props, "a") == UNKNOWN and read(props, "b") == "x"
    assert read_items(props.get("c")) == ["y", UNKNOWN]
    with pytest.raises(UnknownValueError):
        require_known(read(props, "a"), "a")
    assert require_known("x", "a") == "x"


@pytest.mark.parametrize(
    "value, account, region",
    [
        ("arn:aws:iam::123456789012:role/r", "123456789012", None),
        ("arn:aws:kms:ap-northeast-3:123456789012:key/k", "123456789012", "ap-northeast-3"),
        ("arn:aws-cn:s3:::bucket", None, None),
        ("not-an-arn", None, None),
        (None, None, None),
    ],
)
def test_arns(value, account, region):
    assert (arn_account(value), arn_region(value)) == (account, region)


def test_account_of_takes_bare_ids_and_arns():
    assert account_of("123456789012") == "123456789012"
    assert account_of("arn:aws:iam::210987654321:root") == "210987654321"
    assert account_of("*") is None


@pytest.mark.parametrize(
    "raw, parsed, text",
    [(30, 30.0, "30"), ("7.5", 7.5, "7.5"), (True, None, "not set"), ("x", None, "not set")],
)
def test_numbers(raw, parsed, text):
    assert number(raw) == parsed
    assert shown_number(number(raw)) == text


def test_shown_writes_values_as_the_program_did():
    assert [shown(None), shown(False), shown(3.0), shown("a"), shown({"b": 1})] == [
        "not set",
        "false",
        "3",
        '"a"',
        '{"b": 1}',
    ]


@pytest.mark.parametrize(
    "name, org, env, tenant",
    [
        ("org", True, None, None),
        ("acme-prod", False, "prod", "acme"),
        ("a-b-dev", False, "dev", "a-b"),
        ("x", False, None, None),
    ],
)
def test_stack_names(name, org, env, tenant):
    assert (is_org_stack(name), stack_environment(name), stack_tenant(name)) == (org, env, tenant)


def test_tags_overlay_provider_defaults_and_normalise_on_request():
    view = resource("aws:s3/bucket:Bucket", "b", {"tags": {"purpose": " Logs "}})
    view = replace(view, provider=provider(defaultTags='{"tags": {"tenant": "acme", "purpose": "data"}}'))
    assert effective_tags(view) == {"tenant": "acme", "purpose": " Logs "}
    assert (
        tag(view, "purpose") == "logs"
        and tag_value(view, "purpose") == " Logs "
        and tag(view, "none") is None
    )


def test_list_shaped_tags_take_no_provider_defaults():
    view = resource(
        "aws:autoscaling/group:Group",
        "g",
        {"tags": [{"key": "tenant", "value": "acme", "propagateAtLaunch": True}]},
    )
    view = replace(view, provider=provider(defaultTags='{"tags": {"environment": "prod"}}'))
    assert effective_tags(view) == {"tenant": "acme"}


def test_tags_asked_for_by_key_do_not_touch_other_unknown_tags():
    view = resource(
        "aws:s3/bucket:Bucket",
        "b",
        {"tags": {"purpose": "logs", "other": proxy.UNKNOWN_STRING_VALUE}},
        preview=True,
    )
    assert tag(view, "purpose") == "logs"
    with pytest.raises(UnknownValueError):
        effective_tags(view)


def test_policy_documents_read_both_ways():
    document = load(
        '{"Statement": [{"Sid": "A", "Effect": "allow", "NotPrincipal": {"AWS": "*"}, "Action": "s3:*"}]}'
    )
    [statement] = statements(document)
    assert (statement.effect, statement.not_principal, statement.principals, statement.actions) == (
        "Allow",
        True,
        ("*",),
        ("s3:*",),
    )
    assert (statement.label, statement.path_label) == ("statement 'A'", "Statement[0] (Sid A)")
    assert load(None) is None and load("  ") is None
    with pytest.raises(PolicyDocumentError, match="is not valid JSON"):
        load("{")
    with pytest.raises(PolicyDocumentError, match="is not a JSON object"):
        load("[]")


def test_stack_indexes_are_built_once_per_view_and_shared():
    from policies.rules._net.common import links_of
    from policies.rules._net.logdest import destinations_of
    from policies.rules._net.routes import network_of
    from tests.rulekit import stack

    view = stack(resource("aws:ec2/vpc:Vpc", "vpc", {"id": "vpc-1"}))
    assert links_of(view) is links_of(view)
    assert network_of(view) is network_of(view) and network_of(view).links is links_of(view)
    assert destinations_of(view).links is links_of(view)
    assert links_of(stack(*view.resources)) is not links_of(view)
    built = []
    assert view.memo("k", lambda v: built.append(v) or len(built)) == 1
    assert view.memo("k", lambda v: built.append(v) or len(built)) == 1 and built == [view]
