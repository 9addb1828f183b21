"""What every response at the web edge promises: security headers, cookies, and error pages."""

from __future__ import annotations

import typing as t
from http.cookies import SimpleCookie

import pytest
from flask import Blueprint

from wallet import errors
from wallet.extensions import limiter
from wallet.web.security import embeddable

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from werkzeug.test import TestResponse

    from tests.web.conftest import BuildApp

SECRET = "database password is hunter2"


def _pages(app: Flask) -> list[str]:
    """Return every GET path without arguments, a static file, and a missing page."""
    paths = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and not rule.arguments
    )
    return [*paths, "/static/css/app.css", "/no-such-page"]


def _directives(response: TestResponse) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    pairs = (part.strip().partition(" ") for part in policy.split(";") if part.strip())
    return {name: value for name, _sep, value in pairs}


def _session_cookie(response: TestResponse) -> str:
    cookies = response.headers.getlist("Set-Cookie")
    matching = [c for c in cookies if c.startswith("wallet_session=")]
    assert matching, f"no session cookie in {cookies}"
    return matching[0]


def _probe_blueprint(name: str, url_prefix: str) -> Blueprint:
    """Return routes that raise each domain error, and one that fails unexpectedly."""
    bp = Blueprint(name, __name__, url_prefix=url_prefix)
    raised = {
        "not-found": errors.NotFound("That badge is not in your wallet."),
        "forbidden": errors.Forbidden("Only the issuer's staff can revoke this."),
        "invalid": errors.Invalid("The badge file is not a PNG or SVG."),
        "conflict": errors.Conflict("This email address is already on your account."),
    }

    @bp.get("/<kind>")
    def domain_error(kind: str) -> str:
        raise raised[kind]

    @bp.get("/crash")
    def crash() -> str:
        raise RuntimeError(SECRET)

    return bp


# Security headers ----------------------------------------------------------------------------


def test_every_page_forbids_inline_code_and_framing(app: Flask, client: FlaskClient) -> None:
    for path in _pages(app):
        response = client.get(path)
        policy = _directives(response)
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"], path
        assert policy["script-src"] == "'self'", path
        assert policy["frame-ancestors"] == "'none'", path
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path


def test_pages_holding_personal_data_stay_out_of_shared_caches(client: FlaskClient) -> None:
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_a_view_marked_embeddable_may_be_framed_by_any_site(build_app: BuildApp) -> None:
    bp = Blueprint("embed_probe", __name__)

    @bp.get("/embed-probe")
    @embeddable
    def embed_probe() -> str:
        return "<p>a badge</p>"

    other = build_app(bp)
    client = other.test_client()

    framed = client.get("/embed-probe")
    assert _directives(framed)["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in framed.headers
    assert _directives(client.get("/"))["frame-ancestors"] == "'none'"


def test_hsts_is_sent_only_over_https(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=63072000")


# Cookies -------------------------------------------------------------------------------------


def test_session_cookie_is_http_only_and_same_site_lax(client: FlaskClient) -> None:
    # The sign-in redirect flashes a message, which writes the session cookie.
    cookie = _session_cookie(client.get("/settings"))
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "secure" not in attributes


def test_session_cookie_is_secure_when_the_site_is_served_over_https(
    build_app: BuildApp,
) -> None:
    other = build_app(base_url="https://wallet.example")
    cookie = _session_cookie(other.test_client().get("/settings"))
    parsed = SimpleCookie()
    parsed.load(cookie)
    morsel = parsed["wallet_session"]
    assert morsel["secure"] is True
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"


# Error pages ---------------------------------------------------------------------------------


def test_an_unknown_page_shows_our_not_found_page(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "<title>Page not found · The Wallet</title>" in html
    assert "Go to the home page" in html


def test_an_unknown_api_path_answers_with_problem_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == 404
    assert body["title"] == "Page not found"
    assert body["type"] == "about:blank"
    assert body["detail"]


def test_a_client_that_only_accepts_json_gets_problem_json(client: FlaskClient) -> None:
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_a_wrong_method_answers_405_with_the_allowed_ones(client: FlaskClient) -> None:
    response = client.get("/sign-out")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert "This action is not allowed here" in response.get_data(as_text=True)


def test_a_body_over_the_size_limit_answers_413(build_app: BuildApp) -> None:
    other = build_app(max_content_length=1024)
    response = other.test_client().post("/sign-out", data={"note": "x" * 4096})
    assert response.status_code == 413
    assert "That is too large" in response.get_data(as_text=True)


def test_a_form_posted_without_its_csrf_token_is_refused(client: FlaskClient) -> None:
    response = client.post("/sign-out", data={})
    assert response.status_code == 400
    assert "lost its security token" in response.get_data(as_text=True)


def test_too_many_attempts_show_the_429_page(build_app: BuildApp) -> None:
    bp = Blueprint("limit_probe", __name__)

    @bp.get("/limit-probe")
    @limiter.limit("2 per minute")
    def limit_probe() -> str:
        return "ok"

    client = build_app(bp).test_client()
    assert [client.get("/limit-probe").status_code for _ in range(2)] == [200, 200]
    response = client.get("/limit-probe")
    assert response.status_code == 429
    assert response.headers["Retry-After"]
    assert "Too many attempts" in response.get_data(as_text=True)


def test_an_unexpected_failure_shows_the_500_page_without_details(build_app: BuildApp) -> None:
    other = build_app(_probe_blueprint("probe", "/probe"), _probe_blueprint("api_probe", "/api/p"))
    other.config["PROPAGATE_EXCEPTIONS"] = False
    client = other.test_client()

    page = client.get("/probe/crash")
    assert page.status_code == 500
    html = page.get_data(as_text=True)
    assert "Something went wrong on our side" in html
    assert SECRET not in html
    assert "Traceback" not in html
    assert "RuntimeError" not in html

    api = client.get("/api/p/crash")
    assert api.status_code == 500
    assert api.mimetype == "application/problem+json"
    assert SECRET not in api.get_data(as_text=True)


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        ("not-found", 404, "That badge is not in your wallet."),
        ("forbidden", 403, "Only the issuer&#39;s staff can revoke this."),
        ("invalid", 400, "The badge file is not a PNG or SVG."),
        ("conflict", 409, "This email address is already on your account."),
    ],
)
def test_domain_errors_become_pages_with_their_message(
    build_app: BuildApp, kind: str, status: int, message: str
) -> None:
    other = build_app(_probe_blueprint("probe", "/probe"), _probe_blueprint("api_probe", "/api/p"))
    client = other.test_client()

    page = client.get(f"/probe/{kind}")
    assert page.status_code == status
    assert page.mimetype == "text/html"
    assert message in page.get_data(as_text=True)

    api = client.get(f"/api/p/{kind}")
    assert api.status_code == status
    assert api.mimetype == "application/problem+json"
    body = api.get_json(force=True)
    assert body["status"] == status
    assert body["detail"] == message.replace("&#39;", "'")
    assert body["title"]
