"""The HTML report in a real headless Chromium: it renders, the matrix has the right cells, filters work.

Chromium is installed by `make test` where the machine allows it; without it these tests are skipped
(and say so), never passed.
"""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tenantctl.gate.model import GateResult, StackReport, Violation
from tenantctl.report.html import render

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine (make test installs it)")

CELLS = {
    "acme-prod": {"NET-01": "fail", "ENC-01": "pass", "LOG-01": "undecided"},
    "beta-prod": {"NET-01": "pass", "ENC-01": "waived", "LOG-01": "pass"},
    "org": {"NET-01": "n/a", "ENC-01": "pass", "LOG-01": "fail"},
}


def finding(stack: str, control: str, rule: str, name: str) -> Violation:
    return Violation(
        stack,
        control,
        rule,
        f"urn:pulumi:{stack}::tenant-zone::aws:s3/bucket:Bucket::{name}",
        "aws:s3/bucket:Bucket",
        name,
        f"aws:s3/bucket:Bucket {name}: something is wrong; expected it right. [{control}]",
        "mandatory",
    )


def fleet_result() -> GateResult:
    return GateResult(
        stacks=[StackReport(s, 10, f"stacks/Pulumi.{s}.yaml") for s in CELLS],
        violations=[
            finding("acme-prod", "NET-01", "no_public_ip", "web"),
            finding("org", "LOG-01", "trail_multi_region", "trail"),
            finding("org", "LOG-01", "trail_multi_region", "trail-osaka"),
        ],
        controls={stack: dict(cells) for stack, cells in CELLS.items()},
    ).sort()


class Dom(HTMLParser):
    """Every element as (tag, attributes), in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def having(self, css_class: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.elements if css_class in (a.get("class") or "").split()]


def browse(tmp_path: Path, fragment: str = "") -> Dom:
    page = tmp_path / "report.html"
    if not page.exists():
        page.write_text(render(fleet_result()), encoding="utf-8")
    assert BROWSER is not None
    done = subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri() + fragment,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    dom = Dom()
    dom.feed(done.stdout)
    return dom


def visible_rows(dom: Dom) -> list[str | None]:
    return [a["data-stack"] for a in dom.having("row") if "hidden" not in a]


def test_renders_with_its_script_run_and_the_verdict_first(tmp_path: Path) -> None:
    dom = browse(tmp_path)
    body = next(a for tag, a in dom.elements if tag == "body")
    assert body.get("data-ready") == "true", "the page's script ran to the end in the browser"
    verdict = next(a for tag, a in dom.elements if a.get("id") == "verdict")
    assert verdict["class"] == "verdict fail"
    assert visible_rows(dom) == ["acme-prod", "beta-prod", "org"]


def test_every_matrix_cell_shows_its_stack_and_control_state(tmp_path: Path) -> None:
    dom = browse(tmp_path)
    seen = {(a["data-stack"], a["data-control"]): a["data-status"] for a in dom.having("cell")}
    expected = {(s, c): state for s, cells in CELLS.items() for c, state in cells.items()}
    assert seen == expected
    classes = {(a["data-stack"], a["data-control"]): a["class"] for a in dom.having("cell")}
    assert classes[("org", "NET-01")] == "cell n-a"
    assert classes[("beta-prod", "ENC-01")] == "cell waived"


def test_the_chart_counts_findings_by_family(tmp_path: Path) -> None:
    dom = browse(tmp_path)
    bars = {a["data-family"]: a["data-count"] for a in dom.having("bar")}
    assert bars == {"LOG": "2", "NET": "1"}


def test_filter_by_cell_state_keeps_the_stacks_with_such_a_cell(tmp_path: Path) -> None:
    assert visible_rows(browse(tmp_path, "#status=fail")) == ["acme-prod", "org"]
    assert visible_rows(browse(tmp_path, "#status=waived")) == ["beta-prod"]


def test_filter_by_family_hides_other_columns_cells_and_findings(tmp_path: Path) -> None:
    dom = browse(tmp_path, "#family=LOG")
    shown_cells = {a["data-control"] for a in dom.having("cell") if "hidden" not in a}
    assert shown_cells == {"LOG-01"}
    shown_findings = [a["data-control"] for a in dom.having("finding") if "hidden" not in a]
    assert shown_findings == ["LOG-01", "LOG-01"]
    # with the family, the state filter looks at that family's cells only
    assert visible_rows(browse(tmp_path, "#family=LOG&status=fail")) == ["org"]


def test_filter_by_text_narrows_stacks_and_findings(tmp_path: Path) -> None:
    dom = browse(tmp_path, "#q=acme")
    assert visible_rows(dom) == ["acme-prod"]
    assert [a["data-stack"] for a in dom.having("finding") if "hidden" not in a] == ["acme-prod"]
