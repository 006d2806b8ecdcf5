"""Everything tenantctl reads from a user: YAML files and values, through one reader, and how they are
shown."""

from tenantctl.inputs.reader import (
    DEFAULT_LIMITS,
    Document,
    InputError,
    Limits,
    Mapping,
    Node,
    Scalar,
    Sequence,
    parse_yaml_text,
    read_yaml_document,
    to_python,
)
from tenantctl.inputs.text import cut, escape, shown

__all__ = [
    "DEFAULT_LIMITS",
    "Document",
    "InputError",
    "Limits",
    "Mapping",
    "Node",
    "Scalar",
    "Sequence",
    "cut",
    "escape",
    "parse_yaml_text",
    "read_yaml_document",
    "shown",
    "to_python",
]
