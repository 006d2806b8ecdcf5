"""Rewrite the golden files from the current code (``make golden``): for intended changes of output only."""

from __future__ import annotations

import sys

from tests.golden import GOLDEN, cases


def main() -> int:
    produced = cases()
    for relative, produce in produced.items():
        path = GOLDEN / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = produce()
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old != text:
            path.write_text(text, encoding="utf-8")
            print(f"{'updated' if old is not None else 'created'} tests/golden/{relative}")
    known = set(produced)
    for stale in sorted(p for p in GOLDEN.rglob("*") if p.is_file() and p.parent != GOLDEN):
        if str(stale.relative_to(GOLDEN)) not in known:
            stale.unlink()
            print(f"removed tests/golden/{stale.relative_to(GOLDEN)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
