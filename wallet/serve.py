"""Serve the web app: gunicorn by default, Flask's debug server with ``--debug``.

On the embedded defaults the relay and job worker run as threads inside the web process, so one
command gives a working wallet. In production run
``gunicorn -c python:wallet.gunicorn_conf wsgi:app`` and ``wallet worker``; both use the settings of
``wallet.gunicorn_conf``.
"""

from __future__ import annotations

import typing as t

from flask import Flask
from gunicorn.app.base import BaseApplication

from wallet import gunicorn_conf
from wallet.app import create_app
from wallet.events import worker as background


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn serving an app built by ``create_app`` in each worker process."""

    def __init__(self, options: dict[str, t.Any], with_worker: bool) -> None:
        self.options = options
        self.with_worker = with_worker
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            # A setting this gunicorn does not have yet (an older release) is left out.
            if key in self.cfg.settings:
                self.cfg.set(key, value)
        if self.with_worker:
            self.cfg.set("post_worker_init", _start_background)
            self.cfg.set("worker_exit", _stop_background)

    def load(self) -> Flask:
        return create_app()


_handles: dict[int, background.Background] = {}


def _start_background(worker: t.Any) -> None:
    app: Flask = worker.wsgi
    _handles[id(worker)] = background.start_in_background(app.extensions["wallet"])


def _stop_background(_server: t.Any, worker: t.Any) -> None:
    handle = _handles.pop(id(worker), None)
    if handle is not None:
        handle.stop()


def run(*, host: str, port: int, debug: bool, workers: int, with_worker: bool) -> None:
    """Serve until interrupted."""
    if debug:
        app = create_app()
        handle = background.start_in_background(app.extensions["wallet"]) if with_worker else None
        try:
            app.run(host=host, port=port, debug=True, use_reloader=False, threaded=True)
        finally:
            if handle is not None:
                handle.stop()
        return
    options = gunicorn_conf.settings() | {"bind": f"{host}:{port}", "workers": workers}
    _Gunicorn(options, with_worker).run()
