"""What makes a pathway's groups valid: the sentences issuers see in the pages and the API."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wallet.pathways.rules import GroupSpec
from wallet.pathways.rules import StepSpec
from wallet.pathways.rules import iri_problem
from wallet.pathways.rules import problems
from wallet.pathways.rules import rule_text


def _steps(count: int) -> tuple[StepSpec, ...]:
    return tuple(StepSpec(f"https://b.example/{n}", f"Step {n}") for n in range(count))


def test_a_complete_pathway_has_no_problems() -> None:
    groups = [GroupSpec("One", "level", "any", 2, _steps(3)), GroupSpec("Two", steps=_steps(1))]
    assert problems(groups, complete=True) == []


def test_any_n_counts_from_1_to_the_number_of_steps() -> None:
    for required in (0, 4):
        (found,) = problems([GroupSpec("One", "level", "any", required, _steps(3))], complete=True)
        assert found == "In “One”, “any” must count from 1 to its number of steps (3)."
    assert problems([GroupSpec("One", "level", "any", None, _steps(1))], complete=False)


def test_a_draft_may_hold_an_empty_level_but_cannot_publish_it() -> None:
    empty = [GroupSpec("Empty", "level", "any", 2)]
    assert problems(empty, complete=False) == []
    assert problems(empty, complete=True) == [
        "“Empty” needs at least one step.",
        "“Empty” needs at least 2 steps.",
    ]
    assert problems([], complete=True) == ["A pathway needs at least one level or milestone."]


def test_a_group_lists_an_achievement_once_and_knows_its_kind_and_rule() -> None:
    twice = (StepSpec("https://b.example/1", "A"), StepSpec("https://b.example/1", "A again"))
    assert problems([GroupSpec("One", steps=twice)], complete=True) == [
        "“One” lists the same achievement twice."
    ]
    odd = problems([GroupSpec(" ", "stage", "most", None, _steps(1))], complete=True)
    assert len(odd) == 3


def test_an_outside_achievement_is_an_http_address_of_at_most_500_characters() -> None:
    assert iri_problem("https://badges.example/classes/1") is None
    assert iri_problem("http://badges.example/classes/1") is None
    for bad in ("ftp://badges.example/1", "badges.example/1", "https://", "https://a b.example/"):
        assert iri_problem(bad) is not None, bad
    assert "at most 500" in str(iri_problem("https://b.example/" + "a" * 490))


@given(st.text(max_size=600))
def test_any_text_gets_an_answer_never_an_error(text: str) -> None:
    problem = iri_problem(text)
    assert problem is None or str(problem)
    if problem is None:
        assert text.startswith(("http://", "https://"))
        assert len(text) <= 500


def test_the_rule_reads_as_earners_say_it() -> None:
    assert rule_text("any", 2, 3) == "any 2 of 3"
    assert rule_text("all", None, 3) == "all 3"
    assert rule_text("any", 5, 3) == "any 3 of 3"
