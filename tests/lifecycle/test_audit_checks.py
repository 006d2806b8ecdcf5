"""Every tenant audit check on three live accounts (moto, in-process): a compliant seeded tenant (no
finding), a drifted tenant (one field changed per check, each caught with its exact message) and a bare
account (the resources or their settings missing)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from moto import mock_aws

from policies.audit._base import TENANT
from policies.audit._registry import all_checks
from policies.rules.iam.iam_human_role_mfa import MFA_EXPECTED
from policies.rules.kms.kms_key_policy_separation import EXPECTED as KMS_EXPECTED
from tenantctl.lifecycle import org
from tenantctl.lifecycle.aws import PRIMARY_REGION, SECONDARY_REGION, Aws
from tenantctl.lifecycle.iam import trust_policy
from tenantctl.lifecycle.seed import KEY_ADMIN_ROLE, data_bucket, geo_rule
from tests.lifecycle.orgkit import Tenant, fake_malware_plans, new_tenant, run_check

TENANT_CHECKS = sorted(c.id for c in all_checks().values() if c.scope == TENANT)
TOKYO, OSAKA = PRIMARY_REGION, SECONDARY_REGION
BETA_OVERLAP = "10.32.128.0/20"  # inside beta-prod's registered 10.32.0.0/16
TAGS_EXPECTED = (
    "the tags tenant, environment, data-classification, managed-by with data-classification one of public,"
    " internal, confidential, personal"
)
MAIL_DOMAIN = "mail.acme.example.jp"  # the shipped acme-prod spec every world tenant uses
UPLOADS_EXPECTED = "an ACTIVE GuardDuty Malware Protection plan for S3 protecting the bucket"
SES_EXPECTED = (
    "an SES identity signing with Easy DKIM, a custom MAIL FROM domain and an SPF record"
    " (v=spf1 include:amazonses.com ...) on it"
)
DMARC_EXPECTED = "a TXT record v=DMARC1 with p=quarantine or p=reject"
RAM_EXPECTED = (
    "RAM shares only inside the tenant's own account: allowExternalPrincipals false, no other account,"
    " organization or OU as principal, and no share received from another account"
)
TGW_EXPECTED = (
    "Transit Gateway attachments only between resources and transit gateways of the tenant's own account"
)
ROLE_EXPECTED = (
    f"{MFA_EXPECTED}; without MFA only /OrganizationAccountAccessRole and /tenant-zone/tz-audit, from the"
    " management account"
)
ROUTE_EXPECTED = (
    "expected an enabled EventBridge rule on the default bus routing GuardDuty findings of severity >= 7 or "
    "Security Hub HIGH/CRITICAL findings to a KMS-encrypted SNS topic with a confirmed subscription. [LOG-05]"
)


@dataclass
class World:
    clean: Tenant
    drifted: Tenant
    bare: Tenant
    facts: dict[str, str]


def _key_id(tenant: Tenant, region: str) -> str:
    kms = tenant.clients("kms", region)
    alias = f"alias/tz-{tenant.stack}-data"
    return str(next(a["TargetKeyId"] for a in kms.list_aliases()["Aliases"] if a["AliasName"] == alias))


def _drift(tenant: Tenant, facts: dict[str, str]) -> None:
    """One changed field per check (chosen so that no two checks see the same change)."""
    c, account, stack = tenant.clients, tenant.account_id, tenant.stack
    source, replica = data_bucket(stack, account, TOKYO), data_bucket(stack, account, OSAKA)
    s3_tokyo, s3_osaka = c("s3", TOKYO), c("s3", OSAKA)
    s3_tokyo.put_bucket_encryption(
        Bucket=source,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    s3_osaka.put_bucket_versioning(Bucket=replica, VersioningConfiguration={"Status": "Suspended"})
    block = {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": False,
        "RestrictPublicBuckets": True,
    }
    s3_osaka.put_public_access_block(Bucket=replica, PublicAccessBlockConfiguration=block)
    allow = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{replica}/*",
    }
    s3_osaka.put_bucket_policy(
        Bucket=replica, Policy=json.dumps({"Version": "2012-10-17", "Statement": [allow]})
    )
    config = s3_tokyo.get_bucket_replication(Bucket=source)["ReplicationConfiguration"]
    config["Rules"][0]["Destination"]["ReplicationTime"] = {"Status": "Disabled", "Time": {"Minutes": 15}}
    s3_tokyo.put_bucket_replication(Bucket=source, ReplicationConfiguration=config)
    # keys
    facts["osaka_key"] = _key_id(tenant, OSAKA)
    c("kms", OSAKA).disable_key_rotation(KeyId=facts["osaka_key"])
    facts["tokyo_key"] = _key_id(tenant, TOKYO)
    kms = c("kms", TOKYO)
    policy = json.loads(kms.get_key_policy(KeyId=facts["tokyo_key"], PolicyName="default")["Policy"])
    admin = next(s for s in policy["Statement"] if s["Sid"] == "KeyAdministration")
    admin["Action"] = [*admin["Action"], "kms:Decrypt"]
    kms.put_key_policy(KeyId=facts["tokyo_key"], PolicyName="default", Policy=json.dumps(policy))
    # network
    ec2 = c("ec2", TOKYO)
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    facts["vpc"] = vpc
    for flow_log in ec2.describe_flow_logs()["FlowLogs"]:
        ec2.delete_flow_logs(FlowLogIds=[flow_log["FlowLogId"]])
    default = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["default"]}])[
        "SecurityGroups"
    ][0]
    facts["default_sg"] = default["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=default["GroupId"],
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}
        ],
    )
    sts_endpoint = next(
        e for e in ec2.describe_vpc_endpoints()["VpcEndpoints"] if e["ServiceName"].endswith(".sts")
    )
    ec2.delete_vpc_endpoints(VpcEndpointIds=[sts_endpoint["VpcEndpointId"]])
    # edge: the seeded load balancer loses its web ACL and its Shield protection; a second one is fronted
    # by a web ACL without the geo rule
    elbv2, wafv2, shield = c("elbv2", TOKYO), c("wafv2", TOKYO), c("shield", "us-east-1")
    seeded = elbv2.describe_load_balancers()["LoadBalancers"][0]
    facts["lb"] = seeded["LoadBalancerName"]
    wafv2.disassociate_web_acl(ResourceArn=seeded["LoadBalancerArn"])
    protection = next(
        p for p in shield.list_protections()["Protections"] if p["ResourceArn"] == seeded["LoadBalancerArn"]
    )
    shield.delete_protection(ProtectionId=protection["Id"])
    extra = elbv2.create_load_balancer(
        Name="tz-extra",
        Subnets=[z["SubnetId"] for z in seeded["AvailabilityZones"]],
        Scheme="internet-facing",
        Tags=elbv2.describe_tags(ResourceArns=[seeded["LoadBalancerArn"]])["TagDescriptions"][0]["Tags"],
    )["LoadBalancers"][0]
    rule = geo_rule()
    rule["Statement"] = {"GeoMatchStatement": {"CountryCodes": ["KP"]}}
    acl = wafv2.create_web_acl(
        Name="tz-no-geo",
        Scope="REGIONAL",
        DefaultAction={"Allow": {}},
        Rules=[rule],
        VisibilityConfig={
            "SampledRequestsEnabled": True,
            "CloudWatchMetricsEnabled": True,
            "MetricName": "x",
        },
    )["Summary"]
    wafv2.associate_web_acl(WebACLArn=acl["ARN"], ResourceArn=extra["LoadBalancerArn"])
    shield.create_protection(Name="tz-extra", ResourceArn=extra["LoadBalancerArn"])
    # detection
    guardduty = c("guardduty", OSAKA)
    guardduty.update_detector(DetectorId=guardduty.list_detectors()["DetectorIds"][0], Enable=False)
    c("inspector2", OSAKA).disable(accountIds=[account], resourceTypes=["LAMBDA"])
    # backup: weekly schedule and a copy to Seoul on the one rule; Osaka vault unlocked
    backup = c("backup", TOKYO)
    plan_id = backup.list_backup_plans()["BackupPlansList"][0]["BackupPlanId"]
    plan = backup.get_backup_plan(BackupPlanId=plan_id)["BackupPlan"]
    plan["Rules"][0]["ScheduleExpression"] = "cron(0 17 ? * MON *)"
    plan["Rules"][0]["CopyActions"][0]["DestinationBackupVaultArn"] = (
        f"arn:aws:backup:ap-northeast-2:{account}:backup-vault:elsewhere"
    )
    for rule_ in plan["Rules"]:
        rule_.pop("RuleId", None)
    plan["BackupPlanName"] = f"tz-{stack}-weekly"
    backup.delete_backup_plan(BackupPlanId=plan_id)  # moto 5.2.5 has no UpdateBackupPlan
    backup.create_backup_plan(BackupPlan=plan)
    c("backup", OSAKA).delete_backup_vault_lock_configuration(BackupVaultName=f"tz-{stack}-{OSAKA}")
    # logs, identity
    c("logs", TOKYO).put_retention_policy(
        logGroupName=f"/tenant-zone/{stack}/vpc-flow-logs", retentionInDays=30
    )
    c("iam").create_user(UserName="alice")
    # zones: a workload interface with an Elastic IP and a publicly accessible database
    subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"][0]["SubnetId"]
    interface = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
    address = ec2.allocate_address(Domain="vpc")
    ec2.associate_address(AllocationId=address["AllocationId"], NetworkInterfaceId=interface)
    facts["public_eni"], facts["public_ip"] = interface, address["PublicIp"]
    c("rds", TOKYO).create_db_instance(
        DBInstanceIdentifier="tz-public-db",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="tz",
        MasterUserPassword="not-a-real-password-1",
        AllocatedStorage=20,
        PubliclyAccessible=True,
        VpcSecurityGroupIds=[facts["default_sg"]],
    )
    # findings: the Tokyo topic loses its key, the Osaka rules are disabled
    topic = next(
        t["TopicArn"] for t in c("sns", TOKYO).list_topics()["Topics"] if "findings" in t["TopicArn"]
    )
    c("sns", TOKYO).set_topic_attributes(TopicArn=topic, AttributeName="KmsMasterKeyId", AttributeValue="")
    facts["findings_topic"] = topic
    for source in ("guardduty", "securityhub"):
        c("events", OSAKA).disable_rule(Name=f"tz-{stack}-{source}-findings")
    # uploads: both data buckets take uploads; Tokyo's plan has lost access, Osaka's bucket has none
    uploads_tokyo, uploads_osaka = data_bucket(stack, account, TOKYO), data_bucket(stack, account, OSAKA)
    for s3, bucket in ((s3_tokyo, uploads_tokyo), (s3_osaka, uploads_osaka)):
        tag_set = [*s3.get_bucket_tagging(Bucket=bucket)["TagSet"], {"Key": "purpose", "Value": "uploads"}]
        s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tag_set})
    fake_malware_plans(c("guardduty", TOKYO), {uploads_tokyo: "WARNING"})
    fake_malware_plans(c("guardduty", OSAKA), {})
    # tags: the Tokyo key loses its classification, the load balancer's is not one of the four
    c("kms", TOKYO).untag_resource(KeyId=facts["tokyo_key"], TagKeys=["data-classification"])
    c("elbv2", TOKYO).add_tags(
        ResourceArns=[seeded["LoadBalancerArn"]], Tags=[{"Key": "data-classification", "Value": "secret"}]
    )
    facts["lb_arn"] = seeded["LoadBalancerArn"]
    # mail: DKIM signing switched off, DMARC relaxed to p=none
    domain = tenant.spec.mail.domain if tenant.spec.mail else ""
    sesv2 = c("sesv2", TOKYO)
    sesv2.delete_email_identity(EmailIdentity=domain)
    sesv2.create_email_identity(EmailIdentity=domain)
    c("ses", TOKYO).set_identity_mail_from_domain(Identity=domain, MailFromDomain=f"mail.{domain}")
    route53 = c("route53")
    zone = route53.list_hosted_zones_by_name(DNSName=domain)["HostedZones"][0]["Id"]
    relaxed = {
        "Name": f"_dmarc.{domain}",
        "Type": "TXT",
        "TTL": 600,
        "ResourceRecords": [{"Value": '"v=DMARC1; p=none"'}],
    }
    route53.change_resource_record_sets(
        HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": relaxed}]}
    )


def _cross_account(drifted: Tenant, bare: Tenant, facts: dict[str, str]) -> None:
    """The drifted tenant shares its Tokyo subnet with the bare account through RAM, and a transit gateway of
    the drifted account carries an attachment of the bare account's VPC."""
    ec2 = drifted.clients("ec2", TOKYO)
    subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [facts["vpc"]]}])["Subnets"][0]
    share = drifted.clients("ram", TOKYO).create_resource_share(
        name="tz-shared-subnet",
        resourceArns=[subnet["SubnetArn"]],
        principals=[bare.account_id],
        allowExternalPrincipals=False,
    )["resourceShare"]
    facts["share"] = share["name"]
    gateway = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=gateway, VpcId=facts["vpc"], SubnetIds=[subnet["SubnetId"]]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    facts["tgw"], facts["tgw_attachment"] = gateway, attachment
    # moto attaches only VPCs of the transit gateway's own account; AWS reports another account's VPC attached
    # to this account's (RAM-shared) gateway with that account as ResourceOwnerId, as this hook makes it.
    bare_vpc = facts[f"bare_vpc_{TOKYO}"]

    def foreign_vpc(parsed: dict[str, Any], **_: Any) -> None:
        for item in parsed.get("TransitGatewayAttachments", []):
            if item["TransitGatewayAttachmentId"] == attachment:
                item["ResourceOwnerId"], item["ResourceId"] = bare.account_id, bare_vpc

    ec2.meta.events.register("after-call.ec2.DescribeTransitGatewayAttachments", foreign_vpc)
    # the key administrators' role loses its MFA condition
    drifted.clients("iam").update_assume_role_policy(
        RoleName=KEY_ADMIN_ROLE, PolicyDocument=json.dumps(trust_policy(facts["management_account"]))
    )


def _bare(tenant: Tenant) -> None:
    """Nothing but a bucket in Tokyo with no settings and one in Oregon (the account's default VPCs stay)."""
    c = tenant.clients
    c("s3", TOKYO).create_bucket(
        Bucket=f"bare-{tenant.account_id}", CreateBucketConfiguration={"LocationConstraint": TOKYO}
    )
    c("s3", "us-west-2").create_bucket(
        Bucket=f"bare-{tenant.account_id}-us", CreateBucketConfiguration={"LocationConstraint": "us-west-2"}
    )


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with mock_aws():
        aws = Aws()
        view = org.bootstrap(aws)
        clean = new_tenant(aws, view, "clean-prod")
        drifted = new_tenant(aws, view, "drifted-prod")
        bare = new_tenant(aws, view, "bare-prod", seed=False)
        facts: dict[str, str] = {}
        _drift(drifted, facts)
        _bare(bare)
        for region in (TOKYO, OSAKA):
            facts[f"bare_vpc_{region}"] = bare.clients("ec2", region).describe_vpcs()["Vpcs"][0]["VpcId"]
            facts[f"bare_sg_{region}"] = bare.clients("ec2", region).describe_security_groups()[
                "SecurityGroups"
            ][0]["GroupId"]
        # networks: the drifted VPC grows into beta-prod's registered range and peers with another account
        ec2 = drifted.clients("ec2", TOKYO)
        ec2.associate_vpc_cidr_block(VpcId=facts["vpc"], CidrBlock=BETA_OVERLAP)
        facts["peering"] = ec2.create_vpc_peering_connection(
            VpcId=facts["vpc"],
            PeerVpcId=facts[f"bare_vpc_{TOKYO}"],
            PeerOwnerId=bare.account_id,
            PeerRegion=TOKYO,
        )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
        facts["management_account"] = view.management_account_id
        _cross_account(drifted, bare, facts)
        yield World(clean, drifted, bare, facts)


def drifted_messages(w: World) -> dict[str, list[str]]:
    d, f = w.drifted, w.facts
    account, stack = d.account_id, d.stack
    source, replica = data_bucket(stack, account, TOKYO), data_bucket(stack, account, OSAKA)
    key_admin = f"arn:aws:iam::{account}:role/tenant-zone/{KEY_ADMIN_ROLE}"
    return {
        "live_storage_encryption_cmk": [
            f"AWS::S3::Bucket {source}: is encrypted with AES256 (S3-managed keys); expected SSE-KMS with a "
            "customer-managed key of the tenant and the bucket key on. [ENC-01]"
        ],
        "live_bucket_versioning": [
            f"AWS::S3::Bucket {replica}: versioning is Suspended; expected versioning Enabled. [RES-02]"
        ],
        "live_bucket_public_access_block": [
            f"AWS::S3::Bucket {replica}: has BlockPublicPolicy off; expected BlockPublicAcls,"
            " IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets all true. [TEN-01]"
        ],
        "live_bucket_tls_only": [
            f"AWS::S3::Bucket {replica}: has a bucket policy that allows requests without TLS; expected a"
            " bucket policy statement that denies every s3 action when aws:SecureTransport is false."
            " [ENC-03]"
        ],
        "live_bucket_replication": [
            f"AWS::S3::Bucket {source}: replicates to {replica} without Replication Time Control; expected an"
            " enabled replication rule to a bucket in ap-northeast-3 with Replication Time Control and a"
            " replica KMS key. [RES-02]"
        ],
        "live_kms_key_rotation": [
            f"AWS::KMS::Key {f['osaka_key']}: automatic rotation is off; expected automatic rotation on."
            " [ENC-02]"
        ],
        "live_kms_key_policy_separation": [
            f"AWS::KMS::Key {f['tokyo_key']}: policy statement 'KeyAdministration' grants {key_admin} both "
            "administration (e.g. kms:PutKeyPolicy) and use (e.g. kms:Decrypt); "
            f"expected {KMS_EXPECTED}. [ENC-02]"
        ],
        "live_flow_logs": [
            f"AWS::EC2::VPC {f['vpc']}: has no active flow log; expected a flow log of ALL traffic. [NET-04]"
        ],
        "live_default_sg_empty": [
            f"AWS::EC2::SecurityGroup {f['default_sg']}: the default security group of {f['vpc']} has 1"
            " ingress and 0 egress rules; expected no rules. [NET-02]"
        ],
        "live_vpc_endpoints": [
            f"AWS::EC2::VPC {f['vpc']}: has no endpoint for sts; expected gateway endpoints for s3, dynamodb"
            " and interface endpoints for kms, sts, logs. [RES-03]"
        ],
        "live_web_acl_associations": [
            f"AWS::ElasticLoadBalancingV2::LoadBalancer {f['lb']}: is internet-facing with no web ACL"
            " associated; expected the tenant's WAFv2 web ACL associated. [EDGE-01]"
        ],
        "live_web_acl_geo_block": [
            "AWS::WAFv2::WebACL tz-no-geo: has no rule that blocks requests from outside Japan; expected a"
            " Block rule whose statement matches every country but JP (NotStatement of a GeoMatch on [JP])."
            " [EDGE-02]"
        ],
        "live_shield_protections": [
            f"AWS::ElasticLoadBalancingV2::LoadBalancer {f['lb']}: is internet-facing without a Shield"
            " Advanced protection; expected a Shield Advanced protection. [EDGE-03]"
        ],
        "live_detection_services": [
            f"AWS::::Account {account}: GuardDuty detector is disabled in ap-northeast-3; expected GuardDuty,"
            " Security Hub and Config recording on in both regions. [LOG-03]"
        ],
        "live_inspector_coverage": [
            f"AWS::::Account {account}: Inspector does not scan lambda in ap-northeast-3; expected Inspector"
            " scanning ec2, ecr and lambda in both regions. [VUL-01]"
        ],
        "live_backup_plan_coverage": [
            f"AWS::Backup::BackupPlan tz-{stack}-weekly: rule daily runs only on day-of-week MON; expected a"
            " backup rule that runs at least daily and keeps recovery points >= 90 days. [BAK-01]"
        ],
        "live_backup_copy_osaka": [
            f"AWS::Backup::BackupPlan tz-{stack}-weekly: rule daily copies to a vault in ap-northeast-2;"
            " expected every backup rule copies to a vault in ap-northeast-3 and nowhere outside Japan."
            " [BAK-02]"
        ],
        "live_backup_vault_lock": [
            f"AWS::Backup::BackupVault tz-{stack}-{OSAKA}: is not locked; expected Vault Lock with a minimum "
            "retention >= 7 days and a customer-managed key. [BAK-03]"
        ],
        "live_log_retention": [
            f"AWS::Logs::LogGroup /tenant-zone/{stack}/vpc-flow-logs: keeps events 30 days; expected a"
            " retention of at least 365 days, or never expire. [LOG-02]"
        ],
        "live_no_iam_users": [
            "AWS::IAM::User alice: is an IAM user; expected no IAM users (roles and SSO only). [IAM-01]"
        ],
        "live_resources_in_japan": [],
        "live_no_public_ips": [
            f"AWS::EC2::NetworkInterface {f['public_eni']}: has the public IP {f['public_ip']}; expected no "
            "public IP on workload network interfaces (only load balancers face the internet). [NET-01]"
        ],
        "live_db_not_public": [
            "AWS::RDS::DBInstance tz-public-db: is publicly accessible; expected PubliclyAccessible false "
            "(databases sit only in the isolated zone). [NET-01]"
        ],
        "live_finding_notifications": sorted(
            [
                f"AWS::SNS::Topic {f['findings_topic'].rsplit(':', 1)[-1]}: receives high/critical findings "
                f"unencrypted; {ROUTE_EXPECTED}",
                *(
                    f"AWS::Events::Rule tz-{stack}-{source}-findings: matches high/critical findings but is "
                    f"disabled; {ROUTE_EXPECTED}"
                    for source in ("guardduty", "securityhub")
                ),
            ]
        ),
        "live_vpc_cidr_unique": [
            f"AWS::EC2::VPC {f['vpc']}: has the CIDR {BETA_OVERLAP}, which overlaps 10.32.0.0/16 registered"
            " by beta-prod; expected CIDRs disjoint from every other tenant's registered vpcCidr. [TEN-02]"
        ],
        "live_vpc_peering_same_tenant": [
            f"AWS::EC2::VPCPeeringConnection {f['peering']}: joins a VPC of this account to"
            f" {f[f'bare_vpc_{TOKYO}']} in account {w.bare.account_id}; expected peering only between VPCs of"
            " the tenant's own account. [TEN-02]"
        ],
        "live_ram_shares_tenant_only": [
            f"AWS::RAM::ResourceShare {f['share']}: shares with account {w.bare.account_id}"
            f" ({w.bare.account_id}), not this account; expected {RAM_EXPECTED}. [TEN-02]"
        ],
        "live_tgw_attachments_same_tenant": [
            f"AWS::EC2::TransitGatewayAttachment {f['tgw_attachment']}: attaches vpc"
            f" {f[f'bare_vpc_{TOKYO}']} of account {w.bare.account_id} to transit gateway {f['tgw']} of this"
            f" account; expected {TGW_EXPECTED}. [TEN-02]"
        ],
        "live_human_role_mfa": [
            f"AWS::IAM::Role {KEY_ADMIN_ROLE}: trust policy Statement[0] lets AWS principal(s)"
            f" arn:aws:iam::{f['management_account']}:root assume the role without MFA;"
            f" expected {ROLE_EXPECTED}. [IAM-02]"
        ],
        "live_required_tags": [
            f"AWS::ElasticLoadBalancingV2::LoadBalancer {f['lb_arn'].rsplit('/', 1)[-1]}: has"
            f" data-classification 'secret'; expected {TAGS_EXPECTED}. [TEN-04]",
            f"AWS::KMS::Key {f['tokyo_key']}: lacks the tags data-classification; expected {TAGS_EXPECTED}."
            " [TEN-04]",
        ],
        "live_upload_malware_protection": [
            f"AWS::S3::Bucket {source}: is an upload bucket whose Malware Protection plan is WARNING;"
            f" expected {UPLOADS_EXPECTED}. [LOG-04]",
            f"AWS::S3::Bucket {replica}: is an upload bucket (purpose=uploads) without a Malware Protection"
            f" plan; expected {UPLOADS_EXPECTED}. [LOG-04]",
        ],
        "live_ses_identity_auth": [
            f"AWS::SES::EmailIdentity {MAIL_DOMAIN}: signs no mail with DKIM; expected {SES_EXPECTED}."
            " [MAIL-01]"
        ],
        "live_dmarc_record": [
            f"AWS::Route53::RecordSet _dmarc.{MAIL_DOMAIN}: has the DMARC policy p=none;"
            f" expected {DMARC_EXPECTED}. [MAIL-01]"
        ],
    }


def bare_messages(w: World) -> dict[str, list[str]]:
    b, f = w.bare, w.facts
    account = b.account_id
    tokyo, oregon = f"bare-{account}", f"bare-{account}-us"
    both = (TOKYO, OSAKA)
    detection = "expected GuardDuty, Security Hub and Config recording on in both regions. [LOG-03]"
    return {
        "live_storage_encryption_cmk": sorted(
            f"AWS::S3::Bucket {name}: has no default encryption; expected SSE-KMS with a customer-managed key"
            " of the tenant and the bucket key on. [ENC-01]"
            for name in (tokyo, oregon)
        ),
        "live_bucket_versioning": sorted(
            f"AWS::S3::Bucket {name}: versioning is never enabled; expected versioning Enabled. [RES-02]"
            for name in (tokyo, oregon)
        ),
        "live_bucket_public_access_block": sorted(
            f"AWS::S3::Bucket {name}: has no public access block; expected BlockPublicAcls, IgnorePublicAcls,"
            " BlockPublicPolicy, RestrictPublicBuckets all true. [TEN-01]"
            for name in (tokyo, oregon)
        ),
        "live_bucket_tls_only": sorted(
            f"AWS::S3::Bucket {name}: has no bucket policy; expected a bucket policy statement that denies"
            " every s3 action when aws:SecureTransport is false. [ENC-03]"
            for name in (tokyo, oregon)
        ),
        "live_bucket_replication": [
            f"AWS::S3::Bucket {tokyo}: has no enabled replication rule; expected an enabled replication rule"
            " to a bucket in ap-northeast-3 with Replication Time Control and a replica KMS key. [RES-02]"
        ],
        "live_kms_key_rotation": [],
        "live_kms_key_policy_separation": [],
        "live_flow_logs": sorted(
            f"AWS::EC2::VPC {f[f'bare_vpc_{r}']}: has no active flow log; expected a flow log of ALL traffic."
            " [NET-04]"
            for r in both
        ),
        "live_default_sg_empty": sorted(
            f"AWS::EC2::SecurityGroup {f[f'bare_sg_{r}']}: the default security group of {f[f'bare_vpc_{r}']}"
            " has 0 ingress and 1 egress rules; expected no rules. [NET-02]"
            for r in both
        ),
        "live_vpc_endpoints": sorted(
            f"AWS::EC2::VPC {f[f'bare_vpc_{r}']}: has no endpoint for s3, dynamodb, kms, sts, logs; expected"
            " gateway endpoints for s3, dynamodb and interface endpoints for kms, sts, logs. [RES-03]"
            for r in both
        ),
        "live_web_acl_associations": [],
        "live_web_acl_geo_block": [],
        "live_shield_protections": [
            f"AWS::::Account {account}: has no active Shield Advanced subscription; expected an ACTIVE"
            " subscription. [EDGE-03]"
        ],
        "live_detection_services": sorted(
            f"AWS::::Account {account}: {what} in {r}; {detection}"
            for r in both
            for what in (
                "GuardDuty has no detector",
                "Security Hub is not enabled",
                "AWS Config has no configuration recorder",
            )
        ),
        "live_inspector_coverage": sorted(
            f"AWS::::Account {account}: Inspector does not scan ec2, ecr, lambda in {r}; expected Inspector"
            " scanning ec2, ecr and lambda in both regions. [VUL-01]"
            for r in both
        ),
        "live_backup_plan_coverage": [
            f"AWS::::Account {account}: has no backup plan in ap-northeast-1; expected a backup rule that"
            " runs at least daily and keeps recovery points >= 90 days. [BAK-01]"
        ],
        "live_backup_copy_osaka": [],
        "live_backup_vault_lock": [],
        "live_log_retention": [],
        "live_no_iam_users": [],
        "live_resources_in_japan": [
            f"AWS::S3::Bucket {oregon}: is in us-west-2; expected a bucket in ap-northeast-1 or"
            " ap-northeast-3. [RES-01]"
        ],
        "live_no_public_ips": [],
        "live_db_not_public": [],
        "live_finding_notifications": sorted(
            f"AWS::::Account {account}: routes no high/critical findings in {r}; {ROUTE_EXPECTED}"
            for r in both
        ),
        "live_upload_malware_protection": [],
        "live_required_tags": [],
        "live_ram_shares_tenant_only": [
            f"AWS::RAM::ResourceShare {f['share']}: is shared with this account by account"
            f" {w.drifted.account_id}; expected {RAM_EXPECTED}. [TEN-02]"
        ],
        "live_tgw_attachments_same_tenant": [],
        "live_human_role_mfa": [],
        "live_vpc_cidr_unique": [],
        "live_vpc_peering_same_tenant": [
            f"AWS::EC2::VPCPeeringConnection {f['peering']}: joins a VPC of this account to {f['vpc']} in"
            f" account {w.drifted.account_id}; expected peering only between VPCs of the tenant's own"
            " account. [TEN-02]"
        ],
        "live_ses_identity_auth": [
            f"AWS::SES::EmailIdentity {MAIL_DOMAIN}: has no SES identity in ap-northeast-1; expected"
            f" {SES_EXPECTED}. [MAIL-01]"
        ],
        "live_dmarc_record": [
            f"AWS::Route53::RecordSet _dmarc.{MAIL_DOMAIN}: is in no hosted zone of the account; expected"
            f" {DMARC_EXPECTED}. [MAIL-01]"
        ],
    }


def test_every_tenant_check_has_cases(world: World) -> None:
    assert sorted(drifted_messages(world)) == TENANT_CHECKS
    assert sorted(bare_messages(world)) == TENANT_CHECKS


@pytest.mark.parametrize("check_id", TENANT_CHECKS)
def test_compliant_seeded_tenant_passes(world: World, check_id: str) -> None:
    assert run_check(check_id, world.clean) == []


@pytest.mark.parametrize("check_id", TENANT_CHECKS)
def test_drift_is_caught_with_its_exact_message(world: World, check_id: str) -> None:
    assert run_check(check_id, world.drifted) == drifted_messages(world)[check_id]


@pytest.mark.parametrize("check_id", TENANT_CHECKS)
def test_missing_resources_and_settings(world: World, check_id: str) -> None:
    assert run_check(check_id, world.bare) == bare_messages(world)[check_id]
