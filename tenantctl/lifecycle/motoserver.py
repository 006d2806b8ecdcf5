"""The sandbox's moto server process: moto's WSGI application under werkzeug's threaded server, as
``python -m moto.server`` runs it, minus costs that every request paid and that depend on nothing the
request carries.

The server is one Python process: its CPU time per request bounds how fast any client, however
concurrent, can audit a fleet. Profiled under an audit (py-spy on the server process, samples holding the
interpreter lock), these were outside moto's handlers or repeated the same answer:

* moto's dispatcher maps each request's host to a backend by listing moto's package directory and
  testing every entry with ``isdir`` (``moto.backends.list_of_moto_modules``), then matching some
  hundreds of URL patterns; it does so while holding the one lock that every request thread takes. The
  answer depends only on the host string and the installed moto, so it is computed once per host.
* moto finds an action's handler by listing the response class's functions with ``inspect.getmembers``
  on every request (``moto.core.utils.method_names_from_class``, 8% of the server's samples); the list
  depends only on the class, so it is kept per class.
* moto finds the account a request acts in by testing its access key against every account's IAM backend
  in every partition (``moto.iam.models.get_account_id_from``): its cost grows with the number of accounts
  (0.1 ms a request with 53, about 5% of the server's time). An access key belongs to one account for
  as long as it exists, so the account found is kept per key and checked with one lookup.
* werkzeug's threaded server starts a new thread for each connection, and every request comes on a new
  connection (werkzeug closes each one after its response); a pool of started threads serves them.
* werkzeug logs a line per request through one logging handler (a lock and a write to the log file per
  request). Requests are not logged; warnings and errors still are.

It also answers the RAM request that moto lacks and the audit makes (``motoram``).

Usage: ``python -m tenantctl.lifecycle.motoserver HOST PORT`` (only ever bound to 127.0.0.1 by the sandbox).
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

import moto.core.responses
import moto.iam.models
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from moto.utilities.utils import PARTITION_NAMES
from werkzeug.serving import ThreadedWSGIServer

from tenantctl.lifecycle import motoram

# Requests handled at once; more wait, accepted, for a free thread (an audit keeps a few in flight).
REQUEST_THREADS = 32
# A connection that sends nothing for this long is closed: with a fixed pool, idle clients must not hold
# every thread.
IDLE_CONNECTION_SECONDS = 60


class CachedDispatcher(DomainDispatcherApplication):
    """moto's dispatcher with the host -> backend lookup memoized (a pure function of the host string)."""

    def __init__(self) -> None:
        super().__init__(create_backend_app)
        self._backend_for_host: dict[str | None, Any] = {}

    def get_backend_for_host(self, host: str | None) -> Any:
        # moto calls this only while holding ``self.lock``, so the dictionary needs no lock of its own.
        if host not in self._backend_for_host:
            self._backend_for_host[host] = super().get_backend_for_host(host)
        return self._backend_for_host[host]


def remember_handler_names() -> None:
    """Make moto's per-request listing of a response class's handler names a lookup per class."""
    listing: Callable[[object], list[str]] = moto.core.responses.method_names_from_class  # type: ignore[attr-defined]
    names: dict[object, list[str]] = {}

    def method_names_from_class(clazz: object) -> list[str]:
        # Races only compute the same list twice; the dictionary stays consistent under the GIL.
        if clazz not in names:
            names[clazz] = listing(clazz)
        return names[clazz]

    moto.core.responses.method_names_from_class = method_names_from_class  # type: ignore[attr-defined]


def remember_accounts_of_access_keys() -> None:
    """Make moto's search for the account of an access key a lookup per key, checked against the account's
    keys on every use (a deleted key is searched again, and so ends where moto's search ends)."""
    search: Callable[[str], str] = moto.iam.models.get_account_id_from
    backends = moto.iam.models.iam_backends
    found: dict[str, tuple[str, str]] = {}

    def get_account_id_from(access_key: str) -> str:
        if access_key in found:
            account_id, partition = found[access_key]
            if access_key in backends[account_id][partition].access_keys:
                return account_id
        account_id = search(access_key)
        for partition in PARTITION_NAMES:
            if access_key in backends[account_id][partition].access_keys:
                found[access_key] = (account_id, partition)
                break
        return account_id

    # moto's BaseResponse imports the function from its module on each request, so replacing it there is
    # enough
    moto.iam.models.get_account_id_from = get_account_id_from


class PooledRequestHandler(MotoRequestHandler):
    timeout = IDLE_CONNECTION_SECONDS


class PooledWSGIServer(ThreadedWSGIServer):
    """werkzeug's threaded WSGI server with each connection handed to a pool of started threads (daemon
    threads, as werkzeug's: stopping the server never waits for a client that keeps its connection open)."""

    def __init__(self, host: str, port: int, app: Any, threads: int = REQUEST_THREADS) -> None:
        super().__init__(host, port, app, handler=PooledRequestHandler)
        self._connections: queue.SimpleQueue[tuple[Any, Any]] = queue.SimpleQueue()
        for number in range(threads):
            threading.Thread(target=self._serve_connections, name=f"request-{number}", daemon=True).start()

    def process_request(self, request: Any, client_address: Any) -> None:
        self._connections.put((request, client_address))

    def _serve_connections(self) -> None:
        while True:
            # finish_request, then shutdown_request, errors to handle_error: as werkzeug's own threads
            self.process_request_thread(*self._connections.get())


def _exit(signum: int, frame: Any) -> None:
    sys.exit(0)


def main(argv: list[str] | None = None) -> None:
    host, port = (argv if argv is not None else sys.argv[1:])[:2]
    # moto builds some URLs it returns (queue URLs, for example) from MOTO_PORT, as its own server sets it.
    os.environ.setdefault("MOTO_PORT", port)
    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGINT, _exit)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    remember_handler_names()
    remember_accounts_of_access_keys()
    motoram.install()
    PooledWSGIServer(host, int(port), CachedDispatcher()).serve_forever()


if __name__ == "__main__":
    main()
