"""Show or clear the synth and gate cache.

Exit codes: 0 done, 2 bad input, 3 internal error.

examples:
  tenantctl cache dir
  tenantctl cache clear --cache-dir .tenantctl-cache
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("dir", "clear"), help="dir: print where it is; clear: remove it")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="the cache (default: $TENANTCTL_CACHE_DIR, else per user)",
    )


def run(args: argparse.Namespace) -> int:
    from tenantctl.cache import Store, default_dir

    directory = (args.cache_dir or default_dir()).absolute()
    if args.action == "dir":
        print(directory)
    else:
        Store(directory).clear()
        print(f"cleared {directory}")
    return 0
