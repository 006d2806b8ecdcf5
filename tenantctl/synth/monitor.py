"""A resource monitor that records the program's resource graph the way the Pulumi engine would.

Pulumi's ``MockMonitor`` drops what a policy needs and differs from the engine
where it matters for a gate. This subclass, fed the raw gRPC requests:

* keeps parent, provider, dependencies and property dependencies;
* builds URNs as the engine does (the full parent type chain, no root stack type);
* fails on a duplicate URN, naming both registrations (``MockMonitor`` silently
  overwrites the first);
* resolves providers like the engine (explicit, the ``providers`` map, the
  parent component's providers) and registers default providers
  ``pulumi:providers:<pkg>::default_<version>`` (``default_7_51_1``, as the engine names them) with the
  package's stack config as inputs;
* runs resource, parent and stack transforms, in the engine's order, through
  the program's own transform callbacks (the mock monitor runs none);
* records the stack's outputs and resolves ``StackReference`` reads.

The SDK calls the monitor from its executor threads: shared state is locked.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import os
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.proto import callback_pb2, resource_pb2

from tenantctl.errors import UserError
from tenantctl.pulumi_private import find_transform_callback
from tenantctl.synth import failures, inputcheck, wire
from tenantctl.synth.config import StackConfig
from tenantctl.synth.document import PROVIDER_PREFIX, STACK_TYPE, Record
from tenantctl.synth.mocks import SynthMocks, effective_region, package_of

STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference"
DEFAULT_PROVIDER_NAME = "default"


def default_provider_name(package: str, version: str) -> str:
    """``default_7_51_1``: the engine names a default provider after its plugin version.

    The version is the one the SDK asks for, else the installed ``pulumi_<package>``'s; ``default`` when
    neither is known (the engine then also has no version to put in the name).
    """
    if not version:
        try:
            version = importlib.metadata.version(f"pulumi_{package.replace('-', '_')}")
        except importlib.metadata.PackageNotFoundError:
            version = ""
    return (
        f"{DEFAULT_PROVIDER_NAME}_{version.replace('.', '_').replace('-', '_')}"
        if version
        else DEFAULT_PROVIDER_NAME
    )


class DuplicateUrnError(UserError):
    """Two registrations produced the same URN; the engine refuses the second."""


StackReferenceResolver = Callable[[str], Mapping[str, Any]]


def _call(callback: callback_pb2.Callback, request: Any) -> Any:
    """The program's transform callback run on the program's loop; None when it is gone."""
    found = find_transform_callback(callback.token)
    if found is None:
        return None
    function, loop = found
    return asyncio.run_coroutine_threadsafe(function(request.SerializeToString()), loop).result()


class SynthMonitor(MockMonitor):
    def __init__(
        self,
        mocks: SynthMocks,
        *,
        project: str,
        stack: str,
        config: StackConfig,
        root: Path,
        stack_references: StackReferenceResolver | None = None,
    ) -> None:
        super().__init__(mocks)
        self.synth_mocks = mocks
        self.project = project
        self.stack = stack
        self.config = config
        self.root = root
        self.stack_references = stack_references
        self._lock = threading.Lock()
        self.records: dict[str, Record] = {}
        self.stack_urn: str | None = None
        self.stack_outputs: dict[str, Any] = {}
        self.failures: list[UserError] = []
        # (message, file:line) of nested inputs the provider's Check would reject
        self.input_problems: list[tuple[str, str | None]] = []
        self.internal_errors: list[tuple[BaseException, str]] = []
        self._claimed: dict[str, str | None] = {}
        self._parents: dict[str, str | None] = {}
        self._own_transforms: dict[str, list[callback_pb2.Callback]] = {}
        self._component_providers: dict[str, dict[str, str]] = {}
        self._default_providers: dict[str, Record] = {}
        self._stack_transform_callbacks: list[callback_pb2.Callback] = []
        self._stack_invoke_transform_callbacks: list[callback_pb2.Callback] = []

    # --- engine rules ------------------------------------------------------------------------------

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        qualified = type_
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != STACK_TYPE:
                qualified = f"{parent_type}${type_}"
        return f"urn:pulumi:{self.stack}::{self.project}::{qualified}::{name}"

    def _position(self, source_position: Any) -> str | None:
        uri = getattr(source_position, "uri", "")
        if not uri:
            return None
        path = unquote(urlparse(uri).path)
        try:
            shown = os.path.relpath(path, self.root) if Path(path).is_relative_to(self.root) else path
        except ValueError:
            shown = path
        return f"{shown}:{source_position.line}"

    def _caller_position(self) -> str | None:
        """``file:line`` of the program line waiting on this call, when the SDK sent no source position.

        The SDK makes the RPC from an executor thread while the program's thread (``synth-<stack>``) waits
        for the answer: the innermost program frame on that thread's stack is the line that asked.
        """
        program_threads = {t.ident for t in threading.enumerate() if t.name == f"synth-{self.stack}"}
        for ident, top in list(sys._current_frames().items()):
            if ident not in program_threads:
                continue
            for frame in reversed(traceback.extract_stack(top)):
                if failures.is_user_file(frame.filename):
                    return f"{failures.shown_path(frame.filename, self.root)}:{frame.lineno}"
        return None

    def _claim(self, urn: str, position: str | None) -> None:
        with self._lock:
            if urn not in self._claimed:
                self._claimed[urn] = position
                return
            first = self._claimed[urn]
        places = sorted(p for p in (first, position) if p)
        where = f" (registered at {places[0]} and at {places[1]})" if len(places) == 2 else ""
        error = DuplicateUrnError(f"Duplicate resource URN '{urn}'; try giving it a unique name{where}.")
        self._fail(error)
        raise error

    def _fail(self, error: UserError) -> None:
        with self._lock:
            self.failures.append(error)

    def _guard(self, action: Callable[[], Any]) -> Any:
        """Run one RPC; keep unexpected errors apart from the program's own, with their traceback."""
        try:
            return action()
        except UserError:
            raise
        except Exception as error:
            with self._lock:
                self.internal_errors.append((error, traceback.format_exc()))
            raise

    # --- providers ----------------------------------------------------------------------------------

    def _default_provider(self, package: str, version: str) -> Record:
        with self._lock:
            existing = self._default_providers.get(package)
            if existing is not None:
                return existing
            name = default_provider_name(package, version)
            urn = f"urn:pulumi:{self.stack}::{self.project}::{PROVIDER_PREFIX}{package}::{name}"
            inputs: dict[str, Any] = {}
            for key, value in self.config.namespace(package).items():
                secret = f"{package}:{key}" in self.config.secret_keys
                inputs[key] = wire.secret(value) if secret else value
            if version:
                inputs["version"] = version
            provider_id, _ = self.synth_mocks.resource(
                urn=urn, type_=f"{PROVIDER_PREFIX}{package}", name=name,
                inputs=inputs, provider_inputs=None, region=None,
            )  # fmt: skip
            record = Record(
                urn=urn,
                type=f"{PROVIDER_PREFIX}{package}",
                name=name,
                custom=True,
                parent=None,
                provider=None,
                region=effective_region(inputs, None),
                inputs=inputs,
                id=provider_id,
            )
            self._default_providers[package] = record
            self._claimed.setdefault(urn, None)
            self.records.setdefault(urn, record)
            self.resources[urn] = MockMonitor.ResourceRegistration(urn, provider_id, dict(inputs))
            return record

    def _provider_record(self, ref: str, package: str, version: str) -> Record:
        if ref:
            urn = ref.rsplit("::", 1)[0]
            with self._lock:
                found = self.records.get(urn)
            if found is not None:
                return found
        return self._default_provider(package, version)

    def _resolve_provider_ref(
        self, explicit: str, providers: Mapping[str, str], parent: str, package: str
    ) -> str:
        if explicit:
            return explicit
        if package in providers:
            return providers[package]
        with self._lock:
            return self._component_providers.get(parent, {}).get(package, "")

    # --- transforms ---------------------------------------------------------------------------------

    def _transform_chain(self, request: Any, parent: str) -> list[callback_pb2.Callback]:
        chain = list(request.transforms)
        with self._lock:
            current: str | None = parent
            while current:
                chain.extend(self._own_transforms.get(current, []))
                current = self._parents.get(current)
            chain.extend(self._stack_transform_callbacks)
        return chain

    def _transform(
        self,
        request: Any,
        parent: str,
        callbacks: list[callback_pb2.Callback],
        props: struct_pb2.Struct,
        options: resource_pb2.TransformResourceOptions,
    ) -> tuple[struct_pb2.Struct, resource_pb2.TransformResourceOptions]:
        for callback in callbacks:
            transform_request = resource_pb2.TransformRequest(
                type=request.type, name=request.name, custom=request.custom, parent=parent,
                properties=props, options=options,
            )  # fmt: skip
            response = _call(callback, transform_request)
            if response is None:
                continue
            props = response.properties
            if response.HasField("options"):
                options = response.options
        return props, options

    @staticmethod
    def _options(request: Any, provider: str) -> resource_pb2.TransformResourceOptions:
        options = resource_pb2.TransformResourceOptions(
            depends_on=list(request.dependencies),
            protect=request.protect,
            ignore_changes=list(request.ignoreChanges),
            replace_on_changes=list(request.replaceOnChanges),
            version=request.version,
            aliases=list(request.aliases),
            provider=provider,
            providers=dict(request.providers),
            plugin_download_url=request.pluginDownloadURL,
            retain_on_delete=request.retainOnDelete,
            deleted_with=request.deletedWith,
            additional_secret_outputs=list(request.additionalSecretOutputs),
        )
        if request.HasField("customTimeouts"):
            options.custom_timeouts.CopyFrom(request.customTimeouts)
        if request.deleteBeforeReplaceDefined:
            options.delete_before_replace = request.deleteBeforeReplace
        return options

    # --- RPCs ---------------------------------------------------------------------------------------

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        return self._guard(lambda: self._register(request))

    def _register(self, request: Any) -> Any:
        parent = request.parent
        urn = self.make_urn(parent, request.type, request.name)
        position = self._position(request.sourcePosition)
        if request.type == STACK_TYPE and not parent:
            self._claim(urn, position)
            with self._lock:
                self.stack_urn = urn
                self.records[urn] = Record(urn, STACK_TYPE, request.name, False, None, None, None, {})
            return resource_pb2.RegisterResourceResponse(urn=urn)
        self._claim(urn, position)

        custom = bool(request.custom)
        package = package_of(request.type)
        is_provider = request.type.startswith(PROVIDER_PREFIX)
        provider_ref = ""
        if custom and not is_provider:
            provider_ref = self._resolve_provider_ref(request.provider, request.providers, parent, package)
        props = request.object
        options = self._options(request, provider_ref)
        callbacks = self._transform_chain(request, parent)
        if callbacks:
            props, options = self._transform(request, parent, callbacks, props, options)
            provider_ref = options.provider if custom and not is_provider else ""

        inputs = wire.decode_struct(props)
        if is_provider and request.version and "version" not in inputs:
            inputs["version"] = request.version  # the engine records the plugin version among provider inputs
        provider: Record | None = None
        if custom and not is_provider:
            provider = self._provider_record(provider_ref, package, request.version)
        region = effective_region(inputs, provider.inputs if provider else None)

        resource_id: str | None = None
        outputs: dict[str, Any] = {}
        if custom and not is_provider:
            problems = inputcheck.check(request.type, inputs)
            if problems:
                with self._lock:
                    self.input_problems.extend(
                        (p.message(request.type, request.name), position) for p in problems
                    )
            inputs = self.synth_mocks.check(
                urn=urn, type_=request.type, name=request.name, inputs=inputs,
                provider_inputs=provider.inputs if provider else None, region=region,
            )  # fmt: skip
        if custom or request.remote:
            # a remote component gets its declared outputs too, so the program can go on using them
            resource_id, outputs = self.synth_mocks.resource(
                urn=urn, type_=request.type, name=request.name,
                inputs=inputs if custom or request.remote else {},
                provider_inputs=provider.inputs if provider else None, region=region,
            )  # fmt: skip
        dependencies = sorted(set(request.dependencies) | set(options.depends_on))
        property_dependencies = {
            key: sorted(set(deps.urns)) for key, deps in request.propertyDependencies.items() if deps.urns
        }
        record = Record(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=custom,
            parent=parent or None,
            provider=provider.urn if provider else None,
            region=region,
            inputs=inputs,
            dependencies=dependencies,
            property_dependencies=property_dependencies,
            id=resource_id if custom else None,
            outputs=outputs,
            position=position,
            remote=bool(request.remote) and not custom,
        )
        with self._lock:
            self.records[urn] = record
            self.resources[urn] = MockMonitor.ResourceRegistration(urn, resource_id or "", record.state)
            self._parents[urn] = parent or None
            if request.transforms:
                self._own_transforms[urn] = list(request.transforms)
            if not custom:
                inherited = dict(self._component_providers.get(parent, {}))
                inherited.update(options.providers)
                self._component_providers[urn] = inherited
        # A component's state is what it registers as outputs, never its inputs echoed back.
        response_state = (
            wire.encode_struct(record.state if custom else outputs)
            if custom or request.remote
            else struct_pb2.Struct()
        )
        return resource_pb2.RegisterResourceResponse(
            urn=urn, id=(resource_id or "") if custom else "", object=response_state
        )

    def ReadResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        return self._guard(lambda: self._read(request))

    def _read(self, request: Any) -> Any:
        parent = request.parent
        urn = self.make_urn(parent, request.type, request.name)
        self._claim(urn, self._position(request.sourcePosition))
        package = package_of(request.type)
        provider = self._provider_record(request.provider, package, request.version)
        inputs = wire.decode_struct(request.properties)
        if request.type == STACK_REFERENCE_TYPE:
            outputs = self._stack_reference(str(inputs.get("name") or request.id or request.name))
            resource_id = request.id or request.name
        else:
            region = effective_region(inputs, provider.inputs)
            mocked_id, outputs = self.synth_mocks.resource(
                urn=urn, type_=request.type, name=request.name, inputs=inputs,
                provider_inputs=provider.inputs, region=region,
            )  # fmt: skip
            resource_id = request.id or mocked_id
        record = Record(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=True,
            parent=parent or None,
            provider=provider.urn,
            region=effective_region(inputs, provider.inputs),
            inputs=inputs,
            dependencies=sorted(set(request.dependencies)),
            id=resource_id,
            outputs=outputs,
            position=self._position(request.sourcePosition),
        )
        with self._lock:
            self.records[urn] = record
            self.resources[urn] = MockMonitor.ResourceRegistration(urn, resource_id, record.state)
            self._parents[urn] = parent or None
        return resource_pb2.ReadResourceResponse(urn=urn, properties=wire.encode_struct(record.state))

    def _stack_reference(self, name: str) -> dict[str, Any]:
        if self.stack_references is None:
            error = UserError(
                f"StackReference {name!r} in stack {self.stack}: stack references are not available here."
            )
            self._fail(error)
            raise error
        try:
            outputs = dict(self.stack_references(name))
        except UserError as error:
            self._fail(error)
            raise
        secret_names = sorted(key for key, value in outputs.items() if wire.contains_secret(value))
        return {"outputs": outputs, "secretOutputNames": secret_names}

    def Invoke(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        if request.tok == "pulumi:pulumi:getResource":
            return super().Invoke(request)  # type: ignore[no-untyped-call]  # MockMonitor is unannotated
        return self._guard(lambda: self._invoke(request))

    def _invoke(self, request: Any) -> Any:
        args_struct = request.args
        provider_ref = request.provider
        with self._lock:
            callbacks = list(self._stack_invoke_transform_callbacks)
        for callback in callbacks:
            transform_request = resource_pb2.TransformInvokeRequest(
                token=request.tok, args=args_struct,
                options=resource_pb2.TransformInvokeOptions(provider=provider_ref, version=request.version),
            )  # fmt: skip
            response = _call(callback, transform_request)
            if response is None:
                continue
            args_struct = response.args
            if response.HasField("options"):
                provider_ref = response.options.provider
        provider = self._provider_record(provider_ref, package_of(request.tok), request.version)
        try:
            result = self.synth_mocks.invoke(
                request.tok, wire.decode_struct(args_struct), provider.inputs,
                self._position(request.sourcePosition) or self._caller_position(),
            )  # fmt: skip
        except UserError as error:
            self._fail(error)
            raise
        return resource_pb2.ResourceInvokeResponse(**{"return": wire.encode_struct(result)})

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        def record() -> Any:
            # The engine keeps registered outputs on the resource: AnalyzeStack sees the root stack with
            # the program's exports and each component with what it registered.
            outputs = wire.decode_struct(request.outputs)
            with self._lock:
                if request.urn and request.urn == self.stack_urn:
                    self.stack_outputs = outputs
                found = self.records.get(request.urn)
                if found is not None and not found.custom:
                    found.outputs = {k: v for k, v in outputs.items() if k not in found.inputs}
            return empty_pb2.Empty()

        return self._guard(record)

    def RegisterStackTransform(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        with self._lock:
            self._stack_transform_callbacks.append(request)
        return empty_pb2.Empty()

    def RegisterStackInvokeTransform(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        with self._lock:
            self._stack_invoke_transform_callbacks.append(request)
        return empty_pb2.Empty()
