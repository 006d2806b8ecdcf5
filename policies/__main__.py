"""The CrossGuard policy pack ``tenant-zone``: ``pulumi preview --policy-pack policies``.

The Pulumi CLI runs this file as ``python -m pulumi.policy <engine> policies``,
which puts ``policies/`` (not the repository root) first on ``sys.path``; the
root is added so that ``policies.*`` imports resolve the same way as in
``tenantctl check``. Building the ``PolicyPack`` starts the analyzer's gRPC
server, prints its port and blocks until the engine is done.
"""

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import datetime as dt  # noqa: E402

from pulumi_policy import EnforcementLevel, PolicyPack  # noqa: E402

from policies.pack import PACK_NAME, build_policies, load_waiver_book  # noqa: E402
from policies.waivers import WAIVER_FILE  # noqa: E402

# The same waivers `tenantctl check` applies: the repository's file, and tags on the resources.
WAIVERS = load_waiver_book(Path(_ROOT) / WAIVER_FILE, dt.date.today())

PolicyPack(
    name=PACK_NAME,
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=build_policies(waivers=WAIVERS),
    description="tenant-zone controls: per-tenant hardened AWS accounts in Japan (see docs/controls.md).",
)
