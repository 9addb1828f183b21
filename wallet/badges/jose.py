"""Limits for reading JWS/JWT with joserfc, sized for credentials. Pure."""

from __future__ import annotations

import typing as t

from joserfc.jws import JWSRegistry


class CredentialRegistry(JWSRegistry):
    """joserfc's registry with room for an embedded RSA key in the header and a 2 MB payload."""

    max_header_length = 8 * 1024
    max_payload_length = 3 * 1024 * 1024  # 2 MB of JSON, base64url-encoded


def registry(algorithms: t.Collection[str]) -> JWSRegistry:
    """Return a registry that accepts only ``algorithms``."""
    return CredentialRegistry(algorithms=list(algorithms))
