"""`check --all` at fleet scale: parallel processes, shards that merge back, source lines in SARIF, and
reports that still say why when the input is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tenantctl.cli import main
from tenantctl.errors import UserError
from tenantctl.fleet import Settings, Shard, check_all, result_to_json
from tests.tenantctl.fleet.program import line_of, write_fleet


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fleet(tmp_path_factory.mktemp("fleet") / "program")


@pytest.fixture(scope="module")
def sequential(fleet: Path) -> dict[str, Any]:
    return result_to_json(check_all(Settings(fleet, (), None, jobs=1)))


def test_parallel_processes_give_the_sequential_result(fleet: Path, sequential: dict[str, Any]) -> None:
    assert result_to_json(check_all(Settings(fleet, (), None, jobs=2))) == sequential


def test_shards_are_deterministic_disjoint_and_complete() -> None:
    stacks = [f"t{i:03d}-prod" for i in range(10)] + ["org"]
    shares = [Shard(i, 3).take(list(reversed(stacks))) for i in (1, 2, 3)]
    assert shares == [Shard(i, 3).take(stacks) for i in (1, 2, 3)]
    assert sorted(s for share in shares for s in share) == sorted(stacks)
    assert [len(share) for share in shares] == [4, 4, 3]


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0", "1/2/3"])
def test_a_bad_shard_is_refused_with_the_form_expected(text: str) -> None:
    with pytest.raises(UserError, match=rf"--shard {text}: .*expected"):
        Shard.parse(text)


def test_shard_reports_merge_into_the_unsharded_report(
    fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--program", str(fleet), "--no-cache", "--jobs", "1", "--format", "json"]
    reports = []
    for index in (1, 2):
        out = tmp_path / f"shard-{index}.json"
        main(["check", "--all", "--shard", f"{index}/2", *base, "--output", str(out)])
        reports.append(out)
    cross = tmp_path / "cross.json"
    main(["check", "--all", "--cross-stack-only", *base, "--output", str(cross)])
    whole = tmp_path / "whole.json"
    main(["check", "--all", *base, "--output", str(whole)])
    merged = tmp_path / "merged.json"
    code = main(["merge", *map(str, reports), str(cross), "--output", str(merged)])
    assert json.loads(merged.read_text()) == json.loads(whole.read_text())
    assert code == 1  # the fixture's buckets break mandatory controls
    shard_stacks = [{s["name"] for s in json.loads(r.read_text())["stacks"]} for r in reports]
    assert shard_stacks == [{"a", "c"}, {"b", "hub"}]


def test_sarif_points_at_the_line_that_declared_the_resource(fleet: Path, tmp_path: Path) -> None:
    out = tmp_path / "gate.sarif"
    main(
        [
            "check",
            "--stack",
            "a",
            "--program",
            str(fleet),
            "--no-cache",
            "--format",
            "sarif",
            "--output",
            str(out),
        ]
    )
    results = json.loads(out.read_text())["runs"][0]["results"]
    where = {
        r["locations"][0]["logicalLocations"][0]["name"]: (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    }
    # declared in the program, and inside a component module
    assert where["a-logs"] == ("__main__.py", line_of(fleet, "__main__.py", "logs = aws.s3.Bucket("))
    assert where["vault-data"] == ("parts.py", line_of(fleet, "parts.py", "self.bucket = aws.s3.Bucket("))


def _broken_fleet(root: Path) -> Path:
    program = write_fleet(root)
    (program / "Pulumi.b.yaml").write_text("config:\n  aws:region: ap-northeast-1\n", encoding="utf-8")
    return program


@pytest.mark.parametrize("fmt", ["sarif", "junit", "json"])
def test_a_refused_run_still_writes_a_report_that_says_why(tmp_path: Path, fmt: str) -> None:
    program = _broken_fleet(tmp_path / "program")
    out = tmp_path / f"gate.{fmt}"
    argv = ["check", "--all", "--program", str(program), "--no-cache", "--jobs", "1", "--format", fmt]
    assert main([*argv, "--output", str(out)]) == 2
    text = out.read_text(encoding="utf-8")
    assert "fleet:owner" in text and "Pulumi.b.yaml" in text
    if fmt == "sarif":
        invocation = json.loads(text)["runs"][0]["invocations"][0]
        assert invocation["executionSuccessful"] is False
        notification = invocation["toolExecutionNotifications"][0]
        uri = notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == "Pulumi.b.yaml"
    if fmt == "junit":
        import xml.etree.ElementTree as ET

        root = ET.fromstring(text)
        assert root.get("errors") == "1"
        assert root.find("testsuite/testcase").get("file") == "Pulumi.b.yaml"  # type: ignore[union-attr]


def test_the_error_of_one_tenant_file_is_reported_against_that_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = _broken_fleet(tmp_path / "program")
    assert main(["check", "--all", "--program", str(program), "--no-cache", "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("tenantctl check: error:")]
    assert len(errors) == 1 and "fleet:owner" in errors[0] and "Pulumi.b.yaml" in errors[0], err
