"""Standard Webhooks signing: secrets, the exact body, and the three headers.

The signature is the ``standardwebhooks`` library's: HMAC-SHA256 keyed with the base64-decoded
secret over ``"{webhook-id}.{webhook-timestamp}.{body}"``, base64, sent as ``v1,<signature>``.
During a rotation the header carries one ``v1,`` entry per secret, space-separated.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import typing as t

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)


def new_secret() -> str:
    """Return a new endpoint secret: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def body_of(envelope: dict[str, t.Any]) -> str:
    """Return the envelope as the minified JSON that is signed and sent."""
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False)


def headers(
    message_id: str, body: str, secrets_: t.Sequence[str], at: dt.datetime
) -> dict[str, str]:
    """Return the headers of one attempt, signed with every secret in ``secrets_``."""
    signatures = " ".join(Webhook(secret).sign(message_id, at, body) for secret in secrets_)
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signatures,
    }
