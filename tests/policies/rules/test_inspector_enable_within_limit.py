from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource

RULE = "inspector_enable_within_limit"
ENABLER = "aws:inspector2/enabler:Enabler"


def enabler(count=None, preview=False, **props):
    accounts = [f"{500_000_000_000 + n:012d}" for n in range(count)] if count is not None else None
    raw = {"resourceTypes": ["EC2", "ECR", "LAMBDA"], **props}
    if accounts is not None:
        raw["accountIds"] = accounts
    return resource(ENABLER, "members", raw, preview=preview)


def test_pass_at_the_limit():
    assert outcome(RULE, enabler(100)) == "pass"


def test_fail_one_account_over():
    assert messages(RULE, enabler(101)) == [
        f"{ENABLER} members: accountIds lists 101 accounts, which Inspector's Enable refuses "
        "(ValidationException: at most 100 account IDs per request); expected at most 100 account IDs per "
        "inspector2.Enabler, the rest in further enablers. [DEP-07]"
    ]


def test_na_without_accounts():
    assert outcome(RULE, enabler()) == "n/a"


def test_unknown_list_in_preview_is_undecided():
    view = resource(
        ENABLER, "members", {"accountIds": UNKNOWN_STRING_VALUE, "resourceTypes": ["EC2"]}, preview=True
    )
    assert outcome(RULE, view) == "unknown"


def test_unknown_ids_in_a_list_of_known_length_are_counted():
    view = resource(
        ENABLER,
        "members",
        {"accountIds": [UNKNOWN_STRING_VALUE] * 101, "resourceTypes": ["EC2"]},
        preview=True,
    )
    assert outcome(RULE, view) == "fail"
