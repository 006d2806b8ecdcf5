"""checkov's breadth on raw programs: one stack per common service, the usual mistake and its fixed twin.

Each violating stack gets a mandatory finding from ``check --with-checkov`` on the offending resource (the
gate alone has no rule for most of these services); each compliant twin gets no checkov finding at all. All
22 stacks go through one checkov run, as ``check --all --with-checkov`` would send them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tenantctl.checkov import Scan, Summary
from tenantctl.checkov.environment import CHECKOV_VERSION
from tenantctl.checkov.runner import Run
from tenantctl.gate import GateResult, check_program
from tenantctl.synth import list_stacks

PROGRAM = Path(__file__).resolve().parents[2] / "fixtures" / "checkov" / "services"
pytestmark = pytest.mark.xdist_group("checkov-services")

# stack -> (Pulumi type, resource name, a checkov check that must fail on it, the ID it is reported under:
# the control whose scan layer names the check, else the check's own ID)
VIOLATIONS = {
    "eks-violating": ("aws:eks/cluster:Cluster", "cluster", "CKV_AWS_39", "CKV_AWS_39"),
    "opensearch-violating": ("aws:opensearch/domain:Domain", "search", "CKV_AWS_247", "ENC-01"),
    "elasticache-violating": (
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "cache",
        "CKV_AWS_30",
        "ENC-03",
    ),
    "kinesis-violating": ("aws:kinesis/stream:Stream", "stream", "CKV_AWS_185", "ENC-01"),
    "msk-violating": ("aws:msk/cluster:Cluster", "kafka", "CKV_AWS_81", "CKV_AWS_81"),
    "apigateway-violating": ("aws:apigateway/domainName:DomainName", "domain", "CKV_AWS_206", "ENC-03"),
    "lambda-url-violating": ("aws:lambda/functionUrl:FunctionUrl", "url", "CKV_AWS_258", "CKV_AWS_258"),
    "ssm-violating": ("aws:ssm/parameter:Parameter", "password", "CKV2_AWS_34", "ENC-04"),
    "ecs-violating": ("aws:ecs/taskDefinition:TaskDefinition", "task", "CKV_AWS_336", "CKV_AWS_336"),
    "cognito-violating": (
        "aws:cognito/identityPool:IdentityPool",
        "identities",
        "CKV_AWS_366",
        "CKV_AWS_366",
    ),
    "ecr-violating": ("aws:ecr/repository:Repository", "images", "CKV_AWS_51", "CKV_AWS_51"),
}
COMPLIANT = [stack.replace("-violating", "-compliant") for stack in VIOLATIONS]


@pytest.fixture(scope="module")
def scanned() -> tuple[GateResult, Summary, Run]:
    scan = Scan.start()
    results = [check_program(PROGRAM, stack, observe=scan.observe) for stack in list_stacks(PROGRAM)]
    return scan.finish(GateResult.combine(results))


def test_the_program_has_exactly_these_stacks() -> None:
    assert sorted(list_stacks(PROGRAM)) == sorted([*VIOLATIONS, *COMPLIANT])


@pytest.mark.parametrize("stack", sorted(VIOLATIONS))
def test_violating_program_gets_a_mandatory_finding_on_the_offending_resource(
    stack: str, scanned: tuple[GateResult, Summary, Run]
) -> None:
    result, _, _ = scanned
    pulumi_type, name, check, control = VIOLATIONS[stack]
    urn = f"urn:pulumi:{stack}::services::{pulumi_type}::{name}"
    found = [v for v in result.mandatory if v.stack == stack and v.rule == check]
    assert [(v.urn, v.type, v.name, v.control) for v in found] == [(urn, pulumi_type, name, control)]
    assert found[0].message.startswith(f"{pulumi_type} {name}: fails checkov {check} (")
    assert found[0].message.endswith(f". [{control}]")
    assert "; expected " in found[0].message


@pytest.mark.parametrize("stack", COMPLIANT)
def test_compliant_twin_gets_no_checkov_finding(stack: str, scanned: tuple[GateResult, Summary, Run]) -> None:
    result, _, run = scanned
    assert [r.check_id for r in run.failed if r.stack == stack] == []
    assert [v for v in result.violations if v.stack == stack and v.rule.startswith("CKV")] == []
    # The twin is judged: checkov ran checks on its resource, and they passed.
    assert [r for r in run.results if r.stack == stack and r.passed]


def test_pinned_checkov_ran_its_aws_checks(scanned: tuple[GateResult, Summary, Run]) -> None:
    _, summary, run = scanned
    assert run.version == CHECKOV_VERSION == "3.3.30"
    # The distinct AWS checks checkov 3.3.30 runs on these eleven resource types: an upgrade or a plan
    # export that silently loads fewer (or none) changes this number.
    assert summary.checks == len(run.checks_ran) == 41
    assert {"CKV_AWS_39", "CKV_AWS_5", "CKV_AWS_258", "CKV2_AWS_34"} <= run.checks_ran
    assert summary.resources == 22
    assert summary.unmapped == 0


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_every_report_format_carries_the_checkov_finding_on_its_resource(
    fmt: str, scanned: tuple[GateResult, Summary, Run]
) -> None:
    from tenantctl.report import render

    result, _, _ = scanned
    report = render(result, fmt)
    urn = "urn:pulumi:kinesis-violating::services::aws:kinesis/stream:Stream::stream"
    assert urn in report
    assert "CKV_AWS_185" in report
    assert "ENC-01" in report
