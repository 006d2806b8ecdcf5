"""TenantAccount: placement by environment, never closed, protected, validation messages."""

from __future__ import annotations

import pytest

from components.account import TenantAccount, TenantAccountArgs
from components.errors import ComponentInputError
from tests.pulumi_mocks import Run, assert_all_under, run

ACCOUNT = "aws:organizations/account:Account"


def build(**overrides: object) -> Run:
    values: dict[str, object] = {
        "tenant": "acme",
        "environment": "prod",
        "email": "aws+acme-prod@example.co.jp",
        "prod_ou_id": "ou-ab12-prod0001",
        "nonprod_ou_id": "ou-ab12-nonprod1",
    }
    values.update(overrides)
    return run(lambda: TenantAccount("acme-prod", TenantAccountArgs(**values)))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def default() -> Run:
    return build()


def test_secure_defaults(default: Run) -> None:
    account = default.one(ACCOUNT)
    assert account.name == "acme-prod-account"
    assert account.inputs["closeOnDeletion"] is False
    assert account.inputs["roleName"] == "OrganizationAccountAccessRole"
    assert account.inputs["iamUserAccessToBilling"] == "DENY"
    assert account.inputs["name"] == "acme-prod"
    assert account.inputs["email"] == "aws+acme-prod@example.co.jp"
    assert account.tags == {"tenant": "acme", "environment": "prod"}
    assert_all_under(default, default.one("tenant-zone:account:TenantAccount").urn)


def test_account_is_protected_and_ignores_write_only_fields(default: Run) -> None:
    account = default.one(ACCOUNT)
    assert account.protect is True
    assert account.ignore_changes == ["roleName", "iamUserAccessToBilling"]


def test_outputs_are_the_account_id_and_its_access_role(default: Run) -> None:
    account_id = default.resolve(default.value.account_id)
    assert account_id == default.one(ACCOUNT).outputs["id"]
    assert len(account_id) == 12 and account_id.isdigit()
    assert (
        default.resolve(default.value.access_role_arn)
        == f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"
    )


@pytest.mark.parametrize(
    ("environment", "ou"),
    [("prod", "ou-ab12-prod0001"), ("staging", "ou-ab12-nonprod1"), ("dev", "ou-ab12-nonprod1")],
)
def test_environment_decides_the_ou(environment: str, ou: str) -> None:
    result = build(environment=environment)
    assert result.one(ACCOUNT).inputs["parentId"] == ou


def test_extra_tags_and_account_name() -> None:
    result = build(tags={"data-classification": "personal"}, account_name="acme-production")
    account = result.one(ACCOUNT)
    assert account.tags == {"tenant": "acme", "environment": "prod", "data-classification": "personal"}
    assert account.inputs["name"] == "acme-production"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"environment": "qa"},
            (
                "TenantAccount acme-prod: environment = 'qa' is not a known environment; expected one of"
                " prod, staging, dev. [TEN-03]"
            ),
        ),
        (
            {"email": "not-an-address"},
            (
                "TenantAccount acme-prod: email = 'not-an-address' is not an e-mail address; expected a"
                " unique address such as aws+acme-prod@example.co.jp for the account's root user. [TEN-01]"
            ),
        ),
        (
            {"tenant": "Acme"},
            (
                "TenantAccount acme-prod: tenant = 'Acme' is not a lowercase slug; expected 2-32 characters"
                " of a-z, 0-9 and '-', starting with a letter (for example 'acme'). [TEN-01]"
            ),
        ),
        (
            {"account_name": "x" * 51},
            (
                f"TenantAccount acme-prod: account name '{'x' * 51}' is 51 characters long; expected at most"
                " 50 characters (AWS Organizations limit); set a shorter account_name."
            ),
        ),
    ],
)
def test_validation_errors(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ComponentInputError) as caught:
        build(**overrides)
    assert str(caught.value) == message


def test_access_role_and_billing_inputs_reach_the_account() -> None:
    result = build(role_name="PlatformDeployRole", iam_user_access_to_billing="ALLOW")
    account = result.one(ACCOUNT)
    assert (account.inputs["roleName"], account.inputs["iamUserAccessToBilling"]) == (
        "PlatformDeployRole",
        "ALLOW",
    )
    account_id = account.outputs["id"]
    assert (
        result.resolve(result.value.access_role_arn) == f"arn:aws:iam::{account_id}:role/PlatformDeployRole"
    )
