"""DynamoDB tables use a tenant key, not the AWS-owned default (ENC-01).

Without ``serverSideEncryption`` (or with it disabled) DynamoDB encrypts with an
AWS-owned key; enabled without ``kmsKeyArn`` it uses the AWS-managed
``aws/dynamodb`` key. Global-table replicas name their own regional key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from policies.framework import Failure, ResourceRule, ResourceView, as_list, dig, truthy
from policies.rules._common.values import shown
from policies.rules._data.keys import CUSTOMER_KEY, key_problem

TABLE = "aws:dynamodb/table:Table"
TABLE_REPLICA = "aws:dynamodb/tableReplica:TableReplica"
EXPECTED = f"serverSideEncryption {{enabled true, kmsKeyArn {CUSTOMER_KEY}}}"


class DynamodbKmsEncryption(ResourceRule):
    id = "dynamodb_kms_encryption"
    description = (
        "DynamoDB tables and their replicas are encrypted with a customer-managed key of the tenant."
    )
    remediation = (
        "Set server_side_encryption={'enabled': True, 'kms_key_arn': <tenant key ARN>} on the table, and "
        "kms_key_arn on every replica (the key of the replica's region)."
    )
    resource_types = frozenset({TABLE, TABLE_REPLICA})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        if resource.type == TABLE_REPLICA:
            problem = key_problem(
                resource,
                "kmsKeyArn",
                resource.props.get("kmsKeyArn"),
                absent="the AWS-managed key aws/dynamodb is used",
            )
            if problem:
                yield Failure(problem, f"kmsKeyArn {CUSTOMER_KEY}")
            return
        sse = resource.props.get("serverSideEncryption")
        enabled = dig(sse, "enabled")
        if not truthy(enabled):
            state = "not set" if sse is None else f"enabled {shown(enabled)}"
            yield Failure(f"serverSideEncryption is {state} (the table uses an AWS-owned key)", EXPECTED)
            return
        problem = key_problem(
            resource,
            "serverSideEncryption.kmsKeyArn",
            dig(sse, "kmsKeyArn"),
            absent="the AWS-managed key aws/dynamodb is used",
        )
        if problem:
            yield Failure(problem, EXPECTED)
        for index, replica in enumerate(as_list(resource.props.get("replicas"))):
            if isinstance(replica, Mapping):
                problem = key_problem(
                    resource,
                    f"replicas[{index}].kmsKeyArn",
                    replica.get("kmsKeyArn"),
                    absent="the replica uses the AWS-managed key",
                )
                if problem:
                    yield Failure(
                        problem, f"every replica's kmsKeyArn {CUSTOMER_KEY} in the replica's region"
                    )
