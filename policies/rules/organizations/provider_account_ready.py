"""A provider that assumes a role in an account the same program creates waits for that account (DEP-04).

``CreateAccount`` is asynchronous: the account, and the role Organizations creates in it (``roleName``,
``OrganizationAccountAccessRole`` by default), exist only once ``DescribeCreateAccountStatus`` reports
``SUCCEEDED`` (https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html,
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access-cross-account-role.html).
``aws.organizations.Account`` completes only then, so a provider whose role ARN is built from the
account's ``id`` output (or that lists the account in ``depends_on``) is configured after it: that is
compliant. A provider that names the account without depending on it is configured in parallel with
``CreateAccount`` on a new deployment, and one that assumes any other role finds only the role Organizations
created; both fail with ``AccessDenied`` from ``sts:AssumeRole``. A role the program itself creates in the
account (through the Organizations role) and that the provider depends on is the two-step pattern, and
compliant.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ProviderView, ResourceView, StackRule, StackView
from policies.rules._common.arns import arn_account, parse_arn
from policies.rules._common.unknowns import require_known

ACCOUNT = "aws:organizations/account:Account"
ROLE = "aws:iam/role:Role"
DEFAULT_ORGANIZATION_ROLE = "OrganizationAccountAccessRole"
EXPECTED = (
    "the role ARN built from the aws.organizations.Account's id output (the provider then waits for "
    "CreateAccount to succeed), naming the account's roleName or a role the program creates there and the "
    "provider depends on"
)


def _created_account_id(account: ResourceView) -> str | None:
    """The account ID when the state knows it (the account's ARN ends with it)."""
    arn = account.props.get("arn")
    if isinstance(arn, str) and "/" in arn:
        tail = arn.rsplit("/", 1)[-1]
        return tail if tail.isdigit() and len(tail) == 12 else None
    return None


def _role_name(role_arn: str) -> str:
    parsed = parse_arn(role_arn)
    resource = parsed["rest"] if parsed else ""
    return resource.rsplit("/", 1)[-1] if resource.startswith("role/") else ""


class ProviderAccountReady(StackRule):
    id = "provider_account_ready"
    description = (
        "A provider that assumes a role in an account this program creates depends on the account, and "
        "assumes "
        "the role Organizations creates in it (or a role the program creates there first)."
    )
    remediation = (
        "Build the provider's role ARN from the account's id output (f'arn:aws:iam::{id}:role/{role_name}' "
        "through Output.concat), assume the account's roleName, and create any other role in a later step "
        "that "
        "the provider depends on."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        accounts = list(stack.of_type(ACCOUNT))
        if not accounts:
            raise NotApplicable("the program creates no account")
        providers = [r for r in stack.resources if r.type.startswith("pulumi:providers:aws")]
        judged = False
        for provider in providers:
            linked = set(provider.property_dependencies.get("assumeRoles", ())) | set(
                provider.property_dependencies.get("assumeRole", ())
            )
            raw = require_known(
                provider.props.get("assumeRoles") or provider.props.get("assumeRole"), "assumeRoles"
            )
            if not raw:
                continue
            view = ProviderView(provider.type, provider.urn, provider.name, provider.props)
            for role_arn in view.assumed_role_arns:
                role_arn = require_known(role_arn, "assumeRoles.roleArn")
                account_id = arn_account(role_arn)
                for account in accounts:
                    named = account.urn in linked or (
                        account_id and account_id == _created_account_id(account)
                    )
                    if not named:
                        continue
                    judged = True
                    yield from self._judge(stack, provider, account, role_arn)
        if not judged:
            raise NotApplicable("no provider assumes a role in an account this program creates")

    def _judge(
        self, stack: StackView, provider: ResourceView, account: ResourceView, role_arn: str
    ) -> Iterator[Failure]:
        if account.urn not in provider.dependencies:
            yield Failure(
                f"assumes {role_arn} in account {account.name}, which this program creates, without "
                "depending on "
                "it, so on a new deployment it is configured before CreateAccount succeeds and AssumeRole "
                "fails "
                "with AccessDenied",
                EXPECTED,
                provider.urn,
            )
            return
        organization_role = str(account.props.get("roleName") or DEFAULT_ORGANIZATION_ROLE)
        name = _role_name(role_arn)
        if name == organization_role:
            return
        created_first = any(
            role.urn in provider.dependencies and role.props.get("name") == name
            for role in stack.of_type(ROLE)
        )
        if not created_first:
            yield Failure(
                f"assumes role {name or role_arn} in account {account.name}, which this program creates "
                "with only "
                f"the role {organization_role}, so AssumeRole fails with AccessDenied",
                EXPECTED,
                provider.urn,
            )
