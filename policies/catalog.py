"""The control catalog: one YAML file per control in ``policies/catalog/``.

(Minimal loader; the catalog work completes the schema and validation while
keeping these function names.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CATALOG_DIR = Path(__file__).parent / "catalog"


@dataclass(frozen=True)
class Control:
    id: str
    severity: str = "high"
    enforcement: str = "mandatory"
    remediation: str = ""
    title_en: str = ""
    title_ja: str = ""
    layers: dict[str, Any] = field(default_factory=dict)

    def checks(self, layer: str) -> list[str]:
        return list((self.layers.get(layer) or {}).get("checks") or [])


@cache
def load_catalog() -> dict[str, Control]:
    controls: dict[str, Control] = {}
    for path in sorted(CATALOG_DIR.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        title = raw.get("title") or {}
        controls[raw["id"]] = Control(
            id=raw["id"],
            severity=raw.get("severity", "high"),
            enforcement=raw.get("enforcement", "mandatory"),
            remediation=raw.get("remediation", ""),
            title_en=title.get("en", ""),
            title_ja=title.get("ja", ""),
            layers=raw.get("layers") or {},
        )
    return controls


@cache
def control_for_rule(rule_id: str) -> Control:
    owners = [c for c in load_catalog().values() if rule_id in c.checks("gate")]
    if len(owners) != 1:
        raise LookupError(f"rule {rule_id!r} is cited by {len(owners)} controls' gate layer; expected exactly one")
    return owners[0]
