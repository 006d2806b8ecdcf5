"""The mocks' outputs: ARNs and IDs shaped like AWS's, region and account from the provider, data sources."""

from __future__ import annotations

import inspect
import json
import re
from typing import Any

import pulumi_aws  # noqa: F401 - registers the resource modules the type metadata is read from
import pytest

from tenantctl.synth import aws_resources, policydoc
from tenantctl.synth.aws_invokes import UnknownDataSource
from tenantctl.synth.mocks import SynthMocks
from tenantctl.synth.typeinfo import type_info

TOKYO_TENANT = {
    "region": "ap-northeast-1",
    "assumeRoles": json.dumps([{"roleArn": "arn:aws:iam::222233334444:role/OrganizationAccountAccessRole"}]),
    "defaultTags": json.dumps({"tags": {"managed-by": "tenant-zone"}}),
}
OSAKA_MANAGEMENT = {"region": "ap-northeast-3"}
MOCKS = SynthMocks()


def mock(
    type_: str, name: str, inputs: dict[str, Any], provider: dict[str, Any] = TOKYO_TENANT
) -> tuple[str, dict[str, Any]]:
    urn = f"urn:pulumi:test::proj::{type_}::{name}"
    region = inputs.get("region") or provider.get("region")
    return MOCKS.resource(
        urn=urn, type_=type_, name=name, inputs=inputs, provider_inputs=provider, region=region
    )


HEX17 = r"[0-9a-f]{17}"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


@pytest.mark.parametrize(
    "type_, inputs, id_pattern, arn_pattern",
    [
        ("aws:s3/bucket:Bucket", {"bucket": "acme-data"}, r"acme-data", r"arn:aws:s3:::acme-data"),
        (
            "aws:ec2/vpc:Vpc",
            {"cidrBlock": "10.0.0.0/16"},
            rf"vpc-{HEX17}",
            rf"arn:aws:ec2:ap-northeast-1:222233334444:vpc/vpc-{HEX17}",
        ),
        (
            "aws:ec2/subnet:Subnet",
            {},
            rf"subnet-{HEX17}",
            rf"arn:aws:ec2:ap-northeast-1:222233334444:subnet/subnet-{HEX17}",
        ),
        ("aws:ec2/securityGroup:SecurityGroup", {}, rf"sg-{HEX17}", r".*:security-group/sg-.*"),
        ("aws:ec2/internetGateway:InternetGateway", {}, rf"igw-{HEX17}", r".*:internet-gateway/igw-.*"),
        ("aws:ec2/natGateway:NatGateway", {}, rf"nat-{HEX17}", None),
        ("aws:ec2/eip:Eip", {}, rf"eipalloc-{HEX17}", r".*:elastic-ip/eipalloc-.*"),
        ("aws:kms/key:Key", {}, UUID, rf"arn:aws:kms:ap-northeast-1:222233334444:key/{UUID}"),
        (
            "aws:kms/key:Key",
            {"multiRegion": True},
            r"mrk-[0-9a-f]{32}",
            r"arn:aws:kms:ap-northeast-1:222233334444:key/mrk-[0-9a-f]{32}",
        ),
        (
            "aws:iam/role:Role",
            {"name": "reader", "path": "/svc/"},
            r"reader",
            r"arn:aws:iam::222233334444:role/svc/reader",
        ),
        (
            "aws:iam/policy:Policy",
            {"name": "p"},
            r"arn:aws:iam::222233334444:policy/p",
            r"arn:aws:iam::222233334444:policy/p",
        ),
        (
            "aws:cloudwatch/logGroup:LogGroup",
            {"name": "/flow"},
            r"/flow",
            r"arn:aws:logs:ap-northeast-1:222233334444:log-group:/flow",
        ),
        (
            "aws:sns/topic:Topic",
            {"name": "alerts"},
            r"arn:aws:sns:ap-northeast-1:222233334444:alerts",
            r"arn:aws:sns:ap-northeast-1:222233334444:alerts",
        ),
        (
            "aws:cloudtrail/trail:Trail",
            {"name": "org"},
            r"arn:aws:cloudtrail:.*:trail/org",
            r"arn:aws:cloudtrail:ap-northeast-1:222233334444:trail/org",
        ),
        (
            "aws:backup/vault:Vault",
            {"name": "v"},
            r"v",
            r"arn:aws:backup:ap-northeast-1:222233334444:backup-vault:v",
        ),
        (
            "aws:guardduty/detector:Detector",
            {},
            r"[0-9a-f]{32}",
            r"arn:aws:guardduty:ap-northeast-1:222233334444:detector/[0-9a-f]{32}",
        ),
        (
            "aws:wafv2/webAcl:WebAcl",
            {"name": "edge", "scope": "REGIONAL"},
            UUID,
            rf"arn:aws:wafv2:ap-northeast-1:222233334444:regional/webacl/edge/{UUID}",
        ),
        (
            "aws:wafv2/ipSet:IpSet",
            {"name": "deny", "scope": "CLOUDFRONT"},
            UUID,
            rf"arn:aws:wafv2:us-east-1:222233334444:global/ipset/deny/{UUID}",
        ),
        (
            "aws:shield/protection:Protection",
            {"name": "alb"},
            UUID,
            rf"arn:aws:shield::222233334444:protection/{UUID}",
        ),
        (
            "aws:acm/certificate:Certificate",
            {"domainName": "app.example.jp"},
            rf"arn:aws:acm:.*:certificate/{UUID}",
            None,
        ),
        (
            "aws:route53/zone:Zone",
            {"name": "example.jp"},
            r"Z[0-9A-Z]{20}",
            r"arn:aws:route53:::hostedzone/Z[0-9A-Z]{20}",
        ),
        (
            "aws:ssm/patchBaseline:PatchBaseline",
            {"name": "b"},
            rf"pb-{HEX17}",
            r"arn:aws:ssm:ap-northeast-1:222233334444:patchbaseline/pb-.*",
        ),
        # generic: service from the module, resource type from the class name
        (
            "aws:ecs/cluster:Cluster",
            {"name": "c"},
            r"c",
            r"arn:aws:ecs:ap-northeast-1:222233334444:cluster/c",
        ),
        # generic without a name: <logical name>-<hash> as ID, the module mapped to its ARN service
        (
            "aws:efs/fileSystem:FileSystem",
            {},
            r"r-[0-9a-f]{8}",
            r"arn:aws:elasticfilesystem:ap-northeast-1:222233334444:file-system/r-[0-9a-f]{8}",
        ),
    ],
)
def test_ids_and_arns(type_: str, inputs: dict[str, Any], id_pattern: str, arn_pattern: str | None) -> None:
    resource_id, outputs = mock(type_, "r", inputs)
    assert re.fullmatch(id_pattern, resource_id), resource_id
    if arn_pattern is None:
        return
    assert re.fullmatch(arn_pattern, outputs["arn"]), outputs["arn"]


def test_ids_are_stable_and_distinct() -> None:
    assert mock("aws:ec2/vpc:Vpc", "a", {}) == mock("aws:ec2/vpc:Vpc", "a", {})
    assert mock("aws:ec2/vpc:Vpc", "a", {})[0] != mock("aws:ec2/vpc:Vpc", "b", {})[0]


def test_account_and_region_come_from_the_provider() -> None:
    _, outputs = mock("aws:sns/topic:Topic", "t", {"name": "t"}, provider=OSAKA_MANAGEMENT)
    assert (
        outputs["arn"] == "arn:aws:sns:ap-northeast-3:111111111111:t"
    )  # no assumed role: management account
    _, pinned = mock(
        "aws:sns/topic:Topic", "t", {"name": "t", "region": "ap-northeast-1"}, provider=OSAKA_MANAGEMENT
    )
    assert pinned["arn"] == "arn:aws:sns:ap-northeast-1:111111111111:t"


def test_autonaming_and_plan_time_outputs() -> None:
    _, bucket = mock("aws:s3/bucket:Bucket", "Data-Bucket", {"tags": {"purpose": "data"}})
    assert re.fullmatch(r"data-bucket-[0-9a-f]{7}", bucket["bucket"])  # S3 names are lowercased
    assert bucket["tagsAll"] == {
        "managed-by": "tenant-zone",
        "purpose": "data",
    }  # provider default tags merged
    assert bucket["region"] == "ap-northeast-1"
    assert bucket["bucketRegionalDomainName"] == f"{bucket['bucket']}.s3.ap-northeast-1.amazonaws.com"
    _, prefixed = mock("aws:iam/role:Role", "r", {"namePrefix": "svc-"})
    assert prefixed["name"].startswith("svc-") and len(prefixed["name"]) == len("svc-") + 26
    _, alias = mock("aws:kms/alias:Alias", "data", {"targetKeyId": "k-1"})
    assert alias["name"].startswith("alias/data-")
    assert alias["targetKeyArn"] == "arn:aws:kms:ap-northeast-1:222233334444:key/k-1"
    # no autoname and no ARN for types that have neither
    _, versioning = mock("aws:s3/bucketVersioning:BucketVersioning", "v", {"bucket": "b"})
    assert "name" not in versioning and "arn" not in versioning


def test_outputs_never_override_inputs() -> None:
    _, outputs = mock("aws:iam/role:Role", "r", {"name": "given", "arn": "arn:custom"})
    assert "name" not in outputs and "arn" not in outputs


def test_vpc_defaults_match_the_default_resources_that_adopt_them() -> None:
    vpc_id, vpc = mock("aws:ec2/vpc:Vpc", "vpc", {})
    sg_id, _ = mock("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default-sg", {"vpcId": vpc_id})
    assert sg_id == vpc["defaultSecurityGroupId"]
    assert vpc["mainRouteTableId"] == vpc["defaultRouteTableId"]
    assert vpc["ownerId"] == "222233334444"


def test_load_balancer_and_listener() -> None:
    lb_arn, lb = mock(
        "aws:lb/loadBalancer:LoadBalancer", "edge", {"name": "edge", "loadBalancerType": "application"}
    )
    assert re.fullmatch(
        r"arn:aws:elasticloadbalancing:ap-northeast-1:222233334444:loadbalancer/app/edge/[0-9a-f]{16}", lb_arn
    )
    assert lb["arnSuffix"] == lb_arn.split(":loadbalancer/")[1]
    assert lb["zoneId"] == "Z14GRHDCWA56QT"
    assert re.fullmatch(r"edge-\d{10}\.ap-northeast-1\.elb\.amazonaws\.com", lb["dnsName"])
    listener_arn, _ = mock("aws:lb/listener:Listener", "https", {"loadBalancerArn": lb_arn})
    assert listener_arn.startswith(lb_arn.replace(":loadbalancer/", ":listener/") + "/")


def test_kms_replica_shares_the_primary_key_id() -> None:
    primary_id, primary = mock("aws:kms/key:Key", "k", {"multiRegion": True})
    replica_id, replica = mock(
        "aws:kms/replicaKey:ReplicaKey",
        "k-replica",
        {"primaryKeyArn": primary["arn"], "region": "ap-northeast-3"},
    )
    assert replica_id == primary_id
    assert replica["arn"] == f"arn:aws:kms:ap-northeast-3:222233334444:key/{primary_id}"


def test_organization_resources() -> None:
    org_id, org = mock(
        "aws:organizations/organization:Organization",
        "org",
        {"enabledPolicyTypes": ["SERVICE_CONTROL_POLICY"]},
        OSAKA_MANAGEMENT,
    )
    assert re.fullmatch(r"o-[0-9a-z]{10}", org_id)
    assert org["masterAccountId"] == "111111111111"
    root = org["roots"][0]
    assert re.fullmatch(r"r-[0-9a-z]{4}", root["id"])
    assert root["policyTypes"] == [{"status": "ENABLED", "type": "SERVICE_CONTROL_POLICY"}]
    account_id, account = mock(
        "aws:organizations/account:Account",
        "acme",
        {"email": "a@example.jp", "name": "acme"},
        OSAKA_MANAGEMENT,
    )
    assert re.fullmatch(r"[1-9]\d{11}", account_id) and account_id != "111111111111"
    assert account["arn"] == f"arn:aws:organizations::111111111111:account/{org_id}/{account_id}"
    ou_id, _ = mock(
        "aws:organizations/organizationalUnit:OrganizationalUnit", "prod", {"name": "Prod"}, OSAKA_MANAGEMENT
    )
    assert re.fullmatch(rf"ou-{root['id'][2:]}-[0-9a-z]{{8}}", ou_id)
    policy_id, policy = mock(
        "aws:organizations/policy:Policy", "scp", {"name": "deny", "content": "{}"}, OSAKA_MANAGEMENT
    )
    assert re.fullmatch(r"p-[0-9a-z]{8}", policy_id)
    assert (
        policy["arn"]
        == f"arn:aws:organizations::111111111111:policy/{org_id}/service_control_policy/{policy_id}"
    )


def test_mail_outputs_programs_build_dns_records_from() -> None:
    _, dkim = mock("aws:ses/domainDkim:DomainDkim", "dkim", {"domain": "mail.example.jp"})
    assert len(dkim["dkimTokens"]) == 3 and all(re.fullmatch(r"[0-9a-z]{32}", t) for t in dkim["dkimTokens"])
    _, certificate = mock(
        "aws:acm/certificate:Certificate",
        "cert",
        {"domainName": "app.example.jp", "subjectAlternativeNames": ["*.app.example.jp"]},
    )
    options = certificate["domainValidationOptions"]
    assert [o["domainName"] for o in options] == ["*.app.example.jp", "app.example.jp"]
    assert all(
        o["resourceRecordType"] == "CNAME" and o["resourceRecordName"].endswith(".app.example.jp.")
        for o in options
    )


def test_preview_knows_only_plan_time_values() -> None:
    preview = SynthMocks(preview=True)
    resource_id, outputs = preview.resource(
        urn="urn:pulumi:t::p::aws:s3/bucket:Bucket::b", type_="aws:s3/bucket:Bucket", name="b", inputs={},
        provider_inputs=TOKYO_TENANT, region="ap-northeast-1",
    )  # fmt: skip
    assert resource_id == ""
    assert set(outputs) == {"bucket", "tagsAll", "region"}


def test_non_aws_resources_get_a_stable_id_and_nothing_else() -> None:
    resource_id, outputs = MOCKS.resource(
        urn="urn:pulumi:t::p::random:index/randomPet:RandomPet::pet",
        type_="random:index/randomPet:RandomPet",
        name="pet",
        inputs={},
        provider_inputs={},
        region=None,
    )
    assert re.fullmatch(r"pet-[0-9a-f]{8}", resource_id) and outputs == {}


@pytest.mark.parametrize(
    "provider, region, account, arn",
    [
        (
            TOKYO_TENANT,
            "ap-northeast-1",
            "222233334444",
            "arn:aws:sts::222233334444:assumed-role/OrganizationAccountAccessRole/tenantctl-synth",
        ),
        (
            OSAKA_MANAGEMENT,
            "ap-northeast-3",
            "111111111111",
            "arn:aws:iam::111111111111:user/tenantctl-synth",
        ),
    ],
)
def test_identity_and_region_data_sources(
    provider: dict[str, Any], region: str, account: str, arn: str
) -> None:
    identity = MOCKS.invoke("aws:index/getCallerIdentity:getCallerIdentity", {}, provider)
    assert (identity["accountId"], identity["arn"]) == (account, arn)
    assert MOCKS.invoke("aws:index/getRegion:getRegion", {}, provider)["region"] == region
    assert MOCKS.invoke("aws:index/getPartition:getPartition", {}, provider)["partition"] == "aws"


def test_availability_zones() -> None:
    tokyo = MOCKS.invoke(
        "aws:index/getAvailabilityZones:getAvailabilityZones", {"state": "available"}, TOKYO_TENANT
    )
    assert tokyo["names"] == ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]
    assert tokyo["zoneIds"] == ["apne1-az4", "apne1-az1", "apne1-az2"]
    osaka = MOCKS.invoke(
        "aws:index/getAvailabilityZones:getAvailabilityZones",
        {"excludeNames": ["ap-northeast-3c"]},
        OSAKA_MANAGEMENT,
    )
    assert osaka["names"] == ["ap-northeast-3a", "ap-northeast-3b"]
    assert MOCKS.invoke("aws:index/getAvailabilityZones:getAvailabilityZones", {}, {})["names"] == []


def test_data_sources_no_sdk_declares_fail_naming_the_token_and_the_fix() -> None:
    with pytest.raises(UnknownDataSource) as caught:
        MOCKS.invoke("random:index/getThing:getThing", {}, {}, "__main__.py:7")
    assert (
        str(caught.value)
        == "data source random:index/getThing:getThing (called at __main__.py:7): no installed Pulumi SDK"
        " declares its result, which the offline synth cannot know (a gap of the synth, not of the"
        " program); supply its result under the stack config key synth:invokes, for example synth:invokes:"
        ' {"random:index/getThing:getThing": {...}} in Pulumi.<stack>.yaml.'
    )


def test_irregular_templates_only_use_properties_their_types_have() -> None:
    builtin = {"partition", "region", "account", "name", "path", "id"}
    problems = []
    for type_token, (id_template, outputs) in aws_resources.TEMPLATES.items():
        info = type_info(type_token)
        assert info.outputs, f"{type_token}: not a type of the installed pulumi_aws"
        problems += [f"{type_token} sets {prop}" for prop in outputs if prop not in info.outputs]
        for template in (id_template, *outputs.values()):
            for field in aws_resources.template_fields(template):
                known = (
                    field in builtin
                    or field in info.outputs
                    or field.rstrip("0123456789")
                    in (
                        "unique",
                        "hex",
                        "HEX",
                        "alnum",
                    )
                )
                if not known:
                    problems.append(f"{type_token} reads {field}")
    assert problems == []


def test_policy_document_is_rendered_like_the_provider() -> None:
    result = policydoc.render(
        {
            "statements": [
                {
                    "sid": "Admin",
                    "actions": ["kms:*"],
                    "resources": ["*"],
                    "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::1:root"]}],
                },
                {
                    "effect": "Deny",
                    "actions": ["s3:GetObject", "s3:PutObject"],
                    "resources": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
                    "principals": [{"type": "*", "identifiers": ["*"]}],
                    "conditions": [
                        {"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]},
                        {"test": "StringEquals", "variable": "aws:SourceAccount", "values": ["1", "2"]},
                    ],
                },
            ]
        }
    )
    assert (
        result["json"]
        == '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "Admin",\n      "Effect":'
        ' "Allow",\n      "Action": "kms:*",\n      "Resource": "*",\n      "Principal": {\n        "AWS":'
        ' "arn:aws:iam::1:root"\n      }\n    },\n    {\n      "Effect": "Deny",\n      "Action": [\n     '
        '   "s3:PutObject",\n        "s3:GetObject"\n      ],\n      "Resource": [\n       '
        ' "arn:aws:s3:::b/*",\n        "arn:aws:s3:::b"\n      ],\n      "Principal": "*",\n     '
        ' "Condition": {\n        "Bool": {\n          "aws:SecureTransport": "false"\n        },\n       '
        ' "StringEquals": {\n          "aws:SourceAccount": [\n            "2",\n            "1"\n        '
        "  ]\n        }\n      }\n    }\n  ]\n}"
    )
    assert json.loads(result["minifiedJson"]) == json.loads(result["json"])
    assert " " not in result["minifiedJson"]


def test_policy_document_merges_source_and_override_documents_by_sid() -> None:
    source = json.dumps(
        {
            "Statement": [
                {"Sid": "Keep", "Effect": "Allow", "Action": "a:1", "Resource": "*"},
                {"Sid": "Mine", "Effect": "Allow", "Action": "a:2", "Resource": "*"},
            ]
        }
    )
    override = json.dumps(
        {"Statement": [{"Sid": "Keep", "Effect": "Deny", "Action": "a:9", "Resource": "*"}]}
    )
    result = policydoc.render(
        {
            "sourcePolicyDocuments": [source],
            "statements": [{"sid": "Mine", "actions": ["b:1"], "resources": ["*"]}],
            "overridePolicyDocuments": [override],
        }
    )
    statements = json.loads(result["json"])["Statement"]
    assert [(s["Sid"], s["Effect"], s["Action"]) for s in statements] == [
        ("Keep", "Deny", "a:9"),
        ("Mine", "Allow", "b:1"),
    ]


def test_irregular_shapers_only_use_properties_their_types_have() -> None:
    # a misspelled input name (say `topicArn` for `topic`) would silently build IDs and ARNs from ""
    pattern = re.compile(r"draft\.(text|value|put)\(\s*[\"'](\w+)[\"']")
    problems = []
    for type_token, rule in aws_resources.IRREGULAR.items():
        info = type_info(type_token)
        assert info.outputs, f"{type_token}: not a type of the installed pulumi_aws"
        source = inspect.getsource(rule)
        for kind, prop in pattern.findall(source):
            if prop not in info.outputs:
                problems.append(f"{type_token} {kind} {prop}")
    assert problems == []
