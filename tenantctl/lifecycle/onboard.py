"""Onboarding: validate -> preflight -> register -> gate -> vend -> wait -> baseline -> audit -> evidence.

Each step is a small function given what it needs; the journal records each step's start and end, so a
rerun after a crash or a kill skips what is done and resumes where it stopped. Nothing is created twice:
register compares the stack file it finds, vend finds an account (or a CreateAccount request) by name
before asking for a new one, and the baseline deployer is idempotent.

Bad requests stop in validate or preflight, before anything is written: no stack file, no account, no
journal.
"""

from __future__ import annotations

import getpass
import ipaddress
import json
import os
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from botocore.exceptions import BotoCoreError, ClientError

from policies.audit._base import error_code
from tenantctl.errors import UserError
from tenantctl.lifecycle.audit import TenantAccount, audit
from tenantctl.lifecycle.aws import JAPAN_REGIONS, Aws
from tenantctl.lifecycle.deploy import Deployer
from tenantctl.lifecycle.iam import AUDIT_ROLE, access_role_arn, role_arn
from tenantctl.lifecycle.journal import Journal, journal_path, write_atomically
from tenantctl.lifecycle.org import OrgView, discover, environment_ou
from tenantctl.lifecycle.tenancy import (
    CONFIG_KEY,
    SpecError,
    TenantEntry,
    TenantSpec,
    cross_tenant_problems,
    load_tenants,
    parse_tenant_spec,
    read_request,
    stack_file,
)
from tenantctl.paths import REPO_ROOT

WORKFLOW = "onboard"
STEPS: tuple[str, ...] = (
    "validate",
    "preflight",
    "register",
    "gate",
    "vend",
    "wait",
    "baseline",
    "audit",
    "evidence",
)
# Fault injection for the resumability tests: "<step>:before" or "<step>:after" kills this process with
# SIGKILL at that point (after: the step's effect happened but the journal does not say so yet).
CRASH_ENV = "TENANTCTL_CRASH_AT"
ORGANIZATIONS_ACCOUNT_QUOTA = ("organizations", "L-29A0C5DF")
# Default limits of the waits: CreateAccount usually finishes within minutes
# (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create.html), and a new
# role can take a while to be assumable (IAM is eventually consistent).
ACCOUNT_DEADLINE_SECONDS = 900.0
ROLE_DEADLINE_SECONDS = 300.0
MAX_SLEEP_SECONDS = 30.0


def crash_point(step: str, when: str) -> None:
    if os.environ.get(CRASH_ENV) == f"{step}:{when}":
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class Request:
    path: Path
    document: dict[str, Any]
    spec: TenantSpec

    @property
    def stack(self) -> str:
        return self.spec.stack_name


@dataclass
class Context:
    aws: Aws
    stacks_dir: Path
    deployer: Deployer
    program: Path = REPO_ROOT
    sleep: Callable[[float], None] = time.sleep
    account_deadline: float = ACCOUNT_DEADLINE_SECONDS
    role_deadline: float = ROLE_DEADLINE_SECONDS
    warnings: list[str] = field(default_factory=list)


# --- validate ----------------------------------------------------------------------------------------------


def _apply_overrides(config: dict[str, Any], overrides: Sequence[str]) -> None:
    from tenantctl.synth.configpath import apply_override, parse_override

    for text in overrides:
        override = parse_override(text, "tenant-zone")
        config[override.key] = apply_override(config.get(override.key), override)


def validate(path: Path, overrides: Sequence[str], stacks_dir: Path) -> Request:
    """The request read, the spec validated, and the cross-tenant rules against the registered stacks."""
    document = read_request(path)
    config: dict[str, Any] = document["config"]
    _apply_overrides(config, overrides)
    problems: list[str] = []
    region = config.get("aws:region", JAPAN_REGIONS[0])
    if region not in JAPAN_REGIONS:
        problems.append(
            f"aws:region: {region!r} is outside Japan; expected ap-northeast-1 (Tokyo) or ap-northeast-3"
            " (Osaka). [RES-01]"
        )
    try:
        spec = parse_tenant_spec(config.get(CONFIG_KEY), str(path))
    except SpecError as error:
        raise UserError("\n".join([*problems, *error.problems])) from None
    request = Request(path, document, spec)
    target = stack_file(stacks_dir, spec.id, spec.environment)
    others: list[TenantEntry] = []
    try:
        registered = load_tenants(stacks_dir)
    except SpecError as error:
        raise UserError("\n".join(error.problems)) from None
    for entry in registered:
        if entry.stack == request.stack:
            if entry.spec != spec:
                raise UserError(
                    f"{target.name} {CONFIG_KEY}: the stack is registered with a different spec; expected the"
                    " same request to resume, or a new id/environment for a new tenant. [TEN-01]"
                )
            continue
        others.append(entry)
    problems += [
        p
        for p in cross_tenant_problems([*others, TenantEntry(request.stack, spec, path)])
        if p.startswith(path.name)
    ]
    if problems:
        raise UserError("\n".join(problems))
    return request


# --- preflight ----------------------------------------------------------------------------------------------


def _tenant_vpc_cidrs(ctx: Context, view: OrgView, skip: str) -> list[tuple[str, str]]:
    """(account name, CIDR) of every VPC in the other tenant accounts, read through their audit role."""
    found: list[tuple[str, str]] = []
    tenant_ous = {i for p, i in view.ou_ids.items() if p.startswith("Tenants")}
    organizations = ctx.aws.client("organizations")
    for ou in sorted(tenant_ous):
        for page in organizations.get_paginator("list_accounts_for_parent").paginate(ParentId=ou):
            for account in page.get("Accounts", []):
                if account["Name"] == skip or account.get("Status") != "ACTIVE":
                    continue
                try:
                    credentials = ctx.aws.assume(role_arn(account["Id"], AUDIT_ROLE), "tz-onboard-preflight")
                except ClientError as error:
                    ctx.warnings.append(f"account {account['Name']}: VPCs not read ({error_code(error)})")
                    continue
                for region in JAPAN_REGIONS:
                    ec2 = ctx.aws.client("ec2", region, credentials)
                    for vpc in ec2.describe_vpcs().get("Vpcs", []):
                        found.append((account["Name"], vpc["CidrBlock"]))
    return found


def preflight(ctx: Context, request: Request, resuming: bool) -> dict[str, Any]:
    spec = request.spec
    view = discover(ctx.aws)
    problems: list[str] = []
    name = request.path.name
    if view.feature_set != "ALL":
        problems.append(
            f"organization {view.organization_id}: feature set {view.feature_set}; expected ALL (SCPs need"
            " it). [IAM-03]"
        )
    ou_path = environment_ou(spec.environment)
    if ou_path not in view.ou_ids:
        problems.append(
            f"organization {view.organization_id}: has no OU {ou_path}; expected the org stack deployed"
            " first. [TEN-03]"
        )
    existing = view.account(request.stack)
    if existing is not None and not resuming:
        problems.append(
            f"{name} {CONFIG_KEY}.id: {spec.id!r} in {spec.environment} already has account {existing['Id']};"
            " expected a new tenant (or rerun the onboarding that created it). [TEN-01]"
        )
    owner = view.account_by_email(spec.account_email)
    if owner is not None and owner.get("Name") != request.stack:
        problems.append(
            f"{name} {CONFIG_KEY}.accountEmail: {spec.account_email!r} is the e-mail of account {owner['Id']}"
            f" ({owner['Name']}); expected an address no account of the organization uses. [TEN-01]"
        )
    network = ipaddress.ip_network(spec.vpc_cidr)
    for account_name, cidr in _tenant_vpc_cidrs(ctx, view, request.stack):
        if network.overlaps(ipaddress.ip_network(cidr)):
            problems.append(
                f"{name} {CONFIG_KEY}.vpcCidr: {spec.vpc_cidr!r} overlaps VPC {cidr} in tenant account "
                f"{account_name}; expected a range no tenant uses. [TEN-02]"
            )
    if problems:
        raise UserError("\n".join(problems))
    quota: float | None = None
    try:
        quota = ctx.aws.client("service-quotas").get_service_quota(
            ServiceCode=ORGANIZATIONS_ACCOUNT_QUOTA[0], QuotaCode=ORGANIZATIONS_ACCOUNT_QUOTA[1]
        )["Quota"]["Value"]
    except ClientError as error:
        ctx.warnings.append(f"account quota not readable ({error_code(error)}); not checked")
    if quota is not None and existing is None and len(view.accounts) + 1 > quota:
        raise UserError(
            f"organization {view.organization_id}: {len(view.accounts)} accounts of a quota of {quota:.0f}; "
            "expected room for one more (request a quota increase for Organizations L-29A0C5DF)"
        )
    return {
        "organization": view.organization_id,
        "ou": ou_path,
        "accounts": len(view.accounts),
        "quota": quota,
        "plan": [
            f"register stacks/Pulumi.{request.stack}.yaml",
            "gate the new stack and the cross-tenant rules",
            f"vend account {request.stack} <{spec.account_email}> in {ou_path} (org stack)",
            "wait for the account to be ACTIVE and its OrganizationAccountAccessRole assumable",
            f"deploy the tenant stack {request.stack} (Tokyo and Osaka)",
            (
                "prerequisite: Shield Advanced subscription in the new account"
                f" (shieldAdvanced={spec.shield_advanced})"
            ),
            (
                f"prerequisite: hosted zone {spec.hosted_zone_id} for {spec.domain_name} reachable by the"
                " account"
            ),
            "audit the new account, write the evidence",
        ],
        "warnings": list(ctx.warnings),
    }


# --- register, gate ----------------------------------------------------------------------------------------


def register(ctx: Context, request: Request) -> Path:
    target = stack_file(ctx.stacks_dir, request.spec.id, request.spec.environment)
    text = "# Registered by tenantctl onboard.\n" + yaml.safe_dump(
        request.document, sort_keys=False, allow_unicode=True
    )
    if target.exists():
        from tenantctl.lifecycle.tenancy import read_raw_spec_file

        if parse_tenant_spec(read_raw_spec_file(target), str(target)) != request.spec:
            raise UserError(
                f"{target}: exists with a different spec; expected it unchanged (never overwritten)"
            )
        return target
    write_atomically(target, text)
    return target


def gate(ctx: Context, request: Request, target: Path) -> dict[str, Any]:
    from tenantctl.gate import check_program

    result = check_program(ctx.program, request.stack, config_file=target)
    cross = cross_tenant_problems(load_tenants(ctx.stacks_dir))
    summary = {
        "mandatory": len(result.mandatory),
        "advisory": len(result.advisory),
        "rules": len(result.rules),
        "resources": result.resources,
        "cross_tenant": cross,
        "violations": [v.message for v in result.mandatory],
    }
    if result.mandatory or cross:
        summary["passed"] = False
    else:
        summary["passed"] = True
    return summary


# --- vend, wait -------------------------------------------------------------------------------------------


class AccountCreationFailed(UserError):
    pass


def wait_for_account(ctx: Context, request_id: str | None, name: str) -> str:
    """The account ID once CreateAccount SUCCEEDED (backoff, bounded by ``ctx.account_deadline``)."""
    organizations = ctx.aws.client("organizations")
    deadline = time.monotonic() + ctx.account_deadline
    delay = 1.0
    while True:
        if request_id:
            status = organizations.describe_create_account_status(CreateAccountRequestId=request_id)[
                "CreateAccountStatus"
            ]
            if status["State"] == "SUCCEEDED":
                return str(status["AccountId"])
            if status["State"] == "FAILED":
                reason = status.get("FailureReason", "unknown")
                raise AccountCreationFailed(
                    f"account {name}: creation FAILED ({reason}); expected it to succeed: fix the request"
                    " (for EMAIL_ALREADY_EXISTS, an accountEmail no AWS account uses) and rerun, the journal"
                    " resumes"
                )
        else:
            account = discover(ctx.aws).account(name)
            if account is not None:
                return str(account["Id"])
        if time.monotonic() + delay > deadline:
            raise UserError(
                f"account {name}: not ACTIVE after {ctx.account_deadline:.0f}s; expected CreateAccount to"
                " finish: rerun later, the journal resumes"
            )
        ctx.sleep(delay)
        delay = min(delay * 2, MAX_SLEEP_SECONDS)


def wait_for_role(ctx: Context, account_id: str) -> int:
    """Attempts until the account's access role could be assumed (IAM is eventually consistent)."""
    deadline = time.monotonic() + ctx.role_deadline
    delay = 1.0
    attempts = 0
    while True:
        attempts += 1
        try:
            ctx.aws.assume(access_role_arn(account_id), "tz-onboard-wait")
            return attempts
        except ClientError as error:
            if error_code(error) not in ("AccessDenied", "AccessDeniedException", "InvalidClientTokenId"):
                raise
        if time.monotonic() + delay > deadline:
            raise UserError(
                f"account {account_id}: {access_role_arn(account_id)} not assumable after"
                f" {ctx.role_deadline:.0f}s; expected it to become assumable: rerun later, the journal"
                " resumes"
            )
        ctx.sleep(delay)
        delay = min(delay * 2, MAX_SLEEP_SECONDS)


# --- evidence ---------------------------------------------------------------------------------------------


def _who(aws: Aws) -> str:
    try:
        return str(aws.client("sts").get_caller_identity()["Arn"])
    except (ClientError, BotoCoreError):
        return "unknown"


def evidence(ctx: Context, request: Request, journal: Journal) -> tuple[Path, Path]:
    directory = ctx.stacks_dir / ".lifecycle" / "evidence"
    record = {
        "tenant": request.stack,
        "request": request.document,
        "account": journal.data.get("account_id"),
        "gate": journal.steps.get("gate", {}).get("result"),
        "audit": journal.steps.get("audit", {}).get("result"),
        "steps": {
            name: {k: v for k, v in entry.items() if k != "result"} for name, entry in journal.steps.items()
        },
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    who = {"aws": _who(ctx.aws), "user": getpass.getuser()}
    record["who"] = who
    json_path = directory / f"{request.stack}.json"
    md_path = directory / f"{request.stack}.md"
    write_atomically(json_path, json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n")
    lines = [
        f"# Onboarding evidence: {request.stack}",
        "",
        f"- account: {record['account']}",
        f"- by: {who['aws']} ({who['user']})",
        f"- at: {record['when']}",
        f"- gate: {json.dumps(record['gate'], ensure_ascii=False)}",
        f"- audit: {json.dumps(record['audit'], ensure_ascii=False)}",
        "",
        "| step | attempts | seconds |",
        "|---|---|---|",
    ]
    for name in STEPS:
        entry = journal.steps.get(name, {})
        lines.append(f"| {name} | {entry.get('attempts', '')} | {entry.get('seconds', '')} |")
    write_atomically(md_path, "\n".join(lines) + "\n")
    return md_path, json_path


# --- the workflow -----------------------------------------------------------------------------------------


@dataclass
class Outcome:
    stack: str
    journal: Journal | None
    plan: dict[str, Any] | None = None
    exit_code: int = 0


def plan_only(ctx: Context, path: Path, overrides: Sequence[str]) -> Outcome:
    request = validate(path, overrides, ctx.stacks_dir)
    resuming = journal_path(ctx.stacks_dir, request.stack, WORKFLOW).exists()
    return Outcome(request.stack, None, preflight(ctx, request, resuming))


def onboard(ctx: Context, path: Path, overrides: Sequence[str]) -> Outcome:
    request = validate(path, overrides, ctx.stacks_dir)
    location = journal_path(ctx.stacks_dir, request.stack, WORKFLOW)
    journal = Journal.load(location, request.stack, WORKFLOW)
    plan = preflight(ctx, request, resuming=journal is not None)
    crash_point("preflight", "after")
    if journal is None:
        # The first write: only a request that passed validation and preflight leaves a journal.
        journal = Journal(location, request.stack, WORKFLOW)
        journal.steps["validate"] = {"status": "done", "attempts": 1, "seconds": 0.0}
        journal.steps["preflight"] = {"status": "done", "attempts": 1, "seconds": 0.0, "result": plan}
    journal.begin_run(_who(ctx.aws))

    def step(name: str, action: Callable[[], dict[str, Any]]) -> None:
        if journal.done(name):
            return
        crash_point(name, "before")
        journal.start(name)
        result = action()
        crash_point(name, "after")
        journal.finish(name, **result)

    target = stack_file(ctx.stacks_dir, request.spec.id, request.spec.environment)
    step("register", lambda: {"file": str(register(ctx, request))})
    step("gate", lambda: {"result": gate(ctx, request, target)})
    if not journal.steps["gate"]["result"]["passed"]:
        journal.steps["gate"]["status"] = "failed"
        journal.save()
        return Outcome(request.stack, journal, plan, exit_code=1)

    def vend() -> dict[str, Any]:
        request_id = ctx.deployer.vend_account(request.spec)
        journal.data["create_account_request"] = request_id
        return {"request": request_id}

    def wait() -> dict[str, Any]:
        try:
            account_id = wait_for_account(ctx, journal.data.get("create_account_request"), request.stack)
        except AccountCreationFailed:
            # A failed request cannot be resumed: the next run asks for a new one.
            journal.steps["vend"]["status"] = "failed"
            journal.data.pop("create_account_request", None)
            journal.save()
            raise
        journal.data["account_id"] = account_id
        return {"account": account_id, "role_attempts": wait_for_role(ctx, account_id)}

    step("vend", vend)
    step("wait", wait)
    account_id = str(journal.data["account_id"])

    def baseline() -> dict[str, Any]:
        ctx.deployer.deploy_baseline(request.spec, account_id)
        return {}

    step("baseline", baseline)

    def audit_step() -> dict[str, Any]:
        registry = {e.stack: e.spec.vpc_cidr for e in load_tenants(ctx.stacks_dir)}
        tenant = TenantAccount(request.stack, request.spec, account_id)
        result = audit(ctx.aws, [tenant], None, progress=None, registry=registry)
        return {
            "result": {
                "passed": result.passed,
                "mandatory": len(result.mandatory),
                "findings": [v.message for v in result.violations],
                "undecided": [u.reason for u in result.undecided],
            }
        }

    step("audit", audit_step)
    step("evidence", lambda: {"files": [str(p) for p in evidence(ctx, request, journal)]})
    passed = bool(journal.steps["audit"]["result"]["passed"])
    return Outcome(request.stack, journal, plan, exit_code=0 if passed else 1)
