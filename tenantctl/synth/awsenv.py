"""Where an AWS resource lives: region, partition, account, and the small regional tables the mocks need."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tenantctl.synth import ids, wire

MANAGEMENT_ACCOUNT = "111111111111"
PACKAGE = "aws"

# Availability zones as AWS lists them (Tokyo has no ap-northeast-1b for new accounts).
_AZ_SUFFIXES: dict[str, str] = {"ap-northeast-1": "acd", "ap-northeast-3": "abc", "us-east-1": "abcdef"}
_AZ_IDS: dict[str, tuple[int, ...]] = {"ap-northeast-1": (4, 1, 2), "ap-northeast-3": (3, 1, 2)}
REGION_NAMES: dict[str, str] = {
    "ap-northeast-1": "Asia Pacific (Tokyo)",
    "ap-northeast-3": "Asia Pacific (Osaka)",
    "us-east-1": "US East (N. Virginia)",
    "us-west-2": "US West (Oregon)",
    "eu-west-1": "Europe (Ireland)",
}
# Route 53 hosted zone IDs of regional AWS endpoints (alias targets).
ALB_ZONE_IDS: dict[str, str] = {
    "ap-northeast-1": "Z14GRHDCWA56QT",
    "ap-northeast-3": "Z5LXEXXYW11ES",
    "us-east-1": "Z35SXDOTRQ7X7K",
    "us-west-2": "Z1H1FL5HABSF5",
}
NLB_ZONE_IDS: dict[str, str] = {
    "ap-northeast-1": "Z31USIVHYNEOWT",
    "ap-northeast-3": "Z1GWIQ4HH19I5X",
    "us-east-1": "Z26RNL4JYFTOTI",
    "us-west-2": "Z18D5FSROUN65G",
}
S3_ZONE_IDS: dict[str, str] = {
    "ap-northeast-1": "Z2M4EHUR26P7ZW",
    "ap-northeast-3": "Z2YQB5RD63NC85",
    "us-east-1": "Z3AQBSTGFYJSTF",
    "us-west-2": "Z3BJ6K6RIION7M",
}
_DIRECTIONS = {
    "north": "n", "south": "s", "east": "e", "west": "w", "central": "c",
    "northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw",
}  # fmt: skip


def partition_of(region: str | None) -> str:
    if region and region.startswith("cn-"):
        return "aws-cn"
    if region and region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def region_short(region: str) -> str:
    """``ap-northeast-1`` -> ``apne1`` (the prefix of zone IDs)."""
    parts = region.split("-")
    if len(parts) != 3:
        return region.replace("-", "")
    return f"{parts[0]}{_DIRECTIONS.get(parts[1], parts[1][:1])}{parts[2]}"


def availability_zones(region: str) -> list[tuple[str, str]]:
    """(zone name, zone ID) pairs of a region (none when no region is configured)."""
    if not region:
        return []
    suffixes = _AZ_SUFFIXES.get(region, "abc")
    numbers = _AZ_IDS.get(region, tuple(range(1, len(suffixes) + 1)))
    short = region_short(region)
    return [(f"{region}{s}", f"{short}-az{n}") for s, n in zip(suffixes, numbers, strict=False)]


def organization_id(management_account: str) -> str:
    """One organization per management account, so resources, data sources and stacks agree on its ID."""
    return "o-" + ids.lower_alnum(management_account, 10, "organization")


def decoded(value: Any) -> Any:
    """A provider input: the SDK JSON-encodes nested provider inputs into strings."""
    value = wire.unwrap(value)
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def assumed_role_arns(provider_inputs: Mapping[str, Any]) -> list[str]:
    roles = decoded(provider_inputs.get("assumeRoles")) or decoded(provider_inputs.get("assumeRole")) or []
    if isinstance(roles, Mapping):
        roles = [roles]
    arns: list[str] = []
    for role in roles if isinstance(roles, list) else []:
        if isinstance(role, Mapping):
            # typed args give roleArn; a plain dict in a program keeps its Python key
            arn = role.get("roleArn") or role.get("role_arn")
            if isinstance(arn, str):
                arns.append(arn)
    return arns


def account_of_role(role_arn: str) -> str | None:
    parts = role_arn.split(":")
    return parts[4] if len(parts) >= 6 and parts[2] == "iam" and parts[4] else None


def default_tags(provider_inputs: Mapping[str, Any]) -> dict[str, Any]:
    tags = decoded(provider_inputs.get("defaultTags"))
    inner = tags.get("tags") if isinstance(tags, Mapping) else None
    return dict(inner) if isinstance(inner, Mapping) else {}


@dataclass(frozen=True)
class ProviderEnv:
    """What a provider configuration implies for the resources it manages."""

    region: str | None
    account: str
    partition: str
    role_arn: str | None = None
    default_tags: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, provider_inputs: Mapping[str, Any], default_account: str = MANAGEMENT_ACCOUNT) -> ProviderEnv:
        """``default_account``: where the provider's credentials point when it assumes no role."""
        region = wire.unwrap(provider_inputs.get("region"))
        region = region if isinstance(region, str) and region else None
        roles = assumed_role_arns(provider_inputs)
        account = next((a for a in (account_of_role(r) for r in roles) if a), None)
        return cls(
            region=region,
            account=account or default_account,
            partition=partition_of(region),
            role_arn=roles[0] if roles else None,
            default_tags=default_tags(provider_inputs),
        )
