"""gunicorn's production settings: ``gunicorn -c python:wallet.gunicorn_conf wsgi:app``.

gunicorn reads the module-level names below; ``wallet run`` starts gunicorn with the same
:func:`settings`. Override any of them on the command line or in ``GUNICORN_CMD_ARGS`` (for
example ``GUNICORN_CMD_ARGS="--workers 8"``): gunicorn gives both precedence over this file.

Sizing: the app spends most of a request waiting on PostgreSQL and Redis, so each process runs a
few threads, and there are two processes a core so one process's GIL never holds a core idle.
Workers restart after a jittered number of requests, so a slow leak cannot grow without bound and
the workers never restart all at once. The app is loaded once in the master (``preload_app``):
workers start faster and share its memory pages; each worker then drops the database connections
it inherited (:func:`post_fork`), since a connection must never be shared by two processes.
"""

from __future__ import annotations

import os
import typing as t

#: Threads per worker process.
THREADS = 4


def settings(cpu_count: int | None = None) -> dict[str, t.Any]:
    """Return the production settings for a machine with ``cpu_count`` cores (default: this one)."""
    cores = cpu_count or os.cpu_count() or 1
    return {
        "workers": max(2, 2 * cores),
        "worker_class": "gthread",
        "threads": THREADS,
        # A worker whose main loop is silent this long is stuck and replaced. With gthread a long
        # request runs in a thread and does not count: slow work is a job all the same.
        "timeout": 30,
        "graceful_timeout": 20,
        # Longer than a load balancer keeps an idle connection (60 s on most): the balancer, not
        # gunicorn, must close it, or a request it sends on a closing connection is lost.
        "keepalive": 75,
        "max_requests": 2000,
        "max_requests_jitter": 400,
        "preload_app": True,
        "accesslog": "-",
        "errorlog": "-",
        # gunicorn 25+ opens a control socket at one fixed path per user: two masters on a host
        # (a blue/green deploy, a bench beside the app) would take it from each other.
        "control_socket_disable": True,
        "post_fork": post_fork,
    }


def post_fork(_server: t.Any, worker: t.Any) -> None:
    """Drop the pooled database connections the worker inherited from the master."""
    # Set only when the master loaded the app (preload_app); else the worker loads its own.
    app = getattr(worker.app, "callable", None)
    runtime = getattr(app, "extensions", {}).get("wallet")
    if runtime is not None:
        runtime.db.engine.dispose(close=False)


_SETTINGS = settings()
workers = _SETTINGS["workers"]
worker_class = _SETTINGS["worker_class"]
threads = _SETTINGS["threads"]
timeout = _SETTINGS["timeout"]
graceful_timeout = _SETTINGS["graceful_timeout"]
keepalive = _SETTINGS["keepalive"]
max_requests = _SETTINGS["max_requests"]
max_requests_jitter = _SETTINGS["max_requests_jitter"]
preload_app = _SETTINGS["preload_app"]
accesslog = _SETTINGS["accesslog"]
errorlog = _SETTINGS["errorlog"]
control_socket_disable = _SETTINGS["control_socket_disable"]
