import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import (
    ACL_ARN,
    ALB_LB,
    ASSOCIATION,
    DISTRIBUTION,
    LB,
    arn,
    build,
    edge,
    linked,
    patched,
)
from tests.rulekit import messages, outcome, resource

RULE = "entry_point_web_acl"
EXPECTED = (
    "expected an aws:wafv2/webAclAssociation:WebAclAssociation whose resourceArn is this resource's ARN and"
    " whose webAclArn names a REGIONAL web ACL. [EDGE-01]"
)
STAGE = "aws:apigateway/stage:Stage"
REST_API = "aws:apigateway/restApi:RestApi"
STAGE_ARN = "arn:aws:apigateway:ap-northeast-1::/restapis/api1/stages/prod"
POOL_ARN = arn("cognito-idp", "userpool/ap-northeast-1_abc")
GRAPHQL_ARN = arn("appsync", "apis/gql1")


def entry_points():
    views = edge()
    views = {k: views[k] for k in ("acl", "alb", "association")}
    views["api"] = resource(REST_API, "api", {"name": "api", "id": "api1"})
    views["stage"] = resource(STAGE, "stage", {"restApi": "api1", "stageName": "prod", "arn": STAGE_ARN})
    views["stage-waf"] = resource(ASSOCIATION, "stage-waf", {"resourceArn": STAGE_ARN, "webAclArn": ACL_ARN})
    views["pool"] = resource("aws:cognito/userPool:UserPool", "pool", {"name": "users", "arn": POOL_ARN})
    views["pool-waf"] = resource(ASSOCIATION, "pool-waf", {"resourceArn": POOL_ARN, "webAclArn": ACL_ARN})
    views["graphql"] = resource(
        "aws:appsync/graphQLApi:GraphQLApi", "graphql", {"authenticationType": "API_KEY", "arn": GRAPHQL_ARN}
    )
    views["graphql-waf"] = resource(
        ASSOCIATION, "graphql-waf", {"resourceArn": GRAPHQL_ARN, "webAclArn": ACL_ARN}
    )
    views["cdn"] = resource(
        DISTRIBUTION,
        "cdn",
        {"webAclId": "arn:aws:wafv2:us-east-1:111111111111:global/webacl/cf/x"},
        region=None,
    )
    return views


def test_pass_every_entry_point_protected():
    assert outcome(RULE, build(entry_points())) == "pass"


@pytest.mark.parametrize(
    "name, association",
    [("alb", "association"), ("stage", "stage-waf"), ("pool", "pool-waf"), ("graphql", "graphql-waf")],
)
def test_fail_entry_point_without_association(name, association):
    views = entry_points()
    del views[association]
    kind = views[name].type
    assert messages(RULE, build(views)) == [f"{kind} {name}: has no web ACL association; {EXPECTED}"]


def test_pass_association_by_property_dependency():
    views = entry_points()
    views["stage-waf"] = linked(
        patched(views["stage-waf"], resourceArn="stage-arn-output"),
        "resourceArn",
        views["api"],
        views["stage"],
    )
    assert outcome(RULE, build(views)) == "pass"


def test_pass_internal_alb_and_private_api_need_no_acl():
    views = entry_points()
    del views["association"], views["stage-waf"]
    views["alb"] = patched(views["alb"], internal="true")
    views["api"] = patched(views["api"], endpointConfiguration={"types": "PRIVATE"})
    assert outcome(RULE, build(views)) == "pass"


def test_fail_alb_alias_type_without_protection():
    views = entry_points()
    views["alb"] = resource(ALB_LB, "alb", {**views["alb"].props, "arn": "arn:other", "internal": None})
    assert messages(RULE, build(views)) == [f"{ALB_LB} alb: has no web ACL association; {EXPECTED}"]


def test_fail_distribution_without_web_acl():
    views = entry_points()
    views["cdn"] = patched(views["cdn"], webAclId="")
    assert messages(RULE, build(views)) == [
        f"{DISTRIBUTION} cdn: has no webAclId; expected webAclId naming a CLOUDFRONT-scope WAFv2 web ACL."
        " [EDGE-01]"
    ]


def test_fail_http_api_cannot_carry_acl():
    api = resource("aws:apigatewayv2/api:Api", "http-api", {"protocolType": "HTTP"})
    assert messages(RULE, build(entry_points(), api)) == [
        "aws:apigatewayv2/api:Api http-api: is an API Gateway v2 HTTP API, which cannot be associated with a"
        " WAFv2 web ACL; expected an API Gateway REST API stage with a web ACL association. [EDGE-01]"
    ]


def test_pass_network_load_balancer_is_not_a_waf_entry_point():
    nlb = resource(LB, "nlb", {"loadBalancerType": "network", "arn": "arn:nlb"})
    assert outcome(RULE, build([nlb])) == "n/a"


def test_na_no_entry_point():
    assert outcome(RULE, build([edge()["acl"]])) == "n/a"


def test_unknown_internal_flag_in_preview():
    views = entry_points()
    views["alb"] = resource(LB, "alb", {"internal": UNKNOWN_BOOLEAN_VALUE}, preview=True)
    assert outcome(RULE, build(views)) == "unknown"


def test_pass_preview_web_acl_id_unknown_is_set():
    views = entry_points()
    views["cdn"] = resource(
        DISTRIBUTION, "cdn", {"webAclId": UNKNOWN_STRING_VALUE}, region=None, preview=True
    )
    assert outcome(RULE, build(views)) == "pass"
