"""JSON documents given as dicts (as pulumi_aws allows) come back from the mocks as JSON text, as the
provider returns them: the program runs, its outputs are strings, and the synth stays deterministic."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tenantctl.synth import synthesize, to_text
from tenantctl.synth.conform import conform
from tenantctl.synth.wire import UNKNOWN, secret
from tests.tenantctl.synth.conftest import by_name

PROGRAM = """\
import json

import pulumi
import pulumi_aws as aws

trust = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}
role = aws.iam.Role(
    "role",
    assume_role_policy=trust,
    inline_policies=[
        {
            "name": "read",
            "policy": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "MaxKeys": 5}],
            },
        }
    ],
)
bucket = aws.s3.Bucket("bucket")
policy = aws.s3.BucketPolicy(
    "policy",
    bucket=bucket.id,
    policy=bucket.arn.apply(
        lambda arn: {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [arn, arn + "/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    ),
)
as_text = aws.iam.Policy("as-text", policy=json.dumps({"Version": "2012-10-17", "Statement": []}))

# what a program does with the provider's answer: read it back as JSON
pulumi.export("trust", role.assume_role_policy.apply(lambda text: json.loads(text)["Statement"][0]["Action"]))
pulumi.export("bucketPolicy", policy.policy)
pulumi.export(
    "inline", role.inline_policies.apply(lambda items: [type(item.policy).__name__ for item in items])
)
pulumi.export("asText", as_text.policy)
"""


def write_program(program: Path) -> Path:
    (program / "Pulumi.yaml").write_text("name: documents\nruntime: python\n", encoding="utf-8")
    (program / "Pulumi.dev.yaml").write_text("config:\n  aws:region: ap-northeast-1\n", encoding="utf-8")
    (program / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    return program


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return synthesize(write_program(tmp_path_factory.mktemp("documents")), "dev")


def test_a_dict_policy_is_returned_as_sorted_json_text(synth: dict[str, Any]) -> None:
    role = by_name(synth, "role", "aws:iam/role:Role")
    assert isinstance(role["inputs"]["assumeRolePolicy"], dict)  # the inputs stay as the program sent them
    text = role["outputs"]["assumeRolePolicy"]
    assert text == json.dumps(role["inputs"]["assumeRolePolicy"], sort_keys=True)
    assert text.index('"Statement"') < text.index('"Version"')


def test_the_program_can_read_the_document_back(synth: dict[str, Any]) -> None:
    outputs = synth["outputs"]
    assert outputs["trust"] == "sts:AssumeRole"
    bucket_arn = by_name(synth, "bucket", "aws:s3/bucket:Bucket")["outputs"]["arn"]
    assert json.loads(outputs["bucketPolicy"])["Statement"][0]["Resource"] == [bucket_arn, bucket_arn + "/*"]


def test_nested_documents_in_output_types_and_whole_numbers(synth: dict[str, Any]) -> None:
    assert synth["outputs"]["inline"] == ["str"]
    (inline,) = by_name(synth, "role", "aws:iam/role:Role")["outputs"]["inlinePolicies"]
    assert inline["name"] == "read"
    # the wire carries 5 as 5.0; the provider's JSON says 5
    assert '"MaxKeys": 5,' in inline["policy"]


def test_a_policy_already_given_as_text_is_left_alone(synth: dict[str, Any]) -> None:
    policy = by_name(synth, "as-text", "aws:iam/policy:Policy")
    assert "policy" not in policy["outputs"]
    assert synth["outputs"]["asText"] == '{"Version": "2012-10-17", "Statement": []}'


def test_the_synth_is_still_deterministic(
    synth: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    # another directory: nothing is shared with the first run but the process
    program = write_program(tmp_path_factory.mktemp("documents-again"))
    assert to_text(synthesize(program, "dev")) == to_text(synth)


@pytest.mark.parametrize(
    "value, declared, expected",
    [
        ({"b": 1.0, "a": [2.5]}, str, '{"a": [2.5], "b": 1}'),
        (["x"], str, '["x"]'),
        ("already text", str, "already text"),
        ({"k": {"a": 1}}, dict[str, str], {"k": '{"a": 1}'}),
        ([{"a": 1}], list[str], ['{"a": 1}']),
        ({"a": 1}, int, {"a": 1}),
        # a document holding a value unknown in preview is unknown as a whole
        ({"a": UNKNOWN}, str, UNKNOWN),
        # a secret document stays secret, as text
        (secret({"a": 1}), str, secret('{"a": 1}')),
        ({"a": secret("s")}, str, secret('{"a": "s"}')),
    ],
)
def test_conform(value: Any, declared: Any, expected: Any) -> None:
    assert conform(value, declared) == expected


def test_conform_returns_the_same_object_when_nothing_changes() -> None:
    value = {"tags": {"a": "b"}}
    assert conform(value["tags"], dict[str, str]) is value["tags"]
