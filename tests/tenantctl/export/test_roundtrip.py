"""`pulumi preview --json` and `pulumi stack export` documents of a program give the plan its offline
synth gives (the documents are in the CLI's shapes: see fixtures/checkov/roundtrip/record.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tenantctl.export import export, from_synth, read_document
from tenantctl.synth import synthesize

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
