"""Input errors raised by components before they declare any resource.

A component refuses a value that would break a control at construction time,
so ``pulumi up`` (and the offline synth) stop with readable lines instead of
a half-declared stack. ``pulumi.RunError`` is what the Pulumi language host
prints without a traceback.

Validation functions collect every problem they can find in one pass
(:class:`InputProblems`) and raise once, so a user fixing a stack does not
have to run the program once per mistake. Each problem is one line in the
project's format (:mod:`policies.messages`), with ``<kind> <name>`` as the subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

from policies.messages import message


@dataclass(frozen=True)
class InputProblem:
    wrong: str
    expected: str
    control: str | None = None

    def line(self, kind: str, name: str) -> str:
        return message(f"{kind} {name}", self.wrong, self.expected, self.control)


class ComponentInputError(pulumi.RunError):
    """Component arguments break one or more rules; the message has one line per problem.

    ``wrong`` / ``expected`` / ``control`` describe the first problem, ``problems`` all of them.
    """

    def __init__(self, kind: str, name: str, wrong: str, expected: str, control: str | None = None) -> None:
        self._set(kind, name, [InputProblem(wrong, expected, control)])

    @classmethod
    def of(cls, kind: str, name: str, problems: Sequence[InputProblem]) -> ComponentInputError:
        if not problems:
            raise ValueError("a ComponentInputError needs at least one problem")
        error = cls.__new__(cls)
        error._set(kind, name, list(problems))
        return error

    def _set(self, kind: str, name: str, problems: list[InputProblem]) -> None:
        self.kind = kind
        self.name = name
        self.problems = problems
        first = problems[0]
        self.wrong, self.expected, self.control = first.wrong, first.expected, first.control
        pulumi.RunError.__init__(self, "\n".join(p.line(kind, name) for p in problems))


class InputProblems:
    """Collects the problems of one component's arguments; :meth:`raise_if_any` raises them together."""

    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        self.name = name
        self.found: list[InputProblem] = []

    def add(self, wrong: str, expected: str, control: str | None = None) -> None:
        self.found.append(InputProblem(wrong, expected, control))

    def absorb(self, error: ComponentInputError) -> None:
        """Take over the problems of an error raised by a helper (reported under this component's name)."""
        self.found.extend(error.problems)

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_if_any(self) -> None:
        if self.found:
            raise ComponentInputError.of(self.kind, self.name, self.found)
