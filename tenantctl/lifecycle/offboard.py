"""Offboarding in two phases, journaled and safe to rerun (DATA-01).

1. suspend (now): block the entry point (every web ACL's default action becomes Block) and move the
   account to the Suspended OU, whose SCP denies everything but the break-glass role.
2. after the retention period (000: active data kept 6 months, then backups 3 months: 180 + 90 days by
   default): crypto-shred (schedule deletion of the tenant's KMS keys in both regions, through the
   break-glass role that the SCPs and key policies reserve for it), close the account, remove the stack file.
   Shredding earlier needs ``force`` with a reason, which the journal records.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from policies.audit._base import error_code
from tenantctl.errors import UserError
from tenantctl.lifecycle.aws import JAPAN_REGIONS, AccountClients, Aws
from tenantctl.lifecycle.iam import access_role_arn, break_glass_arn
from tenantctl.lifecycle.journal import Journal, journal_path
from tenantctl.lifecycle.org import OU_PATHS, discover

WORKFLOW = "offboard"
ACTIVE_DATA_RETENTION_DAYS = 180
BACKUP_RETENTION_DAYS = 90
# The longest window KMS allows (7-30 days): time to cancel a mistaken shred
# (https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html).
KEY_DELETION_WINDOW_DAYS = 30
DAY = 86400.0


@dataclass
class OffboardOptions:
    stacks_dir: Path
    data_retention_days: int = ACTIVE_DATA_RETENTION_DAYS
    backup_retention_days: int = BACKUP_RETENTION_DAYS
    force: bool = False
    reason: str | None = None
    mfa_serial: str | None = None
    mfa_token: str | None = None
    now: float | None = None


def _block_ingress(aws: Aws, account_id: str) -> int:
    clients = AccountClients(aws, account_id, aws.assume(access_role_arn(account_id), "tz-offboard"))
    blocked = 0
    for region in JAPAN_REGIONS:
        wafv2 = clients("wafv2", region)
        for summary in wafv2.list_web_acls(Scope="REGIONAL").get("WebACLs", []):
            acl = wafv2.get_web_acl(Name=summary["Name"], Scope="REGIONAL", Id=summary["Id"])
            web_acl = acl["WebACL"]
            if "Block" in web_acl.get("DefaultAction", {}):
                continue
            wafv2.update_web_acl(
                Name=web_acl["Name"],
                Scope="REGIONAL",
                Id=web_acl["Id"],
                DefaultAction={"Block": {}},
                Rules=web_acl.get("Rules", []),
                VisibilityConfig=web_acl["VisibilityConfig"],
                LockToken=acl["LockToken"],
            )
            blocked += 1
    return blocked


def _move_to_suspended(aws: Aws, account_id: str) -> str:
    view = discover(aws)
    organizations = aws.client("organizations")
    target = view.ou_ids[OU_PATHS["suspended"]]
    parent = organizations.list_parents(ChildId=account_id)["Parents"][0]["Id"]
    if parent != target:
        organizations.move_account(AccountId=account_id, SourceParentId=parent, DestinationParentId=target)
    return target


def _shred(aws: Aws, account_id: str, options: OffboardOptions) -> list[str]:
    extra: dict[str, Any] = {}
    if options.mfa_serial:
        extra = {"SerialNumber": options.mfa_serial, "TokenCode": options.mfa_token or ""}
    response = aws.client("sts").assume_role(
        RoleArn=break_glass_arn(account_id), RoleSessionName="tz-offboard-shred", **extra
    )["Credentials"]
    from tenantctl.lifecycle.aws import Credentials

    clients = AccountClients(
        aws,
        account_id,
        Credentials(response["AccessKeyId"], response["SecretAccessKey"], response.get("SessionToken")),
    )
    scheduled: list[str] = []
    for region in JAPAN_REGIONS:
        kms = clients("kms", region)
        for page in kms.get_paginator("list_keys").paginate():
            for key in page.get("Keys", []):
                metadata = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
                if metadata.get("KeyManager") != "CUSTOMER":
                    continue
                if metadata.get("KeyState") != "PendingDeletion":
                    kms.schedule_key_deletion(
                        KeyId=key["KeyId"], PendingWindowInDays=KEY_DELETION_WINDOW_DAYS
                    )
                scheduled.append(metadata["Arn"])
    return sorted(scheduled)


def _close(aws: Aws, account_id: str) -> str:
    organizations = aws.client("organizations")
    status = organizations.describe_account(AccountId=account_id)["Account"].get("Status")
    if status in ("SUSPENDED", "PENDING_CLOSURE"):
        return str(status)
    try:
        organizations.close_account(AccountId=account_id)
    except ClientError as error:
        if error_code(error) != "AccountAlreadyClosedException":
            raise
    return "closing"


@dataclass
class OffboardOutcome:
    journal: Journal
    phase: str
    message: str


def offboard(aws: Aws, tenant: str, environment: str, options: OffboardOptions) -> OffboardOutcome:
    stack = f"{tenant}-{environment}"
    location = journal_path(options.stacks_dir, stack, WORKFLOW)
    journal = Journal.load(location, stack, WORKFLOW)
    stack_path = options.stacks_dir / f"Pulumi.{stack}.yaml"
    view = discover(aws)
    account = view.account(stack)
    if journal is None:
        if account is None or not stack_path.is_file():
            raise UserError(
                f"--tenant {tenant} --env {environment}: no tenant {stack} (stack file"
                f" {'found' if stack_path.is_file() else 'missing'}, account"
                f" {'found' if account else 'missing'}); expected a registered tenant with an account."
                " [DATA-01]"
            )
        journal = Journal(location, stack, WORKFLOW)
        journal.data["account_id"] = account["Id"]
    account_id = str(journal.data["account_id"])
    journal.begin_run(str(aws.client("sts").get_caller_identity()["Arn"]))
    now = options.now if options.now is not None else time.time()

    if not journal.done("suspend"):
        journal.start("suspend")
        blocked = _block_ingress(aws, account_id)
        ou = _move_to_suspended(aws, account_id)
        journal.data["suspended_at"] = now
        journal.finish("suspend", web_acls_blocked=blocked, ou=ou)
    retention_days = options.data_retention_days + options.backup_retention_days
    shred_after = float(journal.data["suspended_at"]) + retention_days * DAY
    if not journal.done("shred") and now < shred_after:
        if not options.force:
            when = time.strftime("%Y-%m-%d", time.gmtime(shred_after))
            return OffboardOutcome(
                journal,
                "suspended",
                f"offboard {stack}: account {account_id} suspended; its keys are shredded and the account"
                f" closed after the {retention_days}-day retention, from {when} (rerun then, or --force"
                " --reason)",
            )
        if not (options.reason or "").strip():
            raise UserError(
                '--force: needs --reason "..." (recorded in the journal); expected why the retention period'
                f" of {retention_days} days is cut short. [DATA-01]"
            )
        journal.data["forced"] = {
            "reason": options.reason,
            "at": now,
            "retention_left_days": round((shred_after - now) / DAY, 1),
        }
        journal.save()
    if not journal.done("shred"):
        journal.start("shred")
        journal.finish("shred", keys=_shred(aws, account_id, options), window_days=KEY_DELETION_WINDOW_DAYS)
    if not journal.done("close"):
        journal.start("close")
        journal.finish("close", account_status=_close(aws, account_id))
    if not journal.done("remove-stack"):
        journal.start("remove-stack")
        stack_path.unlink(missing_ok=True)
        journal.finish("remove-stack", file=str(stack_path))
    return OffboardOutcome(
        journal,
        "closed",
        f"offboard {stack}: keys scheduled for deletion in both regions, account {account_id} closed, stack"
        " file removed",
    )
