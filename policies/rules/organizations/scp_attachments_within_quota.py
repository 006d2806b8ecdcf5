"""No root, OU or account gets more SCPs than Organizations allows (DEP-01).

At most five service control policies can be attached directly to one root, OU or account, and AWS's own
``FullAWSAccess`` (``p-FullAWSAccess``), attached to every target by default, is one of them. The sixth
``AttachPolicy`` fails with ``ConstraintViolationException``, reason ``POLICY_NUMBER_LIMIT_EXCEEDED``. A
program that does not detach ``FullAWSAccess`` itself has it counted; attachments of tag or backup policies do
not count."""

from __future__ import annotations

from collections.abc import Iterator

from policies.aws_facts import FULL_AWS_ACCESS_POLICY_ID, SCP_MAX_PER_TARGET
from policies.framework import Failure, NotApplicable, StackRule, StackView
from policies.rules._common.unknowns import require_known

ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment"
POLICY = "aws:organizations/policy:Policy"
SCP = "SERVICE_CONTROL_POLICY"


class ScpAttachmentsWithinQuota(StackRule):
    id = "scp_attachments_within_quota"
    description = (
        "At most five SCPs are attached to any one root, OU or account, counting the default FullAWSAccess."
    )
    remediation = (
        "Merge guardrails that go to the same target into one SCP, or attach some one level up or down the OU"
        " tree (for example on the Prod and NonProd OUs instead of their parent)."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        attachments = list(stack.of_type(ATTACHMENT))
        if not attachments:
            raise NotApplicable("the stack attaches no policy")
        by_target: dict[str, list[str]] = {}
        first_attachment: dict[str, str] = {}
        for attachment in attachments:
            policies = stack.referenced(attachment, "policyId", POLICY)
            if policies and all((p.props.get("type") or SCP) != SCP for p in policies):
                continue
            policy_id = str(require_known(attachment.props.get("policyId"), "policyId"))
            target = str(require_known(attachment.props.get("targetId"), "targetId"))
            by_target.setdefault(target, []).append(policies[0].name if policies else policy_id)
            first_attachment.setdefault(target, attachment.urn)
        for target, names in sorted(by_target.items()):
            explicit = sorted(n for n in names if n != FULL_AWS_ACCESS_POLICY_ID)
            count = len(explicit) + 1  # FullAWSAccess: attached by default unless the program detaches it
            if count > SCP_MAX_PER_TARGET:
                yield Failure(
                    f"{count} SCPs would be attached to target {target} ({', '.join(explicit)} and "
                    "FullAWSAccess), which Organizations refuses (ConstraintViolationException "
                    "POLICY_NUMBER_LIMIT_EXCEEDED)",
                    f"at most {SCP_MAX_PER_TARGET} SCPs per root, OU or account, FullAWSAccess included",
                    first_attachment[target],
                )
