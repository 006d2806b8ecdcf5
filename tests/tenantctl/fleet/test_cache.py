"""The synth cache: a change to any key input re-synthesizes exactly the stacks it affects, and an entry
that is corrupt, half-written or written by another run at the same time is never used."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import tenantctl.cache
import tenantctl.synth.engine
from tenantctl.cache import Store, SynthCache
from tenantctl.fleet import Settings, check_all, result_to_json
from tenantctl.gate.model import GateResult
from tests.tenantctl.fleet.program import TENANTS, owner_of, tenant_config, write_fleet

ALL = {"hub", *TENANTS}


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    return write_fleet(tmp_path / "fleet")


@pytest.fixture
def synthesized(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every stack the engine synthesizes, including one synthesized inside another for a reference."""
    names: list[str] = []
    original = tenantctl.synth.engine._synthesize

    def counting(project: Any, stack: str, *args: Any, **kwargs: Any) -> Any:
        names.append(stack)
        return original(project, stack, *args, **kwargs)

    monkeypatch.setattr(tenantctl.synth.engine, "_synthesize", counting)
    yield names


def run(fleet: Path, cache: Path | None, overrides: tuple[str, ...] = ()) -> dict[str, Any]:
    return report(check_all(Settings(fleet, overrides, cache, jobs=1)))


def report(result: GateResult) -> dict[str, Any]:
    return result_to_json(result)


def fresh(names: list[str], action: Callable[[], Any]) -> set[str]:
    names.clear()
    action()
    return set(names)


def test_results_with_and_without_the_cache_are_the_same(
    fleet: Path, tmp_path: Path, synthesized: list[str]
) -> None:
    cache = tmp_path / "cache"
    uncached = run(fleet, None)
    assert run(fleet, cache) == uncached
    assert fresh(synthesized, lambda: run(fleet, cache)) == set()
    assert run(fleet, cache) == uncached
    assert uncached["violations"], "the fixture program has findings, so equality compares something"


def test_changing_one_tenant_file_resynthesizes_that_tenant_and_the_stack_that_reads_it(
    fleet: Path, tmp_path: Path, synthesized: list[str]
) -> None:
    cache = tmp_path / "cache"
    run(fleet, cache)
    (fleet / "Pulumi.a.yaml").write_text(tenant_config("another-team"), encoding="utf-8")
    # hub reads every tenant file; its outputs do not change, so b and c keep their entries
    assert fresh(synthesized, lambda: run(fleet, cache)) == {"a", "hub"}
    assert fresh(synthesized, lambda: run(fleet, cache)) == set()


def test_referenced_outputs_that_change_resynthesize_every_referencing_stack(
    fleet: Path, tmp_path: Path, synthesized: list[str]
) -> None:
    cache = tmp_path / "cache"
    run(fleet, cache)
    (fleet / "Pulumi.d.yaml").write_text(tenant_config("team-d"), encoding="utf-8")
    assert fresh(synthesized, lambda: run(fleet, cache)) == {"hub", "a", "b", "c", "d"}


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda root: (root / "lib.py").write_text("def bucket_name(stack):\n    return stack\n"),
            id="module",
        ),
        pytest.param(
            lambda root: (root / "parts.py").write_text((root / "parts.py").read_text() + "\nVERSION = 2\n"),
            id="component",
        ),
        pytest.param(
            lambda root: (root / "Pulumi.yaml").write_text("name: fleet\nruntime: python\ndescription: x\n"),
            id="project-file",
        ),
    ],
)
def test_a_program_source_change_resynthesizes_every_stack(
    fleet: Path, tmp_path: Path, synthesized: list[str], change: Callable[[Path], Any]
) -> None:
    cache = tmp_path / "cache"
    run(fleet, cache)
    change(fleet)
    assert fresh(synthesized, lambda: run(fleet, cache)) == ALL


def test_overrides_are_part_of_the_key(fleet: Path, tmp_path: Path, synthesized: list[str]) -> None:
    cache = tmp_path / "cache"
    run(fleet, cache)
    assert fresh(synthesized, lambda: run(fleet, cache, ("fleet:owner=ops",))) >= set(TENANTS)
    assert fresh(synthesized, lambda: run(fleet, cache, ("fleet:owner=ops",))) == set()
    assert fresh(synthesized, lambda: run(fleet, cache)) == set()


def test_a_new_tool_or_provider_version_resynthesizes_every_stack(
    fleet: Path, tmp_path: Path, synthesized: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    run(fleet, cache)
    real = tenantctl.cache._versions
    monkeypatch.setattr(tenantctl.cache, "_versions", lambda names: real(names) + ",pulumi-aws==99")
    tenantctl.cache.synth_fingerprint.cache_clear()
    try:
        assert fresh(synthesized, lambda: run(fleet, cache)) == ALL
    finally:
        tenantctl.cache.synth_fingerprint.cache_clear()


def _entry_path(cache: Path, fleet: Path, stack: str) -> Path:
    key = SynthCache(cache).key(fleet, stack)
    return Store(cache)._path("synth", key)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: raw[:-10] + bytes([raw[-10] ^ 1]) + raw[-9:], id="flipped-byte"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: b"not json\n" + raw.partition(b"\n")[2], id="bad-header"),
    ],
)
def test_a_damaged_entry_is_never_used(
    fleet: Path, tmp_path: Path, synthesized: list[str], damage: Callable[[bytes], bytes]
) -> None:
    cache = tmp_path / "cache"
    expected = run(fleet, cache)
    path = _entry_path(cache, fleet, "b")
    path.write_bytes(damage(path.read_bytes()))
    assert fresh(synthesized, lambda: run(fleet, cache)) == {"b"}
    assert run(fleet, cache) == expected


def test_an_entry_under_another_key_is_never_used(
    fleet: Path, tmp_path: Path, synthesized: list[str]
) -> None:
    cache = tmp_path / "cache"
    expected = run(fleet, cache)
    # b's file now holds a's (valid, verified) entry: its header names a's key, so it is not b's result
    _entry_path(cache, fleet, "b").write_bytes(_entry_path(cache, fleet, "a").read_bytes())
    assert fresh(synthesized, lambda: run(fleet, cache)) == {"b"}
    assert run(fleet, cache) == expected


def test_a_half_written_temporary_file_is_ignored(
    fleet: Path, tmp_path: Path, synthesized: list[str]
) -> None:
    cache = tmp_path / "cache"
    expected = run(fleet, cache)
    path = _entry_path(cache, fleet, "b")
    (path.parent / f".{path.name[:16]}.partial.tmp").write_bytes(path.read_bytes()[:100])
    assert fresh(synthesized, lambda: run(fleet, cache)) == set()
    assert run(fleet, cache) == expected


def test_concurrent_writers_leave_one_whole_entry_and_readers_never_see_a_mix(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache")
    payloads = [{"writer": w, "data": [w] * 20_000} for w in (1, 2)]
    seen: list[Any] = []
    stop = threading.Event()

    def write(payload: dict[str, Any]) -> None:
        for _ in range(30):
            store.write("synth", "k" * 64, payload)

    def read() -> None:
        while not stop.is_set():
            found = store.read("synth", "k" * 64)
            if found is not None:
                seen.append(found[0])

    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write, args=(p,)) for p in payloads]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    reader.join()
    assert seen, "the reader saw entries while they were being replaced"
    assert all(entry in payloads for entry in seen)
    assert store.read("synth", "k" * 64)[0] in payloads  # type: ignore[index]
    leftovers = [p.name for p in (tmp_path / "cache").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_clear_removes_every_entry(fleet: Path, tmp_path: Path, synthesized: list[str]) -> None:
    cache = tmp_path / "cache"
    run(fleet, cache)
    SynthCache(cache).clear()
    assert not cache.exists()
    assert fresh(synthesized, lambda: run(fleet, cache)) >= ALL


def test_entries_are_readable_by_their_owner_only(fleet: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(fleet, cache)
    entry = _entry_path(cache, fleet, "hub")
    assert entry.stat().st_mode & 0o077 == 0
    assert json.loads(entry.read_bytes().partition(b"\n")[0])["format"] == tenantctl.cache.FORMAT


@pytest.fixture
def parts_fleet(tmp_path: Path) -> Path:
    return write_fleet(tmp_path / "fleet", parts=True)


def test_a_change_outside_the_part_a_stack_reads_resynthesizes_only_the_changed_stack(
    parts_fleet: Path, tmp_path: Path, synthesized: list[str]
) -> None:
    cache = tmp_path / "cache"
    run(parts_fleet, cache)
    (parts_fleet / "Pulumi.a.yaml").write_text(
        tenant_config("team-a", extra="  fleet:size: large\n"), encoding="utf-8"
    )
    assert fresh(synthesized, lambda: run(parts_fleet, cache)) == {"a"}
    assert fresh(synthesized, lambda: run(parts_fleet, cache)) == set()


def test_a_change_inside_the_part_a_stack_reads_resynthesizes_that_stack(
    parts_fleet: Path, tmp_path: Path, synthesized: list[str]
) -> None:
    cache = tmp_path / "cache"
    run(parts_fleet, cache)
    (parts_fleet / "Pulumi.a.yaml").write_text(tenant_config("another-team"), encoding="utf-8")
    # the hub's account name is the owner: the hub changes, its outputs (the account IDs) do not
    assert fresh(synthesized, lambda: run(parts_fleet, cache)) == {"a", "hub"}
    assert fresh(synthesized, lambda: run(parts_fleet, cache)) == set()
    assert run(parts_fleet, cache) == run(parts_fleet, None)
    hub = SynthCache(cache).lookup(parts_fleet, "hub")
    assert hub is not None
    names = {r["inputs"].get("name") for r in hub.document["resources"] if r["type"].endswith("Account")}
    assert names == {"another-team", "team-b", "team-c"}


@pytest.mark.parametrize("reader", ["tests.tenantctl.fleet.program:tenant_config", "no.such.module:reader"])
def test_a_part_entry_naming_a_function_that_is_not_a_part_reader_is_never_trusted(
    parts_fleet: Path, tmp_path: Path, synthesized: list[str], reader: str
) -> None:
    cache = tmp_path / "cache"
    run(parts_fleet, cache)
    store = Store(cache)
    key = SynthCache(cache).key(parts_fleet, "hub")
    payload, _ = store.read("synth", key)  # type: ignore[misc]
    assert set(payload["parts"]) == {f"Pulumi.{t}.yaml" for t in TENANTS}
    for part in payload["parts"].values():
        part[1] = reader
    store.write("synth", key, payload)
    (parts_fleet / "Pulumi.a.yaml").write_text(
        tenant_config("team-a", extra="  fleet:size: large\n"), encoding="utf-8"
    )
    assert fresh(synthesized, lambda: run(parts_fleet, cache)) == {"a", "hub"}


def test_a_file_also_read_whole_is_a_whole_file_dependency(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    path = root / "Pulumi.a.yaml"
    path.write_text(tenant_config("team-a"), encoding="utf-8")
    with tenantctl.cache.recording(root, [], "a") as recorder:
        assert tenantctl.cache.read_part(owner_of, path) == "team-a"
    assert recorder.parts == {path: ("tests.tenantctl.fleet.program:owner_of", recorder.parts[path][1])}
    assert path not in recorder.files
    with tenantctl.cache.recording(root, [], "a") as recorder:
        tenantctl.cache.read_part(owner_of, path)
        path.read_text(encoding="utf-8")
    assert path in recorder.files


def test_an_undeclared_reader_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="not declared with @part_reader"):
        tenantctl.cache.read_part(lambda path: path.name, tmp_path)


REPO = Path(__file__).resolve().parents[3]


def _copy_of_the_project(root: Path) -> Path:
    root.mkdir()
    (root / "Pulumi.yaml").write_bytes((REPO / "Pulumi.yaml").read_bytes())
    (root / "stacks").mkdir()
    for source in [*(REPO / "stacks").glob("*.py"), *(REPO / "stacks").glob("Pulumi.*.yaml")]:
        (root / "stacks" / source.name).write_bytes(source.read_bytes())
    return root


def _set_tenant_key(path: Path, key: str, value: str) -> None:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if f" {key}:" not in line]
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("id:"))
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    lines.insert(index + 1, f"{indent}{key}: {value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_org_stack_depends_on_the_tenants_accounts_not_on_their_other_settings(tmp_path: Path) -> None:
    program = _copy_of_the_project(tmp_path / "project")
    cache = SynthCache(tmp_path / "cache")
    cache.synthesize(program, "org")
    tenant = program / "stacks" / "Pulumi.acme-prod.yaml"

    _set_tenant_key(tenant, "rateLimit", "1500")
    assert SynthCache(cache.directory).lookup(program, "org") is not None

    _set_tenant_key(tenant, "rateLimit", "not-a-number")  # a broken tenant file stops the org program
    assert SynthCache(cache.directory).lookup(program, "org") is None

    _set_tenant_key(tenant, "rateLimit", "1500")
    _set_tenant_key(tenant, "accountEmail", "aws+acme-prod-2@example.co.jp")
    assert SynthCache(cache.directory).lookup(program, "org") is None


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each stack file the reader parses (not served from this process's memo or the cache)."""
    import tenantctl.inputs.memo
    import tenantctl.synth.config

    parsed: list[str] = []
    original = tenantctl.synth.config._parse_stack_file

    def counting(path: Path, *args: Any) -> Any:
        parsed.append(path.name)
        return original(path, *args)

    monkeypatch.setattr(tenantctl.synth.config, "_parse_stack_file", counting)
    tenantctl.inputs.memo._PARSED.clear()
    return parsed


def test_a_warm_run_reads_parsed_stack_files_from_the_cache(
    fleet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tenantctl.inputs.memo

    cache = tmp_path / "cache"
    first = run(fleet, cache)
    parsed = _parses(monkeypatch)
    assert run(fleet, cache) == first  # a new process in effect: the in-memory memo is empty
    assert parsed == []
    path = fleet / "Pulumi.hub.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    tenantctl.inputs.memo._PARSED.clear()
    run(fleet, cache)
    assert parsed == [path.name]  # a changed file is parsed again, and only it
    assert tenantctl.inputs.memo.kept_parses() == (None, "")  # nothing kept once the run ended


def test_a_damaged_or_foreign_parse_entry_is_parsed_again(
    fleet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = run(fleet, cache)
    entries = sorted((cache / "parse").rglob("*"))
    files = [e for e in entries if e.is_file()]
    assert files
    for entry in files:  # a verifying entry of a shape this version never writes
        Store(cache).write("parse", entry.name, {"x": ["not", "a", "parse"]})
    parsed = _parses(monkeypatch)
    assert run(fleet, cache) == first
    assert parsed  # parsed again rather than trusted
    assert not any(
        json.loads(f.read_bytes().partition(b"\n")[2]) == {"x": ["not", "a", "parse"]} for f in files
    )


def test_parse_results_round_trip_exactly_or_are_not_kept() -> None:
    from tenantctl.inputs.memo import _from_json, _to_json

    value = {"a": ("x", False), "b": [1, 2.5, None, True, {"c": ("y", True)}]}
    assert _from_json(json.loads(json.dumps(_to_json(value)))) == value
    assert type(_from_json(_to_json(value))["a"]) is tuple

    class Text(str):
        pass

    with pytest.raises(TypeError):
        _to_json({"a": Text("x")})
