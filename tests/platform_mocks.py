"""Realistic outputs for the organization, edge and mail resources, on top of the shared mocks.

``tests.pulumi_mocks`` computes ids and ARNs for the resources the tenant
components read back. The org stack and the edge and mail components also
read structured outputs that AWS always returns and a mock must imitate, or
the inputs built from them silently vanish:

- ``Organization.roots`` / ``masterAccountId`` (OUs hang below the root),
  organization IDs ``o-...``, OU IDs ``ou-...``, SCP IDs ``p-...``;
- ``acm.Certificate.domainValidationOptions`` and ``route53.Record.fqdn``
  (DNS validation);
- ``ses.DomainIdentity.verificationToken``, ``ses.DomainDkim.dkimTokens``;
- trail, web ACL and IP set ARNs in their real formats.

``run`` here is ``tests.pulumi_mocks.run`` with these extra outputs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tests import pulumi_mocks
from tests.pulumi_mocks import RecordingMocks, RecordingMonitor, Run

Extra = Callable[[str, dict[str, Any], str, str], tuple[str | None, dict[str, Any]]]


def _h(*parts: str, length: int = 8) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def _organization(name: str, inputs: dict[str, Any], region: str, account: str) -> tuple[str | None, dict[str, Any]]:
    org_id = f"o-{_h('org', name, length=10)}"
    root_id = f"r-{_h('root', name, length=4)}"
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
    ou_id = f"ou-{_h('root')[:4]}-{_h('ou', name)}"
    return ou_id, {"arn": f"arn:aws:organizations::{account}:ou/o-example/{ou_id}"}


def _policy(name: str, inputs: dict[str, Any], region: str, account: str) -> tuple[str | None, dict[str, Any]]:
    policy_id = f"p-{_h('policy', name)}"
    return policy_id, {"arn": f"arn:aws:organizations::{account}:policy/o-example/service_control_policy/{policy_id}"}


def _certificate(name: str, inputs: dict[str, Any], region: str, account: str) -> tuple[str | None, dict[str, Any]]:
    domain = str(inputs.get("domainName", "example.com"))
    return None, {
        "domainValidationOptions": [
            {
                "domainName": domain,
                "resourceRecordName": f"_{_h('cert-name', domain, length=32)}.{domain}.",
                "resourceRecordType": "CNAME",
                "resourceRecordValue": f"_{_h('cert-value', domain, length=32)}.jkddzztszm.acm-validations.aws.",
            }
        ]
    }


def _record(name: str, inputs: dict[str, Any], region: str, account: str) -> tuple[str | None, dict[str, Any]]:
    return None, {"fqdn": str(inputs.get("name", name)).rstrip(".")}


def _ses_identity(name: str, inputs: dict[str, Any], region: str, account: str) -> tuple[str | None, dict[str, Any]]:
    domain = str(inputs.get("domain", name))
    return domain, {
        "arn": f"arn:aws:ses:{region}:{account}:identity/{domain}",
        "verificationToken": _h("verify", domain, length=44),
    }


def _dkim(name: str, inputs: dict[str, Any], region: str, account: str) -> tuple[str | None, dict[str, Any]]:
    domain = str(inputs.get("domain", name))
    return domain, {"dkimTokens": [_h("dkim", domain, str(i), length=32) for i in range(3)]}


def _trail(name: str, inputs: dict[str, Any], region: str, account: str) -> tuple[str | None, dict[str, Any]]:
    trail = str(inputs.get("name", name))
    arn = f"arn:aws:cloudtrail:{region}:{account}:trail/{trail}"
    return arn, {"arn": arn}


def _waf(kind: str) -> Extra:
    def compute(name: str, inputs: dict[str, Any], region: str, account: str) -> tuple[str | None, dict[str, Any]]:
        waf_id = f"{_h(kind, name)}-{_h(kind, name, 'x', length=4)}"
        physical = str(inputs.get("name") or name)
        return waf_id, {"arn": f"arn:aws:wafv2:{region}:{account}:regional/{kind}/{physical}/{waf_id}"}

    return compute


def _detector(name: str, inputs: dict[str, Any], region: str, account: str) -> tuple[str | None, dict[str, Any]]:
    return _h("detector", name, region, account, length=32), {}


EXTRAS: dict[str, Extra] = {
    "aws:organizations/organization:Organization": _organization,
    "aws:organizations/organizationalUnit:OrganizationalUnit": _ou,
    "aws:organizations/policy:Policy": _policy,
    "aws:acm/certificate:Certificate": _certificate,
    "aws:route53/record:Record": _record,
    "aws:ses/domainIdentity:DomainIdentity": _ses_identity,
    "aws:ses/domainDkim:DomainDkim": _dkim,
    "aws:cloudtrail/trail:Trail": _trail,
    "aws:wafv2/webAcl:WebAcl": _waf("webacl"),
    "aws:wafv2/ipSet:IpSet": _waf("ipset"),
    "aws:guardduty/detector:Detector": _detector,
}


@contextmanager
def platform_outputs(options: dict[str, dict[str, Any]] | None = None) -> Iterator[None]:
    """Extend the shared mocks' computed outputs for the duration of the block.

    ``options`` (when given) receives each resource's ``protect`` and
    ``ignoreChanges`` options by URN, which the shared recording leaves out.
    """
    original = RecordingMocks.compute
    original_register = RecordingMonitor.RegisterResource

    def register(self: RecordingMonitor, request: Any) -> Any:
        response = original_register(self, request)
        if options is not None:
            urn = self.make_urn(request.parent, request.type, request.name)
            with self.lock:
                options[urn] = {"protect": bool(request.protect), "ignoreChanges": list(request.ignoreChanges)}
        return response

    def compute(
        self: RecordingMocks, typ: str, name: str, inputs: dict[str, Any], region: str, account: str
    ) -> tuple[str, dict[str, Any]]:
        rid, state = original(self, typ, name, inputs, region, account)
        extra = EXTRAS.get(typ)
        if extra is None:
            return rid, state
        new_id, more = extra(name, inputs, region, account)
        rid = new_id or rid
        state.update(more)
        state["id"] = rid
        return rid, state

    RecordingMocks.compute = compute  # type: ignore[method-assign]
    RecordingMonitor.RegisterResource = register  # type: ignore[method-assign]
    try:
        yield
    finally:
        RecordingMocks.compute = original  # type: ignore[method-assign]
        RecordingMonitor.RegisterResource = original_register  # type: ignore[method-assign]


_OPTIONS: dict[int, dict[str, dict[str, Any]]] = {}


def run(fn: Callable[[], Any], **kwargs: Any) -> Run:
    options: dict[str, dict[str, Any]] = {}
    with platform_outputs(options):
        result = pulumi_mocks.run(fn, **kwargs)
    _OPTIONS[id(result)] = options
    return result


def resource_options(result: Run, urn: str) -> dict[str, Any]:
    """``protect`` and ``ignoreChanges`` of a resource registered by ``run``."""
    return _OPTIONS[id(result)][urn]


def assert_all_under(result: Run, component_urn: str) -> None:
    """Every resource except providers and the component itself descends from the component."""
    descendants = {r.urn for r in result.descendants_of(component_urn)}
    strays = [
        r.urn
        for r in result.resources
        if r.urn != component_urn and not r.type.startswith("pulumi:providers:") and r.urn not in descendants
    ]
    assert not strays, f"resources outside {component_urn}: {strays}"
    children = result.children_of(component_urn)
    assert children, f"{component_urn} has no children"
