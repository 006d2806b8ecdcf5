"""The control catalog: one YAML file per control in ``policies/catalog/``.

Each file is validated against ``policies/catalog_schema.json`` when loaded,
then against what a schema cannot say: the file is named after its control
ID, each source's title is the title of the document it cites, and each gate
rule or audit check belongs to exactly one control (so a finding maps to one
control ID). A bad file stops loading with one line per problem, each naming
the file, the key and what was expected, in the project's message format.

Quotes are checked against the source documents only on request
(``seeds_dir``): the documents live beside the repository, not in it, and the
CrossGuard pack must load without them. The test suite checks them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from policies.messages import message

CATALOG_DIR = Path(__file__).parent / "catalog"
SCHEMA_PATH = Path(__file__).with_name("catalog_schema.json")
REPO_ROOT = Path(__file__).resolve().parent.parent
# The five Japanese source documents sit beside the repository (../shared/seeds).
SEEDS_DIR = REPO_ROOT.parent / "shared" / "seeds"

LAYERS: tuple[str, ...] = ("scp", "gate", "scan", "audit")
# Layers whose checks we implement per control: a check there reports one control ID.
SINGLE_OWNER_LAYERS: tuple[str, ...] = ("gate", "audit")
# The order of controls.md, so every listing reads like the requirements page.
FAMILY_ORDER: tuple[str, ...] = (
    "TEN",
    "RES",
    "ENC",
    "EDGE",
    "NET",
    "LOG",
    "VUL",
    "BAK",
    "IAM",
    "MAIL",
    "DATA",
    "GOV",
    "DEP",  # deployability: what AWS itself accepts, not from controls.md
)


@dataclass(frozen=True)
class SourceDocument:
    number: str
    file: str
    title: str


# The seeds README's index: the titles every catalog entry must cite exactly.
SOURCE_DOCUMENTS: dict[str, SourceDocument] = {
    doc.number: doc
    for doc in (
        SourceDocument(
            "000", "000_15a474982e8868f8.txt", "ManageEngine セキュリティ規定 (Japanese translation)"
        ),
        SourceDocument(
            "001", "001_aa9fa9fc0b7f5653.txt", "Zoho のセキュリティとコンプライアンス (reseller guide)"
        ),
        SourceDocument(
            "002", "002_6a9384839deb257d.txt", "iDoperation Series Cloud セキュリティホワイトペーパー SWP2410"
        ),
        SourceDocument("003", "003_5e760f3e2a03147e.txt", "Zoho Creator 共有責任モデル"),
        SourceDocument("004", "004_d49cd1116f8d12be.txt", "やくも水神ネットワーク セキュリティの概要"),
    )
}


class CatalogError(Exception):
    """A catalog file is malformed; ``problems`` holds one formatted line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Source:
    document: str
    title: str
    section: str
    quote: str


@dataclass(frozen=True)
class AwsSource:
    """An AWS documentation fact behind a deployability control, with the error AWS returns when it is
    broken."""

    url: str
    fact: str
    error: str


@dataclass(frozen=True)
class Layer:
    name: str
    status: str | None
    checks: tuple[str, ...]
    manual: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Control:
    id: str
    severity: str = "high"
    enforcement: str = "mandatory"
    remediation: str = ""
    title_en: str = ""
    title_ja: str = ""
    layers: dict[str, Any] = field(default_factory=dict)
    requirement: str = ""
    rationale: str = ""
    sources: tuple[Source, ...] = ()
    aws_sources: tuple[AwsSource, ...] = ()
    manual: str | None = None
    path: Path | None = None
    # False: a finding of this control can never be waived (data residency, tenant isolation).
    waivable: bool = True

    @property
    def family(self) -> str:
        return self.id.split("-", 1)[0]

    def checks(self, layer: str) -> list[str]:
        return list((self.layers.get(layer) or {}).get("checks") or [])

    def layer(self, name: str) -> Layer | None:
        raw = self.layers.get(name)
        if raw is None:
            return None
        return Layer(
            name=name,
            status=raw.get("status"),
            checks=tuple(raw.get("checks") or ()),
            manual=raw.get("manual"),
            note=raw.get("note"),
        )

    def layer_names(self) -> list[str]:
        return [name for name in LAYERS if name in self.layers]

    def scope(self, check: str) -> frozenset[str]:
        """The kinds of stack a gate check judges (``policies.scopes``); every gate check has one."""
        from policies.scopes import expand

        scopes = (self.layers.get("gate") or {}).get("scopes") or {}
        if check not in scopes:
            raise LookupError(f"control {self.id}: gate check {check!r} has no scope in layers.gate.scopes")
        return expand(scopes[check])


# --- loading --------------------------------------------------------------------------------


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _problem(path: Path, control_id: str | None, wrong: str, expected: str) -> str:
    return message(f"catalog file {_display(path)}", wrong, expected, control_id)


def _key(parts: Iterable[Any]) -> str:
    key = ""
    for part in parts:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key or "(top level)"


def _resolve(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        resolved: Mapping[str, Any] = _schema()["$defs"][ref.removeprefix("#/$defs/")]
        return resolved
    return schema


def _describe(schema: Mapping[str, Any]) -> str:
    """What a schema node accepts, in words, for the ``expected`` half of a message."""
    schema = _resolve(schema)
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    kind = schema.get("type")
    if kind == "object" or "oneOf" in schema:
        if "oneOf" in schema:
            return "either `checks` with a `status` (automated or planned), or `manual` with the reason"
        keys = ", ".join(f"`{key}`" for key in schema.get("properties", {}))
        return f"a mapping with keys {keys}"
    if kind == "array":
        return f"a list of at least {schema.get('minItems', 0)} item(s)"
    if kind == "string":
        if schema.get("pattern") == "^[A-Z]{2,5}-[0-9]{2}$":
            return "a control ID like ENC-01"
        return "non-empty text"
    return "a value matching the catalog schema"


def _subschema(root: Mapping[str, Any], path: Sequence[Any]) -> Mapping[str, Any]:
    """The schema node describing the value at ``path`` (best effort; for messages only)."""
    node = _resolve(root)
    for part in path:
        if isinstance(part, int):
            node = _resolve(node.get("items", {}))
        else:
            node = _resolve(node.get("properties", {}).get(part, {}))
    return node


def _schema_problem(path: Path, control_id: str | None, error: jsonschema.ValidationError) -> list[str]:
    where = list(error.absolute_path)
    key = _key(where)
    instance = error.instance
    validator = error.validator
    root = _schema()
    if validator == "required" and not where and error.validator_value == ["manual"]:
        return [
            _problem(
                path,
                control_id,
                "key `layers` is empty and key `manual` is missing",
                "at least one layer, or `manual` with the reason the control has no automated check",
            )
        ]
    if validator == "required":
        return [
            _problem(
                path,
                control_id,
                f"key `{_key([*where, name])}` is missing",
                _describe(_subschema(root, [*where, name])),
            )
            for name in error.validator_value
            if isinstance(instance, Mapping) and name not in instance
        ]
    if validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        return [
            _problem(
                path,
                control_id,
                f"key `{_key([*where, name])}` is not allowed",
                "only " + ", ".join(f"`{name}`" for name in allowed),
            )
            for name in instance
            if name not in allowed
        ]
    if validator == "enum":
        return [_problem(path, control_id, f"key `{key}` is {instance!r}", _describe(error.schema))]
    if validator == "oneOf" and not where and isinstance(instance, Mapping):
        both = "sources" in instance and "aws_sources" in instance
        return [
            _problem(
                path,
                control_id,
                "keys `sources` and `aws_sources` are both set" if both else "key `sources` is missing",
                "`sources` (quotes from the seeds), or `aws_sources` for a control derived from AWS"
                " documentation (the DEP family), not both",
            )
        ]
    if validator == "oneOf" and isinstance(instance, Mapping):
        has_manual = "manual" in instance
        has_checks = "checks" in instance or "status" in instance
        if has_manual and has_checks:
            wrong = f"key `{key}` has both `manual` and `checks`/`status`"
        elif "checks" in instance:
            wrong = f"key `{key}.status` is missing"
            return [_problem(path, control_id, wrong, "one of automated, planned")]
        elif "status" in instance:
            wrong = f"key `{key}.checks` is missing"
            return [_problem(path, control_id, wrong, "a non-empty list of check IDs")]
        else:
            wrong = f"key `{key}` has neither `checks` nor `manual`"
        return [_problem(path, control_id, wrong, _describe(error.schema))]
    if validator == "not" and not where and isinstance(instance, Mapping) and "manual" in instance:
        return [
            _problem(
                path,
                control_id,
                "key `manual` is set on a control that has layers",
                "`manual` only on a control without layers (use `manual` inside a layer instead)",
            )
        ]
    if validator == "type":
        return [
            _problem(
                path,
                control_id,
                f"key `{key}` is a {type(instance).__name__} ({instance!r})",
                _describe(error.schema),
            )
        ]
    if validator in {"minLength", "pattern"} and isinstance(instance, str) and not instance.strip():
        return [_problem(path, control_id, f"key `{key}` is empty", _describe(error.schema))]
    if validator == "pattern":
        return [_problem(path, control_id, f"key `{key}` is {instance!r}", _describe(error.schema))]
    if validator == "minItems":
        return [_problem(path, control_id, f"key `{key}` is an empty list", _describe(error.schema))]
    if validator == "maxLength":
        return [
            _problem(
                path,
                control_id,
                f"key `{key}` is {len(instance)} characters long",
                f"a short quote of at most {error.validator_value} characters",
            )
        ]
    if validator == "minLength":
        return [
            _problem(
                path,
                control_id,
                f"key `{key}` is {instance!r}",
                f"at least {error.validator_value} characters",
            )
        ]
    if validator == "uniqueItems":
        return [_problem(path, control_id, f"key `{key}` lists a check more than once", "each check once")]
    return [
        _problem(path, control_id, f"key `{key}`: {error.message}", "a value matching the catalog schema")
    ]


# libyaml's loader when PyYAML has it: every check reads the whole catalog, and the pure-Python loader was
# most of a cached one-stack check's time. Errors are worded by the pure-Python loader (see ``_read``).
_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> tuple[Any, list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
        try:
            return yaml.load(text, Loader=_FAST_LOADER), []  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            return yaml.safe_load(text), []  # raises again, with the usual line, column and wording
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        return None, [_problem(path, path.stem, f"is not valid YAML{where} ({problem})", "a YAML mapping")]
    except OSError as error:
        return None, [_problem(path, path.stem, f"cannot be read ({error.strerror})", "a readable file")]


def _validate_file(path: Path, raw: Any) -> list[str]:
    if not isinstance(raw, Mapping):
        return [_problem(path, path.stem, f"holds a {type(raw).__name__}, not a mapping", "a YAML mapping")]
    raw_id = raw.get("id")
    control_id = raw_id if isinstance(raw_id, str) and raw_id else path.stem
    validator = jsonschema.Draft202012Validator(_schema())
    # Sorted by message, hence by key: a reader fixes the file top to bottom.
    problems = sorted(
        {p for error in validator.iter_errors(raw) for p in _schema_problem(path, control_id, error)}
    )
    if problems:
        return problems
    if raw["id"] != path.stem:
        problems.append(
            _problem(
                path,
                control_id,
                f"key `id` is {raw['id']!r} but the file is named {path.name}",
                f"the file to be named {raw['id']}.yaml",
            )
        )
    problems.extend(_scope_problems(path, control_id, raw["layers"]))
    for index, source in enumerate(raw.get("sources", ())):
        canonical = SOURCE_DOCUMENTS[source["document"]].title
        if source["title"] != canonical:
            problems.append(
                _problem(
                    path,
                    control_id,
                    f"key `sources[{index}].title` is {source['title']!r}",
                    f"{canonical!r}, the title of document {source['document']}",
                )
            )
    return problems


def _scope_problems(path: Path, control_id: str, layers: Mapping[str, Any]) -> list[str]:
    """Every gate check names the kinds of stack it judges; scopes name gate checks only."""
    problems = []
    for name, layer in layers.items():
        if name != "gate" and "scopes" in layer:
            problems.append(
                _problem(
                    path, control_id, f"key `layers.{name}.scopes` is set", "scopes in the gate layer only"
                )
            )
    gate = layers.get("gate") or {}
    checks = list(gate.get("checks") or ())
    scopes = gate.get("scopes") or {}
    for check in checks:
        if check not in scopes:
            problems.append(
                _problem(
                    path,
                    control_id,
                    f"key `layers.gate.scopes.{check}` is missing",
                    "the kinds of stack the check judges: any, or a list of tenant, org, service",
                )
            )
    for check in scopes:
        if check not in checks:
            problems.append(
                _problem(
                    path,
                    control_id,
                    f"key `layers.gate.scopes.{check}` names no check of the gate layer",
                    "one scope per entry of `layers.gate.checks`",
                )
            )
    return problems


def _control(path: Path, raw: Mapping[str, Any]) -> Control:
    return Control(
        id=raw["id"],
        severity=raw["severity"],
        enforcement=raw["enforcement"],
        remediation=raw["remediation"],
        title_en=raw["title"]["en"],
        title_ja=raw["title"]["ja"],
        layers={name: dict(raw["layers"][name]) for name in LAYERS if name in raw["layers"]},
        requirement=raw["requirement"],
        rationale=raw["rationale"],
        sources=tuple(Source(**source) for source in raw.get("sources", ())),
        aws_sources=tuple(AwsSource(**source) for source in raw.get("aws_sources", ())),
        manual=raw.get("manual"),
        path=path,
        waivable=raw.get("waivable", True),
    )


def _sort_key(control_id: str) -> tuple[int, str]:
    family = control_id.split("-", 1)[0]
    rank = FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER)
    return rank, control_id


def _ownership_problems(controls: Sequence[Control]) -> list[str]:
    owners: dict[tuple[str, str], list[Control]] = {}
    for control in controls:
        for layer in SINGLE_OWNER_LAYERS:
            for check in control.checks(layer):
                owners.setdefault((layer, check), []).append(control)
    problems = []
    for (layer, check), cited_by in sorted(owners.items()):
        if len(cited_by) > 1:
            others = ", ".join(c.id for c in cited_by)
            for control in cited_by:
                assert control.path is not None
                problems.append(
                    _problem(
                        control.path,
                        control.id,
                        f"key `layers.{layer}.checks` cites {check!r}, which {others} all cite",
                        f"each {layer} check cited by exactly one control",
                    )
                )
    return problems


def normalise_whitespace(text: str) -> str:
    return " ".join(text.split())


def quote_problems(controls: Iterable[Control], seeds_dir: Path) -> list[str]:
    """Every quote that is not verbatim (after whitespace normalisation) in its source document."""
    texts: dict[str, str] = {}
    problems = []
    for control in controls:
        for index, source in enumerate(control.sources):
            document = SOURCE_DOCUMENTS[source.document]
            if source.document not in texts:
                texts[source.document] = normalise_whitespace(
                    (seeds_dir / document.file).read_text(encoding="utf-8")
                )
            if normalise_whitespace(source.quote) not in texts[source.document]:
                problems.append(
                    _problem(
                        control.path or CATALOG_DIR / f"{control.id}.yaml",
                        control.id,
                        f"key `sources[{index}].quote` {source.quote!r} is not in document {source.document} "
                        f"({document.file})",
                        "a verbatim quote from that document",
                    )
                )
    return problems


def load_catalog_dir(directory: Path, *, seeds_dir: Path | None = None) -> dict[str, Control]:
    """Load and validate every ``*.yaml`` in ``directory``; raise ``CatalogError`` listing all problems.

    With ``seeds_dir``, also check every quote against the source documents there.
    """
    problems: list[str] = []
    controls: list[Control] = []
    for path in sorted(directory.glob("*.yaml")):
        raw, read_problems = _read(path)
        file_problems = read_problems or _validate_file(path, raw)
        if file_problems:
            problems.extend(file_problems)
        else:
            controls.append(_control(path, raw))
    if not controls and not problems:
        problems.append(
            f"catalog directory {_display(directory)}: holds no *.yaml control files; expected one per"
            " control."
        )
    problems.extend(_ownership_problems(controls))
    if seeds_dir is not None and not problems:
        problems.extend(quote_problems(controls, seeds_dir))
    if problems:
        raise CatalogError(problems)
    return {control.id: control for control in sorted(controls, key=lambda c: _sort_key(c.id))}


@cache
def load_catalog() -> dict[str, Control]:
    """The project's catalog, in the order of controls.md."""
    return load_catalog_dir(CATALOG_DIR)


@cache
def control_for_rule(rule_id: str) -> Control:
    owners = [c for c in load_catalog().values() if rule_id in c.checks("gate")]
    if len(owners) != 1:
        raise LookupError(
            f"rule {rule_id!r} is cited by {len(owners)} controls' gate layer; expected exactly one"
        )
    return owners[0]
