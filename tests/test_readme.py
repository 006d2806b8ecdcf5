"""The README's new-tenant example is a valid tenant specification (a newcomer copies it)."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import yaml

from components.spec import CONFIG_KEY, parse_tenant_spec
from tenantctl.gate.waivers import parse_waiver_file

README = Path(__file__).resolve().parent.parent / "README.md"


def yaml_blocks() -> list[str]:
    return [
        textwrap.dedent(b) for b in re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    ]


def test_new_tenant_example_is_a_valid_spec() -> None:
    block = next((b for b in yaml_blocks() if CONFIG_KEY in b), None)
    assert block is not None, "README.md lost its tenant stack example"
    config = yaml.safe_load(block)["config"]
    spec = parse_tenant_spec(config[CONFIG_KEY], "README.md")
    assert (spec.id, spec.environment, spec.availability_zones, spec.log_retention_days) == (
        "gamma",
        "prod",
        3,
        400,
    )


def test_waiver_example_is_a_valid_waiver_file() -> None:
    block = next((b for b in yaml_blocks() if b.startswith("waivers:")), None)
    assert block is not None, "README.md lost its waiver example"
    (waiver,) = parse_waiver_file(yaml.safe_load(block), "README.md", dt.date(2026, 12, 1))
    assert (waiver.rule, waiver.resource, waiver.stack, waiver.expires) == (
        "sg_no_public_ingress",
        "status-page",
        "acme-prod",
        "2027-02-28",
    )
