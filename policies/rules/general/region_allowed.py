"""Every regional AWS resource lives in Tokyo or Osaka (RES-01).

Global services are exempt, as AWS's own region-deny examples exempt them (and
as the tenant SCP's NotAction list does): IAM, Organizations, Route 53 (not its
resolver or Profiles, which live in a VPC's region) and Route 53 Domains,
CloudFront, WAF for CloudFront (WAF Classic global and CLOUDFRONT-scope WAFv2,
including the rules, rule group associations and logging configuration of a
CLOUDFRONT-scope web ACL), Shield, Budgets, Cost Explorer and Account. The ACM
certificate a CloudFront distribution serves (and its validation) must be in
us-east-1 and is exempt there. Where such a resource sends data is not: the log
group, bucket or stream a CLOUDFRONT-scope web ACL logs to is judged like any
other resource.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.framework import Failure, ResourceView, StackRule, StackView, as_list
from policies.parameters import JAPAN_REGIONS
from policies.rules._common.unknowns import peek, read, require_known
from policies.rules._net.common import Links, links_of

# Services whose control plane is global.
GLOBAL_MODULES = frozenset(
    {
        "iam",
        "organizations",
        "cloudfront",
        "shield",
        "budgets",
        "costexplorer",
        "account",
        "waf",
        "route53domains",
    }
)
# Route 53 is global except the resolver and Route 53 Profiles, which live in a VPC's region.
ROUTE53_REGIONAL_PREFIXES = ("aws:route53/resolver", "aws:route53/profiles")
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
# WAFv2 resources without a scope of their own take the scope of the web ACL they attach to.
WEB_ACL_ATTACHMENTS = {
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "resourceArn",
    "aws:wafv2/webAclRule:WebAclRule": "webAclArn",
    "aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation": "webAclArn",
}
# CLOUDFRONT-scope web ACL ARNs: arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>.
CLOUDFRONT_ACL_ARN_PART = ":global/webacl/"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
CERTIFICATE = "aws:acm/certificate:Certificate"
CERTIFICATE_VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
CLOUDFRONT_CERTIFICATE_REGION = "us-east-1"


def global_by_type(resource: ResourceView) -> bool:
    """A resource of a global service, told by its type alone."""
    if resource.module in GLOBAL_MODULES:
        return True
    return resource.module == "route53" and not resource.type.startswith(ROUTE53_REGIONAL_PREFIXES)


def _cloudfront_scope(resource: ResourceView) -> bool:
    return str(resource.props.get("scope", "")).upper() == "CLOUDFRONT"


def cloudfront_scoped(resource: ResourceView) -> bool:
    """A WAFv2 web ACL, IP set, rule group, regex pattern set or API key with scope CLOUDFRONT."""
    return (
        resource.type.startswith("aws:wafv2/")
        and resource.type not in WEB_ACL_ATTACHMENTS
        and _cloudfront_scope(resource)
    )


def attaches_to_cloudfront_acl(links: Links, resource: ResourceView) -> bool:
    """A WAFv2 logging configuration, rule or rule group association of a CLOUDFRONT-scope web ACL:
    the web ACL behind its property dependency, else the one its literal ARN names, else the ARN's form."""
    prop = WEB_ACL_ATTACHMENTS[resource.type]
    acls = links.deps(resource, prop, (WEB_ACL,))
    if acls:
        return all(_cloudfront_scope(acl) for acl in acls)
    arn = read(resource.props, prop)
    acls = links.by_value(arn, (WEB_ACL,))
    if acls:
        return all(_cloudfront_scope(acl) for acl in acls)
    # An unknown ARN that no dependency explains cannot be told to be a CloudFront web ACL's.
    return CLOUDFRONT_ACL_ARN_PART in str(require_known(arn, prop))


def _viewer_certificate_arn(distribution: ResourceView) -> Any:
    """``viewerCertificate.acmCertificateArn`` (object or one-element list), None where unknown in a
    preview."""
    blocks = as_list(peek(distribution.props, "viewerCertificate"))
    block = blocks[0] if len(blocks) == 1 else None
    return peek(block, "acmCertificateArn") if isinstance(block, Mapping) else None


def cloudfront_certificate_urns(links: Links) -> set[str]:
    """ACM certificates a distribution serves (CloudFront requires them in us-east-1), and their
    validations."""
    urns: set[str] = set()
    for distribution in links.of(DISTRIBUTION):
        urns.update(
            r.urn
            for r in links.deps(distribution, "viewerCertificate", (CERTIFICATE, CERTIFICATE_VALIDATION))
        )
        urns.update(r.urn for r in links.by_value(_viewer_certificate_arn(distribution), (CERTIFICATE,)))
    for validation in links.of(CERTIFICATE_VALIDATION):
        certificates = links.deps(validation, "certificateArn", (CERTIFICATE,)) or links.by_value(
            peek(validation.props, "certificateArn"), (CERTIFICATE,)
        )
        if validation.urn in urns:
            urns.update(c.urn for c in certificates)
        elif any(c.urn in urns for c in certificates):
            urns.add(validation.urn)
    return urns


class RegionAllowed(StackRule):
    id = "region_allowed"
    description = "Every regional AWS resource is in ap-northeast-1 (Tokyo) or ap-northeast-3 (Osaka)."
    remediation = (
        "Create the resource through a provider for ap-northeast-1 or ap-northeast-3, "
        "or set its `region` input to one of them."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        cloudfront_certificates: set[str] | None = None
        allowed = " or ".join(JAPAN_REGIONS)
        for resource in stack.resources:
            if resource.package != "aws" or global_by_type(resource):
                continue
            region = resource.region
            # Exemptions that read properties are looked at only outside Japan (fewer preview unknowns
            # touched).
            if region in JAPAN_REGIONS or cloudfront_scoped(resource):
                continue
            if resource.type in WEB_ACL_ATTACHMENTS and attaches_to_cloudfront_acl(links, resource):
                continue
            if region == CLOUDFRONT_CERTIFICATE_REGION and resource.type in (
                CERTIFICATE,
                CERTIFICATE_VALIDATION,
            ):
                if cloudfront_certificates is None:
                    cloudfront_certificates = cloudfront_certificate_urns(links)
                if resource.urn in cloudfront_certificates:
                    continue
            if region is None:
                yield Failure(
                    "has no region (no `region` input, provider or aws:region config)", allowed, resource.urn
                )
            else:
                yield Failure(f"is in region {region}", allowed, resource.urn)
