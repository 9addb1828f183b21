"""Use cases of posting to LinkedIn for an earner. Each owns its transaction.

Connecting stores the member's token sealed (``wallet.sealing``) with its expiry (60 days, no
refresh); disconnecting deletes it. Writing a post records a pending ``LinkedInPost`` and a
``linkedin.post_requested`` event in one transaction; the job ``publish_post`` then uploads the
award's preview picture, publishes the post and records the outcome the earner sees.
"""

from __future__ import annotations

import typing as t

from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy import select

from wallet import errors
from wallet.backpack import service as backpack
from wallet.db import utcnow
from wallet.events import outbox
from wallet.events.catalog import AwardShared
from wallet.events.catalog import LinkedInPostRequested
from wallet.issuers import queries as issuer_queries
from wallet.sealing import seal
from wallet.sealing import unseal
from wallet.sharing import linkedin
from wallet.sharing import preview
from wallet.sharing.models import LinkedInConnection
from wallet.sharing.models import LinkedInPost

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.backpack.models import Award
    from wallet.config import Config
    from wallet.http import HttpClient

#: How many posts of one award the page lists.
SHOWN_POSTS = 10


def connection(session: Session, user_id: int) -> LinkedInConnection | None:
    """Return the earner's LinkedIn connection, expired or not."""
    return session.scalar(select(LinkedInConnection).where(LinkedInConnection.user_id == user_id))


def connect(
    session: Session, data_keys: tuple[str, ...], user_id: int, grant: linkedin.Grant
) -> LinkedInConnection:
    """Keep the token LinkedIn gave for the earner (sealed), replacing an older one."""
    found = connection(session, user_id) or LinkedInConnection(user_id=user_id)
    found.member_id = grant.member_id
    found.member_name = grant.member_name
    found.sealed_token = seal(data_keys, grant.access_token.encode())
    found.scope = grant.scope
    found.connected_at = utcnow()
    found.expires_at = grant.expires_at
    session.add(found)
    session.commit()
    return found


def disconnect(session: Session, user_id: int) -> bool:
    """Delete the earner's LinkedIn token; True if there was one."""
    deleted = session.execute(
        delete(LinkedInConnection).where(LinkedInConnection.user_id == user_id)
    )
    session.commit()
    return bool(getattr(deleted, "rowcount", 0))


def postable_award(session: Session, user_id: int, award_id: int) -> Award:
    """Return the earner's award if it can be posted about (public: the post links its page)."""
    award = backpack.get_award(session, user_id, award_id)
    if award.visibility != "public" or award.acceptance != "accepted":
        raise errors.Conflict(_("Make the badge public first: the post links to its page."))
    return award


def posts_of(session: Session, user_id: int, award_id: int) -> list[LinkedInPost]:
    """Return the latest posts of one of the earner's awards, newest first."""
    return list(
        session.scalars(
            select(LinkedInPost)
            .where(LinkedInPost.user_id == user_id, LinkedInPost.award_id == award_id)
            .order_by(LinkedInPost.id.desc())
            .limit(SHOWN_POSTS)
        )
    )


def default_text(award: Award) -> str:
    """Return the text a post starts from, which the earner edits."""
    return str(
        _(
            "I earned %(badge)s from %(issuer)s.",
            badge=award.achievement_name or _("a badge"),
            issuer=award.issuer_name or award.issuer_id,
        )
    )


def check_text(text: str) -> str:
    """Return the post's text trimmed; ``Invalid`` when empty or too long for LinkedIn."""
    text = text.strip()
    if not text:
        raise errors.Invalid(_("Write something to post."), field="text")
    if len(linkedin.escape_little_text(text)) > linkedin.MAX_TEXT:
        raise errors.Invalid(
            _("LinkedIn takes at most %(count)d characters.", count=linkedin.MAX_TEXT),
            field="text",
        )
    return text


def request_post(session: Session, user_id: int, award_id: int, text: str) -> LinkedInPost:
    """Queue a post about a public award; the earner must be connected, with a live token."""
    award = postable_award(session, user_id, award_id)
    text = check_text(text)
    found = connection(session, user_id)
    if found is None or found.expired(utcnow()):
        raise errors.Conflict(_("Connect LinkedIn again: the permission to post has expired."))
    post = LinkedInPost(user_id=user_id, award_id=award.id, text=text, status="pending")
    session.add(post)
    session.flush()
    outbox.record(session, LinkedInPostRequested(post_id=post.id, about_user_id=user_id))
    session.commit()
    return post


def publish_post(session: Session, http: HttpClient, config: Config, post_id: int) -> None:
    """Publish a pending post on LinkedIn and record how it went (safe to run twice)."""
    post = session.get(LinkedInPost, post_id)
    if post is None or post.status != "pending":
        return
    # Claim it first: a second delivery of the event must not post it twice.
    post.status = "sending"
    session.commit()
    try:
        urn = _send(session, http, config, post)
    except linkedin.LinkedInError as error:
        _finish(session, post, status="failed", error=error.reason)
        if isinstance(error, linkedin.TokenRejected):
            _expire(session, post.user_id)
        return
    except Exception:
        # Never leave the earner looking at "Sending…" forever; the error is still logged.
        session.rollback()
        _finish(session, post, status="failed", error="refused")
        raise
    _finish(session, post, status="posted", urn=urn)
    award = backpack.get_award(session, post.user_id, post.award_id)
    issuer = issuer_queries.issuer_by_document_url(session, award.issuer_id, config.base_url)
    outbox.record(
        session,
        AwardShared(
            award_id=post.award_id,
            channel="linkedin-post",
            issuer_id=issuer.id if issuer is not None else None,
            about_user_id=post.user_id,
        ),
    )
    session.commit()


def _send(session: Session, http: HttpClient, config: Config, post: LinkedInPost) -> str:
    found = connection(session, post.user_id)
    if found is None or found.expired(utcnow()):
        raise linkedin.LinkedInError("reconnect")
    award = backpack.get_award(session, post.user_id, post.award_id)
    if award.visibility != "public":
        raise linkedin.LinkedInError("private")
    token = unseal(config.data_keys, found.sealed_token).decode()
    settings = config.linkedin
    picture = _thumbnail(session, award)
    image = linkedin.upload_image(http, settings, token, found.member_id, picture)
    # The public page's address (``sharing.public``), built without a request.
    page_url = f"{config.base_url}/a/{award.public_id}"
    issuer = award.issuer_name or award.issuer_id
    return linkedin.create_post(
        http,
        settings,
        token,
        found.member_id,
        post.text,
        linkedin.Article(
            url=page_url,
            title=award.achievement_name or "Badge",
            description=f"Issued by {issuer}",
            thumbnail=image,
        ),
    )


def _thumbnail(session: Session, award: Award) -> bytes:
    """Return the award's 1200 x 627 preview card, drawn as the page's Open Graph picture is.

    The job runs outside any request, so the card's few words are in English.
    """
    card = preview.Card(
        title=award.achievement_name or "Badge",
        issuer=award.issuer_name or award.issuer_id,
        warning="",
        site="The Wallet",
        issued_by="Issued by",
    )
    return preview.render(card, backpack.award_picture(session, award))


def _finish(
    session: Session,
    post: LinkedInPost,
    *,
    status: str,
    urn: str | None = None,
    error: str | None = None,
) -> None:
    post.status = status
    post.post_urn = urn
    post.error = error
    post.finished_at = utcnow()
    session.commit()


def _expire(session: Session, user_id: int) -> None:
    """LinkedIn refused the token: ask the earner to reconnect."""
    found = connection(session, user_id)
    if found is not None:
        found.expires_at = utcnow()
        session.commit()


def status_of(post: LinkedInPost) -> str:
    """Return what the earner sees: ``pending``, ``posted`` or ``failed``."""
    return "pending" if post.status in ("pending", "sending") else post.status
