"""The OpenAPI 3.1 document of the API, built from the operations and their pydantic models. Pure.

Views register an ``Operation`` for each route (``views.py``); ``document`` turns the list into
the document served at ``/api/v1/openapi.json`` and shown at ``/api/v1/docs``.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from dataclasses import field

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from wallet.issuer_api import schemas
from wallet.issuer_api.scopes import SCOPES

#: Title of each error status the API may answer with.
ERROR_STATUSES = {
    400: "The request is malformed (e.g. a bad cursor or Idempotency-Key).",
    401: "No valid access token: missing, unknown, expired or revoked.",
    403: "The token lacks the scope this operation needs.",
    404: "No such resource for this client's issuer.",
    409: "The request clashes with the current state, or reuses an Idempotency-Key.",
    413: "The body is too large.",
    415: "The body is not JSON.",
    422: "The body or query breaks the schema; ``errors`` lists each problem.",
    429: "Too many requests from this client; retry after the time in Retry-After.",
}


@dataclass(frozen=True)
class Operation:
    """One route of the API, as the document describes it."""

    method: str
    #: OpenAPI path, e.g. ``/achievements/{achievement_id}`` (under ``/api/v1``).
    path: str
    operation_id: str
    summary: str
    #: Scope the token needs ("": any valid token; None: public, no token).
    scope: str | None
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    #: Reads an ``Idempotency-Key`` header.
    idempotent: bool = False
    description: str = ""
    #: Media type of the success response.
    media_type: str = "application/json"
    tags: tuple[str, ...] = field(default=())

    @property
    def path_parameters(self) -> list[str]:
        """Return the names of the path's parameters."""
        return [part[1:-1] for part in self.path.split("/") if part.startswith("{")]


def _schema_of(operations: list[Operation]) -> tuple[dict[t.Any, t.Any], dict[str, t.Any]]:
    models: list[tuple[type[BaseModel], t.Literal["validation", "serialization"]]] = []
    for op in operations:
        for model in (op.body, op.query):
            if model is not None and (model, "validation") not in models:
                models.append((model, "validation"))
        if op.response is not None and (op.response, "serialization") not in models:
            models.append((op.response, "serialization"))
    models.append((schemas.Problem, "serialization"))
    refs, defs = models_json_schema(models, ref_template="#/components/schemas/{model}")
    return refs, defs.get("$defs", {})


def document(operations: list[Operation], *, server: str, token_url: str) -> dict[str, t.Any]:
    """Return the OpenAPI 3.1 document describing ``operations``."""
    refs, components = _schema_of(operations)
    problem = refs[(schemas.Problem, "serialization")]
    paths: dict[str, dict[str, t.Any]] = {}
    for op in operations:
        item: dict[str, t.Any] = {
            "operationId": op.operation_id,
            "summary": op.summary,
            "tags": list(op.tags),
        }
        if op.description:
            item["description"] = op.description
        parameters: list[dict[str, t.Any]] = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
            }
            for name in op.path_parameters
        ]
        if op.query is not None:
            for name, info in op.query.model_json_schema()["properties"].items():
                parameters.append({"name": name, "in": "query", "required": False, "schema": info})
        if op.idempotent:
            parameters.append(
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "description": "Send the same key to retry safely: the same request with "
                    "the same key gets the first answer again, for 24 hours.",
                    "schema": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 200,
                        "pattern": "^[\\x21-\\x7e]+$",
                    },
                }
            )
        if parameters:
            item["parameters"] = parameters
        if op.body is not None:
            item["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
            }
        responses: dict[str, t.Any] = {}
        success: dict[str, t.Any] = {"description": "Success"}
        if op.response is not None:
            success["content"] = {op.media_type: {"schema": refs[(op.response, "serialization")]}}
        responses[str(op.status)] = success
        codes = set(op.errors)
        if op.scope is not None:
            codes |= {401, 403, 429} if op.scope else {401, 429}
        if op.body is not None:
            codes |= {400, 413, 415, 422}
        if op.query is not None:
            codes.add(422)
        if op.path_parameters:
            codes.add(404)
        for code in sorted(codes):
            responses[str(code)] = {
                "description": ERROR_STATUSES[code],
                "content": {"application/problem+json": {"schema": problem}},
            }
        item["responses"] = responses
        if op.scope is not None:
            item["security"] = [{"oauth2": [op.scope] if op.scope else []}]
        paths.setdefault(op.path, {})[op.method.lower()] = item
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "The wallet's issuer API",
            "version": "1.0.0",
            "description": "Award Open Badges 3.0 credentials from your own systems. "
            "Authenticate with OAuth 2.0 client credentials.",
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "oauth2": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": token_url,
                            "scopes": {name: str(text) for name, text in SCOPES.items()},
                        }
                    },
                }
            },
        },
    }
