"""The real pack server, started as the Pulumi CLI starts it, reports what the offline gate reports.

``python -m pulumi.policy <engine-address> policies`` runs ``policies/__main__.py``;
``PolicyPack`` prints its port and serves the Analyzer gRPC service. The engine
address is parsed but never dialled by ``pulumi/policy/__main__.py`` (and
``pulumi.log`` falls back to stderr without engine settings), so no engine
server is needed. We then play the engine: ``GetAnalyzerInfo``, ``Analyze`` per
resource with its inputs and provider, ``AnalyzeStack`` with inputs + outputs,
parents and dependencies, and compare every diagnostic and not-applicable with
``tenantctl.gate.check_synth`` on the same synth JSON.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE

from policies.catalog import control_for_rule
from policies.framework import ResourceRule
from policies.pack import FRAMEWORK_NAME, PACK_NAME, WAIVER_POLICY, build_policies
from policies.registry import all_rules
from tenantctl.gate import GateResult, check_synth
from tenantctl.gate.program import file_waivers
from tenantctl.gate.waivers import apply_waivers
from tests.tenantctl.gate.synthkit import SynthBuilder, secret

ROOT = Path(__file__).resolve().parents[2]
# What the CLI passes; the pack never connects to it (see the module docstring).
ENGINE_ADDRESS = "127.0.0.1:1"
START_TIMEOUT = 90.0
RPC_TIMEOUT = 60.0

ENFORCEMENT = {analyzer_pb2.ADVISORY: "advisory", analyzer_pb2.MANDATORY: "mandatory"}
SEVERITY = {
    analyzer_pb2.POLICY_SEVERITY_LOW: "low",
    analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
    analyzer_pb2.POLICY_SEVERITY_HIGH: "high",
    analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical",
}


@pytest.fixture(scope="module")
def analyzer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    stderr_path = tmp_path_factory.mktemp("pack") / "stderr.txt"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "pulumi.policy", ENGINE_ADDRESS, "policies"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    try:
        lines: queue.Queue[bytes] = queue.Queue()
        assert process.stdout is not None
        threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()  # type: ignore[union-attr]
        try:
            first = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            pytest.fail(
                f"pack server printed no port in {START_TIMEOUT}s: {stderr_path.read_text(errors='replace')}"
            )
        if not first.strip().isdigit():
            process.wait(timeout=10)
            pytest.fail(f"pack server did not start: {first!r} {stderr_path.read_text(errors='replace')}")
        channel = grpc.insecure_channel(f"127.0.0.1:{int(first)}")
        grpc.channel_ready_future(channel).result(timeout=RPC_TIMEOUT)
        yield analyzer_pb2_grpc.AnalyzerStub(channel)
        channel.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- a stack that trips resource rules, stack rules, not-applicable and preview unknowns ------------

TAGS = {
    "tenant": "acme",
    "environment": "prod",
    "data-classification": "confidential",
    "managed-by": "tenant-zone",
}
KEY = "aws:kms/key:Key"
BUCKET = "aws:s3/bucket:Bucket"


def violating_synth() -> dict[str, Any]:
    b = SynthBuilder("acme-prod")
    b.add("pulumi:pulumi:Stack", "tenant-zone-acme-prod", custom=False)
    tokyo = b.provider(
        "tokyo",
        assumeRoles='[{"roleArn":"arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"}]',
    )
    virginia = b.provider("virginia", "us-east-1")
    # KMS: rotation off and a 7-day window (resource rules), an asymmetric key (not applicable),
    # a key whose rotation is unknown until deployment (undecided).
    b.add(
        KEY,
        "data-key",
        {"enableKeyRotation": False, "deletionWindowInDays": 7, "tags": TAGS},
        provider=tokyo,
        outputs={"arn": "arn:aws:kms:ap-northeast-1:111111111111:key/1", "keyId": "1"},
    )
    b.add(
        KEY,
        "sign-key",
        {"keyUsage": "SIGN_VERIFY", "customerMasterKeySpec": "ECC_NIST_P256", "tags": TAGS},
        provider=tokyo,
    )
    b.add(KEY, "later-key", {"enableKeyRotation": UNKNOWN_BOOLEAN_VALUE, "tags": TAGS}, provider=tokyo)
    # A bucket in us-east-1 through its provider, without its companion resources (stack rules).
    bucket = b.add(
        BUCKET,
        "data",
        {"bucket": "acme-data", "tags": TAGS},
        provider=virginia,
        outputs={"arn": "arn:aws:s3:::acme-data", "bucketRegionalDomainName": "acme-data.s3.amazonaws.com"},
    )
    b.add(
        "aws:s3/bucketVersioning:BucketVersioning",
        "data-versioning",
        {"bucket": "acme-data", "versioningConfiguration": {"status": "Enabled"}},
        provider=virginia,
        prop_deps={"bucket": [bucket]},
    )
    # A database with a plain-text password and one with a secret; a region unknown in preview.
    b.add(
        "aws:rds/instance:Instance",
        "db",
        {"password": "hunter2", "storageEncrypted": False, "publiclyAccessible": True, "tags": TAGS},
        provider=tokyo,
    )
    b.add(
        "aws:rds/instance:Instance",
        "db2",
        {"password": secret("s3cr3t"), "storageEncrypted": True, "tags": TAGS},
        provider=tokyo,
    )
    b.add("aws:sqs/queue:Queue", "jobs", {"region": UNKNOWN_STRING_VALUE}, provider=tokyo)
    b.add(
        "aws:cloudwatch/logGroup:LogGroup",
        "app",
        {"retentionInDays": 30, "tags": {"tenant": "acme"}},
        provider=tokyo,
    )
    return b.build()


def struct(value: Mapping[str, Any]) -> struct_pb2.Struct:
    result = struct_pb2.Struct()
    result.update(dict(value))
    return result


def provider_message(
    synth: Mapping[str, Any], reference: str | None
) -> analyzer_pb2.AnalyzerProviderResource | None:
    by_urn = {r["urn"]: r for r in synth["resources"]}
    provider = by_urn.get(reference) if reference else None
    if provider is None:
        return None
    return analyzer_pb2.AnalyzerProviderResource(
        type=provider["type"],
        properties=struct(provider["inputs"]),
        urn=provider["urn"],
        name=provider["name"],
    )


def analyze_request(synth: Mapping[str, Any], resource: Mapping[str, Any]) -> analyzer_pb2.AnalyzeRequest:
    return analyzer_pb2.AnalyzeRequest(
        type=resource["type"],
        properties=struct(resource["inputs"]),
        urn=resource["urn"],
        name=resource["name"],
        options=analyzer_pb2.AnalyzerResourceOptions(parent=resource.get("parent") or ""),
        provider=provider_message(synth, resource.get("provider")),
    )


def analyze_stack_request(synth: Mapping[str, Any]) -> analyzer_pb2.AnalyzeStackRequest:
    resources = []
    for resource in synth["resources"]:
        resources.append(
            analyzer_pb2.AnalyzerResource(
                type=resource["type"],
                properties=struct({**resource["inputs"], **resource["outputs"]}),
                urn=resource["urn"],
                name=resource["name"],
                options=analyzer_pb2.AnalyzerResourceOptions(parent=resource.get("parent") or ""),
                provider=provider_message(synth, resource.get("provider")),
                parent=resource.get("parent") or "",
                dependencies=resource["dependencies"],
                propertyDependencies={
                    k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v)
                    for k, v in resource["propertyDependencies"].items()
                },
            )
        )
    return analyzer_pb2.AnalyzeStackRequest(resources=resources)


Diagnostic = tuple[str, str, str, str]  # policy, urn, message, enforcement


def server_diagnostics(response: analyzer_pb2.AnalyzeResponse) -> list[Diagnostic]:
    for d in response.diagnostics:
        assert (d.policyPackName, d.policyPackVersion) == (PACK_NAME, "0.0.1")
    return sorted(
        (d.policyName, d.urn, d.message, ENFORCEMENT[d.enforcementLevel]) for d in response.diagnostics
    )


def gate_diagnostics(result: GateResult, rules: set[str], urn: str | None) -> list[Diagnostic]:
    """What the engine would receive for the gate's findings: the servicer prefixes the policy
    description; its preview diagnostic has no URN and is advisory."""
    descriptions = {p.name: p.description for p in build_policies()}
    found: list[Diagnostic] = [
        (v.rule, v.urn, f"{descriptions[v.rule]}\n{v.message}", v.enforcement)
        for v in result.violations
        if v.rule in rules and (urn is None or v.urn == urn)
    ]
    found += [
        (u.rule, "", u.message, "advisory")
        for u in result.undecided
        if u.rule in rules and (urn is None or u.urn == urn)
    ]
    return sorted(found)


def with_repository_waivers(result: GateResult) -> GateResult:
    """The gate's result after the repository's waivers.yaml, which the pack server (run from the
    repository) applies too."""
    today = dt.date.today()
    return apply_waivers(result, file_waivers(ROOT, None, today), today)


def without_waiver_policy(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d[0] != WAIVER_POLICY]


def resource_rule_ids() -> set[str]:
    return {rule_id for rule_id, rule in all_rules().items() if isinstance(rule, ResourceRule)}


def test_analyzer_info_matches_the_pack_and_catalog(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty(), timeout=RPC_TIMEOUT)
    assert info.name == PACK_NAME
    served = {p.name: p for p in info.policies}
    # One policy per rule, and the advisory one that reports what the repository's waivers accepted.
    assert sorted(served) == sorted([*all_rules(), WAIVER_POLICY])
    assert ENFORCEMENT.get(served.pop(WAIVER_POLICY).enforcementLevel) == "advisory"
    for name, policy in served.items():
        owner = control_for_rule(name)
        assert ENFORCEMENT.get(policy.enforcementLevel, "disabled") == (owner.enforcement or "mandatory")
        assert SEVERITY[policy.severity] == owner.severity
        assert (policy.framework.name, policy.framework.reference) == (FRAMEWORK_NAME, owner.id)
        expected_type = (
            analyzer_pb2.POLICY_TYPE_RESOURCE
            if name in resource_rule_ids()
            else analyzer_pb2.POLICY_TYPE_STACK
        )
        assert policy.policy_type == expected_type
        assert policy.remediation_steps == all_rules()[name].remediation


def test_analyze_matches_the_gate_resource_by_resource(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    synth = violating_synth()
    gate = check_synth(synth)
    resource_rules = resource_rule_ids()
    total = 0
    for resource in synth["resources"]:
        response = analyzer.Analyze(analyze_request(synth, resource), timeout=RPC_TIMEOUT)
        assert server_diagnostics(response) == gate_diagnostics(gate, resource_rules, resource["urn"]), (
            resource["urn"]
        )
        # Not-applicable: what a rule declared, plus every rule whose types exclude this one.
        out_of_scope = {
            rule_id
            for rule_id in resource_rules
            if not all_rules()[rule_id].applies_to(resource["type"])  # type: ignore[attr-defined]
        }
        declared = {n.rule for n in gate.not_applicable if n.urn == resource["urn"]}
        assert {n.policy_name for n in response.not_applicable} == out_of_scope | declared, resource["urn"]
        total += len(response.diagnostics)
    # The stack was built to trip resource rules: a vacuous comparison would prove nothing.
    assert total > 0
    assert any(u.rule in resource_rules for u in gate.undecided)
    assert any(v.rule == "kms_key_rotation" for v in gate.violations)


def test_analyze_stack_matches_the_gate(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    synth = violating_synth()
    gate = check_synth(synth)
    stack_rules = set(all_rules()) - resource_rule_ids()
    response = analyzer.AnalyzeStack(analyze_stack_request(synth), timeout=RPC_TIMEOUT)
    assert server_diagnostics(response) == gate_diagnostics(gate, stack_rules, None)
    assert sorted(n.policy_name for n in response.not_applicable) == sorted(
        n.rule for n in gate.not_applicable if n.rule in stack_rules
    )
    region = [
        d
        for d in response.diagnostics
        if d.policyName == "region_allowed" and d.enforcementLevel == analyzer_pb2.MANDATORY
    ]
    assert [d.urn.rsplit("::", 1)[1] for d in region] == ["data", "data-versioning"]
    assert any(
        d.policyName == "region_allowed" and "can't run policy" in d.message for d in response.diagnostics
    )


# --- synths of real programs: the shipped stacks and a program covering what the engine sends ---------------

REALWORLD = ROOT / "tests" / "fixtures" / "programs" / "realworld"


def configure_like_the_engine(analyzer: analyzer_pb2_grpc.AnalyzerStub, synth: Mapping[str, Any]) -> None:
    """``Configure`` with the pack's policy config (each policy at its catalog enforcement, as a
    ``--policy-pack-config`` file restating the defaults would) and ``ConfigureStack`` with the stack's names.
    """
    levels = {"advisory": analyzer_pb2.ADVISORY, "mandatory": analyzer_pb2.MANDATORY}
    config = {
        name: analyzer_pb2.PolicyConfig(
            enforcementLevel=levels[control_for_rule(name).enforcement or "mandatory"]
        )
        for name in all_rules()
    }
    analyzer.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=config), timeout=RPC_TIMEOUT)
    analyzer.ConfigureStack(
        analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=synth["stack"], project=synth["project"], organization="organization", dry_run=True,
            tags={"pulumi:project": synth["project"], "pulumi:runtime": "python"},
        ),
        timeout=RPC_TIMEOUT,
    )  # fmt: skip


def synth_of(program: str) -> dict[str, Any]:
    from tenantctl.synth import synthesize

    if program == "realworld":
        return synthesize(REALWORLD, "dev")
    return synthesize(ROOT, program)


@pytest.mark.parametrize("program", ["realworld", "org", "acme-prod"])
def test_the_pack_server_and_the_gate_agree_on_synthesized_programs(
    analyzer: analyzer_pb2_grpc.AnalyzerStub, program: str
) -> None:
    synth = synth_of(program)
    configure_like_the_engine(analyzer, synth)
    gate = with_repository_waivers(check_synth(synth))
    resource_rules = resource_rule_ids()
    for resource in synth["resources"]:
        response = analyzer.Analyze(analyze_request(synth, resource), timeout=RPC_TIMEOUT)
        assert server_diagnostics(response) == gate_diagnostics(gate, resource_rules, resource["urn"]), (
            resource["urn"]
        )
        out_of_scope = {
            rule_id
            for rule_id in resource_rules
            if not all_rules()[rule_id].applies_to(resource["type"])  # type: ignore[attr-defined]
        }
        declared = {n.rule for n in gate.not_applicable if n.urn == resource["urn"]}
        assert {n.policy_name for n in response.not_applicable} == out_of_scope | declared, resource["urn"]
    stack_rules = set(all_rules()) - resource_rules
    response = analyzer.AnalyzeStack(analyze_stack_request(synth), timeout=RPC_TIMEOUT)
    served = server_diagnostics(response)
    assert without_waiver_policy(served) == gate_diagnostics(gate, stack_rules, None)
    # the findings a waiver accepts: withheld from their rule's policy by both, reported by the pack's
    # advisory waivers policy
    assert sorted(d[1] for d in served if d[0] == WAIVER_POLICY) == sorted(
        w.violation.urn for w in gate.waived
    )
    assert sorted(n.policy_name for n in response.not_applicable) == sorted(
        n.rule for n in gate.not_applicable if n.rule in stack_rules
    )
    # what the comparison covered: the engine's view of the synth, not an empty stack
    root = next(r for r in synth["resources"] if r["type"] == "pulumi:pulumi:Stack")
    assert root["outputs"] == synth["outputs"]
    providers = [r["name"] for r in synth["resources"] if r["type"] == "pulumi:providers:aws"]
    assert any(name.startswith("default_") for name in providers) or program != "realworld"
    if program == "realworld":
        content = next(r for r in synth["resources"] if r["name"] == "site-content")
        assert content["inputs"]["bucket"].startswith("site-content-")  # auto-name among the inputs
        assert synth["outputs"]["token"]["value"] == "s3cr3t"  # secret plaintext inside its wrapper
        site = next(r for r in synth["resources"] if r["name"] == "site")
        assert site["outputs"] == {"bucketName": content["inputs"]["bucket"]}
        assert gate.violations  # the raw program breaks baseline rules: a vacuous match would prove nothing


# A `--policy-pack-config` that changes what runs and how it counts: a level for all, one policy back to
# mandatory, one disabled, and a property (the region for resources whose provider names none).
POLICY_CONFIG = {
    "all": "advisory",
    "entry_point_web_acl": "mandatory",
    "tags_required": "disabled",
    "region_allowed": {"region": "ap-northeast-1"},
}


@pytest.mark.parametrize("program", ["realworld", "acme-prod"])
def test_a_policy_config_reaches_the_pack_server_and_the_gate_alike(
    analyzer: analyzer_pb2_grpc.AnalyzerStub, program: str
) -> None:
    from pulumi_policy import EnforcementLevel

    from tenantctl.gate.engineconfig import configure_request, parse, reconcile, stack_request
    from tenantctl.gate.runner import PackRunner

    synth = synth_of(program)
    config = parse(POLICY_CONFIG, "policy config")
    try:
        # the engine's requests: the reconciled config of every policy, then the stack (the gate's tags: none
        # declared for these programs)
        request = configure_request(reconcile(build_policies(), EnforcementLevel.MANDATORY, config))
        analyzer.Configure(request, timeout=RPC_TIMEOUT)
        analyzer.ConfigureStack(stack_request(synth["project"], synth["stack"], {}), timeout=RPC_TIMEOUT)
        runner = PackRunner(policy_config=POLICY_CONFIG)
        gate = check_synth(synth, runner=runner)
        enabled = set(runner.policy_names)
        resource_rules = resource_rule_ids() & enabled
        for resource in synth["resources"]:
            response = analyzer.Analyze(analyze_request(synth, resource), timeout=RPC_TIMEOUT)
            assert server_diagnostics(response) == gate_diagnostics(gate, resource_rules, resource["urn"]), (
                resource["urn"]
            )
            out_of_scope = {
                rule_id
                for rule_id in resource_rules
                if not all_rules()[rule_id].applies_to(resource["type"])  # type: ignore[attr-defined]
            }
            declared = {n.rule for n in gate.not_applicable if n.urn == resource["urn"]}
            assert {n.policy_name for n in response.not_applicable} == out_of_scope | declared
        stack_rules = enabled - resource_rules
        response = analyzer.AnalyzeStack(analyze_stack_request(synth), timeout=RPC_TIMEOUT)
        assert server_diagnostics(response) == gate_diagnostics(gate, stack_rules, None)
    finally:
        configure_like_the_engine(analyzer, synth)  # the module's server back to the catalog's levels
    # the config changed the verdict: the disabled rule did not run, every finding at its configured level
    # (acme-prod is the compliant baseline: there the agreement covers the config's not-applicable results)
    assert "tags_required" not in enabled
    levels = {v.rule: v.enforcement for v in gate.violations}
    assert all(
        level == ("mandatory" if rule == "entry_point_web_acl" else "advisory")
        for rule, level in levels.items()
    )
    if program == "realworld":
        assert levels.get("entry_point_web_acl") == "mandatory"
        assert "advisory" in levels.values()
