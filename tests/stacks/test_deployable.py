"""What AWS would reject in the shipped stacks, asserted on their synth JSON: each fix is visible there."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.stacks.shipped import TENANT_STACKS, synth

PROTECTION = "aws:shield/protection:Protection"
SUBSCRIPTION = "aws:shield/subscription:Subscription"


def of_type(state: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r for r in state["resources"] if r["type"] == resource_type]


@pytest.fixture(scope="module")
def acme() -> dict[str, Any]:
    return synth("acme-prod")


@pytest.fixture(scope="module")
def org() -> dict[str, Any]:
    return synth("org")


def test_nat_elastic_ips_are_protected_by_their_allocation_arn(acme: dict[str, Any]) -> None:
    eips = {e["urn"]: e for e in of_type(acme, "aws:ec2/eip:Eip")}
    nat_protections = [p for p in of_type(acme, PROTECTION) if set(p["dependencies"]) & set(eips)]
    assert len(nat_protections) == len(eips) == 3
    account = acme["outputs"]["accountId"]
    expected = {
        f"arn:aws:ec2:ap-northeast-1:{account}:eip-allocation/{e['outputs']['allocationId']}"
        for e in eips.values()
    }
    assert {p["inputs"]["resourceArn"] for p in nat_protections} == expected


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_every_protection_depends_on_the_accounts_subscription(stack: str) -> None:
    state = synth(stack)
    (subscription,) = of_type(state, SUBSCRIPTION)
    assert subscription["inputs"]["autoRenew"] == "ENABLED"
    protections = of_type(state, PROTECTION)
    assert protections and all(subscription["urn"] in p["dependencies"] for p in protections)
    assert {p["provider"] for p in protections} == {subscription["provider"]}


def test_designations_wait_for_the_security_accounts_detection(org: dict[str, Any]) -> None:
    security = org["outputs"]["securityAccountId"]
    providers = {
        r["urn"]: r
        for r in of_type(org, "pulumi:providers:aws")
        if security in r["inputs"].get("allowedAccountIds", "")
    }
    enablers = [
        r
        for kind in ("aws:guardduty/detector:Detector", "aws:securityhub/account:Account")
        for r in of_type(org, kind)
        if r["provider"] in providers
    ]
    assert len(enablers) == 4  # the two self-enabling services in two regions
    designations = [
        r
        for kind in (
            "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
            "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
            "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount",
        )
        for r in of_type(org, kind)
    ]
    assert len(designations) == 6
    for designation in designations:
        region = designation["inputs"]["region"]
        same_region = {e["urn"] for e in enablers if e["region"] == region}
        assert same_region <= set(designation["dependencies"]), designation["name"]


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_each_tenant_zone_is_created_in_its_account_and_delegated_by_the_org_stack(
    org: dict[str, Any], stack: str
) -> None:
    tenant = synth(stack)
    zone_id = org["outputs"]["tenantZoneIds"][stack]
    account = org["outputs"]["tenantAccountIds"][stack]
    (zone,) = [z for z in of_type(org, "aws:route53/zone:Zone") if z["outputs"]["zoneId"] == zone_id]
    provider = next(r for r in of_type(org, "pulumi:providers:aws") if r["urn"] == zone["provider"])
    assert json.loads(provider["inputs"]["allowedAccountIds"]) == [account]
    spec = tenant_spec(stack)
    assert zone["inputs"]["name"] == spec["domainName"]
    (delegation,) = [
        r
        for r in of_type(org, "aws:route53/record:Record")
        if r["inputs"]["type"] == "NS" and r["inputs"]["name"] == spec["domainName"]
    ]
    assert delegation["inputs"]["zoneId"] == spec["hostedZoneId"]  # the parent zone
    assert delegation["inputs"]["records"] == zone["outputs"]["nameServers"]
    # the management account (the default provider) holds the parent zone
    assert delegation["provider"].rsplit("::", 1)[-1].startswith("default")
    # the entry point's certificate validation and alias records go into the tenant's own zone
    records = [
        r
        for r in of_type(tenant, "aws:route53/record:Record")
        if "tenant-zone:edge:EdgeProtection" in r["urn"]
    ]
    assert records and {r["inputs"]["zoneId"] for r in records} == {zone_id}


def tenant_spec(stack: str) -> dict[str, Any]:
    from tests.stacks.shipped import stack_config

    return dict(stack_config(stack)["tenant-zone:tenant"])


def test_backup_vault_creation_is_allowed_to_administrators_through_backup_only(acme: dict[str, Any]) -> None:
    keys = of_type(acme, "aws:kms/key:Key")
    assert len(keys) == 2
    for key in keys:
        region = key["region"]
        statements = {s["Sid"]: s for s in json.loads(key["inputs"]["policy"])["Statement"]}
        creation = statements["BackupVaultCreationForAdministrators"]
        assert sorted(creation["Action"]) == [
            "kms:Decrypt",
            "kms:DescribeKey",
            "kms:GenerateDataKey",
            "kms:RetireGrant",
        ]
        assert creation["Condition"] == {"StringEquals": {"kms:ViaService": f"backup.{region}.amazonaws.com"}}
        grant = statements["BackupVaultGrantForAdministrators"]
        assert grant["Action"] == ["kms:CreateGrant"] and creation["Principal"] == grant["Principal"]
        deny = statements["DenyCryptographyToAdministrators"]
        assert deny["Condition"]["StringNotEquals"] == {"kms:ViaService": f"backup.{region}.amazonaws.com"}


def test_the_security_account_aggregates_findings_and_configuration(org: dict[str, Any]) -> None:
    (findings,) = of_type(org, "aws:securityhub/findingAggregator:FindingAggregator")
    assert findings["region"] == "ap-northeast-1"
    assert findings["inputs"] == {"linkingMode": "SPECIFIED_REGIONS", "specifiedRegions": ["ap-northeast-3"]}
    (config,) = of_type(org, "aws:cfg/configurationAggregator:ConfigurationAggregator")
    assert config["inputs"]["organizationAggregationSource"]["regions"] == [
        "ap-northeast-1",
        "ap-northeast-3",
    ]
    security = org["outputs"]["securityAccountId"]
    for aggregator in (findings, config):
        provider = next(r for r in of_type(org, "pulumi:providers:aws") if r["urn"] == aggregator["provider"])
        assert json.loads(provider["inputs"]["allowedAccountIds"]) == [security]


GD_ORG = "aws:guardduty/organizationConfiguration:OrganizationConfiguration"
GD_ORG_FEATURE = "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature"
INSPECTOR_ORG = "aws:inspector2/organizationConfiguration:OrganizationConfiguration"
MEMBER_SELF_ENABLERS = (
    "aws:guardduty/detector:Detector",
    "aws:securityhub/account:Account",
    "aws:inspector2/enabler:Enabler",
)


def _provider_account(state: dict[str, Any], resource: dict[str, Any]) -> list[str]:
    provider = next(r for r in of_type(state, "pulumi:providers:aws") if r["urn"] == resource["provider"])
    # a provider with the caller's own credentials (the management account's) names no account
    return list(json.loads(provider["inputs"].get("allowedAccountIds", "[]")))


def test_the_security_account_auto_enables_guardduty_and_inspector_in_every_member(
    org: dict[str, Any],
) -> None:
    security = org["outputs"]["securityAccountId"]
    designations = {
        (kind, r["inputs"]["region"]): r["urn"]
        for kind in (
            "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
            "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount",
        )
        for r in of_type(org, kind)
    }
    members = sorted([org["outputs"]["logArchiveAccountId"], *org["outputs"]["tenantAccountIds"].values()])
    detectors = org["outputs"]["guardDutyDetectorIds"]["security"]
    for region in ("ap-northeast-1", "ap-northeast-3"):
        (guardduty,) = [r for r in of_type(org, GD_ORG) if r["region"] == region]
        assert guardduty["inputs"]["autoEnableOrganizationMembers"] == "ALL"  # existing members too
        assert guardduty["inputs"]["detectorId"] == detectors[region]
        assert _provider_account(org, guardduty) == [security]
        guardduty_designation = designations[
            ("aws:guardduty/organizationAdminAccount:OrganizationAdminAccount", region)
        ]
        assert guardduty_designation in guardduty["dependencies"]
        features = {
            r["inputs"]["name"]: r["inputs"]["autoEnable"]
            for r in of_type(org, GD_ORG_FEATURE)
            if r["region"] == region
        }
        assert features == {"S3_DATA_EVENTS": "ALL", "EBS_MALWARE_PROTECTION": "ALL"}
        (inspector,) = [r for r in of_type(org, INSPECTOR_ORG) if r["region"] == region]
        assert inspector["inputs"]["autoEnable"] == {"ec2": True, "ecr": True, "lambda": True}
        inspector_designation = designations[
            ("aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount", region)
        ]
        assert inspector_designation in inspector["dependencies"]
        # auto-enable reaches only accounts that join later: the administrator activates the existing ones
        (activation,) = [
            r
            for r in of_type(org, "aws:inspector2/enabler:Enabler")
            if r["region"] == region and _provider_account(org, r) == [security]
        ]
        assert sorted(activation["inputs"]["accountIds"]) == sorted([security, *members])
        assert inspector_designation in activation["dependencies"]


def test_security_hub_is_centrally_configured_for_the_whole_organization(org: dict[str, Any]) -> None:
    (organization,) = of_type(org, "aws:securityhub/organizationConfiguration:OrganizationConfiguration")
    assert organization["inputs"]["organizationConfiguration"] == {"configurationType": "CENTRAL"}
    (aggregator,) = of_type(org, "aws:securityhub/findingAggregator:FindingAggregator")
    assert aggregator["urn"] in organization["dependencies"]  # central configuration needs the home region
    (policy,) = of_type(org, "aws:securityhub/configurationPolicy:ConfigurationPolicy")
    assert policy["inputs"]["configurationPolicy"]["serviceEnabled"] is True
    assert any(
        "aws-foundational-security-best-practices" in arn
        for arn in policy["inputs"]["configurationPolicy"]["enabledStandardArns"]
    )
    (association,) = of_type(
        org, "aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation"
    )
    assert association["inputs"]["targetId"] == org["outputs"]["rootId"]  # every account, management included
    assert association["inputs"]["policyId"] == policy["id"]


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_member_accounts_create_nothing_that_auto_enable_would_collide_with(stack: str) -> None:
    state = synth(stack)
    for kind in MEMBER_SELF_ENABLERS:
        assert of_type(state, kind) == [], kind
    # AWS Config has no organization auto-enable: each account still records in both regions
    statuses = of_type(state, "aws:cfg/recorderStatus:RecorderStatus")
    assert sorted(r["region"] for r in statuses) == ["ap-northeast-1", "ap-northeast-3"]


def test_the_log_archive_account_is_a_member_like_the_tenants(org: dict[str, Any]) -> None:
    log_archive = org["outputs"]["logArchiveAccountId"]
    in_log_archive = [
        r
        for kind in MEMBER_SELF_ENABLERS
        for r in of_type(org, kind)
        if _provider_account(org, r) == [log_archive]
    ]
    assert in_log_archive == []


def test_the_ebs_default_key_is_usable_by_ec2_auto_scaling_and_malware_scanning(acme: dict[str, Any]) -> None:
    # https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html
    account = acme["outputs"]["accountId"]
    defaults = {r["inputs"]["keyArn"] for r in of_type(acme, "aws:ebs/defaultKmsKey:DefaultKmsKey")}
    keys = [k for k in of_type(acme, "aws:kms/key:Key") if k["outputs"]["arn"] in defaults]
    assert len(keys) == 2
    for key in keys:
        region = key["region"]
        statements = {s["Sid"]: s for s in json.loads(key["inputs"]["policy"])["Statement"]}
        ec2 = statements["EbsThroughEc2ForTheAccount"]
        assert ec2["Condition"] == {
            "StringEquals": {"kms:ViaService": f"ec2.{region}.amazonaws.com", "kms:CallerAccount": account}
        }
        assert {"kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"} <= set(ec2["Action"])
        scaling = (
            f"arn:aws:iam::{account}:role/aws-service-role/autoscaling.amazonaws.com/"
            "AWSServiceRoleForAutoScaling"
        )
        use = statements["AutoScalingServiceLinkedRoleUse"]
        grants = statements["AutoScalingServiceLinkedRoleGrants"]
        assert use["Condition"] == {"ArnEquals": {"aws:PrincipalArn": scaling}}
        assert sorted(use["Action"]) == sorted(
            ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        )
        assert grants["Action"] == ["kms:CreateGrant"]
        assert grants["Condition"]["Bool"] == {"kms:GrantIsForAWSResource": "true"}
        malware = statements["GuardDutyMalwareProtectionGrants"]
        assert malware["Condition"]["ArnEquals"]["aws:PrincipalArn"].endswith(
            "/malware-protection.guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDutyMalwareProtection"
        )
        assert malware["Condition"]["Bool"] == {"kms:GrantIsForAWSResource": "true"}
        # administrators stay away from plaintext through EC2 too: the deny spares AWS Backup only
        deny = statements["DenyCryptographyToAdministrators"]
        assert deny["Effect"] == "Deny"
        assert deny["Condition"]["StringNotEquals"] == {"kms:ViaService": f"backup.{region}.amazonaws.com"}


def _tenant_baseline_scp(org: dict[str, Any]) -> dict[str, Any]:
    (scp,) = [
        r
        for r in of_type(org, "aws:organizations/policy:Policy")
        if r["inputs"]["name"] == "tz-protect-tenant-baseline"
    ]
    return {s["Sid"]: s for s in json.loads(scp["inputs"]["content"])["Statement"]}


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_the_tenant_baseline_scp_covers_the_stacks_web_acl_and_buckets(
    org: dict[str, Any], stack: str
) -> None:
    statements = _tenant_baseline_scp(org)
    tenant = synth(stack)
    web_acl = statements["IAM03ProtectWebAcl"]
    assert "wafv2:UpdateWebACL" in web_acl["Action"]
    (acl,) = of_type(tenant, "aws:wafv2/webAcl:WebAcl")
    assert any(fnmatchcase(acl["outputs"]["arn"], pattern) for pattern in web_acl["Resource"])
    buckets = statements["IAM03ProtectBuckets"]
    assert {
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketVersioning",
        "s3:PutReplicationConfiguration",
        "s3:PutEncryptionConfiguration",
    } <= set(buckets["Action"])
    arns = [b["outputs"]["arn"] for b in of_type(tenant, "aws:s3/bucket:Bucket")]
    assert len(arns) == 4  # data and uploads, in Tokyo and their Osaka replicas
    for arn in arns:
        assert any(fnmatchcase(arn, pattern) for pattern in buckets["Resource"]), arn
    # the platform's deployment role and break-glass stay able to change them
    for statement in (web_acl, buckets):
        assert statement["Condition"]["ArnNotLike"]["aws:PrincipalArn"] == [
            "arn:aws:iam::*:role/OrganizationAccountAccessRole",
            "arn:aws:iam::*:role/tenant-zone/tz-break-glass",
        ]


def test_the_bucket_pattern_leaves_ordinary_tenant_buckets_alone(org: dict[str, Any]) -> None:
    (pattern,) = _tenant_baseline_scp(org)["IAM03ProtectBuckets"]["Resource"]
    assert not fnmatchcase("arn:aws:s3:::acme-prod-reports", pattern)
    assert not fnmatchcase("arn:aws:s3:::acme-prod-data-523606519280-use1", pattern)


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_account_guardrails_keep_buckets_and_snapshots_private(stack: str) -> None:
    state = synth(stack)
    (block,) = of_type(state, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock")
    assert all(
        block["inputs"][k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls")
    )
    assert block["inputs"]["restrictPublicBuckets"] is True
    snapshots = of_type(state, "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess")
    assert sorted((r["region"], r["inputs"]["state"]) for r in snapshots) == [
        ("ap-northeast-1", "block-all-sharing"),
        ("ap-northeast-3", "block-all-sharing"),
    ]
    analyzers = of_type(state, "aws:accessanalyzer/analyzer:Analyzer")
    assert sorted((r["region"], r["inputs"]["type"]) for r in analyzers) == [
        ("ap-northeast-1", "ACCOUNT"),
        ("ap-northeast-3", "ACCOUNT"),
    ]
    account = state["outputs"]["accountId"]
    for resource in (block, *snapshots, *analyzers):
        assert _provider_account(state, resource) == [account]


def test_the_region_deny_spares_the_billing_consoles(org: dict[str, Any]) -> None:
    (scp,) = [
        r for r in of_type(org, "aws:organizations/policy:Policy") if r["inputs"]["name"] == "tz-deny-regions"
    ]
    statements = {s["Sid"]: s for s in json.loads(scp["inputs"]["content"])["Statement"]}
    spared = set(statements["RES01DenyOutsideJapan"]["NotAction"])
    assert {"billing:*", "payments:*", "tax:*", "invoicing:*"} <= spared


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_vpc_endpoints_admit_the_organizations_principals_only(org: dict[str, Any], stack: str) -> None:
    endpoints = of_type(synth(stack), "aws:ec2/vpcEndpoint:VpcEndpoint")
    assert len(endpoints) == 5  # S3, DynamoDB, KMS, STS, Logs
    organization = org["outputs"]["organizationId"]
    for endpoint in endpoints:
        statements = {s["Sid"]: s for s in json.loads(endpoint["inputs"]["policy"])["Statement"]}
        assert statements["OrganizationPrincipalsOnly"]["Condition"] == {
            "StringEquals": {"aws:PrincipalOrgID": organization}
        }
        assert statements["AwsServicesActingForThem"]["Condition"] == {
            "Bool": {"aws:PrincipalIsAWSService": "true"}
        }
        unconditioned = {sid for sid, s in statements.items() if "Condition" not in s}
        # only STS lets the unsigned role assumptions through, and S3 reads of AWS-owned buckets (patching,
        # image layers); nothing else goes without a condition
        if endpoint["inputs"]["serviceName"].endswith(".s3"):
            assert unconditioned == {"AwsOwnedBucketsForPatchingAndImages"}
            reads = statements["AwsOwnedBucketsForPatchingAndImages"]
            assert reads["Action"] == "s3:GetObject"
            assert all(arn.startswith("arn:aws:s3:::") and arn.endswith("/*") for arn in reads["Resource"])
        elif endpoint["inputs"]["serviceName"].endswith(".sts"):
            assert unconditioned == {"UnsignedRoleAssumption"}
            assert statements["UnsignedRoleAssumption"]["Action"] == [
                "sts:AssumeRoleWithSAML",
                "sts:AssumeRoleWithWebIdentity",
            ]
        else:
            assert unconditioned == set()


def _policy_of(state: dict[str, Any], bucket: dict[str, Any]) -> dict[str, dict[str, Any]]:
    [policy] = [
        p for p in of_type(state, "aws:s3/bucketPolicy:BucketPolicy") if p["inputs"]["bucket"] == bucket["id"]
    ]
    return {s["Sid"]: s for s in json.loads(policy["inputs"]["policy"])["Statement"]}


def test_the_log_archive_account_holds_the_flow_log_and_waf_log_buckets(org: dict[str, Any]) -> None:
    outputs = org["outputs"]
    buckets = {b["outputs"]["arn"]: b for b in of_type(org, "aws:s3/bucket:Bucket")}
    flow, waf = buckets[outputs["logArchiveFlowLogBucketArn"]], buckets[outputs["logArchiveWafLogBucketArn"]]
    # WAF refuses destinations named otherwise: https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html
    assert waf["inputs"]["bucket"].startswith("aws-waf-logs-")
    archive = outputs["logArchiveAccountId"]
    tenants = sorted(outputs["tenantAccountIds"].values())
    for bucket in (flow, waf):
        assert _provider_account(org, bucket) == [archive]
        assert bucket["region"] == "ap-northeast-1"
    key = next(
        k for k in of_type(org, "aws:kms/key:Key") if k["outputs"]["arn"] == outputs["logDeliveryKeyArn"]
    )
    assert _provider_account(org, key) == [archive]
    key_statements = {s["Sid"]: s for s in json.loads(key["inputs"]["policy"])["Statement"]}
    # https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
    encrypt = key_statements["LogDeliveryEncrypt"]
    assert encrypt["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
    assert encrypt["Condition"]["StringEquals"]["aws:SourceAccount"] == tenants
    write = _policy_of(org, flow)["LogDeliveryWrite"]
    assert write["Condition"]["StringEquals"]["s3:x-amz-acl"] == "bucket-owner-full-control"
    assert write["Condition"]["StringEquals"]["aws:SourceAccount"] == tenants
    assert (
        _policy_of(org, waf)["WafLogRolesWrite"]["Condition"]["StringEquals"]["aws:PrincipalAccount"]
        == tenants
    )


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_tenant_flow_logs_and_waf_logs_are_delivered_to_the_log_archive(
    org: dict[str, Any], stack: str
) -> None:
    state = synth(stack)
    outputs = org["outputs"]
    vpc_ids = {v["id"] for v in of_type(state, "aws:ec2/vpc:Vpc")}
    archived = [
        f["inputs"]
        for f in of_type(state, "aws:ec2/flowLog:FlowLog")
        if f["inputs"]["logDestinationType"] == "s3"
    ]
    assert [(f["vpcId"], f["logDestination"], f["trafficType"]) for f in archived] == [
        (vpc_id, outputs["logArchiveFlowLogBucketArn"], "ALL") for vpc_id in vpc_ids
    ]
    # A web ACL logs to one destination; WAF writes only to its own account's buckets, so a Firehose stream
    # of the tenant account carries the logs into the archive bucket.
    [logging] = of_type(state, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")
    streams = {
        s["outputs"]["arn"]: s
        for s in of_type(state, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")
    }
    [stream] = [streams[arn] for arn in logging["inputs"]["logDestinationConfigs"]]
    assert stream["inputs"]["name"].startswith("aws-waf-logs-")
    assert stream["inputs"]["serverSideEncryption"]["enabled"] is True
    s3 = stream["inputs"]["extendedS3Configuration"]
    assert s3["bucketArn"] == outputs["logArchiveWafLogBucketArn"]
    assert s3["kmsKeyArn"] == outputs["logDeliveryKeyArn"]
    account = state["outputs"]["accountId"]
    assert s3["prefix"] == f"AWSLogs/{account}/WAFLogs/"
    # The archive bucket admits the stream's role by its ARN pattern.
    [role] = [r for r in of_type(state, "aws:iam/role:Role") if r["outputs"]["arn"] == s3["roleArn"]]
    waf_bucket = next(
        b
        for b in of_type(org, "aws:s3/bucket:Bucket")
        if b["outputs"]["arn"] == outputs["logArchiveWafLogBucketArn"]
    )
    pattern = _policy_of(org, waf_bucket)["WafLogRolesWrite"]["Condition"]["ArnLike"]["aws:PrincipalArn"]
    assert fnmatchcase(role["outputs"]["arn"], pattern)


ALB_LOG_BUCKETS = "logArchiveAlbLogBuckets"


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_tenant_load_balancers_write_access_logs_to_the_log_archive_under_their_stack(
    org: dict[str, Any], stack: str
) -> None:
    state = synth(stack)
    outputs = org["outputs"]
    [alb] = of_type(state, "aws:lb/loadBalancer:LoadBalancer")
    region = alb["region"]
    assert alb["inputs"]["accessLogs"] == {
        "bucket": outputs[ALB_LOG_BUCKETS][region],
        "enabled": True,
        "prefix": stack,
    }
    # ELB writes only to a bucket of the load balancer's Region, owned here by the log-archive account.
    [bucket] = [
        b
        for b in of_type(org, "aws:s3/bucket:Bucket")
        if b["inputs"]["bucket"] == outputs[ALB_LOG_BUCKETS][region]
    ]
    assert bucket["region"] == region
    assert _provider_account(org, bucket) == [outputs["logArchiveAccountId"]]
    account = state["outputs"]["accountId"]
    write = _policy_of(org, bucket)["ElbAccessLogDelivery"]
    assert f"{bucket['outputs']['arn']}/{stack}/AWSLogs/{account}/*" in write["Resource"]


def test_the_log_archive_has_an_sse_s3_access_log_bucket_in_each_japanese_region(org: dict[str, Any]) -> None:
    outputs = org["outputs"]
    names = outputs[ALB_LOG_BUCKETS]
    assert sorted(names) == ["ap-northeast-1", "ap-northeast-3"]
    sse = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    by_bucket = {c["inputs"]["bucket"]: c["inputs"]["rules"] for c in of_type(org, sse)}
    # SSE-S3 only: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
    for name in names.values():
        assert by_bucket[name][0]["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    # every other bucket of the org stack stays on a customer managed key
    others = [rules for bucket, rules in by_bucket.items() if bucket not in names.values()]
    assert others and all(
        r[0]["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms" for r in others
    )


def test_the_cmk_rule_fails_exactly_the_access_log_buckets_that_the_waivers_accept(tmp_path: Path) -> None:
    from tenantctl.gate import check_program
    from tests.stacks.shipped import PROGRAM

    empty = tmp_path / "waivers.yaml"
    empty.write_text("waivers: []\n", encoding="utf-8")
    result = check_program(PROGRAM, "org", waivers_file=empty)
    found = sorted((v.rule, v.name) for v in result.violations)
    assert found == [
        ("s3_bucket_kms_encryption", "alb-access-logs-apne1-bucket-encryption"),
        ("s3_bucket_kms_encryption", "alb-access-logs-apne3-bucket-encryption"),
    ]
    waivers = yaml.safe_load((PROGRAM / "waivers.yaml").read_text(encoding="utf-8"))["waivers"]
    assert sorted((w["rule"], w["resource"]) for w in waivers if w.get("stack") == "org") == found


@pytest.mark.parametrize("stack", ["acme-prod", "beta-prod"])
def test_mail_records_go_into_zones_the_org_stack_created_in_the_tenant_account(
    org: dict[str, Any], stack: str
) -> None:
    tenant = synth(stack)
    spec = tenant_spec(stack)
    account = org["outputs"]["tenantAccountIds"][stack]
    zones = {z["outputs"]["zoneId"]: z for z in of_type(org, "aws:route53/zone:Zone")}
    delegations = {
        r["inputs"]["name"]: r
        for r in of_type(org, "aws:route53/record:Record")
        if r["inputs"]["type"] == "NS"
    }
    records = [
        r for r in of_type(tenant, "aws:route53/record:Record") if "tenant-zone:mail:MailDomain" in r["urn"]
    ]
    assert len(records) == 7  # verification, three DKIM, MAIL FROM MX and SPF, DMARC
    used = set()
    for record in records:
        zone = zones[record["inputs"]["zoneId"]]
        name = zone["inputs"]["name"]
        # the zone is the tenant account's, and the record lies at or below its name
        assert _provider_account(org, zone) == [account], record["name"]
        assert record["inputs"]["name"] == name or record["inputs"]["name"].endswith(f".{name}")
        # delegated from the parent zone by the management account
        delegation = delegations[name]
        assert delegation["inputs"]["records"] == zone["outputs"]["nameServers"]
        assert delegation["provider"].rsplit("::", 1)[-1].startswith("default")
        used.add((name, delegation["inputs"]["zoneId"]))
    mail = spec["mail"]
    if "parentZoneId" in mail:  # the mail domain's own zone, delegated from the zone above it
        assert used == {(mail["domain"], mail["parentZoneId"])}
    else:  # the mail domain is the parent zone's own: the names below it are delegated
        assert mail["hostedZoneId"] == spec["hostedZoneId"]
        assert used == {
            (f"{label}.{mail['domain']}", spec["hostedZoneId"])
            for label in ("_amazonses", "_domainkey", "mail", "_dmarc")
        }
    # the tenant stack acts in the tenant account only
    providers = of_type(tenant, "pulumi:providers:aws")
    assert {p["inputs"]["allowedAccountIds"] for p in providers} == {json.dumps([account])}


PLATFORM_EXEMPT = {
    "ArnNotLike": {
        "aws:PrincipalArn": [
            "arn:aws:iam::*:role/OrganizationAccountAccessRole",
            "arn:aws:iam::*:role/tenant-zone/tz-break-glass",
        ]
    }
}


def _as_list(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def _denies(statement: dict[str, Any], action: str, arn: str) -> bool:
    """The statement denies the action on the resource (its condition aside)."""
    resources = statement["Resource"]
    patterns = [resources] if isinstance(resources, str) else resources
    return action in statement["Action"] and any(fnmatchcase(arn, pattern) for pattern in patterns)


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_the_tenant_baseline_scp_keeps_the_account_guardrails_on(org: dict[str, Any], stack: str) -> None:
    statements = _tenant_baseline_scp(org)
    account_wide = statements["IAM03ProtectAccountGuardrails"]
    assert account_wide["Resource"] == "*"
    assert {
        "s3:PutAccountPublicAccessBlock",
        "ec2:DisableSnapshotBlockPublicAccess",
        "ec2:EnableSnapshotBlockPublicAccess",
        "ec2:DisableEbsEncryptionByDefault",
    } <= set(account_wide["Action"])
    analyzer = statements["IAM03ProtectAccessAnalyzer"]
    arns = [a["outputs"]["arn"] for a in of_type(synth(stack), "aws:accessanalyzer/analyzer:Analyzer")]
    assert len(arns) == 2
    for arn in arns:
        assert _denies(analyzer, "access-analyzer:DeleteAnalyzer", arn), arn
        for action in ("CreateArchiveRule", "UpdateArchiveRule"):
            assert _denies(analyzer, f"access-analyzer:{action}", f"{arn}/archive-rule/hide-findings"), arn
        assert _denies(analyzer, "access-analyzer:ApplyArchiveRule", arn), arn
    for statement in (account_wide, analyzer):
        assert statement["Condition"] == PLATFORM_EXEMPT


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_the_tenant_baseline_scp_keeps_the_waf_ip_sets_and_logging_as_deployed(
    org: dict[str, Any], stack: str
) -> None:
    statements = _tenant_baseline_scp(org)
    tenant = synth(stack)
    ip_sets = of_type(tenant, "aws:wafv2/ipSet:IpSet")
    assert sorted(s["inputs"]["tags"]["purpose"] for s in ip_sets) == ["allow-list", "deny-list"]
    for ip_set in ip_sets:
        for action in ("wafv2:UpdateIPSet", "wafv2:DeleteIPSet"):
            assert _denies(statements["IAM03ProtectIpSets"], action, ip_set["outputs"]["arn"]), action
    # no other web ACL can be put in front of the entry point's ALB
    (association,) = of_type(tenant, "aws:wafv2/webAclAssociation:WebAclAssociation")
    (alb,) = [
        r
        for r in of_type(tenant, "aws:lb/loadBalancer:LoadBalancer")
        if r["id"] == association["inputs"]["resourceArn"]
    ]
    assert _denies(statements["IAM03ProtectEntryPointAcl"], "wafv2:AssociateWebACL", alb["outputs"]["arn"])
    (logging,) = of_type(tenant, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")
    assert _denies(
        statements["IAM03ProtectWebAcl"], "wafv2:PutLoggingConfiguration", logging["inputs"]["resourceArn"]
    )
    (destination,) = logging["inputs"]["logDestinationConfigs"]
    (stream,) = of_type(tenant, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")
    assert stream["outputs"]["arn"] == destination
    assert destination.startswith("arn:aws:firehose:ap-northeast-1:")
    for action in (
        "firehose:DeleteDeliveryStream",
        "firehose:UpdateDestination",
        "firehose:StopDeliveryStreamEncryption",
        "firehose:StartDeliveryStreamEncryption",
        "firehose:PutRecordBatch",
    ):
        assert _denies(statements["IAM03ProtectWafLogStream"], action, destination), action
    for sid in (
        "IAM03ProtectEntryPointAcl",
        "IAM03ProtectIpSets",
        "IAM03ProtectWebAcl",
        "IAM03ProtectWafLogStream",
    ):
        assert statements[sid]["Condition"] == PLATFORM_EXEMPT, sid


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_only_the_deployment_role_creates_or_changes_roles_the_archive_trusts_by_path(
    org: dict[str, Any], stack: str
) -> None:
    (scp,) = [
        r
        for r in of_type(org, "aws:organizations/policy:Policy")
        if r["inputs"]["name"] == "tz-protect-baseline"
    ]
    roles = {s["Sid"]: s for s in json.loads(scp["inputs"]["content"])["Statement"]}[
        "IAM03ProtectBaselineRoles"
    ]
    assert roles["Condition"] == {
        "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrganizationAccountAccessRole"}
    }
    # every role pattern the log archive's bucket policies trust lies under the protected path
    trusted = [
        pattern
        for policy in of_type(org, "aws:s3/bucketPolicy:BucketPolicy")
        for statement in json.loads(policy["inputs"]["policy"])["Statement"]
        for pattern in _as_list(statement.get("Condition", {}).get("ArnLike", {}).get("aws:PrincipalArn"))
        if "/tenant-zone/" in pattern
    ]
    assert trusted
    for pattern in trusted:
        assert _denies(roles, "iam:CreateRole", pattern), pattern
    # a role the baseline creates there cannot be re-trusted or given permissions by the tenant either
    baseline_roles = [
        r
        for r in of_type(synth(stack), "aws:iam/role:Role")
        if r["inputs"]["path"].startswith("/tenant-zone/")
    ]
    assert baseline_roles
    for role in baseline_roles:
        arn = role["outputs"]["arn"]
        for action in (
            "iam:CreateRole",
            "iam:UpdateAssumeRolePolicy",
            "iam:PutRolePolicy",
            "iam:AttachRolePolicy",
        ):
            assert _denies(roles, action, arn), (action, arn)


@pytest.mark.parametrize("stack", TENANT_STACKS)
def test_the_default_network_acl_keeps_ssh_and_rdp_inside_the_vpc(stack: str) -> None:
    state = synth(stack)
    (vpc,) = of_type(state, "aws:ec2/vpc:Vpc")
    (acl,) = of_type(state, "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl")
    ingress = sorted(acl["inputs"]["ingress"], key=lambda r: r["ruleNo"])
    for port in (22, 3389):
        deciding = [
            (r["action"], r["cidrBlock"])
            for r in ingress
            if r["protocol"] == "-1" or r["fromPort"] <= port <= r["toPort"]
        ]
        # the VPC's own CIDR first, the rest of the internet denied, then the allow-all no longer applies
        assert deciding == [
            ("allow", vpc["inputs"]["cidrBlock"]),
            ("deny", "0.0.0.0/0"),
            ("allow", "0.0.0.0/0"),
        ], port


def test_the_data_perimeter_is_rendered_with_the_organization_and_attached_to_both_environments(
    org: dict[str, Any],
) -> None:
    (scp,) = [
        r
        for r in of_type(org, "aws:organizations/policy:Policy")
        if r["inputs"]["name"] == "tz-data-perimeter"
    ]
    statements = {s["Sid"]: s for s in json.loads(scp["inputs"]["content"])["Statement"]}
    writes = statements["IAM03DenyS3WritesOutsideOrganization"]
    assert {"s3:PutObject", "s3:ReplicateObject"} <= set(writes["Action"])
    assert writes["Condition"] == {
        "StringNotEqualsIfExists": {"aws:ResourceOrgID": org["outputs"]["organizationId"]}
    }
    assert statements["IAM03DenyEbsSnapshotSharing"]["Condition"] == {"Null": {"ec2:Add/userId": "false"}}
    assert "rds:ModifyDBSnapshotAttribute" in statements["IAM03DenyImageAndDbSnapshotSharing"]["Action"]
    attached = {
        a["inputs"]["targetId"]
        for a in of_type(org, "aws:organizations/policyAttachment:PolicyAttachment")
        if a["inputs"]["policyId"] == scp["id"]
    }
    ous = {
        o["inputs"]["name"]: o["id"]
        for o in of_type(org, "aws:organizations/organizationalUnit:OrganizationalUnit")
    }
    assert attached == {ous["Prod"], ous["NonProd"]}
