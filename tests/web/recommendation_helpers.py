"""A small world for recommendation tests: an issuer, a pathway, and an earner on it."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from tests.factories import make_award
from wallet.db import utcnow
from wallet.issuers import documents
from wallet.issuers import service as issuers
from wallet.issuers.models import Achievement
from wallet.pathways.models import Pathway
from wallet.pathways.models import PathwayGroup
from wallet.pathways.models import PathwayStep

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.accounts.models import User

OUTSIDE_COURSE = "https://outside.example/course"


@dataclass(frozen=True)
class Planted:
    """The achievements of the Welder track: the earner holds ``welding``."""

    welding: Achievement
    safety: Achievement
    advanced: Achievement
    base_url: str

    def iri(self, achievement: Achievement) -> str:
        """Return the achievement's IRI."""
        return documents.Urls(self.base_url).badge_class(achievement)


def plant(
    session: Session, owner: User, earner: User, data_keys: tuple[str, ...], base_url: str
) -> Planted:
    """Make Acme Academy's Welder track (level 1: Welding and Safety; level 2: Advanced)."""
    issuer = issuers.create_issuer(
        session,
        owner.id,
        name="Acme Academy",
        url="https://acme.example",
        email="badges@acme.example",
        description="",
        data_keys=data_keys,
    )

    def achievement(name: str, level: str, **fields: t.Any) -> Achievement:
        found = Achievement(
            issuer_id=issuer.id,
            name=name,
            description=f"About {name}.",
            criteria=f"Pass the {name} assessment.",
            level=level,
            alignments=[{"name": "Welding", "framework": "", "code": "", "url": ""}],
            **fields,
        )
        session.add(found)
        return found

    welding = achievement(
        "Welding Basics",
        "1",
        next_steps=[{"title": "Outside course", "url": OUTSIDE_COURSE, "type": "course"}],
    )
    safety = achievement("Workshop Safety", "1")
    advanced = achievement("Advanced Welding", "2")
    session.flush()
    planted = Planted(welding=welding, safety=safety, advanced=advanced, base_url=base_url)
    pathway = Pathway(issuer_id=issuer.id, name="Welder track", published_at=utcnow())
    for position, members in enumerate(([welding, safety], [advanced])):
        group = PathwayGroup(position=position, title=f"Level {position + 1}", rule="all")
        group.steps = [
            PathwayStep(
                position=n, achievement_iri=planted.iri(a), achievement_id=a.id, title=a.name
            )
            for n, a in enumerate(members)
        ]
        pathway.groups.append(group)
    session.add(pathway)
    session.commit()
    make_award(
        session,
        earner,
        achievement_name=welding.name,
        achievement_iri=planted.iri(welding),
        issuer_name="Acme Academy",
        skills=["Welding"],
    )
    return planted
