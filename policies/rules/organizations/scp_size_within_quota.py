"""An SCP document fits AWS Organizations' size quota (DEP-01).

Organizations refuses a service control policy longer than 5,120 characters (``CreatePolicy`` /
``UpdatePolicy``: ``ConstraintViolationException``, reason ``POLICY_CONTENT_LIMIT_EXCEEDED``). The quota
counts the document as sent, whitespace included, so the length of ``content`` is what AWS measures. Other
policy types (tag, backup, AI opt-out policies) have other quotas and are not judged here."""

from __future__ import annotations

from collections.abc import Iterator

from policies.aws_facts import SCP_MAX_CHARS
from policies.framework import Failure, NotApplicable, ResourceRule, ResourceView
from policies.rules._common.unknowns import require_known

POLICY = "aws:organizations/policy:Policy"
SCP = "SERVICE_CONTROL_POLICY"


class ScpSizeWithinQuota(ResourceRule):
    id = "scp_size_within_quota"
    description = (
        "Every service control policy document is at most 5,120 characters long, as Organizations requires."
    )
    remediation = (
        "Send the SCP as compact JSON (json.dumps(doc, separators=(',', ':'))), merge statements with the"
        " same effect and condition, or split the guardrails into two SCPs attached to different targets."
    )
    resource_types = frozenset({POLICY})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        policy_type = resource.props.get("type") or SCP
        if policy_type != SCP:
            raise NotApplicable(f"a {policy_type} policy, not a service control policy")
        content = require_known(resource.props.get("content"), "content")
        if not isinstance(content, str):
            raise NotApplicable("the policy has no content")
        if len(content) > SCP_MAX_CHARS:
            yield Failure(
                f"content is {len(content):,} characters long, which Organizations refuses "
                "(ConstraintViolationException POLICY_CONTENT_LIMIT_EXCEEDED)",
                f"an SCP document of at most {SCP_MAX_CHARS:,} characters, whitespace included",
            )
