"""The recommendation engine's rules: what it never recommends, and why it recommends the rest."""

from __future__ import annotations

from wallet.pathways import recommend
from wallet.pathways.progress import GroupShape
from wallet.pathways.progress import PathwayShape
from wallet.pathways.progress import StepShape
from wallet.pathways.recommend import CoEarned
from wallet.pathways.recommend import Facts
from wallet.pathways.recommend import NextStep
from wallet.pathways.recommend import SkillLink


def iri(name: str) -> str:
    return f"https://x.example/{name}"


def _steps(*names: str) -> tuple[StepShape, ...]:
    return tuple(StepShape(iri=iri(n), title=n.title()) for n in names)


ARCHITECT = PathwayShape(
    public_id="p1",
    name="Cloud Architect",
    issuer_id=1,
    groups=(
        GroupShape("Level 1", "level", "all", None, _steps("a", "b")),
        GroupShape("Level 2", "level", "any", 2, _steps("c", "d", "e")),
    ),
)


def pair(other: str, support: int, held: str = "a", holders: int = 10) -> CoEarned:
    return CoEarned(
        held=iri(held),
        held_title=held.title(),
        iri=iri(other),
        title=other.title(),
        support=support,
        holders=holders,
    )


def targets(facts: Facts, k: int = 5) -> list[str]:
    return [found.target for found in recommend.recommend(facts, k)]


def test_the_step_that_completes_a_level_comes_first_with_its_reason() -> None:
    facts = Facts(held=frozenset({iri("a"), iri("c")}), pathways=(ARCHITECT,))
    first = recommend.recommend(facts)[0]
    assert first.target == iri("b")
    assert first.reason == recommend.PATHWAY_LEVEL
    assert first.reason_params == {"pathway": "Cloud Architect", "level": "1"}


def test_steps_of_later_levels_wait_until_the_current_one_is_done() -> None:
    facts = Facts(held=frozenset({iri("a")}), pathways=(ARCHITECT,))
    assert targets(facts) == [iri("b")]


def test_a_pathway_not_started_recommends_nothing() -> None:
    facts = Facts(held=frozenset({iri("z")}), pathways=(ARCHITECT,))
    assert targets(facts) == []


def test_never_recommends_what_the_earner_holds() -> None:
    facts = Facts(
        held=frozenset({iri("a"), iri("b")}),
        coearned=(pair("b", 9),),
        next_steps=(NextStep(held=iri("a"), issuer="Acme", title="B", url=iri("b")),),
        skills=(SkillLink(iri=iri("b"), title="B", skill="SQL", via=iri("a")),),
    )
    assert iri("b") not in targets(facts)


def test_never_recommends_what_the_earner_dismissed() -> None:
    facts = Facts(
        held=frozenset({iri("a")}),
        dismissed=frozenset({iri("b")}),
        pathways=(ARCHITECT,),
        coearned=(pair("b", 9), pair("x", 6)),
    )
    assert targets(facts) == [iri("x")]


def test_never_recommends_what_expired_for_the_earner() -> None:
    facts = Facts(
        held=frozenset({iri("a")}),
        expired=frozenset({iri("b")}),
        pathways=(ARCHITECT,),
        coearned=(pair("b", 9),),
    )
    assert targets(facts) == []


def test_never_recommends_what_waits_for_the_earners_answer() -> None:
    facts = Facts(held=frozenset({iri("a")}), pending=frozenset({iri("b")}), pathways=(ARCHITECT,))
    assert targets(facts) == []


def test_co_earned_pairs_need_five_earners() -> None:
    facts = Facts(held=frozenset({iri("a")}), coearned=(pair("four", 4), pair("five", 5)))
    found = recommend.recommend(facts)
    assert [item.target for item in found] == [iri("five")]
    assert found[0].reason == recommend.CO_EARNED
    assert found[0].reason_params == {"held": "A"}


def test_co_earned_pairs_count_only_from_what_the_earner_holds() -> None:
    facts = Facts(held=frozenset({iri("a")}), coearned=(pair("x", 50, held="other"),))
    assert targets(facts) == []


def test_stronger_co_earned_pairs_rank_higher() -> None:
    facts = Facts(held=frozenset({iri("a")}), coearned=(pair("weak", 5), pair("strong", 9)))
    assert targets(facts) == [iri("strong"), iri("weak")]


def test_issuer_next_step_names_the_issuer() -> None:
    step = NextStep(held=iri("a"), issuer="Acme", title="Course", url="https://acme.example/next")
    found = recommend.recommend(Facts(held=frozenset({iri("a")}), next_steps=(step,)))
    assert [(f.target, f.title, f.reason, f.reason_params) for f in found] == [
        ("https://acme.example/next", "Course", recommend.ISSUER_NEXT, {"issuer": "Acme"})
    ]


def test_the_next_level_of_a_skill_beats_a_shared_skill() -> None:
    facts = Facts(
        held=frozenset({iri("a")}),
        skills=(
            SkillLink(iri=iri("same"), title="Same", skill="SQL", via=iri("a")),
            SkillLink(iri=iri("up"), title="Up", skill="SQL", via=iri("a"), next_level=True),
        ),
    )
    found = recommend.recommend(facts)
    assert [(f.target, f.reason) for f in found] == [
        (iri("up"), recommend.SKILL_NEXT_LEVEL),
        (iri("same"), recommend.SKILL_SHARED),
    ]
    assert found[1].reason_params == {"skill": "SQL"}


def test_evidence_adds_up_and_the_strongest_gives_the_reason() -> None:
    facts = Facts(
        held=frozenset({iri("a")}),
        pathways=(ARCHITECT,),
        coearned=(pair("b", 5, holders=100), pair("x", 90, holders=100)),
        skills=(SkillLink(iri=iri("b"), title="B", skill="SQL", via=iri("a")),),
    )
    found = recommend.recommend(facts)
    assert [f.target for f in found] == [iri("b"), iri("x")]
    assert found[0].reason == recommend.PATHWAY_LEVEL


def test_returns_at_most_k() -> None:
    facts = Facts(
        held=frozenset({iri("a")}), coearned=tuple(pair(f"n{n}", 5 + n) for n in range(9))
    )
    assert len(targets(facts, k=3)) == 3
    assert targets(facts, k=0) == []


def test_levels_are_read_from_numbers_and_words() -> None:
    assert recommend.level_rank("Level 2") == 2
    assert recommend.level_rank("Intermediate") == 2
    assert recommend.level_rank("") is None
    assert recommend.is_next_level("1", "Level 2")
    assert not recommend.is_next_level("1", "3")
    assert not recommend.is_next_level("", "2")
