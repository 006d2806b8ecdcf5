"""Generated hostile inputs and the properties every one of them must keep.

A case is a stack file (given as ``--config-file``) plus ``--set`` arguments for the ``acme-prod`` stack, run
through the input stage of ``tenantctl check``: the project file, the stack file, the overrides, and what the
tenant program checks before it declares anything (the tenant specification, ``aws:region``,
``tenant-zone:orgStack``). The synthesis and the gate that follow are not run: they only ever see inputs this
stage accepted, and a generated case that is accepted is counted, not gated.

Properties: the stage ends with exit 0 (accepted) or 2 (refused), never 3; no traceback; a refusal names the
file or the ``--set`` argument and, for a tenant setting, the key; no raw control character reaches the
message; nothing is written to the project or next to the config file.

``TARGETS`` are the readers of user YAML (any document, onboarding requests, waivers): each maps a file to its
parsed value or raises a UserError, and gets the same generated documents.
"""

from __future__ import annotations

import io
import json
import re
import time
import traceback
import tracemalloc
from collections.abc import Callable
from contextlib import redirect_stderr
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
from hypothesis import strategies as st
from pulumi.runtime import settings as pulumi_settings

from tenantctl.errors import UserError
from tenantctl.gate.waivers import read_waiver_file
from tenantctl.inputs import read_yaml_document
from tenantctl.lifecycle.tenancy import read_request
from tenantctl.synth import failures
from tenantctl.synth.config import load_stack_config
from tenantctl.synth.configpath import parse_override
from tenantctl.synth.project import load_project

REPO = Path(__file__).resolve().parents[2]
STACK = "acme-prod"
BASE = (REPO / "stacks" / f"Pulumi.{STACK}.yaml").read_text(encoding="utf-8")
TENANT_KEYS = [
    line.split(":", 1)[0].strip() for line in BASE.splitlines() if line.startswith("    ") and ":" in line
]

# Each refusal names one of these: the input it came from.
_SOURCE = re.compile(r"^(--config-file |--set |--waivers |onboarding request |stack acme-prod)")
# A tenant-setting problem starts with the key it is about.
_KEYED_LINE = re.compile(r"^[A-Za-z0-9_.-]+:\S.*?: ")


# --- values and fragments an attacker or a careless user would write ---------------------------------------

HOSTILE_VALUES: list[str] = [
    "!Ref Something",
    "!!python/object:os.system ls",
    "!!python/object/apply:os.system [ls]",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!timestamp 2024-01-01",
    "!!omap [a: 1]",
    "!!int abc",
    "!!float abc",
    "!!bool maybe",
    "!!null x",
    "!!str 10",
    "9" * 4301,
    "-" + "9" * 30,
    "0x" + "f" * 40,
    "1e400",
    ".nan",
    "-.inf",
    "2024-01-01",
    "yes",
    "~",
    "''",
    '"app.acme.example.jp\\n"',
    '"10.16.0.0/16\\n"',
    '"security@acme.example.jp\\n"',
    '"\\x1b[31mred"',
    '"\\u0000"',
    '"' + "x" * 10_000 + '"',
    "a..b@acme.example.jp",
    ".a@acme.example.jp",
    "a" * 65 + "@acme.example.jp",
    "soc@[192.0.2.1]",
    "soc@acme.j",
    "10.16.0.0/255.255.0.0",
    "10.16.0.1/16",
    "10.16.0.0",
    "fd00::/48",
    "[JP, US]",
    "{a: 1}",
    "&x [1, *x]",
    "*nowhere",
    "[" * 600 + "]" * 600,
    "{" * 300,
    "? [a]\n    : 1",
    "|\n      multi\n      line",
    "us-east-1",
    "ap-northeast-3",
    "false",
    "0",
    "-1",
    "beta-prod",
    "x/y/org",
]


def yaml_quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar (JSON escapes are valid YAML escapes)."""
    return json.dumps(text)


scalar_sources = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.text(max_size=40).map(yaml_quoted),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True).map(repr),
)


@st.composite
def alias_bomb(draw: st.DrawFn) -> str:
    fan = draw(st.integers(min_value=2, max_value=12))
    levels = draw(st.integers(min_value=1, max_value=9))
    lines = [f"  tenant-zone:bomb{fan}:", "    l0: &l0 [" + ", ".join(["x"] * fan) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"    l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * fan) + "]")
    return "\n".join(lines) + "\n"


@st.composite
def deep_nesting(draw: st.DrawFn) -> str:
    depth = draw(st.integers(min_value=1, max_value=2000))
    if draw(st.booleans()):
        return "    deep: " + "[" * depth + "]" * depth + "\n"
    return "".join("    " + "  " * i + "k:\n" for i in range(min(depth, 300)))


@st.composite
def replaced_value(draw: st.DrawFn) -> str:
    key = draw(st.sampled_from(TENANT_KEYS))
    value = draw(scalar_sources)
    lines = BASE.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{key}:"))
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    lines[index] = f"{indent}{key}: {value}\n"
    return "".join(lines)


@st.composite
def inserted_line(draw: st.DrawFn) -> str:
    lines = BASE.splitlines(keepends=True)
    where = draw(st.integers(min_value=0, max_value=len(lines)))
    if draw(st.booleans()):
        line = draw(st.sampled_from(lines))  # a duplicate key, or a line moved
    else:
        indent = draw(st.sampled_from(["", "  ", "    ", "      "]))
        key = draw(st.sampled_from([*TENANT_KEYS, "vpc_cidr", "account_email", "tenant-zone:orgStack", "x"]))
        line = f"{indent}{key}: {draw(scalar_sources)}\n"
    return "".join(lines[:where] + [line] + lines[where:])


@st.composite
def appended_structure(draw: st.DrawFn) -> str:
    extra = draw(st.one_of(alias_bomb(), deep_nesting()))
    return BASE + extra


@st.composite
def byte_mutation(draw: st.DrawFn) -> bytes:
    data = bytearray(BASE.encode())
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        kind = draw(st.sampled_from(["insert", "replace", "delete"]))
        chunk = draw(
            st.one_of(
                st.binary(min_size=1, max_size=4),
                st.sampled_from(
                    [b"\xe9", b"\x93\xfa", b"\xff\xfe", b"\x00", b"\t", b"\r", b"\x1b", b"\xef\xbb\xbf"]
                ),
            )
        )
        if kind == "insert":
            data[at:at] = chunk
        elif kind == "replace":
            data[at : at + len(chunk)] = chunk
        else:
            del data[at : at + len(chunk)]
    if draw(st.booleans()):
        return bytes(data)
    return BASE.encode(draw(st.sampled_from(["utf-16", "utf-32", "shift_jis", "latin-1"])), errors="replace")


stack_files: st.SearchStrategy[str | bytes] = st.one_of(
    replaced_value(), inserted_line(), appended_structure(), byte_mutation()
)


@st.composite
def set_arguments(draw: st.DrawFn) -> str:
    key = draw(
        st.sampled_from(
            [
                "tenant.vpcCidr",
                "tenant-zone:tenant.incidentEmail",
                "tenant.backup.retentionDays",
                "tenant.allowedCidrs[0]",
                "tenant.vpc_cidr",
                "aws:region",
                "tenant-zone:orgStack",
                "tenant-zone :tenant.rateLimit",
                " tenant.id",
                'tenant["domainName"]',
                "tenant.mail.domain",
            ]
        )
    )
    extra = draw(
        st.one_of(
            st.just(""),
            st.lists(
                st.sampled_from([".a", "[0]", '["q.x"]', "..", "[", "]", '["', "[99]", ".b"]), max_size=8
            ).map("".join),
            st.integers(min_value=60, max_value=600).map(lambda n: ".a" * n),
            st.text(max_size=8),
        )
    )
    value = draw(st.one_of(scalar_sources, st.text(max_size=30)))
    separator = draw(st.sampled_from(["=", "=", "=", "", " = "]))
    return f"{key}{extra}{separator}{value}"


yaml_documents = st.one_of(stack_files, st.sampled_from(HOSTILE_VALUES).map(lambda v: f"key: {v}\n"))


# --- running one case
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    code: int
    message: str
    seconds: float
    peak_bytes: int
    wall_seconds: float = 0.0


def _tenant_program_checks(values: dict[str, str], secret_keys: list[str]) -> None:
    """What the tenant program checks before it declares a resource, with its config as the CLI gives it."""
    from stacks.tenant import org_stack_name, read_spec

    pulumi_settings.configure(pulumi_settings.Settings(project="tenant-zone", stack=STACK, dry_run=True))
    pulumi.runtime.set_all_config(values, secret_keys)
    read_spec(STACK)
    org_stack_name()


def _check_stage(config_file: Path, overrides: list[str]) -> None:
    project = load_project(REPO)
    for text in overrides:
        parse_override(text, project.name)
    config = load_stack_config(project, STACK, config_file=config_file, overrides=overrides)
    try:
        _tenant_program_checks(dict(config.values), sorted(config.secret_keys))
    except pulumi.RunError as error:
        raise failures.describe(error, stack=STACK, root=project.root, origin=config.origin) from None


def _run(action: Callable[[], Any]) -> tuple[int, str]:
    """The exit code and stderr the CLI would give for ``action``, as ``tenantctl.cli.main`` maps them."""
    err = io.StringIO()
    with redirect_stderr(err):
        try:
            action()
        except UserError as error:
            return UserError.exit_code, str(error)
        except Exception:  # noqa: BLE001 - an internal error is what the fuzzing looks for
            return 3, traceback.format_exc()
    return 0, err.getvalue()


def measured(action: Callable[[], Any]) -> Outcome:
    """Run one case; ``seconds`` is the CPU time of this process, ``wall_seconds`` the elapsed time.

    The budget applies to CPU time: on a shared machine the elapsed time also counts the time the scheduler
    gave to other processes, which says nothing about the input.
    """
    tracemalloc.reset_peak()
    started, started_wall = time.process_time(), time.perf_counter()
    code, message = _run(action)
    seconds, wall = time.process_time() - started, time.perf_counter() - started_wall
    _, peak = tracemalloc.get_traced_memory()
    return Outcome(code, message, seconds, peak, wall)


def _listing(*directories: Path) -> list[tuple[str, int, int]]:
    return sorted(
        (str(p), p.stat().st_size, p.stat().st_mtime_ns)
        for d in directories
        for p in d.rglob("*")
        if p.is_file()
    )


def run_stack_case(workdir: Path, content: str | bytes, overrides: list[str]) -> Outcome:
    """One case of ``check --stack acme-prod --config-file <content> [--set ...]``; asserts nothing was
    written."""
    path = workdir / f"Pulumi.{STACK}.yaml"
    path.write_bytes(
        content if isinstance(content, bytes) else content.encode("utf-8", errors="surrogatepass")
    )
    before = _listing(workdir, REPO / "stacks")
    outcome = measured(lambda: _check_stage(path, overrides))
    assert _listing(workdir, REPO / "stacks") == before, "the input stage wrote a file"
    return outcome


def read_document(path: Path) -> Any:
    return read_yaml_document(path, "file").to_python()


# Readers of user YAML and the function that reads one file with each; other readers register here.
TARGETS: dict[str, Callable[[Path], Any]] = {
    "yaml-document": read_document,
    "onboarding-request": read_request,
    "waivers": read_waiver_file,
}


def run_target_case(workdir: Path, target: str, content: str | bytes) -> Outcome:
    path = workdir / "input.yaml"
    path.write_bytes(
        content if isinstance(content, bytes) else content.encode("utf-8", errors="surrogatepass")
    )
    return measured(lambda: TARGETS[target](path))


# --- the properties
# --------------------------------------------------------------------------------------------


def problems_with(outcome: Outcome) -> list[str]:
    """Every property the outcome breaks (empty when it keeps them all)."""
    found: list[str] = []
    if outcome.code not in (0, 2):
        found.append(f"exit {outcome.code}: {outcome.message[-2000:]}")
        return found
    if "Traceback" in outcome.message:
        found.append("a traceback was printed")
    if outcome.code == 2:
        lines = outcome.message.split("\n")
        if not _SOURCE.match(lines[0]) and not lines[0].startswith("file "):
            found.append(f"the refusal does not name its input: {lines[0][:200]!r}")
        for line in lines[1:]:
            if not _KEYED_LINE.match(line):
                found.append(f"a problem line does not start with its key: {line[:200]!r}")
        if any(not line.isprintable() for line in lines):
            found.append(f"a raw control character reached the message: {outcome.message[:200]!r}")
        if any(len(line) > 2000 for line in lines):
            found.append("a message line is longer than 2,000 characters (a value was not cut)")
    return found


def start_tracing() -> None:
    if not tracemalloc.is_tracing():
        tracemalloc.start()
