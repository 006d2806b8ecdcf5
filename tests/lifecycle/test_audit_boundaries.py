"""The live checks of the tenant account's boundary, variant by variant on fresh accounts (moto,
in-process): RAM shares owned and received (TEN-02), Transit Gateway attachments (TEN-02) and the MFA of
roles that AWS principals assume (IAM-02), and what a read error makes of each (undecided, never a pass)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from moto import mock_aws

from policies.audit._registry import all_checks
from policies.audit.live_human_role_mfa import EXPECTED as ROLE_EXPECTED
from policies.audit.live_ram_shares_tenant_only import EXPECTED as RAM_EXPECTED
from policies.audit.live_ram_shares_tenant_only import foreign_principal
from policies.audit.live_tgw_attachments_same_tenant import EXPECTED as TGW_EXPECTED
from tenantctl.lifecycle import org
from tenantctl.lifecycle.audit import Target, run_checks
from tenantctl.lifecycle.aws import PRIMARY_REGION, Aws
from tenantctl.lifecycle.iam import AUDIT_ROLE, trust_policy
from tenantctl.lifecycle.org import OrgView
from tenantctl.lifecycle.tenancy import BASELINE_ROLE_PATH, ORG_ACCESS_ROLE_NAME
from tests.lifecycle.orgkit import Tenant, new_tenant, run_check

TOKYO = PRIMARY_REGION
RAM, TGW, MFA = "live_ram_shares_tenant_only", "live_tgw_attachments_same_tenant", "live_human_role_mfa"


@dataclass
class Accounts:
    view: OrgView
    own: Tenant
    other: Tenant

    @property
    def management(self) -> str:
        return self.view.management_account_id


@pytest.fixture
def accounts() -> Iterator[Accounts]:
    with mock_aws():
        aws = Aws()
        view = org.bootstrap(aws)
        yield Accounts(
            view,
            new_tenant(aws, view, "own-prod", seed=False),
            new_tenant(aws, view, "other-prod", seed=False),
        )


def _subnet(tenant: Tenant) -> dict[str, Any]:
    return dict(tenant.clients("ec2", TOKYO).describe_subnets()["Subnets"][0])


def _share(tenant: Tenant, principals: list[str], allow_external: bool = False) -> dict[str, Any]:
    return dict(
        tenant.clients("ram", TOKYO).create_resource_share(
            name="tz-share",
            resourceArns=[_subnet(tenant)["SubnetArn"]],
            principals=principals,
            allowExternalPrincipals=allow_external,
        )["resourceShare"]
    )


def _ou_arn(a: Accounts, path: str) -> str:
    unit = (
        Aws().client("organizations").describe_organizational_unit(OrganizationalUnitId=a.view.ou_ids[path])
    )
    return str(unit["OrganizationalUnit"]["Arn"])


# --- RAM shares ---------------------------------------------------------------------------------------


def test_ram_share_allowing_external_principals(accounts: Accounts) -> None:
    _share(accounts.own, [], allow_external=True)
    assert run_check(RAM, accounts.own) == [
        f"AWS::RAM::ResourceShare tz-share: allows external principals; expected {RAM_EXPECTED}. [TEN-02]"
    ]


def test_ram_share_with_the_organization_is_found_on_both_sides(accounts: Accounts) -> None:
    organization = accounts.own.clients("organizations").describe_organization()["Organization"]["Arn"]
    _share(accounts.own, [organization])
    assert run_check(RAM, accounts.own) == [
        f"AWS::RAM::ResourceShare tz-share: shares with an organization ({organization}), which holds other"
        f" tenants' accounts; expected {RAM_EXPECTED}. [TEN-02]"
    ]
    assert run_check(RAM, accounts.other) == [
        f"AWS::RAM::ResourceShare tz-share: is shared with this account by account {accounts.own.account_id};"
        f" expected {RAM_EXPECTED}. [TEN-02]"
    ]


def test_ram_share_received_through_an_ou_above_the_account(accounts: Accounts) -> None:
    # moto accepts OU principals only from the management account; AWS would take them from any member too
    management = Aws()
    subnet = management.client("ec2", TOKYO).describe_subnets()["Subnets"][0]["SubnetArn"]
    tenants = _ou_arn(accounts, "Tenants")  # the other tenant sits in Tenants/Prod
    management.client("ram", TOKYO).create_resource_share(
        name="tz-org-subnet", resourceArns=[subnet], principals=[tenants], allowExternalPrincipals=False
    )
    assert run_check(RAM, accounts.other) == [
        "AWS::RAM::ResourceShare tz-org-subnet: is shared with this account by account"
        f" {accounts.management}; expected {RAM_EXPECTED}. [TEN-02]"
    ]


def test_deleted_ram_share_and_service_principal_pass(accounts: Accounts) -> None:
    deleted = _share(accounts.own, [accounts.other.account_id])
    accounts.own.clients("ram", TOKYO).delete_resource_share(resourceShareArn=deleted["resourceShareArn"])
    _share(accounts.own, ["ec2.amazonaws.com"])
    assert run_check(RAM, accounts.own) == []
    assert run_check(RAM, accounts.other) == []


def test_no_ram_share_is_not_applicable(accounts: Accounts) -> None:
    assert run_check(RAM, accounts.own) == []


@pytest.mark.parametrize(
    ("principal", "wrong"),
    [
        ("111111111111", None),
        ("arn:aws:iam::111111111111:role/app", None),
        ("222222222222", "shares with account 222222222222 (222222222222), not this account"),
        (
            "arn:aws:iam::222222222222:role/app",
            "shares with account 222222222222 (arn:aws:iam::222222222222:role/app), not this account",
        ),
        ("o-abc123", "shares with an organization (o-abc123), which holds other tenants' accounts"),
        (
            "arn:aws:organizations::333333333333:ou/o-abc123/ou-ab12-cd34",
            "shares with an organizational unit"
            " (arn:aws:organizations::333333333333:ou/o-abc123/ou-ab12-cd34), which holds other tenants'"
            " accounts",
        ),
        (
            "ou-ab12-cd34",
            "shares with an organizational unit (ou-ab12-cd34), which holds other tenants' accounts",
        ),
        ("logs.amazonaws.com", None),
        ("everyone", "shares with everyone, which is not a principal of this account"),
    ],
)
def test_principal_forms(principal: str, wrong: str | None) -> None:
    assert foreign_principal(principal, "111111111111") == wrong


# --- Transit Gateway attachments ----------------------------------------------------------------------


def _attachment(tenant: Tenant) -> tuple[str, str, str]:
    ec2 = tenant.clients("ec2", TOKYO)
    subnet = _subnet(tenant)
    gateway = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=gateway, VpcId=subnet["VpcId"], SubnetIds=[subnet["SubnetId"]]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    return gateway, attachment, subnet["VpcId"]


def _reported(tenant: Tenant, **fields: str) -> None:
    """AWS's view of an attachment that crosses accounts, which moto cannot create: one field rewritten."""

    def rewrite(parsed: dict[str, Any], **_: Any) -> None:
        for item in parsed.get("TransitGatewayAttachments", []):
            item.update(fields)

    tenant.clients("ec2", TOKYO).meta.events.register(
        "after-call.ec2.DescribeTransitGatewayAttachments", rewrite
    )


def test_attachment_inside_the_account_passes(accounts: Accounts) -> None:
    _attachment(accounts.own)
    assert run_check(TGW, accounts.own) == []


def test_attachment_to_another_accounts_gateway(accounts: Accounts) -> None:
    gateway, attachment, vpc = _attachment(accounts.own)
    _reported(accounts.own, TransitGatewayOwnerId=accounts.other.account_id)
    assert run_check(TGW, accounts.own) == [
        f"AWS::EC2::TransitGatewayAttachment {attachment}: attaches vpc {vpc} of this account to transit"
        f" gateway {gateway} of account {accounts.other.account_id}; expected {TGW_EXPECTED}. [TEN-02]"
    ]


def test_deleted_cross_account_attachment_passes(accounts: Accounts) -> None:
    # moto lists no attachment once deleted; AWS lists it as deleted for a while
    _attachment(accounts.own)
    _reported(accounts.own, State="deleted", TransitGatewayOwnerId=accounts.other.account_id)
    assert run_check(TGW, accounts.own) == []


# --- MFA of assumable roles ---------------------------------------------------------------------------


def _role(
    tenant: Tenant, name: str, trust: dict[str, Any], path: str = "/", tags: dict[str, str] | None = None
) -> None:
    tenant.clients("iam").create_role(
        RoleName=name,
        Path=path,
        AssumeRolePolicyDocument=json.dumps(trust),
        Tags=[{"Key": k, "Value": v} for k, v in (tags or {}).items()],
    )


def _trust(principal: dict[str, Any], condition: dict[str, Any] | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def _no_mfa(name: str, principals: str, statement: str = "Statement[0]") -> str:
    return (
        f"AWS::IAM::Role {name}: trust policy {statement} lets AWS principal(s) {principals} assume the role"
        f" without MFA; expected {ROLE_EXPECTED}. [IAM-02]"
    )


def test_a_vended_account_passes(accounts: Accounts) -> None:
    roles = [r["RoleName"] for r in accounts.own.clients("iam").list_roles()["Roles"]]
    assert ORG_ACCESS_ROLE_NAME in roles
    assert run_check(MFA, accounts.own) == []


def test_management_trusted_roles_pass_only_for_the_management_account(accounts: Accounts) -> None:
    management, other = (
        f"arn:aws:iam::{accounts.management}:root",
        f"arn:aws:iam::{accounts.other.account_id}:root",
    )
    _role(accounts.own, AUDIT_ROLE, trust_policy(accounts.management), path=BASELINE_ROLE_PATH)
    assert run_check(MFA, accounts.own) == []
    accounts.own.clients("iam").update_assume_role_policy(
        RoleName=ORG_ACCESS_ROLE_NAME, PolicyDocument=json.dumps(_trust({"AWS": [management, other]}))
    )
    assert run_check(MFA, accounts.own) == [_no_mfa(ORG_ACCESS_ROLE_NAME, other)]


@pytest.mark.parametrize(
    ("name", "path"), [(AUDIT_ROLE, "/"), (ORG_ACCESS_ROLE_NAME, "/other/"), ("tz-ops", "/")]
)
def test_other_roles_trusting_the_management_account_need_mfa(
    accounts: Accounts, name: str, path: str
) -> None:
    # a second OrganizationAccountAccessRole cannot share the name, so the vended one is removed first
    if name == ORG_ACCESS_ROLE_NAME:
        accounts.own.clients("iam").delete_role(RoleName=name)
    _role(accounts.own, name, trust_policy(accounts.management), path=path)
    assert run_check(MFA, accounts.own) == [_no_mfa(name, f"arn:aws:iam::{accounts.management}:root")]


EXTERNAL_ID = {"StringEquals": {"sts:ExternalId": "tz-12345"}}
AUTOMATION = {"role-type": "automation"}


@pytest.mark.parametrize(
    ("condition", "tags", "caught"),
    [
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, None, False),
        ({"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}, None, False),
        ({"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}, None, True),
        (EXTERNAL_ID, AUTOMATION, False),
        (EXTERNAL_ID, None, True),
        (None, AUTOMATION, True),
        (EXTERNAL_ID, {"role-type": "human"}, True),
    ],
)
def test_a_role_trusting_another_account(
    accounts: Accounts, condition: dict[str, Any] | None, tags: dict[str, str] | None, caught: bool
) -> None:
    principal = f"arn:aws:iam::{accounts.other.account_id}:root"
    _role(accounts.own, "tz-partner", _trust({"AWS": principal}, condition), tags=tags)
    assert run_check(MFA, accounts.own) == ([_no_mfa("tz-partner", principal)] if caught else [])


def test_service_and_federated_trusts_pass(accounts: Accounts) -> None:
    _role(accounts.own, "tz-lambda", _trust({"Service": "lambda.amazonaws.com"}))
    oidc = f"arn:aws:iam::{accounts.own.account_id}:oidc-provider/token.actions.githubusercontent.com"
    _role(accounts.own, "tz-ci", _trust({"Federated": oidc}))
    assert run_check(MFA, accounts.own) == []


def test_outside_an_organization_no_role_is_management_trusted(accounts: Accounts) -> None:
    _deny(
        accounts.own.clients("organizations"),
        "DescribeOrganization",
        "AWSOrganizationsNotInUseException",
        400,
    )
    assert run_check(MFA, accounts.own) == [
        _no_mfa(ORG_ACCESS_ROLE_NAME, f"arn:aws:iam::{accounts.management}:root")
    ]


def test_a_trust_policy_that_is_not_json(accounts: Accounts) -> None:
    def garble(parsed: dict[str, Any], **_: Any) -> None:
        for role in parsed.get("Roles", []):
            role["AssumeRolePolicyDocument"] = "{not json"

    accounts.own.clients("iam").meta.events.register("after-call.iam.ListRoles", garble)
    assert run_check(MFA, accounts.own) == [
        f"AWS::IAM::Role {ORG_ACCESS_ROLE_NAME}: trust policy is not valid JSON (Expecting property name"
        f" enclosed in double quotes); expected {ROLE_EXPECTED}. [IAM-02]"
    ]


def test_tags_are_read_only_when_they_decide(accounts: Accounts) -> None:
    principal = f"arn:aws:iam::{accounts.other.account_id}:root"
    _role(accounts.own, "tz-partner", _trust({"AWS": principal}, EXTERNAL_ID), tags=AUTOMATION)
    _role(
        accounts.own,
        "tz-people",
        _trust({"AWS": principal}, {"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
    )
    calls: list[str] = []
    accounts.own.clients("iam").meta.events.register(
        "before-call.iam.*", lambda model, **_: calls.append(model.name)
    )
    assert run_check(MFA, accounts.own) == []
    assert sorted(calls) == ["ListRoleTags", "ListRoles"]


# --- read errors --------------------------------------------------------------------------------------


def _deny(client: Any, operation: str, code: str = "AccessDenied", status: int = 403) -> None:
    def answer(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        error = {"Error": {"Code": code, "Message": "not allowed"}}
        return AWSResponse("", status, {}, None), error

    client.meta.events.register(f"before-call.{client.meta.service_model.service_name}.{operation}", answer)


@pytest.mark.parametrize(
    ("check_id", "service", "operation"),
    [
        (RAM, "ram", "GetResourceShares"),
        (TGW, "ec2", "DescribeTransitGatewayAttachments"),
        (MFA, "iam", "ListRoles"),
        (MFA, "organizations", "DescribeOrganization"),
    ],
)
def test_a_read_error_is_undecided(accounts: Accounts, check_id: str, service: str, operation: str) -> None:
    own = accounts.own
    _deny(own.clients(service, TOKYO), operation)
    target = Target(own.account_id, own.stack, own.clients, own.spec)
    result = run_checks(target, [all_checks()[check_id]])
    assert result.violations == []
    assert [(u.rule, u.reason.split(" (", 1)[0]) for u in result.undecided] == [
        (check_id, "cannot be read: An error occurred")
    ]
    assert "AccessDenied" in result.undecided[0].reason
