"""AccountGuardrails: account-wide settings that keep a tenant account's data from becoming public.

One instance per account, with the provider of each region the account uses:

- S3 Block Public Access for the whole account, all four settings on: no bucket the tenant (or a service team)
  creates later can be made public by an ACL or a bucket policy, whatever its own settings say
  (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html). It is an
  account-level setting, declared once, through the first region's provider.
- EBS snapshot block public access, ``block-all-sharing``, in each region: a snapshot of a tenant volume
  cannot be shared publicly, and snapshots already public stop being so
  (https://docs.aws.amazon.com/ebs/latest/userguide/block-public-access-snapshots.html). Regional setting.
- An IAM Access Analyzer of the account in each region (analyzers are regional), so a grant of a bucket, key,
  role or snapshot to a principal outside the account is reported as a finding
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/what-is-access-analyzer.html). The analyzer's name derives
  from the component's, so two analyzers never collide in one account and region, and the baseline SCP
  matches it by that name.

The tenant baseline SCP (``components/scps.py``) keeps tenant administrators from switching these off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.errors import InputProblems
from components.naming import region_code
from components.scps import ACCESS_ANALYZER_NAME
from policies.parameters import JAPAN_REGIONS

_KIND = "AccountGuardrails"
SNAPSHOT_SHARING_BLOCKED = "block-all-sharing"


@dataclass
class AccountGuardrailsArgs:
    """``providers`` maps each region of the account to its provider; the first one carries the S3 setting."""

    providers: Mapping[str, pulumi.ProviderResource]
    tags: dict[str, str] = field(default_factory=dict)


def validate_account_guardrails_args(name: str, args: AccountGuardrailsArgs) -> None:
    problems = InputProblems(_KIND, name)
    if not args.providers:
        problems.add("providers is empty", "the provider of each region the account uses", "RES-01")
    for region in args.providers:
        if region not in JAPAN_REGIONS:
            problems.add(
                f"providers has region {region!r}, outside Japan",
                f"only {', '.join(JAPAN_REGIONS)}",
                "RES-01",
            )
    problems.raise_if_any()


class AccountGuardrails(pulumi.ComponentResource):
    """Account-level S3 public access block, EBS snapshot public access block and Access Analyzer."""

    def __init__(
        self, name: str, args: AccountGuardrailsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        validate_account_guardrails_args(name, args)
        super().__init__("tenant-zone:guardrails:AccountGuardrails", name, None, opts)
        first = next(iter(args.providers.values()))
        self.public_access_block = aws.s3.AccountPublicAccessBlock(
            f"{name}-s3-public-access",
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=pulumi.ResourceOptions(parent=self, provider=first),
        )
        self.snapshot_blocks: dict[str, aws.ebs.SnapshotBlockPublicAccess] = {}
        self.analyzers: dict[str, aws.accessanalyzer.Analyzer] = {}
        for region, provider in args.providers.items():
            child = pulumi.ResourceOptions(parent=self, provider=provider)
            code = region_code(region)
            self.snapshot_blocks[region] = aws.ebs.SnapshotBlockPublicAccess(
                f"{name}-snapshot-public-access-{code}", state=SNAPSHOT_SHARING_BLOCKED, opts=child
            )
            self.analyzers[region] = aws.accessanalyzer.Analyzer(
                f"{name}-access-analyzer-{code}",
                analyzer_name=ACCESS_ANALYZER_NAME.format(guardrails=name, region=code),
                type="ACCOUNT",
                tags=dict(args.tags),
                opts=child,
            )
        self.register_outputs({"accessAnalyzerArns": {region: a.arn for region, a in self.analyzers.items()}})
