"""IAM-02 live: every role of the tenant account that lets AWS principals (accounts, users, roles) assume it
without MFA is a machine role the project can name, judged by the gate rule's own reading of a trust policy
(``iam_human_role_mfa.unprotected_trusts``): Service and Federated principals pass, and so do statements
requiring sts:ExternalId on a role tagged role-type=automation.

A live account also always holds roles that trust the organization's management account without MFA by
design: OrganizationAccountAccessRole, which Organizations creates with the account (the break-glass path
from the management account), and the lifecycle's read-only audit role. Those are the catalog's
``managementTrustedRoles`` (IAM-02), matched by exact path and name. They are exempt only for principals of
the management account, which the member account reads with organizations:DescribeOrganization
(https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html); any other
principal they trust without MFA is a finding. A path-and-name list is sound because the tz-protect-baseline
SCP lets no one but the platform's deployer create or change OrganizationAccountAccessRole or a role under
the baseline path.

iam:ListRoles returns each role's AssumeRolePolicyDocument URL-encoded; boto3 decodes it to a dictionary.
ListRoles does not return tags (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html), so
iam:ListRoleTags is called only for a role whose unprotected statement requires an external ID.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from policies.audit._base import AuditCheck, AuditFailure, AuditTarget, error_code
from policies.parameters import MANAGEMENT_TRUSTED_ROLES
from policies.rules._common.arns import account_of
from policies.rules._common.policy_documents import PolicyDocumentError, load
from policies.rules.iam.iam_human_role_mfa import (
    AUTOMATION_TAG,
    MFA_EXPECTED,
    unprotected_trusts,
    without_mfa,
)

IAM_ROLE = "AWS::IAM::Role"
EXPECTED = (
    f"{MFA_EXPECTED}; without MFA only {' and '.join(MANAGEMENT_TRUSTED_ROLES)}, from the management account"
)


def _management_account(target: AuditTarget) -> str | None:
    """The organization's management account (None when the account belongs to no organization)."""

    def build() -> str | None:
        try:
            organization = target.client("organizations", target.regions[0]).describe_organization()
        except Exception as error:
            if error_code(error) == "AWSOrganizationsNotInUseException":
                return None
            raise
        return str(organization["Organization"]["MasterAccountId"])

    return target.memo("organizations.management", build)


class LiveHumanRoleMfa(AuditCheck):
    id = "live_human_role_mfa"
    description = "Roles that AWS principals assume require MFA, but for the named management-trusted roles"
    remediation = (
        'Add "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}} to the trust statement; for a '
        "machine role, tag it role-type=automation and require sts:ExternalId instead."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        iam = target.client("iam", target.regions[0])
        for page in iam.get_paginator("list_roles").paginate():
            for role in page.get("Roles", []):
                yield from self._role(target, iam, role)

    def _role(self, target: AuditTarget, iam: Any, role: dict[str, Any]) -> Iterator[AuditFailure]:
        name = role["RoleName"]
        try:
            document = load(role.get("AssumeRolePolicyDocument"))
        except PolicyDocumentError as error:
            yield AuditFailure(IAM_ROLE, name, f"trust policy {error}", EXPECTED, "", role["Arn"])
            return
        if document is None:
            return

        @cache
        def automation() -> bool:
            tags = iam.list_role_tags(RoleName=name).get("Tags", [])
            return any((t["Key"], t["Value"]) == AUTOMATION_TAG for t in tags)

        trusted_by_management = f"{role.get('Path', '/')}{name}" in MANAGEMENT_TRUSTED_ROLES
        for statement, principals in unprotected_trusts(document, automation):
            if trusted_by_management:
                management = _management_account(target)
                principals = [p for p in principals if management is None or account_of(p) != management]
            if principals:
                yield AuditFailure(
                    IAM_ROLE,
                    name,
                    f"trust policy {without_mfa(statement, principals)}",
                    EXPECTED,
                    "",
                    role["Arn"],
                )
