"""CloudFront serves viewers over TLS 1.2+ only, reaches origins over TLS 1.2, and sends HSTS (ENC-03).

- ``viewerCertificate``: not the CloudFront default certificate (it pins the
  minimum to TLSv1), and ``minimumProtocolVersion`` TLSv1.2_2021 or newer
  (absent means TLSv1).
- Every cache behavior (default and ordered) has ``viewerProtocolPolicy``
  ``redirect-to-https`` or ``https-only``.
- Every custom origin has ``originProtocolPolicy`` ``https-only`` and
  ``originSslProtocols`` exactly TLSv1.2 (S3 origins follow the viewer's protocol).
- Every cache behavior has a ``responseHeadersPolicyId`` whose policy sends
  ``Strict-Transport-Security`` with max-age of at least one year: a response
  headers policy of the stack, or one of AWS's managed policies that include it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from policies.framework import (
    Failure,
    NotApplicable,
    ResourceView,
    StackRule,
    StackView,
    as_list,
    dig,
    truthy,
)
from policies.rules._common.unknowns import read
from policies.rules._common.values import number, shown_number, single, strings, text
from policies.rules._net.common import Links, links_of
from policies.rules._net.entry import DISTRIBUTION

RESPONSE_HEADERS_POLICY = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"
# AWS managed response headers policies that send Strict-Transport-Security: max-age=31536000.
MANAGED_HSTS_POLICIES = {
    "67f7725c-6f97-4210-82d7-5512b31e9d03": "Managed-SecurityHeadersPolicy",
    "e61eb60c-9c35-4d20-a928-2b84e02af89c": "Managed-CORS-and-SecurityHeadersPolicy",
    "eaab4381-ed33-4a86-88ca-d9558dc6cd63": "Managed-CORS-with-preflight-and-SecurityHeadersPolicy",
}
MIN_HSTS_SECONDS = 31536000
_VIEWER_POLICY = re.compile(r"^TLSv1\.(?P<minor>\d)_(?P<year>\d{4})\Z")
EXPECTED_CERTIFICATE = "an ACM certificate with minimumProtocolVersion TLSv1.2_2021 or newer"
EXPECTED_VIEWER = "viewerProtocolPolicy redirect-to-https or https-only"
EXPECTED_ORIGIN = "originProtocolPolicy https-only with originSslProtocols [TLSv1.2]"
EXPECTED_HSTS = (
    "a responseHeadersPolicyId whose policy sends Strict-Transport-Security with max-age >="
    f" {MIN_HSTS_SECONDS} (e.g. the managed SecurityHeadersPolicy 67f7725c-6f97-4210-82d7-5512b31e9d03)"
)


def is_modern_viewer_policy(version: str) -> bool:
    """TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025 and later dated variants."""
    match = _VIEWER_POLICY.match(version)
    if match is None:
        return False
    minor, year = int(match.group("minor")), int(match.group("year"))
    return minor >= 3 or (minor == 2 and year >= 2021)


def _behaviors(distribution: ResourceView) -> list[tuple[str, str, Mapping[str, Any]]]:
    """(property, label, block) for the default and every ordered cache behavior."""
    found: list[tuple[str, str, Mapping[str, Any]]] = []
    # Single blocks may be written as an object or a one-element list.
    default = single(distribution.props.get("defaultCacheBehavior"))
    if default is not None:
        found.append(("defaultCacheBehavior", "defaultCacheBehavior", default))
    for index, block in enumerate(as_list(distribution.props.get("orderedCacheBehaviors"))):
        if isinstance(block, Mapping):
            pattern = text(block.get("pathPattern"))
            label = f"orderedCacheBehaviors[{index}]" + (f" ({pattern})" if pattern else "")
            found.append(("orderedCacheBehaviors", label, block))
    return found


class CloudfrontTls(StackRule):
    id = "cloudfront_tls"
    description = (
        "CloudFront distributions accept viewers only over HTTPS with TLSv1.2_2021 or newer, reach custom "
        "origins over HTTPS with TLS 1.2 only, and send HSTS with max-age of at least one year."
    )
    remediation = (
        "Use an ACM certificate (us-east-1) with minimum_protocol_version TLSv1.2_2021,"
        " viewer_protocol_policy redirect-to-https on every cache behavior, origin_protocol_policy https-only"
        ' with origin_ssl_protocols ["TLSv1.2"], and response_headers_policy_id set to the managed'
        " SecurityHeadersPolicy or a policy with strict_transport_security access_control_max_age_sec >="
        " 31536000."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        distributions = links.of(DISTRIBUTION)
        if not distributions:
            raise NotApplicable("the stack declares no CloudFront distribution")
        for distribution in distributions:
            yield from self._certificate(distribution)
            yield from self._origins(distribution)
            for prop, label, behavior in _behaviors(distribution):
                viewer = text(behavior.get("viewerProtocolPolicy"))
                if viewer not in ("redirect-to-https", "https-only"):
                    yield Failure(
                        f"{label} viewerProtocolPolicy is {viewer or 'not set'}",
                        EXPECTED_VIEWER,
                        distribution.urn,
                    )
                problem = self._hsts(links, distribution, prop, behavior)
                if problem is not None:
                    yield Failure(f"{label} {problem}", EXPECTED_HSTS, distribution.urn)

    def _certificate(self, distribution: ResourceView) -> Iterator[Failure]:
        certificate = single(distribution.props.get("viewerCertificate"))
        if certificate is None or truthy(certificate.get("cloudfrontDefaultCertificate")):
            yield Failure(
                "viewerCertificate uses the CloudFront default certificate, whose minimum protocol is TLSv1",
                EXPECTED_CERTIFICATE,
                distribution.urn,
            )
            return
        version = text(certificate.get("minimumProtocolVersion"))
        if version is None:
            yield Failure(
                "viewerCertificate.minimumProtocolVersion is not set (CloudFront defaults to TLSv1)",
                EXPECTED_CERTIFICATE,
                distribution.urn,
            )
        elif not is_modern_viewer_policy(version):
            yield Failure(
                f"viewerCertificate.minimumProtocolVersion is {version}",
                EXPECTED_CERTIFICATE,
                distribution.urn,
            )

    def _origins(self, distribution: ResourceView) -> Iterator[Failure]:
        for index, origin in enumerate(as_list(distribution.props.get("origins"))):
            custom = single(dig(origin, "customOriginConfig"))
            if custom is None:
                continue
            label = (
                f"origins[{index}]"
                f" ({text(dig(origin, 'originId')) or text(dig(origin, 'domainName')) or '?'})"
            )
            policy = text(custom.get("originProtocolPolicy"))
            if policy != "https-only":
                yield Failure(
                    f"{label} customOriginConfig.originProtocolPolicy is {policy or 'not set'}",
                    EXPECTED_ORIGIN,
                    distribution.urn,
                )
            protocols = strings(custom.get("originSslProtocols"))
            weak = [p for p in protocols if p != "TLSv1.2"]
            if weak or not protocols:
                shown = ", ".join(protocols) if protocols else "not set"
                yield Failure(
                    f"{label} customOriginConfig.originSslProtocols is [{shown}]",
                    EXPECTED_ORIGIN,
                    distribution.urn,
                )

    def _hsts(
        self, links: Links, distribution: ResourceView, prop: str, behavior: Mapping[str, Any]
    ) -> str | None:
        policy_id = text(read(behavior, "responseHeadersPolicyId"))
        if policy_id is None:
            return "has no responseHeadersPolicyId, so no Strict-Transport-Security header is sent"
        if policy_id in MANAGED_HSTS_POLICIES:
            return None
        policy = links.one(distribution, prop, (RESPONSE_HEADERS_POLICY,), policy_id)
        if policy is None:
            return (
                f"responseHeadersPolicyId {policy_id} is neither a response headers policy of this stack nor"
                " a managed policy that sends HSTS"
            )
        hsts = dig(policy.props, "securityHeadersConfig", "strictTransportSecurity")
        if not isinstance(hsts, Mapping):
            return (
                f"uses response headers policy {policy.name}, which has no"
                " securityHeadersConfig.strictTransportSecurity"
            )
        max_age = number(hsts.get("accessControlMaxAgeSec"))
        if max_age is None or max_age < MIN_HSTS_SECONDS:
            return (
                f"uses response headers policy {policy.name}, whose"
                f" strictTransportSecurity.accessControlMaxAgeSec is {shown_number(max_age)}"
            )
        return None
