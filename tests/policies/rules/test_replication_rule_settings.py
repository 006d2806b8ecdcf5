import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import (
    BUCKET,
    BUCKET_V2,
    OSAKA_KEY_ARN,
    REPLICATION,
    replication_rule,
    tenant_resource,
)
from tests.rulekit import messages, outcome

RULE = "replication_rule_settings"
EXPECTED = (
    "expected status Enabled, destination.replicationTime {status Enabled, time.minutes 15},"
    " destination.metrics {status Enabled}, deleteMarkerReplication.status Enabled,"
    " sourceSelectionCriteria.sseKmsEncryptedObjects.status Enabled and"
    " destination.encryptionConfiguration.replicaKmsKeyId set. [RES-02]"
)


def config(*rules, preview=False):
    return tenant_resource(
        REPLICATION, "data-replication", {"bucket": "b", "role": "r", "rules": list(rules)}, preview=preview
    )


def destination(**changes):
    base = replication_rule()["destination"]
    base.update(changes)
    return base


def test_pass_baseline():
    assert outcome(RULE, config(replication_rule())) == "pass"


def test_pass_single_rule_written_as_object():
    view = tenant_resource(REPLICATION, "r", {"bucket": "b", "rules": replication_rule()})
    assert outcome(RULE, view) == "pass"


@pytest.mark.parametrize(
    "rule, problem",
    [
        (replication_rule(status="Disabled"), 'status is "Disabled"'),
        (
            replication_rule(deleteMarkerReplication={"status": "Disabled"}),
            'deleteMarkerReplication.status is "Disabled"',
        ),
        (replication_rule(deleteMarkerReplication=None), "deleteMarkerReplication.status is not set"),
        (
            replication_rule(sourceSelectionCriteria=None),
            "sourceSelectionCriteria.sseKmsEncryptedObjects.status is not set",
        ),
        (
            replication_rule(destination=destination(replicationTime=None)),
            "destination.replicationTime.status is not set",
        ),
        (
            replication_rule(
                destination=destination(replicationTime={"status": "Enabled", "time": {"minutes": 30}})
            ),
            "destination.replicationTime.time.minutes is 30",
        ),
        (
            replication_rule(destination=destination(metrics={"status": "Disabled"})),
            'destination.metrics.status is "Disabled"',
        ),
        (
            replication_rule(key=None),
            (
                "destination.encryptionConfiguration.replicaKmsKeyId is not set (replicas would not be"
                " SSE-KMS encrypted)"
            ),
        ),
    ],
)
def test_fail_each_setting(rule, problem):
    assert messages(RULE, config(rule)) == [
        f"{REPLICATION} data-replication: rule 'to-osaka': {problem}; {EXPECTED}"
    ]


def test_fail_rule_without_id_is_numbered():
    rule = replication_rule(status="Disabled")
    del rule["id"]
    assert messages(RULE, config(replication_rule(), rule)) == [
        f'{REPLICATION} data-replication: rule #2: status is "Disabled"; {EXPECTED}'
    ]


def test_fail_no_rules():
    assert messages(RULE, config()) == [
        f"{REPLICATION} data-replication: declares no replication rules; {EXPECTED}"
    ]


def test_pass_inline_bucket_legacy_shape():
    inline = {
        "role": "r",
        "rules": [
            {
                "id": "legacy",
                "status": "Enabled",
                "deleteMarkerReplicationStatus": "Enabled",
                "sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"enabled": True}},
                "destination": {
                    "bucket": "arn:aws:s3:::replica",
                    "replicaKmsKeyId": OSAKA_KEY_ARN,
                    "replicationTime": {"status": "Enabled", "minutes": 15},
                    "metrics": {"status": "Enabled", "minutes": 15},
                },
            }
        ],
    }
    assert outcome(RULE, tenant_resource(BUCKET, "data", {"replicationConfiguration": inline})) == "pass"


def test_fail_inline_bucket_v2_list_shape():
    inline = [
        {
            "role": "r",
            "rules": [
                {
                    "id": "v2",
                    "status": "Enabled",
                    "deleteMarkerReplicationStatus": "Enabled",
                    "sourceSelectionCriterias": [{"sseKmsEncryptedObjects": [{"enabled": "false"}]}],
                    "destinations": [
                        {
                            "bucket": "arn:aws:s3:::replica",
                            "replicaKmsKeyId": OSAKA_KEY_ARN,
                            "replicationTimes": [{"status": "Enabled", "minutes": 15}],
                            "metrics": [{"status": "Enabled", "minutes": 15}],
                        }
                    ],
                }
            ],
        }
    ]
    assert messages(RULE, tenant_resource(BUCKET_V2, "data", {"replicationConfigurations": inline})) == [
        f"{BUCKET_V2} data: inline replication rule 'v2':"
        f' sourceSelectionCriteria.sseKmsEncryptedObjects.status is "Disabled"; {EXPECTED}'
    ]


def test_na_bucket_without_inline_replication():
    assert outcome(RULE, tenant_resource(BUCKET, "data", {"bucket": "x"})) == "n/a"


def test_na_other_type():
    assert outcome(RULE, tenant_resource("aws:s3/bucketVersioning:BucketVersioning", "v", {})) == "n/a"


def test_unknown_status_in_preview():
    assert outcome(RULE, config(replication_rule(status=UNKNOWN_STRING_VALUE), preview=True)) == "unknown"
