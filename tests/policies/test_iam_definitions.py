"""The IAM definitions index: wildcard expansion, condition-key patterns and one load per service."""

from policies import iam_definitions


def test_wildcards_expand_against_the_service_actions():
    put_bucket = iam_definitions.matching_actions("s3", "PutBucket*")
    assert "PutBucketPolicy" in put_bucket and "PutBucketVersioning" in put_bucket
    assert all(action.startswith("PutBucket") for action in put_bucket)
    assert set(iam_definitions.matching_actions("kms", "*")) == set(iam_definitions.actions("kms"))
    assert iam_definitions.matching_actions("wafv2", "Disassociate?ebACL") == ("DisassociateWebACL",)
    assert iam_definitions.matching_actions("wafv2", "disassociatewebacl") == ("disassociatewebacl",)
    assert iam_definitions.matching_actions("s3", "DeleteBuckets") == ()


def test_unknown_service_has_no_actions():
    assert iam_definitions.actions("s4") == ()
    assert "s4" not in iam_definitions.services()


def test_condition_keys_with_placeholders_and_global_keys():
    assert iam_definitions.condition_key_verdict("s3:ExistingObjectTag/owner") is None
    assert iam_definitions.condition_key_verdict("aws:ResourceTag/tenant") is None
    assert iam_definitions.condition_key_verdict("AWS:SourceArn") is None
    assert iam_definitions.condition_key_verdict("aws:SourceArns") == "is not a global condition key"
    assert iam_definitions.condition_key_verdict("ViaService") == (
        "has no service prefix (expected <service>:<key> or aws:<key>)"
    )
    assert iam_definitions.condition_key_verdict("kmss:ViaService") == (
        "names the service prefix kmss, which does not exist"
    )


def test_each_service_is_read_once_per_process():
    iam_definitions.matching_actions("guardduty", "Create*")
    iam_definitions.matching_actions("guardduty", "CreateFilter")
    loads = iam_definitions._action_index.cache_info().misses
    for pattern in ("Delete*", "Get*", "CreateDetector", "UpdateDetector"):
        iam_definitions.matching_actions("guardduty", pattern)
    iam_definitions.actions("guardduty")
    assert iam_definitions._action_index.cache_info().misses == loads
    assert iam_definitions.actions.cache_info().hits > 0
