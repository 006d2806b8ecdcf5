"""The organization as the org stack shapes it: OUs, core accounts, SCPs and where they attach; reading
it back from a live organization; and building it in an empty one (the sandbox)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from policies.audit._aws import ou_ids_by_path
from tenantctl.lifecycle.aws import Aws
from tenantctl.lifecycle.tenancy import SCP_DEFINITIONS, STACKS_DIR, OrgPaths, render

# OU paths of the org stack (components/organization.py) and the SCP target keys that name them.
OU_PATHS: dict[str, str] = {
    "security": "Security",
    "tenants": "Tenants",
    "prod": "Tenants/Prod",
    "nonprod": "Tenants/NonProd",
    "suspended": "Suspended",
}
LOG_ARCHIVE_ACCOUNT = "log-archive"
SECURITY_ACCOUNT = "security"
ORG_TRAIL_NAME = "tz-organization-trail"


def scp_targets() -> dict[str, list[str]]:
    """Each baseline SCP's name -> the OU paths the org stack attaches it to."""
    return {d.name: [OU_PATHS[t] for t in d.targets] for d in SCP_DEFINITIONS}


def environment_ou(environment: str) -> str:
    return OU_PATHS["prod"] if environment == "prod" else OU_PATHS["nonprod"]


@dataclass
class OrgView:
    """What the lifecycle needs of the live organization."""

    management_account_id: str
    organization_id: str
    feature_set: str
    root_id: str
    ou_ids: dict[str, str] = field(default_factory=dict)
    # account name -> account description (Id, Email, Status, ...)
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def account(self, name: str) -> dict[str, Any] | None:
        return self.accounts.get(name)

    def account_by_email(self, email: str) -> dict[str, Any] | None:
        return next((a for a in self.accounts.values() if a.get("Email", "").lower() == email.lower()), None)


def discover(aws: Aws) -> OrgView:
    organizations = aws.client("organizations")
    description = organizations.describe_organization()["Organization"]
    root_id = organizations.list_roots()["Roots"][0]["Id"]
    accounts = {
        a["Name"]: a
        for page in organizations.get_paginator("list_accounts").paginate()
        for a in page.get("Accounts", [])
    }
    return OrgView(
        management_account_id=description["MasterAccountId"],
        organization_id=description["Id"],
        feature_set=description.get("FeatureSet", ""),
        root_id=root_id,
        ou_ids=ou_ids_by_path(organizations, root_id),
        accounts=accounts,
    )


def org_settings() -> dict[str, Any]:
    document = yaml.safe_load((STACKS_DIR / "Pulumi.org.yaml").read_text(encoding="utf-8"))
    settings: dict[str, Any] = document["config"]["tenant-zone:org"]
    return settings


def _create_ou(organizations: Any, parent: str, name: str) -> str:
    ou_id: str = organizations.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"][
        "Id"
    ]
    return ou_id


def create_account(aws: Aws, view: OrgView, name: str, email: str, ou_path: str) -> str:
    """Vend one account as the org stack's ``aws.organizations.Account`` does (create, then place it in its
    OU); returns the account ID. CreateAccount is asynchronous: the caller waits for SUCCEEDED."""
    organizations = aws.client("organizations")
    request = organizations.create_account(
        AccountName=name, Email=email, RoleName="OrganizationAccountAccessRole", IamUserAccessToBilling="DENY"
    )["CreateAccountStatus"]
    status = organizations.describe_create_account_status(CreateAccountRequestId=request["Id"])[
        "CreateAccountStatus"
    ]
    account_id: str = status["AccountId"]
    organizations.move_account(
        AccountId=account_id, SourceParentId=view.root_id, DestinationParentId=view.ou_ids[ou_path]
    )
    view.accounts[name] = {"Id": account_id, "Email": email, "Name": name, "Status": "ACTIVE"}
    return account_id


def bootstrap(aws: Aws) -> OrgView:
    """An organization in an empty management account, shaped like the org stack: all features, the OUs,
    the baseline SCPs attached to their OUs, the log-archive and security accounts, and the organization
    trail delivering to the log archive."""
    organizations = aws.client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    root_id = organizations.list_roots()["Roots"][0]["Id"]
    organizations.enable_policy_type(RootId=root_id, PolicyType="SERVICE_CONTROL_POLICY")
    ou_ids: dict[str, str] = {}
    for path in ("Security", "Tenants", "Tenants/Prod", "Tenants/NonProd", "Suspended"):
        parent, _, name = path.rpartition("/")
        ou_ids[path] = _create_ou(organizations, ou_ids[parent] if parent else root_id, name)
    view = discover(aws)
    paths = OrgPaths(
        organization_id=view.organization_id,
        root_id=root_id,
        tenants_ou_id=ou_ids["Tenants"],
        prod_ou_id=ou_ids["Tenants/Prod"],
        nonprod_ou_id=ou_ids["Tenants/NonProd"],
    )
    for definition in SCP_DEFINITIONS:
        policy_id = organizations.create_policy(
            Name=definition.name,
            Description=definition.description,
            Type="SERVICE_CONTROL_POLICY",
            Content=render(definition.document(paths)),
        )["Policy"]["PolicySummary"]["Id"]
        for target in definition.targets:
            organizations.attach_policy(PolicyId=policy_id, TargetId=ou_ids[OU_PATHS[target]])
    settings = org_settings()
    log_archive = create_account(
        aws, view, LOG_ARCHIVE_ACCOUNT, settings["logArchiveAccountEmail"], "Security"
    )
    create_account(aws, view, SECURITY_ACCOUNT, settings["securityAccountEmail"], "Security")
    _organization_trail(aws, view, log_archive)
    return view


def _organization_trail(aws: Aws, view: OrgView, log_archive_id: str) -> None:
    from tenantctl.lifecycle.iam import access_role_arn

    archive = aws.assume(access_role_arn(log_archive_id), "tz-sandbox")
    region = aws.region
    bucket = f"tz-org-trail-{log_archive_id}"
    s3 = aws.client("s3", region, archive)
    s3.create_bucket(
        Bucket=bucket,
        CreateBucketConfiguration={"LocationConstraint": region},
        ObjectLockEnabledForBucket=True,
    )
    s3.put_object_lock_configuration(
        Bucket=bucket,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {
                "DefaultRetention": {
                    "Mode": "COMPLIANCE",
                    "Days": int(org_settings().get("logRetentionDays", 365)),
                }
            },
        },
    )
    key = aws.client("kms", region).create_key(Description="organization trail")["KeyMetadata"]["Arn"]
    cloudtrail = aws.client("cloudtrail", region)
    cloudtrail.create_trail(
        Name=ORG_TRAIL_NAME,
        S3BucketName=bucket,
        IsMultiRegionTrail=True,
        IsOrganizationTrail=True,
        EnableLogFileValidation=True,
        KmsKeyId=key,
    )
    cloudtrail.start_logging(Name=ORG_TRAIL_NAME)
