"""Each private Pulumi internal tenantctl relies on still exists and behaves as assumed.

When one of these fails after upgrading pulumi or pulumi-policy, the message names the symbol: adapt
``tenantctl/pulumi_private.py`` to the new SDK (README, "Upgrading Pulumi"), then bump the versions there.
"""

from __future__ import annotations

import asyncio
from importlib.metadata import version

import pulumi
import pulumi_aws as aws
import pytest
from pulumi_policy import ResourceValidationArgs

from tenantctl import pulumi_private


def test_the_pinned_versions_are_the_ones_these_reaches_were_checked_against() -> None:
    installed = (version("pulumi"), version("pulumi-policy"))
    assert installed == (pulumi_private.PULUMI_VERSION, pulumi_private.PULUMI_POLICY_VERSION), (
        "pulumi or pulumi-policy changed: run this file, adapt tenantctl/pulumi_private.py, then update "
        "PULUMI_VERSION / PULUMI_POLICY_VERSION there"
    )


def test_engine_not_applicable_is_what_the_engine_args_raise() -> None:
    args = ResourceValidationArgs("aws:s3/bucket:Bucket", {}, "urn", "b", None, None, None, {})  # type: ignore[arg-type]
    with pytest.raises(pulumi_private.engine_not_applicable_error()) as raised:
        args.not_applicable("out of scope")
    assert raised.value.reason == "out of scope", "pulumi_policy.policy._NotApplicableError lost .reason"  # type: ignore[attr-defined]


def test_property_names_of_a_generated_class() -> None:
    names = pulumi_private.property_names(aws.s3.BucketV2)
    assert names.get("force_destroy") == "forceDestroy", "pulumi._types._py_properties changed"


def test_output_types_of_a_generated_class() -> None:
    outputs = pulumi_private.resource_output_types(aws.s3.BucketV2)
    assert "arn" in outputs, "pulumi._types.resource_types changed"


def test_fields_of_an_output_type() -> None:
    fields = pulumi_private.output_type_fields(aws.s3.outputs.BucketV2Versioning)
    assert "enabled" in fields, "pulumi._types.output_type_types / is_output_type changed"
    assert pulumi_private.output_type_fields(str) == {}


def test_resource_modules_registered_by_the_aws_sdk() -> None:
    modules = pulumi_private.resource_modules("aws:s3/bucketV2")
    assert modules, "pulumi.runtime.rpc._RESOURCE_MODULES changed"
    assert any("aws:s3/bucketV2:BucketV2" in getattr(m, "mod_info", {}).get("classes", {}) for m in modules)


def test_transform_callbacks_are_found_by_token() -> None:
    from pulumi.runtime._callbacks import _CallbackServicer

    assert isinstance(_CallbackServicer._servicers, list), "_CallbackServicer._servicers changed"
    assert pulumi_private.find_transform_callback("no-such-token") is None
    loop = asyncio.new_event_loop()
    try:
        servicer = object.__new__(_CallbackServicer)
        servicer._callbacks = {"t-1": pulumi.log.info}  # type: ignore[attr-defined]
        servicer._loop = loop  # type: ignore[attr-defined]
        _CallbackServicer._servicers.append(servicer)
        try:
            assert pulumi_private.find_transform_callback("t-1") == (pulumi.log.info, loop)
        finally:
            _CallbackServicer._servicers.remove(servicer)
    finally:
        loop.close()


def test_the_analyzer_servicer_is_configured_as_the_server_configures_it() -> None:
    from google.protobuf import struct_pb2
    from pulumi.runtime.proto import analyzer_pb2
    from pulumi_policy import EnforcementLevel, ResourceValidationPolicy

    policy = ResourceValidationPolicy("p", "d", lambda args, report: None)
    servicer = pulumi_private.analyzer_servicer("pack", [policy], EnforcementLevel.MANDATORY)
    assert pulumi_private.servicer_enforcement(servicer, policy) == EnforcementLevel.MANDATORY, (
        "pulumi_policy.policy._PolicyAnalyzerServicer._get_enforcement_level changed"
    )
    properties = struct_pb2.Struct()
    properties.update({"limit": 3})
    config = analyzer_pb2.PolicyConfig(enforcementLevel=analyzer_pb2.ADVISORY, properties=properties)
    servicer.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig={"p": config}), None)
    assert pulumi_private.servicer_enforcement(servicer, policy) == EnforcementLevel.ADVISORY
    assert pulumi_private.servicer_policy_config(servicer, "p") == {"limit": 3.0}, (
        "pulumi_policy.policy._PolicyAnalyzerServicer._get_policy_config changed"
    )
    servicer.ConfigureStack(analyzer_pb2.AnalyzerStackConfigureRequest(stack="s", tags={"k": "v"}), None)
    assert dict(pulumi_private.servicer_stack_tags(servicer)) == {"k": "v"}, (
        "pulumi_policy.policy._PolicyAnalyzerServicer.__stack_tags changed"
    )


class _Resource:
    def __init__(self, capture: object) -> None:
        self.trace = capture()  # type: ignore[operator]


class _CustomResource(_Resource):
    def __init__(self, capture: object) -> None:
        super().__init__(capture)


class _Bucket(_CustomResource):
    def __init__(self, capture: object) -> None:
        super().__init__(capture)


def _declared_by_user_code(capture: object) -> object:
    return _Bucket(capture).trace


def test_stack_traces_without_source_lines_are_the_sdks() -> None:
    from pulumi.runtime import resource

    # one line, so that every frame but the capturing function's own is the same for both
    ours, sdks = [
        _declared_by_user_code(f)
        for f in (pulumi_private._stack_trace_without_source_lines, resource._get_stack_trace)
    ]
    assert ours == sdks, "pulumi.runtime.resource._get_stack_trace changed: compare it with ours"
    first = ours.frames[0].pc  # type: ignore[attr-defined]
    assert first.uri.endswith("test_pulumi_private.py") and first.line > 0
    assert resource._get_source_position(ours) == resource._get_source_position(sdks)  # type: ignore[arg-type]


def test_a_stack_trace_outside_three_constructors_is_empty_as_in_the_sdk() -> None:
    from pulumi.runtime import resource

    ours, sdks = [
        capture() for capture in (pulumi_private._stack_trace_without_source_lines, resource._get_stack_trace)
    ]
    assert ours == sdks


def _run_outputs(wait: object, program: object) -> None:
    """Runs ``program`` (creating outputs) then ``wait`` as ``run_pulumi_func`` does, in a fresh context."""
    import contextvars

    from pulumi.runtime.settings import Settings

    async def main() -> None:
        program()  # type: ignore[operator]
        await wait()  # type: ignore[operator]

    def body() -> None:
        Settings(project="p", stack="s", dry_run=False)
        asyncio.run(main())

    contextvars.Context().run(body)


@pytest.mark.parametrize("chain", [1, 50])
def test_the_linear_output_wait_waits_for_every_output_as_the_sdk(chain: int) -> None:
    from pulumi.runtime import stack

    for wait in (stack.wait_for_rpcs, pulumi_private._wait_for_rpcs_linear):
        seen: list[int] = []

        def program(seen: list[int] = seen) -> None:
            def advance(value: int, step: int) -> int:
                seen.append(step)
                return value + 1

            output = pulumi.Output.from_input(0)
            for step in range(chain):
                output = output.apply(lambda v, step=step: advance(v, step))

        _run_outputs(wait, program)
        assert seen == list(range(chain)), f"{wait} returned before every output resolved"


def test_the_linear_output_wait_raises_an_outputs_failure_as_the_sdk() -> None:
    from pulumi.runtime import stack

    def fail(_: object) -> object:
        raise ValueError("apply failed")

    def program() -> None:
        pulumi.Output.from_input(1).apply(fail)

    for wait in (stack.wait_for_rpcs, pulumi_private._wait_for_rpcs_linear):
        with pytest.raises(ValueError, match="apply failed"):
            _run_outputs(wait, program)


def test_faster_sdk_runtime_installs_and_restores_both_reaches() -> None:
    from pulumi.runtime import resource, stack

    before = (stack.wait_for_rpcs, resource._get_stack_trace)
    with pulumi_private.faster_sdk_runtime():
        assert stack.wait_for_rpcs is pulumi_private._wait_for_rpcs_linear
        assert resource._get_stack_trace is pulumi_private._stack_trace_without_source_lines
    assert (stack.wait_for_rpcs, resource._get_stack_trace) == before
