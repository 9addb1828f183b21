"""Generate a realistic population for benchmarks: ``wallet bench-data`` (issues 8 and 11).

Issuers define pathways: tracks of achievements in levels (two a level), every achievement of a
track aligned to the track's skills and carrying its level, the last one pointing (the issuer's
"recommended next" link) to the first of another issuer's track. Earners follow tracks in order,
with noise: a step skipped now and then, an unrelated popular badge, and after a track most go on
to the linked one (a cross-issuer hop), the rest pick another track by popularity. Awards carry
the achievement's IRI and skills, with issue dates in the order earned.

Rows go in with COPY on PostgreSQL and executemany elsewhere, ids assigned here (so skills can
name their award without reading ids back), in chunks. The same ``seed`` gives the same data.
Placeholders stand in for what benchmarks do not read (originals, keys, verification reports).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import random
import typing as t
from collections import Counter

from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text

from wallet.db import Base
from wallet.pathways import coearned
from wallet.pathways.recommendation_queries import badge_prefix

if t.TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

#: Achievements in one track, and per level of it.
TRACK_LENGTH = 8
PER_LEVEL = 2
#: Chance, at each step, that an earner skips it; earns an unrelated popular badge first; and,
#: after finishing a track, goes on to the linked track of another issuer.
SKIP, NOISE, HOP = 0.05, 0.08, 0.6
#: Rows per chunk written at once.
CHUNK = 20_000
EPOCH = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
#: Events the feed rows are made of.
EVENT_TYPES = ("award.viewed", "award.shared", "award.accepted", "award.downloaded")
SKILL_WORDS = (
    "Python", "SQL", "Welding", "Nursing", "Cloud", "Security", "Design", "Finance", "Leadership",
    "Data", "Networking", "Carpentry", "Teaching", "Marketing", "Logistics", "Robotics",
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Size:
    """How much to generate."""

    earners: int = 100_000
    issuers: int = 200
    achievements: int = 5_000
    awards: int = 1_000_000
    events: int = 100_000
    seed: int = 1

    @property
    def work(self) -> int:
        """Return the units of work the progress bar counts (one a row of the big tables)."""
        return self.earners + self.awards + self.events


@dataclasses.dataclass
class Track:
    """A pathway's achievements in order, by level, and the track earners go on to."""

    issuer: int
    levels: list[list[int]]
    skills: tuple[str, str]
    follow: int = -1


@dataclasses.dataclass
class Plan:
    """The planted structure: achievements, tracks, and each achievement's facts."""

    tracks: list[Track]
    #: Per achievement (index): issuer index, name, level, skills, track index (-1: none).
    issuer_of: list[int]
    names: list[str]
    levels: list[str]
    skills: list[tuple[str, ...]]
    track_of: list[int]
    popularity: list[float]
    #: Cumulative weights of achievements and of tracks (by their first level), for sampling.
    achievement_cumulative: list[float] = dataclasses.field(default_factory=list)
    track_cumulative: list[float] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class Loaded:
    """What was generated: counts, and where the ids start."""

    earners: int
    issuers: int
    achievements: int
    pathways: int
    awards: int
    skills: int
    events: int
    first_user_id: int


def plan(size: Size, rng: random.Random) -> Plan:
    """Lay out achievements into tracks per issuer, with skills, levels and links."""
    per_issuer = [size.achievements // size.issuers] * size.issuers
    for extra in range(size.achievements - sum(per_issuer)):
        per_issuer[extra % size.issuers] += 1
    tracks: list[Track] = []
    issuer_of: list[int] = []
    names: list[str] = []
    levels: list[str] = []
    skills: list[tuple[str, ...]] = []
    track_of: list[int] = []
    for issuer, count in enumerate(per_issuer):
        start = len(issuer_of)
        full = count // TRACK_LENGTH
        issuer_of.extend([issuer] * count)
        track_of.extend([-1] * count)
        for n in range(full):
            word = SKILL_WORDS[rng.randrange(len(SKILL_WORDS))]
            pair = (f"{word} {issuer}.{n}", f"{word} practice")
            members = list(range(start + n * TRACK_LENGTH, start + (n + 1) * TRACK_LENGTH))
            track = Track(
                issuer=issuer,
                levels=[members[i : i + PER_LEVEL] for i in range(0, TRACK_LENGTH, PER_LEVEL)],
                skills=pair,
            )
            for member in members:
                track_of[member] = len(tracks)
            tracks.append(track)
        for number in range(count):
            index = start + number
            if track_of[index] >= 0:
                track = tracks[track_of[index]]
                level = next(n for n, group in enumerate(track.levels) if index in group) + 1
                names.append(f"{track.skills[0]} level {level}, part {number % PER_LEVEL + 1}")
                levels.append(str(level))
                skills.append(track.skills)
            else:
                word = SKILL_WORDS[rng.randrange(len(SKILL_WORDS))]
                names.append(f"{word} workshop {issuer}.{number}")
                levels.append("")
                skills.append((f"{word} {issuer}.x{number}",))
    for number, track in enumerate(tracks):
        others = [n for n, other in enumerate(tracks) if other.issuer != track.issuer]
        track.follow = rng.choice(others) if others else (number + 1) % max(1, len(tracks))
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(issuer_of))]
    rng.shuffle(weights)
    found = Plan(tracks, issuer_of, names, levels, skills, track_of, weights)
    found.achievement_cumulative = list(itertools.accumulate(weights))
    found.track_cumulative = list(
        itertools.accumulate(sum(weights[m] for m in track.levels[0]) for track in tracks)
    )
    return found


def journey(plan_: Plan, budget: int, rng: random.Random) -> list[int]:
    """Return the achievements one earner earns, in order."""
    earned: list[int] = []
    seen: set[int] = set()
    everyone = range(len(plan_.issuer_of))
    tracks = range(len(plan_.tracks))

    def popular() -> int:
        return rng.choices(everyone, cum_weights=plan_.achievement_cumulative)[0]

    def any_track() -> int:
        return rng.choices(tracks, cum_weights=plan_.track_cumulative)[0]

    def earn(achievement: int) -> None:
        if achievement not in seen and len(earned) < budget:
            seen.add(achievement)
            earned.append(achievement)

    if not plan_.tracks:
        while len(earned) < min(budget, len(plan_.issuer_of)):
            earn(popular())
        return earned
    track = any_track()
    stalls = 0
    while len(earned) < budget and stalls < 50:
        before = len(earned)
        for level in plan_.tracks[track].levels:
            for achievement in rng.sample(level, len(level)):
                if rng.random() < NOISE:
                    earn(popular())
                if rng.random() >= SKIP:
                    earn(achievement)
        track = plan_.tracks[track].follow if rng.random() < HOP else any_track()
        stalls = stalls + 1 if len(earned) == before else 0
    return earned


class Writer:
    """Bulk rows into tables: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"

    def next_id(self, table: str) -> int:
        """Return the first free id of ``table``."""
        column = Base.metadata.tables[table].c.id
        return int(self.connection.scalar(select(func.coalesce(func.max(column), 0))) or 0) + 1

    def write(self, table: str, rows: list[dict[str, t.Any]]) -> None:
        """Insert ``rows`` (dicts with the same keys) into ``table``."""
        if not rows:
            return
        columns = list(rows[0])
        if not self.postgres:
            self.connection.execute(insert(Base.metadata.tables[table]), rows)
            return
        raw = self.connection.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor:
            names = ", ".join(columns)
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([_plain(row[column]) for column in columns])

    def fix_sequences(self, tables: t.Iterable[str]) -> None:
        """Move PostgreSQL's id sequences past the ids written here."""
        if not self.postgres:
            return
        for table in tables:
            column = Base.metadata.tables[table].c.id
            highest = select(func.coalesce(func.max(column), 1)).scalar_subquery()
            self.connection.execute(
                select(func.setval(func.pg_get_serial_sequence(table, "id"), highest))
            )


def _plain(value: t.Any) -> t.Any:
    return json.dumps(value) if isinstance(value, dict | list) else value


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def generate(
    session: Session,
    size: Size,
    *,
    base_url: str,
    progress: t.Callable[[int], None] = lambda _n: None,
) -> Loaded:
    """Write the population into the session's database, commit, and rebuild the statistics."""
    rng = random.Random(size.seed)  # noqa: S311 - reproducible data, not secrets
    layout = plan(size, rng)
    connection = session.connection()
    writer = Writer(connection)
    now = dt.datetime.now(dt.UTC)
    ids = {
        name: writer.next_id(name)
        for name in (
            "users", "issuers", "achievements", "pathways", "pathway_groups", "pathway_steps",
            "awards", "award_skills", "issuer_events",
        )
    }  # fmt: skip
    tag = f"s{size.seed}u{ids['users']}"
    issuer_rows = []
    for n in range(size.issuers):
        public_id = _hex(rng)
        issuer_rows.append(
            {
                "id": ids["issuers"] + n,
                "public_id": public_id,
                "name": f"Bench Issuer {n}",
                "url": f"https://issuer{n}.bench.example",
                "email": f"badges@issuer{n}.bench.example",
                "description": "",
                "linkedin_organization_id": "",
                # Placeholders: bench issuers never sign.
                "signing_key_sealed": "bench",
                "public_key_multibase": "z6MkBench",
                "domain_token": _hex(rng),
                "created_at": now,
            }
        )
    writer.write("issuers", issuer_rows)
    prefix = badge_prefix(base_url)
    public_ids = [_hex(rng) for _ in layout.issuer_of]
    iris = [prefix + public_id for public_id in public_ids]
    next_of: dict[int, int] = {}
    for track in layout.tracks:
        next_of[track.levels[-1][-1]] = layout.tracks[track.follow].levels[0][0]
    achievement_rows = []
    for n, public_id in enumerate(public_ids):
        follow = next_of.get(n)
        achievement_rows.append(
            {
                "id": ids["achievements"] + n,
                "public_id": public_id,
                "issuer_id": ids["issuers"] + layout.issuer_of[n],
                "name": layout.names[n],
                "description": f"Shows {layout.names[n]}.",
                "criteria": "Complete the assessment.",
                "achievement_type": "Course",
                "level": layout.levels[n],
                "alignments": [
                    {"name": skill, "framework": "Bench", "code": "", "url": ""}
                    for skill in layout.skills[n]
                ],
                "tags": [],
                "next_steps": []
                if follow is None
                else [{"title": layout.names[follow], "url": iris[follow], "type": "achievement"}],
                "image_type": "",
                "created_at": now,
                "updated_at": now,
            }
        )
    for start in range(0, len(achievement_rows), CHUNK):
        writer.write("achievements", achievement_rows[start : start + CHUNK])
    pathway_rows: list[dict[str, t.Any]] = []
    group_rows: list[dict[str, t.Any]] = []
    step_rows: list[dict[str, t.Any]] = []
    for n, track in enumerate(layout.tracks):
        pathway_id = ids["pathways"] + n
        pathway_rows.append(
            {
                "id": pathway_id,
                "public_id": _hex(rng),
                "issuer_id": ids["issuers"] + track.issuer,
                "name": f"{track.skills[0]} track",
                "description": "",
                "published_at": now,
                "created_at": now,
                "updated_at": now,
                "revision": 1,
            }
        )
        for position, level in enumerate(track.levels):
            group_id = ids["pathway_groups"] + len(group_rows)
            group_rows.append(
                {
                    "id": group_id,
                    "pathway_id": pathway_id,
                    "position": position,
                    "title": f"Level {position + 1}",
                    "kind": "level",
                    "rule": "all",
                    "required": None,
                }
            )
            for order, member in enumerate(level):
                step_rows.append(
                    {
                        "id": ids["pathway_steps"] + len(step_rows),
                        "group_id": group_id,
                        "position": order,
                        "achievement_iri": iris[member],
                        "achievement_id": ids["achievements"] + member,
                        "title": layout.names[member],
                    }
                )
    writer.write("pathways", pathway_rows)
    writer.write("pathway_groups", group_rows)
    writer.write("pathway_steps", step_rows)

    user_rows = []
    for n in range(size.earners):
        user_rows.append(
            {
                "id": ids["users"] + n,
                "handle": f"b{tag}-{n}",
                "display_name": f"Bench Earner {n}",
                "headline": "",
                "listed": False,
                "revision": 1,
                # Not a hash any password matches: bench earners cannot sign in.
                "password_hash": "!bench",
                "session_version": 1,
                "created_at": now,
            }
        )
        if len(user_rows) == CHUNK:
            writer.write("users", user_rows)
            progress(len(user_rows))
            user_rows = []
    writer.write("users", user_rows)
    progress(len(user_rows))

    budgets = _budgets(size, rng)
    award_id, skill_id = ids["awards"], ids["award_skills"]
    award_rows: list[dict[str, t.Any]] = []
    skill_rows: list[dict[str, t.Any]] = []
    issuer_urls = [
        f"{base_url.rstrip('/')}/ob/v3/issuers/{row['public_id']}" for row in issuer_rows
    ]
    written = 0

    def flush() -> None:
        nonlocal award_rows, skill_rows
        writer.write("awards", award_rows)
        writer.write("award_skills", skill_rows)
        progress(len(award_rows))
        award_rows, skill_rows = [], []

    for earner in range(size.earners):
        budget = budgets.get(earner, 0)
        if not budget:
            continue
        when = EPOCH + dt.timedelta(days=rng.randrange(700))
        for achievement in journey(layout, budget, rng):
            when += dt.timedelta(days=rng.randrange(5, 60), minutes=rng.randrange(1440))
            issuer = layout.issuer_of[achievement]
            award_rows.append(
                {
                    "id": award_id,
                    "public_id": _hex(rng),
                    "user_id": ids["users"] + earner,
                    "original": b'{"bench": true}',
                    "original_type": "application/json",
                    "format": "ob3-credential",
                    "credential_id": f"urn:bench:{tag}:{award_id}",
                    "issuer_id": issuer_urls[issuer],
                    "issuer_name": f"Bench Issuer {issuer}",
                    "achievement_name": layout.names[achievement],
                    "achievement_type": "Course",
                    "achievement_iri": iris[achievement],
                    "issued_at": when,
                    "verification_status": "valid",
                    "verification": {"status": "valid", "checks": []},
                    "verified_at": now,
                    "notified_state": "",
                    "visibility": "public" if rng.random() < 0.2 else "private",
                    "acceptance": "accepted",
                    "details": {},
                    "has_image": False,
                    "note": "",
                    "created_at": when,
                    "revision": 1,
                }
            )
            for skill in layout.skills[achievement]:
                skill_rows.append(
                    {
                        "id": skill_id,
                        "award_id": award_id,
                        "name": skill,
                        "normalized": " ".join(skill.casefold().split()),
                        "framework": "Bench",
                        "code": "",
                        "url": "",
                    }
                )
                skill_id += 1
            award_id += 1
            written += 1
            if len(award_rows) == CHUNK:
                flush()
    flush()
    events = _events(writer, size, rng, ids["issuer_events"], ids["issuers"], progress)
    writer.fix_sequences(
        (
            "users", "issuers", "achievements", "pathways", "pathway_groups", "pathway_steps",
            "awards", "award_skills", "issuer_events",
        )
    )  # fmt: skip
    coearned.rebuild(session)
    session.commit()
    # Fresh statistics for the planner: the tables just grew from nothing.
    session.execute(text("ANALYZE"))
    session.commit()
    return Loaded(
        earners=size.earners,
        issuers=size.issuers,
        achievements=len(public_ids),
        pathways=len(pathway_rows),
        awards=written,
        skills=skill_id - ids["award_skills"],
        events=events,
        first_user_id=ids["users"],
    )


def _budgets(size: Size, rng: random.Random) -> Counter[int]:
    """Return how many awards each earner gets: at least one, the rest by activity."""
    if size.earners <= 0:
        return Counter()
    budgets: Counter[int] = Counter(range(min(size.earners, size.awards)))
    rest = size.awards - sum(budgets.values())
    if rest > 0:
        activity = [rng.paretovariate(2.5) for _ in range(size.earners)]
        budgets.update(rng.choices(range(size.earners), activity, k=rest))
    return budgets


def _events(
    writer: Writer,
    size: Size,
    rng: random.Random,
    first_id: int,
    first_issuer: int,
    progress: t.Callable[[int], None],
) -> int:
    """Write engagement events into the issuers' feeds (numbered per issuer)."""
    if size.issuers <= 0:
        return 0
    sequence: Counter[int] = Counter()
    rows: list[dict[str, t.Any]] = []
    for n in range(size.events):
        issuer = first_issuer + rng.randrange(size.issuers)
        sequence[issuer] += 1
        kind = EVENT_TYPES[rng.randrange(len(EVENT_TYPES))]
        rows.append(
            {
                "id": first_id + n,
                "public_id": f"evt_{_hex(rng)}",
                "issuer_id": issuer,
                "sequence": sequence[issuer],
                "source_event_id": _hex(rng)[:36],
                "part": 0,
                "type": kind,
                "version": 1,
                "occurred_at": EPOCH + dt.timedelta(minutes=n),
                "data": {"type": kind},
                "created_at": EPOCH + dt.timedelta(minutes=n),
            }
        )
        if len(rows) == CHUNK:
            writer.write("issuer_events", rows)
            progress(len(rows))
            rows = []
    writer.write("issuer_events", rows)
    progress(len(rows))
    return size.events
