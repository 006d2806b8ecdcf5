"""The one reader for every YAML file and value tenantctl takes from a user.

Stack files, ``--config-file``, ``Pulumi.yaml``, ``--set`` values, onboarding requests and waivers all come
through :func:`read_yaml_document` or :func:`parse_yaml_text`. The input is decided by people in a pull
request and acted on in production accounts, so the reader refuses what a reviewer could misread and what
could make the tool crash or stall, each with one line naming the file, line and column, the problem and the
fix:

- bytes that are not UTF-8 (a UTF-8 byte order mark is tolerated, as the Pulumi CLI tolerates it);
- duplicate mapping keys: YAML 1.2 forbids them, and a parser that keeps the last value shows the reviewer the
  first (https://yaml.org/spec/1.2.2/#mapping: "the content of a mapping node is an unordered set of key/value
  node pairs, with the restriction that each of the keys is unique");
- tags other than the core schema's (``!Ref``, ``!!python/object``, ``!!binary``, ``!!set``, ``!!timestamp``):
  Pulumi config is JSON-shaped, and the CLI's YAML library has no constructor for them either;
- keys that are collections (``? [a]``), which JSON cannot hold;
- limits: file size, nesting depth, alias expansion (an "alias bomb" of a few lines that expands to millions
  of nodes), scalar length and integer size.

Plain scalars are typed by the YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), as the
CLI's Go YAML library reads stack files: ``yes`` and ``2024-01-01`` stay strings, ``010`` is ten. Parsing is
ruamel.yaml's event parser (safe: it constructs nothing); the tree is built here, iteratively, so no input can
exhaust Python's recursion limit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from tenantctl.errors import UserError
from tenantctl.inputs.text import cut, escape, shown


@dataclass(frozen=True)
class Limits:
    """What one input may hold. Generous for any real stack file, small enough to answer in well under a
    second."""

    max_bytes: int = 1024 * 1024
    max_depth: int = 64
    # nodes after alias expansion: a stack file of the largest real tenant has a few hundred
    max_nodes: int = 100_000
    max_scalar: int = 64 * 1024
    # integers the Pulumi CLI reads as integers are 64-bit; anything longer is a typo or an attack
    max_int_bits: int = 64


DEFAULT_LIMITS = Limits()

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"

# The YAML 1.2 core schema's resolution of plain scalars, matched against the whole scalar.
_CORE_NULL = re.compile(r"~|null|Null|NULL|")
_CORE_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_CORE_INT_DEC = re.compile(r"[-+]?[0-9]+")
_CORE_INT_OCT = re.compile(r"0o[0-7]+")
_CORE_INT_HEX = re.compile(r"0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_CORE_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_CORE_NAN = re.compile(r"\.(?:nan|NaN|NAN)")

_UTF16_32_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)


class InputError(UserError):
    """A problem in one input, located: ``<what> <source>:<line>:<column>: <problem>; expected <fix>.``"""

    def __init__(self, source: str, line: int | None, column: int | None, problem: str, fix: str) -> None:
        self.source = source
        self.line = line
        self.column = column
        self.problem = problem
        self.fix = fix
        where = f"{source}:{line}:{column}" if line is not None else source
        super().__init__(f"{where}: {problem}; expected {fix}.")


@dataclass(eq=False)
class Node:
    """A node of the document; ``line`` and ``column`` are 1-based, as editors show them."""

    line: int
    column: int
    tag: str
    size: int = field(default=1, init=False)  # nodes after alias expansion, this one included


@dataclass(eq=False)
class Scalar(Node):
    text: str = ""  # the source text, as the CLI keeps a top-level config scalar
    value: Any = None  # the core-schema value
    quoted: bool = False


@dataclass(eq=False)
class Sequence(Node):
    items: list[Node] = field(default_factory=list)


@dataclass(eq=False)
class Mapping(Node):
    pairs: list[tuple[Scalar, Node]] = field(default_factory=list)

    def get(self, key: str) -> Node | None:
        for key_node, value in self.pairs:
            if key_node.text == key:
                return value
        return None


@dataclass(frozen=True)
class Document:
    """One parsed YAML document: its root node (None for an empty file) and where it came from."""

    source: str
    root: Node | None

    def to_python(self) -> Any:
        return to_python(self.root) if self.root is not None else None


def to_python(node: Node) -> Any:
    """The JSON-shaped Python value of a node (dict, list, str, int, float, bool, None).

    The reader has bounded depth and expansion already, so this cannot recurse too deep or build too much.
    """
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return [to_python(item) for item in node.items]
    assert isinstance(node, Mapping)
    # a mapping key becomes a JSON object key: its source text, as the CLI's config holds map[string]any
    return {key.text: to_python(value) for key, value in node.pairs}


# --- bytes to text
# -------------------------------------------------------------------------------------------


def decode(data: bytes, source: str) -> str:
    """Strict UTF-8 (a leading UTF-8 byte order mark is dropped); InputError with the byte offset
    otherwise."""
    for bom, name in _UTF16_32_BOMS:
        if data.startswith(bom):
            raise InputError(
                source, None, None, f"is encoded as {name} (byte order mark {bom.hex(' ')})", "UTF-8 text"
            )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        bad = data[error.start : min(error.end, error.start + 4)].hex(" ")
        raise InputError(
            source,
            line,
            column,
            f"byte {error.start} (0x{bad}) is not UTF-8 ({error.reason})",
            "UTF-8 text (re-save the file as UTF-8; a Latin-1 or Shift_JIS comment is the usual cause)",
        ) from None


def read_yaml_document(path: Path, what: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read and parse one YAML file; ``what`` names it in messages (``--config-file``, ``stack config
    file``)."""
    source = f"{what} {path}"
    try:
        with open(path, "rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError as error:
        raise InputError(
            source, None, None, f"cannot be read ({error.strerror or error})", "a readable YAML file"
        ) from None
    if len(data) > limits.max_bytes:
        raise InputError(
            source,
            None,
            None,
            f"is larger than {limits.max_bytes} bytes",
            f"a YAML file of at most {limits.max_bytes} bytes",
        )
    return parse_yaml_text(decode(data, source), source, limits)


# --- text to nodes
# -------------------------------------------------------------------------------------------


def _flow_depth_overrun(text: str, max_depth: int) -> tuple[int, int] | None:
    """Where flow brackets first nest deeper than ``max_depth``, approximately (quotes and comments skipped).

    The parser looks ahead over every opening bracket before it emits the first event, in time quadratic in
    their number, so a file of ten thousand ``[`` would stall it before the depth limit could apply.
    """
    depth = 0
    line, line_start = 1, 0
    quote = ""
    previous = "\n"
    i, end = 0, len(text)
    while i < end:
        ch = text[i]
        if ch == "\n":
            line, line_start = line + 1, i + 1
            if quote == "":
                previous = ch
                i += 1
                continue
        if quote:
            if ch == quote:
                if quote == "'" and text[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                quote = ""
            elif ch == "\\" and quote == '"':
                i += 1
        elif ch == "#" and previous in " \t\n":
            newline = text.find("\n", i)
            i = end if newline == -1 else newline
            continue
        elif ch in "\"'" and previous in " \t\n[{,:-?":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > max_depth:
                return line, i - line_start + 1
        elif ch in "]}":
            depth = max(0, depth - 1)
        previous = ch
        i += 1
    return None


def _events(text: str) -> Iterator[Event]:
    yaml = YAML(typ="safe", pure=True)
    yield from yaml.parse(text)


@dataclass
class _Open:
    node: Sequence | Mapping
    anchor: str | None
    pending_key: Scalar | None = None
    keys: dict[str, Scalar] = field(default_factory=dict)


class _Builder:
    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.anchors: dict[str, Node] = {}
        self.stack: list[_Open] = []
        self.root: Node | None = None
        self.documents = 0

    def fail(self, event: Event, problem: str, fix: str) -> InputError:
        mark = event.start_mark
        return InputError(self.source, mark.line + 1, mark.column + 1, problem, fix)

    def fail_at(self, node: Node, problem: str, fix: str) -> InputError:
        return InputError(self.source, node.line, node.column, problem, fix)

    def feed(self, event: Event) -> None:
        if isinstance(event, StreamStartEvent | StreamEndEvent | DocumentEndEvent):
            return
        if isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.fail(event, "holds a second YAML document (after ---)", "one document per file")
            return
        if isinstance(event, AliasEvent):
            self.alias(event)
        elif isinstance(event, ScalarEvent):
            self.add(self.scalar(event), event, event.anchor)
        elif isinstance(event, SequenceStartEvent | MappingStartEvent):
            self.open(event)
        elif isinstance(event, SequenceEndEvent | MappingEndEvent):
            self.close(event)

    def tag_of(self, event: ScalarEvent | SequenceStartEvent | MappingStartEvent, default: str) -> str:
        tag = event.tag
        text = None if tag is None else str(getattr(tag, "value", tag))
        if text is None or text == "!":
            return default
        return text

    def refuse_tag(self, event: Event, tag: str) -> InputError:
        short = tag.replace("tag:yaml.org,2002:", "!!")
        return self.fail(
            event,
            f"the tag {shown(short)} is not supported",
            "a plain string, number, boolean, null, list or mapping (config is JSON-shaped; quote the value "
            "to keep it as text)",
        )

    def scalar(self, event: ScalarEvent) -> Scalar:
        mark = event.start_mark
        text = event.value
        if len(text) > self.limits.max_scalar:
            raise self.fail(
                event,
                f"a value of {len(text)} characters is longer than the limit",
                f"at most {self.limits.max_scalar} characters",
            )
        quoted = bool(event.style) and event.style in "'\"|>"
        plain = not quoted and (event.tag is None)
        tag = self.tag_of(event, _STR if (quoted or event.tag is not None) else "")
        node = Scalar(mark.line + 1, mark.column + 1, tag or _STR, text=text, quoted=quoted)
        if plain:
            node.tag, node.value = self.resolve_plain(event, text)
        else:
            node.value = self.construct_tagged(event, tag, text)
        return node

    def resolve_plain(self, event: Event, text: str) -> tuple[str, Any]:
        if _CORE_NULL.fullmatch(text):
            return _NULL, None
        if _CORE_BOOL.fullmatch(text):
            return _BOOL, text.lower() == "true"
        if _CORE_INT_DEC.fullmatch(text) or _CORE_INT_OCT.fullmatch(text) or _CORE_INT_HEX.fullmatch(text):
            return _INT, self.integer(event, text)
        if _CORE_FLOAT.fullmatch(text) or _CORE_INF.fullmatch(text) or _CORE_NAN.fullmatch(text):
            return _FLOAT, self.floating(event, text)
        return _STR, text

    def construct_tagged(self, event: Event, tag: str, text: str) -> Any:
        if tag == _STR:
            return text
        if tag == _NULL and _CORE_NULL.fullmatch(text):
            return None
        if tag == _BOOL and _CORE_BOOL.fullmatch(text):
            return text.lower() == "true"
        if tag == _INT and (
            _CORE_INT_DEC.fullmatch(text) or _CORE_INT_OCT.fullmatch(text) or _CORE_INT_HEX.fullmatch(text)
        ):
            return self.integer(event, text)
        if tag == _FLOAT and (
            _CORE_FLOAT.fullmatch(text) or _CORE_INF.fullmatch(text) or _CORE_NAN.fullmatch(text)
        ):
            return self.floating(event, text)
        kinds = {_NULL: "null", _BOOL: "a boolean (true or false)", _INT: "an integer", _FLOAT: "a number"}
        if tag in kinds:
            short = tag.replace("tag:yaml.org,2002:", "!!")
            raise self.fail(
                event,
                f"{shown(text)} is tagged {short} but is not {kinds[tag]}",
                f"{kinds[tag]} as YAML 1.2 writes it, or no tag (quote the value to keep it as text)",
            )
        raise self.refuse_tag(event, tag)

    def integer(self, event: Event, text: str) -> int:
        # bounded before int() runs: Python refuses over 4,300 digits with an error of its own
        digits = text.lstrip("+-")
        base = 16 if digits.startswith("0x") else 8 if digits.startswith("0o") else 10
        body = digits[2:] if base != 10 else digits
        bits_per_digit = {16: 4, 8: 3, 10: math.log2(10)}[base]
        limit = 2 ** (self.limits.max_int_bits - 1)
        if len(body.lstrip("0")) * bits_per_digit > self.limits.max_int_bits + 4:
            value = None
        else:
            value = int(body, base) * (-1 if text.startswith("-") else 1)
        if value is None or not -limit <= value < limit * 2:
            raise self.fail(
                event,
                f"the integer {shown(text)} does not fit in {self.limits.max_int_bits} bits",
                "a smaller number, or a quoted string if it is an identifier",
            )
        return value

    def floating(self, event: Event, text: str) -> float:
        lowered = text.lower()
        if lowered.endswith(".inf"):
            return -math.inf if lowered.startswith("-") else math.inf
        if lowered == ".nan":
            return math.nan
        if len(text) > 1000:
            raise self.fail(
                event, f"the number {shown(text)} is too long", "a number of at most 1000 characters"
            )
        return float(text)

    def open(self, event: SequenceStartEvent | MappingStartEvent) -> None:
        if len(self.stack) >= self.limits.max_depth:
            raise self.fail(
                event,
                f"lists and mappings nest deeper than {self.limits.max_depth} levels",
                f"at most {self.limits.max_depth} levels of nesting",
            )
        mark = event.start_mark
        if isinstance(event, SequenceStartEvent):
            tag = self.tag_of(event, _SEQ)
            if tag != _SEQ:
                raise self.refuse_tag(event, tag)
            node: Sequence | Mapping = Sequence(mark.line + 1, mark.column + 1, _SEQ)
        else:
            tag = self.tag_of(event, _MAP)
            if tag != _MAP:
                raise self.refuse_tag(event, tag)
            node = Mapping(mark.line + 1, mark.column + 1, _MAP)
        self.stack.append(_Open(node, event.anchor))

    def close(self, event: Event) -> None:
        frame = self.stack.pop()
        node = frame.node
        node.size = 1 + sum(
            (value.size for _, value in node.pairs)
            if isinstance(node, Mapping)
            else (i.size for i in node.items)
        )
        self.add(node, event, frame.anchor)

    def at(self, event: Event, node: Node) -> Node:
        """Where ``event`` is, as a node for messages (an alias is reported where it is used, not defined)."""
        mark = event.start_mark
        return Scalar(mark.line + 1, mark.column + 1, node.tag)

    def alias(self, event: AliasEvent) -> None:
        name = event.anchor
        target = self.anchors.get(name) if name is not None else None
        if target is None:
            if name is not None and any(frame.anchor == name for frame in self.stack):
                raise self.fail(
                    event,
                    f"the alias *{escape(cut(name))} refers to the node that contains it (a recursive alias)",
                    "an alias to a complete node defined before it",
                )
            raise self.fail(
                event, f"the alias *{escape(cut(str(name)))} has no anchor before it", "&name defined first"
            )
        self.add(target, event, None)

    def add(self, node: Node, event: Event, anchor: str | None) -> None:
        if anchor is not None:
            self.anchors[anchor] = node
        total = node.size + sum(
            (
                sum((v.size for _, v in f.node.pairs), 0)
                if isinstance(f.node, Mapping)
                else sum((i.size for i in f.node.items), 0)
            )
            for f in self.stack
        )
        if node.size > self.limits.max_nodes or total > self.limits.max_nodes:
            # an alias is reported where it is used; a list or mapping where it starts
            where = self.at(event, node) if isinstance(event, AliasEvent | ScalarEvent) else node
            raise self.fail_at(
                where,
                f"aliases expand the document to more than {self.limits.max_nodes} nodes",
                "aliases that repeat small parts only (an alias bomb is refused)",
            )
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        parent = frame.node
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        if frame.pending_key is None:
            if not isinstance(node, Scalar):
                raise self.fail_at(
                    node,
                    "a mapping key is a list or a mapping",
                    "a string key (config is JSON-shaped: object keys are strings)",
                )
            previous = frame.keys.get(node.text)
            if previous is not None:
                raise self.fail(
                    event,
                    f"the key {shown(node.text)} is defined twice, on lines {previous.line} and {node.line} "
                    "(a reader sees the first, YAML 1.2 forbids the second)",
                    "each key once",
                )
            frame.keys[node.text] = node
            frame.pending_key = node
            return
        parent.pairs.append((frame.pending_key, node))
        frame.pending_key = None


def parse_yaml_text(text: str, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Parse one YAML document held in ``text``; ``source`` names it in messages (a file, or ``--set K``)."""
    if len(text) > limits.max_bytes:
        raise InputError(
            source, None, None, f"is longer than {limits.max_bytes} characters", "a shorter value"
        )
    overrun = _flow_depth_overrun(text, limits.max_depth)
    if overrun is not None:
        raise InputError(
            source,
            *overrun,
            f"lists and mappings nest deeper than {limits.max_depth} levels",
            f"at most {limits.max_depth} levels of nesting",
        )
    builder = _Builder(source, limits)
    try:
        for event in _events(text):
            builder.feed(event)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = " ".join(f"{error.context or ''} {error.problem or ''}".split()) or "invalid YAML"
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise InputError(
            source, line, column, f"is not valid YAML ({escape(cut(what, 200))})", "YAML syntax"
        ) from None
    except YAMLError as error:
        # the reader's own errors (a control character the YAML spec forbids) carry a character offset
        position = getattr(error, "position", None)
        line = column = None
        if isinstance(position, int):
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
        detail = escape(cut(" ".join(str(error).split()), 200))
        raise InputError(source, line, column, f"is not valid YAML ({detail})", "YAML text") from None
    return Document(source, builder.root)
