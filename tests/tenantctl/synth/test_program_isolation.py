"""Two programs with the same package layout must not share modules (a copy of the project, say)."""

from __future__ import annotations

import sys
from pathlib import Path

from tenantctl.synth import synthesize


def _program(root: Path, value: str) -> Path:
    (root / "helper").mkdir(parents=True)
    (root / "Pulumi.yaml").write_text("name: iso\nruntime: python\n", encoding="utf-8")
    (root / "Pulumi.dev.yaml").write_text("config: {}\n", encoding="utf-8")
    (root / "helper" / "__init__.py").write_text(f"VALUE = {value!r}\n", encoding="utf-8")
    (root / "__main__.py").write_text(
        "import sys, pathlib\n"
        "sys.path.insert(0, str(pathlib.Path(__file__).parent))\n"
        "import pulumi\nimport helper\npulumi.export('value', helper.VALUE)\n",
        encoding="utf-8",
    )
    return root


def test_a_module_imported_from_another_program_does_not_answer_this_programs_import(tmp_path: Path) -> None:
    first = _program(tmp_path / "first", "first")
    second = _program(tmp_path / "second", "second")
    sys.path.insert(0, str(first))
    try:
        import helper  # the caller already holds the first program's package

        assert helper.VALUE == "first"
        assert synthesize(second, "dev")["outputs"]["value"] == "second"
        assert synthesize(first, "dev")["outputs"]["value"] == "first"
        # The caller's own import survives the runs.
        assert sys.modules["helper"] is helper
    finally:
        sys.path.remove(str(first))
        sys.modules.pop("helper", None)
