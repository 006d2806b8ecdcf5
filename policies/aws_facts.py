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
