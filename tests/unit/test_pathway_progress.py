"""Progress along a pathway, as the backpack shows it: "3 of 5 toward Cloud Architect"."""

from __future__ import annotations

from wallet.pathways.progress import GroupShape
from wallet.pathways.progress import PathwayShape
from wallet.pathways.progress import StepShape
from wallet.pathways.progress import progress


def _steps(*names: str) -> tuple[StepShape, ...]:
    return tuple(StepShape(iri=f"https://x.example/{n}", title=n) for n in names)


ARCHITECT = PathwayShape(
    public_id="p1",
    name="Cloud Architect",
    issuer_id=1,
    groups=(
        GroupShape("Level 1", "level", "all", None, _steps("a", "b")),
        GroupShape("Level 2", "level", "any", 2, _steps("c", "d", "e")),
    ),
)


def test_counts_only_what_each_level_needs() -> None:
    held = {f"https://x.example/{n}" for n in ("a", "c", "d", "e")}
    found = progress(ARCHITECT, held)
    assert (found.done, found.needed) == (3, 4)
    assert not found.complete
    assert found.current is not None
    assert found.current.group.title == "Level 1"
    assert [s.title for s in found.current.left] == ["b"]


def test_any_n_of_m_completes_with_n() -> None:
    held = {f"https://x.example/{n}" for n in ("a", "b", "d", "e")}
    found = progress(ARCHITECT, held)
    assert found.complete
    assert found.current is None
    assert (found.done, found.needed) == (4, 4)


def test_nothing_held_is_not_started() -> None:
    found = progress(ARCHITECT, set())
    assert not found.started
    assert found.done == 0
