"""A Redis cache of fetched documents (issuer profiles, keys, DID documents, status lists).

Honours the response's ``Cache-Control`` (``no-store``, ``no-cache``, ``private``, ``max-age``) and
``Expires``, within a floor and a ceiling: a status list must not be cached for a week because an
issuer said so, nor fetched on every verification because it said ``max-age=0``.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import json
import re
import time
import typing as t

from wallet.http import JSON_MAX_BYTES
from wallet.http import Fetched
from wallet.http import HttpClient

if t.TYPE_CHECKING:
    import redis

_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


def cache_seconds(headers: t.Mapping[str, str], *, floor: int, ceiling: int) -> int:
    """Return how long a response may be kept: 0 when it must not be stored."""
    lowered = {name.lower(): value for name, value in headers.items()}
    control = lowered.get("cache-control", "").lower()
    if "no-store" in control:
        return 0
    if "no-cache" in control:
        return floor
    match = _MAX_AGE.search(control)
    if match:
        seconds = int(match.group(1))
    elif "expires" in lowered:
        parsed = (
            email.utils.parsedate_to_datetime(lowered["expires"]) if lowered["expires"] else None
        )
        seconds = int(parsed.timestamp() - time.time()) if parsed else floor
    else:
        seconds = floor
    return max(floor, min(seconds, ceiling))


class CachedFetcher:
    """GETs through ``HttpClient`` with answers kept in Redis."""

    def __init__(
        self,
        client: HttpClient,
        redis_client: redis.Redis,
        *,
        floor: int = 300,
        ceiling: int = 86_400,
    ) -> None:
        self.client = client
        self.redis = redis_client
        self.floor = floor
        self.ceiling = ceiling

    def get(self, url: str, *, accept: t.Sequence[str], max_bytes: int = JSON_MAX_BYTES) -> Fetched:
        """Return the cached response for ``url``, fetching (and storing) it when missing."""
        key = "fetch:" + hashlib.sha256(f"{url}\n{','.join(accept)}".encode()).hexdigest()
        cached = self.redis.get(key)
        if cached is not None:
            data = json.loads(cached)
            return Fetched(
                url=data["url"],
                status=data["status"],
                content_type=data["content_type"],
                content=base64.b64decode(data["content"]),
                headers=data["headers"],
            )
        fetched = self.client.get(url, accept=accept, max_bytes=max_bytes)
        seconds = cache_seconds(fetched.headers, floor=self.floor, ceiling=self.ceiling)
        if seconds:
            record = {
                "url": fetched.url,
                "status": fetched.status,
                "content_type": fetched.content_type,
                "content": base64.b64encode(fetched.content).decode(),
                "headers": fetched.headers,
            }
            self.redis.set(key, json.dumps(record), ex=seconds)
        return fetched
