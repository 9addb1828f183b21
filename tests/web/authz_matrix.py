"""Who may call what: every route of the app, and the answer each kind of caller must get.

One ``Entry`` per endpoint. ``test_authz_matrix`` fails when a route of ``app.url_map`` is
missing here, and requests every (method, caller) pair listed with a real client.

To add a route: append an ``Entry`` with its endpoint, a concrete path (``{s.…}`` placeholders
are filled from the ``Scenario``: ``"/awards/{s.ids[award]}"``, ``"/@{s.earner.handle}"``), and
for each method a ``by_caller(...)`` mapping. Resources the path needs are created in the
``scenario`` fixture of ``test_authz_matrix`` and owned by ``s.earner``; ``other_earner`` is the
signed-in earner who does not own them.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from dataclasses import field

if t.TYPE_CHECKING:
    from wallet.accounts.models import User

#: The kinds of caller every route is tried with.
CALLERS = ("anonymous", "earner", "other_earner", "issuer_staff", "api_client")

#: Where ``login_required`` sends anonymous callers.
SIGN_IN = "/sign-in"


@dataclass(frozen=True)
class Expect:
    """The answer a caller must get: a status, and for redirects the path they lead to."""

    status: int
    #: Path (without query) the ``Location`` header must point to; checked only when set.
    redirect_to: str | None = None


@dataclass
class Scenario:
    """The callers and sample resources every matrix request runs against."""

    earner: User
    other_earner: User
    #: Until issuer organisations exist: a signed-in earner with no special rights.
    issuer_staff: User
    #: Until the issuer API exists: a bearer token no server knows.
    api_token: str
    #: Sample resource ids owned by ``earner`` (``{s.ids[award]}`` in paths).
    ids: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    """One endpoint: a concrete path and, per HTTP method, what each caller gets."""

    endpoint: str
    path: str
    expect: t.Mapping[str, t.Mapping[str, Expect]]
    #: Form fields sent with unsafe methods (a valid CSRF token is added to them).
    form: t.Mapping[str, str] = field(default_factory=dict)

    def url(self, scenario: Scenario) -> str:
        """Return the path with the scenario's ids filled in."""
        return self.path.format(s=scenario)


Outcome = int | Expect


def _expect(outcome: Outcome) -> Expect:
    return outcome if isinstance(outcome, Expect) else Expect(outcome)


def by_caller(
    *,
    anonymous: Outcome,
    earner: Outcome,
    other_earner: Outcome | None = None,
    issuer_staff: Outcome | None = None,
    api_client: Outcome | None = None,
) -> dict[str, Expect]:
    """Map every caller to its answer; the unnamed ones answer like their nearest kin.

    ``other_earner`` and ``issuer_staff`` default to ``earner``; ``api_client`` (a bearer token,
    no session) defaults to ``anonymous``.
    """
    return {
        "anonymous": _expect(anonymous),
        "earner": _expect(earner),
        "other_earner": _expect(earner if other_earner is None else other_earner),
        "issuer_staff": _expect(earner if issuer_staff is None else issuer_staff),
        "api_client": _expect(anonymous if api_client is None else api_client),
    }


def everyone(outcome: Outcome) -> dict[str, Expect]:
    """Give every caller the same answer."""
    return by_caller(anonymous=outcome, earner=outcome)


def signed_in_only(outcome: Outcome = 200) -> dict[str, Expect]:
    """A page for signed-in earners: anonymous callers are sent to sign in."""
    return by_caller(anonymous=Expect(302, SIGN_IN), earner=outcome)


MATRIX: tuple[Entry, ...] = (
    Entry(
        "core.home",
        "/",
        {"GET": by_caller(anonymous=200, earner=Expect(302, "/settings"))},
    ),
    Entry("core.healthz", "/healthz", {"GET": everyone(200)}),
    Entry("core.readyz", "/readyz", {"GET": everyone(200)}),
    Entry("accounts.sign_in", "/sign-in", {"GET": everyone(200)}),
    Entry("accounts.sign_up", "/sign-up", {"GET": everyone(200)}),
    Entry("accounts.settings", "/settings", {"GET": signed_in_only()}),
    # A stub until the accounts pages land: it only renders the sign-in page.
    Entry("accounts.sign_out", "/sign-out", {"POST": everyone(200), "GET": everyone(405)}),
)
