"""Route 53 records as the mail rules read them: full names and TXT values."""

from __future__ import annotations

from policies.framework import ResourceView, StackView, as_list

RECORD = "aws:route53/record:Record"
ZONE = "aws:route53/zone:Zone"


def normalize(name: str) -> str:
    return name.strip().rstrip(".").lower()


def record_type(record: ResourceView) -> str:
    value = record.props.get("type")
    return value.upper() if isinstance(value, str) else ""


def record_name(record: ResourceView, stack: StackView | None = None) -> str:
    """The record's full name. The provider appends the zone's name to a relative record name
    (``_dmarc`` in zone ``example.jp`` is ``_dmarc.example.jp``), so the zone is read when known."""
    raw = record.props.get("name")
    name = normalize(raw) if isinstance(raw, str) else ""
    if stack is None:
        return name
    for zone in stack.referenced(record, "zoneId", ZONE):
        zone_name = zone.props.get("name")
        if isinstance(zone_name, str) and zone_name:
            suffix = normalize(zone_name)
            if name != suffix and not name.endswith("." + suffix):
                return f"{name}.{suffix}" if name else suffix
    return name


def txt_values(record: ResourceView) -> list[str]:
    """Each TXT value with the quoting Route 53 uses for long strings (``"a""b"``) removed."""
    return [
        str(value).replace('"', "").strip()
        for value in as_list(record.props.get("records"))
        if value is not None
    ]


def dmarc_tags(value: str) -> dict[str, str]:
    """``v=DMARC1; p=reject; rua=...`` -> ``{"v": "DMARC1", "p": "reject", ...}`` (tag names lower-cased)."""
    tags: dict[str, str] = {}
    for part in value.split(";"):
        key, sep, tag_value = part.partition("=")
        if sep:
            tags.setdefault(key.strip().lower(), tag_value.strip())
    return tags


def is_dmarc(value: str) -> bool:
    return value.replace(" ", "").upper().startswith("V=DMARC1")
