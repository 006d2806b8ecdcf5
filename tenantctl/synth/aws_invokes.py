"""Data sources (invokes) a program may call, answered from the provider's region and account.

Only data sources whose answer follows from the configuration are mocked;
anything else returns ``{}``, as an empty lookup would, so a program that
depends on live data fails visibly instead of synthesizing made-up values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tenantctl.synth import ids, policydoc
from tenantctl.synth.awsenv import REGION_NAMES, ProviderEnv, availability_zones

SESSION_NAME = "tenantctl-synth"

Invoke = Callable[[Mapping[str, Any], ProviderEnv], dict[str, Any]]
INVOKES: dict[str, Invoke] = {}


def invoke(token: str) -> Callable[[Invoke], Invoke]:
    def register(fn: Invoke) -> Invoke:
        INVOKES[token] = fn
        return fn

    return register


def answer(token: str, args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    handler = INVOKES.get(token)
    return handler(args, env) if handler is not None else {}


def _region(args: Mapping[str, Any], env: ProviderEnv) -> str:
    requested = args.get("region") or args.get("name")
    return requested if isinstance(requested, str) and requested else (env.region or "")


@invoke("aws:index/getCallerIdentity:getCallerIdentity")
def _caller_identity(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    account = env.account
    if env.role_arn:
        role_name = env.role_arn.rsplit("/", 1)[-1]
        arn = f"arn:{env.partition}:sts::{account}:assumed-role/{role_name}/{SESSION_NAME}"
        user_id = f"AROA{ids.upper_alnum(env.role_arn, 17, 'role')}:{SESSION_NAME}"
    else:
        arn = f"arn:{env.partition}:iam::{account}:user/{SESSION_NAME}"
        user_id = f"AIDA{ids.upper_alnum(account, 17, 'user')}"
    return {"accountId": account, "arn": arn, "userId": user_id, "id": account}


@invoke("aws:index/getRegion:getRegion")
def _region_info(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    region = _region(args, env)
    return {
        "region": region,
        "name": region,
        "id": region,
        "endpoint": f"ec2.{region}.amazonaws.com",
        "description": REGION_NAMES.get(region, region),
    }


@invoke("aws:index/getPartition:getPartition")
def _partition(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    suffix = "amazonaws.com.cn" if env.partition == "aws-cn" else "amazonaws.com"
    return {
        "partition": env.partition,
        "id": env.partition,
        "dnsSuffix": suffix,
        "reverseDnsPrefix": ".".join(reversed(suffix.split("."))),
    }


@invoke("aws:index/getAvailabilityZones:getAvailabilityZones")
def _availability_zones(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    region = _region(args, env)
    excluded_names = set(args.get("excludeNames") or [])
    excluded_ids = set(args.get("excludeZoneIds") or [])
    zones = [
        (n, z) for n, z in availability_zones(region) if n not in excluded_names and z not in excluded_ids
    ]
    return {
        "id": region,
        "names": [n for n, _ in zones],
        "zoneIds": [z for _, z in zones],
        "groupNames": [region] if zones else [],
        "state": args.get("state"),
        "allAvailabilityZones": args.get("allAvailabilityZones"),
        "excludeNames": args.get("excludeNames"),
        "excludeZoneIds": args.get("excludeZoneIds"),
        "filters": args.get("filters"),
        "region": region,
    }


@invoke("aws:index/getDefaultTags:getDefaultTags")
def _default_tags(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    return {"id": env.partition, "tags": dict(env.default_tags)}


@invoke("aws:iam/getPolicyDocument:getPolicyDocument")
def _policy_document(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    return policydoc.render(args)
