"""Issuers, achievements and pathways for pathway tests, made through the real services."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from tests.factories import make_award
from tests.factories import make_user
from wallet.issuers import documents
from wallet.issuers import service as issuers
from wallet.pathways import rules
from wallet.pathways import service as pathways

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.accounts.models import User
    from wallet.backpack.models import Award
    from wallet.issuers.models import Achievement
    from wallet.issuers.models import Issuer
    from wallet.pathways.models import Pathway

#: The base URL of the app under test (``config_for_tests``).
BASE_URL = "http://localhost"


@dataclass
class Academy:
    """An issuer with an owner, three achievements and a milestone badge."""

    owner: User
    issuer: Issuer
    achievements: list[Achievement]
    milestone: Achievement

    def iri(self, achievement: Achievement) -> str:
        """Return the IRI an award of ``achievement`` carries."""
        return documents.Urls(BASE_URL).badge_class(achievement)


def academy(db: Session, data_keys: tuple[str, ...], *, name: str = "Cloud Academy") -> Academy:
    """Return an issuer with achievements Networking, Storage, Security and a milestone badge."""
    owner = make_user(db)
    issuer = issuers.create_issuer(
        db,
        owner.id,
        name=name,
        url="https://cloud.example",
        email="c@cloud.example",
        description="",
        data_keys=data_keys,
    )
    made = [
        issuers.create_achievement(
            db,
            owner.id,
            issuer.id,
            {
                "name": title,
                "description": "d",
                "criteria": "c",
                "level": level,
                "alignments": [{"name": skill, "framework": "", "code": "", "url": ""}],
            },
        )
        for title, level, skill in (
            ("Networking", "Foundation", "Subnets"),
            ("Storage", "Foundation", "Object storage"),
            ("Security", "Professional", "Identity"),
        )
    ]
    milestone = issuers.create_achievement(
        db, owner.id, issuer.id, {"name": "Cloud Architect", "description": "d", "criteria": "c"}
    )
    return Academy(owner, issuer, made, milestone)


def published_pathway(db: Session, school: Academy, *, milestone: bool = True) -> Pathway:
    """Return a published pathway: level 1 any 1 of Networking and Storage, level 2 Security."""
    owner, issuer = school.owner.id, school.issuer.id
    pathway = pathways.create_pathway(
        db,
        owner,
        issuer,
        name="Cloud Architect",
        description="From **foundations** to architecture.",
        completion_achievement_id=school.milestone.id if milestone else None,
    )
    first = pathways.add_group(
        db, owner, issuer, pathway.public_id, rules.GroupSpec("Foundations", "level", "any", 1)
    )
    second = pathways.add_group(
        db, owner, issuer, pathway.public_id, rules.GroupSpec("Professional", "milestone")
    )
    for group, achievement in (
        (first, school.achievements[0]),
        (first, school.achievements[1]),
        (second, school.achievements[2]),
    ):
        pathways.add_step(
            db,
            owner,
            issuer,
            pathway.public_id,
            group.id,
            achievement_id=achievement.id,
            base_url=BASE_URL,
        )
    return pathways.publish(db, owner, issuer, pathway.public_id)


def holding(db: Session, school: Academy, *names: str, user: User | None = None) -> User:
    """Return an earner holding accepted, valid awards of the named achievements."""
    user = user or make_user(db)
    by_name = {a.name: a for a in [*school.achievements, school.milestone]}
    for name in names:
        give(db, user, school.iri(by_name[name]), name)
    return user


def give(db: Session, user: User, iri: str, name: str, **fields: t.Any) -> Award:
    """Add an accepted, valid award carrying ``iri`` to the earner's wallet."""
    return make_award(db, user, achievement_iri=iri, achievement_name=name, **fields)
