"""Programs written elsewhere: every declared output filled, data sources answered as AWS would, the engine's
view."""

from __future__ import annotations

import json
import re
from typing import Any

import pulumi_aws  # noqa: F401 - registers the resource modules the type metadata is read from
import pytest

from tenantctl.cli import main
from tenantctl.errors import UserError
from tenantctl.synth import shapes, synthesize
from tenantctl.synth.awsenv import MANAGEMENT_ACCOUNT, organization_id
from tenantctl.synth.mocks import SynthMocks
from tenantctl.synth.typeinfo import invoke_result_types, type_info
from tests.tenantctl.synth.conftest import DEFAULT_PROVIDER, PROGRAMS, SECRET_SIG, SECRET_VALUE_SIG, by_name

REALWORLD = PROGRAMS / "realworld"
TOKYO = {"region": "ap-northeast-1"}


@pytest.fixture(scope="module")
def realworld() -> dict[str, Any]:
    return synthesize(REALWORLD, "dev")


def test_outputs_programs_read_are_filled_with_realistic_values(realworld: dict[str, Any]) -> None:
    outputs = realworld["outputs"]
    api_id = by_name(realworld, "api")["id"]
    assert outputs["executeApi"] == f"arn:aws:execute-api:ap-northeast-1:{MANAGEMENT_ACCOUNT}:{api_id}/*/*"
    assert outputs["apiEndpoint"] == f"https://{api_id}.execute-api.ap-northeast-1.amazonaws.com"
    assert outputs["stageUrl"].startswith(f"https://{api_id}.execute-api.ap-northeast-1.amazonaws.com/live-")
    assert re.fullmatch(r"https://[0-9a-z]+\.appsync\.ap-northeast-1\.amazonaws\.com", outputs["graphqlUrl"])
    assert outputs["clusterCa"] and outputs["oidcIssuer"].startswith("https://")


def test_every_computed_output_of_every_resource_is_filled(realworld: dict[str, Any]) -> None:
    missing = []
    for resource in realworld["resources"]:
        if not resource["custom"] or resource["type"].startswith("pulumi:providers:"):
            continue
        info = type_info(resource["type"])
        missing += [
            f"{resource['name']}.{p}"
            for p in info.computed - set(resource["outputs"]) - set(resource["inputs"])
        ]
    assert missing == []


def test_optional_inputs_left_out_stay_absent(realworld: dict[str, Any]) -> None:
    # a made-up setting could make a rule pass: only computed outputs are filled
    api = by_name(realworld, "api")
    assert "corsConfiguration" not in api["outputs"] and "body" not in api["outputs"]


def test_values_follow_the_declared_types() -> None:
    where = shapes.Where(
        seed="s", type="aws:eks/cluster:Cluster", name="c", region="ap-northeast-3", account="1"
    )
    types = type_info("aws:eks/cluster:Cluster").types
    assert shapes.value_of(types["identities"], "identities", where) == [
        {"oidcs": [{"issuer": shapes.value_of(str, "issuer", where, "identities[0].oidcs[0].issuer")}]}
    ]
    assert shapes.value_of(bool, "enabled", where) is False
    assert shapes.value_of(int, "count", where) == 0
    assert shapes.value_of(str, "createdAt", where) == shapes.FIXED_TIME
    assert shapes.value_of(str, "roleArn", where).startswith("arn:aws:eks:ap-northeast-3:1:role/c-")


def test_data_sources_answer_consistently_with_the_resources(realworld: dict[str, Any]) -> None:
    outputs = realworld["outputs"]
    assert outputs["organization"] == {
        "id": organization_id(MANAGEMENT_ACCOUNT),
        "root": outputs["organization"]["root"],
        "master": MANAGEMENT_ACCOUNT,
    }
    assert re.fullmatch(r"ami-[0-9a-f]{17}", outputs["ami"]) and re.fullmatch(
        r"ami-[0-9a-f]{17}", outputs["latestAmi"]
    )
    assert re.fullmatch(r"Z[0-9A-Z]{20}", outputs["zone"])
    assert outputs["registry"] == f"https://{MANAGEMENT_ACCOUNT}.dkr.ecr.ap-northeast-1.amazonaws.com"
    assert outputs["defaultVpcCidr"] == "172.31.0.0/16"
    assert outputs["key"].startswith(f"arn:aws:kms:ap-northeast-1:{MANAGEMENT_ACCOUNT}:key/")
    subnets = by_name(realworld, "cluster", "aws:eks/cluster:Cluster")["inputs"]["vpcConfig"]["subnetIds"]
    assert len(subnets) == 3 and all(s.startswith("subnet-") for s in subnets)  # one per zone of Tokyo


def test_every_data_source_returns_its_declared_result_type() -> None:
    mocks = SynthMocks()
    for token in ("aws:ec2/getAmi:getAmi", "aws:route53/getZone:getZone", "aws:s3/getBucket:getBucket",
                  "aws:ecr/getCredentials:getCredentials", "aws:lambda/getFunction:getFunction"):  # fmt: skip
        declared = invoke_result_types(token)
        assert declared is not None
        result = mocks.invoke(
            token, {"bucket": "b", "name": "n", "registryId": "1", "functionName": "f"}, TOKYO
        )
        assert set(declared) <= set(result), token


def test_a_data_source_only_the_account_knows_fails_in_one_line_naming_it_and_the_fix() -> None:
    with pytest.raises(UserError) as caught:
        synthesize(REALWORLD, "dev", overrides=("realworld:private=true",))
    message = str(caught.value)
    assert "\n" not in message
    source = (REALWORLD / "__main__.py").read_text().splitlines()
    line = next(n for n, text in enumerate(source, 1) if 'get_parameter(name="/acme/db")' in text)
    assert (
        message
        == f"data source aws:ssm/getParameter:getParameter (called at __main__.py:{line}): the value of SSM"
        " parameter '/acme/db', which the offline synth cannot know (a gap of the synth, not of the"
        " program); supply its result under the stack config key synth:invokes, for example"
        ' synth:invokes: {"aws:ssm/getParameter:getParameter": {...}} in Pulumi.<stack>.yaml.'
    )


def test_a_fixture_supplies_what_cannot_be_known() -> None:
    assert synthesize(REALWORLD, "fixtures")["outputs"]["db"] == "db.internal"


def test_a_malformed_fixture_is_bad_input() -> None:
    with pytest.raises(UserError, match=r"config key synth:invokes is '\[1\]'; expected an object"):
        synthesize(REALWORLD, "dev", overrides=("synth:invokes=[1]",))


def test_what_the_engine_hands_the_analyzer(realworld: dict[str, Any]) -> None:
    # auto-names are inputs (after the provider's Check), not outputs
    content = by_name(realworld, "site-content")
    assert re.fullmatch(r"site-content-[0-9a-f]{7}", content["inputs"]["bucket"])
    assert "bucket" not in content["outputs"]
    # secrets: plaintext inside the secret wrapper
    assert realworld["outputs"]["token"] == {SECRET_SIG: SECRET_VALUE_SIG, "value": "s3cr3t"}
    # the default provider is named after the plugin version
    assert content["provider"] == f"urn:pulumi:dev::realworld::pulumi:providers:aws::{DEFAULT_PROVIDER}"
    provider = by_name(realworld, DEFAULT_PROVIDER, "pulumi:providers:aws")
    assert "default_" + provider["inputs"]["version"].replace(".", "_") == provider["name"]  # default_7_51_1
    # the root stack carries the exports, a component its registered outputs
    root = by_name(realworld, "realworld-dev")
    assert root["outputs"] == realworld["outputs"]
    assert by_name(realworld, "site")["outputs"] == {"bucketName": content["inputs"]["bucket"]}


def test_remote_components_are_reported_as_not_analysed(capsys: pytest.CaptureFixture[str]) -> None:
    synth = synthesize(REALWORLD, "remote")
    assert synth["notAnalysed"] == [
        {
            "urn": "urn:pulumi:remote::realworld::awsx:ec2:Vpc::network",
            "type": "awsx:ec2:Vpc",
            "package": "awsx",
            "position": None,
            "reason": (
                "component awsx:ec2:Vpc of package awsx is implemented by its provider plugin, which does "
                "not run offline: the resources it would create are not analysed"
            ),
        }
    ]
    assert main(["synth", "--program", str(REALWORLD), "--stack", "remote"]) == 0
    assert "1 component(s) not analysed, their plugins do not run offline: awsx:ec2:Vpc (network)" in (
        capsys.readouterr().err
    )
    assert main(["synth", "--program", str(REALWORLD), "--stack", "remote", "--strict"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("expected none with --strict (drop --strict to accept the gap).") and "\n" not in err
    assert "notAnalysed" not in synthesize(REALWORLD, "dev")
    assert json.dumps(synth)  # the document stays JSON


def test_the_synth_file_keeps_secrets_out_unless_asked(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # The gate judges the plaintext (as the engine's analyzer does); a file written for people and CI
    # artifacts holds it only with --show-secrets, as `pulumi stack export --show-secrets`.
    redacted, shown = tmp_path / "synth.json", tmp_path / "synth-secrets.json"
    assert main(["synth", "--program", str(REALWORLD), "--stack", "dev", "--out", str(redacted)]) == 0
    assert (
        main(["synth", "--program", str(REALWORLD), "--stack", "dev", "--out", str(shown), "--show-secrets"])
        == 0
    )
    assert "s3cr3t" not in redacted.read_text()
    assert json.loads(redacted.read_text())["outputs"]["token"] == {
        SECRET_SIG: SECRET_VALUE_SIG,
        "value": "[secret]",
    }
    assert json.loads(shown.read_text())["outputs"]["token"] == {
        SECRET_SIG: SECRET_VALUE_SIG,
        "value": "s3cr3t",
    }
