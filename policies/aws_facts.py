"""What AWS itself accepts: quotas, identifier formats and the behaviour of its APIs, each with its
documentation.

The one home of these facts: the components (``components.scps``, ``components.naming``) build within them and
the deployability rules (the DEP family, ``policies/catalog/DEP-*.yaml``) judge any program against them.
Nothing here imports the Pulumi SDK, so the CrossGuard pack and the offline gate can load it."""

from __future__ import annotations

import re

# --- AWS Organizations quotas: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
# "Maximum size of a policy document ... Service control policies: 5,120 characters"; exceeding it fails
# CreatePolicy / UpdatePolicy with ConstraintViolationException, reason POLICY_CONTENT_LIMIT_EXCEEDED.
SCP_MAX_CHARS = 5120
# "Maximum number of policies attached to a root, OU, or account ... SCPs: 5", FullAWSAccess included (it is
# attached to every root, OU and account by default); one more fails AttachPolicy with
# ConstraintViolationException, reason POLICY_NUMBER_LIMIT_EXCEEDED.
SCP_MAX_PER_TARGET = 5
FULL_AWS_ACCESS_POLICY_ID = "p-FullAWSAccess"

# --- Availability zones a NEW account gets:
# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html Zone names map to
# zone IDs per account. In Tokyo, apne1-az3 (ap-northeast-1b in the accounts that have it) is not offered to
# new accounts, which see ap-northeast-1a, 1c and 1d only; Osaka has 3a, 3b and 3c. A subnet in another zone
# fails CreateSubnet with "InvalidParameterValue: Value (ap-northeast-1b) for parameter availabilityZone is
# invalid. Subnets can currently only be created in the following availability zones: ...".
NEW_ACCOUNT_AZS: dict[str, tuple[str, ...]] = {
    "ap-northeast-1": ("ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"),
    "ap-northeast-3": ("ap-northeast-3a", "ap-northeast-3b", "ap-northeast-3c"),
}

# --- Application Load Balancer access logs:
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
# "The only server-side encryption option that's supported is Amazon S3-managed keys (SSE-S3)": a bucket
# encrypted by default with a customer managed key receives no access logs. The bucket must be in the load
# balancer's Region. In Regions available before August 2022, the bucket policy grants s3:PutObject to the
# Elastic Load Balancing account of the Region (``arn:aws:iam::<elb-account-id>:root``) on
# ``<bucket>/<prefix>/AWSLogs/<load balancer owner account>/*``; the service principal
# ``logdelivery.elasticloadbalancing.amazonaws.com`` is for Regions opened since. Both Japanese Regions are
# older, so they use the account IDs the page lists.
ELB_LOG_DELIVERY_ACCOUNTS: dict[str, str] = {
    "ap-northeast-1": "582318560864",  # Asia Pacific (Tokyo)
    "ap-northeast-3": "383597477331",  # Asia Pacific (Osaka)
}
ELB_ACCESS_LOG_SSE_ALGORITHM = "AES256"

# --- Shield Advanced: https://docs.aws.amazon.com/waf/latest/DDOSAPIReference/API_CreateProtection.html
# The resource ARN formats CreateProtection accepts; any other fails with InvalidResourceException
# ("Unable to find or validate the resource"). An Elastic IP is named by its allocation, not by the
# ``elastic-ip/`` ARN that EC2 reports.
SHIELD_PROTECTABLE_ARNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Application Load Balancer",
        re.compile(r"^arn:aws:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/app/[^/]+/[^/]+$"),
    ),
    (
        "Classic Load Balancer",
        re.compile(r"^arn:aws:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/[^/]+$"),
    ),
    ("CloudFront distribution", re.compile(r"^arn:aws:cloudfront::\d{12}:distribution/[A-Z0-9]+$")),
    ("Route 53 hosted zone", re.compile(r"^arn:aws:route53:::hostedzone/[A-Z0-9]+$")),
    (
        "Global Accelerator standard accelerator",
        re.compile(r"^arn:aws:globalaccelerator::\d{12}:accelerator/[0-9a-f-]+$"),
    ),
    (
        "Elastic IP allocation",
        re.compile(r"^arn:aws:ec2:[a-z0-9-]+:\d{12}:eip-allocation/eipalloc-[0-9a-f]+$"),
    ),
)
# CreateProtection in an account without a subscription fails with ResourceNotFoundException ("The
# subscription does not exist."):
# https://docs.aws.amazon.com/waf/latest/DDOSAPIReference/API_CreateSubscription.html
SHIELD_SUBSCRIPTION_TYPE = "aws:shield/subscription:Subscription"

# --- Delegated administrators that switch their service on in the designated account and region. GuardDuty:
# https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html ("GuardDuty gets enabled
# automatically only in the designated AWS Region"); Security Hub:
# https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-settingup.html ("Security Hub is
# enabled automatically for the chosen account"). The program's own enablement in that account, if it runs
# after the designation, fails: GuardDuty CreateDetector with BadRequestException "The request is rejected
# because a detector already exists for the current account", Security Hub EnableSecurityHub with
# ResourceConflictException "Account is already subscribed to Security Hub". designation type -> (its account
# property, the enabling resource types in the designated account)
SELF_ENABLING_DESIGNATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount": (
        "adminAccountId",
        ("aws:guardduty/detector:Detector",),
    ),
    "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount": (
        "adminAccountId",
        ("aws:securityhub/account:Account",),
    ),
}

# --- Amazon Inspector Enable: https://docs.aws.amazon.com/inspector/v2/APIReference/API_Enable.html
# ``accountIds``: "Array Members: Minimum number of 0 items. Maximum number of 100 items." A longer list fails
# the call with ValidationException before any account is enabled.
INSPECTOR_ENABLE_MAX_ACCOUNTS = 100

# --- KMS CreateKey's policy lockout safety check:
# https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key and
# https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html (BypassPolicyLockoutSafetyCheck): a
# policy that does not let the calling principal make a later PutKeyPolicy request fails with
# MalformedPolicyDocumentException "The new key policy will not allow you to update the key policy in the
# future."
KEY_POLICY_CHANGE_ACTION = "kms:PutKeyPolicy"

# --- CloudWatch Logs encryption with a customer managed key:
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html: the key policy must
# allow the regional service principal logs.<region>.amazonaws.com kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*,
# kms:GenerateDataKey*, kms:Describe*; otherwise CreateLogGroup / AssociateKmsKey fails with
# AccessDeniedException "The specified KMS key does not exist or is not allowed to be used with Arn ...".
LOGS_KEY_ACTIONS: tuple[str, ...] = ("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey")

# --- Global condition keys:
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
# The Service Authorization Reference (``policies.iam_definitions``) lists each service's own keys but none
# of these, except the tag keys. ``${...}`` stands for any text. A Condition naming a key that does not exist
# never matches the request: IAM Access Analyzer's policy validation reports it as "Invalid global condition
# key" (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html), and
# in a Deny with a positive operator it switches the statement off without any error.
GLOBAL_CONDITION_KEYS: tuple[str, ...] = (
    # principal
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalOrgID",
    "aws:PrincipalTag/${TagKey}",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:PrincipalType",
    "aws:userid",
    "aws:username",
    # role session
    "aws:AssumedRoot",
    "aws:FederatedProvider",
    "aws:TokenIssueTime",
    "aws:MultiFactorAuthAge",
    "aws:MultiFactorAuthPresent",
    "aws:ChatbotSourceArn",
    "aws:Ec2InstanceSourceVpc",
    "aws:Ec2InstanceSourcePrivateIPv4",
    "aws:SourceIdentity",
    # network
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpcArn",
    "aws:SourceVpce",
    "aws:VpcSourceIp",
    # resource
    "aws:ResourceAccount",
    "aws:ResourceOrgPaths",
    "aws:ResourceOrgID",
    "aws:ResourceTag/${TagKey}",
    # request
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "aws:ViaAWSService",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:Referer",
    "aws:RequestedRegion",
    "aws:RequestTag/${TagKey}",
    "aws:TagKeys",
    "aws:SecureTransport",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:UserAgent",
)
# Claims every web identity (OIDC) provider's condition keys may name, ``<issuer>:<claim>``, besides the
# provider-specific ones the Service Authorization Reference lists under sts:
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
OIDC_COMMON_CLAIMS: frozenset[str] = frozenset({"amr", "aud", "azp", "email", "id", "oaud", "sub"})

# --- AWS WAF web ACL capacity units (WCUs):
# https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html
# A web ACL's capacity is the sum of its rules' WCUs; AWS WAF refuses CreateWebACL / UpdateWebACL above the
# maximum with WAFInvalidParameterException ("You exceeded the capacity limit for a rule group or web
# ACL"). The first 1,500 WCUs are included in the web ACL's price; every further 500 WCUs raise the price of
# each request inspected.
WAF_WEB_ACL_MAX_WCU = 5000
WAF_WEB_ACL_INCLUDED_WCU = 1500
# Base WCUs of the match statements (camelCase, as Pulumi writes them):
# https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statements-match.html and the statement pages
# it links. Logical statements (and, or, not) cost what they nest; a rate-based statement costs 2 plus its
# scope-down statement.
WAF_STATEMENT_WCU: dict[str, int] = {
    "geoMatchStatement": 1,
    "asnMatchStatement": 1,
    "ipSetReferenceStatement": 1,
    "labelMatchStatement": 1,
    "sizeConstraintStatement": 1,
    "regexMatchStatement": 3,
    "regexPatternSetReferenceStatement": 25,
    "sqliMatchStatement": 20,
    "xssMatchStatement": 40,
    "rateBasedStatement": 2,
}
# String match: EXACTLY, STARTS_WITH and ENDS_WITH cost 2; CONTAINS and CONTAINS_WORD cost 10.
# https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-string-match.html
WAF_BYTE_MATCH_WCU: dict[str, int] = {
    "EXACTLY": 2,
    "STARTS_WITH": 2,
    "ENDS_WITH": 2,
    "CONTAINS": 10,
    "CONTAINS_WORD": 10,
}
# SQL injection at sensitivity HIGH costs 30 instead of 20:
# https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-sqli-match.html
WAF_SQLI_HIGH_SENSITIVITY_WCU = 30
# An IP set matched on a forwarded-IP header at position ANY costs 4 more:
# https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-ipset-match.html
WAF_IP_SET_ANY_POSITION_EXTRA_WCU = 4
# For the statements that inspect a request component: each text transformation adds 10, the component
# "all query parameters" adds 10, and the JSON body doubles the base cost.
WAF_TEXT_TRANSFORMATION_WCU = 10
WAF_ALL_QUERY_ARGUMENTS_WCU = 10
# The published capacity of AWS Managed Rules groups, by (vendor, name), recorded 2026-12-01 from
# https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html (each group's page
# gives "WCU: <n>"); DescribeManagedRuleGroup returns the same figure as Capacity. A group not listed here is
# not assumed to be small: the capacity rule cannot decide a web ACL that uses it.
WAF_MANAGED_RULE_GROUP_WCU: dict[tuple[str, str], int] = {
    ("AWS", "AWSManagedRulesCommonRuleSet"): 700,
    ("AWS", "AWSManagedRulesAdminProtectionRuleSet"): 100,
    ("AWS", "AWSManagedRulesKnownBadInputsRuleSet"): 200,
    ("AWS", "AWSManagedRulesSQLiRuleSet"): 200,
    ("AWS", "AWSManagedRulesLinuxRuleSet"): 200,
    ("AWS", "AWSManagedRulesUnixRuleSet"): 100,
    ("AWS", "AWSManagedRulesWindowsRuleSet"): 200,
    ("AWS", "AWSManagedRulesPHPRuleSet"): 100,
    ("AWS", "AWSManagedRulesWordPressRuleSet"): 100,
    ("AWS", "AWSManagedRulesAmazonIpReputationList"): 25,
    ("AWS", "AWSManagedRulesAnonymousIpList"): 50,
    ("AWS", "AWSManagedRulesBotControlRuleSet"): 50,
    ("AWS", "AWSManagedRulesATPRuleSet"): 50,
    ("AWS", "AWSManagedRulesACFPRuleSet"): 50,
}
