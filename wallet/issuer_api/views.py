"""The issuer API under ``/api/v1`` (blueprint ``api``): JSON in and out, OAuth2 bearer tokens.

Each route is declared with ``operation(...)``, which registers it on the blueprint, checks the
token's scope, parses the body with its pydantic model, marks the per-client rate limit, and
records the ``Operation`` the OpenAPI document is built from.
"""

from __future__ import annotations

import base64
import binascii
import functools
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
from wallet.db import utcnow
from wallet.issuer_api import schemas
from wallet.issuer_api import service as api_service
from wallet.issuer_api.openapi import Operation
from wallet.issuer_api.openapi import document
from wallet.issuers import documents
from wallet.issuers import queries
from wallet.issuers import service as issuers
from wallet.issuers.models import Achievement
from wallet.issuers.models import IssuedAward
from wallet.issuers.models import Issuer
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


# --- Serialising --------------------------------------------------------------------------


def issuer_out(issuer: Issuer) -> dict[str, t.Any]:
    """Return the issuer as the API shows it."""
    urls = _urls()
    return schemas.IssuerOut(
        id=issuer.public_id,
        name=issuer.name,
        url=issuer.url,
        email=issuer.email,
        description=issuer.description,
        links=schemas.IssuerLinks(profile=urls.profile(issuer), ob2_issuer=urls.ob2_issuer(issuer)),
    ).model_dump(mode="json")


def achievement_out(achievement: Achievement) -> dict[str, t.Any]:
    """Return an achievement as the API shows it."""
    return schemas.AchievementOut(
        id=achievement.public_id,
        name=achievement.name,
        description=achievement.description,
        criteria=achievement.criteria,
        achievement_type=achievement.achievement_type,
        level=achievement.level,
        skills=[schemas.SkillOut.model_validate(skill) for skill in achievement.alignments],
        tags=achievement.tags,
        valid_days=achievement.valid_days,
        archived=achievement.archived_at is not None,
        created_at=achievement.created_at,
        updated_at=achievement.updated_at,
        links=schemas.AchievementLinks(badge_class=_urls().badge_class(achievement)),
    ).model_dump(mode="json")


def _award_model(issued: IssuedAward) -> schemas.AwardOut:
    urls = _urls()
    state: t.Literal["active", "revoked", "expired"] = "active"
    if issued.revoked_at is not None:
        state = "revoked"
    elif issued.expires_at is not None and issued.expires_at <= utcnow():
        state = "expired"
    return schemas.AwardOut(
        id=issued.public_id,
        achievement_id=issued.achievement.public_id,
        recipient=schemas.RecipientOut(
            email=issued.recipient_normalized, name=issued.recipient_name
        ),
        status=state,
        issued_at=issued.issued_at,
        expires_at=issued.expires_at,
        revoked_at=issued.revoked_at,
        revocation_reason=issued.revocation_reason,
        links=schemas.AwardLinks(
            assertion=urls.assertion(issued),
            credential=urls.credential(issued),
            status_list=urls.status_list(issued.issuer),
        ),
    )


def award_out(issued: IssuedAward) -> dict[str, t.Any]:
    """Return an award as the API shows it."""
    return _award_model(issued).model_dump(mode="json")


def _location(issued: IssuedAward) -> dict[str, str]:
    return {"Location": f"{context.config().base_url}/api/v1/awards/{issued.public_id}"}


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
            issued = issuers.issued_award_by_key(session, _issuer_id(), ref)
            if issued is None:
                raise errors.Conflict(_("This request is still being handled. Retry later."))
            headers = {**_location(issued), "Idempotent-Replayed": "true"}
            return jsonify(award_out(issued)), 201, headers
        api_service.hold(session, client.id, key, fingerprint)
    achievement = issuers.achievement_for_client(session, _issuer_id(), body.achievement_id)
    issued = issuers.award(
        session,
        None,
        _issuer_id(),
        achievement.id,
        email=body.recipient.email,
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
    results: list[schemas.BatchResult | None] = [None] * len(body.items)
    valid: list[tuple[int, issuers.BatchItem]] = []
    for index, raw in enumerate(body.items):
        try:
            item = schemas.AwardCreate.model_validate(raw)
        except ValidationError as error:
            results[index] = schemas.BatchResult(
                index=index,
                status="failed",
                error=schemas.ItemError(
                    title=_("Some of what you sent is not valid"),
                    detail=_("This item is not a valid award request."),
                    errors=[schemas.FieldError(**e) for e in _field_errors(error)],
                ),
            )
            continue
        valid.append(
            (
                index,
                issuers.BatchItem(
                    item.achievement_id,
                    item.recipient.email,
                    item.recipient.name,
                    f"{ref}#{index}" if ref else None,
                ),
            )
        )
    if ref is not None:  # a retried batch: what was awarded before stays, and is not redone
        done = issuers.issued_awards_by_keys(session, _issuer_id(), [i.key or "" for _, i in valid])
        for index, pending in valid:
            if pending.key in done:
                results[index] = schemas.BatchResult(
                    index=index, status="created", award=_award_model(done[pending.key])
                )
        valid = [(index, pending) for index, pending in valid if pending.key not in done]
    for start in range(0, len(valid), CHUNK):
        chunk = valid[start : start + CHUNK]
        try:
            outcomes = issuers.award_batch(
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
        for (index, _item), outcome in zip(chunk, outcomes, strict=True):
            if isinstance(outcome, IssuedAward):
                results[index] = schemas.BatchResult(
                    index=index, status="created", award=_award_model(outcome)
                )
            else:
                results[index] = schemas.BatchResult(
                    index=index,
                    status="failed",
                    error=schemas.ItemError(
                        title=_("This award was not made"),
                        detail=str(outcome.message),
                    ),
                )
    final = [r for r in results if r is not None]
    created = sum(1 for r in final if r.status == "created")
    out = schemas.BatchOut(created=created, failed=len(final) - created, results=final)
    payload = out.model_dump(mode="json")
    if held is not None:
        api_service.settle(session, held, 200, payload)
    return jsonify(payload)


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
    rows = issuers.issued_awards_page(
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
    issued = issuers.issued_award_for_client(context.db_session(), _issuer_id(), award_id)
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
    issued = issuers.revoke(context.db_session(), None, _issuer_id(), award_id, reason=body.reason)
    return jsonify(award_out(issued))


@bp.errorhandler(errors.WalletError)
def _domain_error(error: errors.WalletError) -> Response:
    return problem(status_for(error), str(error.message))
