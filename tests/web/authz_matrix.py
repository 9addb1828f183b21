"""Who may use each route: one entry per endpoint, checked by ``test_authz_matrix.py``.

Every route the app serves must appear here. Each ``Case`` is one request (method, path, form
data) and the status each kind of caller gets. Paths and form values may name, all belonging to
the ``earner`` (so ``other_earner`` is a stranger to them): ``{email_id}`` an address;
``{award_id}`` and ``{public_id}`` a private award without a picture; ``{shared_award_id}`` and
``{shared_public_id}`` a public award whose original is a baked PNG; ``{collection_id}`` and
``{collection_token}`` a collection shared by link holding both awards; ``{export_id}`` a finished
data export; ``{issuer_id}`` (``{issuer_public_id}``) an issuer the earner owns, with an achievement
``{achievement_id}`` (``{achievement_public_id}``) awarded once, ``{issued_public_id}``;
``{batch_id}`` a bulk import of two files; ``{owner_id}`` the earner's own user id;
``{upload_id}`` a CSV upload of that achievement; ``{survey_id}`` (``{survey_public_id}``) a
survey of the issuer asking that achievement's earners (one required question), and
``{invitation_id}`` the earner's open invitation to it; ``{handle}`` the earner's handle;
``{share_link_id}`` and ``{share_token}`` a share link for employers showing both awards;
``{social_account_id}`` a GitHub account
linked to the earner (who also has a password and a verified address, so it may be unlinked);
``{recommendation_token}`` follows (or dismisses) the recommendation of that achievement made for
the earner, and ``{dismissal_id}`` is a recommendation the earner dismissed;
``{endpoint_id}`` is a webhook endpoint of
the issuer and ``{delivery_id}`` a delivery to it; the earner holds the issued award in their
wallet (so the issuer is listed on their "What issuers see" page).

Callers:
- ``anonymous``: nobody signed in.
- ``earner``: signed in, owns the resources in the path.
- ``other_earner``: signed in as someone else.
- ``issuer_staff``: a member of an issuer (for now a signed-in earner without issuer rights).
- ``api_client``: an issuer system with a valid bearer token (all scopes) of ANOTHER issuer than
  the earner's, so API rows show that one issuer's client cannot reach another's data.

Issuer API (issue 5): the earner's issuer also has an API client ``{client_id}`` (its row id).
API cases send ``json`` bodies (strings in them are formatted like paths).
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from dataclasses import field

CALLERS = ("anonymous", "earner", "other_earner", "issuer_staff", "api_client")


@dataclass(frozen=True)
class Case:
    """One request and the status each caller gets."""

    method: str
    path: str
    expect: dict[str, int]
    data: dict[str, str] = field(default_factory=dict)
    json: dict[str, t.Any] | None = None


def everyone(status: int) -> dict[str, int]:
    """Every caller gets ``status``."""
    return dict.fromkeys(CALLERS, status)


def signed_in(status: int, *, anonymous: int = 302) -> dict[str, int]:
    """Signed-in callers get ``status``; anonymous ones and API clients go to sign-in."""
    return {
        "anonymous": anonymous,
        "api_client": anonymous,
        "earner": status,
        "other_earner": status,
        "issuer_staff": status,
    }


def owner_only(status: int) -> dict[str, int]:
    """Only the owning earner gets ``status``; other signed-in callers get 404 (not 403: the
    resource's existence is not theirs to learn)."""
    return {
        "anonymous": 302,
        "api_client": 302,
        "earner": status,
        "other_earner": 404,
        "issuer_staff": 404,
    }


def anonymous_only(status: int) -> dict[str, int]:
    """Anonymous callers get ``status``; signed-in ones are sent on (302)."""
    return {
        "anonymous": status,
        "api_client": status,
        "earner": 302,
        "other_earner": 302,
        "issuer_staff": 302,
    }


def api_only(status: int) -> dict[str, int]:
    """Only an API client with a token gets ``status``; everyone else gets 401 (no cookie counts).

    The API client belongs to another issuer than the resources in the path: 404 there means
    it cannot reach them, 200 on a list means it sees only its own issuer's things.
    """
    return {**everyone(401), "api_client": status}


MATRIX: dict[str, list[Case]] = {
    "core.home": [Case("GET", "/", anonymous_only(200))],
    "core.healthz": [Case("GET", "/healthz", everyone(200))],
    "core.readyz": [Case("GET", "/readyz", everyone(200))],
    "accounts.sign_up": [
        Case("GET", "/sign-up", anonymous_only(200)),
        Case("POST", "/sign-up", anonymous_only(400)),
    ],
    "accounts.sign_in": [
        Case("GET", "/sign-in", anonymous_only(200)),
        Case("POST", "/sign-in", anonymous_only(400)),
    ],
    "accounts.sign_out": [Case("POST", "/sign-out", everyone(302))],
    "accounts.verify_email": [
        Case("GET", "/verify-email/not-a-token", everyone(400)),
        Case("POST", "/verify-email/not-a-token", everyone(400)),
    ],
    "accounts.reset_request": [
        Case("GET", "/reset-password", everyone(200)),
        Case("POST", "/reset-password", everyone(400)),
    ],
    "accounts.reset_password": [
        Case("GET", "/reset-password/not-a-token", everyone(400)),
        Case("POST", "/reset-password/not-a-token", everyone(400)),
    ],
    "accounts.settings": [Case("GET", "/settings", signed_in(200))],
    "accounts.update_profile": [Case("POST", "/settings/profile", signed_in(400))],
    "accounts.change_password": [Case("POST", "/settings/password", signed_in(400))],
    "accounts.add_email": [Case("POST", "/settings/emails", signed_in(400))],
    "accounts.make_primary": [Case("POST", "/settings/emails/{email_id}/primary", owner_only(302))],
    "accounts.remove_email": [Case("POST", "/settings/emails/{email_id}/remove", owner_only(302))],
    "accounts.resend_verification": [
        Case("POST", "/settings/emails/{email_id}/resend", owner_only(302))
    ],
    "backpack.awards": [Case("GET", "/wallet", signed_in(200))],
    "backpack.import_award": [
        Case("GET", "/wallet/import", signed_in(200)),
        Case("POST", "/wallet/import", signed_in(400)),
    ],
    "backpack.import_batch": [Case("GET", "/wallet/import/{batch_id}", owner_only(200))],
    "backpack.import_batch_status": [
        Case("GET", "/wallet/import/{batch_id}/status", owner_only(200))
    ],
    "backpack.award": [Case("GET", "/wallet/awards/{award_id}", owner_only(200))],
    "backpack.recheck": [Case("POST", "/wallet/awards/{award_id}/recheck", owner_only(302))],
    "backpack.visibility": [
        Case(
            "POST",
            "/wallet/awards/{award_id}/visibility",
            owner_only(302),
            {"visibility": "public"},
        )
    ],
    "backpack.notes": [
        Case("POST", "/wallet/awards/{award_id}/notes", owner_only(302), {"note": "mine"})
    ],
    "backpack.accept": [Case("POST", "/wallet/awards/{award_id}/accept", owner_only(302))],
    "backpack.decline": [Case("POST", "/wallet/awards/{award_id}/decline", owner_only(302))],
    "backpack.delete": [
        Case("GET", "/wallet/awards/{award_id}/delete", owner_only(200)),
        Case("POST", "/wallet/awards/{award_id}/delete", owner_only(302)),
    ],
    # Recommendations (issue 8): a follow or dismiss token is made for one earner only.
    "recommendations.index": [Case("GET", "/wallet/recommendations", signed_in(200))],
    "recommendations.follow": [
        Case("GET", "/wallet/recommendations/go/{recommendation_token}", owner_only(302))
    ],
    "recommendations.dismiss": [
        Case(
            "POST",
            "/wallet/recommendations/dismiss",
            owner_only(302),
            {"token": "{recommendation_token}"},
        )
    ],
    "recommendations.undo": [
        Case("POST", "/wallet/recommendations/dismissed/{dismissal_id}/undo", owner_only(302))
    ],
    "recommendations.achievement": [
        Case(
            "GET",
            "/wallet/recommendations/achievements/{achievement_public_id}",
            signed_in(200),
        )
    ],
    "backpack.original": [Case("GET", "/wallet/awards/{award_id}/original", owner_only(200))],
    "backpack.image": [Case("GET", "/wallet/awards/{shared_award_id}/image", owner_only(200))],
    "backpack.public_image": [
        Case("GET", "/a/{shared_public_id}/image", everyone(200)),
        Case("GET", "/a/{public_id}/image", everyone(404)),
    ],
    # Sharing (issue 6): the public page and everything derived from it follow the same policy.
    "sharing.public": [
        Case("GET", "/a/{shared_public_id}", everyone(200)),
        Case("GET", "/a/{public_id}", {**everyone(404), "earner": 200}),
    ],
    "sharing.recheck": [
        Case("POST", "/a/{shared_public_id}/recheck", everyone(302)),
        Case("POST", "/a/{public_id}/recheck", {**everyone(404), "earner": 302}),
    ],
    "sharing.preview_image": [
        Case("GET", "/a/{shared_public_id}/preview.png", everyone(200)),
        Case("GET", "/a/{public_id}/preview.png", {**everyone(404), "earner": 200}),
    ],
    "sharing.qr_code": [
        Case("GET", "/a/{shared_public_id}/qr.svg", everyone(200)),
        Case("GET", "/a/{public_id}/qr.svg", {**everyone(404), "earner": 200}),
    ],
    "sharing.download": [
        Case("GET", "/a/{shared_public_id}/baked.png", everyone(200)),
        Case("GET", "/a/{shared_public_id}/baked.svg", everyone(200)),
        Case("GET", "/a/{public_id}/baked.png", {**everyone(404), "earner": 200}),
    ],
    "sharing.embed": [
        Case("GET", "/a/{shared_public_id}/embed", everyone(200)),
        Case("GET", "/a/{public_id}/embed", {**everyone(404), "earner": 200}),
    ],
    "sharing.share": [
        Case("GET", "/a/{shared_public_id}/share/linkedin", everyone(302)),
        Case("GET", "/a/{public_id}/share/linkedin", {**everyone(404), "earner": 302}),
        Case("POST", "/a/{shared_public_id}/share/copy", everyone(204)),
        Case("POST", "/a/{public_id}/share/copy", {**everyone(404), "earner": 204}),
    ],
    # Social sign-in (issue 6): GitHub is configured in tests; its first redirect needs no network.
    "social.begin": [
        Case("GET", "/sign-in/with/github", everyone(302)),
        Case("GET", "/sign-in/with/google-oauth2", everyone(404)),
    ],
    "social.complete": [Case("GET", "/sign-in/with/github/complete", everyone(302))],
    "social.unlink": [
        Case("POST", "/settings/sign-in/{social_account_id}/unlink", owner_only(302))
    ],
    # Posting to LinkedIn (issue 6, second half): the earner's own public awards only.
    "linkedin.connect": [Case("GET", "/settings/linkedin/connect", signed_in(302))],
    "linkedin.callback": [Case("GET", "/settings/linkedin/callback", signed_in(302))],
    "linkedin.disconnect": [Case("POST", "/settings/linkedin/disconnect", signed_in(302))],
    "linkedin.compose": [
        Case("GET", "/wallet/awards/{shared_award_id}/linkedin", owner_only(200)),
        Case("GET", "/wallet/awards/{award_id}/linkedin", owner_only(409)),
        Case(
            "POST",
            "/wallet/awards/{shared_award_id}/linkedin",
            owner_only(200),
            {"text": "Earned it", "preview": "Preview"},
        ),
    ],
    "collections.index": [
        Case("GET", "/wallet/collections", signed_in(200)),
        Case("POST", "/wallet/collections", signed_in(400)),
    ],
    "collections.show": [Case("GET", "/wallet/collections/{collection_id}", owner_only(200))],
    "collections.rename": [
        Case("POST", "/wallet/collections/{collection_id}/rename", owner_only(302), {"name": "N"})
    ],
    "collections.visibility": [
        Case(
            "POST",
            "/wallet/collections/{collection_id}/visibility",
            owner_only(302),
            {"visibility": "public"},
        )
    ],
    "collections.delete": [
        Case("GET", "/wallet/collections/{collection_id}/delete", owner_only(200)),
        Case("POST", "/wallet/collections/{collection_id}/delete", owner_only(302)),
    ],
    "collections.move": [Case("POST", "/wallet/collections/{collection_id}/move", owner_only(302))],
    "collections.add": [
        Case(
            "POST",
            "/wallet/collections/items",
            owner_only(302),
            {"collection": "{collection_id}", "award_id": "{award_id}"},
        )
    ],
    "collections.remove": [
        Case(
            "POST",
            "/wallet/collections/{collection_id}/items/{award_id}/remove",
            owner_only(302),
        )
    ],
    "collections.move_item": [
        Case(
            "POST",
            "/wallet/collections/{collection_id}/items/{award_id}/move",
            owner_only(302),
        )
    ],
    "collections.shared": [Case("GET", "/c/{collection_token}", everyone(200))],
    "issuers.index": [
        Case("GET", "/issuers", signed_in(200)),
        Case("POST", "/issuers", signed_in(400)),
    ],
    "issuers.dashboard": [Case("GET", "/issuers/{issuer_id}", owner_only(200))],
    "issuers.linkedin": [
        Case("POST", "/issuers/{issuer_id}/linkedin", owner_only(302), {"organization_id": "1337"})
    ],
    "issuers.new_achievement": [
        Case("GET", "/issuers/{issuer_id}/achievements/new", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/achievements/new", owner_only(400)),
    ],
    "issuers.achievement": [
        Case("GET", "/issuers/{issuer_id}/achievements/{achievement_id}", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/achievements/{achievement_id}", owner_only(400)),
    ],
    "issuers.upload": [
        Case(
            "POST",
            "/issuers/{issuer_id}/achievements/{achievement_id}/upload",
            owner_only(302),
        )
    ],
    "issuers.upload_page": [
        Case("GET", "/issuers/{issuer_id}/uploads/{upload_id}", owner_only(200))
    ],
    "issuers.upload_status": [
        Case("GET", "/issuers/{issuer_id}/uploads/{upload_id}/status", owner_only(200))
    ],
    "issuers.revoke": [
        Case("GET", "/issuers/{issuer_id}/awards/{issued_public_id}/revoke", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/awards/{issued_public_id}/revoke", owner_only(400)),
    ],
    "claims.claim": [
        Case("GET", "/claim/not-a-real-link", signed_in(404)),
        Case("POST", "/claim/not-a-real-link", signed_in(404)),
    ],
    "issuers.expire": [
        Case("GET", "/issuers/{issuer_id}/awards/{issued_public_id}/expire", owner_only(200)),
        Case(
            "POST",
            "/issuers/{issuer_id}/awards/{issued_public_id}/expire",
            owner_only(400),
            data={"on": "not a date"},
        ),
    ],
    "issuers.replace": [
        Case("GET", "/issuers/{issuer_id}/awards/{issued_public_id}/replace", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/awards/{issued_public_id}/replace", owner_only(400)),
    ],
    "ob.document": [
        Case("GET", "/ob/v3/issuers/{issuer_public_id}", everyone(200)),
        Case("GET", "/ob/v3/issuers/{issuer_public_id}/status", everyone(200)),
        Case("GET", "/ob/v2/assertions/{issued_public_id}", everyone(200)),
        Case("GET", "/ob/v2/badges/{achievement_public_id}", everyone(200)),
        Case("GET", "/ob/v2/nothing/here", everyone(404)),
    ],
    "issuer_members.index": [
        Case("GET", "/issuers/{issuer_id}/members", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/members", owner_only(400)),
    ],
    "issuer_members.role": [
        Case(
            "POST",
            "/issuers/{issuer_id}/members/{owner_id}/role",
            owner_only(302),
            {"role": "owner"},
        )
    ],
    "issuer_members.remove": [
        Case("GET", "/issuers/{issuer_id}/members/{owner_id}/remove", owner_only(200)),
        # The last owner cannot leave: told so on the team page.
        Case("POST", "/issuers/{issuer_id}/members/{owner_id}/remove", owner_only(302)),
    ],
    "issuer_members.join": [
        Case("GET", "/issuers/join/not-a-token", signed_in(404)),
        Case("POST", "/issuers/join/not-a-token", signed_in(404)),
    ],
    "issuer_members.audit": [Case("GET", "/issuers/{issuer_id}/audit", owner_only(200))],
    "issuer_members.domain": [
        Case("GET", "/issuers/{issuer_id}/domain", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/domain", owner_only(400)),
    ],
    # Surveys (issue 9), issuer side: define (owners, admins), results (owners, admins, analysts).
    "surveys.index": [Case("GET", "/issuers/{issuer_id}/surveys", owner_only(200))],
    "surveys.new": [
        Case("GET", "/issuers/{issuer_id}/surveys/new", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/surveys/new", owner_only(400)),
    ],
    "surveys.edit": [
        Case("GET", "/issuers/{issuer_id}/surveys/{survey_id}/edit", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/surveys/{survey_id}/edit", owner_only(400)),
    ],
    "surveys.results_page": [
        Case("GET", "/issuers/{issuer_id}/surveys/{survey_id}", owner_only(200))
    ],
    "surveys.results_csv": [
        Case("GET", "/issuers/{issuer_id}/surveys/{survey_id}/results.csv", owner_only(200))
    ],
    # Surveys (issue 9), earner side: an invitation is its earner's alone.
    "survey_answers.inbox": [Case("GET", "/wallet/surveys", signed_in(200))],
    "survey_answers.answer": [
        Case("GET", "/wallet/surveys/{invitation_id}", owner_only(200)),
        # No answer to the required question: refused on the question, nothing stored.
        Case("POST", "/wallet/surveys/{invitation_id}", owner_only(400)),
    ],
    "survey_answers.decline": [
        Case("GET", "/wallet/surveys/{invitation_id}/decline", owner_only(200)),
        Case("POST", "/wallet/surveys/{invitation_id}/decline", owner_only(302)),
    ],
    # Engagement (issue 10), issuer side: webhooks (owners, admins), analytics (+ analysts).
    # ``{endpoint_id}`` is an endpoint of the earner's issuer, ``{delivery_id}`` a delivery to it.
    "webhooks.index": [
        Case("GET", "/issuers/{issuer_id}/webhooks", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/webhooks", owner_only(400)),
    ],
    "webhooks.endpoint": [
        Case("GET", "/issuers/{issuer_id}/webhooks/{endpoint_id}", owner_only(200))
    ],
    "webhooks.send_test": [
        Case("POST", "/issuers/{issuer_id}/webhooks/{endpoint_id}/test", owner_only(302))
    ],
    "webhooks.set_enabled": [
        Case(
            "POST",
            "/issuers/{issuer_id}/webhooks/{endpoint_id}/enabled",
            owner_only(302),
            {"value": "0"},
        )
    ],
    "webhooks.rotate": [
        Case("GET", "/issuers/{issuer_id}/webhooks/{endpoint_id}/rotate", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/webhooks/{endpoint_id}/rotate", owner_only(200)),
    ],
    "webhooks.delete": [
        Case("GET", "/issuers/{issuer_id}/webhooks/{endpoint_id}/delete", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/webhooks/{endpoint_id}/delete", owner_only(302)),
    ],
    "webhooks.redeliver": [
        Case(
            "POST",
            "/issuers/{issuer_id}/webhooks/deliveries/{delivery_id}/redeliver",
            owner_only(302),
        )
    ],
    "analytics.index": [Case("GET", "/issuers/{issuer_id}/analytics", owner_only(200))],
    "analytics.export": [Case("GET", "/issuers/{issuer_id}/analytics.csv", owner_only(200))],
    # Engagement, earner side: only issuers the earner holds awards from can be switched.
    "issuer_sharing.index": [Case("GET", "/settings/issuers", signed_in(200))],
    "issuer_sharing.update": [
        Case("POST", "/settings/issuers/{issuer_public_id}", owner_only(302), {"value": "1"})
    ],
    "ob.badge_image": [Case("GET", "/ob/v2/badges/{achievement_public_id}/image", everyone(200))],
    # Export all my data (issue 4). The emailed link needs the owner signed in as well as its token.
    "exports.start": [Case("POST", "/settings/export", signed_in(302))],
    "exports.status": [Case("GET", "/settings/export/{export_id}", owner_only(200))],
    "exports.download": [Case("GET", "/settings/export/{export_id}/download", owner_only(200))],
    "exports.by_token": [Case("GET", "/export/not-a-token", signed_in(404))],
    "accounts.delete_account": [
        Case("GET", "/settings/delete", signed_in(200)),
        Case("POST", "/settings/delete", signed_in(400)),
    ],
    # Issuer API (issue 5): clients pages for members who manage clients, then /oauth and /api/v1.
    "api_clients.index": [
        Case("GET", "/issuers/{issuer_id}/clients", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/clients", owner_only(400)),
    ],
    "api_clients.revoke": [
        Case("GET", "/issuers/{issuer_id}/clients/{client_id}/revoke", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/clients/{client_id}/revoke", owner_only(302)),
    ],
    # No grant_type: 400 unsupported_grant_type (RFC 6749 §5.2) before any client is looked at.
    "oauth.token": [Case("POST", "/oauth/token", everyone(400))],
    "oauth.revoke": [Case("POST", "/oauth/revoke", everyone(401))],
    "api.openapi": [Case("GET", "/api/v1/openapi.json", everyone(200))],
    "api.docs": [Case("GET", "/api/v1/docs", everyone(200))],
    "api.get_issuer": [Case("GET", "/api/v1/issuer", api_only(200))],
    "api.list_achievements": [Case("GET", "/api/v1/achievements", api_only(200))],
    "api.create_achievement": [
        Case("POST", "/api/v1/achievements", api_only(201), json={"name": "N"})
    ],
    "api.get_achievement": [
        Case("GET", "/api/v1/achievements/{achievement_public_id}", api_only(404))
    ],
    "api.update_achievement": [
        Case(
            "PATCH",
            "/api/v1/achievements/{achievement_public_id}",
            api_only(404),
            json={"name": "Stolen"},
        )
    ],
    "api.archive_achievement": [
        Case("DELETE", "/api/v1/achievements/{achievement_public_id}", api_only(404))
    ],
    "api.create_award": [
        Case(
            "POST",
            "/api/v1/awards",
            api_only(404),
            json={
                "achievement_id": "{achievement_public_id}",
                "recipient": {"email": "x@example.org"},
            },
        )
    ],
    # A batch answers 200 with a result per item: here one "failed", the achievement not found.
    "api.create_award_batch": [
        Case(
            "POST",
            "/api/v1/awards/batch",
            api_only(200),
            json={
                "items": [
                    {
                        "achievement_id": "{achievement_public_id}",
                        "recipient": {"email": "x@example.org"},
                    }
                ]
            },
        )
    ],
    "api.list_awards": [Case("GET", "/api/v1/awards", api_only(200))],
    "api.get_award": [Case("GET", "/api/v1/awards/{issued_public_id}", api_only(404))],
    # Employer pages (issue 7): public profile, skills and their JSON, share links, verify tool.
    "profiles.profile": [
        Case("GET", "/@{handle}", everyone(200)),
        Case("GET", "/@nobody-has-this-handle", everyone(404)),
    ],
    "profiles.skills": [Case("GET", "/@{handle}/skills", everyone(200))],
    "profiles.skills_json": [Case("GET", "/@{handle}/skills.json", everyone(200))],
    "profiles.presentation": [Case("GET", "/@{handle}/skills/presentation.json", everyone(200))],
    "profiles.directory": [Case("GET", "/directory?skill=x", everyone(200))],
    "share_links.index": [
        Case("GET", "/wallet/share-links", signed_in(200)),
        Case("POST", "/wallet/share-links", signed_in(400)),
    ],
    "share_links.revoke": [
        Case("GET", "/wallet/share-links/{share_link_id}/revoke", owner_only(200)),
        Case("POST", "/wallet/share-links/{share_link_id}/revoke", owner_only(302)),
    ],
    "share_links.shared": [
        Case("GET", "/s/{share_token}", everyone(200)),
        Case("GET", "/s/not-a-token", everyone(404)),
    ],
    "verify_tool.verify_credential": [
        Case("GET", "/verify", everyone(200)),
        Case("POST", "/verify", everyone(400)),
    ],
    "api.revoke_award": [
        Case(
            "POST",
            "/api/v1/awards/{issued_public_id}/revoke",
            api_only(404),
            json={"reason": "Stolen"},
        )
    ],
    "api.expire_award": [
        Case("POST", "/api/v1/awards/{issued_public_id}/expire", api_only(404), json={})
    ],
    "api.replace_award": [
        Case("POST", "/api/v1/awards/{issued_public_id}/replace", api_only(404), json={})
    ],
    # Survey API (issue 9): the client belongs to another issuer, so the earner's issuer's
    # survey is not found, and its achievement cannot be named (422 on the field).
    "api.list_surveys": [Case("GET", "/api/v1/surveys", api_only(200))],
    "api.create_survey": [
        Case(
            "POST",
            "/api/v1/surveys",
            api_only(422),
            json={
                "title": "Feedback",
                "achievement_ids": ["{achievement_public_id}"],
                "questions": [{"type": "nps", "text": "Recommend?"}],
            },
        )
    ],
    "api.get_survey": [Case("GET", "/api/v1/surveys/{survey_public_id}", api_only(404))],
    "api.replace_survey": [
        Case(
            "PUT",
            "/api/v1/surveys/{survey_public_id}",
            api_only(404),
            json={
                "title": "Stolen",
                "achievement_ids": ["{achievement_public_id}"],
                "questions": [{"type": "nps", "text": "Recommend?"}],
            },
        )
    ],
    # Engagement API (issue 10): the client's own issuer only; the earner's issuer's events,
    # analytics and deliveries never show (lists answer 200 with the client's own, empty).
    "api.list_events": [Case("GET", "/api/v1/events", api_only(200))],
    "api.get_analytics": [Case("GET", "/api/v1/analytics", api_only(200))],
    "api.list_deliveries": [Case("GET", "/api/v1/webhooks/deliveries", api_only(200))],
    "api.survey_results": [
        Case("GET", "/api/v1/surveys/{survey_public_id}/results", api_only(404))
    ],
    # Pathways (issue 8): ``{pathway_id}`` is the public id of a published pathway of the
    # earner's issuer, with one level ``{group_id}`` holding one step ``{step_id}``.
    "pathways.index": [
        Case("GET", "/issuers/{issuer_id}/pathways", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/pathways", owner_only(400)),
    ],
    "pathways.edit": [
        Case("GET", "/issuers/{issuer_id}/pathways/{pathway_id}", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/pathways/{pathway_id}", owner_only(400)),
    ],
    "pathways.add_group": [
        Case("POST", "/issuers/{issuer_id}/pathways/{pathway_id}/groups", owner_only(400))
    ],
    "pathways.update_group": [
        Case(
            "POST", "/issuers/{issuer_id}/pathways/{pathway_id}/groups/{group_id}", owner_only(400)
        )
    ],
    "pathways.remove_group": [
        Case(
            "GET",
            "/issuers/{issuer_id}/pathways/{pathway_id}/groups/{group_id}/remove",
            owner_only(200),
        ),
        # The only level of a published pathway cannot go: told so on the editor.
        Case(
            "POST",
            "/issuers/{issuer_id}/pathways/{pathway_id}/groups/{group_id}/remove",
            owner_only(302),
        ),
    ],
    "pathways.add_step": [
        Case("POST", "/issuers/{issuer_id}/pathways/{pathway_id}/steps", owner_only(400))
    ],
    "pathways.remove_step": [
        Case(
            "POST",
            "/issuers/{issuer_id}/pathways/{pathway_id}/steps/{step_id}/remove",
            owner_only(302),
        )
    ],
    "pathways.publish": [
        Case("GET", "/issuers/{issuer_id}/pathways/{pathway_id}/publish", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/pathways/{pathway_id}/publish", owner_only(302)),
    ],
    "pathways.archive": [
        Case("GET", "/issuers/{issuer_id}/pathways/{pathway_id}/archive", owner_only(200)),
        Case("POST", "/issuers/{issuer_id}/pathways/{pathway_id}/archive", owner_only(302)),
    ],
    "pathways.show": [Case("GET", "/pathways/{pathway_id}", everyone(200))],
    "api.list_pathways": [Case("GET", "/api/v1/pathways", api_only(200))],
    "api.create_pathway": [
        Case(
            "POST",
            "/api/v1/pathways",
            api_only(201),
            json={
                "name": "N",
                "groups": [{"title": "G", "steps": [{"iri": "https://e.example/b", "title": "B"}]}],
            },
        )
    ],
    "api.get_pathway": [Case("GET", "/api/v1/pathways/{pathway_id}", api_only(404))],
    "api.update_pathway": [
        Case(
            "PUT",
            "/api/v1/pathways/{pathway_id}",
            api_only(404),
            json={
                "name": "Stolen",
                "groups": [
                    {"title": "G", "steps": [{"achievement_id": "{achievement_public_id}"}]}
                ],
            },
        )
    ],
    "api.archive_pathway": [Case("DELETE", "/api/v1/pathways/{pathway_id}", api_only(404))],
}
