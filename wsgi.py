"""The WSGI entry point, and the only module-level app: ``gunicorn wsgi:app``."""

from __future__ import annotations

from wallet import create_app

app = create_app()
