"""Deployment behind one interface: the org stack (which vends the tenant's account) and the tenant stack.

``PulumiDeployer`` drives the Pulumi Automation API, which needs the Pulumi CLI; without it the error says
so and points at ``--plan-only``. ``SandboxDeployer`` stands in for ``pulumi up`` against the local moto
sandbox: it vends the account with the same Organizations calls the org stack's ``aws.organizations.Account``
makes and seeds the audited part of the baseline with boto3. Both are idempotent: a rerun finds what a
crashed run created and never creates it twice.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Protocol

from tenantctl.errors import UserError
from tenantctl.lifecycle.aws import PRIMARY_REGION, Aws
from tenantctl.lifecycle.org import OrgView, discover, environment_ou
from tenantctl.lifecycle.tenancy import TenantSpec


class Deployer(Protocol):
    def vend_account(self, spec: TenantSpec) -> str | None:
        """Start the tenant's account unless it exists: the CreateAccount request ID to wait for, or None
        when the account already exists (or was created synchronously)."""
        ...

    def deploy_baseline(self, spec: TenantSpec, account_id: str) -> None: ...


class PulumiDeployer:
    """``pulumi up`` of the org stack, then of the tenant stack, through the Automation API."""

    def __init__(self, program: Path) -> None:
        self.program = program

    def _require_cli(self) -> None:
        if shutil.which("pulumi") is None:
            raise UserError(
                "deploy: the Pulumi CLI is not installed (the Automation API drives it); expected `pulumi` on"
                " PATH with AWS credentials, or run `tenantctl onboard REQUEST --plan-only` to validate and"
                " preflight without deploying"
            )

    def _up(self, stack_name: str) -> None:
        from pulumi import automation

        stack = automation.select_stack(stack_name=stack_name, work_dir=str(self.program))
        stack.up(on_output=print)

    def vend_account(self, spec: TenantSpec) -> str | None:
        self._require_cli()
        self._up("org")  # the provider waits for CreateAccount to finish
        return None

    def deploy_baseline(self, spec: TenantSpec, account_id: str) -> None:
        self._require_cli()
        self._up(spec.stack_name)


class SandboxDeployer:
    def __init__(self, aws: Aws) -> None:
        self.aws = aws

    def vend_account(self, spec: TenantSpec) -> str | None:
        if discover(self.aws).account(spec.stack_name) is not None:
            return None
        organizations = self.aws.client("organizations")
        for request in organizations.list_create_account_status(States=["IN_PROGRESS", "SUCCEEDED"]).get(
            "CreateAccountStatuses", []
        ):
            if request.get("AccountName") == spec.stack_name:
                return str(request["Id"])
        status = organizations.create_account(
            AccountName=spec.stack_name,
            Email=spec.account_email,
            RoleName="OrganizationAccountAccessRole",
            IamUserAccessToBilling="DENY",
            Tags=[{"Key": "tenant", "Value": spec.id}, {"Key": "environment", "Value": spec.environment}],
        )["CreateAccountStatus"]
        return str(status["Id"])

    def place_account(self, view: OrgView, spec: TenantSpec, account_id: str) -> None:
        organizations = self.aws.client("organizations")
        target = view.ou_ids[environment_ou(spec.environment)]
        parent = organizations.list_parents(ChildId=account_id)["Parents"][0]["Id"]
        if parent != target:
            organizations.move_account(
                AccountId=account_id, SourceParentId=parent, DestinationParentId=target
            )

    def deploy_baseline(self, spec: TenantSpec, account_id: str) -> None:
        from tenantctl.lifecycle.seed import seed_tenant, tenant_clients

        view = discover(self.aws)
        self.place_account(view, spec, account_id)
        kms = tenant_clients(self.aws, account_id)("kms", PRIMARY_REGION)
        aliases = {a["AliasName"] for a in kms.list_aliases().get("Aliases", [])}
        if f"alias/tz-{spec.stack_name}-data" in aliases:
            return  # deployed by an earlier run that stopped before recording it
        seed_tenant(self.aws, account_id, spec, view.management_account_id)
