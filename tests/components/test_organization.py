"""Organization: OU tree, SCPs attached to the intended OUs, core accounts, delegated administrators."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from components.errors import ComponentInputError
from components.organization import Organization, OrganizationArgs
from components.scps import SCP_DEFINITIONS, ScpDefinition
from tests.pulumi_mocks import Run, assert_all_under, run

OU = "aws:organizations/organizationalUnit:OrganizationalUnit"
POLICY = "aws:organizations/policy:Policy"
ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment"
ACCOUNT = "aws:organizations/account:Account"


def build(**overrides: object) -> Run:
    values: dict[str, object] = {
        "log_archive_account_email": "aws+log-archive@example.co.jp",
        "security_account_email": "aws+security@example.co.jp",
    }
    values.update(overrides)
    return run(lambda: Organization("org", OrganizationArgs(**values)))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def default() -> Run:
    return build()


def ou_ids(result: Run) -> dict[str, str]:
    return {r.inputs["name"]: r.outputs["id"] for r in result.of_type(OU)}


def test_every_child_is_parented(default: Run) -> None:
    assert_all_under(default, default.one("tenant-zone:organization:Organization").urn)


def test_organization_enables_scps_and_the_security_services(default: Run) -> None:
    org = default.one("aws:organizations/organization:Organization")
    assert org.inputs["featureSet"] == "ALL"
    assert org.inputs["enabledPolicyTypes"] == ["SERVICE_CONTROL_POLICY"]
    for principal in (
        "cloudtrail.amazonaws.com",
        "guardduty.amazonaws.com",
        "securityhub.amazonaws.com",
        "config.amazonaws.com",
        "inspector2.amazonaws.com",
        "backup.amazonaws.com",
    ):
        assert principal in org.inputs["awsServiceAccessPrincipals"]
    assert org.protect is True


def test_ou_tree(default: Run) -> None:
    units = {r.inputs["name"]: r for r in default.of_type(OU)}
    assert sorted(units) == ["NonProd", "Prod", "Security", "Suspended", "Tenants"]
    root = default.one("aws:organizations/organization:Organization").outputs["roots"][0]["id"]
    for top in ("Security", "Tenants", "Suspended"):
        assert units[top].inputs["parentId"] == root
    for env in ("Prod", "NonProd"):
        assert units[env].inputs["parentId"] == units["Tenants"].outputs["id"]
    assert all(u.protect for u in units.values())


def test_each_scp_is_attached_to_its_intended_ous(default: Run) -> None:
    ids = ou_ids(default)
    target_ids = {"tenants": ids["Tenants"], "security": ids["Security"], "prod": ids["Prod"],
                  "nonprod": ids["NonProd"], "suspended": ids["Suspended"]}  # fmt: skip
    policies = {p.inputs["name"]: p for p in default.of_type(POLICY)}
    assert sorted(policies) == sorted(d.name for d in SCP_DEFINITIONS)
    attachments = default.of_type(ATTACHMENT)
    for definition in SCP_DEFINITIONS:
        policy = policies[definition.name]
        assert policy.inputs["type"] == "SERVICE_CONTROL_POLICY"
        attached_to = sorted(
            a.inputs["targetId"] for a in attachments if a.inputs["policyId"] == policy.outputs["id"]
        )
        assert attached_to == sorted(target_ids[t] for t in definition.targets), definition.name
    assert len(attachments) == sum(len(d.targets) for d in SCP_DEFINITIONS)


def test_tenants_ou_gets_region_deny_root_deny_baseline_protection_and_no_iam_users(default: Run) -> None:
    ids = ou_ids(default)
    by_id = {p.outputs["id"]: p.inputs["name"] for p in default.of_type(POLICY)}
    on_tenants = sorted(
        by_id[a.inputs["policyId"]]
        for a in default.of_type(ATTACHMENT)
        if a.inputs["targetId"] == ids["Tenants"]
    )
    assert on_tenants == ["tz-deny-iam-users", "tz-deny-regions", "tz-deny-root-user", "tz-protect-baseline"]


def test_environment_separation_document_carries_the_real_org_paths(default: Run) -> None:
    ids = ou_ids(default)
    org = default.one("aws:organizations/organization:Organization")
    root = org.outputs["roots"][0]["id"]
    policy = next(p for p in default.of_type(POLICY) if p.inputs["name"] == "tz-separate-environments")
    document = json.loads(policy.inputs["content"])
    prod = f"{org.outputs['id']}/{root}/{ids['Tenants']}/{ids['Prod']}/*"
    nonprod = f"{org.outputs['id']}/{root}/{ids['Tenants']}/{ids['NonProd']}/*"
    first = document["Statement"][0]["Condition"]["ForAnyValue:StringLike"]
    assert first == {"aws:PrincipalOrgPaths": [nonprod], "aws:ResourceOrgPaths": [prod]}


def test_static_scp_content_is_known_at_preview() -> None:
    result = run(
        lambda: Organization(
            "org", OrganizationArgs("aws+log-archive@example.co.jp", "aws+security@example.co.jp")
        ),
        preview=True,
    )
    region_deny = next(p for p in result.of_type(POLICY) if p.inputs["name"] == "tz-deny-regions")
    assert json.loads(region_deny.inputs["content"])["Statement"][0]["Sid"] == "RES01DenyOutsideJapan"


def test_core_accounts_in_security_ou_never_closed(default: Run) -> None:
    security_ou = ou_ids(default)["Security"]
    accounts = {a.inputs["name"]: a for a in default.of_type(ACCOUNT)}
    assert sorted(accounts) == ["log-archive", "security"]
    assert accounts["log-archive"].inputs["email"] == "aws+log-archive@example.co.jp"
    for account in accounts.values():
        assert account.inputs["parentId"] == security_ou
        assert account.inputs["closeOnDeletion"] is False
        assert account.inputs["roleName"] == "OrganizationAccountAccessRole"
        assert account.protect is True
        assert account.ignore_changes == ["roleName", "iamUserAccessToBilling"]


def test_delegated_administrators_are_the_security_account(default: Run) -> None:
    security = next(a for a in default.of_type(ACCOUNT) if a.inputs["name"] == "security").outputs["id"]
    generic = default.of_type("aws:organizations/delegatedAdministrator:DelegatedAdministrator")
    assert sorted(d.inputs["servicePrincipal"] for d in generic) == [
        "backup.amazonaws.com",
        "config-multiaccountsetup.amazonaws.com",
        "config.amazonaws.com",
    ]
    assert {d.inputs["accountId"] for d in generic} == {security}


def test_outputs(default: Run) -> None:
    org = default.value
    ids = ou_ids(default)
    resolved = {key: default.resolve(value) for key, value in org.organizational_unit_ids.items()}
    assert resolved == {"security": ids["Security"], "tenants": ids["Tenants"], "prod": ids["Prod"],
                        "nonprod": ids["NonProd"], "suspended": ids["Suspended"]}  # fmt: skip
    assert default.resolve(org.management_account_id) == "111111111111"
    assert default.resolve(org.organization_id).startswith("o-")
    assert sorted(org.policy_ids) == sorted(d.name for d in SCP_DEFINITIONS)


def _too_many() -> Sequence[ScpDefinition]:
    extra = [
        ScpDefinition(f"tz-extra-{i}", "[RES-01] x", ("RES-01",), ("prod",), build=dict) for i in range(2)
    ]
    return [*SCP_DEFINITIONS, *extra]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"security_account_email": "aws+log-archive@example.co.jp"},
            (
                "Organization org: log_archive_account_email and security_account_email are both"
                " 'aws+log-archive@example.co.jp'; expected a different e-mail address per account (AWS"
                " requires it)."
            ),
        ),
        (
            {"security_account_email": "security"},
            (
                "Organization org: security_account_email = 'security' is not an e-mail address; expected a"
                " unique root e-mail address."
            ),
        ),
        (
            {"scps": _too_many()},
            (
                "Organization org: 6 SCPs (with FullAWSAccess) would be attached to the prod OU; expected at"
                " most 5 per target (AWS quota); merge guardrails or attach some higher up."
            ),
        ),
    ],
)
def test_validation_errors(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ComponentInputError) as caught:
        build(**overrides)
    assert str(caught.value) == message


def test_account_names_service_principals_and_tags_are_reflected() -> None:
    result = build(
        log_archive_account_name="logs",
        security_account_name="audit",
        service_access_principals=["guardduty.amazonaws.com", "cloudtrail.amazonaws.com"],
        tags={"cost-center": "platform"},
    )
    assert sorted(a.inputs["name"] for a in result.of_type(ACCOUNT)) == ["audit", "logs"]
    org = result.one("aws:organizations/organization:Organization")
    assert org.inputs["awsServiceAccessPrincipals"] == ["cloudtrail.amazonaws.com", "guardduty.amazonaws.com"]
    for type_ in (OU, POLICY, ACCOUNT):
        assert all(r.tags == {"cost-center": "platform"} for r in result.of_type(type_)), type_
