"""Component input checks report every problem at once, one line each, in the project's message format."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from components import (
    account,
    backup,
    detection,
    edge,
    keys,
    log_archive,
    mail,
    network,
    notifications,
    organization,
    patching,
    storage,
)
from components.errors import ComponentInputError, InputProblem, InputProblems
from tests.pulumi_mocks import Registered, run

LINE = r"^\S+ \S+: .+; expected .+\.( \[[A-Z]+-\d\d\])?$"

CASES: dict[str, tuple[Callable[[], object], list[str]]] = {
    "account": (
        lambda: account.validate_tenant_account_args(
            "acme-prod",
            account.TenantAccountArgs(
                tenant="Acme", environment="qa", email="nobody", prod_ou_id="ou-1", nonprod_ou_id="ou-2"
            ),
        ),
        [
            (
                "TenantAccount acme-prod: tenant = 'Acme' is not a lowercase slug; expected 2-32 characters"
                " of a-z, 0-9 and '-', starting with a letter (for example 'acme'). [TEN-01]"
            ),
            (
                "TenantAccount acme-prod: environment = 'qa' is not a known environment; expected one of"
                " prod, staging, dev. [TEN-03]"
            ),
            (
                "TenantAccount acme-prod: email = 'nobody' is not an e-mail address; expected a unique"
                " address such as aws+acme-prod@example.co.jp for the account's root user. [TEN-01]"
            ),
        ],
    ),
    "organization": (
        lambda: organization.validate_organization_args(
            "org",
            organization.OrganizationArgs(log_archive_account_email="x", security_account_email="x"),
        ),
        [
            (
                "Organization org: log_archive_account_email = 'x' is not an e-mail address; expected a"
                " unique root e-mail address."
            ),
            (
                "Organization org: security_account_email = 'x' is not an e-mail address; expected a unique"
                " root e-mail address."
            ),
            (
                "Organization org: log_archive_account_email and security_account_email are both 'x';"
                " expected a different e-mail address per account (AWS requires it)."
            ),
        ],
    ),
    "log_archive": (
        lambda: log_archive.validate_log_archive_args(
            "log-archive",
            log_archive.LogArchiveArgs(
                organization_id="o-1",
                management_account_id="1",
                log_archive_account_id="2",
                object_lock_days=30,
                archive_after_days=0,
            ),  # fmt: skip
        ),
        [
            (
                "LogArchive log-archive: object_lock_days = 30 is outside the allowed range; expected between"
                " 365 and 36500 days (the shortest is LOG-01's lock). [LOG-01]"
            ),
            (
                "LogArchive log-archive: archive_after_days = 0 is not positive; expected the number of days"
                " after which logs move to Glacier Instant Retrieval, at least 1."
            ),
        ],
    ),
    "storage": (
        lambda: storage.validate_storage_args(
            "s",
            storage.TenantStorageArgs(
                tenant="a" * 30,
                account_id="1",
                primary_key_arn="k",
                secondary_key_arn="k2",
                secondary_region="us-east-1",
                malware_scan_purposes=(),
            ),  # fmt: skip
        ),
        [
            # outside Japan already says it all: no second, RES-02 line about the same region
            (
                "TenantStorage s: secondary_region 'us-east-1' is outside Japan; expected ap-northeast-1 or "
                "ap-northeast-3. [RES-01]"
            ),
            (
                "TenantStorage s: the uploads bucket is left out of malware scanning; expected"
                " malware_scan_purposes to include 'uploads'. [LOG-04]"
            ),
            (
                "TenantStorage s: bucket names such as"
                " 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-uploads-replica-000000000000-useast1' exceed 63 characters;"
                " expected a shorter tenant name (at most 28 characters)."
            ),
        ],
    ),
    "keys": (
        lambda: keys.validate_keys_args(
            "k",
            keys.TenantKeysArgs(
                tenant="acme-prod",
                account_id="1",
                deletion_window_in_days=7,
                secondary_region="ap-northeast-1",
            ),
        ),
        [
            "TenantKeys k: deletion_window_in_days 7 is not the agreed window; expected 30. [ENC-02]",
            (
                "TenantKeys k: both keys are in ap-northeast-1; expected one key in each of the two Japanese"
                " regions. [RES-02]"
            ),
        ],
    ),
    "network": (
        lambda: network.validate_network_args(
            "n",
            network.TenantNetworkArgs(
                vpc_cidr="10.0.0.0/26",
                availability_zones=["us-east-1a", "us-east-1b"],
                account_id="1",
                kms_key_arn="k",
                flow_log_retention_days=30,
                interface_endpoint_services=("kms",),
            ),  # fmt: skip
        ),
        [
            (
                "TenantNetwork n: flow_log_retention_days 30 keeps flow logs less than 365 days; expected at"
                " least 365. [NET-04]"
            ),
            (
                "TenantNetwork n: availability zones ['us-east-1a', 'us-east-1b'] are not in ap-northeast-1;"
                " expected zones of ap-northeast-1. [RES-01]"
            ),
            (
                "TenantNetwork n: endpoints for sts, logs are left out; expected S3 and DynamoDB gateway"
                " endpoints and KMS, STS and Logs interface endpoints. [RES-03]"
            ),
            (
                "TenantNetwork n: vpc_cidr 10.0.0.0/26 is too small for three zones of subnets of at least"
                " /28 in every AZ; expected a VPC of /24 or larger. [NET-01]"
            ),
        ],
    ),
    "backup": (
        lambda: backup.validate_backup_args(
            "b",
            backup.TenantBackupArgs(
                tenant="acme-prod",
                selection_tag_value="acme",
                account_id="1",
                primary_key_arn="k",
                secondary_key_arn="k2",
                schedule="cron(0 2 ? * MON *)",
                retention_days=30,
                copy_retention_days=20,
                secondary_region="us-east-1",
            ),  # fmt: skip
        ),
        [
            (
                "TenantBackup b: schedule 'cron(0 2 ? * MON *)' does not run every day; expected a daily cron"
                " such as 'cron(0 2 * * ? *)'. [BAK-01]"
            ),
            (
                "TenantBackup b: retention_days 30 keeps backups less than three months; expected at least"
                " 90. [BAK-01]"
            ),
            (
                "TenantBackup b: copy_retention_days 20 is shorter than retention_days 30; expected at least"
                " 30. [BAK-02]"
            ),
            (
                "TenantBackup b: secondary_region 'us-east-1' is outside Japan; expected ap-northeast-1 or"
                " ap-northeast-3. [RES-01]"
            ),
        ],
    ),
    "detection": (
        lambda: detection.validate_detection_args(
            "d",
            detection.DetectionArgs(
                region="us-east-1",
                account_id="1",
                config_bucket_name="b",
                guardduty_features=("S3_DATA_EVENTS",),
                finding_publishing_frequency="DAILY",
            ),  # fmt: skip
        ),
        [
            (
                "Detection d: region = 'us-east-1' is outside Japan; expected one of ap-northeast-1,"
                " ap-northeast-3. [RES-01]"
            ),
            (
                "Detection d: guardduty_features lacks EBS_MALWARE_PROTECTION; expected S3 protection"
                " (S3_DATA_EVENTS) and malware protection (EBS_MALWARE_PROTECTION) enabled. [LOG-03]"
            ),
            (
                "Detection d: finding_publishing_frequency = 'DAILY' is not a GuardDuty frequency; expected"
                " one of FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS (FIFTEEN_MINUTES keeps alerts within minutes)."
                " [LOG-05]"
            ),
        ],
    ),
    "edge": (
        lambda: edge.validate_edge_args(
            "e",
            edge.EdgeProtectionArgs(
                vpc_id="v",
                vpc_cidr="10.20.0.0/16",
                public_subnet_ids=[],
                domain_name="App.Example.com",
                hosted_zone_id="Z1",
                log_kms_key_arn="k",
                allowed_cidrs=["10.0.0.1/8", "0.0.0.0/0"],
                blocked_cidrs=["2001:db8::/32"],
                rate_limit=5,
            ),  # fmt: skip
        ),
        [
            (
                "EdgeProtection e: domain_name = 'App.Example.com' is not a lowercase DNS name; expected the"
                " public host name, e.g. app.acme.example.co.jp. [ENC-03]"
            ),
            (
                "EdgeProtection e: allowed_cidrs[0] = '10.0.0.1/8' is not a CIDR block with its host bits"
                " zero; expected IPv4 CIDRs such as 203.0.113.0/24 (a single address is 203.0.113.10/32)."
                " [EDGE-04]"
            ),
            (
                "EdgeProtection e: allowed_cidrs[1] = '0.0.0.0/0' matches every address; expected prefixes /1"
                " to /32 (WAF rejects /0; leave the list empty instead). [EDGE-04]"
            ),
            (
                "EdgeProtection e: blocked_cidrs[0] = '2001:db8::/32' is an IPv6 range; expected IPv4 CIDRs"
                " (the entry point is IPv4 only). [EDGE-01]"
            ),
            (
                "EdgeProtection e: rate_limit = 5 is outside WAF's range; expected requests per 5 minutes per"
                " IP between 10 and 2000000000. [EDGE-01]"
            ),
        ],
    ),
    "notifications": (
        lambda: notifications.validate_notifications_args(
            "alerts",
            notifications.NotificationsArgs(
                incident_email="nobody", kms_key_arn="k", securityhub_severities=("CRITICAL",)
            ),
        ),
        [
            (
                "Notifications alerts: incident_email = 'nobody' is not an e-mail address; expected the"
                " tenant's incident contact, e.g. security@example.co.jp. [LOG-05]"
            ),
            (
                "Notifications alerts: securityhub_severities lacks HIGH; expected HIGH and CRITICAL findings"
                " routed to the incident contact. [LOG-05]"
            ),
        ],
    ),
    "mail": (
        lambda: mail.validate_mail_domain_args(
            "m",
            mail.MailDomainArgs(
                domain="Mail.Example.com", hosted_zone_id="Z1", dmarc_policy="none", record_ttl=5
            ),
        ),
        [
            (
                "MailDomain m: domain = 'Mail.Example.com' is not a lowercase DNS domain; expected a domain"
                " such as mail.example.co.jp. [MAIL-01]"
            ),
            (
                "MailDomain m: dmarc_policy = 'none' does not stop spoofed mail; expected quarantine or"
                " reject. [MAIL-01]"
            ),
            "MailDomain m: record_ttl = 5 is out of range; expected a TTL between 60 and 86400 seconds.",
        ],
    ),
    "patching": (
        lambda: patching.validate_patching_args(
            "p",
            patching.PatchingArgs(
                schedule="cron(0 3 ? JAN SUN#1 *)", reboot_option="Never", duration_hours=2, cutoff_hours=2
            ),
        ),
        [
            (
                "Patching p: schedule = 'cron(0 3 ? JAN SUN#1 *)' does not run at least monthly: runs only in"
                " months 1; expected a maintenance window that runs every month, e.g. cron(0 3 ? * SUN#1 *)"
                " (first Sunday 03:00). [VUL-02]"
            ),
            (
                "Patching p: cutoff_hours = 2 leaves no time to patch in a 2-hour window; expected a cutoff"
                " of at least 0 and less than duration_hours. [VUL-02]"
            ),
            (
                "Patching p: reboot_option = 'Never' is not an AWS-RunPatchBaseline option; expected one of "
                "RebootIfNeeded, NoReboot (NoReboot leaves kernel patches pending). [VUL-02]"
            ),
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_problem_is_reported_at_once(case: str) -> None:
    validate, lines = CASES[case]
    with pytest.raises(ComponentInputError) as caught:
        validate()
    assert str(caught.value).splitlines() == lines
    assert [p.line(caught.value.kind, caught.value.name) for p in caught.value.problems] == lines
    for line in lines:
        assert re.match(LINE, line), line


def test_a_single_problem_keeps_its_one_line_and_its_fields() -> None:
    error = ComponentInputError(
        "TenantKeys", "k", "deletion_window_in_days 7 is not the agreed window", "30", "ENC-02"
    )
    assert (
        str(error)
        == "TenantKeys k: deletion_window_in_days 7 is not the agreed window; expected 30. [ENC-02]"
    )
    assert (error.wrong, error.expected, error.control) == (
        "deletion_window_in_days 7 is not the agreed window",
        "30",
        "ENC-02",
    )
    assert error.problems == [
        InputProblem("deletion_window_in_days 7 is not the agreed window", "30", "ENC-02")
    ]


def test_the_collector_raises_only_when_something_was_found() -> None:
    problems = InputProblems("Patching", "p")
    problems.raise_if_any()
    assert not problems
    problems.add("a is wrong", "b")
    problems.absorb(ComponentInputError("Other", "x", "c is wrong", "d", "VUL-02"))
    with pytest.raises(ComponentInputError) as caught:
        problems.raise_if_any()
    # problems taken over from a helper are reported under the collecting component's name
    assert str(caught.value).splitlines() == [
        "Patching p: a is wrong; expected b.",
        "Patching p: c is wrong; expected d. [VUL-02]",
    ]
    with pytest.raises(ValueError):
        ComponentInputError.of("Patching", "p", [])


def test_a_refused_component_declares_nothing() -> None:
    sink: dict[str, Registered] = {}
    with pytest.raises(ComponentInputError):
        run(
            lambda: keys.TenantKeys(
                "k", keys.TenantKeysArgs(tenant="acme-prod", account_id="1", deletion_window_in_days=7)
            ),
            sink=sink,
        )
    assert sink == {}
