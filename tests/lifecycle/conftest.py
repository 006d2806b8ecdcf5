"""Shared fixtures: an in-process moto organization (``mock_aws``) for the check and workflow tests, and one
real ``moto_server`` process per test session for the end-to-end tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# moto loads thousands of AMIs into each new EC2 region backend unless told not to; these tests use none.
os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
for _name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
    os.environ.setdefault(_name, "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "ap-northeast-1")


def _install_moto_ram() -> None:
    # Imported once the environment above is set. The sandbox's server answers RAM's OTHER-ACCOUNTS queries,
    # which moto lacks; so does the in-process moto of these tests.
    from tenantctl.lifecycle import motoram

    motoram.install()


_install_moto_ram()


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A moto server on 127.0.0.1 for the whole session (started like the sandbox starts it)."""
    from tenantctl.lifecycle import sandbox

    state = tmp_path_factory.mktemp("sandbox-state")
    os.environ[sandbox.STATE_ENV] = str(state)
    process, endpoint = sandbox.start_server()
    try:
        yield endpoint
    finally:
        sandbox.stop_pid(process.pid)
        process.wait(timeout=10)
