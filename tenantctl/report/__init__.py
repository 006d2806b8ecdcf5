"""Renderers for gate results: text for people, JSON for tools, SARIF for code scanning, JUnit for CI."""

from __future__ import annotations

from collections.abc import Callable

from tenantctl.gate.model import GateResult

FORMATS = ("text", "json", "sarif", "junit")


def render(result: GateResult, fmt: str) -> str:
    renderers: dict[str, Callable[[GateResult], str]]
    from tenantctl.report import json_report, junit, sarif, text

    renderers = {
        "text": text.render,
        "json": json_report.render,
        "sarif": sarif.render,
        "junit": junit.render,
    }
    try:
        renderer = renderers[fmt]
    except KeyError:
        raise ValueError(f"format {fmt!r}; expected one of {', '.join(FORMATS)}") from None
    return renderer(result)


__all__ = ["FORMATS", "render"]
