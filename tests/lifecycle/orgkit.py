"""Builders for audit tests: an organization in moto, seeded tenants, and a single check run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.awsrequest import AWSResponse

from policies.audit._registry import all_checks, control_for_check
from policies.framework import Failure, format_message
from tenantctl.lifecycle import org
from tenantctl.lifecycle.audit import Target
from tenantctl.lifecycle.aws import AccountClients, Aws
from tenantctl.lifecycle.org import OrgView
from tenantctl.lifecycle.seed import seed_tenant, tenant_clients
from tenantctl.lifecycle.tenancy import STACKS_DIR, TenantSpec, load_tenants


def shipped_spec(stack: str = "acme-prod") -> TenantSpec:
    return next(e.spec for e in load_tenants(STACKS_DIR) if e.stack == stack)


@dataclass
class Tenant:
    account_id: str
    spec: TenantSpec
    clients: AccountClients

    @property
    def stack(self) -> str:
        return self.spec.stack_name


def new_tenant(
    aws: Aws, view: OrgView, name: str, seed: bool = True, spec: TenantSpec | None = None
) -> Tenant:
    spec = spec or shipped_spec()
    account_id = org.create_account(aws, view, name, f"aws+{name}@tenant-zone.example.jp", "Tenants/Prod")
    if seed:
        seed_tenant(aws, account_id, spec, view.management_account_id)
    return Tenant(account_id, spec, tenant_clients(aws, account_id))


def shipped_cidrs(besides: str) -> dict[str, str]:
    """The shipped tenant registry's VPC CIDRs, but for the stack ``besides``."""
    return {e.stack: e.spec.vpc_cidr for e in load_tenants(STACKS_DIR) if e.stack != besides}


def run_check(check_id: str, tenant: Tenant) -> list[str]:
    """The exact messages one check prints for one tenant account, the other shipped tenants registered."""
    check = all_checks()[check_id]
    target = Target(
        tenant.account_id, tenant.stack, tenant.clients, tenant.spec, expected=shipped_cidrs(tenant.stack)
    )
    control = control_for_check(check_id).id
    return sorted(
        format_message(f.type, f.name, Failure(f.wrong, f.expected), control) for f in check.run(target)
    )


def fake_malware_plans(guardduty: Any, plans: dict[str, str]) -> None:
    """GuardDuty Malware Protection plans (bucket name -> status) on one client: moto 5.2.5 has no such API,
    so a botocore ``before-call`` hook answers ListMalwareProtectionPlans and GetMalwareProtectionPlan."""
    ids = {f"plan-{index}": bucket for index, bucket in enumerate(sorted(plans))}

    def answer(model: Any, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        if model.name == "ListMalwareProtectionPlans":
            body: dict[str, Any] = {"MalwareProtectionPlans": [{"MalwareProtectionPlanId": i} for i in ids]}
        else:
            bucket = ids[params["url_path"].rsplit("/", 1)[-1]]  # the serialized request
            body = {"ProtectedResource": {"S3Bucket": {"BucketName": bucket}}, "Status": plans[bucket]}
        return AWSResponse("", 200, {}, None), body

    for operation in ("ListMalwareProtectionPlans", "GetMalwareProtectionPlan"):
        guardduty.meta.events.register(f"before-call.guardduty.{operation}", answer)
