"""Names shared by the tenant components: role paths, region codes, availability zones, physical names."""

from __future__ import annotations

import pulumi

from components.errors import ComponentInputError
from components.scps import BASELINE_ROLE_PATH, BREAK_GLASS_ROLE_NAME, ORG_ACCESS_ROLE_NAME
from policies.aws_facts import NEW_ACCOUNT_AZS

# Service roles of the data plane (replication, backup, malware scanning) live under their own path: the
# tenant keys allow use to this path only, and the org SCP already protects everything under the baseline
# path.
SERVICE_ROLE_PATH = f"{BASELINE_ROLE_PATH}service/"

REGION_CODES: dict[str, str] = {"ap-northeast-1": "apne1", "ap-northeast-3": "apne3"}

# Availability zone names every account has, new ones included (policies.aws_facts cites the AWS page).
AZ_NAMES: dict[str, tuple[str, ...]] = NEW_ACCOUNT_AZS


def region_code(region: str) -> str:
    return REGION_CODES.get(region, region.replace("-", ""))


def availability_zones(region: str, count: int) -> list[str]:
    """The first ``count`` usable zones of ``region``."""
    names = AZ_NAMES.get(region, ())
    if not 1 <= count <= len(names):
        raise ComponentInputError(
            "AvailabilityZones",
            region,
            f"{count} zones asked for",
            f"between 1 and {len(names)} zones of a Japanese region",
            "NET-03",
        )
    return list(names[:count])


def role_arn(account_id: pulumi.Input[str], name: str, path: str = "/") -> pulumi.Output[str]:
    return pulumi.Output.concat("arn:aws:iam::", account_id, ":role", path, name)


def org_access_role_arn(account_id: pulumi.Input[str]) -> pulumi.Output[str]:
    """The role the org stack's account creation leaves in every member account; tenant stacks deploy with
    it."""
    return role_arn(account_id, ORG_ACCESS_ROLE_NAME)


def break_glass_role_arn(account_id: pulumi.Input[str]) -> pulumi.Output[str]:
    return role_arn(account_id, BREAK_GLASS_ROLE_NAME, BASELINE_ROLE_PATH)


def service_role_pattern(account_id: pulumi.Input[str]) -> pulumi.Output[str]:
    """``aws:PrincipalArn`` pattern matching every data-plane service role of the account."""
    return pulumi.Output.concat("arn:aws:iam::", account_id, ":role", SERVICE_ROLE_PATH, "*")
