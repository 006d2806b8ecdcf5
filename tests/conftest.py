"""Suite-wide settings."""

from __future__ import annotations

import os

import pytest

# The gate's result cache is a property of a user's machine or a CI job: tests that exercise it pass
# their own --cache-dir; every other test runs without it, so no result leaks from one test to another.
os.environ.setdefault("TENANTCTL_NO_CACHE", "1")


@pytest.fixture(autouse=True)
def _checkov_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    # The project's setting runs checkov in every `check` when CI is true; a test that wants checkov says
    # so (--with-checkov or the checkov Scan), so the rest of the suite does not pay a checkov run each.
    monkeypatch.setenv("TENANTCTL_WITH_CHECKOV", "0")
