"""The sandbox's moto server process: moto's WSGI application under werkzeug's threaded server, as
``python -m moto.server`` runs it, minus two costs that serialize its request threads.

Profiled under a concurrent audit (py-spy on the server process), about a quarter of the server's samples
were outside moto's handlers:

* moto's dispatcher maps each request's host to a backend by listing moto's package directory and
  testing every entry with ``isdir`` (``moto.backends.list_of_moto_modules``), then matching some
  hundreds of URL patterns; it does so while holding the one lock that every request thread takes. The
  answer depends only on the host string and the installed moto, so it is computed once per host.
* werkzeug logs a line per request through one logging handler (a lock and a write to the log file per
  request). Requests are not logged; warnings and errors still are.

Usage: ``python -m tenantctl.lifecycle.motoserver HOST PORT`` (only ever bound to 127.0.0.1 by the sandbox).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple

from tenantctl.lifecycle import motoram


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


def _exit(signum: int, frame: Any) -> None:
    sys.exit(0)


def main(argv: list[str] | None = None) -> None:
    host, port = (argv if argv is not None else sys.argv[1:])[:2]
    # moto builds some URLs it returns (queue URLs, for example) from MOTO_PORT, as its own server sets it.
    os.environ.setdefault("MOTO_PORT", port)
    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGINT, _exit)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    motoram.install()
    run_simple(host, int(port), CachedDispatcher(), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
