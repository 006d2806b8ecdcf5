"""Every action and condition key of every policy document exists (DEP-05).

IAM compares a statement's actions and condition keys with the request as plain strings. An action that no
service defines (``s3:DeleteBuckets``), or a wildcard that matches none (``wafv2:Disasociate*``), is never
matched; a condition key that does not exist is never present in the request. In an SCP ``Deny`` that is a
guardrail silently off: Organizations accepts the policy without a word. S3 rejects a bucket policy with an
unknown action (``MalformedPolicy: Policy has invalid action``); IAM and KMS store the others, and only IAM
Access Analyzer's policy validation (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
would report them.

The actions and service condition keys come from the Service Authorization Reference
(``policies.iam_definitions``), the global ones from ``policies.aws_facts.GLOBAL_CONDITION_KEYS``.
Organizations policies other than SCPs and RCPs (tag, backup, AI opt-out) have their own grammar and are
not judged; neither are documents that are not valid JSON (other rules report those).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping
from typing import Any

from policies import iam_definitions
from policies.framework import Failure, NotApplicable, ResourceRule, ResourceView, as_list
from policies.rules._common.policy_documents import PolicyDocumentError, Statement, load, statements

# type -> the properties holding one policy document
DOCUMENT_PROPERTIES: dict[str, tuple[str, ...]] = {
    "aws:organizations/policy:Policy": ("content",),
    "aws:iam/policy:Policy": ("policy",),
    "aws:iam/rolePolicy:RolePolicy": ("policy",),
    "aws:iam/userPolicy:UserPolicy": ("policy",),
    "aws:iam/groupPolicy:GroupPolicy": ("policy",),
    "aws:iam/role:Role": ("assumeRolePolicy",),
    "aws:kms/key:Key": ("policy",),
    "aws:kms/keyPolicy:KeyPolicy": ("policy",),
    "aws:kms/replicaKey:ReplicaKey": ("policy",),
    "aws:s3/bucketPolicy:BucketPolicy": ("policy",),
    "aws:s3/bucket:Bucket": ("policy",),
    "aws:s3/bucketV2:BucketV2": ("policy",),
    "aws:sns/topic:Topic": ("policy",),
    "aws:sns/topicPolicy:TopicPolicy": ("policy",),
    "aws:sqs/queue:Queue": ("policy",),
    "aws:sqs/queuePolicy:QueuePolicy": ("policy",),
    "aws:ecr/repositoryPolicy:RepositoryPolicy": ("policy",),
    "aws:secretsmanager/secretPolicy:SecretPolicy": ("policy",),
    "aws:secretsmanager/secret:Secret": ("policy",),
    "aws:backup/vaultPolicy:VaultPolicy": ("policy",),
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": ("policy",),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ("policy",),
    "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy": ("policy",),
}
# Organizations policy types written in IAM's grammar (the type defaults to an SCP).
IAM_GRAMMAR_ORG_POLICIES = frozenset({"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"})
ORG_POLICY = "aws:organizations/policy:Policy"


def _action_problem(action: str) -> str | None:
    """None when ``action`` names at least one existing action; else why not."""
    if action.strip() == "*":
        return None
    service, sep, name = action.partition(":")
    if not sep or not service or not name:
        return "has no service prefix (expected <service>:<action>)"
    if "*" in service or "?" in service:
        # A wildcard prefix (``*:Get*``) is rare but valid when it reaches at least one existing action.
        prefixes = [p for p in iam_definitions.services() if fnmatch.fnmatchcase(p, service.lower())]
        if any(iam_definitions.matching_actions(p, name) for p in prefixes):
            return None
        return f"matches no action of any service ({service}:{name})"
    if service.lower() not in iam_definitions.services():
        return f"names the service prefix {service}, which does not exist"
    if iam_definitions.matching_actions(service.lower(), name):
        return None
    if "*" in name or "?" in name:
        return f"matches no action of {service.lower()}"
    return f"is not an action of {service.lower()}"


def _consequence(statement: Statement) -> str:
    if statement.not_action:
        return "so NotAction excludes nothing by it"
    if statement.allows:
        return "so the statement grants nothing by it"
    return "so the Deny never applies to it and the guardrail is silently off"


def document_failures(value: Any, where: str) -> Iterator[Failure]:
    try:
        document = load(value)
    except PolicyDocumentError:
        return
    if document is None:
        return
    expected = f"actions and condition keys that exist ({iam_definitions.data_version()})"
    for statement in statements(document):
        field = "NotAction" if statement.not_action else "Action"
        for action in statement.actions:
            problem = _action_problem(action)
            if problem is not None:
                yield Failure(
                    f"{where} {statement.path_label} {field} {action} {problem}, {_consequence(statement)}",
                    expected,
                )
        for operator, block in statement.condition.items():
            if not isinstance(block, Mapping):
                continue
            for key in block:
                verdict = iam_definitions.condition_key_verdict(str(key))
                if verdict is not None:
                    yield Failure(
                        f"{where} {statement.path_label} Condition {operator} key {key} {verdict}, so it is "
                        "never in a request and the condition never holds as written",
                        expected,
                    )


class PolicyGrammarValid(ResourceRule):
    id = "policy_grammar_valid"
    description = (
        "Every action (wildcards expanded against the service's actions) and every condition key in SCPs, "
        "RCPs, key, bucket, role trust, inline and managed IAM, topic, queue, repository, secret, vault, "
        "event bus and endpoint policies exists in the Service Authorization Reference."
    )
    remediation = (
        "Correct the spelling against the Service Authorization Reference (actions are <service>:<Action>, "
        "condition keys <service>:<Key> or the global aws:<Key>); a wildcard must match at least one action."
    )
    resource_types = frozenset(DOCUMENT_PROPERTIES)

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        props = resource.props
        if resource.type == ORG_POLICY:
            kind = props.get("type") or "SERVICE_CONTROL_POLICY"
            if str(kind) not in IAM_GRAMMAR_ORG_POLICIES:
                raise NotApplicable(f"a {kind} is not written in IAM's policy grammar")
        present = [prop for prop in DOCUMENT_PROPERTIES[resource.type] if props.get(prop)]
        inline = (
            [
                (index, policy)
                for index, policy in enumerate(as_list(props.get("inlinePolicies")))
                if isinstance(policy, Mapping) and policy.get("policy")
            ]
            if resource.type == "aws:iam/role:Role"
            else []
        )
        if not present and not inline:
            raise NotApplicable("it carries no policy document")
        for prop in present:
            yield from document_failures(props.get(prop), prop)
        for index, policy in inline:
            yield from document_failures(policy.get("policy"), f"inlinePolicies[{index}].policy")
