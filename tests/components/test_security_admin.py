"""SecurityAdministration: regional designations of the security account, after its own detection."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from components.errors import ComponentInputError
from components.security_admin import SecurityAdministration, SecurityAdministrationArgs, inspector_batches
from tests.pulumi_mocks import Run, run

SECURITY = "222222222222"
GD_ORG = "aws:guardduty/organizationConfiguration:OrganizationConfiguration"
GD_FEATURE = "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature"
KINDS = (
    ("aws:guardduty/organizationAdminAccount:OrganizationAdminAccount", "adminAccountId"),
    ("aws:securityhub/organizationAdminAccount:OrganizationAdminAccount", "adminAccountId"),
    ("aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount", "accountId"),
)


MEMBERS = ("333333333333", "444444444444")


def build(
    regions: tuple[str, ...] = ("ap-northeast-1", "ap-northeast-3"),
    aggregate: bool = False,
    auto_enable: bool = False,
    members: tuple[str, ...] = MEMBERS,
) -> Run:
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
                security_providers=providers if aggregate or auto_enable else None,
                detector_ids={r: f"detector-{r}" for r in regions} if auto_enable else None,
                root_id="r-abcd" if auto_enable else None,
                member_account_ids=members if auto_enable else (),
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


def _by_region(result: Run, kind: str) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for resource in result.of_type(kind):
        found.setdefault(result.region_of(resource), []).append(resource)
    return found


def test_auto_enable_switches_every_member_on_after_each_designation() -> None:
    result = build(auto_enable=True)
    component = result.one("tenant-zone:security:SecurityAdministration").urn
    assert {c.parent for c in result.descendants_of(component)} == {component}
    designations = {kind: {a.inputs["region"]: a.urn for a in result.of_type(kind)} for kind, _ in KINDS}
    guardduty_admin, _, inspector_admin = (designations[kind] for kind, _ in KINDS)
    for region in ("ap-northeast-1", "ap-northeast-3"):
        provider = result.one("pulumi:providers:aws", f"security-{region}").urn
        (guardduty,) = _by_region(result, GD_ORG)[region]
        assert guardduty.inputs == {
            "autoEnableOrganizationMembers": "ALL",
            "detectorId": f"detector-{region}",
        }
        assert guardduty_admin[region] in guardduty.dependencies and guardduty.provider_urn == provider
        features = _by_region(result, GD_FEATURE)[region]
        assert {(f.inputs["name"], f.inputs["autoEnable"]) for f in features} == {
            ("S3_DATA_EVENTS", "ALL"),
            ("EBS_MALWARE_PROTECTION", "ALL"),
        }
        assert all(guardduty.urn in f.dependencies for f in features)
        (inspector,) = _by_region(
            result, "aws:inspector2/organizationConfiguration:OrganizationConfiguration"
        )[region]
        assert inspector.inputs["autoEnable"] == {"ec2": True, "ecr": True, "lambda": True}
        assert inspector_admin[region] in inspector.dependencies
        (enabler,) = _by_region(result, "aws:inspector2/enabler:Enabler")[region]
        assert enabler.inputs["accountIds"] == [SECURITY, *MEMBERS]
        assert sorted(enabler.inputs["resourceTypes"]) == ["EC2", "ECR", "LAMBDA"]
        assert inspector_admin[region] in enabler.dependencies and enabler.provider_urn == provider


def test_security_hub_is_configured_centrally_for_the_root_after_the_aggregator() -> None:
    result = build(auto_enable=True)
    tokyo = result.one("pulumi:providers:aws", "security-ap-northeast-1").urn
    (aggregator,) = result.of_type("aws:securityhub/findingAggregator:FindingAggregator")
    (organization,) = result.of_type("aws:securityhub/organizationConfiguration:OrganizationConfiguration")
    assert organization.inputs == {
        "autoEnable": False,
        "autoEnableStandards": "NONE",
        "organizationConfiguration": {"configurationType": "CENTRAL"},
    }
    assert aggregator.urn in organization.dependencies
    (policy,) = result.of_type("aws:securityhub/configurationPolicy:ConfigurationPolicy")
    body = policy.inputs["configurationPolicy"]
    assert body["serviceEnabled"] is True
    assert body["enabledStandardArns"] == [
        "arn:aws:securityhub:ap-northeast-1::standards/aws-foundational-security-best-practices/v/1.0.0"
    ]
    assert organization.urn in policy.dependencies
    (association,) = result.of_type(
        "aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation"
    )
    assert association.inputs == {"targetId": "r-abcd", "policyId": policy.outputs["id"]}
    assert {organization.provider_urn, policy.provider_urn, association.provider_urn} == {tokyo}


def test_auto_enable_needs_the_detector_of_every_region_and_the_root() -> None:
    def program() -> SecurityAdministration:
        return SecurityAdministration(
            "security-admin",
            SecurityAdministrationArgs(
                security_account_id=SECURITY,
                enabled_first={
                    region: [aws.guardduty.Detector(f"security-detector-{region}", region=region)]
                    for region in ("ap-northeast-1", "ap-northeast-3")
                },
                detector_ids={"ap-northeast-1": "d"},
            ),
        )

    with pytest.raises(ComponentInputError) as caught:
        run(program)
    assert str(caught.value).splitlines() == [
        "SecurityAdministration security-admin: detector_ids has nothing for ap-northeast-3; expected the "
        "security account's GuardDuty detector ID there (the organization configuration's detector). "
        "[LOG-03]",
        "SecurityAdministration security-admin: only one of detector_ids and root_id is given; expected both "
        "(auto-enable in every member account) or neither. [LOG-03]",
    ]


def test_inspector_is_activated_in_batches_of_at_most_100_accounts() -> None:
    # https://docs.aws.amazon.com/inspector/v2/APIReference/API_Enable.html: accountIds holds at most 100
    members = tuple(f"{n:012d}" for n in range(500_000_000_000, 500_000_000_250))  # 251 accounts in all
    result = build(auto_enable=True, members=members)
    for region in ("ap-northeast-1", "ap-northeast-3"):
        enablers = sorted(_by_region(result, "aws:inspector2/enabler:Enabler")[region], key=lambda e: e.name)
        # the first batch has no suffix: growing past 100 accounts renames no enabler
        assert [e.name for e in enablers] == [
            f"security-admin-inspector-members-{region}",
            f"security-admin-inspector-members-{region}-2",
            f"security-admin-inspector-members-{region}-3",
        ]
        assert [len(e.inputs["accountIds"]) for e in enablers] == [100, 100, 51]
        activated = [a for e in enablers for a in e.inputs["accountIds"]]
        assert activated == [SECURITY, *members]  # each account once, the administrator first


@pytest.mark.parametrize(("members", "sizes"), [(0, [1]), (99, [100]), (100, [100, 1]), (199, [100, 100])])
def test_inspector_batches_split_at_the_api_limit(members: int, sizes: list[int]) -> None:
    accounts = [f"{n:012d}" for n in range(members)]
    batches = inspector_batches(SECURITY, accounts)
    assert [len(b) for b in batches] == sizes
    assert [a for b in batches for a in b] == [SECURITY, *accounts]
