"""Control parameters: the values a control fixes, read from the ``parameters:`` block of its catalog entry.

``policies/catalog/<ID>.yaml`` is the one home of each such value (the Japan regions of RES-01, the minimum
log retention of LOG-02, ...). The tenant spec, the components and the gate rules all import them from here,
so the program that provisions and the gate that judges cannot disagree: changing the catalog entry changes
all three.

The values are read once, when this module is first imported; the catalog's own loader validates the block's
shape against ``policies/catalog_schema.json``. A missing or ill-typed parameter stops the import with a
message naming the file and the key, since no rule or component can run without it."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"


class ParameterError(Exception):
    """A control parameter the code needs is missing from the catalog, or has the wrong type."""


@cache
def parameters(control_id: str) -> Mapping[str, Any]:
    """The ``parameters:`` block of one catalog entry (empty when the entry has none)."""
    path = CATALOG_DIR / f"{control_id}.yaml"
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise ParameterError(
            f"{path}: cannot be read ({exc}); expected the catalog entry {control_id}"
        ) from None
    block = document.get("parameters") if isinstance(document, Mapping) else None
    return dict(block) if isinstance(block, Mapping) else {}


_KINDS: dict[type, str] = {int: "an integer", str: "a string", list: "a list of strings"}


def _value(control_id: str, name: str, kind: type) -> Any:
    value = parameters(control_id).get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ParameterError(
            f"policies/catalog/{control_id}.yaml parameters.{name}: {value!r}; expected {_KINDS[kind]}"
        )
    return value


def integer(control_id: str, name: str) -> int:
    """An integer parameter, e.g. ``integer("LOG-02", "minRetentionDays")``."""
    return int(_value(control_id, name, int))


def text(control_id: str, name: str) -> str:
    return str(_value(control_id, name, str))


def texts(control_id: str, name: str) -> tuple[str, ...]:
    values = _value(control_id, name, list)
    if not values or not all(isinstance(v, str) for v in values):
        raise ParameterError(
            f"policies/catalog/{control_id}.yaml parameters.{name}: {values!r}; expected a list of strings"
        )
    return tuple(values)


# RES-01: the only regions any resource may live in.
JAPAN_REGIONS: tuple[str, ...] = texts("RES-01", "regions")
# RES-02: where tenant data lives, and where it is replicated (backup copies go there too, BAK-02).
PRIMARY_REGION: str = text("RES-02", "primaryRegion")
SECONDARY_REGION: str = text("RES-02", "replicaRegion")
# LOG-01: how long the trail's bucket keeps logs immutable (Object Lock, compliance mode).
LOG_OBJECT_LOCK_DAYS: int = integer("LOG-01", "objectLockDays")
# LOG-02: the shortest retention of any log destination.
MIN_LOG_RETENTION_DAYS: int = integer("LOG-02", "minRetentionDays")
# BAK-01: the shortest retention of a recovery point.
MIN_BACKUP_RETENTION_DAYS: int = integer("BAK-01", "minRetentionDays")
# BAK-03: the shortest minimum retention of a backup vault's lock.
MIN_VAULT_LOCK_RETENTION_DAYS: int = integer("BAK-03", "minLockRetentionDays")
# NET-02: the remote administration ports (SSH, RDP) no network ACL may open to the internet.
ADMIN_PORTS: dict[int, str] = {integer("NET-02", "sshPort"): "SSH", integer("NET-02", "rdpPort"): "RDP"}
# IAM-02: the roles of a tenant account (``<path><name>``) that trust the management account without MFA by
# design; every other role trusting an AWS principal needs MFA (or is tagged automation with an external ID).
MANAGEMENT_TRUSTED_ROLES: tuple[str, ...] = texts("IAM-02", "managementTrustedRoles")
