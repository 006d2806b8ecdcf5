"""Run Pulumi code in-process under mocks and look at what it registered. Shared by component and stack tests.

For every helper writing component tests (not only the tenant components): import ``run`` and call it with a
function that builds your component; it returns a :class:`Run` holding every registered resource with its inputs,
parent, provider and dependencies, plus the function's return value with Outputs resolved::

    from tests.pulumi_mocks import run

    def build():
        return MyComponent("web", MyComponentArgs(...))

    result = run(build)
    bucket = result.one("aws:s3/bucket:Bucket")
    assert bucket.parent == result.one("tenant-zone:storage:TenantStorage").urn
    assert bucket.inputs["tags"]["purpose"] == "data"
    assert result.resolve(result.value.bucket_name) == "..."

Options: ``stack`` / ``project`` (URNs and ``pulumi.get_stack()``), ``config`` (``{"ns:key": value}``; values
that are not strings are JSON-encoded, as the CLI passes them), ``preview`` (unknown outputs), ``stack_outputs``
(what a ``pulumi.StackReference`` named by the key returns), ``account_id`` (the account in computed ARNs when no
assumed role names one), ``sink`` (a dict that receives every registration as it happens, so a test can see what a
failing program declared before it failed). The mocks return realistic outputs for the attributes components use
downstream: ``id``, ``arn`` with the resource's region and account, ``name``, ``bucket``, ``keyId``... and the
structured outputs AWS always returns, without which the inputs built from them would silently vanish: the
organization's ``roots`` and ``masterAccountId``, IDs ``o-...`` / ``ou-...`` / ``p-...``, ACM
``domainValidationOptions``, ``route53.Record.fqdn``, SES verification and DKIM tokens, trail, web ACL and IP set
ARNs in their real formats. Regions come from the resource's own ``region`` input, else its provider's, else the
``aws:region`` config; accounts from the provider's assumed role ARN. Each :class:`Registered` also keeps the
resource options the engine would act on: ``protect`` and ``ignore_changes``.

Each call resets the three pieces of global state the Pulumi SDK keeps between programs (root resource, pending
outputs, event loop), so tests can run many programs in one process. ``run`` re-raises the program's exception.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.stack import run_pulumi_func

DEFAULT_ACCOUNT = "111111111111"
DEFAULT_REGION = "ap-northeast-1"


@dataclass
class Registered:
    """One resource as the engine would have received it."""

    urn: str
    type: str
    name: str
    custom: bool
    inputs: dict[str, Any]
    parent: str
    provider: str  # the provider reference "<urn>::<id>", "" for the default provider
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    outputs: dict[str, Any] = field(default_factory=dict)
    protect: bool = False
    ignore_changes: list[str] = field(default_factory=list)

    @property
    def provider_urn(self) -> str:
        return self.provider.rsplit("::", 1)[0] if self.provider else ""

    @property
    def tags(self) -> dict[str, Any]:
        tags = self.inputs.get("tags")
        return dict(tags) if isinstance(tags, Mapping) else {}


def _short_hash(*parts: str, length: int = 17) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def _account_of(role_arns: list[str]) -> str | None:
    for arn in role_arns:
        parts = arn.split(":")
        if len(parts) > 4 and parts[4].isdigit():
            return parts[4]
    return None


# --- structured outputs AWS always returns (see the module docstring) -----------------------------------------

Structured = Callable[[str, dict[str, Any], str, str], tuple[str | None, dict[str, Any]]]


def _organization(
    name: str, inputs: dict[str, Any], region: str, account: str
) -> tuple[str | None, dict[str, Any]]:
    org_id = f"o-{_short_hash('org', name, length=10)}"
    root_id = f"r-{_short_hash('root', name, length=4)}"
    return org_id, {
        "arn": f"arn:aws:organizations::{account}:organization/{org_id}",
        "masterAccountId": account,
        "masterAccountArn": f"arn:aws:organizations::{account}:account/{org_id}/{account}",
        "roots": [
            {
                "id": root_id,
                "arn": f"arn:aws:organizations::{account}:root/{org_id}/{root_id}",
                "name": "Root",
                "policyTypes": [],
            }
        ],
    }


def _ou(name: str, inputs: dict[str, Any], region: str, account: str) -> tuple[str | None, dict[str, Any]]:
    ou_id = f"ou-{_short_hash('root', length=4)}-{_short_hash('ou', name, length=8)}"
    return ou_id, {"arn": f"arn:aws:organizations::{account}:ou/o-example/{ou_id}"}


def _scp(name: str, inputs: dict[str, Any], region: str, account: str) -> tuple[str | None, dict[str, Any]]:
    policy_id = f"p-{_short_hash('policy', name, length=8)}"
    return policy_id, {
        "arn": f"arn:aws:organizations::{account}:policy/o-example/service_control_policy/{policy_id}"
    }


def _certificate(
    name: str, inputs: dict[str, Any], region: str, account: str
) -> tuple[str | None, dict[str, Any]]:
    domain = str(inputs.get("domainName", "example.com"))
    return None, {
        "domainValidationOptions": [
            {
                "domainName": domain,
                "resourceRecordName": f"_{_short_hash('cert-name', domain, length=32)}.{domain}.",
                "resourceRecordType": "CNAME",
                "resourceRecordValue": f"_{_short_hash('cert-value', domain, length=32)}.jkddzztszm.acm-validations.aws.",
            }
        ]
    }


def _record(
    name: str, inputs: dict[str, Any], region: str, account: str
) -> tuple[str | None, dict[str, Any]]:
    return None, {"fqdn": str(inputs.get("name", name)).rstrip(".")}


def _ses_identity(
    name: str, inputs: dict[str, Any], region: str, account: str
) -> tuple[str | None, dict[str, Any]]:
    domain = str(inputs.get("domain", name))
    return domain, {
        "arn": f"arn:aws:ses:{region}:{account}:identity/{domain}",
        "verificationToken": _short_hash("verify", domain, length=44),
    }


def _dkim(name: str, inputs: dict[str, Any], region: str, account: str) -> tuple[str | None, dict[str, Any]]:
    domain = str(inputs.get("domain", name))
    return domain, {"dkimTokens": [_short_hash("dkim", domain, str(i), length=32) for i in range(3)]}


def _trail(name: str, inputs: dict[str, Any], region: str, account: str) -> tuple[str | None, dict[str, Any]]:
    trail = str(inputs.get("name", name))
    arn = f"arn:aws:cloudtrail:{region}:{account}:trail/{trail}"
    return arn, {"arn": arn}


def _waf(kind: str) -> Structured:
    def compute(
        name: str, inputs: dict[str, Any], region: str, account: str
    ) -> tuple[str | None, dict[str, Any]]:
        waf_id = f"{_short_hash(kind, name, length=8)}-{_short_hash(kind, name, 'x', length=4)}"
        physical = str(inputs.get("name") or name)
        return waf_id, {"arn": f"arn:aws:wafv2:{region}:{account}:regional/{kind}/{physical}/{waf_id}"}

    return compute


def _detector(
    name: str, inputs: dict[str, Any], region: str, account: str
) -> tuple[str | None, dict[str, Any]]:
    return _short_hash("detector", name, region, account, length=32), {}


STRUCTURED_OUTPUTS: dict[str, Structured] = {
    "aws:organizations/organization:Organization": _organization,
    "aws:organizations/organizationalUnit:OrganizationalUnit": _ou,
    "aws:organizations/policy:Policy": _scp,
    "aws:acm/certificate:Certificate": _certificate,
    "aws:route53/record:Record": _record,
    "aws:ses/domainIdentity:DomainIdentity": _ses_identity,
    "aws:ses/domainDkim:DomainDkim": _dkim,
    "aws:cloudtrail/trail:Trail": _trail,
    "aws:wafv2/webAcl:WebAcl": _waf("webacl"),
    "aws:wafv2/ipSet:IpSet": _waf("ipset"),
    "aws:guardduty/detector:Detector": _detector,
}


class RecordingMocks(Mocks):
    """Mocks computing realistic ids and ARNs; see the module docstring."""

    def __init__(
        self, *, account_id: str, default_region: str, stack_outputs: Mapping[str, Mapping[str, Any]]
    ):
        self.account_id = account_id
        self.default_region = default_region
        self.stack_outputs = stack_outputs
        self.providers: dict[str, dict[str, Any]] = {}  # provider urn -> inputs
        self.lock = threading.Lock()

    def _provider_inputs(self, reference: str | None) -> dict[str, Any]:
        if not reference:
            return {}
        with self.lock:
            return self.providers.get(reference.rsplit("::", 1)[0], {})

    def _where(self, args: MockResourceArgs) -> tuple[str, str]:
        provider = self._provider_inputs(args.provider)
        region = args.inputs.get("region") or provider.get("region") or self.default_region
        roles: Any = provider.get("assumeRoles") or []
        if isinstance(roles, str):
            roles = json.loads(roles)
        arns = [r.get("roleArn", "") for r in roles if isinstance(r, Mapping)]
        return region, _account_of(arns) or self.account_id

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        inputs = dict(args.inputs)
        if args.typ.startswith("pulumi:providers:"):
            return f"{args.name}-provider-id", inputs  # the monitor below records its inputs by URN
        if args.typ == "pulumi:pulumi:StackReference":
            name = str(inputs.get("name", args.name))
            return name, {
                "name": name,
                "outputs": dict(self.stack_outputs.get(name, {})),
                "secretOutputNames": [],
            }
        region, account = self._where(args)
        return self.compute(args.typ, args.name, inputs, region, account)

    def compute(
        self, typ: str, name: str, inputs: dict[str, Any], region: str, account: str
    ) -> tuple[str, dict[str, Any]]:
        """The id and the state (inputs plus computed attributes) of a resource."""
        module = typ.split(":")[1].split("/")[0] if typ.count(":") == 2 else "x"
        kind = typ.rsplit(":", 1)[-1]
        token = _short_hash(typ, name)
        state = dict(inputs)
        physical = str(inputs.get("name") or name)
        rid = f"{kind.lower()}-{token}"
        arn = f"arn:aws:{module}:{region}:{account}:{kind.lower()}/{rid}"
        if typ == "aws:s3/bucket:Bucket":
            physical = str(inputs.get("bucket") or name)
            rid, arn = physical, f"arn:aws:s3:::{physical}"
            state.update(
                bucket=physical, bucketDomainName=f"{physical}.s3.amazonaws.com", bucketRegion=region
            )
        elif module == "iam" and kind in ("Role", "Policy", "User", "InstanceProfile"):
            path = str(inputs.get("path") or "/")
            rid, arn = physical, f"arn:aws:iam::{account}:{kind.lower()}{path}{physical}"
            state["name"] = physical
        elif typ == "aws:kms/key:Key" or typ == "aws:kms/replicaKey:ReplicaKey":
            rid = f"{'mrk-' if inputs.get('multiRegion') else ''}{_short_hash(typ, name, length=32)}"
            arn = f"arn:aws:kms:{region}:{account}:key/{rid}"
            state["keyId"] = rid
        elif typ == "aws:kms/alias:Alias":
            rid, arn = physical, f"arn:aws:kms:{region}:{account}:{physical}"
        elif typ == "aws:cloudwatch/logGroup:LogGroup":
            rid, arn = physical, f"arn:aws:logs:{region}:{account}:log-group:{physical}"
            state["name"] = physical
        elif typ == "aws:sns/topic:Topic":
            rid = arn = f"arn:aws:sns:{region}:{account}:{physical}"
            state["name"] = physical
        elif typ == "aws:backup/vault:Vault":
            rid, arn = physical, f"arn:aws:backup:{region}:{account}:backup-vault:{physical}"
            state["name"] = physical
        elif typ == "aws:ec2/vpc:Vpc":
            rid = f"vpc-{token}"
            state.setdefault("defaultSecurityGroupId", f"sg-{_short_hash('default', name)}")
            state.setdefault("mainRouteTableId", f"rtb-{_short_hash('main', name)}")
        elif typ == "aws:ec2/eip:Eip":
            rid = f"eipalloc-{token}"
            arn = f"arn:aws:ec2:{region}:{account}:elastic-ip/{rid}"
            state["allocationId"] = rid
        elif typ == "aws:lb/loadBalancer:LoadBalancer":
            arn = rid = f"arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/app/{physical}/{token}"
            state.update(
                dnsName=f"{physical}-{token[:8]}.{region}.elb.amazonaws.com", zoneId="Z14GRHDCWA56QT"
            )
        elif typ == "aws:organizations/account:Account":
            rid = _short_hash(typ, name, length=12)
            rid = "".join(str(int(c, 16) % 10) for c in rid)
            arn = f"arn:aws:organizations::{account}:account/o-example/{rid}"
        state.setdefault("id", rid)
        state.setdefault("arn", arn)
        state.setdefault("name", physical)  # autonaming: the engine fills `name` for resources that have one
        structured = STRUCTURED_OUTPUTS.get(typ)
        if structured is not None:
            new_id, more = structured(name, inputs, region, account)
            rid = new_id or rid
            state.update(more)
            state["id"] = rid
        return rid, state

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            arn = f"arn:aws:iam::{self.account_id}:root"
            return {
                "accountId": self.account_id,
                "arn": arn,
                "userId": "AIDEXAMPLE",
                "id": self.account_id,
            }, None
        if args.token == "aws:index/getRegion:getRegion":
            region = args.args.get("region") or self.default_region
            return {"name": region, "region": region, "id": region}, None
        if args.token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}, None
        return {}, None


class RecordingMonitor(MockMonitor):
    """Records what ``MockResourceArgs`` leaves out: parent, provider, dependencies."""

    def __init__(self, mocks: RecordingMocks, sink: dict[str, Registered] | None = None) -> None:
        super().__init__(mocks)
        self.recording_mocks = mocks
        self.registered: dict[str, Registered] = {} if sink is None else sink
        self.lock = threading.Lock()

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - the gRPC method name
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type.startswith("pulumi:providers:"):
            inputs = pulumi.runtime.rpc.deserialize_properties(request.object)
            with self.recording_mocks.lock:
                self.recording_mocks.providers[urn] = dict(inputs)
        response = super().RegisterResource(request)
        if request.type == "pulumi:pulumi:Stack":
            return response
        state = self.resources[urn].state
        inputs = pulumi.runtime.rpc.deserialize_properties(request.object)
        record = Registered(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            inputs=dict(inputs),
            parent=request.parent,
            provider=request.provider,
            dependencies=sorted(request.dependencies),
            property_dependencies={k: sorted(v.urns) for k, v in request.propertyDependencies.items()},
            outputs={k: v for k, v in state.items() if k not in inputs},
            protect=bool(request.protect),
            ignore_changes=list(request.ignoreChanges),
        )
        with self.lock:
            if urn in self.registered:
                raise RuntimeError(f"duplicate resource URN {urn}")
            self.registered[urn] = record
        return response


@dataclass
class Run:
    """What one program run registered, in URN order, and its return value."""

    resources: list[Registered]
    value: Any
    outputs: dict[str, Any]
    loop: asyncio.AbstractEventLoop

    def of_type(self, type_: str) -> list[Registered]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, name: str | None = None) -> Registered:
        found = [r for r in self.of_type(type_) if name is None or r.name == name]
        if len(found) != 1:
            names = [r.name for r in self.of_type(type_)]
            raise AssertionError(f"expected one {type_}{f' named {name}' if name else ''}, found {names}")
        return found[0]

    def named(self, name: str) -> Registered:
        found = [r for r in self.resources if r.name == name]
        if len(found) != 1:
            raise AssertionError(f"expected one resource named {name}, found {len(found)}")
        return found[0]

    def by_urn(self, urn: str) -> Registered:
        return next(r for r in self.resources if r.urn == urn)

    def children_of(self, urn: str) -> list[Registered]:
        return [r for r in self.resources if r.parent == urn]

    def descendants_of(self, urn: str) -> list[Registered]:
        out: list[Registered] = []
        frontier = [urn]
        while frontier:
            current = frontier.pop()
            for child in self.children_of(current):
                out.append(child)
                frontier.append(child.urn)
        return out

    def region_of(self, resource: Registered) -> str | None:
        """Own ``region`` input, else the explicit provider's region (None for the default provider)."""
        own = resource.inputs.get("region")
        if isinstance(own, str) and own:
            return own
        if not resource.provider:
            return None
        provider = self.by_urn(resource.provider_urn)
        region = provider.inputs.get("region")
        return region if isinstance(region, str) else None

    def resolve(self, value: Any) -> Any:
        """The value of an Output (or a plain value) produced by the run."""
        if isinstance(value, pulumi.Output):
            return self.loop.run_until_complete(value.future())
        return value


def _reset_runtime() -> asyncio.AbstractEventLoop:
    pulumi_settings.ROOT.set(None)
    pulumi_settings.SETTINGS.outputs.clear()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    return loop


def _settle(loop: asyncio.AbstractEventLoop) -> None:
    """After a failed program: cancel what is left and keep its leftover errors from being reported later, in the
    middle of another test, as "exception was never retrieved"."""

    def quiet(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        # Outputs that depended on the failed value still hold its error; the test already has it.
        if "never retrieved" not in str(context.get("message", "")):
            loop.default_exception_handler(context)

    loop.set_exception_handler(quiet)
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    for task in asyncio.all_tasks(loop) | set(pending):
        if task.done() and not task.cancelled():
            task.exception()


def run(
    fn: Callable[[], Any],
    *,
    stack: str = "test",
    project: str = "tenant-zone",
    config: Mapping[str, Any] | None = None,
    preview: bool = False,
    stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
    account_id: str = DEFAULT_ACCOUNT,
    sink: dict[str, Registered] | None = None,
) -> Run:
    """Run ``fn`` as a Pulumi program under mocks; see the module docstring."""
    loop = _reset_runtime()
    wire_config = {k: v if isinstance(v, str) else json.dumps(v) for k, v in (config or {}).items()}
    pulumi.runtime.set_all_config(wire_config, [])
    region = str((config or {}).get("aws:region", DEFAULT_REGION))
    mocks = RecordingMocks(account_id=account_id, default_region=region, stack_outputs=stack_outputs or {})
    monitor = RecordingMonitor(mocks, sink)
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=preview, monitor=monitor)
    holder: dict[str, Any] = {}

    async def program() -> None:
        holder["value"] = fn()

    try:
        loop.run_until_complete(run_pulumi_func(program))
    except BaseException:
        _settle(loop)
        raise
    finally:
        pulumi.runtime.set_all_config({}, [])
    root = pulumi_settings.get_root_resource()
    exported = dict(getattr(root, "outputs", {}) or {})
    result = Run(
        resources=sorted(monitor.registered.values(), key=lambda r: r.urn),
        value=holder.get("value"),
        outputs={},
        loop=loop,
    )
    result.outputs = {k: result.resolve(pulumi.Output.from_input(v)) for k, v in exported.items()}
    return result


def assert_all_under(result: Run, component_urn: str) -> None:
    """Every resource except providers and the component itself descends from the component, which has children."""
    descendants = {r.urn for r in result.descendants_of(component_urn)}
    strays = [
        r.urn
        for r in result.resources
        if r.urn != component_urn and not r.type.startswith("pulumi:providers:") and r.urn not in descendants
    ]
    assert not strays, f"resources outside {component_urn}: {strays}"
    assert result.children_of(component_urn), f"{component_urn} has no children"
