"""Database master credentials live in Secrets Manager under the tenant key, not in the program (ENC-04).

Any master password passed to the resource (plain or as a Pulumi secret, which
the policy runners cannot tell apart once deserialized) lives in the program,
its config and the stack state; ``manageMasterUserPassword`` makes the service
generate it and keep it in Secrets Manager, encrypted with the key named by
``masterUserSecretKmsKeyId``. Replicas and restores inherit their source's
credentials and need neither.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from policies.framework import Failure, ResourceRule, ResourceView, truthy
from policies.rules._data.keys import CUSTOMER_KEY, key_problem


@dataclass(frozen=True)
class _Shape:
    passwords: tuple[str, ...]
    manage: str
    secret_key: str | None  # None: the service has no key option for the managed secret
    inherited: tuple[str, ...]  # inputs that make the resource take its source's credentials


SHAPES: dict[str, _Shape] = {
    "aws:rds/instance:Instance": _Shape(
        ("password", "passwordWo"),
        "manageMasterUserPassword",
        "masterUserSecretKmsKeyId",
        ("replicateSourceDb", "snapshotIdentifier", "restoreToPointInTime", "s3Import"),
    ),
    "aws:rds/cluster:Cluster": _Shape(
        ("masterPassword", "masterPasswordWo"),
        "manageMasterUserPassword",
        "masterUserSecretKmsKeyId",
        (
            "replicationSourceIdentifier",
            "snapshotIdentifier",
            "restoreToPointInTime",
            "s3Import",
            "globalClusterIdentifier",
        ),
    ),
    "aws:docdb/cluster:Cluster": _Shape(
        ("masterPassword", "masterPasswordWo"),
        "manageMasterUserPassword",
        None,
        ("snapshotIdentifier", "restoreToPointInTime", "globalClusterIdentifier"),
    ),
    "aws:redshift/cluster:Cluster": _Shape(
        ("masterPassword", "masterPasswordWo"),
        "manageMasterPassword",
        "masterPasswordSecretKmsKeyId",
        ("snapshotIdentifier", "snapshotArn"),
    ),
}


class NoPlaintextDbPassword(ResourceRule):
    id = "no_plaintext_db_password"
    description = (
        "RDS, Aurora, DocumentDB and Redshift master passwords are generated and kept in Secrets Manager "
        "under the tenant key, never passed in the program."
    )
    remediation = (
        "Remove the password input and set manage_master_user_password=True (Redshift:"
        " manage_master_password=True) with master_user_secret_kms_key_id (Redshift:"
        " master_password_secret_kms_key_id) = the tenant key's ARN."
    )
    resource_types = frozenset(SHAPES)

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        shape = SHAPES[resource.type]
        managed_expected = f"{shape.manage} true" + (
            f" with {shape.secret_key} {CUSTOMER_KEY}" if shape.secret_key else ""
        )
        for prop in shape.passwords:
            if resource.props.get(prop) not in (None, ""):
                yield Failure(
                    f"sets {prop} in the program (the password lives in code, config and state)",
                    managed_expected,
                )
        managed = truthy(resource.props.get(shape.manage))
        if not managed:
            if any(resource.props.get(p) not in (None, "") for p in shape.inherited):
                return  # a replica or restore takes its source's credentials
            yield Failure(
                f"{shape.manage} is not true (the master password is not kept in Secrets Manager)",
                managed_expected,
            )
            return
        if shape.secret_key is not None:
            problem = key_problem(
                resource,
                shape.secret_key,
                resource.props.get(shape.secret_key),
                absent="the secret is encrypted with the AWS-managed key aws/secretsmanager",
            )
            if problem:
                yield Failure(problem, managed_expected)
