"""SecurityAdministration: regional designations of the security account, after its own detection."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pytest

from components.errors import ComponentInputError
from components.security_admin import SecurityAdministration, SecurityAdministrationArgs
from tests.pulumi_mocks import Run, run

SECURITY = "222222222222"
KINDS = (
    ("aws:guardduty/organizationAdminAccount:OrganizationAdminAccount", "adminAccountId"),
    ("aws:securityhub/organizationAdminAccount:OrganizationAdminAccount", "adminAccountId"),
    ("aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount", "accountId"),
)


def build(regions: tuple[str, ...] = ("ap-northeast-1", "ap-northeast-3"), aggregate: bool = False) -> Run:
    def program() -> SecurityAdministration:
        providers = {
            region: aws.Provider(f"security-{region}", region=region)
            for region in ("ap-northeast-1", "ap-northeast-3")
        }
        detectors: dict[str, list[pulumi.Resource]] = {
            region: [aws.guardduty.Detector(f"security-detector-{region}", enable=True, region=region)]
            for region in ("ap-northeast-1", "ap-northeast-3")
        }
        return SecurityAdministration(
            "security-admin",
            SecurityAdministrationArgs(
                security_account_id=SECURITY,
                enabled_first=detectors,
                regions=regions,
                security_providers=providers if aggregate else None,
            ),
        )

    return run(program)


@pytest.fixture(scope="module")
def default() -> Run:
    return build()


def test_every_child_is_parented(default: Run) -> None:
    component = default.one("tenant-zone:security:SecurityAdministration").urn
    children = default.descendants_of(component)
    assert len(children) == 6  # without the security providers: the designations only
    assert {c.parent for c in children} == {component}


def test_each_region_designates_the_security_account_after_its_detection(default: Run) -> None:
    detectors = {d.inputs["region"]: d.urn for d in default.of_type("aws:guardduty/detector:Detector")}
    for kind, key in KINDS:
        admins = default.of_type(kind)
        assert sorted(a.inputs["region"] for a in admins) == ["ap-northeast-1", "ap-northeast-3"], kind
        assert {a.inputs[key] for a in admins} == {SECURITY}, kind
        for admin in admins:
            assert admin.dependencies == [detectors[admin.inputs["region"]]], kind


def test_regions_input_limits_the_designations() -> None:
    result = build(("ap-northeast-1",))
    for kind, _ in KINDS:
        assert [a.inputs["region"] for a in result.of_type(kind)] == ["ap-northeast-1"]


def test_region_outside_japan_is_refused() -> None:
    with pytest.raises(ComponentInputError) as caught:
        build(("ap-northeast-1", "us-east-1"))
    assert str(caught.value) == (
        "SecurityAdministration security-admin: regions contains 'us-east-1', outside Japan; expected only "
        "ap-northeast-1, ap-northeast-3. [RES-01]"
    )


def test_aggregators_in_the_security_account_after_the_tokyo_designation() -> None:
    result = build(aggregate=True)
    tokyo = result.one("pulumi:providers:aws", "security-ap-northeast-1").urn
    (findings,) = result.of_type("aws:securityhub/findingAggregator:FindingAggregator")
    assert findings.inputs == {"linkingMode": "SPECIFIED_REGIONS", "specifiedRegions": ["ap-northeast-3"]}
    assert findings.provider_urn == tokyo
    hub_admin = next(
        a
        for a in result.of_type("aws:securityhub/organizationAdminAccount:OrganizationAdminAccount")
        if a.inputs["region"] == "ap-northeast-1"
    )
    assert hub_admin.urn in findings.dependencies
    (config,) = result.of_type("aws:cfg/configurationAggregator:ConfigurationAggregator")
    source = config.inputs["organizationAggregationSource"]
    assert source["regions"] == ["ap-northeast-1", "ap-northeast-3"]
    (role,) = result.of_type("aws:iam/role:Role")
    assert source["roleArn"] == role.outputs["arn"] and role.inputs["path"] == "/tenant-zone/"
    (attachment,) = result.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert attachment.inputs["policyArn"].endswith(":policy/service-role/AWSConfigRoleForOrganizations")
    assert attachment.urn in config.dependencies and config.provider_urn == tokyo
