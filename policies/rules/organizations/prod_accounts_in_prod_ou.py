"""Production and non-production are separate accounts under separate OUs; production data stays home
(TEN-03).

On the org stack: every tenant account tagged ``environment=prod`` sits in the
OU named ``Prod``, every other tenant account in ``NonProd`` (platform accounts,
tagged tenant ``platform``, live elsewhere by design). The parent is followed
through the property dependency on the OU, else matched by its literal ID.

On a production tenant stack: nothing replicates, copies or is shared to an
account other than the stack's own (the account its providers assume into):
S3 replication ``destination.account``, AWS Backup copy destinations, RAM
principal associations, EBS snapshot and AMI permissions, and resource
policies (bucket, key, vault, topic, queue, secret) that allow principals of
another account.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, as_list, dig
from policies.rules._common.accounts import is_default_provider, provider_accounts
from policies.rules._common.arns import account_of, arn_account
from policies.rules._common.policy_documents import PolicyDocumentError, condition_keys, load, statements
from policies.rules._common.stacks import PROD, is_org_stack, stack_environment
from policies.rules._common.tags import effective_tags
from policies.rules._common.unknowns import require_known
from policies.rules._data.buckets import replication_rules, replication_sources, rule_label

ACCOUNT = "aws:organizations/account:Account"
OU = "aws:organizations/organizationalUnit:OrganizationalUnit"
PLATFORM_TENANT = "platform"
PROD_OU, NON_PROD_OU = "Prod", "NonProd"
BACKUP_PLAN = "aws:backup/plan:Plan"
RAM_PRINCIPAL = "aws:ram/principalAssociation:PrincipalAssociation"
SNAPSHOT_PERMISSION = "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission"
AMI_PERMISSION = "aws:ec2/amiLaunchPermission:AmiLaunchPermission"
# Resources whose own policy can grant another account access to tenant data or keys.
POLICY_HOLDERS = (
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:kms/key:Key",
    "aws:kms/replicaKey:ReplicaKey",
    "aws:kms/externalKey:ExternalKey",
    "aws:kms/keyPolicy:KeyPolicy",
    "aws:backup/vaultPolicy:VaultPolicy",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:secretsmanager/secretPolicy:SecretPolicy",
)
HOME_EXPECTED = "production data replicated, copied and shared only within the stack's own account"


def _org_failures(stack: StackView) -> Iterator[Failure]:
    for account in stack.of_type(ACCOUNT):
        tags = effective_tags(account, ("tenant", "environment"))
        if str(tags.get("tenant", "")) == PLATFORM_TENANT:
            continue
        environment = tags.get("environment")
        if not environment:
            yield Failure(
                "has no environment tag, so its OU placement cannot be checked",
                f"tag environment prod|staging|dev and parentId the {PROD_OU} or {NON_PROD_OU} OU"
                " accordingly",
                account.urn,
            )
            continue
        wanted = PROD_OU if str(environment).lower() == PROD else NON_PROD_OU
        expected = f"parentId the {wanted} OU (environment {environment})"
        parents = stack.referenced(account, "parentId", OU)
        parent_id = account.props.get("parentId")
        if not parents:
            if parent_id in (None, ""):
                yield Failure(
                    "parentId is not set (the account sits in the organization root)", expected, account.urn
                )
            else:
                yield Failure(
                    f"parentId {parent_id} is not an OU of this stack, so it cannot be shown to be the"
                    f" {wanted} OU",
                    expected,
                    account.urn,
                )
            continue
        names = [str(p.props.get("name", "")) for p in parents]
        if not any(n.lower() == wanted.lower() for n in names):
            yield Failure(f"is in OU {', '.join(names)}", expected, account.urn)


def _foreign(account: str | None, own: set[str]) -> bool:
    return account is not None and account not in own


def _own_text(own: set[str]) -> str:
    return ", ".join(sorted(own)) if own else "unknown (no provider assumes a role)"


def _prod_failures(stack: StackView) -> Iterator[Failure]:
    own: set[str] = set()
    for resource in stack.resources:
        if resource.type.startswith("aws:") and not is_default_provider(resource.provider):
            own.update(provider_accounts(resource.provider))
    home = _own_text(own)

    for source in replication_sources(stack):
        for index, rule in enumerate(replication_rules(source)):
            account = dig(rule, "destination", "account")
            if account and _foreign(str(account), own):
                yield Failure(
                    f"{rule_label(rule, index)} replicates to account {account}, not the stack's own account"
                    f" ({home})",
                    HOME_EXPECTED,
                    source.urn,
                )
    for plan in stack.of_type(BACKUP_PLAN):
        for r_index, rule in enumerate(as_list(plan.props.get("rules"))):
            for c_index, action in enumerate(as_list(dig(rule, "copyActions"))):
                vault_arn = dig(action, "destinationVaultArn")
                account = arn_account(vault_arn)
                if _foreign(account, own):
                    yield Failure(
                        f"rules[{r_index}].copyActions[{c_index}] copies to {vault_arn} in account {account},"
                        f" not the stack's own account ({home})",
                        HOME_EXPECTED,
                        plan.urn,
                    )
    yield from _sharing_failures(stack, own, home)


def _sharing_failures(stack: StackView, own: set[str], home: str) -> Iterator[Failure]:
    for association in stack.of_type(RAM_PRINCIPAL):
        principal = association.props.get("principal")
        account = (
            str(principal) if isinstance(principal, str) and principal.isdigit() else arn_account(principal)
        )
        is_org_wide = isinstance(principal, str) and ":organizations:" in principal
        if is_org_wide or _foreign(account, own):
            yield Failure(
                f"shares with {principal}, outside the stack's own account ({home})",
                HOME_EXPECTED,
                association.urn,
            )
    for permission in stack.of_type(SNAPSHOT_PERMISSION, AMI_PERMISSION):
        yield from _permission_failures(permission, own, home)
    for resource in stack.of_type(*POLICY_HOLDERS):
        policy = require_known(resource.props.get("policy"), "policy")
        for principal in _foreign_principals(policy, own):
            yield Failure(
                f"policy allows {principal}, outside the stack's own account ({home})",
                HOME_EXPECTED,
                resource.urn,
            )


def _foreign_principals(policy: Any, own: set[str]) -> list[str]:
    """Principals of other accounts that a resource policy's Allow statements name (directly or through
    an aws:PrincipalArn / aws:PrincipalAccount condition). An unparseable policy is another rule's concern."""
    try:
        document = load(policy)
    except PolicyDocumentError:
        return []
    if document is None:
        return []
    found: list[str] = []
    for statement in statements(document):
        if statement.effect != "Allow":
            continue
        named = [] if statement.not_principal else list(statement.principals)
        for _operator, key, values in condition_keys(statement.condition):
            if key.lower() in ("aws:principalarn", "aws:principalaccount", "aws:sourceaccount"):
                named.extend(values)
        for principal in named:
            account = account_of(principal)
            if _foreign(account, own) and principal not in found:
                found.append(principal)
    return found


def _permission_failures(permission: ResourceView, own: set[str], home: str) -> Iterator[Failure]:
    account = permission.props.get("accountId")
    if isinstance(account, str) and account and _foreign(account, own):
        yield Failure(
            f"grants account {account}, not the stack's own account ({home})", HOME_EXPECTED, permission.urn
        )
    for key in ("group", "organizationArn", "organizationalUnitArn"):
        value = permission.props.get(key)
        if value:
            yield Failure(
                f"{key} {value} shares beyond the stack's own account", HOME_EXPECTED, permission.urn
            )


class ProdAccountsInProdOu(StackRule):
    id = "prod_accounts_in_prod_ou"
    description = (
        "Production tenant accounts sit in the Prod OU and non-production ones in NonProd; production tenant "
        "stacks replicate, copy and share data only within their own account."
    )
    remediation = (
        "Create each tenant account with parent_id=<Prod OU>.id when its environment is prod, else <NonProd"
        " OU>.id; in a prod stack, keep replication destinations, backup copy vaults and shares in the"
        " tenant's own account."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        if is_org_stack(stack.name):
            if not any(stack.of_type(ACCOUNT)):
                raise NotApplicable("the org stack declares no member account")
            yield from _org_failures(stack)
            return
        if stack_environment(stack.name) != PROD:
            raise NotApplicable(f"stack {stack.name} is not a production tenant stack")
        yield from _prod_failures(stack)
