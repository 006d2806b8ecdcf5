"""A small fleet on disk: a ``hub`` stack that reads every tenant stack file (as the org stack does) and
tenant stacks that reference it, with a local helper module and a component in its own file."""

from __future__ import annotations

from pathlib import Path

from tenantctl.cache import part_reader

MAIN = """\
from pathlib import Path

import pulumi
import pulumi_aws as aws

import lib
from parts import Vault

stack = pulumi.get_stack()
config = pulumi.Config()
if stack == "hub":
    ids = {}
    for path in sorted(Path(".").glob("Pulumi.*.yaml")):
        tenant = path.name[len("Pulumi.") : -len(".yaml")]
        if tenant == "hub":
            continue
        path.read_text(encoding="utf-8")
        ids[tenant] = aws.organizations.Account(tenant, email=f"{tenant}@example.jp", name=tenant).id
    pulumi.export("accountIds", ids)
else:
    hub = pulumi.StackReference("hub")
    logs = aws.s3.Bucket(lib.bucket_name(stack), tags={"owner": config.require("owner")})
    Vault("vault")
    pulumi.export("account", hub.get_output("accountIds").apply(lambda ids: ids[stack]))
"""

LIB = """\
def bucket_name(stack: str) -> str:
    return f"{stack}-logs"
"""

PARTS = """\
import pulumi
import pulumi_aws as aws


class Vault(pulumi.ComponentResource):
    def __init__(self, name: str) -> None:
        super().__init__("fleet:index:Vault", name)
        self.bucket = aws.s3.Bucket(f"{name}-data", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})
"""

# The hub of ``write_fleet(..., parts=True)`` reads only each tenant's owner, through a part reader.
PARTS_HUB = """\
from pathlib import Path

import pulumi
import pulumi_aws as aws

from tenantctl.cache import read_part
from tests.tenantctl.fleet.program import owner_of

ids = {}
for path in sorted(Path(".").glob("Pulumi.*.yaml")):
    tenant = path.name[len("Pulumi.") : -len(".yaml")]
    if tenant == "hub":
        continue
    owner = read_part(owner_of, path)
    ids[tenant] = aws.organizations.Account(tenant, email=f"{tenant}@example.jp", name=owner).id
pulumi.export("accountIds", ids)
"""


@part_reader
def owner_of(path: Path) -> str:
    """The ``fleet:owner`` of a tenant stack file (the only part of it the parts hub uses)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.strip().partition(": ")
        if key == "fleet:owner":
            return value
    return ""


TENANTS = ("a", "b", "c")


def tenant_config(owner: str, extra: str = "") -> str:
    return f"config:\n  aws:region: ap-northeast-1\n  fleet:owner: {owner}\n{extra}"


def write_fleet(root: Path, *, parts: bool = False) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text("name: fleet\nruntime: python\n", encoding="utf-8")
    main = MAIN
    if parts:  # the hub branch becomes ``import hub``
        start, end = MAIN.index('if stack == "hub":'), MAIN.index("else:")
        main = MAIN[:start] + 'if stack == "hub":\n    import hub  # noqa: F401\n' + MAIN[end:]
    (root / "__main__.py").write_text(main, encoding="utf-8")
    if parts:
        (root / "hub.py").write_text(PARTS_HUB, encoding="utf-8")
    (root / "lib.py").write_text(LIB, encoding="utf-8")
    (root / "parts.py").write_text(PARTS, encoding="utf-8")
    (root / "Pulumi.hub.yaml").write_text("config:\n  aws:region: ap-northeast-1\n", encoding="utf-8")
    for tenant in TENANTS:
        (root / f"Pulumi.{tenant}.yaml").write_text(tenant_config(f"team-{tenant}"), encoding="utf-8")
    return root


def line_of(root: Path, file: str, fragment: str) -> int:
    """The 1-based line of ``file`` holding ``fragment``."""
    lines = (root / file).read_text(encoding="utf-8").splitlines()
    return next(number for number, text in enumerate(lines, 1) if fragment in text)
