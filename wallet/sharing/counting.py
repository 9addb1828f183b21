"""Count a viewer once a day: who the viewer is (hashed) and whether they were seen today.

A viewer is a signed-in user, or else the pair of network address and browser; either way only a
keyed hash reaches Redis, never the address itself, and the day's HyperLogLog dies two days
later. Crawlers (the ones that fetch previews for LinkedIn, X, Slack... and search engines) are
not viewers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import typing as t

if t.TYPE_CHECKING:
    import redis

#: User agents of link-preview fetchers, crawlers and scripts, which are not people viewing.
_BOTS = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|facebookexternalhit|facebookcatalog|embedly|preview|"
    r"whatsapp|skypeuripreview|headlesschrome|python-requests|curl/|wget/|httpx|okhttp|go-http",
    re.IGNORECASE,
)
#: How long a day's mark is kept: past midnight in every time zone, then gone.
_KEEP = int(dt.timedelta(days=2).total_seconds())


def is_bot(user_agent: str) -> bool:
    """Return whether the user agent names a crawler or a link-preview fetcher."""
    return not user_agent.strip() or bool(_BOTS.search(user_agent))


def viewer_key(secret: str, *, user_id: int | None, address: str, user_agent: str) -> str:
    """Return an opaque, keyed id of the viewer (no address or browser can be read back)."""
    material = f"user:{user_id}" if user_id is not None else f"anon:{address}|{user_agent}"
    return hmac.new(secret.encode(), material.encode(), hashlib.sha256).hexdigest()[:32]


def first_today(client: redis.Redis, what: str, award_id: int, viewer: str, today: dt.date) -> bool:
    """Mark ``viewer`` as having done ``what`` to the award today; True the first time only.

    Each award's day is one HyperLogLog (``PFADD``): a few hundred bytes however many people
    look, and ``unique_today`` reads the day's unique viewers from it. A viewer seen before is
    never counted twice; a new one is, very rarely (well under 1%), taken for one already seen.
    """
    key = _day_key(what, award_id, today)
    with client.pipeline() as pipe:
        pipe.pfadd(key, viewer)
        pipe.expire(key, _KEEP)
        added, _expiry = pipe.execute()
    return bool(added)


def unique_today(client: redis.Redis, what: str, award_id: int, today: dt.date) -> int:
    """Return about how many viewers did ``what`` to the award on ``today``."""
    return int(client.pfcount(_day_key(what, award_id, today)))


def _day_key(what: str, award_id: int, today: dt.date) -> str:
    return f"sharing:{what}:{today.isoformat()}:{award_id}"
