"""Schemathesis drives every operation of /api/v1/openapi.json through the app, in-process.

With a real token (all scopes), generated requests, valid and invalid, must never get a 5xx,
and every response must match the document: status code, content type, body schema.
"""

from __future__ import annotations

import typing as t

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance
from schemathesis.specs.openapi.checks import response_schema_conformance
from schemathesis.specs.openapi.checks import status_code_conformance

from tests.api_helpers import api_caller

if t.TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy.orm import Session

#: Examples per operation and mode: enough to find a 500, small enough to stay under a minute.
EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_its_document_says(
    app: Flask, db: Session, mode: GenerationMode
) -> None:
    caller = api_caller(app, db)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 26

    for operation in operations:
        raw = operation.definition.raw
        if mode is GenerationMode.NEGATIVE and not ("parameters" in raw or "requestBody" in raw):
            continue  # nothing a client sends there can be invalid

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case: t.Any) -> None:
            # The WSGI transport hands back bytes as sent; an HTTP client would decompress them
            # (compression has its own tests), so ask for the plain body.
            response = case.call(headers={**caller.headers, "Accept-Encoding": "identity"})
            case.validate_response(response, checks=CHECKS)

        check()
