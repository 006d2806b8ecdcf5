"""IAM-01 live: no IAM users (and so no access keys) in a tenant account: roles and SSO only."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import IAM_USER
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget


class LiveNoIamUsers(AuditCheck):
    id = "live_no_iam_users"
    description = "The tenant account has no IAM users"
    remediation = "Delete the IAM user (its access keys first); give people SSO access and workloads roles."

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        iam = target.client("iam", target.regions[0])
        for page in iam.get_paginator("list_users").paginate():
            for user in page.get("Users", []):
                yield AuditFailure(
                    IAM_USER,
                    user["UserName"],
                    "is an IAM user",
                    "no IAM users (roles and SSO only)",
                    "",
                    user["Arn"],
                )
