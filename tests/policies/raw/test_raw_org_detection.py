"""Raw pulumi_aws programs of an organization's detection (LOG-03, org scope): the violating program leaves
the management account, which auto-enable does not enrol, without GuardDuty and AWS Config; its compliant
twin declares them there and is not flagged by detection_auto_enable."""

from tests.policies.raw._secops_raw import gate

FAMILY = "org_detection"
RULE = "detection_auto_enable"
ROOT = "pulumi:pulumi:Stack raw-org_detection-violating-test"


def messages(variant: str) -> list[str]:
    return sorted(v.message for v in gate(FAMILY, variant).violations if v.rule == RULE)


def test_violating_program_leaves_the_management_account_out_in_both_regions():
    expected = []
    for region in ("ap-northeast-1", "ap-northeast-3"):
        expected += [
            f"{ROOT}: region {region} does not record AWS Config in the management account (no recorder, "
            "delivery channel after the recorder, enabled recorder status after the channel); expected a "
            "cfg.Recorder, a cfg.DeliveryChannel depending on it and a cfg.RecorderStatus with isEnabled "
            "true depending on the channel, declared with the designating account's provider in "
            f"{region}. [LOG-03]",
            f"{ROOT}: region {region} has no GuardDuty detector in the management account (the account that "
            "makes the designations; auto-enable does not enrol it); expected a guardduty.Detector declared "
            f"with the designating account's provider in {region}. [LOG-03]",
        ]
    assert messages("violating") == sorted(expected)


def test_compliant_twin_is_not_flagged():
    result = gate(FAMILY, "compliant")
    assert [v for v in result.violations if v.rule == RULE] == []
    assert [u for u in result.undecided if u.rule == RULE] == []
