"""Suite-wide settings."""

from __future__ import annotations

import os

# The gate's result cache is a property of a user's machine or a CI job: tests that exercise it pass
# their own --cache-dir; every other test runs without it, so no result leaks from one test to another.
os.environ.setdefault("TENANTCTL_NO_CACHE", "1")
