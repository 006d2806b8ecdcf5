"""Limits of the AWS APIs the components call: what AWS itself accepts, whatever the controls ask.

Control values (regions, minimum retentions) are not here: they live in the catalog (``policies.parameters``).
"""

from __future__ import annotations

# The retention periods CloudWatch Logs accepts, besides "never expire".
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
CLOUDWATCH_RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip

# The longest retention of a recovery point AWS Backup accepts (100 years).
# https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html
MAX_BACKUP_RETENTION_DAYS = 36500

# A rate-based rule's limit, requests per evaluation window per client address (the minimum was lowered from
# 100 to 10 in August 2024).
# https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
RATE_LIMIT_MIN = 10
RATE_LIMIT_MAX = 2_000_000_000

# The most addresses (CIDR blocks) one WAF IP set holds.
# https://docs.aws.amazon.com/waf/latest/developerguide/limits.html
WAF_IP_SET_MAX_ADDRESSES = 10_000
