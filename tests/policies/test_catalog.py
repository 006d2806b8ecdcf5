"""The control catalog: schema validation with precise messages, and the catalog's content checked against the
SCPs and checkov's check IDs. The checks against documents outside the repository (controls.md, the source
documents) are tests/external/test_catalog_sources.py (``make sources``)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from policies.catalog import (
    CATALOG_DIR,
    LAYERS,
    REPO_ROOT,
    SOURCE_DOCUMENTS,
    CatalogError,
    Control,
    control_for_rule,
    load_catalog,
    load_catalog_dir,
)

# Every scan check the catalog names, as listed by `checkov --list` (checkov 3.3.30, frameworks terraform
# and secrets). A new scan check must be looked up there and added here with its checkov title.
VERIFIED_CHECKOV_IDS: dict[str, str] = {
    "CKV_AWS_1": 'Ensure IAM policies that allow full "*-*" administrative privileges are not created',
    "CKV_AWS_2": "Ensure ALB protocol is HTTPS",
    "CKV_AWS_3": "Ensure all data stored in the EBS is securely encrypted",
    "CKV_AWS_7": "Ensure rotation for customer created CMKs is enabled",
    "CKV_AWS_8": (
        "Ensure all data stored in the Launch configuration or instance Elastic Blocks Store is securely"
        " encrypted"
    ),
    "CKV_AWS_16": "Ensure all data stored in the RDS is securely encrypted at rest",
    "CKV_AWS_17": "Ensure all data stored in RDS is not publicly accessible",
    "CKV_AWS_21": "Ensure all data stored in the S3 bucket have versioning enabled",
    "CKV_AWS_24": "Ensure no security groups allow ingress from 0.0.0.0:0 to port 22",
    "CKV_AWS_25": "Ensure no security groups allow ingress from 0.0.0.0:0 to port 3389",
    "CKV_AWS_26": "Ensure all data stored in the SNS topic is encrypted",
    "CKV_AWS_27": "Ensure all data stored in the SQS queue is encrypted",
    "CKV_AWS_33": "Ensure KMS key policy does not contain wildcard (*) principal",
    "CKV_AWS_34": "Ensure CloudFront distribution ViewerProtocolPolicy is set to HTTPS",
    "CKV_AWS_35": "Ensure CloudTrail logs are encrypted at rest using KMS CMKs",
    "CKV_AWS_36": "Ensure CloudTrail log file validation is enabled",
    "CKV_AWS_40": (
        "Ensure IAM policies are attached only to groups or roles (Reducing access management complexity may "
        "in-turn reduce opportunity for a principal to inadvertently receive or retain excessive privileges.)"
    ),
    "CKV_AWS_41": "Ensure no hard coded AWS access key and secret key exists in provider",
    "CKV_AWS_42": "Ensure EFS is securely encrypted",
    "CKV_AWS_45": "Ensure no hard-coded secrets exist in lambda environment",
    "CKV_AWS_46": "Ensure no hard-coded secrets exist in EC2 user data",
    "CKV_AWS_62": 'Ensure IAM policies that allow full "*-*" administrative privileges are not created',
    "CKV_AWS_66": "Ensure that CloudWatch Log Group specifies retention days",
    "CKV_AWS_30": (
        "Ensure all data stored in the ElastiCache Replication Group is securely encrypted at transit"
    ),
    "CKV_AWS_136": "Ensure that ECR repositories are encrypted using KMS",
    "CKV_AWS_185": "Ensure Kinesis Stream is encrypted by KMS using a customer managed Key (CMK)",
    "CKV_AWS_191": (
        "Ensure ElastiCache replication group is encrypted by KMS using a customer managed Key (CMK)"
    ),
    "CKV_AWS_206": "Ensure API Gateway Domain uses a modern security Policy",
    "CKV_AWS_228": "Verify Elasticsearch domain is using an up to date TLS policy",
    "CKV_AWS_247": "Ensure all data stored in the Elasticsearch is encrypted with a CMK",
    "CKV2_AWS_34": "AWS SSM Parameter should be Encrypted",
    "CKV_AWS_67": "Ensure CloudTrail is enabled in all Regions",
    "CKV_AWS_68": "CloudFront Distribution should have WAF enabled",
    "CKV_AWS_88": "EC2 instance should not have public IP.",
    "CKV_AWS_96": "Ensure all data stored in Aurora is securely encrypted at rest",
    "CKV_AWS_103": "Ensure that load balancer is using at least TLS 1.2",
    "CKV_AWS_106": "Ensure EBS default encryption is enabled",
    "CKV_AWS_119": "Ensure DynamoDB Tables are encrypted using a KMS Customer Managed CMK",
    "CKV_AWS_130": "Ensure VPC subnets do not assign public IP by default",
    "CKV_AWS_143": "Ensure that S3 bucket has lock configuration enabled by default",
    "CKV_AWS_144": "Ensure that S3 bucket has cross-region replication enabled",
    "CKV_AWS_145": "Ensure that S3 buckets are encrypted with KMS by default",
    "CKV_AWS_149": "Ensure that Secrets Manager secret is encrypted using KMS CMK",
    "CKV_AWS_158": "Ensure that CloudWatch Log Group is encrypted by KMS",
    "CKV_AWS_166": "Ensure Backup Vault is encrypted at rest using KMS CMK",
    "CKV_AWS_174": "Verify CloudFront Distribution Viewer Certificate is using TLS v1.2 or higher",
    "CKV_AWS_184": "Ensure resource is encrypted by KMS using a customer managed Key (CMK)",
    "CKV_AWS_189": "Ensure EBS Volume is encrypted by KMS using a customer managed Key (CMK)",
    "CKV_AWS_192": "Ensure WAF prevents message lookup in Log4j2. See CVE-2021-44228 aka log4jshell",
    "CKV_AWS_251": "Ensure CloudTrail logging is enabled",
    "CKV_AWS_273": "Ensure access is controlled through SSO and not AWS IAM defined users",
    "CKV_AWS_274": "Disallow IAM roles, users, and groups from using the AWS AdministratorAccess policy",
    "CKV_AWS_277": "Ensure no security groups allow ingress from 0.0.0.0:0 to port -1",
    "CKV_AWS_327": "Ensure RDS Clusters are encrypted using KMS CMKs",
    "CKV_AWS_338": "Ensure CloudWatch log groups retains logs for at least 1 year",
    "CKV_SECRET_2": "AWS Access Key",
    "CKV_SECRET_6": "Base64 High Entropy String",
    "CKV_SECRET_13": "Private Key",
    "CKV2_AWS_11": "Ensure VPC flow logging is enabled in all VPCs",
    "CKV2_AWS_12": "Ensure the default security group of every VPC restricts all traffic",
    "CKV2_AWS_20": "Ensure that ALB redirects HTTP requests into HTTPS ones",
    "CKV2_AWS_28": "Ensure public facing ALB are protected by WAF",
    "CKV2_AWS_29": "Ensure public API gateway are protected by WAF",
    "CKV2_AWS_32": "Ensure CloudFront distribution has a response headers policy attached",
    "CKV2_AWS_33": "Ensure AppSync is protected by WAF",
    "CKV2_AWS_47": (
        "Ensure AWS CloudFront attached WAFv2 WebACL is configured with AMR for Log4j Vulnerability"
    ),
    "CKV2_AWS_54": "Ensure AWS CloudFront distribution is using secure SSL protocols for HTTPS communication",
    "CKV2_AWS_64": "Ensure KMS key Policy is defined",
    "CKV2_AWS_73": "Ensure AWS SQS uses CMK not AWS default keys for encryption",
    "CKV2_AWS_76": "Ensure AWS ALB attached WAFv2 WebACL is configured with AMR for Log4j Vulnerability",
}

# controls.md's layer names -> the catalog's keys.


# --- a minimal valid control, written to a temporary catalog ----------------------------------

SEED_TEXT = "テナント間のデータとリソースを隔離するために、\nお客様ごと専用インスタンスを用意する。\n"

GOOD: dict[str, Any] = {
    "id": "TST-01",
    "title": {"ja": "テスト管理策", "en": "Test control"},
    "severity": "high",
    "enforcement": "mandatory",
    "requirement": "Tenants are isolated.",
    "sources": [
        {
            "document": "002",
            "title": SOURCE_DOCUMENTS["002"].title,
            "section": "1 テナントの隔離",
            "quote": "お客様ごと専用インスタンスを用意する。",
        }
    ],
    "rationale": "Because.",
    "remediation": "Do it.",
    "layers": {
        "gate": {"status": "automated", "checks": ["rule_a"], "scopes": {"rule_a": ["any"]}},
        "scan": {"manual": "No built-in check."},
    },
}


def write(directory: Path, data: Any, name: str | None = None) -> Path:
    path = directory / f"{name or data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def variant(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    return data


DELETE = object()


def problems(tmp_path: Path, data: Any, name: str | None = None, seeds_dir: Path | None = None) -> list[str]:
    write(tmp_path, data, name)
    with pytest.raises(CatalogError) as caught:
        load_catalog_dir(tmp_path, seeds_dir=seeds_dir)
    return caught.value.problems


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    directory = tmp_path / "seeds"
    directory.mkdir()
    (directory / SOURCE_DOCUMENTS["002"].file).write_text(SEED_TEXT, encoding="utf-8")
    return directory


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "catalog"
    directory.mkdir()
    return directory


# --- schema and loader ------------------------------------------------------------------------


def test_good_file_loads_with_its_fields(catalog_dir: Path, seeds: Path) -> None:
    path = write(catalog_dir, GOOD)
    control = load_catalog_dir(catalog_dir, seeds_dir=seeds)["TST-01"]
    assert (control.title_ja, control.title_en, control.severity, control.path) == (
        "テスト管理策",
        "Test control",
        "high",
        path,
    )
    assert control.checks("gate") == ["rule_a"]
    scan = control.layer("scan")
    assert scan is not None and (scan.manual, scan.status, scan.checks) == ("No built-in check.", None, ())
    assert control.layer("audit") is None
    assert control.sources[0].quote == "お客様ごと専用インスタンスを用意する。"


def test_quote_spanning_a_line_break_matches_after_whitespace_normalisation(
    catalog_dir: Path, seeds: Path
) -> None:
    # The seed breaks the line after 「ために、」; the quote writes it with a space instead.
    data = variant(sources__0__quote="隔離するために、 お客様ごと専用インスタンス")
    write(catalog_dir, data)
    assert "TST-01" in load_catalog_dir(catalog_dir, seeds_dir=seeds)


@pytest.mark.parametrize(
    "changes, expected",
    [
        pytest.param(
            {"severity": DELETE},
            "key `severity` is missing; expected one of critical, high, medium, low.",
            id="missing-field",
        ),
        pytest.param(
            {"sources__0__quote": DELETE},
            "key `sources[0].quote` is missing; expected non-empty text.",
            id="missing-nested-field",
        ),
        pytest.param(
            {"owner": "platform"},
            "key `owner` is not allowed; expected only `id`, `title`, `severity`, `enforcement`, `waivable`,"
            " `requirement`, `sources`, `aws_sources`, `rationale`, `remediation`, `parameters`, `manual`,"
            " `layers`.",
            id="unknown-key",
        ),
        pytest.param(
            {"sources__0__url": "https://example.invalid"},
            "key `sources[0].url` is not allowed; expected only `document`, `title`, `section`, `quote`.",
            id="unknown-nested-key",
        ),
        pytest.param(
            {"severity": "urgent"},
            "key `severity` is 'urgent'; expected one of critical, high, medium, low.",
            id="bad-severity",
        ),
        pytest.param(
            {"enforcement": "strict"},
            "key `enforcement` is 'strict'; expected one of mandatory, advisory, disabled.",
            id="bad-enforcement",
        ),
        pytest.param(
            {"layers__firewall": {"status": "automated", "checks": ["x"]}},
            "key `layers.firewall` is not allowed; expected only `scp`, `gate`, `scan`, `audit`.",
            id="bad-layer-name",
        ),
        pytest.param(
            {"layers__gate__status": "done"},
            "key `layers.gate.status` is 'done'; expected one of automated, planned.",
            id="bad-layer-status",
        ),
        pytest.param(
            {"layers__gate__status": DELETE},
            "key `layers.gate.status` is missing; expected one of automated, planned.",
            id="layer-checks-without-status",
        ),
        pytest.param(
            {"layers__gate": {"status": "automated"}},
            "key `layers.gate.checks` is missing; expected a non-empty list of check IDs.",
            id="layer-status-without-checks",
        ),
        pytest.param(
            {"layers__gate__manual": "later"},
            "key `layers.gate` has both `manual` and `checks`/`status`; expected either `checks` with a"
            " `status` (automated or planned), or `manual` with the reason.",
            id="layer-manual-and-checks",
        ),
        pytest.param(
            {"layers__gate": {}},
            "key `layers.gate` has neither `checks` nor `manual`; expected either `checks` with a `status` "
            "(automated or planned), or `manual` with the reason.",
            id="empty-layer",
        ),
        pytest.param(
            {"layers__gate__checks": []},
            "key `layers.gate.checks` is an empty list; expected a list of at least 1 item(s).",
            id="empty-checks",
        ),
        pytest.param(
            {"layers__gate__scopes": DELETE},
            "key `layers.gate.scopes.rule_a` is missing; expected the kinds of stack the check judges: any,"
            " or a list of tenant, org, service.",
            id="gate-check-without-scope",
        ),
        pytest.param(
            {"layers__gate__scopes": {"rule_a": ["any"], "rule_z": ["org"]}},
            "key `layers.gate.scopes.rule_z` names no check of the gate layer; expected one scope per entry"
            " of `layers.gate.checks`.",
            id="scope-of-no-check",
        ),
        pytest.param(
            {"layers__gate__scopes": {"rule_a": ["tenants"]}},
            "key `layers.gate.scopes.rule_a[0]` is 'tenants'; expected one of any, tenant, org, service.",
            id="bad-scope-kind",
        ),
        pytest.param(
            {
                "layers__scan": {
                    "status": "planned",
                    "checks": ["CKV_AWS_7"],
                    "scopes": {"CKV_AWS_7": ["any"]},
                }
            },
            "key `layers.scan.scopes` is set; expected scopes in the gate layer only.",
            id="scope-outside-gate",
        ),
        pytest.param(
            {"layers": {}},
            "key `layers` is empty and key `manual` is missing; expected at least one layer, or `manual` with"
            " the reason the control has no automated check.",
            id="no-layers-no-manual",
        ),
        pytest.param(
            {"manual": "process only"},
            "key `manual` is set on a control that has layers; expected `manual` only on a control without"
            " layers (use `manual` inside a layer instead).",
            id="manual-with-layers",
        ),
        pytest.param(
            {"sources__0__document": "005"},
            "key `sources[0].document` is '005'; expected one of 000, 001, 002, 003, 004.",
            id="unknown-document",
        ),
        pytest.param(
            {"sources": []},
            "key `sources` is an empty list; expected a list of at least 1 item(s).",
            id="no-sources",
        ),
        pytest.param(
            {"title__ja": "  "},
            "key `title.ja` is empty; expected non-empty text.",
            id="blank-title",
        ),
        pytest.param(
            {"severity": 3},
            "key `severity` is 3; expected one of critical, high, medium, low.",
            id="severity-not-a-string",
        ),
        pytest.param(
            {"requirement": ["a", "b"]},
            "key `requirement` is a list (['a', 'b']); expected non-empty text.",
            id="wrong-type",
        ),
        pytest.param(
            {"sources__0__title": "Some other title"},
            "key `sources[0].title` is 'Some other title'; expected "
            "'iDoperation Series Cloud セキュリティホワイトペーパー SWP2410', the title of document 002.",
            id="wrong-source-title",
        ),
    ],
)
def test_broken_file_fails_with_precise_message(
    catalog_dir: Path, changes: dict[str, Any], expected: str
) -> None:
    path = catalog_dir / "TST-01.yaml"
    assert problems(catalog_dir, variant(**changes)) == [f"catalog file {path}: {expected} [TST-01]"]


AWS_SOURCES = [{"url": "https://docs.aws.amazon.com/x.html", "fact": "a quota", "error": "LimitExceeded"}]
EITHER = (
    "expected `sources` (quotes from the seeds), or `aws_sources` for a control derived from AWS"
    " documentation (the DEP family), not both."
)


def test_aws_sources_replace_seed_sources(catalog_dir: Path) -> None:
    data = {**{k: v for k, v in GOOD.items() if k != "sources"}, "aws_sources": AWS_SOURCES}
    write(catalog_dir, data)
    control = load_catalog_dir(catalog_dir)["TST-01"]
    assert control.sources == () and control.aws_sources[0].error == "LimitExceeded"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({**GOOD, "aws_sources": AWS_SOURCES}, f"keys `sources` and `aws_sources` are both set; {EITHER}"),
        ({k: v for k, v in GOOD.items() if k != "sources"}, f"key `sources` is missing; {EITHER}"),
    ],
    ids=["both", "neither"],
)
def test_sources_or_aws_sources(catalog_dir: Path, data: dict[str, Any], expected: str) -> None:
    path = catalog_dir / "TST-01.yaml"
    assert problems(catalog_dir, data) == [f"catalog file {path}: {expected} [TST-01]"]


def test_aws_sources_cite_aws_documentation(catalog_dir: Path) -> None:
    bad = [{**AWS_SOURCES[0], "url": "https://example.com/blog"}]
    data = {**{k: v for k, v in GOOD.items() if k != "sources"}, "aws_sources": bad}
    assert problems(catalog_dir, data)[0].startswith(
        f"catalog file {catalog_dir / 'TST-01.yaml'}: key `aws_sources[0].url` is 'https://example.com/blog'"
    )


def test_every_problem_of_a_file_is_reported(catalog_dir: Path) -> None:
    found = problems(catalog_dir, variant(severity="urgent", owner="x", layers__gate__status="done"))
    assert [line.split(": ", 1)[1].split(";")[0] for line in found] == [
        "key `layers.gate.status` is 'done'",
        "key `owner` is not allowed",
        "key `severity` is 'urgent'",
    ]


def test_id_must_match_file_name(catalog_dir: Path) -> None:
    path = catalog_dir / "TST-02.yaml"
    assert problems(catalog_dir, GOOD, name="TST-02") == [
        f"catalog file {path}: key `id` is 'TST-01' but the file is named TST-02.yaml; "
        "expected the file to be named TST-01.yaml. [TST-01]"
    ]


def test_bad_id_names_the_pattern(catalog_dir: Path) -> None:
    path = catalog_dir / "tst-1.yaml"
    assert problems(catalog_dir, variant(id="tst-1"), name="tst-1") == [
        f"catalog file {path}: key `id` is 'tst-1'; expected a control ID like ENC-01. [tst-1]"
    ]


def test_invalid_yaml_names_the_line(catalog_dir: Path) -> None:
    path = catalog_dir / "TST-01.yaml"
    path.write_text("id: TST-01\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog_dir(catalog_dir)
    (message,) = caught.value.problems
    assert message.startswith(f"catalog file {path}: is not valid YAML at line 3")
    assert message.endswith("; expected a YAML mapping. [TST-01]")


def test_file_that_is_not_a_mapping(catalog_dir: Path) -> None:
    path = catalog_dir / "TST-01.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog_dir(catalog_dir)
    assert caught.value.problems == [
        f"catalog file {path}: holds a list, not a mapping; expected a YAML mapping. [TST-01]"
    ]


def test_gate_rule_cited_by_two_controls(catalog_dir: Path) -> None:
    write(catalog_dir, GOOD)
    write(catalog_dir, variant(id="TST-02"))
    with pytest.raises(CatalogError) as caught:
        load_catalog_dir(catalog_dir)
    assert caught.value.problems == [
        f"catalog file {catalog_dir / name}.yaml: key `layers.gate.checks` cites 'rule_a', which TST-01,"
        f" TST-02 all cite; expected each gate check cited by exactly one control. [{name}]"
        for name in ("TST-01", "TST-02")
    ]


def test_scan_check_may_serve_two_controls(catalog_dir: Path) -> None:
    shared_scan = {"status": "planned", "checks": ["CKV_AWS_7"]}
    write(catalog_dir, variant(layers__scan=shared_scan))
    write(
        catalog_dir,
        variant(
            id="TST-02",
            layers__gate__checks=["rule_b"],
            layers__gate__scopes={"rule_b": ["tenant"]},
            layers__scan=shared_scan,
        ),
    )
    assert list(load_catalog_dir(catalog_dir)) == ["TST-01", "TST-02"]


def test_quote_not_in_source_fails(catalog_dir: Path, seeds: Path) -> None:
    path = catalog_dir / "TST-01.yaml"
    invented = "お客様ごとに専用アカウントを用意する。"
    assert problems(catalog_dir, variant(sources__0__quote=invented), seeds_dir=seeds) == [
        f"catalog file {path}: key `sources[0].quote` {invented!r} is not in document 002 "
        f"({SOURCE_DOCUMENTS['002'].file}); expected a verbatim quote from that document. [TST-01]"
    ]


def test_empty_directory_fails(catalog_dir: Path) -> None:
    with pytest.raises(CatalogError, match="holds no \\*.yaml control files; expected one per control"):
        load_catalog_dir(catalog_dir)


def test_schema_file_is_valid_json_schema() -> None:
    import json

    import jsonschema

    schema = json.loads((REPO_ROOT / "policies" / "catalog_schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)


# --- the project's catalog --------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog() -> dict[str, Control]:
    return load_catalog()


def test_every_control_file_loads_and_the_order_is_the_documents(catalog: dict[str, Control]) -> None:
    files = sorted(p.stem for p in CATALOG_DIR.glob("*.yaml"))
    assert sorted(catalog) == files
    families = list(dict.fromkeys(control_id.split("-")[0] for control_id in catalog))
    for family in families:
        numbers = [int(c.split("-")[1]) for c in catalog if c.startswith(f"{family}-")]
        assert numbers == sorted(numbers), family
    seed_families = [family for family in families if family != "DEP"]
    # controls.md opens with tenancy and closes with governance; the controls drawn from AWS's own
    # documentation (deployability) follow the ones drawn from the seeds
    assert seed_families[0] == "TEN" and seed_families[-1] == "GOV"
    assert families[-1] == "DEP"


def test_every_rule_is_cited_by_exactly_one_control(catalog: dict[str, Control]) -> None:
    from policies.registry import all_rules

    citing = {
        rule_id: [c.id for c in catalog.values() if rule_id in c.checks("gate")] for rule_id in all_rules()
    }
    assert {rule_id: owners for rule_id, owners in citing.items() if len(owners) != 1} == {}


def test_every_gate_layer_has_automated_checks_each_owned_by_its_control(catalog: dict[str, Control]) -> None:
    for control in catalog.values():
        gate = control.layer("gate")
        if gate is None:
            continue
        assert gate.status == "automated" and len(gate.checks) >= 1, control.id
        assert all(control_for_rule(rule_id) is control for rule_id in gate.checks), control.id


def test_automated_gate_checks_are_implemented(catalog: dict[str, Control]) -> None:
    """`automated` must be true: each gate check has its rule module (fails while a rule is missing)."""
    from policies.registry import all_rules

    rules = all_rules()
    missing = {c.id: [r for r in c.checks("gate") if r not in rules] for c in catalog.values()}
    assert {control_id: rule_ids for control_id, rule_ids in missing.items() if rule_ids} == {}


def test_every_scp_check_names_an_scp_of_that_control(catalog: dict[str, Control]) -> None:
    from components.scps import SCP_DEFINITIONS

    scps = {definition.name: definition for definition in SCP_DEFINITIONS}
    cited = [(control.id, name) for control in catalog.values() for name in control.checks("scp")]
    assert cited, "no control has an SCP check"
    assert [(control_id, name) for control_id, name in cited if name not in scps] == []
    assert [(control_id, name) for control_id, name in cited if control_id not in scps[name].controls] == []


def test_scan_checks_are_verified_checkov_ids_automated_on_the_plan(catalog: dict[str, Control]) -> None:
    for control in catalog.values():
        scan = control.layer("scan")
        if scan is None or scan.manual is not None:
            continue
        # `check --with-checkov` runs the terraform_plan checks on the exported plan; the CKV_SECRET_*
        # checks need checkov's secrets framework on the repository files, which tenantctl does not run.
        runs_all = not any(check.startswith("CKV_SECRET_") for check in scan.checks)
        assert scan.status == ("automated" if runs_all else "planned"), control.id
        assert [check for check in scan.checks if check not in VERIFIED_CHECKOV_IDS] == [], control.id


def test_no_unused_verified_checkov_ids(catalog: dict[str, Control]) -> None:
    used = {check for control in catalog.values() for check in control.checks("scan")}
    assert set(VERIFIED_CHECKOV_IDS) == used


def test_audit_checks_are_named_live_and_automated_ones_exist(catalog: dict[str, Control]) -> None:
    from policies.audit._registry import all_checks

    implemented = set(all_checks())
    cited: list[str] = []
    for control in catalog.values():
        audit = control.layer("audit")
        if audit is None or audit.manual is not None:
            continue
        assert all(check.startswith("live_") for check in audit.checks), control.id
        if audit.status == "automated":
            assert [c for c in audit.checks if c not in implemented] == [], control.id
            cited.extend(audit.checks)
        else:
            assert [c for c in audit.checks if c in implemented] == [], control.id
    # every implemented check is cited by exactly one control's automated audit layer
    assert sorted(cited) == sorted(implemented)


def test_manual_layers_and_controls_give_a_reason(catalog: dict[str, Control]) -> None:
    reasons = [control.manual for control in catalog.values() if control.manual is not None]
    reasons += [
        layer.manual
        for control in catalog.values()
        for name in LAYERS
        if (layer := control.layer(name)) is not None and layer.manual is not None
    ]
    assert reasons and all(len(reason.split()) >= 15 for reason in reasons)


def test_catalog_files_are_the_loaded_controls(catalog: dict[str, Control]) -> None:
    assert sorted(path.stem for path in CATALOG_DIR.glob("*.yaml")) == sorted(catalog)


def test_seed_controls_cite_seeds_and_deployability_controls_cite_aws(catalog: dict[str, Control]) -> None:
    for control in catalog.values():
        if control.family == "DEP":
            assert control.aws_sources and not control.sources, control.id
            assert all(
                s.url.startswith("https://docs.aws.amazon.com/") and s.error for s in control.aws_sources
            )
        else:
            assert control.sources and not control.aws_sources, control.id
