"""Health and readiness probes, as a load balancer or operator sees them."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient


def test_healthz_says_the_process_is_up(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_reports_database_and_redis_ok(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"database": "ok", "redis": "ok"}
