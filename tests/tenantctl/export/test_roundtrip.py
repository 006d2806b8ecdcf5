"""`pulumi preview --json` and `pulumi stack export` documents of a program give the plan its offline
synth gives (the documents are in the CLI's shapes: see fixtures/checkov/roundtrip/record.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tenantctl.export import export, from_synth, read_document
from tenantctl.synth import synthesize
from tenantctl.synth.wire import SECRET_SIG, SIG, redact, secret

PROGRAM = Path(__file__).resolve().parents[2] / "fixtures" / "checkov" / "roundtrip"


@pytest.fixture(scope="module")
def from_synth_plan() -> dict[str, object]:
    return export(from_synth(synthesize(PROGRAM, "dev"))).plan


@pytest.mark.parametrize("kind, file", [("preview", "preview.json"), ("state", "state.json")])
def test_recorded_documents_give_the_synths_plan(
    kind: str, file: str, from_synth_plan: dict[str, object]
) -> None:
    document = read_document(PROGRAM / file, kind)
    assert (document.source, document.stack, document.project) == (kind, "dev", "roundtrip")
    assert export(document).plan == from_synth_plan


def test_the_plan_carries_regions_and_references(from_synth_plan: dict[str, object]) -> None:
    plan = json.loads(json.dumps(from_synth_plan))
    values = {r["address"]: r["values"] for r in plan["planned_values"]["root_module"]["resources"]}
    assert values["aws_sqs_queue.jobs"]["region"] == "ap-northeast-3"
    assert values["aws_s3_bucket.data"]["region"] == "ap-northeast-1"
    expressions = {r["address"]: r["expressions"] for r in plan["configuration"]["root_module"]["resources"]}
    assert expressions["aws_s3_bucket_public_access_block.data-public-access"]["bucket"]["references"] == [
        "aws_s3_bucket.data.id",
        "aws_s3_bucket.data",
    ]


def test_a_preview_that_creates_leaves_unknowns_out(tmp_path: Path) -> None:
    recorded = json.loads((PROGRAM / "preview.json").read_text(encoding="utf-8"))
    for step in recorded["steps"]:
        step["op"] = "create"
        state = step["newState"]
        if state.get("type") == "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
            state["inputs"]["bucket"] = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(recorded), encoding="utf-8")
    plan = export(read_document(path, "preview")).plan
    values = {r["address"]: r["values"] for r in plan["planned_values"]["root_module"]["resources"]}
    assert "bucket" not in values["aws_s3_bucket_public_access_block.data-public-access"]
    expressions = {r["address"]: r["expressions"] for r in plan["configuration"]["root_module"]["resources"]}
    assert "bucket" in expressions["aws_s3_bucket_public_access_block.data-public-access"]


def _states(kind: str) -> dict[str, dict[str, Any]]:
    recorded = json.loads((PROGRAM / f"{kind}.json").read_text(encoding="utf-8"))
    if kind == "preview":
        return {step["urn"]: step["newState"] for step in recorded["steps"]}
    return {state["urn"]: state for state in recorded["deployment"]["resources"]}


def _plain(value: Any, kind: str) -> Any:
    """A recorded value with each secret as the synth holds it: the wrapper with its plaintext (preview: the
    plaintext is blinded, so only where the secret is can agree)."""
    if isinstance(value, dict):
        if value.get(SIG) == SECRET_SIG:
            return secret(json.loads(value["plaintext"]) if kind == "state" else value["ciphertext"])
        return {k: _plain(v, kind) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, kind) for v in value]
    return value


@pytest.mark.parametrize("kind", ["preview", "state"])
def test_recorded_documents_agree_with_the_synth_on_urns_autonames_and_secrets(kind: str) -> None:
    synth = synthesize(PROGRAM, "dev")
    recorded = _states(kind)
    steps = json.loads((PROGRAM / "preview.json").read_text(encoding="utf-8"))["steps"]
    if kind == "preview":
        assert len(steps) == len(recorded)  # every URN once, as the engine has it
    assert sorted(recorded) == sorted(r["urn"] for r in synth["resources"])
    expected_secret = "[secret]" if kind == "preview" else "s3cr3t"
    for resource in synth["resources"]:
        state = recorded[resource["urn"]]
        inputs = resource["inputs"] if resource["type"] != "pulumi:pulumi:Stack" else {}
        blinded = redact(inputs) if kind == "preview" else inputs
        assert _plain(state.get("inputs", {}), kind) == blinded, resource["urn"]
    by_name = {r["name"]: r for r in synth["resources"]}
    # auto-names: the engine's inputs carry them, and the synth's are the same
    queue, parameter = recorded[by_name["jobs"]["urn"]], recorded[by_name["api-token"]["urn"]]
    assert queue["inputs"]["name"] == by_name["jobs"]["inputs"]["name"]
    assert queue["inputs"]["name"].startswith("jobs-")
    assert parameter["inputs"]["name"].startswith("api-token-")
    # secrets: where the synth has one, the document has one, in the command's own shape
    assert _plain(parameter["inputs"]["value"], kind) == secret(expected_secret)
    stack = recorded[by_name["roundtrip-dev"]["urn"]]
    assert _plain(stack["outputs"]["token"], kind) == secret(expected_secret)
    assert by_name["api-token"]["inputs"]["value"] == secret("s3cr3t")
