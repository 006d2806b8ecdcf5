"""The provider's Check defaults reach the synth's inputs (what the analyzer sees), only where the program
left the input unset, and only for the types and fields the table covers."""

from __future__ import annotations

from pathlib import Path

import pulumi_aws as aws
import pytest

from tenantctl.synth import synthesize
from tenantctl.synth.check_defaults import DEFAULTS, apply, coverage
from tenantctl.synth.typeinfo import type_info

PROGRAM = """
import pulumi_aws as aws

aws.kms.Key("plain")
aws.kms.Key("signing", key_usage="SIGN_VERIFY", customer_master_key_spec="ECC_NIST_P256")
aws.sqs.Queue("jobs", fifo_queue=True, name="jobs.fifo")
aws.s3.Bucket("data")
"""


def test_every_defaulted_field_is_an_input_of_its_type() -> None:
    assert aws  # the SDK whose input names the table uses
    for type_, (_, fields) in DEFAULTS.items():
        assert set(fields) <= set(type_info(type_).inputs), type_


def test_defaults_fill_only_what_the_program_left_unset() -> None:
    assert apply("aws:sqs/queue:Queue", {"fifoQueue": True}) == {
        "fifoQueue": True,
        "contentBasedDeduplication": False,
    }
    assert apply("aws:s3/bucket:Bucket", {"bucket": "b"}) == {"bucket": "b"}  # not covered: unchanged
    assert coverage()["aws:kms/key:Key"] == [
        "bypassPolicyLockoutSafetyCheck",
        "customerMasterKeySpec",
        "enableKeyRotation",
        "isEnabled",
        "keyUsage",
    ]


@pytest.fixture
def program(tmp_path: Path) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: defaults\nruntime: python\n", encoding="utf-8")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  aws:region: ap-northeast-1\n", encoding="utf-8")
    (tmp_path / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    return tmp_path


def test_the_synth_inputs_carry_the_defaults(program: Path) -> None:
    inputs = {r["name"]: r["inputs"] for r in synthesize(program, "dev")["resources"]}
    assert inputs["plain"] == {
        "bypassPolicyLockoutSafetyCheck": False,
        "customerMasterKeySpec": "SYMMETRIC_DEFAULT",
        "enableKeyRotation": False,
        "isEnabled": True,
        "keyUsage": "ENCRYPT_DECRYPT",
    }
    assert (inputs["signing"]["keyUsage"], inputs["signing"]["customerMasterKeySpec"]) == (
        "SIGN_VERIFY",
        "ECC_NIST_P256",
    )
    assert inputs["jobs"]["fifoQueue"] is True
    assert inputs["jobs"]["contentBasedDeduplication"] is False
    assert "forceDestroy" not in inputs["data"]  # a type the table does not cover stays as written
