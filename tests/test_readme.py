"""The README's new-tenant example is a valid tenant specification (a newcomer copies it)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import yaml

from tenancy.spec import CONFIG_KEY, parse_tenant_spec

README = Path(__file__).resolve().parent.parent / "README.md"


def test_new_tenant_example_is_a_valid_spec() -> None:
    block = re.search(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert block is not None, "README.md lost its tenant stack example"
    config = yaml.safe_load(textwrap.dedent(block.group(1)))["config"]
    spec = parse_tenant_spec(config[CONFIG_KEY], "README.md")
    assert (spec.id, spec.environment, spec.availability_zones, spec.log_retention_days) == (
        "gamma",
        "prod",
        3,
        400,
    )
