"""No IAM users, access keys or user credentials: people sign in through SSO and workloads use roles (IAM-01).

Fails in every stack, the org stack included: long-lived user credentials are
what the control forbids, wherever they would be created. Groups and group
policies alone grant nobody anything, so only memberships of users count.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView, as_list

USER_RESOURCES = {
    "aws:iam/user:User": "is an IAM user",
    "aws:iam/accessKey:AccessKey": "is an IAM access key (long-lived credentials)",
    "aws:iam/userLoginProfile:UserLoginProfile": "is a console password for an IAM user",
    "aws:iam/userPolicy:UserPolicy": "grants an IAM user an inline policy",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "attaches a policy to an IAM user",
    "aws:iam/userPoliciesExclusive:UserPoliciesExclusive": "manages an IAM user's inline policies",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": (
        "manages an IAM user's policy attachments"
    ),
    "aws:iam/userGroupMembership:UserGroupMembership": "puts an IAM user into groups",
    "aws:iam/groupMembership:GroupMembership": "puts IAM users into a group",
    "aws:iam/sshKey:SshKey": "is an SSH key of an IAM user",
    "aws:iam/serviceSpecificCredential:ServiceSpecificCredential": (
        "is a service-specific credential of an IAM user"
    ),
    "aws:iam/signingCertificate:SigningCertificate": "is a signing certificate of an IAM user",
}
POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
EXPECTED = "no IAM users or user credentials (IAM Identity Center for people, roles for workloads)"


class IamNoUsersOrKeys(ResourceRule):
    id = "iam_no_users_or_keys"
    resource_types = frozenset({*USER_RESOURCES, POLICY_ATTACHMENT})
    description = (
        "No IAM users, access keys, login profiles or other user credentials, and no policies granted to"
        " users."
    )
    remediation = (
        "Remove the IAM user resources: give people access through IAM Identity Center permission sets "
        "and workloads through roles (instance profiles, task roles, OIDC federation)."
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        if resource.type == POLICY_ATTACHMENT:
            users = [str(u) for u in as_list(resource.props.get("users"))]
            if users:
                yield Failure(f"attaches a policy to IAM user(s) {', '.join(users)}", EXPECTED)
            return
        yield Failure(USER_RESOURCES[resource.type], EXPECTED)
