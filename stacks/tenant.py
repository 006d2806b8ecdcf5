"""A tenant stack (``<tenant>-<env>``): the baseline inside the tenant's own account.

Order matters: the tenant specification (``tenant-zone:tenant``) is validated before anything is declared,
then the required tags are registered, then the resources. The tenant account comes from the ``org`` stack's
``tenantAccountIds`` output through a stack reference, and every resource is created through one of two
providers that assume ``OrganizationAccountAccessRole`` in that account, one per Japanese region; the default
provider (``aws:region``) is never used for a tenant resource.

Optional config besides the spec: ``tenant-zone:orgStack`` (default ``org``) names the org stack for the
reference, as a fully qualified ``<organization>/tenant-zone/org`` when the backend needs one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from components.naming import region_code
from policies.messages import message
from policies.parameters import JAPAN_REGIONS
from policies.rules._net.logdest import (
    ALB_LOG_ARCHIVE_OUTPUT,
    FLOW_LOG_ARCHIVE_OUTPUT,
    WAF_LOG_ARCHIVE_OUTPUT,
)
from stacks.providers import account_provider
from tenancy.baseline import TenantBaseline, TenantBaselineArgs
from tenancy.spec import CONFIG_KEY, SpecError, TenantSpec, parse_tenant_spec, problem, show
from tenancy.tags import register_required_tags

NAMESPACE = "tenant-zone"
DEFAULT_ORG_STACK = "org"


def read_spec(stack: str) -> TenantSpec:
    """The validated spec of this stack; SpecError (all problems at once) when it is missing or wrong."""
    source = f"stack {stack}"
    spec = parse_tenant_spec(pulumi.Config(NAMESPACE).get_object("tenant"), source)
    problems: list[str] = []
    if spec.stack_name != stack:
        problems.append(
            problem(
                "",
                f"id {show(spec.id)} and environment {show(spec.environment)} make stack {spec.stack_name},"
                f" not {stack}",
                f"the stack to be named {spec.stack_name}, or id and environment that spell {stack}",
            )
        )
    region = pulumi.Config("aws").get("region")
    if region is not None and region not in JAPAN_REGIONS:
        problems.append(
            message("aws:region", f"{show(region)} is outside Japan", " or ".join(JAPAN_REGIONS), "RES-01")
        )
    if problems:
        raise SpecError(problems, source)
    return spec


def org_stack_name() -> str:
    """``tenant-zone:orgStack``: ``org``, ``<organization>/org`` or ``<organization>/tenant-zone/org``.

    Checked before any resource or stack reference exists, so a wrong name is one message, not a failing
    reference: the program makes a stack the org stack by its name (``stacks/__main__.py``), so a reference to
    any other stack (a tenant stack, say) would read outputs that stack never has.
    """
    value = pulumi.Config(NAMESPACE).get("orgStack")
    if value is None or value == "":
        return DEFAULT_ORG_STACK
    parts = value.split("/")
    project = pulumi.get_project()
    fits = parts[-1] == DEFAULT_ORG_STACK and (
        len(parts) == 1
        or (len(parts) == 2 and bool(parts[0]))
        or (len(parts) == 3 and parts[0] != "" and parts[1] == project)
    )
    if not fits:
        raise SpecError(
            [
                f"{NAMESPACE}:orgStack: {show(value)} is not the org stack; expected {DEFAULT_ORG_STACK},"
                f" <organization>/{DEFAULT_ORG_STACK} or <organization>/{project}/{DEFAULT_ORG_STACK} (the"
                " stack that creates the tenant accounts). [TEN-01]"
            ],
            f"stack {pulumi.get_stack()}",
        )
    return value


def entry_picker(key: str, org_stack: str, output: str, missing: str, then: str) -> Any:
    """A function picking ``key``'s value (a non-empty string) out of the org stack's map output ``output``;
    when it is not there, the error names the ``missing`` entry and what updating the org stack first does
    (``then``)."""

    def pick(entries: Any) -> str:
        value = entries.get(key) if isinstance(entries, Mapping) else None
        if not isinstance(value, str) or not value:
            raise pulumi.RunError(
                f"stack {org_stack} output {output}: has no {missing}; expected the org stack to be updated"
                f" first (pulumi up -s {org_stack}) so that it {then}"
            )
        return value

    return pick


def account_for(stack: str, org_stack: str) -> Any:
    """A function picking this stack's account ID out of the org stack's ``tenantAccountIds``."""
    return entry_picker(
        stack,
        org_stack,
        "tenantAccountIds",
        f"account for {stack}",
        f"creates the account of {CONFIG_KEY} in Pulumi.{stack}.yaml. [TEN-01]",
    )


def zone_for(stack: str, org_stack: str) -> Any:
    """A function picking this stack's hosted zone (created and delegated by the org stack) out of
    ``tenantZoneIds``."""
    return entry_picker(
        stack,
        org_stack,
        "tenantZoneIds",
        f"hosted zone for {stack}",
        f"creates and delegates the zone of the domainName in Pulumi.{stack}.yaml.",
    )


def bucket_for(region: str, org_stack: str) -> Any:
    """A function picking the log archive's ALB access-log bucket of ``region`` out of the org stack's
    ``logArchiveAlbLogBuckets``."""
    return entry_picker(
        region,
        org_stack,
        ALB_LOG_ARCHIVE_OUTPUT,
        f"access-log bucket in {region}",
        "creates the log archive's ALB access-log buckets. [LOG-06]",
    )


def mail_zones(spec: TenantSpec, stack: str, org_stack: str, org: pulumi.StackReference) -> Any:
    """The zones the org stack created for this tenant's mail records, key -> zone ID
    (``TenantSpec.mail_delegations``, the org stack's ``tenantMailZoneIds``)."""

    def pick(ids: Any) -> dict[str, str]:
        zones = ids.get(stack) if isinstance(ids, Mapping) else None
        wanted = spec.mail_delegations
        if not isinstance(zones, Mapping) or any(not zones.get(key) for key in wanted):
            raise pulumi.RunError(
                f"stack {org_stack} output tenantMailZoneIds: has no mail zones {sorted(wanted)} for {stack};"
                f" expected the org stack to be updated first (pulumi up -s {org_stack}) so that it creates"
                f" and delegates the zones of the mail domain in Pulumi.{stack}.yaml."
            )
        return {key: str(zones[key]) for key in wanted}

    return org.require_output("tenantMailZoneIds").apply(pick)


def build_tenant_stack() -> dict[str, Any]:
    """Declare this tenant stack; returns (and exports) its outputs."""
    stack = pulumi.get_stack()
    spec = read_spec(stack)
    org_stack = org_stack_name()
    register_required_tags(spec.id, spec.environment, spec.data_classification)

    org = pulumi.StackReference(org_stack)
    account_id = org.require_output("tenantAccountIds").apply(account_for(stack, org_stack))
    session = f"tenant-zone-{stack}"
    primary = account_provider(
        f"{stack}-{region_code(spec.primary_region)}", account_id, spec.primary_region, session
    )
    secondary = account_provider(
        f"{stack}-{region_code(spec.secondary_region)}", account_id, spec.secondary_region, session
    )

    tenant_zone_id = org.require_output("tenantZoneIds").apply(zone_for(stack, org_stack))
    delegated_mail_zones = mail_zones(spec, stack, org_stack, org) if spec.mail_delegations else None
    baseline = TenantBaseline(
        stack,
        TenantBaselineArgs(
            spec=spec,
            account_id=account_id,
            primary_provider=primary,
            secondary_provider=secondary,
            log_archive_bucket=org.require_output("logArchiveBucket"),
            security_account_id=org.require_output("securityAccountId"),
            log_archive_key_arn=org.get_output("logArchiveKeyArn"),
            hosted_zone_id=tenant_zone_id,
            organization_id=org.require_output("organizationId"),
            flow_log_bucket_arn=org.require_output(FLOW_LOG_ARCHIVE_OUTPUT),
            waf_log_bucket_arn=org.require_output(WAF_LOG_ARCHIVE_OUTPUT),
            log_delivery_key_arn=org.require_output("logDeliveryKeyArn"),
            alb_access_log_bucket=org.require_output(ALB_LOG_ARCHIVE_OUTPUT).apply(
                bucket_for(spec.primary_region, org_stack)
            ),
            mail_zone_ids=delegated_mail_zones,
        ),
    )

    outputs: dict[str, Any] = {
        "tenant": spec.id,
        "environment": spec.environment,
        "accountId": account_id,
        "vpcId": baseline.network.vpc_id,
        "subnetIds": baseline.network.subnet_ids,
        "loadBalancerDnsName": baseline.edge.load_balancer_dns_name,
        "webAclArn": baseline.edge.web_acl_arn,
        "keyArns": {
            spec.primary_region: baseline.keys.primary.arn,
            spec.secondary_region: baseline.keys.secondary.arn,
        },
        "buckets": {purpose: bucket.bucket for purpose, bucket in baseline.storage.buckets.items()},
        "replicaBuckets": {purpose: bucket.bucket for purpose, bucket in baseline.storage.replicas.items()},
        "backupVaultArns": {
            spec.primary_region: baseline.backup.primary_vault.arn,
            spec.secondary_region: baseline.backup.secondary_vault.arn,
        },
        "incidentTopicArns": {region: n.topic_arn for region, n in baseline.notifications.items()},
        "breakGlassRoleArn": baseline.break_glass.role_arn,
    }
    for key, value in outputs.items():
        pulumi.export(key, value)
    return outputs
