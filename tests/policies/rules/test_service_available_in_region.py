from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.rules.general.service_available_in_region import _aws_services
from tests.rulekit import messages, outcome, resource

RULE = "service_available_in_region"
APP_RUNNER = "aws:apprunner/service:Service"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
BOTOCORE = _aws_services()[0]


def test_pass_services_offered_in_osaka():
    assert (
        outcome(RULE, resource(LOG_GROUP, "app", {"retentionInDays": 400}, region="ap-northeast-3")) == "pass"
    )
    assert outcome(RULE, resource("aws:s3/bucket:Bucket", "replica", {}, region="ap-northeast-3")) == "pass"
    assert (
        outcome(RULE, resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "r", {}))
        == "pass"
    )


def test_pass_global_service_through_an_osaka_provider():
    assert outcome(RULE, resource("aws:iam/role:Role", "app", {}, region="ap-northeast-3")) == "pass"


def test_pass_app_runner_in_tokyo():
    assert outcome(RULE, resource(APP_RUNNER, "web", {"serviceName": "web"})) == "pass"


def test_fail_app_runner_in_osaka():
    assert messages(RULE, resource(APP_RUNNER, "web", {"serviceName": "web"}, region="ap-northeast-3")) == [
        f"{APP_RUNNER} web: is a resource of apprunner, which has no endpoint in ap-northeast-3 (botocore "
        f"{BOTOCORE} endpoint data), so the provider cannot create it there; expected a region where "
        "apprunner "
        "is offered. [DEP-03]"
    ]


def test_fail_resource_level_region_overrides_the_provider():
    index = resource("aws:kendra/index:Index", "search", {"region": "ap-northeast-3", "edition": "DEVELOPER"})
    assert outcome(RULE, index) == "fail"


def test_na_service_botocore_does_not_list_and_non_aws_resources():
    assert outcome(RULE, resource("aws:sesv2/configurationSet:ConfigurationSet", "m", {})) == "pass"
    assert (
        outcome(RULE, resource("aws:ecrpublic/repository:Repository", "r", {}, region="ap-northeast-3"))
        == "n/a"
    )
    assert outcome(RULE, resource("random:index/randomId:RandomId", "suffix", {})) == "n/a"
    assert outcome(RULE, resource("aws:s3/bucket:Bucket", "b", {}, region=None)) == "n/a"


def test_unknown_region_in_preview():
    bucket = resource("aws:s3/bucket:Bucket", "b", {"region": UNKNOWN_STRING_VALUE}, preview=True)
    assert outcome(RULE, bucket) == "unknown"
