"""Gaps public example programs ran into: outputs a program indexes (an RDS port, an awsx VPC's subnet lists)
and the outputs of another program's stack (supplied through the stack's config)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenantctl.errors import UserError
from tenantctl.synth import synthesize

PROGRAM = """
import pulumi
import pulumi_aws as aws

db = aws.rds.Instance("db", engine="mysql", instance_class="db.t3.micro", allocated_storage=20)
pg = aws.rds.Instance("pg", engine="postgres", instance_class="db.t3.micro", allocated_storage=20)
pulumi.export("mysqlPort", db.port.apply(lambda p: str(int(p))))
pulumi.export("pgEndpoint", pg.endpoint)


class Vpc(pulumi.ComponentResource):
    # as the awsx SDK declares it: outputs registered as None, filled from the registration's answer
    def __init__(self, name: str, props: dict) -> None:
        outputs = {"isolatedSubnetIds": None, "vpcId": None}
        super().__init__("awsx:ec2:Vpc", name, {**props, **outputs}, remote=True)


specs = [{"name": "private", "type": "Isolated"}, {"name": "tgw", "type": "Isolated"}]
vpc = Vpc("spoke", {"subnetSpecs": specs})
pulumi.export("tgwSubnet", vpc.isolatedSubnetIds.apply(lambda ids: ids[5]))
pulumi.export("subnets", vpc.isolatedSubnetIds.apply(len))

company = pulumi.StackReference("acme/company/prod")
pulumi.export("company", company.get_output("companyName"))
"""

SUPPLIED = """
  synth:stackOutputs:
    acme/company/prod:
      companyName: ACME
"""


@pytest.fixture
def program(tmp_path: Path) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: gaps\nruntime: python\n", encoding="utf-8")
    (tmp_path / "Pulumi.dev.yaml").write_text(
        "config:\n  aws:region: ap-northeast-1\n" + SUPPLIED, encoding="utf-8"
    )
    (tmp_path / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    return tmp_path


def test_example_shapes_synthesize(program: Path) -> None:
    synth = synthesize(program, "dev")
    outputs = synth["outputs"]
    assert outputs["mysqlPort"] == "3306"  # RDS's default port for the engine
    assert outputs["pgEndpoint"].endswith(".ap-northeast-1.rds.amazonaws.com:5432")
    assert outputs["subnets"] == 6  # one subnet per zone (3) for each of the two specs
    assert outputs["tgwSubnet"].startswith("subnet-")
    assert outputs["company"] == "ACME"
    assert [u["type"] for u in synth["notAnalysed"]] == ["awsx:ec2:Vpc"]  # still not analysed


def test_a_reference_to_another_program_without_supplied_outputs_says_how(program: Path) -> None:
    (program / "Pulumi.dev.yaml").write_text("config:\n  aws:region: ap-northeast-1\n", encoding="utf-8")
    with pytest.raises(UserError) as refused:
        synthesize(program, "dev")
    assert "or that stack's outputs in the config key synth:stackOutputs" in str(refused.value)


def test_malformed_supplied_outputs_are_refused(program: Path) -> None:
    (program / "Pulumi.dev.yaml").write_text(
        "config:\n  aws:region: ap-northeast-1\n  synth:stackOutputs: [1]\n", encoding="utf-8"
    )
    with pytest.raises(UserError, match=r"config key synth:stackOutputs is '\[1\]'; expected an object"):
        synthesize(program, "dev")
