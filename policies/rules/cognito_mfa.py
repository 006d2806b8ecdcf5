"""The service's end users sign in with a second factor (IAM-04).

A Cognito user pool's ``mfaConfiguration`` ``ON`` requires a second factor of every user; ``OPTIONAL``
leaves it to each user and ``OFF`` (the default) to nobody. Repeated failed sign-ins are locked out by
Cognito itself (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior),
and ``userPoolAddOns.advancedSecurityMode`` ``ENFORCED`` adds adaptive authentication that blocks
suspicious sign-ins; the rule requires both settings the program controls.

AWS: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView, dig
from policies.rules._common.values import text

USER_POOL = "aws:cognito/userPool:UserPool"


class CognitoMfa(ResourceRule):
    id = "cognito_mfa"
    resource_types = frozenset({USER_POOL})
    description = "Cognito user pools require MFA of every user and enforce adaptive authentication."
    remediation = (
        'Set mfa_configuration="ON" with software_token_mfa_configuration enabled, and '
        'user_pool_add_ons={"advanced_security_mode": "ENFORCED"}.'
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        mfa = text(resource.props.get("mfaConfiguration")) or "OFF"
        if mfa.upper() != "ON":
            shown = f"{mfa}" if resource.props.get("mfaConfiguration") is not None else "not set (OFF)"
            yield Failure(
                f"mfaConfiguration is {shown}", "mfaConfiguration ON (a second factor for every user)"
            )
        mode = text(dig(resource.props, "userPoolAddOns", "advancedSecurityMode"))
        if (mode or "OFF").upper() != "ENFORCED":
            yield Failure(
                f"userPoolAddOns.advancedSecurityMode is {mode or 'not set (OFF)'}",
                "advancedSecurityMode ENFORCED (adaptive authentication blocks suspicious sign-ins)",
            )
