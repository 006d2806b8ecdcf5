"""Input checks several components share: e-mail addresses, DNS names, Japanese regions.

Each component words its own messages; these are only the predicates, so the rule itself is written once.
"""

from __future__ import annotations

import re

from components.errors import InputProblems
from policies.parameters import JAPAN_REGIONS

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?!-)([a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$")


def is_email(value: str) -> bool:
    return bool(_EMAIL.match(value))


def is_domain_name(value: str) -> bool:
    """A fully qualified, lower-case DNS name (what Route 53, ACM and SES accept without surprises)."""
    return bool(_DOMAIN.match(value))


def regions_in_japan(problems: InputProblems, **regions: str) -> bool:
    """Add a RES-01 problem for each ``label=region`` outside Japan; True when all of them are in Japan."""
    inside = True
    for label, region in regions.items():
        if region not in JAPAN_REGIONS:
            problems.add(f"{label} {region!r} is outside Japan", " or ".join(JAPAN_REGIONS), "RES-01")
            inside = False
    return inside
