"""SecurityAdministration: the security account as the regional delegated administrator of GuardDuty, Security
Hub and Inspector (LOG-03, VUL-01), declared in the management account.

Designating a delegated administrator enables the service in that account and region by itself:

- GuardDuty: "For this administrator account, GuardDuty gets enabled automatically only in the designated AWS
  Region" (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html);
- Security Hub: "Security Hub is enabled automatically for the chosen account"
  (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-settingup.html);
- Inspector: the designation needs the caller's permission to activate Amazon Inspector
  (https://docs.aws.amazon.com/inspector/latest/user/designating-admin.html); it is ordered the same way so
  that the security account's own enabler never races it either.

If the stack's own detector, hub or enabler in the security account were created after (or concurrently with)
the designation, its create would fail with "already exists" (GuardDuty ``BadRequestException: The request
is rejected because a detector already exists for the current account``), nondeterministically. So the
designations wait for the security account's own detection (``depends_on``): when they run, the services are
already on, and designating an account whose service is on only registers it. Both orders of events are then
safe: the designation never races the creation.

Organizations' generic delegated administrators (Config, Backup), which enable nothing, stay in
``Organization``.

With ``security_providers`` (the security account, per region) the administrator also aggregates (LOG-03): a
Security Hub finding aggregator in the primary region linking the others
(https://docs.aws.amazon.com/securityhub/latest/userguide/finding-aggregation.html), created after the primary
region's designation, and an organization-wide AWS Config aggregator over the Japanese regions through a role
with AWS's ``AWSConfigRoleForOrganizations`` policy
(https://docs.aws.amazon.com/config/latest/developerguide/aggregate-data.html).

With the security account's ``detector_ids`` and the organization's ``root_id`` as well, the administrator
switches the services on in every member account itself (LOG-03, VUL-01), so no member account's own stack
creates a detector, a hub or an enabler that the organization's auto-enable would collide with:

- GuardDuty: an organization configuration with ``autoEnableOrganizationMembers = ALL`` (existing and new
  members) and the S3 and malware protection features on ``ALL``, in each region; only the delegated
  administrator may call ``UpdateOrganizationConfiguration``, so each waits for its region's designation
  (https://docs.aws.amazon.com/guardduty/latest/ug/set-guardduty-auto-enable-preferences.html,
  https://docs.aws.amazon.com/guardduty/latest/APIReference/API_UpdateOrganizationConfiguration.html).
- Security Hub: central configuration from the primary (home) region, which needs the finding aggregator first
  (https://docs.aws.amazon.com/securityhub/latest/userguide/start-central-configuration.html), and one
  configuration policy (Security Hub on, AWS Foundational Security Best Practices) associated with the root:
  every account and linked region, the management account included, existing or new
  (https://docs.aws.amazon.com/securityhub/latest/userguide/configuration-policies-overview.html).
- Inspector: auto-enable of EC2, ECR and Lambda scanning covers only accounts that join later
  (https://docs.aws.amazon.com/inspector/v2/APIReference/API_UpdateOrganizationConfiguration.html), so the
  administrator also activates scanning for the accounts the organization already has, itself included
  (``Enable`` with their IDs, at most 100 per call, so in batches:
  https://docs.aws.amazon.com/inspector/v2/APIReference/API_Enable.html;
  members are associated with the delegated administrator by the designation:
  https://docs.aws.amazon.com/inspector/latest/user/managing-multiple-accounts.html).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.detection import INSPECTOR_RESOURCE_TYPES, REQUIRED_GUARDDUTY_FEATURES, fsbp_standard_arn
from components.errors import InputProblems
from components.policy_documents import service_trust_policy
from components.scps import BASELINE_ROLE_PATH
from policies.aws_facts import INSPECTOR_ENABLE_MAX_ACCOUNTS
from policies.parameters import JAPAN_REGIONS

_KIND = "SecurityAdministration"
CONFIG_ORGANIZATIONS_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"
# S3 protection and malware protection for EC2 in every member account (LOG-03).
ORGANIZATION_GUARDDUTY_FEATURES: tuple[str, ...] = REQUIRED_GUARDDUTY_FEATURES


@dataclass
class SecurityAdministrationArgs:
    """``security_account_id`` becomes the administrator in every region of ``regions``.

    ``enabled_first`` maps each region to the resources that switch the services on in the security account
    there (its ``Detection``); the region's designations depend on them.
    """

    security_account_id: pulumi.Input[str]
    enabled_first: Mapping[str, Sequence[pulumi.Resource]]
    regions: Sequence[str] = JAPAN_REGIONS
    # The security account's providers by region; with them, the finding and Config aggregators are declared.
    security_providers: Mapping[str, pulumi.ProviderResource] | None = None
    # The security account's GuardDuty detector by region and the organization's root: with them (and the
    # providers), the services are switched on in every member account by the organization (auto-enable).
    detector_ids: Mapping[str, pulumi.Input[str]] | None = None
    root_id: pulumi.Input[str] | None = None
    # Accounts that exist when the organization is configured (core and tenant accounts): Inspector's
    # auto-enable reaches only accounts that join after it, so the administrator activates these itself.
    member_account_ids: Sequence[pulumi.Input[str]] = ()


def inspector_batches(
    administrator: pulumi.Input[str], members: Sequence[pulumi.Input[str]]
) -> list[list[pulumi.Input[str]]]:
    """The accounts to activate, the administrator first, in Inspector ``Enable`` calls of at most
    ``INSPECTOR_ENABLE_MAX_ACCOUNTS`` (AWS's limit per call, see ``policies.aws_facts``), in the order given.
    An organization of up to 100 accounts has one batch; an account added at the end only fills the last
    batch or opens a new one, while one inserted earlier in the order shifts the accounts after it into the
    next batch (an update of the enablers concerned)."""
    accounts = [administrator, *members]
    size = INSPECTOR_ENABLE_MAX_ACCOUNTS
    return [accounts[start : start + size] for start in range(0, len(accounts), size)]


def validate_security_administration_args(name: str, args: SecurityAdministrationArgs) -> None:
    problems = InputProblems(_KIND, name)
    for region in args.regions:
        if region not in JAPAN_REGIONS:
            problems.add(
                f"regions contains {region!r}, outside Japan", f"only {', '.join(JAPAN_REGIONS)}", "RES-01"
            )
        elif not args.enabled_first.get(region):
            problems.add(
                f"enabled_first has nothing for {region}",
                "the security account's detection in that region, so the designation cannot race it",
                "LOG-03",
            )
        elif args.detector_ids is not None and region not in args.detector_ids:
            problems.add(
                f"detector_ids has nothing for {region}",
                "the security account's GuardDuty detector ID there (the organization configuration's "
                "detector)",
                "LOG-03",
            )
    if (args.detector_ids is None) != (args.root_id is None):
        problems.add(
            "only one of detector_ids and root_id is given",
            "both (auto-enable in every member account) or neither",
            "LOG-03",
        )
    elif args.detector_ids is not None and args.security_providers is None:
        problems.add(
            "detector_ids and root_id are given without security_providers",
            "the security account's providers by region, through which the organization is configured",
            "LOG-03",
        )
    problems.raise_if_any()


class SecurityAdministration(pulumi.ComponentResource):
    """The regional delegated-administrator designations, ordered after the services they would enable."""

    designations: dict[str, list[pulumi.CustomResource]]

    def __init__(
        self, name: str, args: SecurityAdministrationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        validate_security_administration_args(name, args)
        super().__init__("tenant-zone:security:SecurityAdministration", name, None, opts)
        self.designations = {}
        for region in args.regions:
            after = pulumi.ResourceOptions(parent=self, depends_on=list(args.enabled_first[region]))
            self.designations[region] = [
                aws.guardduty.OrganizationAdminAccount(
                    f"{name}-guardduty-{region}",
                    admin_account_id=args.security_account_id,
                    region=region,
                    opts=after,
                ),
                aws.securityhub.OrganizationAdminAccount(
                    f"{name}-securityhub-{region}",
                    admin_account_id=args.security_account_id,
                    region=region,
                    opts=after,
                ),
                aws.inspector2.DelegatedAdminAccount(
                    f"{name}-inspector-{region}",
                    account_id=args.security_account_id,
                    region=region,
                    opts=after,
                ),
            ]
        self.finding_aggregator: aws.securityhub.FindingAggregator | None = None
        self.config_aggregator: aws.cfg.ConfigurationAggregator | None = None
        self.organization_configurations: list[pulumi.CustomResource] = []
        # Per region, what a GuardDuty member added by the administrator follows: the designation and the
        # organization configuration whose protection plans then apply to it.
        self.guardduty_ready: dict[str, list[pulumi.Resource]] = {
            region: list(self.designations[region]) for region in args.regions
        }
        if args.security_providers is not None:
            self._aggregators(name, args, args.security_providers)
            if args.detector_ids is not None and args.root_id is not None:
                self._auto_enable(name, args, args.security_providers, args.detector_ids, args.root_id)
        self.register_outputs({"securityAccountId": args.security_account_id})

    def _aggregators(
        self, name: str, args: SecurityAdministrationArgs, providers: Mapping[str, pulumi.ProviderResource]
    ) -> None:
        primary, *others = args.regions
        in_primary = pulumi.ResourceOptions(
            parent=self, provider=providers[primary], depends_on=self.designations[primary]
        )
        self.finding_aggregator = finding_aggregator = aws.securityhub.FindingAggregator(
            f"{name}-findings",
            linking_mode="SPECIFIED_REGIONS",
            specified_regions=list(others),
            opts=in_primary,
        )
        self.finding_aggregators: list[pulumi.Resource] = [finding_aggregator]
        role = aws.iam.Role(
            f"{name}-config-aggregator",
            path=BASELINE_ROLE_PATH,
            assume_role_policy=pulumi.Output.from_input(args.security_account_id).apply(
                lambda account: json.dumps(service_trust_policy("config.amazonaws.com", account))
            ),
            opts=pulumi.ResourceOptions(parent=self, provider=providers[primary]),
        )
        attachment = aws.iam.RolePolicyAttachment(
            f"{name}-config-aggregator",
            role=role.name,
            policy_arn=CONFIG_ORGANIZATIONS_POLICY_ARN,
            opts=pulumi.ResourceOptions(parent=self, provider=providers[primary]),
        )
        self.config_aggregator = aws.cfg.ConfigurationAggregator(
            f"{name}-config",
            organization_aggregation_source=aws.cfg.ConfigurationAggregatorOrganizationAggregationSourceArgs(
                role_arn=role.arn, regions=list(args.regions)
            ),
            opts=pulumi.ResourceOptions(parent=self, provider=providers[primary], depends_on=[attachment]),
        )

    def _auto_enable(
        self,
        name: str,
        args: SecurityAdministrationArgs,
        providers: Mapping[str, pulumi.ProviderResource],
        detector_ids: Mapping[str, pulumi.Input[str]],
        root_id: pulumi.Input[str],
    ) -> None:
        configured = self.organization_configurations
        for region in args.regions:
            after = pulumi.ResourceOptions(
                parent=self, provider=providers[region], depends_on=self.designations[region]
            )
            guardduty = aws.guardduty.OrganizationConfiguration(
                f"{name}-guardduty-org-{region}",
                auto_enable_organization_members="ALL",
                detector_id=detector_ids[region],
                opts=after,
            )
            configured.append(guardduty)
            self.guardduty_ready[region].append(guardduty)
            for feature in ORGANIZATION_GUARDDUTY_FEATURES:
                plan = aws.guardduty.OrganizationConfigurationFeature(
                    f"{name}-guardduty-org-{region}-{feature.lower().replace('_', '-')}",
                    detector_id=detector_ids[region],
                    name=feature,
                    auto_enable="ALL",
                    opts=pulumi.ResourceOptions(
                        parent=self, provider=providers[region], depends_on=[guardduty]
                    ),
                )
                configured.append(plan)
                self.guardduty_ready[region].append(plan)
            configured.append(
                aws.inspector2.OrganizationConfiguration(
                    f"{name}-inspector-org-{region}",
                    auto_enable=aws.inspector2.OrganizationConfigurationAutoEnableArgs(
                        ec2=True, ecr=True, lambda_=True
                    ),
                    opts=after,
                )
            )
            for index, batch in enumerate(
                inspector_batches(args.security_account_id, args.member_account_ids)
            ):
                configured.append(
                    aws.inspector2.Enabler(
                        # No suffix on the first batch: growing past 100 accounts renames nothing.
                        f"{name}-inspector-members-{region}" + (f"-{index + 1}" if index else ""),
                        account_ids=batch,
                        resource_types=list(INSPECTOR_RESOURCE_TYPES),
                        opts=after,
                    )
                )
        primary = args.regions[0]
        hub = aws.securityhub.OrganizationConfiguration(
            f"{name}-securityhub-org",
            # Central configuration: the policy below, not per-account auto-enable, decides every account.
            auto_enable=False,
            auto_enable_standards="NONE",
            organization_configuration=aws.securityhub.OrganizationConfigurationOrganizationConfigurationArgs(
                configuration_type="CENTRAL"
            ),
            opts=pulumi.ResourceOptions(
                parent=self, provider=providers[primary], depends_on=self.finding_aggregators
            ),
        )
        policy = aws.securityhub.ConfigurationPolicy(
            f"{name}-securityhub-policy",
            name=f"{name}-securityhub",
            description="Security Hub on with AWS Foundational Security Best Practices in every account",
            configuration_policy=aws.securityhub.ConfigurationPolicyConfigurationPolicyArgs(
                service_enabled=True,
                enabled_standard_arns=[fsbp_standard_arn(primary)],
                security_controls_configuration=(
                    aws.securityhub.ConfigurationPolicyConfigurationPolicySecurityControlsConfigurationArgs(
                        disabled_control_identifiers=[]
                    )
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self, provider=providers[primary], depends_on=[hub]),
        )
        association = aws.securityhub.ConfigurationPolicyAssociation(
            f"{name}-securityhub-policy-root",
            target_id=root_id,
            policy_id=policy.id,
            opts=pulumi.ResourceOptions(parent=self, provider=providers[primary]),
        )
        configured.extend([hub, policy, association])
