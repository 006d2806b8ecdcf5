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
(https://docs.aws.amazon.com/config/latest/developerguide/aggregate-data.html)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.errors import InputProblems
from components.policy_documents import service_trust_policy
from components.scps import BASELINE_ROLE_PATH
from policies.parameters import JAPAN_REGIONS

_KIND = "SecurityAdministration"
CONFIG_ORGANIZATIONS_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"


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
        if args.security_providers is not None:
            self._aggregators(name, args, args.security_providers)
        self.register_outputs({"securityAccountId": args.security_account_id})

    def _aggregators(
        self, name: str, args: SecurityAdministrationArgs, providers: Mapping[str, pulumi.ProviderResource]
    ) -> None:
        primary, *others = args.regions
        in_primary = pulumi.ResourceOptions(
            parent=self, provider=providers[primary], depends_on=self.designations[primary]
        )
        self.finding_aggregator = aws.securityhub.FindingAggregator(
            f"{name}-findings",
            linking_mode="SPECIFIED_REGIONS",
            specified_regions=list(others),
            opts=in_primary,
        )
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
