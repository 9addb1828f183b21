"""The issuer API's endpoints under ``/api/v1``: the issuer, its achievements and its awards.

Each is declared with ``operations.operation(...)`` (scope, body model, rate limit, OpenAPI).
"""

from __future__ import annotations

import base64
import binascii
import typing as t

from flask import jsonify
from flask_babel import gettext as _
from pydantic import BaseModel
from pydantic import ValidationError

from wallet import errors
from wallet.issuer_api import schemas
from wallet.issuer_api import service as api_service
from wallet.issuer_api.operations import CHUNK
from wallet.issuer_api.operations import Refusal
from wallet.issuer_api.operations import Result
from wallet.issuer_api.operations import _field_errors
from wallet.issuer_api.operations import _fingerprint
from wallet.issuer_api.operations import _idempotency_key
from wallet.issuer_api.operations import _issuer_id
from wallet.issuer_api.operations import _key_ref
from wallet.issuer_api.operations import _token
from wallet.issuer_api.operations import bp
from wallet.issuer_api.operations import cycles_collected_after
from wallet.issuer_api.operations import operation
from wallet.issuer_api.operations import problem
from wallet.issuer_api.serialise import _location
from wallet.issuer_api.serialise import achievement_out
from wallet.issuer_api.serialise import award_out
from wallet.issuer_api.serialise import awards_out
from wallet.issuer_api.serialise import issuer_out
from wallet.issuers import awarding
from wallet.issuers import queries
from wallet.issuers import service as issuers
from wallet.issuers.models import IssuedAward
from wallet.web import context

if t.TYPE_CHECKING:
    pass

#: The blueprint (from ``operations``) these endpoints are registered on.
__all__ = ["bp"]


# --- The issuer and its achievements ------------------------------------------------------


@operation(
    "GET",
    "/issuer",
    scope="achievements:read",
    summary="The issuer this client acts for",
    response=schemas.IssuerOut,
    tag="issuer",
)
def get_issuer() -> Result:
    """The client's issuer profile."""
    return jsonify(issuer_out(issuers.issuer_for_client(context.db_session(), _issuer_id())))


@operation(
    "GET",
    "/achievements",
    scope="achievements:read",
    summary="List the achievements",
    response=schemas.AchievementList,
    tag="achievements",
)
def list_achievements() -> Result:
    """The issuer's achievements that are not archived."""
    items = queries.achievements_of(context.db_session(), _issuer_id())
    return jsonify({"items": [achievement_out(a) for a in items]})


def _fields(model: BaseModel, *, only_set: bool) -> dict[str, t.Any]:
    fields = model.model_dump(exclude_unset=only_set)
    if "skills" in fields:
        skills = fields.pop("skills")
        fields["alignments"] = [] if skills is None else skills
    for name in ("description", "criteria", "level", "tags"):
        if name in fields and fields[name] is None:
            fields[name] = [] if name == "tags" else ""
    return fields


@operation(
    "POST",
    "/achievements",
    scope="achievements:write",
    summary="Create an achievement",
    body=schemas.AchievementCreate,
    response=schemas.AchievementOut,
    status=201,
    tag="achievements",
)
def create_achievement(body: schemas.AchievementCreate) -> Result:
    """Create an achievement."""
    achievement = issuers.create_achievement_for_client(
        context.db_session(),
        _issuer_id(),
        _fields(body, only_set=False),
        client=_token().client.client_id,
    )
    headers = {
        "Location": f"{context.config().base_url}/api/v1/achievements/{achievement.public_id}"
    }
    return jsonify(achievement_out(achievement)), 201, headers


@operation(
    "GET",
    "/achievements/{achievement_id}",
    scope="achievements:read",
    summary="Get an achievement",
    response=schemas.AchievementOut,
    tag="achievements",
)
def get_achievement(achievement_id: str) -> Result:
    """One achievement (archived ones too)."""
    achievement = issuers.achievement_for_client(
        context.db_session(), _issuer_id(), achievement_id, archived=True
    )
    return jsonify(achievement_out(achievement))


@operation(
    "PATCH",
    "/achievements/{achievement_id}",
    scope="achievements:write",
    summary="Change an achievement",
    body=schemas.AchievementUpdate,
    response=schemas.AchievementOut,
    tag="achievements",
    description="Awards already made keep the achievement as it was when they were signed.",
)
def update_achievement(achievement_id: str, body: schemas.AchievementUpdate) -> Result:
    """Change some fields of an achievement."""
    changes = _fields(body, only_set=True)
    if changes.get("name", "") is None or (
        "achievement_type" in changes and changes["achievement_type"] is None
    ):
        raise Refusal(
            problem(
                422,
                _("Some of what you sent is not valid."),
                field_errors=[{"field": "name", "message": _("This cannot be null.")}],
            )
        )
    achievement = issuers.update_achievement_for_client(
        context.db_session(),
        _issuer_id(),
        achievement_id,
        changes,
        client=_token().client.client_id,
    )
    return jsonify(achievement_out(achievement))


@operation(
    "DELETE",
    "/achievements/{achievement_id}",
    scope="achievements:write",
    summary="Archive an achievement",
    response=schemas.AchievementOut,
    tag="achievements",
    description="It can no longer be awarded; the awards already made stay valid.",
)
def archive_achievement(achievement_id: str) -> Result:
    """Archive an achievement."""
    achievement = issuers.archive_achievement_for_client(
        context.db_session(), _issuer_id(), achievement_id, client=_token().client.client_id
    )
    return jsonify(achievement_out(achievement))


# --- Awards -------------------------------------------------------------------------------


@operation(
    "POST",
    "/awards",
    scope="awards:write",
    summary="Award an achievement to one person",
    body=schemas.AwardCreate,
    response=schemas.AwardOut,
    status=201,
    errors_=(404, 409),
    idempotent=True,
    tag="awards",
    description="Signs an Open Badges 3.0 credential and publishes it with a hosted OB 2.0 "
    "assertion. The earner finds it in their wallet, or is mailed how to claim it.",
)
def create_award(body: schemas.AwardCreate) -> Result:
    """Award one achievement."""
    session = context.db_session()
    key = _idempotency_key()
    client = _token().client
    ref = None
    if key is not None:
        ref = _key_ref(key)
        fingerprint = _fingerprint("award", body)
        if api_service.recall(session, client.id, key, fingerprint) is not None:
            issued = awarding.issued_award_by_key(session, _issuer_id(), ref)
            if issued is None:
                raise errors.Conflict(_("This request is still being handled. Retry later."))
            headers = {**_location(issued), "Idempotent-Replayed": "true"}
            return jsonify(award_out(issued)), 201, headers
        api_service.hold(session, client.id, key, fingerprint)
    achievement = issuers.achievement_for_client(session, _issuer_id(), body.achievement_id)
    issued = awarding.award(
        session,
        None,
        _issuer_id(),
        achievement.id,
        **{body.recipient.kind_and_identifier[0]: body.recipient.kind_and_identifier[1]},
        name=body.recipient.name,
        base_url=context.config().base_url,
        data_keys=context.config().data_keys,
        idempotency_key=ref,
    )
    return jsonify(award_out(issued)), 201, _location(issued)


@operation(
    "POST",
    "/awards/batch",
    scope="awards:write",
    summary="Award many at once (up to 10,000)",
    body=schemas.AwardBatch,
    response=schemas.BatchOut,
    errors_=(409,),
    idempotent=True,
    tag="awards",
    description="Each item gets its own result. Items are awarded in transactions of "
    f"{CHUNK}: an invalid item fails alone. Retrying with the same Idempotency-Key returns "
    "the first answer, and a batch cut short is finished without awarding anything twice.",
)
def create_award_batch(body: schemas.AwardBatch) -> Result:
    """Award a batch."""
    with cycles_collected_after():
        return _award_batch(body)


def _award_batch(body: schemas.AwardBatch) -> Result:
    session = context.db_session()
    key = _idempotency_key()
    client = _token().client
    ref = _key_ref(key) if key is not None else None
    held = None
    if key is not None:
        fingerprint = _fingerprint("batch", body)
        previous = api_service.recall(session, client.id, key, fingerprint)
        if previous is not None and previous.status:
            return jsonify(previous.response), previous.status, {"Idempotent-Replayed": "true"}
        held = previous or api_service.hold(session, client.id, key, fingerprint, commit=True)
    results: list[dict[str, t.Any] | None] = [None] * len(body.items)
    valid: list[tuple[int, awarding.BatchItem]] = []
    for index, raw in enumerate(body.items):
        try:
            item = schemas.AwardCreate.model_validate(raw)
        except ValidationError as error:
            results[index] = _failed(
                index,
                _("Some of what you sent is not valid"),
                _("This item is not a valid award request."),
                [schemas.FieldError(**e) for e in _field_errors(error)],
            )
            continue
        valid.append(
            (
                index,
                awarding.BatchItem(
                    item.achievement_id,
                    *item.recipient.kind_and_identifier,
                    item.recipient.name,
                    f"{ref}#{index}" if ref else None,
                ),
            )
        )
    if ref is not None:  # a retried batch: what was awarded before stays, and is not redone
        done = awarding.issued_awards_by_keys(
            session, _issuer_id(), [i.key or "" for _, i in valid]
        )
        redone = [(index, done[p.key]) for index, p in valid if p.key in done]
        _created(results, redone)
        valid = [(index, pending) for index, pending in valid if pending.key not in done]
    for start in range(0, len(valid), CHUNK):
        chunk = valid[start : start + CHUNK]
        try:
            outcomes = awarding.award_batch(
                session,
                _issuer_id(),
                [item for _, item in chunk],
                base_url=context.config().base_url,
                data_keys=context.config().data_keys,
                client=client.client_id,
            )
        except errors.WalletError as error:
            session.rollback()
            outcomes = [error] * len(chunk)
        made: list[tuple[int, IssuedAward | awarding.Awarded]] = []
        for (index, _item), outcome in zip(chunk, outcomes, strict=True):
            if isinstance(outcome, errors.WalletError):
                title = _("This award was not made")
                results[index] = _failed(index, title, str(outcome.message))
            else:
                made.append((index, outcome))
        _created(results, made)
    final = [r for r in results if r is not None]
    created = sum(1 for r in final if r["status"] == "created")
    payload = {"created": created, "failed": len(final) - created, "results": final}
    if held is not None:
        api_service.settle(session, held, 200, payload)
    return jsonify(payload)


def _created(
    results: list[dict[str, t.Any] | None],
    made: t.Sequence[tuple[int, IssuedAward | awarding.Awarded]],
) -> None:
    """Put the result of each award made into its place (a ``BatchResult``'s JSON)."""
    shown = awards_out([award for _index, award in made])
    for (index, _award), award in zip(made, shown, strict=True):
        results[index] = {"index": index, "status": "created", "award": award, "error": None}


def _failed(
    index: int, title: str, detail: str, field_errors: list[schemas.FieldError] | None = None
) -> dict[str, t.Any]:
    """Return the result of an item that was not awarded (a ``BatchResult``'s JSON)."""
    error = schemas.ItemError(title=title, detail=detail, errors=field_errors)
    result = schemas.BatchResult(index=index, status="failed", error=error)
    return result.model_dump(mode="json")


def _cursor(issued: IssuedAward) -> str:
    return base64.urlsafe_b64encode(f"v1:{issued.id}".encode()).decode().rstrip("=")


def _before_id(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _sep, number = text.partition(":")
        if prefix != "v1" or not number.isdigit() or len(number) > 18:
            raise ValueError(cursor)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Refusal(problem(400, _("This cursor is not one we gave out."))) from None


@operation(
    "GET",
    "/awards",
    scope="awards:read",
    summary="List the awards, newest first",
    query=schemas.AwardQuery,
    response=schemas.AwardPage,
    errors_=(400,),
    tag="awards",
    description="Pages follow an opaque cursor: pass ``next_cursor`` back as ``cursor`` (or "
    "follow ``next``) until it is null.",
)
def list_awards(query: schemas.AwardQuery) -> Result:
    """A page of the issuer's awards."""
    before = _before_id(query.cursor) if query.cursor else None
    rows = awarding.issued_awards_page(
        context.db_session(), _issuer_id(), before_id=before, limit=query.limit + 1
    )
    page, more = rows[: query.limit], len(rows) > query.limit
    cursor = _cursor(page[-1]) if more else None
    next_url = (
        f"{context.config().base_url}/api/v1/awards?cursor={cursor}&limit={query.limit}"
        if cursor
        else None
    )
    return jsonify({"items": [award_out(i) for i in page], "next_cursor": cursor, "next": next_url})


@operation(
    "GET",
    "/awards/{award_id}",
    scope="awards:read",
    summary="Get an award",
    response=schemas.AwardOut,
    tag="awards",
)
def get_award(award_id: str) -> Result:
    """One award."""
    issued = awarding.issued_award_for_client(context.db_session(), _issuer_id(), award_id)
    return jsonify(award_out(issued))


@operation(
    "POST",
    "/awards/{award_id}/revoke",
    scope="awards:write",
    summary="Revoke an award",
    body=schemas.Revocation,
    response=schemas.AwardOut,
    errors_=(409,),
    tag="awards",
    description="The hosted assertion, the revocation list and the status list say so at once.",
)
def revoke_award(award_id: str, body: schemas.Revocation) -> Result:
    """Revoke an award."""
    issued = awarding.revoke(context.db_session(), None, _issuer_id(), award_id, reason=body.reason)
    return jsonify(award_out(issued))


@operation(
    "POST",
    "/awards/{award_id}/expire",
    scope="awards:write",
    summary="Make an award expire",
    body=schemas.Expiry,
    response=schemas.AwardOut,
    errors_=(409,),
    tag="awards",
    description="Signs the credential again with `validUntil` set to `at` (now when left out); "
    "the hosted assertion says so, and wallets holding the award take the new version.",
)
def expire_award(award_id: str, body: schemas.Expiry) -> Result:
    """Make an award expire."""
    issued = awarding.expire(
        context.db_session(),
        None,
        _issuer_id(),
        award_id,
        at=body.at,
        base_url=context.config().base_url,
        data_keys=context.config().data_keys,
    )
    return jsonify(award_out(issued))


@operation(
    "POST",
    "/awards/{award_id}/replace",
    scope="awards:write",
    summary="Replace an award with a corrected one",
    body=schemas.Replacement,
    response=schemas.AwardOut,
    status=201,
    errors_=(409,),
    tag="awards",
    description="Makes a new award of the same achievement (as it is now) to the corrected "
    "recipient, and revokes the old one with a reason that names the new one. Returns the new.",
)
def replace_award(award_id: str, body: schemas.Replacement) -> Result:
    """Replace an award."""
    issued = awarding.replace(
        context.db_session(),
        None,
        _issuer_id(),
        award_id,
        **(
            {body.recipient.kind_and_identifier[0]: body.recipient.kind_and_identifier[1]}
            if body.recipient
            else {}
        ),
        name=body.recipient.name if body.recipient else None,
        base_url=context.config().base_url,
        data_keys=context.config().data_keys,
    )
    return jsonify(award_out(issued)), 201, _location(issued)
