from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import (
    BUCKET,
    KEY,
    KEY_ARN,
    REPLICATION,
    bucket_set,
    bucket_urn,
    replicated_pair,
    replication_rule,
    tenant_resource,
)
from tests.rulekit import messages, outcome, stack, urn

RULE = "bucket_replication_to_osaka"
DATA_EXPECTED = (
    "expected a BucketReplicationConfig replicating the bucket to a bucket in ap-northeast-3 (Osaka)."
    " [RES-02]"
)
JAPAN_EXPECTED = "expected every replication destination in ap-northeast-1 or ap-northeast-3. [RES-02]"


def with_replication(resources, rule, *, deps=None, source="data"):
    config = tenant_resource(
        REPLICATION,
        f"{source}-replication",
        {"bucket": f"acme-prod-{source}", "role": "r", "rules": [rule]},
        prop_deps={"bucket": [bucket_urn(source)], **({"rules": deps} if deps else {})},
    )
    return stack(*resources, config)


def test_pass_data_bucket_replicated_to_osaka():
    assert outcome(RULE, stack(*replicated_pair())) == "pass"


def test_pass_destination_found_by_property_dependency_only():
    # Raw program: autonamed replica bucket; the ARN in the rule is the mock's output, not a name in the
    # program.
    source = bucket_set("data")
    replica = tenant_resource(BUCKET, "replica", {"tags": {"purpose": "replica"}}, region="ap-northeast-3")
    rule = replication_rule("arn:aws:s3:::replica-7c1e2f")
    assert outcome(RULE, with_replication([*source, replica], rule, deps=[bucket_urn("replica")])) == "pass"


def test_pass_destination_region_from_own_region_input():
    source = bucket_set("data")
    replica = tenant_resource(BUCKET, "replica", {"bucket": "acme-prod-replica", "region": "ap-northeast-3"})
    assert outcome(RULE, with_replication([*source, replica], replication_rule())) == "pass"


def test_fail_data_bucket_without_replication():
    assert messages(RULE, stack(*bucket_set("data"))) == [
        f"{BUCKET} data: is a tenant data bucket with no replication configuration; {DATA_EXPECTED}"
    ]


def test_fail_raw_bucket_without_purpose_counts_as_data():
    assert messages(RULE, stack(tenant_resource(BUCKET, "raw", {}))) == [
        f"{BUCKET} raw: is a tenant data bucket with no replication configuration; {DATA_EXPECTED}"
    ]


def test_pass_non_data_buckets_and_org_stack():
    logs = bucket_set("logs", purpose="logs")
    assert outcome(RULE, stack(*logs)) == "pass"
    org = bucket_set("trail", purpose="data", stack="org")
    assert outcome(RULE, stack(*org, name="org")) == "pass"


def test_fail_replicated_only_within_tokyo():
    source = bucket_set("data")
    replica = bucket_set("replica", purpose="replica")
    rule = replication_rule("arn:aws:s3:::acme-prod-replica", key=KEY_ARN)
    assert messages(RULE, with_replication([*source, *replica], rule)) == [
        f"{BUCKET} data: is a tenant data bucket replicated only to ap-northeast-1; {DATA_EXPECTED}"
    ]


def test_fail_destination_outside_japan():
    source = bucket_set("data")
    replica = bucket_set("replica", purpose="replica", region="us-west-2")
    rule = replication_rule("arn:aws:s3:::acme-prod-replica", key="arn:aws:kms:us-west-2:111111111111:key/k")
    assert messages(RULE, with_replication([*source, *replica], rule)) == [
        f"{REPLICATION} data-replication: rule 'to-osaka' replicates to bucket replica in us-west-2;"
        f" {DATA_EXPECTED}"
    ]


def test_fail_unresolvable_destination():
    rule = replication_rule("arn:aws:s3:::somewhere-else")
    assert messages(RULE, with_replication(bucket_set("data"), rule)) == [
        f"{REPLICATION} data-replication: rule 'to-osaka' replicates to arn:aws:s3:::somewhere-else, which is"
        f" not a bucket of this stack, so it cannot be shown to be in ap-northeast-3 (Osaka); {DATA_EXPECTED}"
    ]


def test_fail_non_data_bucket_replicating_outside_japan():
    logs = bucket_set("logs", purpose="logs")
    far = bucket_set("far", purpose="replica", region="eu-west-1")
    rule = replication_rule("arn:aws:s3:::acme-prod-far", key="arn:aws:kms:eu-west-1:111111111111:key/k")
    assert messages(RULE, with_replication([*logs, *far], rule, source="logs")) == [
        f"{REPLICATION} logs-replication: rule 'to-osaka' replicates to bucket far in eu-west-1;"
        f" {JAPAN_EXPECTED}"
    ]


def test_fail_non_data_unresolvable_destination_says_japan():
    logs = bucket_set("logs", purpose="logs")
    rule = replication_rule("arn:aws:s3:::unknown-bucket")
    assert messages(RULE, with_replication(logs, rule, source="logs")) == [
        f"{REPLICATION} logs-replication: rule 'to-osaka' replicates to arn:aws:s3:::unknown-bucket, which is"
        " not a bucket of this stack, so it cannot be shown to be in ap-northeast-1 or ap-northeast-3;"
        f" {JAPAN_EXPECTED}"
    ]


def test_fail_replica_key_in_other_region_than_destination():
    source = bucket_set("data")
    replica = bucket_set("replica", purpose="replica", region="ap-northeast-3")
    rule = replication_rule("arn:aws:s3:::acme-prod-replica", key=KEY_ARN)
    assert messages(RULE, with_replication([*source, *replica], rule)) == [
        f"{REPLICATION} data-replication: rule 'to-osaka' encrypts replicas with {KEY_ARN} in ap-northeast-1"
        " while the destination bucket replica is in ap-northeast-3; expected"
        " destination.encryptionConfiguration.replicaKmsKeyId a KMS key in the destination bucket's region."
        " [RES-02]"
    ]


def test_replica_key_region_from_key_resource():
    source = bucket_set("data")
    replica = bucket_set("replica", purpose="replica", region="ap-northeast-3")
    tokyo_key = tenant_resource(KEY, "tokyo-key", {"enableKeyRotation": True})
    rule = replication_rule("arn:aws:s3:::acme-prod-replica", key="key-from-output")
    failing = with_replication(
        [*source, *replica, tokyo_key], rule, deps=[bucket_urn("replica"), urn(KEY, "tokyo-key")]
    )
    assert messages(RULE, failing) == [
        f"{REPLICATION} data-replication: rule 'to-osaka' encrypts replicas with key-from-output in"
        " ap-northeast-1 while the destination bucket replica is in ap-northeast-3; expected"
        " destination.encryptionConfiguration.replicaKmsKeyId a KMS key in the destination bucket's region."
        " [RES-02]"
    ]
    osaka_key = tenant_resource(KEY, "osaka-key", {"enableKeyRotation": True}, region="ap-northeast-3")
    passing = with_replication(
        [*source, *replica, osaka_key], rule, deps=[bucket_urn("replica"), urn(KEY, "osaka-key")]
    )
    assert outcome(RULE, passing) == "pass"


def test_fail_dynamodb_and_secret_replicas_outside_japan():
    table = tenant_resource(
        "aws:dynamodb/table:Table",
        "t",
        {"replicas": [{"regionName": "ap-northeast-3"}, {"regionName": "us-east-1"}]},
    )
    secret = tenant_resource(
        "aws:secretsmanager/secret:Secret", "s", {"replicas": [{"region": "ap-southeast-1"}]}
    )
    assert messages(RULE, stack(table, secret)) == [
        f"aws:dynamodb/table:Table t: replicas[1].regionName is us-east-1; {JAPAN_EXPECTED}",
        f"aws:secretsmanager/secret:Secret s: replicas[0].region is ap-southeast-1; {JAPAN_EXPECTED}",
    ]


def test_na_stack_without_buckets_tables_or_secrets():
    assert outcome(RULE, stack(tenant_resource("aws:sns/topic:Topic", "t", {}))) == "n/a"


def test_unknown_destination_in_preview():
    source = bucket_set("data")
    config = tenant_resource(
        REPLICATION,
        "data-replication",
        {"bucket": "acme-prod-data", "rules": [replication_rule(UNKNOWN_STRING_VALUE)]},
        prop_deps={"bucket": [bucket_urn("data")]},
        preview=True,
    )
    assert outcome(RULE, stack(*source, config)) == "unknown"


def test_pass_replica_key_absent_or_of_unknown_region_is_left_to_other_checks():
    # replication_rule_settings requires the key; this rule only compares regions it can tell.
    source = bucket_set("data")
    replica = bucket_set("replica", purpose="replica", region="ap-northeast-3")
    for key in (None, "alias/replica-key"):
        view = with_replication([*source, *replica], replication_rule(key=key), deps=[bucket_urn("replica")])
        assert outcome(RULE, view) == "pass"
