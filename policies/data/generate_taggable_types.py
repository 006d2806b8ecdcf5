"""Generates ``taggable_types.json``: the pulumi_aws type tokens whose resource class accepts ``tags``.

TEN-04 (``tags_required``) must know which resources can carry tags at all:
asking for tags on a ``BucketPolicy`` would be a false failure, and missing
a new taggable type would be a silent pass. The installed SDK is the
authority, so this script reads its sources (no import: importing all of
pulumi_aws takes far longer than a regex pass) and records every type token
whose ``_internal_init`` takes a ``tags`` argument.

Run after upgrading pulumi-aws:  ``uv run python policies/data/generate_taggable_types.py``
(a test fails while the committed file differs from this script's output).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

OUTPUT = Path(__file__).with_name("taggable_types.json")

# The type token is the first argument of the ``super().__init__`` call in each resource class.
_TYPE_TOKEN = re.compile(r"super\(\s*\w+\s*,\s*__self__\s*\)\.__init__\(\s*'(aws:[^']+)'")
# Only the constructor's own parameters count: ``tags_all`` and nested ``tags`` in Args do not.
_INTERNAL_INIT = re.compile(r"def _internal_init\(.*?__props__=None\)", re.DOTALL)
_TAGS_PARAM = re.compile(r"^\s+tags: ", re.MULTILINE)
# Files that never define a resource class.
_SKIP = {"__init__.py", "_inputs.py", "outputs.py", "_enums.py", "_utilities.py"}


def pulumi_aws_dir() -> Path:
    spec = importlib.util.find_spec("pulumi_aws")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pulumi_aws is not installed in this environment")
    return Path(next(iter(spec.submodule_search_locations)))


def taggable_types(package_dir: Path) -> list[str]:
    found: set[str] = set()
    for source in sorted(package_dir.rglob("*.py")):
        if source.name in _SKIP or source.name.startswith("get_"):
            continue
        text = source.read_text(encoding="utf-8")
        tokens = _TYPE_TOKEN.findall(text)
        if not tokens:
            continue
        inits = _INTERNAL_INIT.findall(text)
        if len(tokens) != len(inits):
            raise SystemExit(f"{source}: {len(tokens)} type tokens but {len(inits)} _internal_init methods")
        found.update(token for token, init in zip(tokens, inits, strict=True) if _TAGS_PARAM.search(init))
    return sorted(found)


def render(types: list[str]) -> str:
    return json.dumps(types, indent=1) + "\n"


def main() -> int:
    OUTPUT.write_text(render(taggable_types(pulumi_aws_dir())), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
