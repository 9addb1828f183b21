"""The web edge: security headers, error pages and problem+json, size limits, readiness."""

from __future__ import annotations

import typing as t
from dataclasses import replace

import pytest
from flask import Blueprint
from flask import request

from wallet import errors
from wallet.app import create_app
from wallet.web.security import embeddable

if t.TYPE_CHECKING:
    from pathlib import Path

    from flask import Flask
    from flask.testing import FlaskClient

    from wallet.config import Config


def _app_with_probe_routes(config: Config) -> Flask:
    """Build an app with extra routes that raise, for checking how errors are answered."""
    app = create_app(config)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    probes = Blueprint("probes", __name__)

    @probes.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    @probes.get("/api/v1/boom")
    def api_boom() -> str:
        raise RuntimeError("secret internals")

    @probes.get("/api/v1/missing")
    def api_missing() -> str:
        raise errors.NotFound("No award with this id.")

    @probes.get("/conflict")
    def conflict() -> str:
        raise errors.Conflict("This badge is already in your wallet.")

    @probes.get("/embed")
    @embeddable
    def embed() -> str:
        return "embedded"

    @probes.post("/upload")
    def upload() -> str:
        return f"stored {len(request.form)} fields"

    app.register_blueprint(probes)
    return app


@pytest.fixture
def probe_app(base_config: Config, tmp_path: Path) -> Flask:
    """An app of its own (not the shared one) with routes that raise."""
    return _app_with_probe_routes(
        replace(base_config, instance_path=tmp_path, max_content_length=1024, csrf_enabled=False)
    )


def test_pages_carry_a_strict_content_security_policy(client: FlaskClient) -> None:
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_is_sent_only_over_https(client: FlaskClient) -> None:
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_only_routes_meant_for_embedding_may_be_framed(probe_app: Flask) -> None:
    response = probe_app.test_client().get("/embed")
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers


def test_session_cookies_are_http_only_and_same_site(client: FlaskClient) -> None:
    client.get("/sign-in")
    cookie = client.get_cookie("wallet_session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert not cookie.secure


def test_session_cookies_are_secure_when_served_over_https(
    base_config: Config, tmp_path: Path
) -> None:
    app = create_app(replace(base_config, instance_path=tmp_path, base_url="https://wallet.test"))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_an_unknown_page_gets_a_helpful_404_page(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Page not found" in response.get_data(as_text=True)


def test_an_unknown_api_path_gets_problem_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json is not None
    assert set(response.json) == {"type", "title", "status", "detail"}
    assert response.json["status"] == 404


def test_a_wrong_method_gets_405_with_allow(client: FlaskClient) -> None:
    response = client.delete("/settings")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_an_oversized_body_gets_413(probe_app: Flask) -> None:
    client = probe_app.test_client()
    for path in ("/upload", "/sign-up"):
        response = client.post(path, data={"email": "x" * 5000})
        assert response.status_code == 413
        assert "larger than we accept" in response.get_data(as_text=True)


def test_a_crash_gets_a_500_page_without_internals(probe_app: Flask) -> None:
    client = probe_app.test_client()
    page = client.get("/boom")
    assert page.status_code == 500
    assert "secret internals" not in page.get_data(as_text=True)
    assert "Something went wrong on our side" in page.get_data(as_text=True)

    api = client.get("/api/v1/boom")
    assert api.status_code == 500
    assert api.mimetype == "application/problem+json"
    assert "secret internals" not in api.get_data(as_text=True)


def test_domain_errors_become_their_status_with_the_message(probe_app: Flask) -> None:
    client = probe_app.test_client()
    missing = client.get("/api/v1/missing")
    assert missing.status_code == 404
    assert missing.json is not None
    assert missing.json["detail"] == "No award with this id."

    conflict = client.get("/conflict")
    assert conflict.status_code == 409
    assert "already in your wallet" in conflict.get_data(as_text=True)


def test_readiness_reports_a_database_that_is_down(base_config: Config, tmp_path: Path) -> None:
    app = create_app(
        replace(
            base_config,
            instance_path=tmp_path,
            database_url="postgresql+psycopg://nobody@127.0.0.1:1/nothing",
        )
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json is not None
    assert response.json["database"] == "unavailable"


def test_readiness_reports_a_redis_that_is_down(base_config: Config, tmp_path: Path) -> None:
    app = create_app(
        replace(base_config, instance_path=tmp_path, redis_url="redis://127.0.0.1:1/0")
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"database": "ok", "redis": "unavailable"}
