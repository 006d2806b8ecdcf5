"""Suite-wide settings."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _checkov_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    # The project's setting runs checkov in every `check` when CI is true; a test that wants checkov says
    # so (--with-checkov or the checkov Scan), so the rest of the suite does not pay a checkov run each.
    monkeypatch.setenv("TENANTCTL_WITH_CHECKOV", "0")
