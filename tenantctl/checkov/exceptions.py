"""The reviewed exceptions file, ``policies/checkov/exceptions.yaml``: checkov checks that do not apply to
this design, each with its reason and the Pulumi resource types it is excepted on (and, optionally, the
resource names, when the check applies to other resources of the type).

No blanket skips: an entry names one check, at least one resource type and a reason; a failed check on any
other type (or other name) is still reported. Every check still runs (the count of checks that ran stays
honest); an excepted failure is counted, not reported."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tenantctl.errors import UserError

EXCEPTIONS_FILE = Path(__file__).resolve().parents[2] / "policies" / "checkov" / "exceptions.yaml"
CHECK_ID = re.compile(r"^CKV2?_AWS_[0-9]+$")
TYPE_TOKEN = re.compile(r"^aws:[a-z0-9]+/[A-Za-z0-9]+:[A-Za-z0-9]+$")
KEYS = ("check", "types", "reason")
OPTIONAL = ("names",)
MIN_REASON = 40


@dataclass(frozen=True)
class Exception_:
    check: str
    types: tuple[str, ...]
    reason: str
    names: tuple[str, ...] = ()


def _problem(path: Path, where: str, value: Any, expected: str) -> UserError:
    return UserError(f"{path} {where}: {value!r} is not allowed; expected {expected}.")


def parse(path: Path, raw: Any) -> dict[str, Exception_]:
    if not isinstance(raw, dict) or set(raw) != {"exceptions"} or not isinstance(raw["exceptions"], list):
        raise _problem(
            path,
            "(top level)",
            raw if not isinstance(raw, dict) else sorted(raw),
            "one key `exceptions`, a list",
        )
    found: dict[str, Exception_] = {}
    for index, entry in enumerate(raw["exceptions"]):
        where = f"exceptions[{index}]"
        if not isinstance(entry, dict) or not set(KEYS) <= set(entry) <= {*KEYS, *OPTIONAL}:
            keys = sorted(entry) if isinstance(entry, dict) else entry
            raise _problem(path, where, keys, "the keys check, types, reason and optionally names")
        check, types, reason = entry["check"], entry["types"], entry["reason"]
        if not isinstance(check, str) or not CHECK_ID.match(check):
            raise _problem(
                path, f"{where}.check", check, "a checkov AWS check ID (CKV_AWS_<n> or CKV2_AWS_<n>)"
            )
        if check in found:
            raise _problem(path, f"{where}.check", check, "each check listed once")
        if (
            not isinstance(types, list)
            or not types
            or not all(isinstance(t, str) and TYPE_TOKEN.match(t) for t in types)
        ):
            raise _problem(
                path, f"{where}.types", types, "a non-empty list of Pulumi AWS type tokens (no blanket skips)"
            )
        if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON:
            raise _problem(
                path,
                f"{where}.reason",
                reason,
                f"why the check does not apply, at least {MIN_REASON} characters",
            )
        names = entry.get("names", [])
        if (
            not isinstance(names, list)
            or not all(isinstance(n, str) and n for n in names)
            or ("names" in entry and not names)
        ):
            raise _problem(path, f"{where}.names", names, "a non-empty list of Pulumi resource names")
        found[check] = Exception_(check, tuple(types), " ".join(reason.split()), tuple(names))
    return found


@cache
def load(path: Path = EXCEPTIONS_FILE) -> dict[str, Exception_]:
    """check ID -> its exception; a UserError naming the file and key when the file is malformed."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except yaml.YAMLError as error:
        raise UserError(f"{path}: not YAML ({error}); expected the reviewed exceptions list.") from None
    return parse(path, raw)


def excepted(exceptions: Mapping[str, Exception_], check: str, pulumi_type: str, name: str) -> bool:
    entry = exceptions.get(check)
    if entry is None or pulumi_type not in entry.types:
        return False
    return not entry.names or name in entry.names
