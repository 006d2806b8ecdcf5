"""The README's new-tenant example is a valid tenant specification (a newcomer copies it)."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import yaml

from tenancy.spec import CONFIG_KEY, parse_tenant_spec
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


def _readme_commands() -> list[str]:
    """Every tenantctl command line in the README's shell and workflow examples."""
    text = README.read_text(encoding="utf-8")
    found = []
    for line in text.splitlines():
        match = re.search(r"(?:^|run: )(\.venv/bin/tenantctl .*?)(?:\s+#.*)?$", line.strip())
        if match:
            found.append(match.group(1).strip())
    return found


def test_readme_commands_use_the_environment_make_creates_and_parse() -> None:
    import shlex

    from tenantctl.cli import build_parser

    commands = _readme_commands()
    assert len(commands) >= 10, commands
    text = README.read_text(encoding="utf-8")
    # `uv run` needs uv on PATH, which the Makefile does not promise (it may run `python3 -m uv`)
    assert "uv run" not in text
    parser = build_parser()
    for command in commands:
        words = [w for w in shlex.split(command.replace("${{ matrix.shard }}", "1"))[1:] if w != "\\"]
        parser.parse_args([w.replace("shards/*/shard-*.json", "shard-1.json") for w in words])


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
