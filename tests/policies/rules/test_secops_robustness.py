"""No input shape crashes the logging/detection/backup/IAM/mail rules.

A rule that raises anything but NotApplicable (or a preview unknown) stops the whole gate with a
GateError, so raw programs with odd shapes (strings where objects belong, lists of anything, numbers
as strings, nested garbage) must get a verdict, never a crash. Hypothesis builds such properties from
the wire names the rules read.
"""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.framework import NotApplicable, ResourceRule
from policies.registry import get_rule
from tests.rulekit import resource, stack

KEYS = [
    "AWS",
    "Action",
    "NotAction",
    "Condition",
    "Effect",
    "Principal",
    "Resource",
    "Sid",
    "Statement",
    "Bool",
    "aws:MultiFactorAuthPresent",
    "sts:ExternalId",
    "StringEquals",
    "arn",
    "assumeRolePolicy",
    "bucket",
    "changeableForDays",
    "conditions",
    "copyActions",
    "data-classification",
    "datasources",
    "date",
    "days",
    "defaultRetention",
    "destinationVaultArn",
    "detectorId",
    "domain",
    "email",
    "emailIdentity",
    "enable",
    "enableDefaultStandards",
    "enableLogFileValidation",
    "enabled",
    "environment",
    "eventBusName",
    "eventPattern",
    "expiration",
    "id",
    "imageScanningConfiguration",
    "imageTagMutability",
    "includeGlobalServiceEvents",
    "inlinePolicies",
    "isEnabled",
    "isMultiRegionTrail",
    "isOrganizationTrail",
    "key",
    "kmsKeyId",
    "kmsMasterKeyId",
    "lifecycle",
    "deleteAfter",
    "lifecycleRules",
    "mailFromDomain",
    "managed-by",
    "managedPolicyArns",
    "minRetentionDays",
    "mode",
    "name",
    "noncurrentDays",
    "noncurrentVersionExpiration",
    "objectLockConfiguration",
    "objectLockEnabled",
    "planId",
    "policy",
    "policyArn",
    "policyArns",
    "protectedResource",
    "purpose",
    "records",
    "region",
    "resourceTypes",
    "retentionInDays",
    "role-type",
    "rule",
    "ruleName",
    "rules",
    "s3BucketName",
    "s3Bucket",
    "bucketName",
    "s3Logs",
    "schedule",
    "selectionTags",
    "standardsArn",
    "state",
    "status",
    "stringEquals",
    "tags",
    "targetVaultName",
    "taskArn",
    "taskInvocationParameters",
    "runCommandParameters",
    "parameters",
    "taskType",
    "tenant",
    "topic",
    "type",
    "users",
    "value",
    "values",
    "windowId",
    "years",
    "zoneId",
    "source",
    "detail",
    "severity",
    "numeric",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 4000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(
        [
            "",
            "*",
            "true",
            "false",
            "ENABLED",
            "COMPLIANCE",
            "TXT",
            "v=DMARC1; p=none",
            "cron(0 1 * * ? *)",
            "rate(2 days)",
            "sts:AssumeRole",
            "arn:aws:backup:us-east-1:1:backup-vault:x",
            "[",
            "{}",
            "Allow",
        ]
    ),
    st.text(max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
    ),
    max_leaves=12,
)
PROPS = st.dictionaries(st.sampled_from(KEYS), VALUES | VALUES.map(json.dumps), max_size=6)

TYPES = [
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:cloudtrail/trail:Trail",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:guardduty/detector:Detector",
    "aws:guardduty/detectorFeature:DetectorFeature",
    "aws:guardduty/malwareProtectionPlan:MalwareProtectionPlan",
    "aws:securityhub/account:Account",
    "aws:securityhub/standardsSubscription:StandardsSubscription",
    "aws:cfg/recorderStatus:RecorderStatus",
    "aws:cloudwatch/eventRule:EventRule",
    "aws:cloudwatch/eventTarget:EventTarget",
    "aws:sns/topic:Topic",
    "aws:sns/topicSubscription:TopicSubscription",
    "aws:inspector2/enabler:Enabler",
    "aws:ecr/repository:Repository",
    "aws:ssm/maintenanceWindow:MaintenanceWindow",
    "aws:ssm/maintenanceWindowTask:MaintenanceWindowTask",
    "aws:backup/plan:Plan",
    "aws:backup/selection:Selection",
    "aws:backup/vault:Vault",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    "aws:iam/policy:Policy",
    "aws:iam/role:Role",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:iam/user:User",
    "aws:ses/domainIdentity:DomainIdentity",
    "aws:sesv2/emailIdentity:EmailIdentity",
    "aws:ses/mailFrom:MailFrom",
    "aws:route53/record:Record",
]
RULES = [
    "tags_required",
    "org_trail",
    "trail_bucket_object_lock",
    "log_group_retention",
    "guardduty_detector",
    "detection_both_regions",
    "upload_malware_protection",
    "incident_routing",
    "inspector_scanning",
    "ecr_scan_immutable",
    "patch_baseline_monthly",
    "backup_plan_daily",
    "backup_selection_by_tenant_tag",
    "backup_copy_osaka",
    "backup_vault_lock",
    "iam_no_admin_policy",
    "iam_no_users_or_keys",
    "iam_human_role_mfa",
    "ses_mail_authentication",
    "dmarc_policy",
]
RESOURCES = st.lists(st.tuples(st.sampled_from(TYPES), PROPS), min_size=1, max_size=6)


def _verdict(rule_id, views, stack_name):
    rule = get_rule(rule_id)
    try:
        if isinstance(rule, ResourceRule):
            return [list(rule.evaluate(v)) for v in views if rule.applies_to(v.type)]
        return list(rule.evaluate(stack(*views, name=stack_name)))
    except NotApplicable:
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RESOURCES, st.sampled_from(["acme-prod", "org", "test"]))
def test_no_rule_crashes_on_odd_shapes(resources, stack_name):
    views = [resource(t, f"r{i}", props, stack=stack_name) for i, (t, props) in enumerate(resources)]
    for rule_id in RULES:
        _verdict(rule_id, views, stack_name)
