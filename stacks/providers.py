"""The explicit aws providers the stacks create: one per member account and Japanese region.

Components never create providers; the stacks pass these in. Each acts only in its account
(``allowed_account_ids``) through the role AWS Organizations created there. ``assume_roles`` must be a list of
``aws.ProviderAssumeRoleArgs``: a plain dict goes on the wire with its snake_case keys (``role_arn``), which
the provider does not read (pulumi/pulumi-aws#5271), and a provider without its role would deploy with the
caller's own (management account) credentials."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.naming import org_access_role_arn


def account_provider(
    name: str, account_id: pulumi.Input[str], region: str, session_name: str
) -> aws.Provider:
    """A provider acting in ``account_id`` only, in ``region``, through ``OrganizationAccountAccessRole``."""
    return aws.Provider(
        name,
        region=region,
        allowed_account_ids=[account_id],  # refuses to run if the role ever lands in another account
        assume_roles=[
            aws.ProviderAssumeRoleArgs(role_arn=org_access_role_arn(account_id), session_name=session_name)
        ],
    )


def management_provider(name: str, management_account_id: pulumi.Input[str], region: str) -> aws.Provider:
    """A provider acting in the management account, in ``region``, with the caller's own credentials: the org
    stack runs as the management account, and no role there could be assumed from it. ``allowed_account_ids``
    refuses to run with any other account's credentials."""
    return aws.Provider(name, region=region, allowed_account_ids=[management_account_id])
