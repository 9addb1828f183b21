"""Skills aggregation: merged by code or URL then name, counted, verified only when all passed."""

from __future__ import annotations

import datetime as dt
import typing as t

from wallet.profiles import skills
from wallet.profiles.skills import Backing
from wallet.profiles.skills import Evidence

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def _award(
    public_id: str,
    *alignments: dict[str, str],
    issuer: str = "Dock School",
    state: str = "valid",
    checks: tuple[str, ...] = ("pass", "pass"),
    checked: dt.datetime = NOW,
    kind: str = "Course",
    evidence: tuple[Evidence, ...] = (),
    expires: dt.datetime | None = None,
) -> Backing:
    return Backing(
        public_id=public_id,
        achievement_name=f"Award {public_id}",
        achievement_type=kind,
        issuer_name=issuer,
        state=state,
        verified_at=checked,
        check_statuses=checks,
        alignments=alignments,
        evidence=evidence,
        expires_at=expires,
    )


def _skill(name: str, **rest: str) -> dict[str, str]:
    return {"name": name, "url": "", "framework": "", "code": "", "description": ""} | rest


def _names(found: t.Iterable[skills.Skill]) -> list[tuple[str, int]]:
    return [(s.name, s.count) for s in found]


def test_the_same_code_in_a_framework_is_one_skill_whatever_its_name() -> None:
    found = skills.aggregate(
        [
            _award("a", _skill("Welding", framework="ESCO", code="S1.2")),
            _award("b", _skill("MIG welding", framework="esco", code="s1.2"), issuer="Port"),
        ]
    )
    assert len(found) == 1
    assert found[0].count == 2
    assert found[0].issuers == ["Dock School", "Port"]
    assert found[0].codes == ["S1.2", "s1.2"]


def test_the_same_url_is_one_skill_and_names_then_merge_groups() -> None:
    found = skills.aggregate(
        [
            _award("a", _skill("Knots", url="https://skills.example/knots/")),
            _award("b", _skill("Tying knots", url="https://skills.example/knots")),
            _award("c", _skill("  tying   KNOTS ")),
            _award("d", _skill("Rigging")),
        ]
    )
    assert _names(found) == [("Knots", 3), ("Rigging", 1)]


def test_different_codes_with_different_names_stay_apart() -> None:
    found = skills.aggregate(
        [
            _award("a", _skill("Welding", framework="ESCO", code="1")),
            _award("b", _skill("Painting", framework="ESCO", code="2")),
        ]
    )
    assert sorted(s.name for s in found) == ["Painting", "Welding"]


def test_an_award_stating_a_skill_twice_counts_once() -> None:
    found = skills.aggregate([_award("a", _skill("Welding"), _skill("welding"))])
    assert _names(found) == [("Welding", 1)]


def test_revoked_expired_and_invalid_awards_back_nothing() -> None:
    found = skills.aggregate(
        [
            _award("a", _skill("Welding"), state="revoked"),
            _award("b", _skill("Welding"), state="expired"),
            _award("c", _skill("Welding"), state="invalid"),
            _award("d", _skill("Rigging")),
        ]
    )
    assert _names(found) == [("Rigging", 1)]


def test_verified_only_when_every_backing_award_passed_every_check() -> None:
    earlier = NOW - dt.timedelta(days=3)
    found = skills.aggregate(
        [
            _award("a", _skill("Welding"), checked=earlier),
            _award("b", _skill("Welding"), checks=("pass", "skip")),
            _award("c", _skill("Rigging")),
            _award("d", _skill("Rigging"), state="unverifiable", checks=("pass", "warn")),
        ]
    )
    by_name = {s.name: s for s in found}
    assert by_name["Welding"].verified
    assert by_name["Welding"].checked_at == earlier
    assert not by_name["Rigging"].verified


def test_filters_keep_one_issuer_or_one_framework() -> None:
    awards = [
        _award("a", _skill("Welding", framework="ESCO", code="1")),
        _award("b", _skill("Welding", framework="ESCO", code="1"), issuer="Port"),
        _award("c", _skill("Sailing", framework="O*NET", code="9"), issuer="Port"),
    ]
    assert _names(skills.aggregate(awards, issuer="Port")) == [("Sailing", 1), ("Welding", 1)]
    assert _names(skills.aggregate(awards, framework="ESCO")) == [("Welding", 2)]
    assert skills.frameworks(skills.aggregate(awards)) == ["ESCO", "O*NET"]
    assert skills.issuers(awards) == ["Dock School", "Port"]


def test_levels_evidence_and_json() -> None:
    proof = Evidence(name="Portfolio", url="https://me.example/work")
    found = skills.aggregate(
        [
            _award("a", _skill("Welding"), kind="Certification", evidence=(proof,)),
            _award("b", _skill("Welding"), kind="Course", evidence=(proof,)),
        ]
    )
    skill = found[0]
    assert skill.levels == ["Certification", "Course"]
    assert skill.evidence == [proof]
    document = skill.to_json()
    assert document["verified"] is True
    assert document["count"] == 2
    assert [a["id"] for a in document["awards"]] == ["a", "b"]
    assert document["checked_at"] == "2026-06-01T00:00:00Z"


def test_the_soonest_expiry_of_a_counted_award() -> None:
    soon, later = NOW + dt.timedelta(days=1), NOW + dt.timedelta(days=9)
    awards = [
        _award("a", _skill("A"), expires=later),
        _award("b", _skill("B"), expires=soon),
        _award("c", _skill("C"), expires=NOW, state="expired"),
    ]
    assert skills.soonest_expiry(awards) == soon


def test_the_skill_key_is_stable_whatever_the_order() -> None:
    one = _award("a", _skill("Knots", url="https://k.example"), _skill("Knots"))
    two = _award("b", _skill("knots"))
    assert skills.aggregate([one, two])[0].key == skills.aggregate([two, one])[0].key
    assert skills.aggregate([one, two])[0].key == "url:https://k.example"
