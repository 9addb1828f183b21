"""An earner's verified skills, aggregated from their awards. Pure: no Flask, no session.

Each award states the skills it aligns to (``wallet.badges.details.Alignment``). Alignments are
the same skill when they share a framework code or a URL, and then when their names are the same
once folded (lowercase, single spaces): the groups are joined transitively, so "Python" with code
ESCO:123 and "python programming" with code ESCO:123 and a third "Python" from another issuer are
one skill. A skill is *verified* only when every award backing it passed every check (nothing
failed, nothing could not be checked) and is neither revoked nor expired; it carries the date the
oldest of those checks ran, so an employer knows how fresh "verified" is.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from collections import Counter
from dataclasses import dataclass
from dataclasses import field

#: Award states (``Award.state()``) whose skills count: revoked, expired and invalid ones never do.
COUNTED_STATES = ("valid", "unverifiable")
#: Check outcomes that keep a skill from being called verified.
NOT_PASSED = ("fail", "warn")


@dataclass(frozen=True)
class Evidence:
    """A link to the earner's work, from one award."""

    name: str
    url: str


@dataclass(frozen=True)
class Backing:
    """One award as the aggregation sees it: who issued what, its checks and its alignments."""

    public_id: str
    achievement_name: str
    achievement_type: str
    issuer_name: str
    #: ``Award.state()`` at the time of reading.
    state: str
    verified_at: dt.datetime
    #: The status of each check of the last verification (``pass``, ``fail``, ``warn``, ``skip``).
    check_statuses: tuple[str, ...] = ()
    #: ``Alignment`` dicts as ``wallet.badges.details`` stores them.
    alignments: tuple[t.Mapping[str, str], ...] = ()
    evidence: tuple[Evidence, ...] = ()
    expires_at: dt.datetime | None = None

    @property
    def passed(self) -> bool:
        """Return whether every check of this award passed (skipped ones aside)."""
        return self.state == "valid" and not any(s in NOT_PASSED for s in self.check_statuses)


@dataclass
class Skill:
    """One skill and the awards behind it."""

    #: Stable identifier of the skill (for filters and share links): its code, URL or name key.
    key: str
    name: str
    frameworks: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    url: str = ""
    awards: list[Backing] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Return how many awards back the skill."""
        return len(self.awards)

    @property
    def issuers(self) -> list[str]:
        """Return the issuers of the backing awards, each once, in order of appearance."""
        return list(dict.fromkeys(a.issuer_name for a in self.awards if a.issuer_name))

    @property
    def levels(self) -> list[str]:
        """Return the kinds of award backing the skill (Course, Certification, Degree...)."""
        return list(dict.fromkeys(a.achievement_type for a in self.awards if a.achievement_type))

    @property
    def evidence(self) -> list[Evidence]:
        """Return the evidence links of the backing awards, each once."""
        return list(dict.fromkeys(e for a in self.awards for e in a.evidence if e.url))

    @property
    def verified(self) -> bool:
        """Return whether every backing award passed every check."""
        return bool(self.awards) and all(a.passed for a in self.awards)

    @property
    def checked_at(self) -> dt.datetime | None:
        """Return when the oldest of the backing awards' last checks ran."""
        return min((a.verified_at for a in self.awards), default=None)

    def to_json(self) -> dict[str, t.Any]:
        """Return the skill as the machine-readable skills page gives it."""
        return {
            "key": self.key,
            "name": self.name,
            "frameworks": self.frameworks,
            "codes": self.codes,
            "url": self.url or None,
            "count": self.count,
            "issuers": self.issuers,
            "levels": self.levels,
            "verified": self.verified,
            "checked_at": _stamp(self.checked_at),
            "evidence": [{"name": e.name, "url": e.url} for e in self.evidence],
            "awards": [
                {
                    "id": a.public_id,
                    "name": a.achievement_name,
                    "type": a.achievement_type,
                    "issuer": a.issuer_name,
                    "state": a.state,
                    "checked_at": _stamp(a.verified_at),
                }
                for a in self.awards
            ],
        }


def fold(name: str) -> str:
    """Fold a skill's name for matching: lowercase, single spaces."""
    return " ".join(name.casefold().split())


def _keys(alignment: t.Mapping[str, str]) -> list[str]:
    """Return the identifiers an alignment is known by, most specific first."""
    keys = []
    code = fold(alignment.get("code") or "")
    if code:
        keys.append(f"code:{fold(alignment.get('framework') or '')}|{code}")
    url = (alignment.get("url") or "").strip().rstrip("/")
    if url:
        keys.append(f"url:{url}")
    name = fold(alignment.get("name") or alignment.get("code") or "")
    if name:
        keys.append(f"name:{name}")
    return keys


class _Groups:
    """Union-find over skill identifiers."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, keys: list[str]) -> None:
        roots = [self.find(key) for key in keys]
        for root in roots[1:]:
            self.parent[root] = roots[0]


def aggregate(
    backings: t.Iterable[Backing], *, framework: str = "", issuer: str = ""
) -> list[Skill]:
    """Return the skills the awards back, most backed first, then by name.

    Only awards in ``COUNTED_STATES`` count. ``issuer`` keeps only awards of that issuer;
    ``framework`` keeps only skills stated in that framework.
    """
    kept = [
        b for b in backings if b.state in COUNTED_STATES and (not issuer or b.issuer_name == issuer)
    ]
    groups = _Groups()
    for backing in kept:
        for alignment in backing.alignments:
            keys = _keys(alignment)
            if keys:
                groups.join(keys)
    members: dict[str, list[tuple[Backing, t.Mapping[str, str]]]] = {}
    for backing in kept:
        for alignment in backing.alignments:
            keys = _keys(alignment)
            if keys:
                members.setdefault(groups.find(keys[0]), []).append((backing, alignment))
    skills = [_skill(found, groups) for found in members.values()]
    if framework:
        skills = [s for s in skills if framework in s.frameworks]
    return sorted(skills, key=lambda s: (-s.count, fold(s.name), s.key))


def _skill(found: list[tuple[Backing, t.Mapping[str, str]]], groups: _Groups) -> Skill:
    alignments = [alignment for _, alignment in found]
    names = Counter((a.get("name") or a.get("code") or "").strip() for a in alignments)
    # The most used name; ties go to the first in alphabetical order, so pages are stable.
    name = min(names, key=lambda n: (-names[n], n))
    all_keys = sorted({key for a in alignments for key in _keys(a)})
    key = next(
        (k for prefix in ("code:", "url:", "name:") for k in all_keys if k.startswith(prefix)),
        "",
    )
    awards = list({b.public_id: b for b, _ in found}.values())
    return Skill(
        key=key,
        name=name,
        frameworks=sorted({a["framework"] for a in alignments if a.get("framework")}),
        codes=sorted({a["code"] for a in alignments if a.get("code")}),
        url=next((a["url"] for a in alignments if a.get("url")), ""),
        awards=awards,
    )


def frameworks(skills: t.Iterable[Skill]) -> list[str]:
    """Return every framework the skills are stated in, for the filter."""
    return sorted({f for skill in skills for f in skill.frameworks}, key=str.casefold)


def issuers(backings: t.Iterable[Backing]) -> list[str]:
    """Return every issuer of counted awards, for the filter."""
    return sorted(
        {b.issuer_name for b in backings if b.issuer_name and b.state in COUNTED_STATES},
        key=str.casefold,
    )


def soonest_expiry(backings: t.Iterable[Backing]) -> dt.datetime | None:
    """Return when the first counted award expires: the page changes then."""
    return min(
        (b.expires_at for b in backings if b.expires_at and b.state in COUNTED_STATES),
        default=None,
    )


def _stamp(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
