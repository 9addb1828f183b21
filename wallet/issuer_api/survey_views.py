"""The survey endpoints of the issuer API (issue 9): define surveys, read their results.

Defining takes ``surveys:write``; results take ``analytics:read`` and hold to the same k >= 5 as
the pages. Every lookup is limited to the client's issuer ("not found" otherwise).
"""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

from wallet import errors
from wallet.issuer_api import survey_schemas as schemas
from wallet.issuer_api.operations import Refusal
from wallet.issuer_api.operations import Result
from wallet.issuer_api.operations import _issuer_id
from wallet.issuer_api.operations import _token
from wallet.issuer_api.operations import bp
from wallet.issuer_api.operations import operation
from wallet.issuer_api.operations import problem
from wallet.surveys import queries
from wallet.surveys import results as aggregation
from wallet.surveys import service
from wallet.surveys.models import Survey
from wallet.web import context

__all__ = ["bp"]


def survey_out(survey: Survey) -> dict[str, object]:
    """Return a survey as the API shows it."""
    kinds = {(trigger.kind, trigger.days) for trigger in survey.active_triggers()}
    achievements = service.achievement_public_ids(context.db_session(), survey.achievement_ids)
    return schemas.SurveyOut(
        id=survey.public_id,
        title=survey.title,
        intro=survey.intro,
        achievement_ids=achievements,
        triggers=schemas.TriggersOut(
            on_accept=("accepted", 0) in kinds,
            days_after=next((days for kind, days in kinds if kind == "days_after"), None),
            on_pathway=("pathway_completed", 0) in kinds,
        ),
        expires_after_days=survey.expires_after_days,
        remind_after_days=survey.remind_after_days,
        version=survey.current.number,
        questions=[schemas.QuestionOut(**item) for item in survey.current.questions],
        created_at=survey.created_at,
        updated_at=survey.updated_at,
    ).model_dump(mode="json")


def _definition(body: schemas.SurveyIn) -> service.Definition:
    try:
        achievement_ids = service.achievement_ids_for_client(
            context.db_session(), _issuer_id(), list(body.achievement_ids)
        )
    except errors.NotFound:
        raise Refusal(
            problem(
                422,
                _("Some of what you sent is not valid."),
                field_errors=[
                    {"field": "achievement_ids", "message": _("This achievement does not exist.")}
                ],
            )
        ) from None
    return service.Definition(
        title=body.title,
        intro=body.intro,
        questions=[question.model_dump() for question in body.questions],
        achievement_ids=achievement_ids,
        on_accept=body.triggers.on_accept,
        days_after=body.triggers.days_after,
        on_pathway=body.triggers.on_pathway,
        expires_after_days=body.expires_after_days,
        remind_after_days=body.remind_after_days,
    )


def _refused(error: service.DefinitionInvalid) -> Refusal:
    return Refusal(
        problem(
            422,
            _("Some of what you sent is not valid."),
            field_errors=[
                {"field": field, "message": message.render(_)}
                for field, message in error.problems.items()
            ],
        )
    )


@operation(
    "GET",
    "/surveys",
    scope="surveys:write",
    summary="List the surveys",
    response=schemas.SurveyList,
    tag="surveys",
)
def list_surveys() -> Result:
    """The issuer's surveys."""
    items = queries.surveys_of(context.db_session(), _issuer_id())
    return jsonify({"items": [survey_out(s) for s in items]})


@operation(
    "POST",
    "/surveys",
    scope="surveys:write",
    summary="Create a survey",
    body=schemas.SurveyIn,
    response=schemas.SurveyOut,
    status=201,
    tag="surveys",
    description="Earners of the named achievements are invited when they accept the badge, "
    "and/or some days later. They see what you will see: totals over at least 5 answers, and "
    "names only of earners who choose to share theirs.",
)
def create_survey(body: schemas.SurveyIn) -> Result:
    """Create a survey."""
    try:
        survey = service.create_survey_for_client(
            context.db_session(), _issuer_id(), _definition(body), client=_token().client.client_id
        )
    except service.DefinitionInvalid as error:
        raise _refused(error) from None
    headers = {"Location": f"{context.config().base_url}/api/v1/surveys/{survey.public_id}"}
    return jsonify(survey_out(survey)), 201, headers


@operation(
    "GET",
    "/surveys/{survey_id}",
    scope="surveys:write",
    summary="Get a survey",
    response=schemas.SurveyOut,
    tag="surveys",
)
def get_survey(survey_id: str) -> Result:
    """One survey, with its current version."""
    return jsonify(
        survey_out(service.survey_for_client(context.db_session(), _issuer_id(), survey_id))
    )


@operation(
    "PUT",
    "/surveys/{survey_id}",
    scope="surveys:write",
    summary="Replace a survey's definition",
    body=schemas.SurveyIn,
    response=schemas.SurveyOut,
    tag="surveys",
    description="Changed questions make a new version; answers already given keep the "
    "version they answered. Send a question's ``id`` to keep following it across versions.",
)
def replace_survey(survey_id: str, body: schemas.SurveyIn) -> Result:
    """Replace a survey's definition."""
    session = context.db_session()
    service.survey_for_client(session, _issuer_id(), survey_id)
    try:
        survey = service.update_survey_for_client(
            session, _issuer_id(), survey_id, _definition(body), client=_token().client.client_id
        )
    except service.DefinitionInvalid as error:
        raise _refused(error) from None
    return jsonify(survey_out(survey))


@operation(
    "GET",
    "/surveys/{survey_id}/results",
    scope="analytics:read",
    summary="Read a survey's results",
    query=schemas.ResultsQuery,
    response=schemas.SurveyResults,
    tag="surveys",
    description=f"Totals of a group are given only when it holds at least {aggregation.K} "
    "answers (and, when some earners shared their names, at least as many anonymous ones); "
    "free text comes without names, sorted. Named answers are those of earners who opted in.",
)
def survey_results(survey_id: str, query: schemas.ResultsQuery) -> Result:
    """A survey's results (a version, maybe one achievement's earners)."""
    try:
        selection = service.results_for_client(
            context.db_session(),
            _issuer_id(),
            survey_id,
            version=query.version,
            achievement_public_id=query.achievement_id,
        )
    except errors.NotFound:
        raise Refusal(problem(404, _("There is no such survey or achievement."))) from None
    found = selection.results
    return jsonify(
        schemas.SurveyResults(
            survey_id=selection.survey.public_id,
            version=selection.version.number,
            achievement_id=query.achievement_id if selection.achievement_id else None,
            min_group=aggregation.K,
            shown=found.shown,
            responses=found.responses if found.shown else None,
            questions=[
                schemas.QuestionResultOut(
                    question_id=item.question.id,
                    text=item.question.text,
                    type=item.question.type,  # type: ignore[arg-type]
                    shown=item.shown,
                    answered=item.answered if item.shown else None,
                    counts=[schemas.CountOut(**vars(c)) for c in item.counts],
                    mean=item.mean,
                    nps=item.nps,
                    texts=item.texts,
                    named=[schemas.NamedAnswer(name=n, answer=a) for n, a in item.named],
                )
                for item in found.questions
            ],
        ).model_dump(mode="json")
    )
