import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE

from policies.framework import NotApplicable
from tests.policies.rules._fixtures_data import tenant_resource
from tests.rulekit import messages, outcome

RULE = "db_multi_az"
RDS = "aws:rds/instance:Instance"
CACHE = "aws:elasticache/replicationGroup:ReplicationGroup"
CACHE_EXPECTED = (
    "expected automaticFailoverEnabled true and multiAzEnabled true with a replica in another zone. [NET-05]"
)
GOOD_CACHE = {"automaticFailoverEnabled": True, "multiAzEnabled": True, "numCacheClusters": 2}


def test_pass_multi_az():
    assert outcome(RULE, tenant_resource(RDS, "db", {"engine": "postgres", "multiAz": True})) == "pass"
    assert outcome(RULE, tenant_resource(CACHE, "cache", GOOD_CACHE)) == "pass"
    cluster_mode = {"automaticFailoverEnabled": True, "multiAzEnabled": True, "replicasPerNodeGroup": 1}
    assert outcome(RULE, tenant_resource(CACHE, "cache", cluster_mode)) == "pass"


def test_pass_read_replica_follows_its_source():
    assert outcome(RULE, tenant_resource(RDS, "replica", {"replicateSourceDb": "db"})) == "pass"


def test_fail_single_az_instance():
    assert messages(RULE, tenant_resource(RDS, "db", {"engine": "postgres"})) == [
        f"{RDS} db: multiAz is not true (one instance in one availability zone); expected multiAz true."
        " [NET-05]"
    ]


@pytest.mark.parametrize(
    "change, wrong",
    [
        ({"automaticFailoverEnabled": False}, "automaticFailoverEnabled is not true"),
        ({"multiAzEnabled": False}, "multiAzEnabled is not true"),
        ({"numCacheClusters": 1}, "numCacheClusters is 1 (no replica to fail over to)"),
    ],
)
def test_fail_cache_without_failover(change, wrong):
    assert messages(RULE, tenant_resource(CACHE, "cache", {**GOOD_CACHE, **change})) == [
        f"{CACHE} cache: {wrong}; {CACHE_EXPECTED}"
    ]


def test_na_other_types():
    with pytest.raises(NotApplicable):
        messages(RULE, tenant_resource("aws:rds/cluster:Cluster", "aurora", {}))


def test_unknown_in_preview():
    resource = tenant_resource(RDS, "db", {"multiAz": UNKNOWN_BOOLEAN_VALUE}, preview=True)
    assert outcome(RULE, resource) == "unknown"
