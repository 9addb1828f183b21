"""The pathway endpoints of the issuer API (issue 8): define, read, list and archive pathways.

Reading takes ``pathways:read``, changing ``pathways:write``. Every lookup is limited to the
client's issuer ("not found" otherwise); a step may name any issuer's achievement on the platform.
"""

from __future__ import annotations

import base64
import binascii
import typing as t

from flask import jsonify
from flask_babel import gettext as _
from sqlalchemy import select

from wallet import errors
from wallet.issuer_api import pathway_schemas as schemas
from wallet.issuer_api.operations import Refusal
from wallet.issuer_api.operations import Result
from wallet.issuer_api.operations import _issuer_id
from wallet.issuer_api.operations import _token
from wallet.issuer_api.operations import bp
from wallet.issuer_api.operations import operation
from wallet.issuer_api.operations import problem
from wallet.issuers.models import Achievement
from wallet.pathways import client_service as service
from wallet.pathways import queries
from wallet.web import context

if t.TYPE_CHECKING:
    from wallet.pathways.models import Pathway

__all__ = ["bp"]


def _public_ids(pathways: list[Pathway]) -> dict[int, str]:
    """Return the public ids of the achievements the pathways name, in one query."""
    ids = {p.completion_achievement_id for p in pathways if p.completion_achievement_id}
    ids |= {
        s.achievement_id for p in pathways for g in p.groups for s in g.steps if s.achievement_id
    }
    if not ids:
        return {}
    rows = context.db_session().execute(
        select(Achievement.id, Achievement.public_id).where(Achievement.id.in_(ids))
    )
    return {number: public_id for number, public_id in rows}


def _status(pathway: Pathway) -> t.Literal["draft", "published", "archived"]:
    if pathway.archived_at is not None:
        return "archived"
    return "published" if pathway.published_at is not None else "draft"


def pathways_out(pathways: list[Pathway]) -> list[dict[str, t.Any]]:
    """Return pathways as the API shows them."""
    public = _public_ids(pathways)
    base = context.config().base_url
    return [
        schemas.PathwayOut(
            id=pathway.public_id,
            name=pathway.name,
            description=pathway.description,
            completion_achievement_id=public.get(pathway.completion_achievement_id or 0),
            status=_status(pathway),
            groups=[
                schemas.GroupOut(
                    title=group.title,
                    kind=group.kind,
                    rule=group.rule,
                    required=group.required,
                    steps=[
                        schemas.StepOut(
                            achievement_iri=step.achievement_iri,
                            achievement_id=public.get(step.achievement_id or 0),
                            title=step.title,
                        )
                        for step in group.steps
                    ],
                )
                for group in pathway.groups
            ],
            created_at=pathway.created_at,
            updated_at=pathway.updated_at,
            links=schemas.PathwayLinks(page=f"{base}/pathways/{pathway.public_id}"),
        ).model_dump(mode="json")
        for pathway in pathways
    ]


def _draft(body: schemas.PathwayIn) -> service.Draft:
    return service.Draft(
        name=body.name,
        description=body.description,
        completion_achievement_id=body.completion_achievement_id,
        groups=tuple(
            service.GroupDraft(
                title=group.title,
                kind=group.kind,
                rule=group.rule,
                required=group.required,
                steps=tuple(
                    service.StepDraft(
                        achievement_id=step.achievement_id, iri=step.iri or "", title=step.title
                    )
                    for step in group.steps
                ),
            )
            for group in body.groups
        ),
        publish=body.published,
    )


def _refused(error: errors.Invalid) -> Refusal:
    return Refusal(
        problem(
            422,
            _("Some of what you sent is not valid."),
            field_errors=[{"field": error.field or "groups", "message": str(error.message)}],
        )
    )


@operation(
    "GET",
    "/pathways",
    scope="pathways:read",
    summary="List the pathways",
    query=schemas.PathwayQuery,
    response=schemas.PathwayPage,
    errors_=(400,),
    tag="pathways",
    description="Drafts, published and archived pathways, oldest first. Pages follow an opaque "
    "cursor: pass ``next_cursor`` back as ``cursor`` until it is null.",
)
def list_pathways(query: schemas.PathwayQuery) -> Result:
    """A page of the issuer's pathways."""
    after = _after_id(query.cursor) if query.cursor else 0
    rows, last = queries.page_for_client(
        context.db_session(), _issuer_id(), after=after, limit=query.limit
    )
    cursor = _cursor(last) if last is not None else None
    next_url = (
        f"{context.config().base_url}/api/v1/pathways?cursor={cursor}&limit={query.limit}"
        if cursor
        else None
    )
    return jsonify({"items": pathways_out(rows), "next_cursor": cursor, "next": next_url})


def _cursor(row_id: int) -> str:
    return base64.urlsafe_b64encode(f"p1:{row_id}".encode()).decode().rstrip("=")


def _after_id(cursor: str) -> int:
    try:
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _sep, number = decoded.partition(":")
        if prefix != "p1" or not number.isdigit() or len(number) > 18:
            raise ValueError(cursor)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Refusal(problem(400, _("This cursor is not one we gave out."))) from None


@operation(
    "POST",
    "/pathways",
    scope="pathways:write",
    summary="Create a pathway",
    body=schemas.PathwayIn,
    response=schemas.PathwayOut,
    status=201,
    tag="pathways",
    description="Steps name achievements on this platform by id (yours or other issuers') or "
    "achievements issued elsewhere by their IRI. An earner holds a step when an accepted, valid "
    "award in their wallet carries that achievement. With ``published`` true earners see it.",
)
def create_pathway(body: schemas.PathwayIn) -> Result:
    """Create a pathway."""
    try:
        pathway = service.create_for_client(
            context.db_session(),
            _issuer_id(),
            _draft(body),
            base_url=context.config().base_url,
            client=_token().client.client_id,
        )
    except errors.Invalid as error:
        raise _refused(error) from None
    headers = {"Location": f"{context.config().base_url}/api/v1/pathways/{pathway.public_id}"}
    return jsonify(pathways_out([pathway])[0]), 201, headers


@operation(
    "GET",
    "/pathways/{pathway_id}",
    scope="pathways:read",
    summary="Get a pathway",
    response=schemas.PathwayOut,
    tag="pathways",
)
def get_pathway(pathway_id: str) -> Result:
    """One pathway (archived ones too)."""
    pathway = service.pathway_for_client(context.db_session(), _issuer_id(), pathway_id)
    return jsonify(pathways_out([pathway])[0])


@operation(
    "PUT",
    "/pathways/{pathway_id}",
    scope="pathways:write",
    summary="Replace a pathway",
    body=schemas.PathwayIn,
    response=schemas.PathwayOut,
    errors_=(409,),
    tag="pathways",
    description="Replaces the name, description, completion achievement and every group. "
    "Earners' progress is counted again; completions already made stay.",
)
def update_pathway(pathway_id: str, body: schemas.PathwayIn) -> Result:
    """Replace a pathway's definition."""
    try:
        pathway = service.replace_for_client(
            context.db_session(),
            _issuer_id(),
            pathway_id,
            _draft(body),
            base_url=context.config().base_url,
            client=_token().client.client_id,
        )
    except errors.Invalid as error:
        raise _refused(error) from None
    return jsonify(pathways_out([pathway])[0])


@operation(
    "DELETE",
    "/pathways/{pathway_id}",
    scope="pathways:write",
    summary="Archive a pathway",
    response=schemas.PathwayOut,
    tag="pathways",
    description="Earners no longer see it; milestone badges already awarded stay valid.",
)
def archive_pathway(pathway_id: str) -> Result:
    """Archive a pathway."""
    pathway = service.archive_for_client(
        context.db_session(), _issuer_id(), pathway_id, client=_token().client.client_id
    )
    return jsonify(pathways_out([pathway])[0])
