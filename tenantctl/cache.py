"""A content-addressed cache of synth results and per-stack gate results, on disk, shareable by CI runs.

An entry's **key** digests what is known before running the program: the tool (the synth's own sources,
the Pulumi SDK and provider versions, Python's version), the project file, the stack's config file,
the ``--set`` overrides and the project's location. What the program reads while it runs is recorded in
the entry as **dependencies** and checked on every lookup: the content of each file it opened and the
listing of each directory it scanned under the project (the org stack globs the tenant stack files), the
sources of the project's modules it imported, and a digest of the outputs each stack reference read. A
lookup whose dependencies changed is a miss, and the entry is rewritten after the new synthesis. A
stack reference's outputs come from the referenced stack's own entry, so a tenant stack whose org stack
outputs did not change stays cached when only another tenant's file changed.

A program that uses only part of a file reads it through a **part reader** (``read_part``): the entry
then depends on what the reader returned, not on the whole file. When such a file changed, the lookup
runs the reader again and the entry stays valid if the part is the same. The org stack reads each tenant
stack file that way (the account's identity, not the tenant's WAF or backup settings), so editing one
tenant's own settings re-synthesizes that tenant only.

Safety when runs share the directory: an entry is written to a temporary file in the same directory and
renamed into place (``os.replace`` is atomic on POSIX), so a reader sees a whole entry or none; every
entry carries the SHA-256 and the size of its payload and its own key, and one that does not verify
(truncated, corrupt, written by another format) is treated as a miss and rewritten. Secret config values
can appear in the raw outputs kept for stack references: entries are created readable by their owner only.

Location: ``--cache-dir``, else ``$TENANTCTL_CACHE_DIR``, else ``$XDG_CACHE_HOME/tenantctl``, else
``~/.cache/tenantctl``. ``tenantctl cache clear`` removes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

from tenantctl.errors import UserError

T = TypeVar("T")

CACHE_ENV = "TENANTCTL_CACHE_DIR"
# The subdirectories of a cache: synth results, gate results, which stacks each stack referenced, parsed
# stack and project files.
KINDS = ("synth", "gate", "refs", "parse")
# Bumped when the entry layout changes: older entries then never verify.
FORMAT = "tenantctl-cache/2"
# Distributions whose version changes what the synth or the gate produce.
SYNTH_DISTRIBUTIONS = ("pulumi", "pulumi-aws")
GATE_DISTRIBUTIONS = ("pulumi-policy",)
_TOOL_DIR = Path(__file__).resolve().parent


def default_dir() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "tenantctl"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return _sha256(path.read_bytes())
    except OSError:
        return None


def _dir_digest(path: Path) -> str | None:
    try:
        return _sha256("\0".join(sorted(os.listdir(path))).encode())
    except OSError:
        return None


def _sources_digest(directory: Path, patterns: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(directory.rglob(pattern)):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _versions(names: Sequence[str]) -> str:
    found = []
    for name in names:
        try:
            found.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}==absent")
    return ",".join(found)


@cache
def synth_fingerprint() -> str:
    """The tool's part of every synth key: the offline synth's sources and the SDK/provider versions."""
    parts = (
        FORMAT,
        sys.version,
        _versions(SYNTH_DISTRIBUTIONS),
        _sources_digest(_TOOL_DIR / "synth", ("*.py",)),
        # the hostile-input reader parses the project and stack files the synth runs with
        _sources_digest(_TOOL_DIR / "inputs", ("*.py",)),
        _sha256(Path(__file__).read_bytes()),
    )
    return _sha256("\n".join(parts).encode())


@cache
def gate_fingerprint() -> str:
    """The tool's part of every gate key: the rules and catalog, the gate's sources, pulumi-policy."""
    import policies

    policies_dir = Path(policies.__file__).resolve().parent
    parts = (
        FORMAT,
        sys.version,
        _versions(GATE_DISTRIBUTIONS),
        _sources_digest(policies_dir, ("*.py", "*.yaml", "*.yml")),
        _sources_digest(_TOOL_DIR / "gate", ("*.py",)),
    )
    return _sha256("\n".join(parts).encode())


@contextlib.contextmanager
def keeping_parses(directory: Path | None) -> Iterator[None]:
    """While active, parsed project and stack files are kept in the cache too (a fleet's warm check
    otherwise parses every stack file again to learn its kind), keyed by the parser's sources and the
    file's content. ``None``: no cache, nothing kept beyond the process."""
    from tenantctl.inputs.memo import keep_parses_in, kept_parses

    before = kept_parses()
    keep_parses_in(Store(directory) if directory is not None else None, synth_fingerprint())
    try:
        yield
    finally:
        keep_parses_in(*before)


def _refs_key(root: Path, stack: str) -> str:
    """Names the hint of which stacks a stack referenced last time (a hint only: never trusted as data)."""
    return _sha256(f"{root}\0{stack}".encode())


def outputs_digest(outputs: Mapping[str, Any]) -> str:
    return _sha256(json.dumps(outputs, sort_keys=True, default=repr).encode())


# --- recording what a program reads ------------------------------------------------------------------


class _Recorder:
    """Files opened for reading and directories listed under ``root`` while it is active."""

    def __init__(self, root: Path, ignore: Sequence[Path], stack: str) -> None:
        self.root = root
        self.thread = f"{SYNTH_THREAD_PREFIX}{stack}"
        self.ignore = tuple(ignore)
        self.files: set[Path] = set()
        self.dirs: set[Path] = set()
        # file -> (the part reader's name, the digest of the part it returned)
        self.parts: dict[Path, tuple[str, str]] = {}

    def _inside(self, raw: Any) -> Path | None:
        if isinstance(raw, int) or raw is None:
            return None
        try:
            path = Path(os.fsdecode(raw))
            path = Path(os.path.abspath(path))
        except (TypeError, ValueError):
            return None
        if not path.is_relative_to(self.root) or any(path.is_relative_to(i) for i in self.ignore):
            return None
        if _INSTALLED_PARTS & set(path.parts):
            return None  # an installed distribution (a venv inside the project): its version is in the key
        return path


_INSTALLED_PARTS = frozenset({"site-packages", "dist-packages"})
_EVENTS = frozenset({"open", "os.scandir", "os.listdir"})
# The engine runs each synthesis on a thread named "synth-<stack>".
SYNTH_THREAD_PREFIX = "synth-"
_RECORDERS: list[_Recorder] = []
_REFERENCE_CODE: set[Any] = set()
_RECORDERS_LOCK = threading.Lock()
_HOOK_INSTALLED = False


_PARTIAL = threading.local()  # depth of part readers running on this thread


def _current_recorder() -> _Recorder | None:
    """The recording this thread's reads belong to, if any."""
    if not _RECORDERS:
        return None
    recorder = _RECORDERS[-1]
    thread = threading.current_thread().name
    # A stack reference synthesized inside this run has its own synth thread: its reads are that
    # stack's dependencies (this run depends on its outputs instead).
    if thread.startswith(SYNTH_THREAD_PREFIX) and thread != recorder.thread:
        return None
    return recorder


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _RECORDERS or event not in _EVENTS or getattr(_PARTIAL, "depth", 0) > 0:
        return
    recorder = _current_recorder()
    if recorder is None:
        return
    # Reads made to resolve a stack reference (the referenced stack's files) are that stack's
    # dependencies too: this run depends on the outputs it got, which the entry records.
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_code in _REFERENCE_CODE:
            return
        frame = frame.f_back
    if event == "open":
        mode = args[1] if len(args) > 1 else "r"
        if isinstance(mode, str) and any(flag in mode for flag in "wax+"):
            return
        path = recorder._inside(args[0])
        if path is None:
            return
        if path.suffix == ".pyc":
            # an import from the bytecode cache: the dependency is the source it was compiled from
            try:
                path = Path(importlib.util.source_from_cache(str(path)))
            except ValueError:
                return
        recorder.files.add(path)
    else:
        path = recorder._inside(args[0] if args else ".")
        if path is not None:
            recorder.dirs.add(path)


@contextlib.contextmanager
def recording(root: Path, ignore: Sequence[Path], stack: str) -> Iterator[_Recorder]:
    """Records what is read under ``root``; nested recordings each see only their own reads."""
    global _HOOK_INSTALLED
    from tenantctl.synth.project import fingerprint
    from tenantctl.synth.stackrefs import StackReferences

    with _RECORDERS_LOCK:
        # resolving a reference, and digesting every stack file for the in-process reference cache
        _REFERENCE_CODE.update((StackReferences.__call__.__code__, fingerprint.__code__))
        if not _HOOK_INSTALLED:
            # An audit hook cannot be removed; it does nothing while no recording is active.
            sys.addaudithook(_audit)
            _HOOK_INSTALLED = True
    recorder = _Recorder(root, ignore, stack)
    _RECORDERS.append(recorder)
    try:
        yield recorder
    finally:
        _RECORDERS.remove(recorder)


_PART_READER = "__tenantctl_part_reader__"


def part_reader(function: Callable[[Path], T]) -> Callable[[Path], T]:
    """Marks a module-level function ``path -> JSON value`` as a part reader: a cache lookup may call it
    (by its module and name) to learn whether the part of a changed file that a program used changed."""
    setattr(function, _PART_READER, True)
    return function


def read_part(reader: Callable[[Path], T], path: Path) -> T:
    """``reader(path)``; a recording synthesis depends on the value returned instead of the whole file.

    The value must be a pure function of the file's content and JSON-serializable. Outside a recording
    this is just the call.
    """
    if not getattr(reader, _PART_READER, False):
        raise TypeError(f"{reader!r} is not declared with @part_reader")
    _PARTIAL.depth = getattr(_PARTIAL, "depth", 0) + 1
    try:
        value = reader(path)
    finally:
        _PARTIAL.depth -= 1
    recorder = _current_recorder() if _RECORDERS else None
    if recorder is not None:
        inside = recorder._inside(path)
        if inside is not None:
            recorder.parts[inside] = (_reader_name(reader), _part_digest(value))
    return value


def _reader_name(reader: Callable[..., Any]) -> str:
    return f"{reader.__module__}:{reader.__qualname__}"


def _part_digest(value: Any) -> str:
    return _sha256(json.dumps(value, sort_keys=True, default=repr).encode())


def _current_part(name: str, path: Path) -> str | None:
    """The digest of the part ``name`` reads from ``path`` now (None: the reader cannot be used)."""
    module_name, _, qualname = name.partition(":")
    try:
        function: Any = importlib.import_module(module_name)
        for attribute in qualname.split("."):
            function = getattr(function, attribute)
        if not getattr(function, _PART_READER, False):
            return None  # only functions declared as part readers are ever called from an entry
        _PARTIAL.depth = getattr(_PARTIAL, "depth", 0) + 1
        try:
            return _part_digest(function(path))
        finally:
            _PARTIAL.depth -= 1
    except Exception:  # noqa: BLE001 - any failure of the reader makes the entry a miss, never an error
        return None


def _module_files(root: Path, ignore: Sequence[Path]) -> set[Path]:
    """Source files of the imported modules that live in the project, outside the tool's own packages."""
    found: set[Path] = set()
    for module in list(sys.modules.values()):
        filename = getattr(module, "__file__", None)
        if not filename or not filename.endswith(".py"):
            continue
        path = Path(filename)
        if _INSTALLED_PARTS & set(path.parts):
            continue
        if path.is_relative_to(root) and not any(path.is_relative_to(i) for i in ignore):
            found.add(path)
    return found


# --- entries on disk ---------------------------------------------------------------------------------


@dataclass
class SynthEntry:
    document: dict[str, Any]
    outputs: dict[str, Any]
    # what the run read: relative path -> digest (None: did not exist)
    files: dict[str, str | None] = field(default_factory=dict)
    dirs: dict[str, str | None] = field(default_factory=dict)
    # referenced stack -> digest of the outputs the run read from it
    references: dict[str, str] = field(default_factory=dict)
    # files read through a part reader: relative path -> [file digest, reader name, part digest]
    parts: dict[str, list[str | None]] = field(default_factory=dict)
    digest: str = ""  # the payload's SHA-256: names this synth result in gate keys

    def payload(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "outputs": self.outputs,
            "files": self.files,
            "dirs": self.dirs,
            "references": self.references,
            "parts": self.parts,
        }


class Store:
    """Verified, atomically written JSON entries under one directory (``<kind>/<ab>/<key>``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def _path(self, kind: str, key: str) -> Path:
        return self.directory / kind / key[:2] / key

    def read(self, kind: str, key: str) -> tuple[Any, str] | None:
        """(payload, payload digest), or None when absent or when the entry does not verify."""
        try:
            raw = self._path(kind, key).read_bytes()
        except OSError:
            return None
        header, _, body = raw.partition(b"\n")
        try:
            meta = json.loads(header)
            if not isinstance(meta, dict):
                return None
            if meta.get("format") != FORMAT or meta.get("key") != key:
                return None
            if meta.get("size") != len(body) or meta.get("sha256") != _sha256(body):
                return None
            return json.loads(body), str(meta["sha256"])
        except (ValueError, KeyError):
            return None

    def write(self, kind: str, key: str, payload: Any) -> str | None:
        """Writes the entry atomically; returns the payload digest (None when it cannot be stored)."""
        try:
            body = json.dumps(payload, sort_keys=True, ensure_ascii=False, allow_nan=True).encode()
        except (TypeError, ValueError):
            return None  # not JSON (a value the synth could not reduce): simply not cached
        digest = _sha256(body)
        header = json.dumps({"format": FORMAT, "key": key, "size": len(body), "sha256": digest}).encode()
        target = self._path(kind, key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{key[:16]}.", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(header + b"\n" + body)
                os.replace(temporary, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            return None  # a read-only or full cache slows the run down; it never fails it
        return digest

    def clear(self) -> None:
        """Removes the entries, and the directory when nothing else is in it (never a user's other files)."""
        for kind in KINDS:
            shutil.rmtree(self.directory / kind, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.directory.rmdir()


class SynthCache:
    """Synth results by content, with their dependencies verified on every lookup."""

    def __init__(self, directory: Path | None = None) -> None:
        self.store = Store(directory if directory is not None else default_dir())
        self.hits = 0
        self.misses = 0
        self.last_hit = False
        # One object serves one run, which sees the files as they were when it looked: entries
        # verified and outputs resolved are kept for the rest of the run.
        self._outputs: dict[str, dict[str, Any]] = {}
        self._entries: dict[str, SynthEntry] = {}

    @property
    def directory(self) -> Path:
        return self.store.directory

    def _ignored(self) -> list[Path]:
        ignored = [_TOOL_DIR, self.directory.resolve()]
        with contextlib.suppress(ImportError):
            import policies

            ignored.append(Path(policies.__file__).resolve().parent)
        return ignored

    def key(
        self, program: Path, stack: str, config_file: Path | None = None, overrides: Sequence[str] = ()
    ) -> str:
        """What is known before the program runs (raises UserError as the synth would on bad input)."""
        from tenantctl.synth.project import load_project, stack_file

        project = load_project(Path(program))
        config_path = config_file if config_file is not None else stack_file(project, stack)
        try:
            config_bytes = Path(config_path).read_bytes()
        except OSError as error:
            raise UserError(
                f"--config-file {config_path}: cannot be read ({error.strerror}); expected a readable "
                "Pulumi.<stack>.yaml."
            ) from None
        parts = [
            synth_fingerprint(),
            str(project.root),
            project.file.read_bytes().hex(),
            stack,
            config_bytes.hex(),
            json.dumps(list(overrides)),
        ]
        return _sha256("\0".join(parts).encode())

    def _verify(
        self, project_root: Path, entry: SynthEntry, program: Path, visiting: tuple[str, ...]
    ) -> bool:
        for relative, digest in entry.files.items():
            if _file_digest(project_root / relative) != digest:
                return False
        for relative, digest in entry.dirs.items():
            if _dir_digest(project_root / relative) != digest:
                return False
        for relative, (file_digest, reader, part) in entry.parts.items():
            path = project_root / relative
            if _file_digest(path) != file_digest and (
                not isinstance(reader, str) or _current_part(reader, path) != part
            ):
                return False
        for stack, digest in entry.references.items():
            if stack in visiting:
                return False
            outputs = self.stack_outputs(program, stack, visiting)
            if outputs is None or outputs_digest(outputs) != digest:
                return False
        return True

    def lookup(
        self,
        program: Path,
        stack: str,
        *,
        config_file: Path | None = None,
        overrides: Sequence[str] = (),
        _visiting: tuple[str, ...] = (),
    ) -> SynthEntry | None:
        from tenantctl.synth.project import load_project

        key = self.key(program, stack, config_file, overrides)
        if key in self._entries:
            return self._entries[key]
        found = self.store.read("synth", key)
        if found is None:
            return None
        payload, digest = found
        try:
            entry = SynthEntry(
                document=dict(payload["document"]),
                outputs=dict(payload["outputs"]),
                files=dict(payload["files"]),
                dirs=dict(payload["dirs"]),
                references=dict(payload["references"]),
                parts={str(k): list(v) for k, v in dict(payload["parts"]).items()},
                digest=digest,
            )
            if any(len(v) != 3 for v in entry.parts.values()):
                return None
        except (KeyError, TypeError, ValueError):
            return None
        root = load_project(Path(program)).root
        if not self._verify(root, entry, program, (*_visiting, stack)):
            return None
        self._entries[key] = entry
        return entry

    def stack_outputs(
        self, program: Path, stack: str, visiting: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        """The current outputs of a referenced stack: from its entry, else by synthesizing it now."""
        memo = f"{Path(program).resolve()}\0{stack}"
        if memo in self._outputs:
            return self._outputs[memo]
        entry = self.lookup(program, stack, _visiting=visiting)
        if entry is None:
            try:
                self.misses += 1
                entry = self._run(program, stack, None, (), visiting)
            except UserError:
                return None  # the referencing stack will be synthesized and report the failure itself
        self._outputs[memo] = entry.outputs
        return entry.outputs

    def synthesize(
        self,
        program: Path,
        stack: str,
        *,
        config_file: Path | None = None,
        overrides: Sequence[str] = (),
        _visiting: tuple[str, ...] = (),
    ) -> SynthEntry:
        """A cached synth result, or a new synthesis that is then stored."""
        entry = self.lookup(program, stack, config_file=config_file, overrides=overrides, _visiting=_visiting)
        self.last_hit = entry is not None
        if entry is not None:
            self.hits += 1
            return entry
        self.misses += 1
        return self._run(program, stack, config_file, overrides, _visiting)

    def _run(
        self,
        program: Path,
        stack: str,
        config_file: Path | None,
        overrides: Sequence[str],
        visiting: tuple[str, ...],
    ) -> SynthEntry:
        from tenantctl.synth import stackrefs
        from tenantctl.synth.engine import synthesize_result
        from tenantctl.synth.project import load_project

        project = load_project(Path(program))
        key = self.key(program, stack, config_file, overrides)
        # The stacks this one referenced last time are resolved first, through the cache, so that the
        # synthesis reads their cached outputs instead of synthesizing them inside this run.
        for referenced in self._referenced_before(project.root, stack):
            if referenced not in visiting and referenced != stack:
                outputs = self.stack_outputs(program, referenced, (*visiting, stack))
                if outputs is not None:
                    stackrefs.remember(project, referenced, outputs)
        ignored = self._ignored()
        with recording(project.root, ignored, stack) as recorder:
            result = synthesize_result(program, stack, config_file=config_file, overrides=overrides)
        root = project.root
        # a file also opened outside a part reader is a whole-file dependency
        parts = {p: v for p, v in recorder.parts.items() if p not in recorder.files}
        read = recorder.files | _module_files(root, ignored)
        entry = SynthEntry(
            document=result.document,
            outputs=json.loads(json.dumps(dict(result.outputs), default=repr)),
            files={p.relative_to(root).as_posix(): _file_digest(p) for p in sorted(read)},
            dirs={p.relative_to(root).as_posix(): _dir_digest(p) for p in sorted(recorder.dirs)},
            references={name: outputs_digest(out) for name, out in sorted(result.references.items())},
            parts={
                p.relative_to(root).as_posix(): [_file_digest(p), reader, part]
                for p, (reader, part) in sorted(parts.items())
            },
        )
        entry.digest = self.store.write("synth", key, entry.payload()) or _sha256(
            json.dumps(entry.payload(), sort_keys=True, default=repr).encode()
        )
        self._entries[key] = entry
        self.store.write("refs", _refs_key(project.root, stack), sorted(result.references))
        return entry

    def _referenced_before(self, root: Path, stack: str) -> list[str]:
        found = self.store.read("refs", _refs_key(root, stack))
        if found is None or not isinstance(found[0], list):
            return []
        return [str(name) for name in found[0]]

    def clear(self) -> None:
        self.store.clear()
        self._outputs.clear()
        self._entries.clear()
