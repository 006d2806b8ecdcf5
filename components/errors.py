"""Input errors raised by components before they declare any resource.

A component refuses a value that would break a control at construction time,
so ``pulumi up`` (and the offline synth) stop with one readable line instead
of a half-declared stack. ``pulumi.RunError`` is what the Pulumi language host
prints without a traceback.
"""

from __future__ import annotations

import pulumi


class ComponentInputError(pulumi.RunError):
    """A component argument breaks a rule; the message says which and how to fix it."""

    def __init__(self, kind: str, name: str, wrong: str, expected: str, control: str | None = None) -> None:
        self.kind = kind
        self.name = name
        self.wrong = wrong
        self.expected = expected
        self.control = control
        suffix = f" [{control}]" if control else ""
        super().__init__(f"{kind} {name}: {wrong}; expected {expected}.{suffix}")
