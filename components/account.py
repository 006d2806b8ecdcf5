"""TenantAccount: one tenant environment's own AWS account (TEN-01, TEN-03).

Production accounts go to Tenants/Prod, staging and dev to Tenants/NonProd,
so the environment-separation SCP applies by placement alone. The account is
protected and never closed by ``pulumi destroy``: closing an account is an
offboarding step with a retention period (DATA-01), not a side effect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.checks import is_email
from components.errors import InputProblems
from components.scps import ORG_ACCESS_ROLE_NAME

ENVIRONMENTS: tuple[str, ...] = ("prod", "staging", "dev")
PRODUCTION_ENVIRONMENTS: frozenset[str] = frozenset({"prod"})

_TENANT_ID = re.compile(r"^[a-z][a-z0-9-]{0,30}[a-z0-9]\Z")
_KIND = "TenantAccount"


@dataclass
class TenantAccountArgs:
    """Inputs of a tenant account.

    ``prod_ou_id`` / ``nonprod_ou_id`` are the Tenants/Prod and
    Tenants/NonProd OUs; the component picks one from ``environment``.
    """

    tenant: str
    environment: str
    email: str
    prod_ou_id: pulumi.Input[str]
    nonprod_ou_id: pulumi.Input[str]
    account_name: str | None = None
    role_name: str = ORG_ACCESS_ROLE_NAME
    # Billing stays with the management account; IAM users are denied anyway (IAM-01).
    iam_user_access_to_billing: str = "DENY"
    tags: dict[str, str] = field(default_factory=dict)


def validate_tenant_account_args(name: str, args: TenantAccountArgs) -> None:
    problems = InputProblems(_KIND, name)
    if not _TENANT_ID.match(args.tenant):
        problems.add(
            f"tenant = {args.tenant!r} is not a lowercase slug",
            "2-32 characters of a-z, 0-9 and '-', starting with a letter (for example 'acme')",
            "TEN-01",
        )
    if args.environment not in ENVIRONMENTS:
        problems.add(
            f"environment = {args.environment!r} is not a known environment",
            f"one of {', '.join(ENVIRONMENTS)}",
            "TEN-03",
        )
    if not is_email(args.email):
        problems.add(
            f"email = {args.email!r} is not an e-mail address",
            "a unique address such as aws+acme-prod@example.co.jp for the account's root user",
            "TEN-01",
        )
    account_name = args.account_name or f"{args.tenant}-{args.environment}"
    if len(account_name) > 50:
        problems.add(
            f"account name {account_name!r} is {len(account_name)} characters long",
            "at most 50 characters (AWS Organizations limit); set a shorter account_name",
        )
    problems.raise_if_any()


def organizational_unit_for(
    environment: str, prod_ou_id: pulumi.Input[str], nonprod_ou_id: pulumi.Input[str]
) -> pulumi.Input[str]:
    return prod_ou_id if environment in PRODUCTION_ENVIRONMENTS else nonprod_ou_id


class TenantAccount(pulumi.ComponentResource):
    account_id: pulumi.Output[str]
    arn: pulumi.Output[str]
    access_role_arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: TenantAccountArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        validate_tenant_account_args(name, args)
        super().__init__("tenant-zone:account:TenantAccount", name, None, opts)

        tags = {"tenant": args.tenant, "environment": args.environment, **args.tags}
        account = aws.organizations.Account(
            f"{name}-account",
            name=args.account_name or f"{args.tenant}-{args.environment}",
            email=args.email,
            parent_id=organizational_unit_for(args.environment, args.prod_ou_id, args.nonprod_ou_id),
            role_name=args.role_name,
            iam_user_access_to_billing=args.iam_user_access_to_billing,
            close_on_deletion=False,
            tags=tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=True,
                # AWS never returns these two after creation; without ignoring
                # them every refresh would plan a replacement of the account.
                ignore_changes=["role_name", "iam_user_access_to_billing"],
            ),
        )
        self.account_id = account.id
        self.arn = account.arn
        self.access_role_arn = account.id.apply(lambda i: f"arn:aws:iam::{i}:role/{args.role_name}")
        self.register_outputs(
            {"accountId": self.account_id, "arn": self.arn, "accessRoleArn": self.access_role_arn}
        )
