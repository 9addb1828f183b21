"""How the issuer API is served: the ``api`` blueprint, bearer tokens, and ``operation(...)``.

``operation`` registers a route on the blueprint, checks the token's scope, parses the body with
its pydantic model, marks the per-client rate limit, and records the ``Operation`` the OpenAPI
document is built from. Errors leave as problem+json. The endpoints are in ``views.py``.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import typing as t

from authlib.oauth2 import OAuth2Error
from flask import Blueprint
from flask import Response
from flask import current_app
from flask import g
from flask import jsonify
from flask import render_template
from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel
from pydantic import ValidationError

from wallet import errors
from wallet.issuer_api.openapi import Operation
from wallet.issuer_api.openapi import document
from wallet.issuers import documents
from wallet.web import context
from wallet.web.errors import error_response
from wallet.web.errors import status_for
from wallet.web.ratelimit import rate_limit

if t.TYPE_CHECKING:
    from wallet.issuer_api.models import ApiToken

bp = Blueprint("api", __name__, url_prefix="/api/v1")

#: Every operation, in the order the document lists them.
OPERATIONS: list[Operation] = []
#: Items of a batch awarded in one transaction.
CHUNK = 500
#: Endpoints that need no token.
PUBLIC = {"api.openapi", "api.docs"}

Result = Response | tuple[Response, int] | tuple[Response, int, dict[str, str]]


class Refusal(Exception):
    """Stops a request with a ready response (a problem the view found in the input)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def problem(
    status: int,
    detail: str | None = None,
    *,
    field_errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Return a problem+json response, with per-field ``errors`` when given."""
    response = error_response(status, detail, headers=headers)
    if field_errors is not None:
        body = json.loads(response.get_data())
        body["errors"] = field_errors
        response.set_data(json.dumps(body))
    return response


def _field_errors(error: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(part) for part in item["loc"]) or "body", "message": item["msg"]}
        for item in error.errors(include_url=False, include_input=False)
    ]


def _token() -> ApiToken:
    return t.cast("ApiToken", g.api_token)


def _issuer_id() -> int:
    return _token().client.issuer_id


def _client_key() -> str:
    return "api-client:" + _token().client.client_id


def _api_limit() -> str:
    return context.config().api_rate_limit


@bp.before_request
def _authenticate() -> Response | None:
    """Find the bearer token of every request but the public ones; 401 if there is none."""
    if request.endpoint in PUBLIC:
        return None
    protector = current_app.extensions["issuer_api"]["protector"]
    try:
        g.api_token = protector.acquire_token(None)
    except OAuth2Error as error:
        headers = {k: v for k, v in error.get_headers() if k.lower() == "www-authenticate"}
        headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
        return problem(
            401, _("Send a valid access token (Authorization: Bearer ...)."), headers=headers
        )
    return None


def operation(
    method: str,
    path: str,
    *,
    scope: str,
    summary: str,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    errors_: tuple[int, ...] = (),
    idempotent: bool = False,
    description: str = "",
    tag: str = "",
) -> t.Callable[[t.Callable[..., Result]], t.Callable[..., Result]]:
    """Declare an API route (``path`` in OpenAPI form, under /api/v1)."""

    def register(view: t.Callable[..., Result]) -> t.Callable[..., Result]:
        OPERATIONS.append(
            Operation(
                method=method,
                path=path,
                operation_id=view.__name__,
                summary=summary,
                scope=scope,
                body=body,
                query=query,
                response=response,
                status=status,
                errors=errors_,
                idempotent=idempotent,
                description=description,
                tags=(tag,) if tag else (),
            )
        )

        @functools.wraps(view)
        def wrapped(**kwargs: t.Any) -> Result:
            if scope and scope not in _token().get_scope().split():
                return problem(
                    403,
                    _("This token lacks the scope %(scope)s.", scope=scope),
                    headers={
                        "WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'
                    },
                )
            try:
                if body is not None:
                    kwargs["body"] = _parse_body(body)
                if query is not None:
                    kwargs["query"] = _parse_query(query)
                return view(**kwargs)
            except Refusal as refusal:
                return refusal.response

        limited = rate_limit(_api_limit, key=_client_key, methods=(method,))(wrapped)
        rule = path.replace("{", "<").replace("}", ">")
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=limited, methods=[method])
        return limited

    return register


def _parse_body(model: type[BaseModel]) -> BaseModel:
    if request.mimetype != "application/json":
        raise Refusal(problem(415, _("Send the body as JSON (Content-Type: application/json).")))
    try:
        return model.model_validate_json(request.get_data())
    except ValidationError as error:
        raise Refusal(
            problem(
                422, _("Some of what you sent is not valid."), field_errors=_field_errors(error)
            )
        ) from None


def _parse_query(model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as error:
        raise Refusal(
            problem(
                422, _("Some of what you sent is not valid."), field_errors=_field_errors(error)
            )
        ) from None


@contextlib.contextmanager
def cycles_collected_after() -> t.Iterator[None]:
    """Hold off Python's cycle collector while a big request runs, and let it run after.

    A 10,000-award batch keeps its items and results alive to the end, so the collector's full
    passes, each walking every object of the process, took a seventh of its time; what the batch
    throws away is freed by reference counting meanwhile. Only a collector found running is
    started again, so concurrent requests leave it as they found it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not 1 <= len(key) <= 200 or not all(0x21 <= ord(c) <= 0x7E for c in key):
        raise Refusal(problem(400, _("An Idempotency-Key is 1 to 200 visible ASCII characters.")))
    return key


def _fingerprint(kind: str, body: BaseModel) -> str:
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()
    return kind + ":" + hashlib.sha256(canonical).hexdigest()


def _key_ref(key: str) -> str:
    """Return what identifies ``key`` of this client on the award rows it made."""
    return _token().client.client_id + ":" + hashlib.sha256(key.encode()).hexdigest()[:64]


def _urls() -> documents.Urls:
    return documents.Urls(context.config().base_url)


# --- Public: the document and its page ----------------------------------------------------


def _document() -> dict[str, t.Any]:
    base = context.config().base_url
    return document(OPERATIONS, server=f"{base}/api/v1", token_url=f"{base}/oauth/token")


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document of the API."""
    return jsonify(_document())


@bp.get("/docs")
def docs() -> str:
    """A readable page listing every operation of the document."""
    spec = _document()
    return render_template("issuer_api/docs.html", spec=spec)


@bp.errorhandler(errors.WalletError)
def _domain_error(error: errors.WalletError) -> Response:
    return problem(status_for(error), str(error.message))
