import dataclasses

import pytest

from policies.framework import NotApplicable, StackConfigView
from tests.rulekit import messages, outcome, resource, stack

RULE = "stack_config_secrets"
FILE = "stacks/Pulumi.acme-dev.yaml"
ROOT = "pulumi:pulumi:Stack tenant-zone-acme-prod"
# Shapes only: made-up values in the formats the rule recognises.
ACCESS_KEY_ID = "AKIA" + "EXAMPLE7QUEUE2TEST"[:16]
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def with_config(**values):
    view = stack(resource("aws:sqs/queue:Queue", "jobs", {}))
    return dataclasses.replace(view, config=StackConfigView(file=FILE, values=values))


def expected(key):
    return (
        f"expected the value encrypted with `pulumi config set --secret {key}` (stored as secure:). [ENC-04]"
    )


def test_pass_compliant_baseline_secrets_encrypted_and_plain_settings():
    view = with_config(
        **{
            "aws:region": "ap-northeast-1",
            "app:dbPassword": None,  # secure: in the file
            "app:dbSecretArn": "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:db-AbCdEf",
            "app:settings": {"apiToken": None, "tier": "gold", "digest": "a" * 40},
        }
    )
    assert outcome(RULE, view) == "pass"


def test_fail_credential_named_key_in_plain_text():
    assert messages(RULE, with_config(**{"app:dbPassword": "hunter2"})) == [
        f"{ROOT}: {FILE} stores config key app:dbPassword in plain text (its name dbPassword says it is a "
        f"credential); {expected('app:dbPassword')}"
    ]


def test_fail_nested_credential_in_an_object():
    view = with_config(**{"tenant-zone:tenant": {"id": "acme", "mail": {"smtpPassword": "pw"}}})
    assert messages(RULE, view) == [
        f"{ROOT}: {FILE} stores config key tenant-zone:tenant.mail.smtpPassword in plain text (its name "
        f"smtpPassword says it is a credential); {expected('tenant-zone:tenant')}"
    ]


@pytest.mark.parametrize(
    ("value", "shape"),
    [
        (ACCESS_KEY_ID, "an AWS access key ID"),
        (SECRET_ACCESS_KEY, "an AWS secret access key"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE...", "a private key"),
        ("ghp_" + "x1" * 18, "a GitHub token"),
    ],
)
def test_fail_value_shaped_like_a_credential_under_any_name(value, shape):
    assert messages(RULE, with_config(**{"app:deployUser": value})) == [
        f"{ROOT}: {FILE} stores config key app:deployUser in plain text (its value has the shape of "
        f"{shape}); {expected('app:deployUser')}"
    ]


def test_message_never_shows_the_value():
    (found,) = messages(RULE, with_config(**{"app:apiKey": "sk-very-private-value"}))
    assert "sk-very-private-value" not in found


def test_na_without_a_config_file():
    with pytest.raises(NotApplicable):
        messages(RULE, stack(resource("aws:sqs/queue:Queue", "jobs", {})))
