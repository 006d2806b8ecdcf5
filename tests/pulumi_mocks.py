"""Run Pulumi code in-process under mocks and look at what it registered. Shared by component and stack tests.

For every helper writing component tests (not only the tenant components): import ``run`` and call it with a
function that builds your component; it returns a :class:`Run` holding every registered resource with its
inputs, parent, provider and dependencies, plus the function's return value with Outputs resolved::

    from tests.pulumi_mocks import run

    def build():
        return MyComponent("web", MyComponentArgs(...))

    result = run(build)
    bucket = result.one("aws:s3/bucket:Bucket")
    assert bucket.parent == result.one("tenant-zone:storage:TenantStorage").urn
    assert bucket.inputs["tags"]["purpose"] == "data"
    assert result.resolve(result.value.bucket_name) == "..."

Options: ``stack`` / ``project`` (URNs and ``pulumi.get_stack()``), ``config`` (``{"ns:key": value}``; values
that are not strings are JSON-encoded, as the CLI passes them), ``preview`` (unknown outputs),
``stack_outputs`` (what a ``pulumi.StackReference`` named by the key returns), ``account_id`` (the account in
computed ARNs when no assumed role names one), ``sink`` (a dict that receives every registration as it
happens, so a test can see what a failing program declared before it failed). The mocks are the offline
synth's fake AWS provider (:class:`tenantctl.synth.mocks.SynthMocks`), so components are tested under the same
fake they are gated under: IDs, ARNs in their real formats with the resource's region and account, auto-names
as the provider's Check fills them, every declared output filled, and data sources answered as AWS would.
Regions come from the resource's own ``region`` input, else its provider's, else the ``aws:region`` config;
accounts from the provider's assumed role ARN. Each :class:`Registered` also keeps the resource options the
engine would act on: ``protect`` and ``ignore_changes``.

Each call resets the three pieces of global state the Pulumi SDK keeps between programs (root resource,
pending outputs, event loop), so tests can run many programs in one process. ``run`` re-raises the program's
exception."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.mocks import MockMonitor, MockResourceArgs
from pulumi.runtime.stack import run_pulumi_func

from tenantctl.synth.awsenv import MANAGEMENT_ACCOUNT
from tenantctl.synth.mocks import SynthMocks

DEFAULT_ACCOUNT = MANAGEMENT_ACCOUNT
DEFAULT_REGION = "ap-northeast-1"


@dataclass
class Registered:
    """One resource as the engine would have received it."""

    urn: str
    type: str
    name: str
    custom: bool
    inputs: dict[str, Any]
    parent: str
    provider: str  # the provider reference "<urn>::<id>", "" for the default provider
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    outputs: dict[str, Any] = field(default_factory=dict)
    protect: bool = False
    ignore_changes: list[str] = field(default_factory=list)

    @property
    def provider_urn(self) -> str:
        return self.provider.rsplit("::", 1)[0] if self.provider else ""

    @property
    def tags(self) -> dict[str, Any]:
        tags = self.inputs.get("tags")
        return dict(tags) if isinstance(tags, Mapping) else {}


class RecordingMocks(SynthMocks):
    """The synth's fake AWS provider (one fake for component tests and the gate), plus stack references."""

    def __init__(
        self,
        *,
        account_id: str,
        default_region: str,
        stack_outputs: Mapping[str, Mapping[str, Any]],
        project: str,
        stack: str,
    ) -> None:
        super().__init__(
            project=project, stack=stack, default_account=account_id, default_region=default_region
        )
        self.stack_outputs = stack_outputs

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if args.typ == "pulumi:pulumi:StackReference":
            name = str(args.inputs.get("name", args.name))
            return name, {
                "name": name,
                "outputs": dict(self.stack_outputs.get(name, {})),
                "secretOutputNames": [],
            }
        return super().new_resource(args)


class RecordingMonitor(MockMonitor):
    """Records what ``MockResourceArgs`` leaves out: parent, provider, dependencies."""

    def __init__(self, mocks: SynthMocks, sink: dict[str, Registered] | None = None) -> None:
        super().__init__(mocks)
        self.registered: dict[str, Registered] = {} if sink is None else sink
        self.lock = threading.Lock()

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - the gRPC method name
        urn = self.make_urn(request.parent, request.type, request.name)
        response = super().RegisterResource(request)
        if request.type == "pulumi:pulumi:Stack":
            return response
        state = self.resources[urn].state
        inputs = pulumi.runtime.rpc.deserialize_properties(request.object)
        record = Registered(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            inputs=dict(inputs),
            parent=request.parent,
            provider=request.provider,
            dependencies=sorted(request.dependencies),
            property_dependencies={k: sorted(v.urns) for k, v in request.propertyDependencies.items()},
            # the resource's ID is an output too, as a provider reports it
            outputs={**{k: v for k, v in state.items() if k not in inputs}, "id": response.id},
            protect=bool(request.protect),
            ignore_changes=list(request.ignoreChanges),
        )
        with self.lock:
            if urn in self.registered:
                raise RuntimeError(f"duplicate resource URN {urn}")
            self.registered[urn] = record
        return response


@dataclass
class Run:
    """What one program run registered, in URN order, and its return value."""

    resources: list[Registered]
    value: Any
    outputs: dict[str, Any]
    loop: asyncio.AbstractEventLoop

    def of_type(self, type_: str) -> list[Registered]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, name: str | None = None) -> Registered:
        found = [r for r in self.of_type(type_) if name is None or r.name == name]
        if len(found) != 1:
            names = [r.name for r in self.of_type(type_)]
            raise AssertionError(f"expected one {type_}{f' named {name}' if name else ''}, found {names}")
        return found[0]

    def named(self, name: str) -> Registered:
        found = [r for r in self.resources if r.name == name]
        if len(found) != 1:
            raise AssertionError(f"expected one resource named {name}, found {len(found)}")
        return found[0]

    def by_urn(self, urn: str) -> Registered:
        return next(r for r in self.resources if r.urn == urn)

    def children_of(self, urn: str) -> list[Registered]:
        return [r for r in self.resources if r.parent == urn]

    def descendants_of(self, urn: str) -> list[Registered]:
        out: list[Registered] = []
        frontier = [urn]
        while frontier:
            current = frontier.pop()
            for child in self.children_of(current):
                out.append(child)
                frontier.append(child.urn)
        return out

    def region_of(self, resource: Registered) -> str | None:
        """Own ``region`` input, else the explicit provider's region (None for the default provider)."""
        own = resource.inputs.get("region")
        if isinstance(own, str) and own:
            return own
        if not resource.provider:
            return None
        provider = self.by_urn(resource.provider_urn)
        region = provider.inputs.get("region")
        return region if isinstance(region, str) else None

    def resolve(self, value: Any) -> Any:
        """The value of an Output (or a plain value) produced by the run."""
        if isinstance(value, pulumi.Output):
            return self.loop.run_until_complete(value.future())
        return value


def _reset_runtime() -> asyncio.AbstractEventLoop:
    pulumi_settings.ROOT.set(None)
    pulumi_settings.SETTINGS.outputs.clear()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    return loop


def _settle(loop: asyncio.AbstractEventLoop) -> None:
    """After a failed program: cancel what is left and keep its leftover errors from being reported later, in
    the middle of another test, as "exception was never retrieved"."""

    def quiet(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        # Outputs that depended on the failed value still hold its error; the test already has it.
        if "never retrieved" not in str(context.get("message", "")):
            loop.default_exception_handler(context)

    loop.set_exception_handler(quiet)
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    for task in asyncio.all_tasks(loop) | set(pending):
        if task.done() and not task.cancelled():
            task.exception()


def run(
    fn: Callable[[], Any],
    *,
    stack: str = "test",
    project: str = "tenant-zone",
    config: Mapping[str, Any] | None = None,
    preview: bool = False,
    stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
    account_id: str = DEFAULT_ACCOUNT,
    sink: dict[str, Registered] | None = None,
) -> Run:
    """Run ``fn`` as a Pulumi program under mocks; see the module docstring."""
    loop = _reset_runtime()
    wire_config = {k: v if isinstance(v, str) else json.dumps(v) for k, v in (config or {}).items()}
    pulumi.runtime.set_all_config(wire_config, [])
    region = str((config or {}).get("aws:region", DEFAULT_REGION))
    mocks = RecordingMocks(
        account_id=account_id,
        default_region=region,
        stack_outputs=stack_outputs or {},
        project=project,
        stack=stack,
    )
    monitor = RecordingMonitor(mocks, sink)
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=preview, monitor=monitor)
    holder: dict[str, Any] = {}

    async def program() -> None:
        holder["value"] = fn()

    try:
        loop.run_until_complete(run_pulumi_func(program))
    except BaseException:
        _settle(loop)
        raise
    finally:
        pulumi.runtime.set_all_config({}, [])
    root = pulumi_settings.get_root_resource()
    exported = dict(getattr(root, "outputs", {}) or {})
    result = Run(
        resources=sorted(monitor.registered.values(), key=lambda r: r.urn),
        value=holder.get("value"),
        outputs={},
        loop=loop,
    )
    result.outputs = {k: result.resolve(pulumi.Output.from_input(v)) for k, v in exported.items()}
    return result


def assert_all_under(result: Run, component_urn: str) -> None:
    """Every resource except providers and the component itself descends from the component, which has
    children."""
    descendants = {r.urn for r in result.descendants_of(component_urn)}
    strays = [
        r.urn
        for r in result.resources
        if r.urn != component_urn and not r.type.startswith("pulumi:providers:") and r.urn not in descendants
    ]
    assert not strays, f"resources outside {component_urn}: {strays}"
    assert result.children_of(component_urn), f"{component_urn} has no children"
