"""Use cases of the issuer side of surveys: define, edit, read results. Each owns its transaction.

A member's right is checked with ``issuers.service.require_role`` (``manage_surveys`` to define,
``view_survey_results`` to read); an API client's issuer was checked from its token, and every
lookup here is limited to that issuer, so another issuer's survey is "not found".
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from dataclasses import field

from flask_babel import gettext as _
from sqlalchemy import select

from wallet import errors
from wallet.issuers.models import Achievement
from wallet.issuers.service import audit
from wallet.issuers.service import issuer_for_client
from wallet.issuers.service import require_role
from wallet.messages import N_
from wallet.messages import Message
from wallet.surveys import queries
from wallet.surveys import questions as q
from wallet.surveys import results
from wallet.surveys.models import Survey
from wallet.surveys.models import SurveyAchievement
from wallet.surveys.models import SurveyTrigger
from wallet.surveys.models import SurveyVersion

if t.TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wallet.issuers.models import Issuer

#: Longest title and introduction.
TITLE_MAX, INTRO_MAX = 200, 2_000
#: Bounds of the days settings (invitation life, reminder, "N days after accepting").
DAYS_MAX = 3_650


@dataclass(frozen=True)
class Definition:
    """What an issuer says a survey is (from the form or the API)."""

    title: str
    intro: str
    #: Rows for ``questions.define``.
    questions: list[dict[str, t.Any]]
    #: The issuer's achievements whose earners are asked (row ids).
    achievement_ids: list[int]
    on_accept: bool = True
    #: Invite this many days after accepting (``None``: not at all).
    days_after: int | None = None
    #: Ask earners who complete a pathway including one of the survey's achievements.
    on_pathway: bool = False
    expires_after_days: int = 30
    remind_after_days: int = 7


class DefinitionInvalid(errors.Invalid):
    """A definition with problems, each said on its field (``title``, ``questions.2`` ...)."""

    def __init__(self, problems: dict[str, Message]) -> None:
        super().__init__(Message(N_("Some of the survey is not valid.")))
        self.problems = problems


@dataclass
class Selection:
    """What the results page shows: a version, maybe one achievement's earners, the summary."""

    survey: Survey
    version: SurveyVersion
    achievement_id: int | None
    results: results.Results
    #: (version number, responses to it) of every version.
    versions: list[tuple[int, int]] = field(default_factory=list)


def _check(
    session: Session, issuer_id: int, definition: Definition, used: set[str]
) -> list[q.Question]:
    problems: dict[str, Message] = {}
    if not definition.title.strip():
        problems["title"] = Message(N_("Give the survey a title."))
    elif len(definition.title.strip()) > TITLE_MAX:
        problems["title"] = Message(N_("Write at most %(count)d characters."), count=TITLE_MAX)
    if len(definition.intro) > INTRO_MAX:
        problems["intro"] = Message(N_("Write at most %(count)d characters."), count=INTRO_MAX)
    found, rows = q.define(definition.questions, used_ids=used)
    problems.update({f"questions.{position}": message for position, message in rows.items()})
    if not found and not rows:
        problems["questions"] = Message(N_("Ask at least one question."))
    owned = set(
        session.scalars(
            select(Achievement.id).where(
                Achievement.issuer_id == issuer_id,
                Achievement.id.in_(definition.achievement_ids),
            )
        )
    )
    if not definition.achievement_ids:
        problems["achievements"] = Message(N_("Choose at least one achievement."))
    elif owned != set(definition.achievement_ids):
        problems["achievements"] = Message(N_("Choose among your own achievements."))
    if not (definition.on_accept or definition.days_after or definition.on_pathway):
        problems["triggers"] = Message(N_("Choose when earners are asked."))
    for name, value, low in (
        ("days_after", definition.days_after, 1),
        ("expires_after_days", definition.expires_after_days, 1),
        ("remind_after_days", definition.remind_after_days, 0),
    ):
        if value is not None and not low <= value <= DAYS_MAX:
            problems[name] = Message(
                N_("Give a number of days from %(low)d to %(high)d."), low=low, high=DAYS_MAX
            )
    if problems:
        raise DefinitionInvalid(problems)
    return found


def _apply(survey: Survey, definition: Definition) -> None:
    survey.title = definition.title.strip()
    survey.intro = definition.intro.strip()
    survey.expires_after_days = definition.expires_after_days
    survey.remind_after_days = definition.remind_after_days
    wanted = set(definition.achievement_ids)
    survey.achievements = [a for a in survey.achievements if a.achievement_id in wanted]
    held = {a.achievement_id for a in survey.achievements}
    survey.achievements.extend(
        SurveyAchievement(achievement_id=i) for i in sorted(wanted) if i not in held
    )
    kinds = set()
    if definition.on_accept:
        kinds.add(("accepted", 0))
    if definition.days_after:
        kinds.add(("days_after", definition.days_after))
    if definition.on_pathway:
        kinds.add(("pathway_completed", 0))
    # A trigger is never deleted: its invitations keep pointing at it.
    for trigger in survey.triggers:
        trigger.active = (trigger.kind, trigger.days) in kinds
    existing = {(trigger.kind, trigger.days) for trigger in survey.triggers}
    survey.triggers.extend(
        SurveyTrigger(kind=kind, days=days) for kind, days in sorted(kinds - existing)
    )


def _used_ids(survey: Survey) -> set[str]:
    return {str(item["id"]) for version in survey.versions for item in version.questions}


def _create(session: Session, issuer: Issuer, definition: Definition, actor: int | None) -> Survey:
    found = _check(session, issuer.id, definition, set())
    survey = Survey(issuer_id=issuer.id, title="")
    _apply(survey, definition)
    survey.versions.append(
        SurveyVersion(number=1, questions=[x.to_json() for x in found], created_by_user_id=actor)
    )
    session.add(survey)
    session.flush()
    return survey


def _update(survey: Survey, definition: Definition, actor: int | None, session: Session) -> bool:
    """Change the survey; a change of questions is a new version. Return whether one was made."""
    found = _check(session, survey.issuer_id, definition, _used_ids(survey))
    _apply(survey, definition)
    stored = [x.to_json() for x in found]
    if stored == survey.current.questions:
        return False
    survey.versions.append(
        SurveyVersion(number=survey.current.number + 1, questions=stored, created_by_user_id=actor)
    )
    return True


def create_survey(session: Session, user_id: int, issuer_id: int, definition: Definition) -> Survey:
    """Define a survey for the issuer's earners."""
    issuer, _member = require_role(session, user_id, issuer_id, "manage_surveys")
    survey = _create(session, issuer, definition, user_id)
    audit(session, issuer, user_id, "survey.created", survey=survey.public_id)
    session.commit()
    return survey


def update_survey(
    session: Session, user_id: int, issuer_id: int, survey_id: int, definition: Definition
) -> Survey:
    """Change a survey; changed questions make a new version, past answers keep theirs."""
    issuer, _member = require_role(session, user_id, issuer_id, "manage_surveys")
    survey = _own(session, issuer_id, survey_id)
    versioned = _update(survey, definition, user_id, session)
    audit(
        session,
        issuer,
        user_id,
        "survey.updated",
        survey=survey.public_id,
        version=survey.current.number if versioned else None,
    )
    session.commit()
    return survey


def _own(session: Session, issuer_id: int, survey_id: int) -> Survey:
    survey = session.get(Survey, survey_id)
    if survey is None or survey.issuer_id != issuer_id:
        raise errors.NotFound(_("This survey does not exist."))
    return survey


def survey_to_edit(session: Session, user_id: int, issuer_id: int, survey_id: int) -> Survey:
    """Return one of the issuer's surveys to a member who may change it."""
    require_role(session, user_id, issuer_id, "manage_surveys")
    return _own(session, issuer_id, survey_id)


def surveys_for_member(session: Session, user_id: int, issuer_id: int) -> list[Survey]:
    """Return the issuer's surveys to a member who may read their results."""
    require_role(session, user_id, issuer_id, "view_survey_results")
    return queries.surveys_of(session, issuer_id)


def results_for_member(
    session: Session,
    user_id: int,
    issuer_id: int,
    survey_id: int,
    *,
    version: int | None = None,
    achievement_id: int | None = None,
) -> Selection:
    """Return the results of a survey (a version, maybe one achievement's earners)."""
    require_role(session, user_id, issuer_id, "view_survey_results")
    return _select(session, _own(session, issuer_id, survey_id), version, achievement_id)


def _select(
    session: Session, survey: Survey, number: int | None, achievement_id: int | None
) -> Selection:
    version = next((v for v in survey.versions if v.number == number), survey.current)
    if achievement_id is not None and achievement_id not in survey.achievement_ids:
        raise errors.NotFound(_("This survey does not ask the earners of that achievement."))
    rows = queries.responses_to(session, version.id, achievement_id=achievement_id)
    counts = queries.responses_by_version(session, survey.id)
    return Selection(
        survey=survey,
        version=version,
        achievement_id=achievement_id,
        results=results.aggregate(q.load(version.questions), rows),
        versions=[(v.number, counts.get(v.id, 0)) for v in survey.versions],
    )


# --- For the issuer API ---------------------------------------------------------------------


def survey_for_client(session: Session, issuer_id: int, public_id: str) -> Survey:
    """Return one of the issuer's surveys by public id."""
    survey = session.scalar(
        select(Survey).where(Survey.public_id == public_id, Survey.issuer_id == issuer_id)
    )
    if survey is None:
        raise errors.NotFound(_("This survey does not exist."))
    return survey


def achievement_ids_for_client(
    session: Session, issuer_id: int, public_ids: list[str]
) -> list[int]:
    """Return the row ids of the issuer's achievements named by public id (NotFound otherwise)."""
    rows = session.execute(
        select(Achievement.public_id, Achievement.id).where(
            Achievement.issuer_id == issuer_id, Achievement.public_id.in_(public_ids)
        )
    )
    found = {public_id: row_id for public_id, row_id in rows}
    missing = [p for p in public_ids if p not in found]
    if missing:
        raise errors.NotFound(_("This achievement does not exist."), field="achievement_ids")
    return [found[p] for p in public_ids]


def achievement_public_ids(session: Session, ids: list[int]) -> list[str]:
    """Return the public ids of achievements, in the order of ``ids``."""
    rows = session.execute(
        select(Achievement.id, Achievement.public_id).where(Achievement.id.in_(ids))
    )
    found = {row_id: public_id for row_id, public_id in rows}
    return [found[i] for i in ids if i in found]


def create_survey_for_client(
    session: Session, issuer_id: int, definition: Definition, *, client: str
) -> Survey:
    """Define a survey, for the issuer's API client."""
    issuer = issuer_for_client(session, issuer_id)
    survey = _create(session, issuer, definition, None)
    audit(session, issuer, None, "survey.created", survey=survey.public_id, client=client)
    session.commit()
    return survey


def update_survey_for_client(
    session: Session, issuer_id: int, public_id: str, definition: Definition, *, client: str
) -> Survey:
    """Replace a survey's definition, for the issuer's API client (new questions: new version)."""
    survey = survey_for_client(session, issuer_id, public_id)
    _update(survey, definition, None, session)
    audit(
        session,
        issuer_for_client(session, issuer_id),
        None,
        "survey.updated",
        survey=public_id,
        client=client,
    )
    session.commit()
    return survey


def results_for_client(
    session: Session,
    issuer_id: int,
    public_id: str,
    *,
    version: int | None = None,
    achievement_public_id: str | None = None,
) -> Selection:
    """Return a survey's results to the issuer's API client."""
    survey = survey_for_client(session, issuer_id, public_id)
    achievement_id = None
    if achievement_public_id:
        achievement_id = achievement_ids_for_client(session, issuer_id, [achievement_public_id])[0]
    return _select(session, survey, version, achievement_id)
