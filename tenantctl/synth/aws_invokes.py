"""Data sources (invokes) a program may call, answered as AWS would for the provider's region and account.

Every data source of an installed SDK answers with its declared result type: each field filled (see
``shapes``), the arguments echoed where the result repeats them, and realistic, consistent values for
the common ones (organization, identity, region, partition, zones, policy documents, AMIs, the default
VPC, keys, zones, buckets, parameters, ECR credentials). What no one can know offline (the value of a
private SSM parameter or a secret, any data source of a package no installed SDK declares) fails with one
line naming the data source and how to supply its result: the ``synth:invokes`` stack config key, an
object from data source token to result, which also overrides any answer given here.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from typing import Any

from tenantctl.errors import UserError
from tenantctl.synth import ids, policydoc, shapes
from tenantctl.synth.awsenv import (
    MANAGEMENT_ACCOUNT,
    REGION_NAMES,
    S3_ZONE_IDS,
    ProviderEnv,
    availability_zones,
    organization_id,
)
from tenantctl.synth.typeinfo import invoke_result_types

SESSION_NAME = "tenantctl-synth"
FIXTURE_KEY = "synth:invokes"

Invoke = Callable[[Mapping[str, Any], ProviderEnv], dict[str, Any]]
INVOKES: dict[str, Invoke] = {}


class UnknownDataSource(UserError):
    """A data source whose answer only the live account has, and no fixture supplies."""


def invoke(token: str) -> Callable[[Invoke], Invoke]:
    def register(fn: Invoke) -> Invoke:
        INVOKES[token] = fn
        return fn

    return register


def unknowable(token: str, why: str, where: str | None) -> UnknownDataSource:
    at = f" (called at {where})" if where else ""
    return UnknownDataSource(
        f"data source {token}{at}: {why}, which the offline synth cannot know (a gap of the synth, not of "
        f"the program); supply its result under the stack config key {FIXTURE_KEY}, for example "
        f'{FIXTURE_KEY}: {{"{token}": {{...}}}} in Pulumi.<stack>.yaml.'
    )


def answer(
    token: str,
    args: Mapping[str, Any],
    env: ProviderEnv,
    fixtures: Mapping[str, Any] | None = None,
    where: str | None = None,
) -> dict[str, Any]:
    """The result of one invoke; raises UnknownDataSource when it cannot be known."""
    fixture = (fixtures or {}).get(token)
    if isinstance(fixture, Mapping):
        return dict(fixture)
    types = invoke_result_types(token)
    handler = INVOKES.get(token)
    if types is None and handler is None:
        raise unknowable(token, "no installed Pulumi SDK declares its result", where)
    result: dict[str, Any] = {}
    if types is not None:
        region = _region(args, env) or "ap-northeast-1"
        seed = f"{token}|{sorted((k, str(v)) for k, v in args.items())}"
        place = shapes.Where(
            seed=seed, type=token, name=token.rsplit(":", 1)[-1], region=region,
            account=env.account, partition=env.partition,
        )  # fmt: skip
        result = shapes.fill(types, place)
        for key, value in args.items():
            echoed = shapes.coerce(value, types[key]) if key in types and value is not None else None
            if echoed is not None:
                result[key] = echoed
    if handler is not None:
        result.update(handler(args, env))
    if token in UNKNOWABLE:
        why = UNKNOWABLE[token](args)
        if why:
            raise unknowable(token, why, where)
    return result


def _region(args: Mapping[str, Any], env: ProviderEnv) -> str:
    requested = args.get("region")
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
    requested = args.get("name")  # getRegion also selects a region by name
    region = requested if isinstance(requested, str) and requested else _region(args, env)
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


# --- data sources whose values depend on the live account
# ----------------------------------------------------

PUBLIC_PARAMETER_PREFIX = "/aws/service/"


def _private_parameter(args: Mapping[str, Any]) -> str | None:
    name = str(args.get("name") or "")
    if name.startswith(PUBLIC_PARAMETER_PREFIX):
        return None
    return f"the value of SSM parameter {name!r}"


UNKNOWABLE: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "aws:ssm/getParameter:getParameter": _private_parameter,
    "aws:secretsmanager/getSecretVersion:getSecretVersion": lambda args: (
        f"the value of secret {args.get('secretId')!r}"
    ),
}


# --- realistic answers
# ---------------------------------------------------------------------------------------


def _org_arn(env: ProviderEnv, resource: str) -> str:
    return f"arn:{env.partition}:organizations::{MANAGEMENT_ACCOUNT}:{resource}"


@invoke("aws:organizations/getOrganization:getOrganization")
def _organization(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    org_id = organization_id(MANAGEMENT_ACCOUNT)
    root_id = "r-" + ids.lower_alnum(org_id, 4, "root")
    members = sorted({MANAGEMENT_ACCOUNT, env.account})
    accounts = [
        {
            "arn": _org_arn(env, f"account/{org_id}/{account}"),
            "email": f"aws+{account}@example.com",
            "id": account,
            "name": "management" if account == MANAGEMENT_ACCOUNT else f"account-{account}",
            "status": "ACTIVE",
        }
        for account in members
    ]
    return {
        "id": org_id,
        "arn": _org_arn(env, f"organization/{org_id}"),
        "featureSet": "ALL",
        "masterAccountId": MANAGEMENT_ACCOUNT,
        "masterAccountArn": _org_arn(env, f"account/{org_id}/{MANAGEMENT_ACCOUNT}"),
        "masterAccountEmail": f"aws+{MANAGEMENT_ACCOUNT}@example.com",
        "masterAccountName": "management",
        "accounts": accounts,
        "nonMasterAccounts": [a for a in accounts if a["id"] != MANAGEMENT_ACCOUNT],
        "roots": [
            {
                "id": root_id,
                "arn": _org_arn(env, f"root/{org_id}/{root_id}"),
                "name": "Root",
                "policyTypes": [{"status": "ENABLED", "type": "SERVICE_CONTROL_POLICY"}],
            }
        ],
        "awsServiceAccessPrincipals": [],
        "enabledPolicyTypes": ["SERVICE_CONTROL_POLICY"],
    }


def _ami_id(seed: str) -> str:
    return "ami-" + ids.hex_id(seed, 17, "ami")


@invoke("aws:ec2/getAmi:getAmi")
def _ami(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    region = _region(args, env)
    owners = args.get("owners") or ["amazon"]
    seed = f"{region}|{owners}|{args.get('filters')}|{args.get('nameRegex')}"
    image = _ami_id(seed)
    names = [
        value
        for f in args.get("filters") or []
        if isinstance(f, Mapping) and f.get("name") == "name"
        for value in f.get("values") or []
    ]
    name = str(names[0]).replace("*", "2026.1.20260101") if names else f"image-{image[4:12]}"
    owner = "137112412989"  # the account that publishes Amazon Linux images
    return {
        "id": image,
        "imageId": image,
        "arn": f"arn:{env.partition}:ec2:{region}::image/{image}",
        "name": name,
        "ownerId": owner,
        "imageOwnerAlias": "amazon",
        "architecture": "x86_64",
        "state": "available",
        "public": True,
        "rootDeviceName": "/dev/xvda",
        "rootDeviceType": "ebs",
        "virtualizationType": "hvm",
        "hypervisor": "xen",
        "imageType": "machine",
        "enaSupport": True,
        "platformDetails": "Linux/UNIX",
        "usageOperation": "RunInstances",
        "imageLocation": f"amazon/{name}",
        "region": region,
        "platform": "",
        "kernelId": "",
        "ramdiskId": "",
    }


def _default_vpc_id(env: ProviderEnv, region: str) -> str:
    return "vpc-" + ids.hex_id(f"{env.account}|{region}", 17, "default-vpc")


@invoke("aws:ec2/getVpc:getVpc")
def _vpc(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    region = _region(args, env)
    vpc_id = str(args.get("id") or _default_vpc_id(env, region))
    default = args.get("default") is True or not args.get("id")
    return {
        "id": vpc_id,
        "arn": f"arn:{env.partition}:ec2:{region}:{env.account}:vpc/{vpc_id}",
        # AWS gives every default VPC this block: https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html
        "cidrBlock": "172.31.0.0/16" if default else "10.0.0.0/16",
        "default": default,
        "ownerId": env.account,
        "state": "available",
        "instanceTenancy": "default",
        "enableDnsSupport": True,
        "enableDnsHostnames": default,
        "mainRouteTableId": "rtb-" + ids.hex_id(vpc_id, 17, "main"),
        "dhcpOptionsId": "dopt-" + ids.hex_id(vpc_id, 17, "dopt"),
        "ipv6CidrBlock": "",
        "ipv6AssociationId": "",
        "region": region,
    }


@invoke("aws:ec2/getSubnets:getSubnets")
def _subnets(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    # one subnet per zone, as in a default VPC
    region = _region(args, env)
    seed = f"{env.account}|{region}|{args.get('filters')}"
    return {
        "ids": [
            "subnet-" + ids.hex_id(f"{seed}|{zone}", 17, "subnet") for zone, _ in availability_zones(region)
        ],
        "region": region,
        "id": region,
    }


@invoke("aws:kms/getKey:getKey")
def _kms_key(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    region = _region(args, env)
    given = str(args.get("keyId") or "")
    if given.startswith("arn:"):
        parts = given.split(":")
        region, account, key_id = parts[3], parts[4], given.rsplit("/", 1)[-1]
    else:
        account, key_id = env.account, given
    if not key_id or key_id.startswith("alias/"):
        key_id = ids.uuid(f"{account}|{region}|{given}", "key")
    return {
        "id": key_id,
        "keyId": key_id,
        "arn": f"arn:{env.partition}:kms:{region}:{account}:key/{key_id}",
        "awsAccountId": account,
        "enabled": True,
        "keyState": "Enabled",
        "keyUsage": "ENCRYPT_DECRYPT",
        "keySpec": "SYMMETRIC_DEFAULT",
        "customerMasterKeySpec": "SYMMETRIC_DEFAULT",
        "keyManager": "AWS" if given.startswith("alias/aws/") else "CUSTOMER",
        "origin": "AWS_KMS",
        "multiRegion": key_id.startswith("mrk-"),
        "deletionDate": "",
        "validTo": "",
        "expirationModel": "",
        "region": region,
    }


@invoke("aws:route53/getZone:getZone")
def _zone(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    name = str(args.get("name") or "example.com").rstrip(".")
    zone_id = str(args.get("zoneId") or "Z" + ids.upper_alnum(f"{env.account}|{name}", 20, "zone"))
    n = int(ids.digits(zone_id, 4, "ns"))
    servers = [
        f"ns-{(n + i * 517) % 2048}.awsdns-{(n + i) % 64:02d}.{tld}"
        for i, tld in enumerate(("com", "net", "org", "co.uk"))
    ]
    return {
        "id": zone_id,
        "zoneId": zone_id,
        "name": name,
        "arn": f"arn:{env.partition}:route53:::hostedzone/{zone_id}",
        "nameServers": servers,
        "primaryNameServer": servers[0],
        "privateZone": bool(args.get("privateZone")),
        "callerReference": ids.uuid(zone_id, "caller"),
        "comment": "",
        "vpcId": str(args.get("vpcId") or ""),
        "linkedServiceDescription": "",
        "linkedServicePrincipal": "",
        "resourceRecordSetCount": 2,
    }


@invoke("aws:s3/getBucket:getBucket")
def _bucket(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    bucket = str(args.get("bucket") or "")
    region = _region(args, env)
    return {
        "id": bucket,
        "bucket": bucket,
        "arn": f"arn:{env.partition}:s3:::{bucket}",
        "bucketDomainName": f"{bucket}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{bucket}.s3.{region}.amazonaws.com",
        "bucketRegion": region,
        "hostedZoneId": S3_ZONE_IDS.get(region, ""),
        "websiteDomain": "",
        "websiteEndpoint": "",
        "region": region,
    }


@invoke("aws:ssm/getParameter:getParameter")
def _parameter(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    name = str(args.get("name") or "")
    region = _region(args, env)
    # Public parameters AWS publishes in every account: AMI IDs and the like.
    # https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-public-parameters.html
    value = _ami_id(f"{region}|{name}") if "/ami" in name else f"{name.rsplit('/', 1)[-1]}-value"
    return {
        "id": name,
        "name": name,
        "arn": f"arn:{env.partition}:ssm:{region}::parameter{name}",
        "type": "String",
        "value": value,
        "insecureValue": value,
        "version": 1,
        "region": region,
    }


def _registry_credentials(args: Mapping[str, Any], env: ProviderEnv) -> dict[str, Any]:
    region = _region(args, env)
    registry = str(args.get("registryId") or env.account)
    password = base64.b64encode(ids.hex_id(f"{registry}|{region}", 64, "ecr").encode()).decode()
    token = base64.b64encode(f"AWS:{password}".encode()).decode()
    endpoint = f"https://{registry}.dkr.ecr.{region}.amazonaws.com"
    return {
        "id": region,
        "registryId": registry,
        "authorizationToken": token,
        "userName": "AWS",
        "password": password,
        "proxyEndpoint": endpoint,
        "expiresAt": shapes.FIXED_TIME,
        "region": region,
    }


INVOKES["aws:ecr/getAuthorizationToken:getAuthorizationToken"] = _registry_credentials
INVOKES["aws:ecr/getCredentials:getCredentials"] = _registry_credentials
