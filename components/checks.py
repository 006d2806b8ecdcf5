"""Input checks several components share: e-mail addresses, DNS names, Japanese regions.

Each component words its own messages; these are only the predicates, so the rule itself is written once.
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from components.errors import InputProblems
from policies.parameters import JAPAN_REGIONS

# RFC 1123 section 2.1 host name labels (letters, digits, inner hyphens, 1 to 63 characters), lower case; the
# top-level label is alphabetic and at least two letters, as every top-level domain in the root zone is.
# Patterns are matched with fullmatch: `$` would also match before a trailing newline.
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TOP_LABEL = re.compile(r"[a-z]{2,63}")
MAX_DOMAIN_LENGTH = 253  # RFC 1035 section 2.3.4, without the final dot


def domain_problem(value: str) -> str | None:
    """Why ``value`` is not a fully qualified, lower-case DNS name (None when it is one)."""
    if not value.isascii() or not value.isprintable():
        return "has characters outside printable ASCII (write an internationalized name in its xn-- form)"
    if len(value) > MAX_DOMAIN_LENGTH:
        return f"is longer than {MAX_DOMAIN_LENGTH} characters"
    labels = value.split(".")
    if len(labels) < 2:
        return "is not fully qualified (it has no dot)"
    if not all(_LABEL.fullmatch(label) for label in labels):
        return (
            "has a label that is empty, longer than 63 characters, not lower case a-z/0-9/-, or starts or"
            " ends with -"
        )
    if not _TOP_LABEL.fullmatch(labels[-1]):
        return f"ends in {labels[-1]!r}, which is not a top-level domain (two or more letters)"
    return None


def is_domain_name(value: str) -> bool:
    """A fully qualified, lower-case DNS name (what Route 53, ACM and SES accept without surprises)."""
    return domain_problem(value) is None


def email_problem(value: str) -> str | None:
    """Why ``value`` is not a plain ASCII e-mail address (None when it is one).

    The local part follows RFC 5321/5322 as the email-validator library checks it (no leading, trailing or
    doubled dot, at most 64 characters, no quoting); the domain must be a DNS name as :func:`domain_problem`
    has it, so no IP literal, no single-label or one-letter top-level domain.
    """
    try:
        validate_email(
            value,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
            allow_display_name=False,
            strict=True,
        )
    except EmailNotValidError as error:
        return str(error).rstrip(".")
    domain = value.rpartition("@")[2]
    why = domain_problem(domain.lower())
    return f"its domain {why}" if why else None


def is_email(value: str) -> bool:
    return email_problem(value) is None


def regions_in_japan(problems: InputProblems, **regions: str) -> bool:
    """Add a RES-01 problem for each ``label=region`` outside Japan; True when all of them are in Japan."""
    inside = True
    for label, region in regions.items():
        if region not in JAPAN_REGIONS:
            problems.add(f"{label} {region!r} is outside Japan", " or ".join(JAPAN_REGIONS), "RES-01")
            inside = False
    return inside
