from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import ResourceView
from tests.rulekit import messages, outcome, provider, resource, stack

RULE = "delegated_admin_enabled_first"
GD_ADMIN = "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"
HUB_ADMIN = "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount"
DETECTOR = "aws:guardduty/detector:Detector"
HUB = "aws:securityhub/account:Account"
SECURITY = "222222222222"
SECURITY_TOKYO = provider(
    name="security-apne1",
    assumeRoles=[{"roleArn": f"arn:aws:iam::{SECURITY}:role/OrganizationAccountAccessRole"}],
)
EXPECTED = (
    "expected the designation to depend on the service's enablement in the designated account and region "
    "(depends_on=[detector or hub]), so the designation never races it. [DEP-04]"
)


def in_security(view):
    return ResourceView(view.type, view.name, view.urn, view.props, SECURITY_TOKYO)


DETECTOR_VIEW = in_security(resource(DETECTOR, "security-guardduty", {"enable": True}))
HUB_VIEW = in_security(resource(HUB, "security-hub", {}))


def designation(
    kind=GD_ADMIN, depends=(DETECTOR_VIEW.urn,), account=SECURITY, region="ap-northeast-1", preview=False
):
    view = resource(
        kind,
        f"admin-{kind.split(':')[1].split('/')[0]}",
        {"adminAccountId": account, "region": region},
        preview=preview,
    )
    return ResourceView(
        view.type, view.name, view.urn, view.props, view.provider, dependencies=tuple(depends)
    )


def test_pass_designation_after_the_detector():
    assert outcome(RULE, stack(DETECTOR_VIEW, designation())) == "pass"


def test_fail_detector_not_ordered():
    assert messages(RULE, stack(DETECTOR_VIEW, designation(depends=()))) == [
        f"{GD_ADMIN} admin-guardduty: designates account {SECURITY} in ap-northeast-1, where this program"
        f" also creates {DETECTOR} security-guardduty without ordering: the designation enables the service"
        f" itself, so that create can fail with 'already exists'; {EXPECTED}"
    ]


def test_fail_security_hub_not_ordered():
    assert outcome(RULE, stack(HUB_VIEW, designation(HUB_ADMIN, depends=()))) == "fail"


def test_pass_other_region_or_account_is_not_raced():
    assert outcome(RULE, stack(DETECTOR_VIEW, designation(depends=(), region="ap-northeast-3"))) == "pass"
    assert outcome(RULE, stack(DETECTOR_VIEW, designation(depends=(), account="333333333333"))) == "pass"


def test_na_without_designations():
    assert outcome(RULE, stack(DETECTOR_VIEW)) == "n/a"


def test_unknown_account_in_preview():
    assert (
        outcome(RULE, stack(DETECTOR_VIEW, designation(account=UNKNOWN_STRING_VALUE, preview=True)))
        == "unknown"
    )
