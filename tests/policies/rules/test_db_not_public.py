import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE

from tests.rulekit import messages, outcome, resource

RULE = "db_not_public"
RDS = "aws:rds/instance:Instance"
CLUSTER = "aws:rds/cluster:Cluster"
DMS = "aws:dms/replicationInstance:ReplicationInstance"
EXPECTED = "expected publiclyAccessible false. [NET-01]"


@pytest.mark.parametrize(
    "resource_type, props",
    [
        (RDS, {"dbSubnetGroupName": "data"}),
        (RDS, {"publiclyAccessible": False}),
        ("aws:rds/clusterInstance:ClusterInstance", {"publiclyAccessible": "false"}),
        (CLUSTER, {"engine": "aurora-postgresql"}),
        (CLUSTER, {"dbClusterInstanceClass": "db.m6gd.large", "dbSubnetGroupName": "data"}),
        ("aws:redshift/cluster:Cluster", {}),
        ("aws:redshiftserverless/workgroup:Workgroup", {"publiclyAccessible": False}),
        (DMS, {"publiclyAccessible": False}),
    ],
)
def test_pass_private(resource_type, props):
    assert outcome(RULE, resource(resource_type, "db", props)) == "pass"


@pytest.mark.parametrize(
    "resource_type",
    [
        RDS,
        "aws:rds/clusterInstance:ClusterInstance",
        CLUSTER,
        "aws:redshift/cluster:Cluster",
        "aws:redshiftserverless/workgroup:Workgroup",
        DMS,
    ],
)
@pytest.mark.parametrize("value", [True, "true"])
def test_fail_publicly_accessible(resource_type, value):
    assert messages(RULE, resource(resource_type, "db", {"publiclyAccessible": value})) == [
        f"{resource_type} db: publiclyAccessible is true; {EXPECTED}"
    ]


def test_fail_dms_default_is_public():
    assert messages(RULE, resource(DMS, "dms", {"replicationInstanceClass": "dms.t3.micro"})) == [
        f"{DMS} dms: publiclyAccessible is not set (DMS replication instances default to public); {EXPECTED}"
    ]


@pytest.mark.parametrize("group", [None, "default"])
def test_fail_multi_az_cluster_without_subnet_group_defaults_public(group):
    props = {"dbClusterInstanceClass": "db.m6gd.large"}
    if group:
        props["dbSubnetGroupName"] = group
    assert messages(RULE, resource(CLUSTER, "mac", props)) == [
        f"{CLUSTER} mac: publiclyAccessible is not set and dbSubnetGroupName is {group or 'not set'} "
        f"(a Multi-AZ DB cluster then defaults to public); {EXPECTED}"
    ]


def test_na_other_types():
    assert outcome(RULE, resource("aws:rds/subnetGroup:SubnetGroup", "g", {})) == "n/a"


def test_unknown_in_preview():
    assert (
        outcome(RULE, resource(RDS, "db", {"publiclyAccessible": UNKNOWN_BOOLEAN_VALUE}, preview=True))
        == "unknown"
    )
