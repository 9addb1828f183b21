"""Helpers for tests of the issuer API: an issuer with a client, and a real token for it."""

from __future__ import annotations

import base64
import typing as t
from dataclasses import dataclass

from tests.factories import make_user
from wallet.issuer_api import service as api_service
from wallet.issuer_api.scopes import SCOPES
from wallet.issuers import service as issuers

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from wallet.issuers.models import Issuer


@dataclass
class ApiCaller:
    """An issuer's API client and a token for it."""

    issuer: Issuer
    owner_id: int
    client_id: str
    secret: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        """Return the Authorization header."""
        return {"Authorization": f"Bearer {self.token}"}


def basic(client_id: str, secret: str) -> dict[str, str]:
    """Return an HTTP Basic header for a client."""
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def get_token(http: FlaskClient, client_id: str, secret: str, scope: str | None = None) -> t.Any:
    """Ask the token endpoint for a token; return the response."""
    form = {"grant_type": "client_credentials"}
    if scope is not None:
        form["scope"] = scope
    return http.post("/oauth/token", data=form, headers=basic(client_id, secret))


def api_caller(
    app: Flask,
    db: Session,
    *,
    scopes: list[str] | None = None,
    owner_id: int | None = None,
    issuer: Issuer | None = None,
    name: str = "Example College",
) -> ApiCaller:
    """Create an issuer (unless given) with a client holding ``scopes``, and get it a token."""
    keys = app.extensions["wallet"].config.data_keys
    if issuer is None:
        owner_id = make_user(db).id
        issuer = issuers.create_issuer(
            db,
            owner_id,
            name=name,
            url="https://college.example",
            email="badges@college.example",
            description="",
            data_keys=keys,
        )
    assert owner_id is not None
    client, secret = api_service.create_client(
        db, owner_id, issuer.id, name="Records", scopes=scopes or list(SCOPES)
    )
    response = get_token(app.test_client(), client.client_id, secret)
    assert response.status_code == 200, response.get_data(as_text=True)
    return ApiCaller(issuer, owner_id, client.client_id, secret, response.json["access_token"])
