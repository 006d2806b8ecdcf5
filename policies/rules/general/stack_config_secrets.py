"""A stack's config file stores no credential in plain text (ENC-04).

``Pulumi.<stack>.yaml`` sits in the repository: a password or key written there in plain text is readable
by everyone who can read the repository, its forks and CI logs. ``pulumi config set --secret`` stores the
value encrypted (``secure:``) with the stack's secrets provider
(https://www.pulumi.com/docs/iac/concepts/secrets/#secrets). A plain-text entry is a credential when a key
on its path names one (password, secret, token, API key, private key, credential, access key: the same
reading as ``no_plaintext_secrets``), or when its value has the shape of one: an AWS access key ID
(``AKIA``/``ASIA`` and 16 characters), a 40-character AWS secret access key, a PEM private key, or a
GitHub, Slack or Stripe token. Values that are references (ARNs), empty, or not strings are not
credentials. The finding names the file and the key, never the value.

Only ``tenantctl check`` shows the policies the stack's config file; under the Pulumi engine the rule is not
applicable (the engine hands policies decrypted config, in which a secret and plain text look the same).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from policies.framework import Failure, NotApplicable, StackRule, StackView
from policies.rules.general.no_plaintext_secrets import names_a_credential

# Shapes of credentials that no name needs to announce.
_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an AWS access key ID", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    # 40 base64 characters, with upper and lower case and a digit (a lower-case hex digest is not one).
    (
        "an AWS secret access key",
        re.compile(
            r"(?<![A-Za-z0-9/+])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*\d)"
            r"[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"
        ),
    ),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("a GitHub token", re.compile(r"\b(ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Stripe secret key", re.compile(r"\b[sr]k_live_[A-Za-z0-9]{16,}")),
)


def _shape(value: str) -> str | None:
    for what, pattern in _SHAPES:
        if pattern.search(value):
            return what
    return None


def _leaves(value: Any, path: str) -> Iterator[tuple[str, str, str]]:
    """(path, last key name, value) of every string in a config value; ``path`` is ``key.sub[0].leaf``."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from ((p, n, v) for p, n, v in _leaves(item, f"{path}.{key}"))
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, re.split(r"[.:\[]", path)[-1], value


class StackConfigSecrets(StackRule):
    id = "stack_config_secrets"
    description = (
        "The stack's config file stores no credential in plain text; credentials are Pulumi secrets."
    )
    remediation = (
        "Remove the value from the file and set it again with `pulumi config set --secret <key> <value>` "
        "(stored encrypted as `secure:`); rotate the credential, since the plain text stays in the "
        "repository's history."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        config = stack.config
        if config is None:
            raise NotApplicable(
                "the runner shows no stack config file (the Pulumi engine hands policies decrypted config; "
                "tenantctl check reads the file)"
            )
        for key in sorted(config.values):
            for path, name, value in _leaves(config.values[key], key):
                text = value.strip()
                if not text or text.startswith("arn:"):
                    continue
                if names_a_credential(name):
                    why = f"its name {name} says it is a credential"
                else:
                    shape = _shape(text)
                    if shape is None:
                        continue
                    why = f"its value has the shape of {shape}"
                yield Failure(
                    f"{config.file} stores config key {path} in plain text ({why})",
                    f"the value encrypted with `pulumi config set --secret {key}` (stored as secure:)",
                )
