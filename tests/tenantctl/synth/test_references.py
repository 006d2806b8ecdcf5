"""StackReference resolved by synthesizing the referenced stack, and transforms run as the engine runs
them."""

from __future__ import annotations

import pytest

from tenantctl.errors import UserError
from tenantctl.synth import stackrefs, synthesize
from tests.tenantctl.synth.conftest import PROGRAMS, SECRET_SIG, SECRET_VALUE_SIG, by_name

REFS = PROGRAMS / "refs"


def test_stack_reference_reads_the_other_stacks_outputs() -> None:
    stackrefs.clear_cache()
    shared = synthesize(REFS, "shared")
    account = by_name(shared, "tenant")["id"]
    assert len(account) == 12 and account.isdigit() and account != "111111111111"
    app = synthesize(REFS, "app")  # references organization/refs/shared
    reference = by_name(app, "organization/refs/shared", "pulumi:pulumi:StackReference")
    assert reference["inputs"] == {"name": "organization/refs/shared"}
    assert reference["outputs"]["outputs"]["accountIds"] == {"app-prod": account}
    assert reference["outputs"]["secretOutputNames"] == ["token"]
    assert reference["region"] is None  # not an AWS resource
    assert reference["provider"] == "urn:pulumi:app::refs::pulumi:providers:pulumi::default"
    # the account ID flows into the provider's role and from there into every ARN
    assert app["outputs"]["topicArn"].startswith(f"arn:aws:sns:ap-northeast-3:{account}:alerts-")
    assert app["outputs"]["sharedToken"] == {SECRET_SIG: SECRET_VALUE_SIG, "value": "[secret]"}


def test_stack_reference_without_a_cached_result_synthesizes_the_stack() -> None:
    stackrefs.clear_cache()
    first = synthesize(REFS, "app")
    stackrefs.clear_cache()
    synthesize(REFS, "shared")  # now cached
    assert synthesize(REFS, "app") == first


@pytest.mark.parametrize(
    "stack, message",
    [
        (
            "broken",
            (
                "StackReference 'missing' in stack broken: there is no stack 'missing' in {dir} (stacks: app,"
                " broken, cycle-a, cycle-b, foreign, shared); expected the name of one of the program's"
                " stacks."
            ),
        ),
        (
            "foreign",
            (
                "StackReference 'other-project/shared': names project 'other-project'; the offline synth"
                " resolves only stacks of this program (refs), expected '<stack>' or '<org>/refs/<stack>', or"
                " that stack's outputs in the config key synth:stackOutputs (e.g. synth:stackOutputs:"
                ' {{"other-project/shared": {{"<output>": "<value>"}}}}).'
            ),
        ),
        (
            "cycle-a",
            (
                "StackReference 'cycle-b' in stack cycle-a: synthesizing stack cycle-b failed: StackReference"
                " 'cycle-a' in stack cycle-b: the stacks reference each other (cycle-a -> cycle-b ->"
                " cycle-a); expected stack references without a cycle."
            ),
        ),
    ],
)
def test_unresolvable_references_fail_clearly(stack: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        synthesize(REFS, stack)
    assert str(caught.value) == message.format(dir=REFS)


def test_stack_resource_and_inherited_transforms_run_in_engine_order() -> None:
    synth = synthesize(PROGRAMS / "transforms", "dev")
    assert "tags" not in by_name(synth, "before-stack-transform")["inputs"]  # registered before the transform
    assert by_name(synth, "after-stack-transform")["inputs"]["tags"] == {
        "purpose": "data",
        "managed-by": "stack",
    }
    child = by_name(synth, "storage-bucket")
    assert child["inputs"]["tags"] == {"owner": "component", "managed-by": "stack"}
    # the component's providers map reaches its child
    assert child["provider"] == "urn:pulumi:dev::transforms::pulumi:providers:aws::osaka"
    assert child["region"] == "ap-northeast-3"
    assert (
        child["urn"] == "urn:pulumi:dev::transforms::test:index:Storage$aws:s3/bucket:Bucket::storage-bucket"
    )


def test_transform_callback_servers_do_not_outlive_the_run() -> None:
    from pulumi.runtime._callbacks import _CallbackServicer

    synthesize(PROGRAMS / "transforms", "dev")
    assert _CallbackServicer._servicers == []
