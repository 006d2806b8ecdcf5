"""Shared, memoized reads of one audited account (several checks look at the same buckets and keys)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from policies.audit._base import AuditTarget, error_code

S3_BUCKET = "AWS::S3::Bucket"
KMS_KEY = "AWS::KMS::Key"
EC2_VPC = "AWS::EC2::VPC"
EC2_SECURITY_GROUP = "AWS::EC2::SecurityGroup"
EC2_NETWORK_INTERFACE = "AWS::EC2::NetworkInterface"
RDS_DB_INSTANCE = "AWS::RDS::DBInstance"
EVENT_RULE = "AWS::Events::Rule"
SNS_TOPIC = "AWS::SNS::Topic"
LOG_GROUP = "AWS::Logs::LogGroup"
BACKUP_VAULT = "AWS::Backup::BackupVault"
BACKUP_PLAN = "AWS::Backup::BackupPlan"
LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer"
WEB_ACL = "AWS::WAFv2::WebACL"
IAM_USER = "AWS::IAM::User"
ACCOUNT = "AWS::::Account"


@dataclass(frozen=True)
class Bucket:
    name: str
    region: str

    @property
    def arn(self) -> str:
        return f"arn:aws:s3:::{self.name}"


def _bucket_region(target: AuditTarget, name: str) -> str:
    # GetBucketLocation returns no constraint for us-east-1 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html).
    response = target.client("s3", target.regions[0]).get_bucket_location(Bucket=name)
    return response.get("LocationConstraint") or "us-east-1"


def buckets(target: AuditTarget) -> list[Bucket]:
    """Every bucket the account owns, with its region (S3 lists all regions in one call)."""

    def build() -> list[Bucket]:
        listed = target.client("s3", target.regions[0]).list_buckets().get("Buckets", [])
        return [Bucket(b["Name"], _bucket_region(target, b["Name"])) for b in listed]

    return target.memo("s3.buckets", build)


def bucket_region(target: AuditTarget, name: str) -> str | None:
    """The region of any bucket by name (None when it does not exist or cannot be read)."""
    for bucket in buckets(target):
        if bucket.name == name:
            return bucket.region
    try:
        return _bucket_region(target, name)
    except Exception as error:  # noqa: BLE001 - any S3 error means "not found from here"
        if error_code(error):
            return None
        raise


def bucket_policy(target: AuditTarget, bucket: Bucket) -> dict[str, Any] | None:
    def build() -> dict[str, Any] | None:
        try:
            text = target.client("s3", bucket.region).get_bucket_policy(Bucket=bucket.name)["Policy"]
        except Exception as error:
            if error_code(error) == "NoSuchBucketPolicy":
                return None
            raise
        document: dict[str, Any] = json.loads(text)
        return document

    return target.memo(f"s3.policy.{bucket.name}", build)


def key_metadata(target: AuditTarget, key_id: str, region: str) -> dict[str, Any] | None:
    """DescribeKey of a key ID, ARN or alias (None when the key does not exist)."""

    def build() -> dict[str, Any] | None:
        try:
            metadata: dict[str, Any] = target.client("kms", region).describe_key(KeyId=key_id)["KeyMetadata"]
        except Exception as error:
            if error_code(error) in ("NotFoundException", "InvalidArnException"):
                return None
            raise
        return metadata

    return target.memo(f"kms.describe.{region}.{key_id}", build)


def region_of_arn(arn: str) -> str:
    parts = arn.split(":")
    return parts[3] if len(parts) > 3 else ""


def customer_keys(target: AuditTarget, region: str) -> list[dict[str, Any]]:
    """Metadata of every customer-managed key in ``region`` that is not pending deletion."""

    def build() -> list[dict[str, Any]]:
        kms = target.client("kms", region)
        found: list[dict[str, Any]] = []
        for page in kms.get_paginator("list_keys").paginate():
            for key in page.get("Keys", []):
                metadata = key_metadata(target, key["KeyArn"], region)
                if (
                    metadata is not None
                    and metadata.get("KeyManager") == "CUSTOMER"
                    and metadata.get("KeyState") != "PendingDeletion"
                ):
                    found.append(metadata)
        return found

    return target.memo(f"kms.keys.{region}", build)


def vpcs(target: AuditTarget, region: str) -> list[dict[str, Any]]:
    return target.memo(
        f"ec2.vpcs.{region}", lambda: target.client("ec2", region).describe_vpcs().get("Vpcs", [])
    )


def load_balancers(target: AuditTarget, region: str) -> list[dict[str, Any]]:
    def build() -> list[dict[str, Any]]:
        elbv2 = target.client("elbv2", region)
        found: list[dict[str, Any]] = []
        for page in elbv2.get_paginator("describe_load_balancers").paginate():
            found.extend(page.get("LoadBalancers", []))
        return found

    return target.memo(f"elbv2.lbs.{region}", build)


def internet_facing(target: AuditTarget, region: str) -> list[dict[str, Any]]:
    return [lb for lb in load_balancers(target, region) if lb.get("Scheme") == "internet-facing"]


def log_groups(target: AuditTarget, region: str) -> list[dict[str, Any]]:
    def build() -> list[dict[str, Any]]:
        logs = target.client("logs", region)
        found: list[dict[str, Any]] = []
        for page in logs.get_paginator("describe_log_groups").paginate():
            found.extend(page.get("logGroups", []))
        return found

    return target.memo(f"logs.groups.{region}", build)


def backup_vaults(target: AuditTarget, region: str) -> list[dict[str, Any]]:
    return target.memo(
        f"backup.vaults.{region}",
        lambda: target.client("backup", region).list_backup_vaults().get("BackupVaultList", []),
    )


def backup_plans(target: AuditTarget, region: str) -> list[dict[str, Any]]:
    def build() -> list[dict[str, Any]]:
        backup = target.client("backup", region)
        plans = backup.list_backup_plans().get("BackupPlansList", [])
        return [backup.get_backup_plan(BackupPlanId=p["BackupPlanId"]) for p in plans]

    return target.memo(f"backup.plans.{region}", build)


def ou_ids_by_path(organizations: Any, root_id: str) -> dict[str, str]:
    """``"Tenants/Prod" -> ou-...`` for every OU under the root."""
    found: dict[str, str] = {}
    pending: list[tuple[str, str]] = [(root_id, "")]
    while pending:
        parent, prefix = pending.pop()
        for page in organizations.get_paginator("list_organizational_units_for_parent").paginate(
            ParentId=parent
        ):
            for ou in page.get("OrganizationalUnits", []):
                path = f"{prefix}{ou['Name']}"
                found[path] = ou["Id"]
                pending.append((ou["Id"], f"{path}/"))
    return found


def bucket_tags(target: AuditTarget, bucket: Bucket) -> dict[str, str]:
    """The bucket's tags (empty when it has none)."""

    def build() -> dict[str, str]:
        try:
            tag_set = target.client("s3", bucket.region).get_bucket_tagging(Bucket=bucket.name)["TagSet"]
        except Exception as error:
            if error_code(error) == "NoSuchTagSet":
                return {}
            raise
        return {t["Key"]: t["Value"] for t in tag_set}

    return target.memo(f"s3.tags.{bucket.name}", build)


def _fqdn(name: str) -> str:
    return name.rstrip(".").lower() + "."


def _txt_strings(value: str) -> str:
    """One TXT record value as the resolver sees it: its quoted character strings joined (Route 53 stores
    values longer than 255 characters as several quoted strings)."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', value)
    return "".join(parts) if parts else value


def hosted_zone_for(target: AuditTarget, name: str) -> dict[str, Any] | None:
    """The account's public hosted zone that is authoritative for ``name`` (the longest matching zone)."""

    def build() -> list[dict[str, Any]]:
        route53 = target.client("route53", target.regions[0])
        zones: list[dict[str, Any]] = []
        for page in route53.get_paginator("list_hosted_zones").paginate():
            zones.extend(z for z in page.get("HostedZones", []) if not z.get("Config", {}).get("PrivateZone"))
        return zones

    wanted = _fqdn(name)
    matching = [
        z
        for z in target.memo("route53.zones", build)
        if wanted == z["Name"] or wanted.endswith("." + z["Name"])
    ]
    return max(matching, key=lambda z: len(z["Name"]), default=None)


def txt_records(target: AuditTarget, name: str) -> list[str] | None:
    """The TXT values published at ``name`` (None when no hosted zone of the account serves the name)."""
    zone = hosted_zone_for(target, name)
    if zone is None:
        return None

    def build() -> list[dict[str, Any]]:
        route53 = target.client("route53", target.regions[0])
        found: list[dict[str, Any]] = []
        for page in route53.get_paginator("list_resource_record_sets").paginate(HostedZoneId=zone["Id"]):
            found.extend(page.get("ResourceRecordSets", []))
        return found

    wanted = _fqdn(name)
    return [
        _txt_strings(record["Value"])
        for record_set in target.memo(f"route53.records.{zone['Id']}", build)
        if record_set.get("Type") == "TXT" and _fqdn(record_set.get("Name", "")) == wanted
        for record in record_set.get("ResourceRecords", [])
    ]
