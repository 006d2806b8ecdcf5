"""Credentials are not kept in plain text in parameters or environments (ENC-04).

A credential in an SSM ``String`` parameter, a Lambda environment variable or an ECS container's
``environment`` is readable by anyone who can describe the resource (``ssm:GetParameter``,
``lambda:GetFunctionConfiguration``, ``ecs:DescribeTaskDefinition``) and sits in the stack state.
A credential is recognised by its name (password, secret, token, API key, private key, credential,
access key); a value that is an ARN is a reference to where the credential lives, not the credential.
The places for credentials are a ``SecureString`` parameter under the tenant key, Secrets Manager,
or an ECS container's ``secrets``.

AWS: SSM parameter types
https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html ; ECS secrets
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from policies.framework import Failure, ResourceRule, ResourceView, as_list, dig

PARAMETER = "aws:ssm/parameter:Parameter"
FUNCTION = "aws:lambda/function:Function"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"

# Names that say "this is a credential": whole words or word parts, in any case and separator style.
_CREDENTIAL = re.compile(
    r"(pass(word|wd|phrase)?|secret|token|api[-_]?key|private[-_]?key|credential|access[-_]?key|auth[-_]?key)",
    re.IGNORECASE,
)
_NOT_CREDENTIAL = re.compile(r"(_arn|_name|_id|_path|_url|_length|_ttl|_expiry)$", re.IGNORECASE)


def names_a_credential(name: str) -> bool:
    """``DB_PASSWORD``, ``stripeApiKey``, ``/app/prod/token`` -> True; ``SECRET_ARN``, ``TOKEN_TTL`` ->
    False."""
    leaf = name.rstrip("/").rsplit("/", 1)[-1]
    return bool(_CREDENTIAL.search(leaf)) and not _NOT_CREDENTIAL.search(leaf)


def _holds_value(value: Any) -> bool:
    """A literal that could be the credential itself (not empty, not an ARN pointing elsewhere)."""
    return isinstance(value, str) and value.strip() != "" and not value.startswith("arn:")


def _container_definitions(raw: Any) -> list[Any]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    return [c for c in as_list(raw) if isinstance(c, Mapping)]


class NoPlaintextSecrets(ResourceRule):
    id = "no_plaintext_secrets"
    description = (
        "No credential sits in plain text in an SSM String parameter, a Lambda environment variable or an ECS"
        " container environment."
    )
    remediation = (
        "Store the credential in Secrets Manager (or an SSM SecureString parameter with key_id = the tenant"
        " key) and pass its ARN: ECS containerDefinitions `secrets: [{name, valueFrom: <secret ARN>}]`,"
        " Lambda reads it at run time from the ARN in an environment variable such as DB_SECRET_ARN."
    )
    resource_types = frozenset({PARAMETER, FUNCTION, TASK_DEFINITION})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        if resource.type == PARAMETER:
            yield from self._parameter(resource)
        elif resource.type == FUNCTION:
            variables = dig(resource.props, "environment", "variables")
            if isinstance(variables, Mapping):
                for name in sorted(variables):
                    if names_a_credential(str(name)) and _holds_value(variables[name]):
                        yield Failure(
                            f"environment variable {name} holds a credential in plain text",
                            "the credential in Secrets Manager, the variable holding only its ARN",
                        )
        else:
            for container in _container_definitions(resource.props.get("containerDefinitions")):
                for variable in as_list(container.get("environment")):
                    if not isinstance(variable, Mapping):
                        continue
                    name = str(variable.get("name") or "")
                    if names_a_credential(name) and _holds_value(variable.get("value")):
                        yield Failure(
                            f"container {container.get('name')} sets environment {name} to a credential in"
                            " plain text",
                            f"{name} under the container's secrets, valueFrom a Secrets Manager or"
                            " SecureString ARN",
                        )

    @staticmethod
    def _parameter(resource: ResourceView) -> Iterator[Failure]:
        kind = resource.props.get("type")
        name = str(resource.props.get("name") or resource.name)
        if kind in ("String", "StringList") and names_a_credential(name):
            yield Failure(
                f"parameter {name} looks like a credential but is type {kind} (stored unencrypted)",
                "type SecureString with keyId the tenant's customer-managed KMS key",
            )
