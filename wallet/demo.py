"""Demo data for ``wallet seed-demo``: an earner to sign in as, holding verified badges.

The demo issuer signs OB 3.0 credentials with a fresh Ed25519 key named by ``did:key``, so the
awards verify offline, with every check passing, on any machine.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import typing as t

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from wallet.accounts import passwords
from wallet.accounts import queries
from wallet.accounts.models import EmailAddress
from wallet.accounts.models import User
from wallet.backpack import collection_service
from wallet.backpack import images
from wallet.backpack import service as backpack
from wallet.backpack.models import Award
from wallet.badges import details
from wallet.badges import keys
from wallet.badges import proofs
from wallet.badges.credentials import open_badge_credential
from wallet.badges.verify import verify
from wallet.db import utcnow
from wallet.http import BlockedURL
from wallet.issuers import service as issuers
from wallet.issuers.models import Issuer
from wallet.issuers.models import Membership
from wallet.pathways import rules as pathway_rules
from wallet.pathways import service as pathways
from wallet.pathways.models import Pathway
from wallet.surveys import service as surveys
from wallet.surveys.models import Survey
from wallet.surveys.models import SurveyInvitation
from wallet.surveys.models import SurveyResponse

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.http import Fetched

DEMO_EMAIL = "demo@example.org"
DEMO_ISSUER = "Demo Academy"
#: (achievement, OB 3.0 achievementType, description, months ago issued, years valid or None,
#: skills as (name, ESCO code)) of the badges the demo earner holds.
ACHIEVEMENTS = [
    (
        "Introduction to Robotics",
        "Course",
        "Built and programmed a line-following robot.",
        14,
        None,
        [("robotics", "S1.2.3"), ("programming", "S5.6.1")],
    ),
    (
        "Python Programming",
        "Certification",
        "Passed the proctored Python exam.",
        6,
        3,
        [("Python (computer programming)", "S5.6.1.2")],
    ),
    (
        "Team Leadership",
        "Competency",
        "Led a team of five through a term project.",
        2,
        None,
        [("lead a team", "S4.8.1")],
    ),
]
#: A badge the demo issuer sent that waits for the earner's answer.
PENDING = (
    "Cloud Fundamentals",
    "Course",
    "Deployed a web service to a public cloud.",
    0,
    None,
    [("cloud technologies", "S5.1.4")],
)
#: The demo earner's collection, shared by link, holding their first two badges (made public).
COLLECTION = "Job applications"
_COLOURS = ("#0b5cad", "#6b3fa0", "#1a6e35", "#8a5a00")


#: The demo pathway: Demo Academy's levels over the demo badges, and its milestone badge. The
#: demo earner holds three of its steps and has the fourth waiting for their answer.
PATHWAY = "Robotics Engineer"
PATHWAY_GROUPS = [
    ("Foundations", "level", "any", 1, ["Introduction to Robotics", "Python Programming"]),
    ("Working in teams", "milestone", "all", None, ["Team Leadership", "Cloud Fundamentals"]),
]


def _achievement_iri(title: str) -> str:
    """Return the IRI the demo credentials give the achievement called ``title``."""
    return f"https://demo.example/achievements/{title.lower().replace(' ', '-')}"


def _new_password() -> str:
    return "demo-" + secrets.token_urlsafe(12)


def _no_network(url: str, *, accept: t.Sequence[str], max_bytes: int = 0) -> Fetched:
    raise BlockedURL("The demo data is verified offline.", url=url)


def _picture(title: str, colour: str) -> str:
    """Return a small SVG badge picture as a data: URL (no network needed)."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="120" height="120">'
        f'<circle cx="60" cy="60" r="56" fill="{colour}"/>'
        '<text x="60" y="76" font-size="48" font-family="sans-serif" fill="#fff" '
        f'text-anchor="middle">{title[0]}</text></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _seed_awards(session: Session, user: User) -> int:
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes_raw()
    multibase = "z" + base58.b58encode(keys.ED25519_PREFIX + raw).decode()
    issuer = f"did:key:{multibase}"
    now = utcnow()
    awards = []
    for number, (title, kind, text, months_ago, years, skills) in enumerate(
        [*ACHIEVEMENTS, PENDING]
    ):
        issued = now - dt.timedelta(days=30 * months_ago + 1)
        expires = issued + dt.timedelta(days=365 * years) if years else None
        credential = open_badge_credential(
            issuer_id=issuer,
            issuer_name=DEMO_ISSUER,
            recipient_email=DEMO_EMAIL,
            achievement_id=_achievement_iri(title),
            name=title,
            description=text,
            criteria=text,
            achievement_type=kind,
            issued=issued,
            expires=expires,
            image=_picture(title, _COLOURS[number % len(_COLOURS)]),
            alignments=[
                {
                    "targetName": name,
                    "targetFramework": "ESCO",
                    "targetCode": code,
                    "targetUrl": f"https://esco.example/skills/{code}",
                }
                for name, code in skills
            ],
        )
        signed = proofs.sign(
            credential,
            private,
            verification_method=f"{issuer}#{multibase}",
            created=issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        original = json.dumps(signed, indent=2).encode()
        report = verify(original, fetch=_no_network, recipients=[DEMO_EMAIL])
        picture = images.picture(details.from_documents(report.documents)["image"], _no_network)
        awards.append(
            backpack.add_award(
                session,
                user.id,
                original=original,
                original_type="application/json",
                report=report,
                credential_id=signed["id"],
                acceptance="pending" if title == PENDING[0] else "accepted",
                image=picture,
            )
        )
    collection = collection_service.create_collection(session, user.id, COLLECTION)
    for award in awards[:2]:
        backpack.set_visibility(session, user.id, award.id, "public")
        collection_service.add_award(session, user.id, collection.id, award.id)
    collection_service.set_collection_visibility(session, user.id, collection.id, "link")
    return len(ACHIEVEMENTS)


#: The demo survey: its title, and the answers of its respondents (NPS, found work, what to
#: change); the last respondent shared their name.
SURVEY = "How did Python Programming work for you?"
SURVEY_ANSWERS = [
    (10, "Yes", "More exercises on testing."),
    (9, "Yes", "The exam felt fair."),
    (8, "Not yet", "Longer lab hours, please."),
    (6, "No", "Too fast in week three."),
    (10, "Yes", "Nothing: it was great."),
    (9, "Not yet", "A follow-up course on web apps."),
]


def _seed_survey(session: Session, user: User, data_keys: tuple[str, ...]) -> str:
    """Give the demo earner an issuer with a survey answered by six people, and ask them too."""
    issuer = issuers.create_issuer(
        session,
        user.id,
        name=DEMO_ISSUER,
        url="https://demo.example",
        email="badges@demo.example",
        description="The demo organisation: the demo earner is its owner.",
        data_keys=data_keys,
    )
    achievement = issuers.create_achievement(
        session,
        user.id,
        issuer.id,
        {"name": "Python Programming", "description": "Python.", "criteria": "Pass the exam."},
    )
    survey = surveys.create_survey(
        session,
        user.id,
        issuer.id,
        surveys.Definition(
            title=SURVEY,
            intro="Three questions, one minute.",
            questions=[
                {"type": "nps", "text": "Would you recommend the course?", "required": True},
                {
                    "type": "single",
                    "text": "Did the badge help you find work?",
                    "options": ["Yes", "No", "Not yet"],
                },
                {"type": "text", "text": "What should we change?", "max_length": 500},
            ],
            achievement_ids=[achievement.id],
            days_after=180,
        ),
    )
    now = utcnow()
    trigger = survey.triggers[0]
    unusable = passwords.hash_password(secrets.token_urlsafe(16))
    for number, (score, work, change) in enumerate(SURVEY_ANSWERS, start=1):
        respondent = User(
            handle=f"demo-respondent-{number}",
            display_name=f"Respondent {number}",
            password_hash=unusable,
        )
        session.add(respondent)
        session.flush()
        invitation = SurveyInvitation(
            survey_id=survey.id,
            trigger_id=trigger.id,
            user_id=respondent.id,
            achievement_id=achievement.id,
            available_at=now - dt.timedelta(days=number),
            notified_at=now - dt.timedelta(days=number),
            expires_at=now + dt.timedelta(days=30),
            answered_at=now - dt.timedelta(days=number) + dt.timedelta(hours=2),
        )
        session.add(invitation)
        session.flush()
        answers: dict[str, t.Any] = {"q1": score, "q2": work, "q3": change}
        session.add(
            SurveyResponse(
                invitation_id=invitation.id,
                survey_id=survey.id,
                version_id=survey.current.id,
                achievement_id=achievement.id,
                answers=answers,
                identified=number == len(SURVEY_ANSWERS),
            )
        )
    session.add(
        SurveyInvitation(
            survey_id=survey.id,
            trigger_id=trigger.id,
            user_id=user.id,
            achievement_id=achievement.id,
            available_at=now,
            notified_at=now,
            expires_at=now + dt.timedelta(days=30),
        )
    )
    session.commit()
    return (
        f"Made the demo earner the owner of the issuer {DEMO_ISSUER}, whose survey “{SURVEY}” "
        f"has {len(SURVEY_ANSWERS)} answers, and asked the demo earner to answer it too."
    )


def _seed_pathway(session: Session, user: User) -> str:
    """Give Demo Academy a published pathway over the demo badges, with a milestone badge."""
    issuer_id = session.scalar(
        select(Issuer.id)
        .join(Membership, Membership.issuer_id == Issuer.id)
        .where(Issuer.name == DEMO_ISSUER, Membership.user_id == user.id)
    )
    if issuer_id is None:
        return "No demo issuer: the demo pathway was not made."
    milestone = issuers.create_achievement(
        session,
        user.id,
        issuer_id,
        {
            "name": PATHWAY,
            "description": "Completed the Robotics Engineer pathway.",
            "criteria": "Complete every level of the pathway.",
            "achievement_type": "Certification",
        },
    )
    pathway = pathways.create_pathway(
        session,
        user.id,
        issuer_id,
        name=PATHWAY,
        description="From your first robot to leading a robotics team.",
        completion_achievement_id=milestone.id,
    )
    for title, kind, rule, required, steps in PATHWAY_GROUPS:
        group = pathways.add_group(
            session,
            user.id,
            issuer_id,
            pathway.public_id,
            pathway_rules.GroupSpec(title, kind, rule, required),
        )
        for step in steps:
            pathways.add_step(
                session,
                user.id,
                issuer_id,
                pathway.public_id,
                group.id,
                iri=_achievement_iri(step),
                title=step,
                base_url="",
            )
    pathways.publish(session, user.id, issuer_id, pathway.public_id)
    return (
        f"Published {DEMO_ISSUER}'s pathway “{PATHWAY}”: the demo earner is 2 of 3 along it; "
        "accepting their waiting badge completes it."
    )


def seed(
    session: Session, *, reset_password: bool = False, data_keys: tuple[str, ...] = ()
) -> list[str]:
    """Create the demo earner and their badges unless they exist; return lines to print.

    With ``data_keys`` (to seal the demo issuer's signing key) the demo earner also owns an
    issuer with a survey that has answers and a published pathway they are on.
    """
    user = queries.user_with_verified_email(session, DEMO_EMAIL)
    lines: list[str] = []
    if user is None:
        password = _new_password()
        user = User(
            handle="demo",
            display_name="Demo Earner",
            password_hash=passwords.hash_password(password),
        )
        user.emails.append(
            EmailAddress(
                email=DEMO_EMAIL, normalized=DEMO_EMAIL, is_primary=True, verified_at=utcnow()
            )
        )
        session.add(user)
        session.commit()
        lines.append(f"Created the demo earner {DEMO_EMAIL} with password: {password}")
    elif reset_password:
        password = _new_password()
        user.password_hash = passwords.hash_password(password)
        user.session_version += 1
        session.commit()
        lines.append(f"New password for the demo earner {DEMO_EMAIL}: {password}")
    else:
        lines.append(
            f"The demo earner {DEMO_EMAIL} exists. "
            "Run `wallet seed-demo --reset-password` to print a new password."
        )
    if session.scalar(select(Award.id).where(Award.user_id == user.id).limit(1)) is None:
        count = _seed_awards(session, user)
        lines.append(
            f"Gave the demo earner {count} badges from {DEMO_ISSUER}, verified offline, one more "
            f"waiting for their answer, and a collection “{COLLECTION}” shared by link."
        )
    if data_keys and session.scalar(select(Survey.id).where(Survey.title == SURVEY)) is None:
        lines.append(_seed_survey(session, user, data_keys))
    if data_keys and session.scalar(select(Pathway.id).where(Pathway.name == PATHWAY)) is None:
        lines.append(_seed_pathway(session, user))
    return lines
