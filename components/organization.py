"""Organization: OUs, guardrail SCPs, core accounts and delegated administrators.

Declared in the management account (the component's provider). The OU tree
is fixed by the architecture::

    Root
    ├── Security        log-archive and security accounts
    ├── Tenants         every tenant environment account
    │   ├── Prod
    │   └── NonProd
    └── Suspended       offboarded accounts awaiting closure

The log-archive bucket and the organization trail need providers into the
accounts created here, so they are separate components (``LogArchive``,
``OrganizationTrail``) that the org stack declares once this one has
produced the account IDs.

Delegated administration goes to the security account. GuardDuty, Security
Hub and Inspector have their own regional "organization admin" APIs, which
register the delegated administrator in Organizations themselves; declaring
the generic ``DelegatedAdministrator`` for the same service principal as
well fails with ``AccountAlreadyRegisteredException``. So the generic
resource is used here for the services without such an API (Config, Backup);
the service-specific designations enable their service in the security
account, so they wait for that account's own detection and live in
``components.security_admin.SecurityAdministration``, declared by the org
stack once the security account's detection exists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.checks import is_email
from components.errors import InputProblems
from components.scps import (
    ORG_ACCESS_ROLE_NAME,
    SCP_DEFINITIONS,
    OrgPaths,
    ScpDefinition,
    render,
    targets_within_quota,
)
from policies.aws_facts import SCP_MAX_CHARS, SCP_MAX_PER_TARGET

_KIND = "Organization"

SERVICE_ACCESS_PRINCIPALS: tuple[str, ...] = (
    "backup.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "config.amazonaws.com",
    "guardduty.amazonaws.com",
    "inspector2.amazonaws.com",
    "malware-protection.guardduty.amazonaws.com",
    "securityhub.amazonaws.com",
    "sso.amazonaws.com",
)

# Services whose delegated administrator is registered through Organizations.
GENERIC_DELEGATED_SERVICES: tuple[str, ...] = (
    "backup.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "config.amazonaws.com",
)


@dataclass
class OrganizationArgs:
    """Inputs of the organization."""

    log_archive_account_email: str
    security_account_email: str
    log_archive_account_name: str = "log-archive"
    security_account_name: str = "security"
    service_access_principals: Sequence[str] = SERVICE_ACCESS_PRINCIPALS
    scps: Sequence[ScpDefinition] = SCP_DEFINITIONS
    tags: dict[str, str] = field(default_factory=dict)


def validate_organization_args(name: str, args: OrganizationArgs) -> None:
    problems = InputProblems(_KIND, name)
    for key, email in (
        ("log_archive_account_email", args.log_archive_account_email),
        ("security_account_email", args.security_account_email),
    ):
        if not is_email(email):
            problems.add(f"{key} = {email!r} is not an e-mail address", "a unique root e-mail address")
    if args.log_archive_account_email == args.security_account_email:
        problems.add(
            "log_archive_account_email and security_account_email are both"
            f" {args.log_archive_account_email!r}",
            "a different e-mail address per account (AWS requires it)",
        )
    for target, count in targets_within_quota(args.scps).items():
        if count > SCP_MAX_PER_TARGET:
            problems.add(
                f"{count} SCPs (with FullAWSAccess) would be attached to the {target} OU",
                f"at most {SCP_MAX_PER_TARGET} per target (AWS quota); merge guardrails or attach some"
                " higher up",
            )
    for definition in args.scps:
        if definition.needs_org_paths:
            continue
        size = len(render(definition.document()))
        if size > SCP_MAX_CHARS:
            problems.add(
                f"SCP {definition.name} is {size} characters long",
                f"at most {SCP_MAX_CHARS} characters (AWS quota); split the document",
            )
    problems.raise_if_any()


def _first_root_id(roots: Sequence[aws.organizations.outputs.OrganizationRoot] | None) -> str:
    root_id = roots[0].id if roots else None
    if not root_id:
        raise pulumi.RunError("the organization reported no root; cannot place the OUs")
    return root_id


def _renderer(definition: ScpDefinition) -> Callable[[OrgPaths], str]:
    return lambda paths: render(definition.document(paths))


class Organization(pulumi.ComponentResource):
    organization_id: pulumi.Output[str]
    management_account_id: pulumi.Output[str]
    management_account_email: pulumi.Output[str]
    root_id: pulumi.Output[str]
    organizational_unit_ids: dict[str, pulumi.Output[str]]
    log_archive_account_id: pulumi.Output[str]
    security_account_id: pulumi.Output[str]
    policy_ids: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: OrganizationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_organization_args(name, args)
        super().__init__("tenant-zone:organization:Organization", name, None, opts)
        organization = self._organization(name, args)
        root_id = organization.roots.apply(_first_root_id)
        ous = self._organizational_units(name, args, root_id)
        self.policy_ids = self._guardrails(name, args, organization, root_id, ous)
        log_archive = self._core_account(
            name, args, "log-archive", args.log_archive_account_name, args.log_archive_account_email, ous
        )
        security = self._core_account(
            name, args, "security", args.security_account_name, args.security_account_email, ous
        )
        self._delegate_administration(name, organization, security)
        self.organization_id = organization.id
        self.management_account_id = organization.master_account_id
        self.management_account_email = organization.master_account_email
        self.root_id = root_id
        self.organizational_unit_ids = {key: unit.id for key, unit in ous.items()}
        self.log_archive_account_id = log_archive.id
        self.security_account_id = security.id
        self.register_outputs(
            {
                "organizationId": self.organization_id,
                "managementAccountId": self.management_account_id,
                "rootId": self.root_id,
                "organizationalUnitIds": self.organizational_unit_ids,
                "logArchiveAccountId": self.log_archive_account_id,
                "securityAccountId": self.security_account_id,
                "policyIds": self.policy_ids,
            }
        )

    def _organization(self, name: str, args: OrganizationArgs) -> aws.organizations.Organization:
        return aws.organizations.Organization(
            f"{name}-organization",
            feature_set="ALL",
            aws_service_access_principals=sorted(args.service_access_principals),
            enabled_policy_types=["SERVICE_CONTROL_POLICY"],
            opts=pulumi.ResourceOptions(parent=self, protect=True),
        )

    def _organizational_units(
        self, name: str, args: OrganizationArgs, root_id: pulumi.Input[str]
    ) -> dict[str, aws.organizations.OrganizationalUnit]:
        """The fixed OU tree of the module docstring, by key."""

        def ou(key: str, display: str, parent_id: pulumi.Input[str]) -> aws.organizations.OrganizationalUnit:
            return aws.organizations.OrganizationalUnit(
                f"{name}-ou-{key}",
                name=display,
                parent_id=parent_id,
                tags=dict(args.tags),
                opts=pulumi.ResourceOptions(parent=self, protect=True),
            )

        security_ou = ou("security", "Security", root_id)
        tenants_ou = ou("tenants", "Tenants", root_id)
        prod_ou = ou("prod", "Prod", tenants_ou.id)
        nonprod_ou = ou("nonprod", "NonProd", tenants_ou.id)
        suspended_ou = ou("suspended", "Suspended", root_id)
        return {
            "security": security_ou,
            "tenants": tenants_ou,
            "prod": prod_ou,
            "nonprod": nonprod_ou,
            "suspended": suspended_ou,
        }

    def _guardrails(
        self,
        name: str,
        args: OrganizationArgs,
        organization: aws.organizations.Organization,
        root_id: pulumi.Output[str],
        ous: dict[str, aws.organizations.OrganizationalUnit],
    ) -> dict[str, pulumi.Output[str]]:
        """The SCPs and their attachments to their target OUs; the policy IDs by SCP name."""
        org_paths = pulumi.Output.all(
            organization.id, root_id, ous["tenants"].id, ous["prod"].id, ous["nonprod"].id
        ).apply(lambda ids: OrgPaths(*ids))
        policy_ids: dict[str, pulumi.Output[str]] = {}
        for definition in args.scps:
            content: pulumi.Input[str]
            if definition.needs_org_paths:
                content = org_paths.apply(_renderer(definition))
            else:
                content = render(definition.document())
            policy = aws.organizations.Policy(
                f"{name}-{definition.name}",
                name=definition.name,
                description=definition.description,
                type="SERVICE_CONTROL_POLICY",
                content=content,
                tags=dict(args.tags),
                # The SCP policy type must be enabled on the root first.
                opts=pulumi.ResourceOptions(parent=self, depends_on=[organization]),
            )
            policy_ids[definition.name] = policy.id
            for target in definition.targets:
                aws.organizations.PolicyAttachment(
                    f"{name}-{definition.name}-{target}",
                    policy_id=policy.id,
                    target_id=ous[target].id,
                    opts=pulumi.ResourceOptions(parent=self),
                )
        return policy_ids

    def _core_account(
        self,
        name: str,
        args: OrganizationArgs,
        key: str,
        account_name: str,
        email: str,
        ous: dict[str, aws.organizations.OrganizationalUnit],
    ) -> aws.organizations.Account:
        """A core account (log archive, security) in the Security OU."""
        return aws.organizations.Account(
            f"{name}-{key}-account",
            name=account_name,
            email=email,
            parent_id=ous["security"].id,
            role_name=ORG_ACCESS_ROLE_NAME,
            iam_user_access_to_billing="DENY",
            close_on_deletion=False,
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=True,
                # Not returned by AWS after creation: ignoring them avoids a
                # planned replacement of the account on every refresh.
                ignore_changes=["role_name", "iam_user_access_to_billing"],
            ),
        )

    def _delegate_administration(
        self, name: str, organization: aws.organizations.Organization, security: aws.organizations.Account
    ) -> None:
        """The security account administers the services registered through Organizations itself."""
        for service in GENERIC_DELEGATED_SERVICES:
            short = service.split(".")[0]
            aws.organizations.DelegatedAdministrator(
                f"{name}-delegated-{short}",
                account_id=security.id,
                service_principal=service,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[organization]),
            )
