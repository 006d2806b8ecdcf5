"""The project's one message format, for gate findings and for refused input alike::

    <subject>: <what is wrong>; expected <what>. [<CONTROL-ID>]

The subject is ``<type> <name>`` for a resource (``aws:s3/bucket:Bucket uploads``), ``<Component> <name>`` for
component arguments, the config key for a stack setting, and the file for a catalog entry. The control ID is
left out only where no control applies (a plain AWS API constraint, a malformed file).
"""

from __future__ import annotations


def message(subject: str, wrong: str, expected: str, control: str | None = None) -> str:
    """One finding or refusal as a line in the project's format."""
    tail = f" [{control}]" if control else ""
    return f"{subject}: {wrong}; expected {expected}.{tail}"
