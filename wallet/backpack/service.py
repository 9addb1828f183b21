"""Use cases of the backpack. Each owns its transaction and raises ``wallet.errors``."""

from __future__ import annotations

import hashlib
import typing as t

from flask_babel import gettext as _
from sqlalchemy import select

from wallet import errors
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import User
from wallet.backpack import images
from wallet.backpack import messages
from wallet.backpack import policy
from wallet.backpack.models import Award
from wallet.backpack.models import AwardImage
from wallet.backpack.models import AwardSkill
from wallet.backpack.models import AwardTag
from wallet.badges import details
from wallet.badges.verify import verify
from wallet.db import utcnow
from wallet.events import outbox
from wallet.events.catalog import AwardAccepted
from wallet.events.catalog import AwardDeclined
from wallet.events.catalog import AwardImported
from wallet.pathways import coearned

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.backpack.images import ImageFetch
    from wallet.badges.checks import Fetch
    from wallet.badges.report import Report


def add_award(
    session: Session,
    user_id: int,
    *,
    original: bytes,
    original_type: str,
    report: Report,
    credential_id: str | None = None,
    acceptance: str = "accepted",
    image: tuple[str, bytes] | None = None,
) -> Award:
    """Keep a verified credential in the earner's backpack (the caller verified it first).

    ``acceptance`` is ``pending`` for an award an issuer pushed, waiting for the earner's answer.
    ``image`` is the picture fetched for an original that is not itself an image.
    """
    summary = report.credential
    identity = credential_id or "sha256:" + hashlib.sha256(original).hexdigest()
    duplicate = session.scalar(
        select(Award.id).where(Award.user_id == user_id, Award.credential_id == identity)
    )
    if duplicate is not None:
        raise errors.Conflict(_("This badge is already in your wallet."))
    award = Award(
        user_id=user_id,
        original=original,
        original_type=original_type,
        format=report.format,
        credential_id=identity,
        issuer_id=str((summary.get("issuer") or {}).get("id") or ""),
        issuer_name=str((summary.get("issuer") or {}).get("name") or ""),
        achievement_name=str((summary.get("achievement") or {}).get("name") or ""),
        achievement_type=str((summary.get("achievement") or {}).get("type") or ""),
        achievement_iri=achievement_iri(summary),
        issued_at=report.issued_at,
        expires_at=report.expires_at,
        verification_status=report.status,
        verification=report.to_json(translatable=True),
        verified_at=report.checked_at,
        acceptance=acceptance,
        details=dict(details.from_documents(report.documents)),
    )
    award.skills = _skills(award.details)
    session.add(award)
    session.flush()
    if image is not None:
        session.add(AwardImage(award_id=award.id, media_type=image[0], data=image[1]))
        award.has_image = True
    if acceptance == "accepted":
        session.flush()
        outbox.record(session, AwardImported(award_id=award.id, about_user_id=user_id))
        _count_held(session, award)
    session.commit()
    return award


def achievement_iri(summary: t.Mapping[str, t.Any]) -> str:
    """Return the achievement's IRI a verification summary names (``""`` when it names none)."""
    value = (summary.get("achievement") or {}).get("id")
    return value if isinstance(value, str) and len(value) <= 500 else ""


def _skills(found: t.Mapping[str, t.Any]) -> list[AwardSkill]:
    skills = []
    for alignment in found.get("alignments", []):
        name = alignment.get("name") or alignment.get("code")
        if name:
            skills.append(
                AwardSkill(
                    name=name,
                    normalized=normalize_skill(name),
                    framework=alignment.get("framework", ""),
                    code=alignment.get("code", ""),
                    url=alignment.get("url", ""),
                )
            )
    return skills


def normalize_skill(name: str) -> str:
    """Fold a skill's name for matching: lowercase, single spaces."""
    return " ".join(name.casefold().split())[:300]


def import_award(
    session: Session,
    user_id: int,
    data: bytes | str,
    *,
    fetch: Fetch,
    fetch_image: ImageFetch | None = None,
) -> tuple[Award | None, Report]:
    """Verify what an earner brought and keep it; return the award (None if refused) and report.

    The earner's verified addresses are read first and that read is ended before verification
    fetches anything, so no transaction stays open across the network.
    """
    recipients = _verified_addresses(session, user_id)
    report = verify(data, fetch=fetch, recipients=recipients)
    if report.status == "invalid":
        return None, report
    raw = data if isinstance(data, bytes) else data.encode()
    credential_id = report.credential.get("id")
    original_type = _media_type(raw)
    url = details.from_documents(report.documents)["image"]
    image = None
    if fetch_image is not None and url and not original_type.startswith("image/"):
        image = images.picture(url, fetch_image)
    award = add_award(
        session,
        user_id,
        original=raw,
        original_type=original_type,
        report=report,
        credential_id=credential_id if isinstance(credential_id, str) else None,
        image=image,
    )
    return award, report


def _verified_addresses(session: Session, user_id: int) -> list[str]:
    """Return the earner's verified addresses, ending the read before the network is used."""
    addresses = list(
        session.scalars(
            select(EmailAddress.email).where(
                EmailAddress.user_id == user_id, EmailAddress.verified_at.is_not(None)
            )
        )
    )
    session.rollback()
    return addresses


def _media_type(raw: bytes) -> str:
    head = raw[:512].lstrip()
    if raw.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith((b"<svg", b"<?xml")):
        return "image/svg+xml"
    if head.startswith(b"{"):
        return "application/json"
    return "text/plain"


def get_award(session: Session, user_id: int, award_id: int) -> Award:
    """Return one of the earner's awards; another earner's is "not found", never "forbidden"."""
    award = session.get(Award, award_id)
    if award is None or not policy.may_see_private_parts(award, user_id):
        raise errors.NotFound(_("This badge is not in your wallet."))
    return award


def public_award(session: Session, public_id: str, viewer_id: int | None) -> Award:
    """Return the award behind a public link, if the viewer may see it (else "not found")."""
    award = session.scalar(select(Award).where(Award.public_id == public_id))
    if award is None or not policy.may_view_award(award, viewer_id):
        raise errors.NotFound(_("This badge is not shared, or no longer exists."))
    return award


def award_picture(session: Session, award: Award) -> tuple[str, bytes] | None:
    """Return (media type, bytes) of an award's picture (the caller checked the viewer)."""
    if award.image_is_original:
        return award.original_type, award.original
    image = session.get(AwardImage, award.id)
    return (image.media_type, image.data) if image else None


def set_visibility(session: Session, user_id: int, award_id: int, visibility: str) -> Award:
    """Make an award public or private; private hides it from every page and link at once."""
    if visibility not in policy.AWARD_VISIBILITIES:
        raise errors.Invalid(_("Choose private or public."))
    award = get_award(session, user_id, award_id)
    if award.acceptance != "accepted":
        raise errors.Conflict(_("Accept the badge before you share it."))
    award.visibility = visibility
    session.commit()
    return award


def annotate(session: Session, user_id: int, award_id: int, *, note: str, tags: str) -> Award:
    """Keep the earner's own note and tags (comma separated) on an award; only they see them."""
    award = get_award(session, user_id, award_id)
    award.note = note.strip()[:NOTE_MAX]
    wanted = _tags(tags)
    award.tags = [tag for tag in award.tags if tag.tag in wanted]
    held = {tag.tag for tag in award.tags}
    award.tags.extend(AwardTag(tag=tag) for tag in wanted if tag not in held)
    session.commit()
    return award


#: Longest note an earner may keep on an award.
NOTE_MAX = 2_000
#: Most tags on one award, and the longest tag.
TAGS_MAX, TAG_LENGTH = 20, 40


def _tags(text: str) -> list[str]:
    seen: list[str] = []
    for part in text.split(","):
        tag = " ".join(part.split()).lower()[:TAG_LENGTH]
        if tag and tag not in seen:
            seen.append(tag)
    if len(seen) > TAGS_MAX:
        raise errors.Invalid(_("Use at most %(count)d tags.", count=TAGS_MAX))
    return seen


def accept_award(session: Session, user_id: int, award_id: int) -> Award:
    """Accept an award an issuer sent (or take back a decline within the grace period)."""
    award = get_award(session, user_id, award_id)
    if award.acceptance == "declined" and not policy.may_undo_decline(award, utcnow()):
        raise errors.Conflict(_("This badge was declined too long ago to take it back."))
    if award.acceptance != "accepted":
        # Surveys of the issuer may ask about it (``surveys.inviting``, through the job).
        outbox.record(session, AwardAccepted(award_id=award.id, about_user_id=user_id))
        _count_held(session, award)
    award.acceptance = "accepted"
    award.declined_at = None
    session.commit()
    return award


def _count_held(session: Session, award: Award) -> None:
    """Count the award in the co-earned statistics the recommendations read."""
    coearned.award_held(
        session,
        award.user_id,
        award.achievement_iri,
        award_id=award.id,
        title=award.achievement_name,
        skills=[(skill.normalized, skill.name) for skill in award.skills],
    )


def decline_award(session: Session, user_id: int, award_id: int) -> Award:
    """Decline an award an issuer sent; it stays hidden and can be taken back for 30 days."""
    award = get_award(session, user_id, award_id)
    if award.acceptance == "accepted" and award.visibility == "public":
        award.visibility = "private"
    if award.acceptance == "accepted":
        coearned.award_released(session, user_id, award.achievement_iri, award_id=award.id)
    if award.acceptance != "declined":
        outbox.record(session, AwardDeclined(award_id=award.id, about_user_id=user_id))
    award.acceptance = "declined"
    award.declined_at = utcnow()
    session.commit()
    return award


def delete_award(session: Session, user_id: int, award_id: int) -> None:
    """Delete an award from the wallet; the issuer's own copy is not touched."""
    award = get_award(session, user_id, award_id)
    if award.acceptance == "accepted":
        coearned.award_released(session, user_id, award.achievement_iri, award_id=award.id)
    session.delete(award)
    session.commit()


def recheck_award(
    session: Session, user_id: int, award_id: int, *, fetch: Fetch, base_url: str
) -> Award:
    """Verify one of the earner's awards again now, at their request."""
    get_award(session, user_id, award_id)
    return _reverify(session, award_id, fetch=fetch, base_url=base_url)


def recheck_public_award(
    session: Session, public_id: str, viewer_id: int | None, *, fetch: Fetch, base_url: str
) -> Award:
    """Verify an award again now for anyone who may see it (its public page's "Check again")."""
    award = public_award(session, public_id, viewer_id)
    return _reverify(session, award.id, fetch=fetch, base_url=base_url)


def reverify_award(session: Session, award_id: int, *, fetch: Fetch, base_url: str) -> None:
    """Verify an award again on schedule; a job, so an award deleted meanwhile is no error."""
    if session.get(Award, award_id) is not None:
        _reverify(session, award_id, fetch=fetch, base_url=base_url)


def take_new_version(
    session: Session, award_id: int, original: bytes, *, fetch: Fetch, base_url: str
) -> None:
    """Keep the issuer's new version of a credential an earner holds (the same credential id,
    signed again, say with a new expiry), then verify it. A job: a deleted award is no error.

    Only a copy kept as JSON is updated; a baked picture the earner brought stays as it was."""
    award = session.get(Award, award_id)
    if award is None:
        return
    if award.original_type == "application/json":
        award.original = original
        session.flush()
    _reverify(session, award_id, fetch=fetch, base_url=base_url)


def _reverify(session: Session, award_id: int, *, fetch: Fetch, base_url: str) -> Award:
    award = session.get_one(Award, award_id)
    original, user_id = award.original, award.user_id
    report = verify(original, fetch=fetch, recipients=_verified_addresses(session, user_id))
    award = session.get_one(Award, award_id)
    award.verification = report.to_json(translatable=True)
    award.verification_status = report.status
    award.verified_at = report.checked_at
    if report.expires_at is not None:
        award.expires_at = report.expires_at
    if report.revoked:
        award.revoked_at = award.revoked_at or report.checked_at
    elif report.status == "valid":
        # A suspension the issuer lifted: the award is good again.
        award.revoked_at = None
    state = award.state(report.checked_at)
    if state in ("revoked", "expired") and award.notified_state != state:
        award.notified_state = state
        _tell_earner(session, award, state, base_url)
    session.commit()
    return award


def _tell_earner(session: Session, award: Award, state: str, base_url: str) -> None:
    user = session.get_one(User, award.user_id)
    address = user.primary_email
    if address is None:
        return
    outbox.record(
        session,
        messages.award_went_bad(
            to=address.email,
            name=user.display_name,
            locale=user.locale,
            state=state,
            achievement=award.achievement_name,
            issuer=award.issuer_name or award.issuer_id,
            link=f"{base_url}/wallet/awards/{award.id}",
            user_id=user.id,
        ),
    )
