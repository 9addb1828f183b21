"""Every route answers every kind of caller as the authorization matrix says."""

from __future__ import annotations

import secrets
import typing as t
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import MethodNotAllowed

from tests.web.authz_matrix import CALLERS
from tests.web.authz_matrix import MATRIX
from tests.web.authz_matrix import Entry
from tests.web.authz_matrix import Scenario
from tests.web.signin import csrf_token_for
from tests.web.signin import sign_in_session

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

    from tests.web.conftest import MakeUser

#: Methods Flask adds to every rule by itself.
AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _anonymous(client: FlaskClient, scenario: Scenario) -> dict[str, str]:
    return {}


def _session_of(attribute: str) -> t.Callable[[FlaskClient, Scenario], dict[str, str]]:
    def act(client: FlaskClient, scenario: Scenario) -> dict[str, str]:
        sign_in_session(client, getattr(scenario, attribute))
        return {}

    return act


def _api_client(client: FlaskClient, scenario: Scenario) -> dict[str, str]:
    return {"Authorization": f"Bearer {scenario.api_token}"}


#: How a test client becomes each kind of caller; returns the headers to send. Replace an entry
#: when the real thing exists (issuer staff memberships, OAuth client credentials).
ACT_AS: dict[str, t.Callable[[FlaskClient, Scenario], dict[str, str]]] = {
    "anonymous": _anonymous,
    "earner": _session_of("earner"),
    "other_earner": _session_of("other_earner"),
    "issuer_staff": _session_of("issuer_staff"),
    "api_client": _api_client,
}

CASES = [
    pytest.param(entry, method, caller, id=f"{entry.endpoint} {method} as {caller}")
    for entry in MATRIX
    for method in entry.expect
    for caller in CALLERS
]


@pytest.fixture
def scenario(make_user: MakeUser) -> Scenario:
    """Return the callers and the sample resources the matrix's paths refer to."""
    return Scenario(
        earner=make_user(name="Ada Owner"),
        other_earner=make_user(name="Grace Other"),
        issuer_staff=make_user(name="Issuer Staff"),
        api_token=secrets.token_urlsafe(24),
    )


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in (rule.methods or set()) - AUTOMATIC_METHODS
    }
    listed = {(entry.endpoint, method) for entry in MATRIX for method in entry.expect}
    missing = sorted(routes - listed)
    assert not missing, f"routes missing from tests/web/authz_matrix.py: {missing}"
    stale = sorted({entry.endpoint for entry in MATRIX} - {endpoint for endpoint, _m in routes})
    assert not stale, f"matrix entries for endpoints that no longer exist: {stale}"


def test_every_entry_lists_each_caller_once_and_one_entry_per_endpoint() -> None:
    endpoints = [entry.endpoint for entry in MATRIX]
    assert len(endpoints) == len(set(endpoints))
    for entry in MATRIX:
        for method, answers in entry.expect.items():
            assert set(answers) == set(CALLERS), (entry.endpoint, method)


@pytest.mark.parametrize("entry", MATRIX, ids=lambda entry: entry.endpoint)
def test_every_matrix_path_reaches_its_endpoint(
    app: Flask, scenario: Scenario, entry: Entry
) -> None:
    adapter = app.url_map.bind("localhost")
    path = urlsplit(entry.url(scenario)).path
    for method in entry.expect:
        try:
            endpoint, _args = adapter.match(path, method=method)
        except MethodNotAllowed:
            # Listed on purpose to check the 405; the path still has to be this endpoint's.
            endpoint, _args = adapter.match(path, method=sorted(set(entry.expect) - {method})[0])
        assert endpoint == entry.endpoint, (path, method)


@pytest.mark.parametrize(("entry", "method", "caller"), CASES)
def test_each_caller_gets_what_the_matrix_says(
    client: FlaskClient, scenario: Scenario, entry: Entry, method: str, caller: str
) -> None:
    headers = ACT_AS[caller](client, scenario)
    data: dict[str, str] | None = None
    if method not in SAFE_METHODS:
        data = {**entry.form, "csrf_token": csrf_token_for(client)}
    response = client.open(entry.url(scenario), method=method, data=data, headers=headers)

    expected = entry.expect[method][caller]
    assert response.status_code == expected.status, response.get_data(as_text=True)[:500]
    if expected.redirect_to is not None:
        assert urlsplit(response.location).path == expected.redirect_to
