import json

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import NotApplicable
from tests.policies.rules._fixtures_data import tenant_resource
from tests.rulekit import messages, outcome

RULE = "no_plaintext_secrets"
PARAMETER = "aws:ssm/parameter:Parameter"
FUNCTION = "aws:lambda/function:Function"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
SECRET_ARN = "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:db-AbCdEf"


def function(variables):
    return tenant_resource(
        FUNCTION, "api", {"runtime": "python3.12", "environment": {"variables": variables}}
    )


def task(environment, secrets=()):
    containers = [{"name": "web", "image": "web:1", "environment": environment, "secrets": list(secrets)}]
    return tenant_resource(TASK, "web", {"family": "web", "containerDefinitions": json.dumps(containers)})


def test_pass_compliant_baselines():
    assert (
        outcome(RULE, tenant_resource(PARAMETER, "db", {"name": "/app/db/password", "type": "SecureString"}))
        == "pass"
    )
    assert (
        outcome(
            RULE, tenant_resource(PARAMETER, "tier", {"name": "/app/tier", "type": "String", "value": "gold"})
        )
        == "pass"
    )
    assert (
        outcome(RULE, function({"DB_SECRET_ARN": SECRET_ARN, "STAGE": "prod", "TOKEN_TTL": "300"})) == "pass"
    )
    assert (
        outcome(
            RULE,
            task([{"name": "STAGE", "value": "prod"}], [{"name": "DB_PASSWORD", "valueFrom": SECRET_ARN}]),
        )
        == "pass"
    )


def test_pass_a_credential_named_variable_holding_an_arn_or_nothing():
    assert outcome(RULE, function({"API_KEY": SECRET_ARN, "PASSWORD": ""})) == "pass"


@pytest.mark.parametrize("kind", ["String", "StringList"])
def test_fail_credential_parameter_stored_unencrypted(kind):
    resource = tenant_resource(
        PARAMETER, "db", {"name": "/app/db/password", "type": kind, "value": "hunter2"}
    )
    assert messages(RULE, resource) == [
        f"{PARAMETER} db: parameter /app/db/password looks like a credential but is type {kind} (stored "
        "unencrypted); expected type SecureString with keyId the tenant's customer-managed KMS key. [ENC-04]"
    ]


def test_fail_parameter_named_by_its_resource_name():
    assert messages(
        RULE, tenant_resource(PARAMETER, "stripe-api-key", {"type": "String", "value": "sk"})
    ) == [
        f"{PARAMETER} stripe-api-key: parameter stripe-api-key looks like a credential but is type String"
        " (stored unencrypted); expected type SecureString with keyId the tenant's customer-managed KMS key."
        " [ENC-04]"
    ]


def test_fail_lambda_environment_credential():
    assert messages(
        RULE, function({"stripeApiKey": "sk_live_x", "DB_PASSWORD": "hunter2", "STAGE": "prod"})
    ) == [
        (
            f"{FUNCTION} api: environment variable DB_PASSWORD holds a credential in plain text; expected the"
            " credential in Secrets Manager, the variable holding only its ARN. [ENC-04]"
        ),
        (
            f"{FUNCTION} api: environment variable stripeApiKey holds a credential in plain text; expected"
            " the credential in Secrets Manager, the variable holding only its ARN. [ENC-04]"
        ),
    ]


def test_fail_ecs_container_environment_credential():
    assert messages(RULE, task([{"name": "GITHUB_TOKEN", "value": "ghp_x"}])) == [
        f"{TASK} web: container web sets environment GITHUB_TOKEN to a credential in plain text; expected"
        " GITHUB_TOKEN under the container's secrets, valueFrom a Secrets Manager or SecureString ARN."
        " [ENC-04]"
    ]


def test_na_other_types():
    with pytest.raises(NotApplicable):
        messages(RULE, tenant_resource("aws:sqs/queue:Queue", "q", {}))


def test_unknown_parameter_type_in_preview():
    resource = tenant_resource(
        PARAMETER, "db", {"name": "/app/db/password", "type": UNKNOWN_STRING_VALUE}, preview=True
    )
    assert outcome(RULE, resource) == "unknown"


def test_unparseable_container_definitions_hold_nothing_to_judge():
    resource = tenant_resource(TASK, "web", {"containerDefinitions": "not json"})
    assert outcome(RULE, resource) == "pass"
