"""The survey services check who acts, whatever page or API calls them."""

from __future__ import annotations

import typing as t

import pytest

from tests.factories import make_user
from tests.web.survey_helpers import invite
from tests.web.survey_helpers import issuer_with_survey
from wallet import errors
from wallet.issuers.models import Membership
from wallet.surveys import answering
from wallet.surveys import service

if t.TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy.orm import Session


def test_only_the_issuers_right_members_define_or_read(app: Flask, db: Session) -> None:
    _owner, issuer, achievement, survey = issuer_with_survey(app, db)
    stranger = make_user(db)
    awarder = make_user(db)
    db.add(Membership(issuer_id=issuer.id, user_id=awarder.id, role="awarder"))
    db.commit()
    definition = service.Definition(
        title="Mine now",
        intro="",
        questions=[{"type": "nps", "text": "?"}],
        achievement_ids=[achievement.id],
    )
    with pytest.raises(errors.NotFound):
        service.results_for_member(db, stranger.id, issuer.id, survey.id)
    with pytest.raises(errors.NotFound):
        service.update_survey(db, stranger.id, issuer.id, survey.id, definition)
    with pytest.raises(errors.Forbidden):
        service.results_for_member(db, awarder.id, issuer.id, survey.id)
    with pytest.raises(errors.Forbidden):
        service.create_survey(db, awarder.id, issuer.id, definition)
    # Another issuer's owner names this survey under their own issuer: not found.
    other_owner, other_issuer, _a, _s = issuer_with_survey(app, db)
    with pytest.raises(errors.NotFound):
        service.results_for_member(db, other_owner.id, other_issuer.id, survey.id)
    with pytest.raises(errors.NotFound):
        service.survey_for_client(db, other_issuer.id, survey.public_id)


def test_only_the_invited_earner_answers_or_declines(app: Flask, db: Session) -> None:
    _owner, _issuer, achievement, survey = issuer_with_survey(app, db)
    earner, stranger = make_user(db), make_user(db)
    invitation = invite(db, survey, achievement, earner)
    with pytest.raises(errors.NotFound):
        answering.answer(db, stranger.id, invitation.id, {"q1": ["5"]}, version=1, identified=False)
    with pytest.raises(errors.NotFound):
        answering.decline(db, stranger.id, invitation.id)
    answering.answer(db, earner.id, invitation.id, {"q1": ["5"]}, version=1, identified=False)
    with pytest.raises(errors.Conflict):
        answering.answer(db, earner.id, invitation.id, {"q1": ["6"]}, version=1, identified=False)
