"""Every regional AWS resource lives in Tokyo or Osaka (RES-01)."""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import ALLOWED_REGIONS, Failure, ResourceView, StackRule, StackView, dig

# Services whose control plane is global: AWS's own region-deny examples exempt them.
GLOBAL_MODULES = frozenset({"iam", "organizations", "cloudfront", "shield", "budgets", "costexplorer", "account"})
# Route 53 is global except the resolver, which lives in a VPC's region.
ROUTE53_REGIONAL_PREFIXES = ("aws:route53/resolver",)
CLOUDFRONT_CERTIFICATE_REGION = "us-east-1"


def is_global(resource: ResourceView) -> bool:
    if resource.module in GLOBAL_MODULES:
        return True
    if resource.module == "route53":
        return not resource.type.startswith(ROUTE53_REGIONAL_PREFIXES)
    if resource.type.startswith("aws:wafv2/"):
        return str(resource.props.get("scope", "")).upper() == "CLOUDFRONT"
    return False


def _cloudfront_certificate_urns(stack: StackView) -> set[str]:
    """Certificates a CloudFront distribution uses: CloudFront requires them in us-east-1."""
    urns: set[str] = set()
    for distribution in stack.of_type("aws:cloudfront/distribution:Distribution"):
        for urn in distribution.property_dependencies.get("viewerCertificate", ()):
            urns.add(urn)
        arn = dig(distribution.props, "viewerCertificate", "acmCertificateArn")
        if isinstance(arn, str):
            for certificate in stack.of_type("aws:acm/certificate:Certificate"):
                if certificate.props.get("arn") == arn:
                    urns.add(certificate.urn)
    return urns


class RegionAllowed(StackRule):
    id = "region_allowed"
    description = "Every regional AWS resource is in ap-northeast-1 (Tokyo) or ap-northeast-3 (Osaka)."
    remediation = (
        "Create the resource through a provider for ap-northeast-1 or ap-northeast-3, "
        "or set its `region` input to one of them."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        cloudfront_certificates = _cloudfront_certificate_urns(stack)
        allowed = " or ".join(ALLOWED_REGIONS)
        for resource in stack.resources:
            if resource.package != "aws" or resource.type.startswith("pulumi:") or is_global(resource):
                continue
            region = resource.region
            if region in ALLOWED_REGIONS:
                continue
            if region == CLOUDFRONT_CERTIFICATE_REGION and resource.urn in cloudfront_certificates:
                continue
            if region is None:
                yield Failure("has no region (no `region` input, provider or aws:region config)", allowed, resource.urn)
            else:
                yield Failure(f"is in region {region}", allowed, resource.urn)
