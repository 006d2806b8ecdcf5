"""TLS endpoints negotiate only forward-secret key exchanges (ECDHE or TLS 1.3) (ENC-05).

A load balancer's HTTPS or TLS listener offers the ciphers of its security policy. AWS states which
policies provide forward secrecy: "Policies that support only TLS 1.3 support forward secrecy (FS).
Policies that support TLS 1.3 and TLS 1.2 that have only ciphers of the format TLS_* and ECDHE_* also
provide FS" (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html).
The policies below are those; a policy not known to be forward-secret (the ``Ext`` variants add RSA
key exchange, ``ELBSecurityPolicy-TLS-1-2-2017-01`` offers ``AES128-GCM-SHA256``) fails rather than
being taken on trust. CloudFront's TLSv1.2_2021 and newer viewer policies are ECDHE-only and are
required by ``cloudfront_tls`` (ENC-03).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView
from policies.rules._common.values import text

LISTENERS = frozenset({"aws:lb/listener:Listener", "aws:alb/listener:Listener"})
FORWARD_SECRET_POLICY = re.compile(
    r"^ELBSecurityPolicy-("
    r"TLS13-1-3-[A-Za-z0-9-]+"  # TLS 1.3 only
    r"|TLS13-1-2-2021-06|TLS13-1-2-Res-[A-Za-z0-9-]+"  # TLS 1.3 + TLS 1.2 with ECDHE ciphers only
    r"|FS-1-2-Res-2020-10|FS-1-2-Res-2019-08|FS-1-2-2019-08"  # the forward-secrecy (FS) policies
    r")$"
)
DEFAULT_POLICY = "ELBSecurityPolicy-2016-08"
EXPECTED = (
    "an sslPolicy offering only forward-secret key exchange (e.g. ELBSecurityPolicy-TLS13-1-2-2021-06, "
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06, ELBSecurityPolicy-FS-1-2-Res-2020-10)"
)


class TlsForwardSecrecy(ResourceRule):
    id = "tls_forward_secrecy"
    resource_types = LISTENERS
    description = (
        "HTTPS and TLS listeners use a security policy that offers only forward-secret (ECDHE, TLS 1.3)"
        " ciphers."
    )
    remediation = (
        'Set ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06" (or ELBSecurityPolicy-TLS13-1-2-Res-2021-06, '
        "ELBSecurityPolicy-FS-1-2-Res-2020-10) on every HTTPS/TLS listener."
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        protocol = (text(resource.props.get("protocol")) or "").upper()
        if protocol not in ("HTTPS", "TLS"):
            return
        policy = text(resource.props.get("sslPolicy"))
        if policy is None:
            yield Failure(
                f"sslPolicy is not set (ELB applies {DEFAULT_POLICY}, which offers RSA key exchange)",
                EXPECTED,
            )
        elif not FORWARD_SECRET_POLICY.match(policy):
            yield Failure(f"sslPolicy {policy} is not known to offer only forward-secret ciphers", EXPECTED)
