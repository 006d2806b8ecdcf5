"""AccountGuardrails: account-wide public access blocks and Access Analyzer, per region where regional."""

from __future__ import annotations

import pulumi_aws as aws
import pytest

from components.account_guardrails import AccountGuardrails, AccountGuardrailsArgs
from components.errors import ComponentInputError
from tests.pulumi_mocks import Run, run

REGIONS = ("ap-northeast-1", "ap-northeast-3")


def build(regions: tuple[str, ...] = REGIONS) -> Run:
    def program() -> AccountGuardrails:
        providers = {region: aws.Provider(f"tenant-{region}", region=region) for region in regions}
        return AccountGuardrails("acme-prod-guardrails", AccountGuardrailsArgs(providers=providers))

    return run(program)


@pytest.fixture(scope="module")
def guardrails() -> Run:
    return build()


def test_every_child_is_parented(guardrails: Run) -> None:
    component = guardrails.one("tenant-zone:guardrails:AccountGuardrails").urn
    children = guardrails.descendants_of(component)
    assert len(children) == 5  # one account setting, two regional settings in two regions
    assert {c.parent for c in children} == {component}


def test_s3_public_access_is_blocked_for_the_whole_account_once(guardrails: Run) -> None:
    (block,) = guardrails.of_type("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock")
    assert block.inputs == {
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }
    assert guardrails.region_of(block) == "ap-northeast-1"


def test_snapshot_sharing_and_access_analysis_in_each_region(guardrails: Run) -> None:
    blocks = guardrails.of_type("aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess")
    assert sorted(guardrails.region_of(b) for b in blocks) == list(REGIONS)
    assert {b.inputs["state"] for b in blocks} == {"block-all-sharing"}
    analyzers = guardrails.of_type("aws:accessanalyzer/analyzer:Analyzer")
    assert sorted(guardrails.region_of(a) for a in analyzers) == list(REGIONS)
    assert {a.inputs["type"] for a in analyzers} == {"ACCOUNT"}
    assert sorted(a.inputs["analyzerName"] for a in analyzers) == [
        "acme-prod-guardrails-apne1",
        "acme-prod-guardrails-apne3",
    ]


def test_a_region_outside_japan_is_refused() -> None:
    with pytest.raises(ComponentInputError) as caught:
        build(("ap-northeast-1", "us-east-1"))
    assert str(caught.value) == (
        "AccountGuardrails acme-prod-guardrails: providers has region 'us-east-1', outside Japan; "
        "expected only ap-northeast-1, ap-northeast-3. [RES-01]"
    )
