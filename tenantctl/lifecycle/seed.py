"""What the tenant baseline deploys that the audit reads, created with boto3 in a tenant account of the
sandbox (moto), and the drifts the audit must find.

The shapes follow the baseline components (key policy from ``components.keys``, buckets replicated
Tokyo -> Osaka with RTC, backup with copies to Osaka and vault lock, detection in both regions, WAF with
the Japan-only geo rule in front of an internet-facing load balancer, Shield protection), so a freshly
seeded tenant audits clean and each planted drift is one field changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from components.break_glass import break_glass_trust_policy
from components.keys import key_policy
from components.mail import MailDomainArgs, dmarc_record, spf_record
from components.notifications import NotificationsArgs, guardduty_event_pattern, securityhub_event_pattern
from tenantctl.lifecycle.aws import JAPAN_REGIONS, PRIMARY_REGION, SECONDARY_REGION, AccountClients, Aws
from tenantctl.lifecycle.iam import (
    AUDIT_ROLE,
    ROLES_IN_TENANT_ACCOUNTS,
    access_role_arn,
    break_glass_arn,
    policy_document,
    trust_policy,
)
from tenantctl.lifecycle.tenancy import BASELINE_ROLE_PATH, BREAK_GLASS_ROLE_NAME, TenantSpec, required_tags

KEY_ADMIN_ROLE = "tz-key-admin"


def data_bucket(stack: str, account_id: str, region: str) -> str:
    return f"tz-{stack}-data-{region}-{account_id}"


def tenant_clients(aws: Aws, account_id: str, session: str = "tz-sandbox") -> AccountClients:
    return AccountClients(aws, account_id, aws.assume(access_role_arn(account_id), session))


def _tls_only(bucket: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    )


def _roles(clients: AccountClients, management_account_id: str) -> None:
    iam = clients("iam")
    # The lifecycle's machine roles trust the management account without MFA (IAM-02's
    # managementTrustedRoles); the roles people take require MFA. The baseline's break-glass role trusts the
    # security account; the sandbox has people only in the management account.
    machine = trust_policy(management_account_id)
    key_admin = trust_policy(management_account_id)
    key_admin["Statement"][0]["Condition"] = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    trusts = {
        **{role: machine for role in ROLES_IN_TENANT_ACCOUNTS},
        KEY_ADMIN_ROLE: key_admin,
        BREAK_GLASS_ROLE_NAME: break_glass_trust_policy(management_account_id),
    }
    for role, trust in trusts.items():
        iam.create_role(RoleName=role, Path=BASELINE_ROLE_PATH, AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(
        RoleName=AUDIT_ROLE, PolicyName=AUDIT_ROLE, PolicyDocument=json.dumps(policy_document(AUDIT_ROLE))
    )


def _tags(spec: TenantSpec) -> list[dict[str, str]]:
    """The required tags the tenant stack puts on every taggable resource (tenancy.tags)."""
    return [
        {"Key": k, "Value": v}
        for k, v in required_tags(spec.id, spec.environment, spec.data_classification).items()
    ]


def _key(clients: AccountClients, spec: TenantSpec, region: str) -> str:
    stack = spec.stack_name
    account = clients.account_id
    policy = key_policy(
        account,
        region,
        admin_arns=[f"arn:aws:iam::{account}:role{BASELINE_ROLE_PATH}{KEY_ADMIN_ROLE}"],
        user_arns=[f"arn:aws:iam::{account}:role{BASELINE_ROLE_PATH}tz-app-*"],
        break_glass_arns=[break_glass_arn(account)],
    )
    kms = clients("kms", region)
    arn: str = kms.create_key(
        Description=f"{stack} data key",
        Policy=json.dumps(policy),
        Tags=[{"TagKey": t["Key"], "TagValue": t["Value"]} for t in _tags(spec)],
    )["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=arn)
    kms.create_alias(AliasName=f"alias/tz-{stack}-data", TargetKeyId=arn)
    return arn


def _bucket(clients: AccountClients, spec: TenantSpec, name: str, region: str, key_arn: str) -> None:
    s3 = clients("s3", region)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": key_arn,
                    },
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": _tags(spec)})
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_policy(Bucket=name, Policy=_tls_only(name))


def replication(role_arn: str, destination: str, replica_key: str) -> dict[str, Any]:
    return {
        "Role": role_arn,
        "Rules": [
            {
                "ID": "to-osaka",
                "Priority": 1,
                "Status": "Enabled",
                "Filter": {},
                "DeleteMarkerReplication": {"Status": "Enabled"},
                "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
                "Destination": {
                    "Bucket": f"arn:aws:s3:::{destination}",
                    "EncryptionConfiguration": {"ReplicaKmsKeyID": replica_key},
                    "ReplicationTime": {"Status": "Enabled", "Time": {"Minutes": 15}},
                    "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}},
                },
            }
        ],
    }


def _delete_default_vpcs(clients: AccountClients, region: str) -> None:
    """Account vending removes the default VPCs: they have no flow logs, endpoints or zones."""
    ec2 = clients("ec2", region)
    for vpc in ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]:
        vpc_id = vpc["VpcId"]
        for subnet in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]:
            ec2.delete_subnet(SubnetId=subnet["SubnetId"])
        for gateway in ec2.describe_internet_gateways(
            Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}]
        )["InternetGateways"]:
            ec2.detach_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"], VpcId=vpc_id)
            ec2.delete_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"])
        ec2.delete_vpc(VpcId=vpc_id)


def _network(clients: AccountClients, spec: TenantSpec, key_arn: str) -> list[str]:
    region = PRIMARY_REGION
    ec2 = clients("ec2", region)
    logs = clients("logs", region)
    vpc_id = ec2.create_vpc(CidrBlock=spec.vpc_cidr)["Vpc"]["VpcId"]
    network = spec.vpc_cidr.split("/")[0].split(".")
    subnets = [
        ec2.create_subnet(
            VpcId=vpc_id,
            CidrBlock=f"{network[0]}.{network[1]}.{index}.0/24",
            AvailabilityZone=f"{region}{zone}",
        )["Subnet"]["SubnetId"]
        for index, zone in enumerate("ac")
    ]
    group = f"/tenant-zone/{spec.stack_name}/vpc-flow-logs"
    logs.create_log_group(logGroupName=group, kmsKeyId=key_arn)
    logs.put_retention_policy(logGroupName=group, retentionInDays=spec.log_retention_days)
    ec2.create_flow_logs(
        ResourceIds=[vpc_id],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="cloud-watch-logs",
        LogGroupName=group,
        DeliverLogsPermissionArn=f"arn:aws:iam::{clients.account_id}:role{BASELINE_ROLE_PATH}tz-flow-logs",
    )
    default = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"][0]
    if default.get("IpPermissionsEgress"):
        ec2.revoke_security_group_egress(
            GroupId=default["GroupId"], IpPermissions=default["IpPermissionsEgress"]
        )
    if default.get("IpPermissions"):
        ec2.revoke_security_group_ingress(GroupId=default["GroupId"], IpPermissions=default["IpPermissions"])
    for service in ("s3", "dynamodb"):
        ec2.create_vpc_endpoint(
            VpcId=vpc_id, ServiceName=f"com.amazonaws.{region}.{service}", VpcEndpointType="Gateway"
        )
    for service in ("kms", "sts", "logs"):
        ec2.create_vpc_endpoint(
            VpcId=vpc_id,
            ServiceName=f"com.amazonaws.{region}.{service}",
            VpcEndpointType="Interface",
            SubnetIds=subnets,
            PrivateDnsEnabled=True,
        )
    return subnets


def geo_rule() -> dict[str, Any]:
    return {
        "Name": "japan-only",
        "Priority": 0,
        "Action": {"Block": {}},
        "Statement": {"NotStatement": {"Statement": {"GeoMatchStatement": {"CountryCodes": ["JP"]}}}},
        "VisibilityConfig": {
            "SampledRequestsEnabled": True,
            "CloudWatchMetricsEnabled": True,
            "MetricName": "geo",
        },
    }


def _edge(clients: AccountClients, spec: TenantSpec, subnets: list[str]) -> None:
    region = PRIMARY_REGION
    lb = clients("elbv2", region).create_load_balancer(
        Name=f"tz-{spec.stack_name}"[:32],
        Subnets=subnets,
        Scheme="internet-facing",
        Type="application",
        Tags=_tags(spec),
    )["LoadBalancers"][0]
    wafv2 = clients("wafv2", region)
    acl = wafv2.create_web_acl(
        Name=f"tz-{spec.stack_name}",
        Scope="REGIONAL",
        DefaultAction={"Allow": {}},
        Rules=[geo_rule()],
        VisibilityConfig={
            "SampledRequestsEnabled": True,
            "CloudWatchMetricsEnabled": True,
            "MetricName": "acl",
        },
    )["Summary"]
    wafv2.associate_web_acl(WebACLArn=acl["ARN"], ResourceArn=lb["LoadBalancerArn"])
    shield = clients("shield", "us-east-1")
    shield.create_subscription()
    shield.create_protection(Name=f"tz-{spec.stack_name}-alb", ResourceArn=lb["LoadBalancerArn"])


def _detection(clients: AccountClients, region: str) -> None:
    clients("guardduty", region).create_detector(Enable=True, DataSources={"S3Logs": {"Enable": True}})
    clients("securityhub", region).enable_security_hub(EnableDefaultStandards=True)
    config = clients("config", region)
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": f"arn:aws:iam::{clients.account_id}:role{BASELINE_ROLE_PATH}tz-config",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": region == PRIMARY_REGION},
        }
    )
    config.put_delivery_channel(
        DeliveryChannel={"name": "default", "s3BucketName": f"tz-config-{clients.account_id}"}
    )
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    clients("inspector2", region).enable(
        accountIds=[clients.account_id], resourceTypes=["EC2", "ECR", "LAMBDA"]
    )


def _notifications(clients: AccountClients, spec: TenantSpec, region: str, key_arn: str) -> None:
    """The baseline's finding routes in one region (components/notifications.py)."""
    args = NotificationsArgs(incident_email=spec.incident_email, kms_key_arn=key_arn)
    sns, events = clients("sns", region), clients("events", region)
    topic = sns.create_topic(Name=f"tz-{spec.stack_name}-findings", Attributes={"KmsMasterKeyId": key_arn})
    sns.subscribe(TopicArn=topic["TopicArn"], Protocol="email", Endpoint=spec.incident_email)
    patterns = {
        "guardduty": guardduty_event_pattern(args.guardduty_min_severity),
        "securityhub": securityhub_event_pattern(args.securityhub_severities),
    }
    for source, pattern in patterns.items():
        rule = f"tz-{spec.stack_name}-{source}-findings"
        events.put_rule(Name=rule, EventPattern=json.dumps(pattern), State="ENABLED")
        events.put_targets(Rule=rule, Targets=[{"Id": "incident-topic", "Arn": topic["TopicArn"]}])


def _backup(clients: AccountClients, spec: TenantSpec, keys: dict[str, str]) -> None:
    vaults: dict[str, str] = {}
    for region in JAPAN_REGIONS:
        backup = clients("backup", region)
        name = f"tz-{spec.stack_name}-{region}"
        vaults[region] = backup.create_backup_vault(BackupVaultName=name, EncryptionKeyArn=keys[region])[
            "BackupVaultArn"
        ]
        backup.put_backup_vault_lock_configuration(BackupVaultName=name, MinRetentionDays=7)
    clients("backup", PRIMARY_REGION).create_backup_plan(
        BackupPlan={
            "BackupPlanName": f"tz-{spec.stack_name}",
            "Rules": [
                {
                    "RuleName": "daily",
                    "TargetBackupVaultName": f"tz-{spec.stack_name}-{PRIMARY_REGION}",
                    "ScheduleExpression": "cron(0 17 * * ? *)",
                    "Lifecycle": {"DeleteAfterDays": spec.backup.retention_days},
                    "CopyActions": [
                        {
                            "DestinationBackupVaultArn": vaults[SECONDARY_REGION],
                            "Lifecycle": {"DeleteAfterDays": spec.backup.effective_copy_retention_days},
                        }
                    ],
                }
            ],
        }
    )


def _mail(clients: AccountClients, spec: TenantSpec) -> None:
    """The mail domain of a tenant that sends mail (components/mail.py): SES identity with Easy DKIM, custom
    MAIL FROM, and the SPF and DMARC records in a hosted zone of the account."""
    if spec.mail is None:
        return
    domain = spec.mail.domain
    defaults = MailDomainArgs(domain=domain, hosted_zone_id=spec.mail.hosted_zone_id)
    clients("sesv2", spec.primary_region).create_email_identity(
        EmailIdentity=domain, DkimSigningAttributes={"NextSigningKeyLength": "RSA_2048_BIT"}
    )
    mail_from = f"{defaults.mail_from_subdomain}.{domain}"
    clients("ses", spec.primary_region).set_identity_mail_from_domain(
        Identity=domain, MailFromDomain=mail_from, BehaviorOnMXFailure="UseDefaultValue"
    )
    route53 = clients("route53")
    zone = route53.create_hosted_zone(Name=domain, CallerReference=f"tz-{spec.stack_name}-mail")["HostedZone"]
    records = {
        mail_from: spf_record(),
        f"_dmarc.{domain}": dmarc_record(defaults.dmarc_policy, f"dmarc-reports@{domain}"),
    }
    route53.change_resource_record_sets(
        HostedZoneId=zone["Id"],
        ChangeBatch={
            "Changes": [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": name,
                        "Type": "TXT",
                        "TTL": defaults.record_ttl,
                        "ResourceRecords": [{"Value": f'"{value}"'}],
                    },
                }
                for name, value in records.items()
            ]
        },
    )


def seed_tenant(aws: Aws, account_id: str, spec: TenantSpec, management_account_id: str) -> None:
    """The audited part of the tenant baseline, in the tenant's account (through its access role)."""
    clients = tenant_clients(aws, account_id)
    stack = spec.stack_name
    _roles(clients, management_account_id)
    keys = {region: _key(clients, spec, region) for region in JAPAN_REGIONS}
    replica = data_bucket(stack, account_id, SECONDARY_REGION)
    source = data_bucket(stack, account_id, PRIMARY_REGION)
    _bucket(clients, spec, replica, SECONDARY_REGION, keys[SECONDARY_REGION])
    _bucket(clients, spec, source, PRIMARY_REGION, keys[PRIMARY_REGION])
    clients("s3", PRIMARY_REGION).put_bucket_replication(
        Bucket=source,
        ReplicationConfiguration=replication(
            f"arn:aws:iam::{account_id}:role{BASELINE_ROLE_PATH}tz-replication",
            replica,
            keys[SECONDARY_REGION],
        ),
    )
    for region in JAPAN_REGIONS:
        _delete_default_vpcs(clients, region)
    subnets = _network(clients, spec, keys[PRIMARY_REGION])
    _edge(clients, spec, subnets)
    for region in JAPAN_REGIONS:
        _detection(clients, region)
        _notifications(clients, spec, region, keys[region])
    _backup(clients, spec, keys)
    _mail(clients, spec)


# --- drifts the audit must find -----------------------------------------------------------------


def _drift_encryption(clients: AccountClients, stack: str) -> None:
    bucket = data_bucket(stack, clients.account_id, PRIMARY_REGION)
    clients("s3", PRIMARY_REGION).put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )


def _drift_replication(clients: AccountClients, stack: str) -> None:
    account = clients.account_id
    elsewhere = f"tz-{stack}-copy-us-west-2-{account}"
    clients("s3", "us-west-2").create_bucket(
        Bucket=elsewhere, CreateBucketConfiguration={"LocationConstraint": "us-west-2"}
    )
    source = data_bucket(stack, account, PRIMARY_REGION)
    config = replication(
        f"arn:aws:iam::{account}:role{BASELINE_ROLE_PATH}tz-replication", elsewhere, "alias/aws/s3"
    )
    clients("s3", PRIMARY_REGION).put_bucket_replication(Bucket=source, ReplicationConfiguration=config)


def _drift_rotation(clients: AccountClients, stack: str) -> None:
    kms = clients("kms", PRIMARY_REGION)
    alias = f"alias/tz-{stack}-data"
    key_id = next(a["TargetKeyId"] for a in kms.list_aliases()["Aliases"] if a["AliasName"] == alias)
    kms.disable_key_rotation(KeyId=key_id)


def _drift_waf(clients: AccountClients, stack: str) -> None:
    elbv2 = clients("elbv2", PRIMARY_REGION)
    lb = elbv2.describe_load_balancers(Names=[f"tz-{stack}"[:32]])["LoadBalancers"][0]
    clients("wafv2", PRIMARY_REGION).disassociate_web_acl(ResourceArn=lb["LoadBalancerArn"])


def _drift_guardduty(clients: AccountClients, stack: str) -> None:
    guardduty = clients("guardduty", SECONDARY_REGION)
    for detector in guardduty.list_detectors()["DetectorIds"]:
        guardduty.update_detector(DetectorId=detector, Enable=False)


def _drift_retention(clients: AccountClients, stack: str) -> None:
    clients("logs", PRIMARY_REGION).put_retention_policy(
        logGroupName=f"/tenant-zone/{stack}/vpc-flow-logs", retentionInDays=30
    )


TENANT_DRIFTS: dict[str, Callable[[AccountClients, str], None]] = {
    "encryption-removed": _drift_encryption,
    "replication-elsewhere": _drift_replication,
    "rotation-off": _drift_rotation,
    "waf-disassociated": _drift_waf,
    "guardduty-off": _drift_guardduty,
    "log-retention-shortened": _drift_retention,
}
ORG_DRIFTS = ("scp-detached",)
DRIFTS = (*TENANT_DRIFTS, *ORG_DRIFTS)


def plant_drift(aws: Aws, drift: str, account_id: str, stack: str) -> None:
    """Break one control in a seeded tenant (or, for ``scp-detached``, in the organization)."""
    if drift == "scp-detached":
        from tenantctl.lifecycle.org import OU_PATHS, discover

        organizations = aws.client("organizations")
        view = discover(aws)
        policy = next(
            p
            for p in organizations.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
            if p["Name"] == "tz-protect-baseline"
        )
        organizations.detach_policy(PolicyId=policy["Id"], TargetId=view.ou_ids[OU_PATHS["tenants"]])
        return
    TENANT_DRIFTS[drift](tenant_clients(aws, account_id), stack)
