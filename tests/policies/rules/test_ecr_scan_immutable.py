import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE

from tests.rulekit import messages, outcome, resource

REPO = "aws:ecr/repository:Repository"
RULE = "ecr_scan_immutable"


def repo(preview=False, **props):
    base = {"imageScanningConfiguration": {"scanOnPush": True}, "imageTagMutability": "IMMUTABLE"}
    base.update(props)
    return resource(REPO, "app", {k: v for k, v in base.items() if v is not None}, preview=preview)


def test_pass_scan_on_push_immutable():
    assert outcome(RULE, repo()) == "pass"


def test_pass_list_block_and_string_boolean():
    assert outcome(RULE, repo(imageScanningConfiguration=[{"scanOnPush": "true"}])) == "pass"


@pytest.mark.parametrize(
    "props, text",
    [
        (
            {"imageScanningConfiguration": {"scanOnPush": False}},
            (
                "imageScanningConfiguration.scanOnPush is false; expected"
                " imageScanningConfiguration.scanOnPush true"
            ),
        ),
        (
            {"imageScanningConfiguration": None},
            (
                "imageScanningConfiguration.scanOnPush is not set (AWS default false); "
                "expected imageScanningConfiguration.scanOnPush true"
            ),
        ),
        (
            {"imageTagMutability": "MUTABLE"},
            "imageTagMutability is MUTABLE; expected imageTagMutability IMMUTABLE",
        ),
        (
            {"imageTagMutability": "IMMUTABLE_WITH_EXCLUSION"},
            "imageTagMutability is IMMUTABLE_WITH_EXCLUSION; expected imageTagMutability IMMUTABLE",
        ),
        (
            {"imageTagMutability": None},
            "imageTagMutability is not set (AWS default MUTABLE); expected imageTagMutability IMMUTABLE",
        ),
    ],
)
def test_fail_one_field(props, text):
    assert messages(RULE, repo(**props)) == [f"{REPO} app: {text}. [VUL-01]"]


def test_fail_bare_repository_two_failures():
    assert messages(RULE, resource(REPO, "app", {})) == [
        (
            f"{REPO} app: imageScanningConfiguration.scanOnPush is not set (AWS default false); "
            "expected imageScanningConfiguration.scanOnPush true. [VUL-01]"
        ),
        (
            f"{REPO} app: imageTagMutability is not set (AWS default MUTABLE); expected imageTagMutability"
            " IMMUTABLE. [VUL-01]"
        ),
    ]


def test_na_other_types():
    assert outcome(RULE, resource("aws:ecr/lifecyclePolicy:LifecyclePolicy", "lp", {})) == "n/a"


def test_unknown_scan_on_push_in_preview():
    assert (
        outcome(RULE, repo(preview=True, imageScanningConfiguration={"scanOnPush": UNKNOWN_BOOLEAN_VALUE}))
        == "unknown"
    )
