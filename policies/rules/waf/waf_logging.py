"""Every web ACL logs to an encrypted destination kept at least LOG-02's minimum retention (EDGE-03).

A ``WebAclLoggingConfiguration`` whose ``resourceArn`` names the web ACL must
deliver (``logDestinationConfigs``) to a destination the stack declares and
WAF accepts, named with the ``aws-waf-logs-`` prefix: a CloudWatch log group
with a KMS key and retention of at least that minimum (or never expiring), an
SSE-KMS bucket without an earlier expiry, or an encrypted Firehose stream to
such a bucket.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, StackRule, StackView
from policies.parameters import MIN_LOG_RETENTION_DAYS
from policies.rules._common.unknowns import read, read_items
from policies.rules._net.common import links_of
from policies.rules._net.entry import refers_to
from policies.rules._net.logdest import destinations_of
from policies.rules._net.waf import LOGGING, WEB_ACL

WAF_LOG_PREFIX = "aws-waf-logs-"
EXPECTED_DESTINATION = (
    "a destination of this stack named aws-waf-logs-*, KMS-encrypted and kept at least"
    f" {MIN_LOG_RETENTION_DAYS} days (log group with kmsKeyId and retentionInDays >= {MIN_LOG_RETENTION_DAYS}"
    " or 0)"
)


class WafLogging(StackRule):
    id = "waf_logging"
    description = (
        "Every web ACL has a logging configuration delivering to a KMS-encrypted destination kept >="
        f" {MIN_LOG_RETENTION_DAYS} days."
    )
    remediation = (
        "Add aws.wafv2.WebAclLoggingConfiguration(resource_arn=acl.arn, log_destination_configs=[group.arn])"
        " with a log group named aws-waf-logs-<...>, a customer-managed kms_key_id and retention_in_days >="
        f" {MIN_LOG_RETENTION_DAYS}."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        acls = links.of(WEB_ACL)
        configs = links.of(LOGGING)
        if not acls and not configs:
            raise NotApplicable("the stack declares no web ACL")
        logged: set[str] = set()
        for config in configs:
            logged.update(a.urn for a in refers_to(links, config, "resourceArn", acls))
        for acl in acls:
            if acl.urn not in logged:
                yield Failure(
                    "has no logging configuration",
                    "an aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration with resourceArn"
                    f" naming it and {EXPECTED_DESTINATION}",
                    acl.urn,
                )
        destinations = destinations_of(stack)
        for config in configs:
            values = read_items(read(config.props, "logDestinationConfigs"))
            if not values:
                yield Failure("has no logDestinationConfigs", EXPECTED_DESTINATION, config.urn)
            for value in values:
                destination = destinations.resolve(config, "logDestinationConfigs", value)
                for problem in destinations.problems(destination, name_prefix=WAF_LOG_PREFIX):
                    yield Failure(problem, EXPECTED_DESTINATION, config.urn)
